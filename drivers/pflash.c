/*
 * CFI parallel NOR flash driver, read-only (contract:
 * include/drivers/pflash.h). QEMU's virt board has two banks of
 * pflash_cfi01 (Intel/Sharp command set) in one "cfi-flash" node:
 *
 *   reg = <bank 0: 0x00000000, 64 MiB>   boot ROM (empty with -kernel)
 *         <bank 1: 0x04000000, 64 MiB>   the app image (-drive if=pflash,unit=1)
 *   bank-width = <4>   the bus is 32 bits: two x16 chips side by side
 *
 * Terminology: the bank is bank-width bytes wide; a "word" is one bank
 * access. CFI command addresses are in words (the query command goes to
 * word 0x55) and so are the query table's offsets; each chip answers in
 * its own lane of the word, so an answer replicated in two 16-bit lanes
 * means two x16 chips ("interleave 2").
 *
 * Modes: the device powers up in read-array mode (reads return the
 * contents; QEMU maps it like ROM). 0x98 enters query mode (reads return
 * the CFI table), 0xFF returns to read-array mode. pflash_init() does the
 * query once; everything after it reads the array. Nothing here ever
 * programs or erases (and QEMU's drive is read-only).
 *
 * Reads: the mapping is Device-nGnRE, where unaligned accesses fault and
 * the kernel's memcpy (8-byte unaligned loads) must not be used. So
 * pflash_read() copies with byte loads up to an 8-byte boundary of the
 * device address, then aligned 64-bit loads (eight per iteration), then
 * bytes for the tail.
 */
#include <drivers/pflash.h>
#include <errno.h>
#include <libfdt.h>
#include <mm/ioremap.h>
#include <stdio.h>

#define CFI_QUERY_ADDR 0x55  /* word the query command is written to */
#define CMD_READ_ARRAY 0xff
#define CMD_CFI_QUERY 0x98
#define CFI_QRY 0x10         /* "QRY" at words 0x10..0x12 */
#define CFI_CMDSET 0x13      /* primary command set, 16 bits: 0x0001 Intel/Sharp */
#define CFI_DEV_SIZE 0x27    /* log2 of one chip's size in bytes */
#define CFI_NR_REGIONS 0x2c  /* erase block regions */
#define CFI_REGION0 0x2d     /* blocks - 1 (16 bits), block size / 256 (16 bits) */

static struct {
	volatile u8 *base; /* the bank, mapped */
	phys_addr_t pa;
	u64 size;
	unsigned width;    /* bank-width in bytes */
	struct pflash_stats stats;
} fl;

static void cmd_write(unsigned word, u8 cmd)
{
	volatile u8 *p = fl.base + (u64)word * fl.width;

	/* the command in every chip's lane: replicate the byte over the word */
	switch (fl.width) {
	case 1: *p = cmd; break;
	case 2: *(volatile u16 *)p = (u16)(cmd * 0x0101u); break;
	default: *(volatile u32 *)p = cmd * 0x01010101u; break;
	}
}

static u32 word_read(unsigned word)
{
	volatile u8 *p = fl.base + (u64)word * fl.width;

	switch (fl.width) {
	case 1: return *p;
	case 2: return *(volatile u16 *)p;
	default: return *(volatile u32 *)p;
	}
}

/* The chip width (bytes) whose lanes all answer 'Q' the same: 4 / interleave. */
static unsigned chip_width(u32 answer)
{
	for (unsigned cw = 1; cw <= fl.width; cw *= 2) {
		u32 mask = cw == 4 ? 0xffffffffu : (1u << (8 * cw)) - 1;
		bool same = (answer & mask) == 'Q';

		for (unsigned lane = 1; same && lane < fl.width / cw; lane++)
			same = ((answer >> (8 * cw * lane)) & mask) == (answer & mask);
		if (same)
			return cw;
	}
	return 0;
}

static u64 read_cells(const fdt32_t *p, int cells)
{
	u64 v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

/* Bank 1 (the second reg entry) of the cfi-flash node. */
static int find_bank(const void *fdt, phys_addr_t *pa, u64 *size, unsigned *width)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "cfi-flash");
	int parent, ac, sc, len;
	const fdt32_t *reg, *bw;

	if (node < 0) {
		printf("pflash: no cfi-flash node in the device tree\n");
		return -ENODEV;
	}
	parent = fdt_parent_offset(fdt, node);
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < 2 * (ac + sc) * 4) {
		printf("pflash: %s: no second bank in reg (%d bytes)\n", fdt_get_name(fdt, node, NULL),
		       reg ? len : 0);
		return -ENODEV;
	}
	*pa = read_cells(reg + ac + sc, ac);
	*size = read_cells(reg + ac + sc + ac, sc);
	bw = fdt_getprop(fdt, node, "bank-width", &len);
	*width = bw && len == 4 ? fdt32_to_cpu(*bw) : 4;
	if (*width != 1 && *width != 2 && *width != 4) {
		printf("pflash: bank-width %u not supported (1, 2 or 4)\n", *width);
		return -ENODEV;
	}
	return 0;
}

int pflash_init(const void *fdt)
{
	unsigned cw, chips, regions, blocks = 0, block_kib = 0;
	u32 q[3], cmdset;
	u64 dt_size, cfi_size;
	int rc;

	rc = find_bank(fdt, &fl.pa, &dt_size, &fl.width);
	if (rc)
		return rc;
	fl.base = ioremap(fl.pa, dt_size);
	if (!fl.base) {
		printf("pflash: cannot map [mem %#llx-%#llx]\n", (unsigned long long)fl.pa,
		       (unsigned long long)(fl.pa + dt_size - 1));
		return -ENOMEM;
	}

	cmd_write(CFI_QUERY_ADDR, CMD_CFI_QUERY);
	for (unsigned i = 0; i < 3; i++)
		q[i] = word_read(CFI_QRY + i);
	cw = chip_width(q[0]);
	if (!cw || (q[1] & 0xff) != 'R' || (q[2] & 0xff) != 'Y') {
		cmd_write(0, CMD_READ_ARRAY);
		printf("pflash: no CFI answer at %#llx (got %#x %#x %#x): not a CFI flash\n",
		       (unsigned long long)fl.pa, q[0], q[1], q[2]);
		iounmap(fl.base);
		fl.base = NULL;
		return -ENODEV;
	}
	chips = fl.width / cw;
	cmdset = (word_read(CFI_CMDSET) & 0xff) | (word_read(CFI_CMDSET + 1) & 0xff) << 8;
	cfi_size = (1ULL << (word_read(CFI_DEV_SIZE) & 0x3f)) * chips;
	regions = word_read(CFI_NR_REGIONS) & 0xff;
	if (regions) {
		blocks = ((word_read(CFI_REGION0) & 0xff) | (word_read(CFI_REGION0 + 1) & 0xff) << 8) + 1;
		block_kib = ((word_read(CFI_REGION0 + 2) & 0xff) | (word_read(CFI_REGION0 + 3) & 0xff) << 8) *
			    256 * chips / 1024;
	}
	cmd_write(0, CMD_READ_ARRAY);

	fl.size = MIN(cfi_size, dt_size);
	printf("pflash: bank 1 [mem %#011llx-%#011llx] %llu MiB, %u x%u chip%s, CFI command set %#06x%s, "
	       "%u erase blocks of %u KiB, read-only\n",
	       (unsigned long long)fl.pa, (unsigned long long)(fl.pa + fl.size - 1),
	       (unsigned long long)(fl.size >> 20), chips, cw * 8, chips > 1 ? "s" : "", cmdset,
	       cmdset == 1 ? " (Intel/Sharp)" : "", blocks, block_kib);
	if (cfi_size != dt_size)
		printf("pflash: the chips hold %llu KiB, the device tree says %llu KiB: using %llu KiB\n",
		       (unsigned long long)(cfi_size >> 10), (unsigned long long)(dt_size >> 10),
		       (unsigned long long)(fl.size >> 10));
	return 0;
}

int pflash_read(u64 off, void *dst, size_t len)
{
	const volatile u8 *src;
	u8 *d = dst;

	if (!fl.base)
		return -ENODEV;
	if (off > fl.size || len > fl.size - off)
		return -EINVAL;
	fl.stats.reads++;
	fl.stats.bytes += len;
	src = fl.base + off;
	for (; len && !IS_ALIGNED((uintptr_t)src, 8); len--)
		*d++ = *src++;
	if (IS_ALIGNED((uintptr_t)d, 8)) {
		/* 64 bytes an iteration: eight device loads, then the stores
		 * (which the compiler may pair); a page is 64 iterations */
		for (; len >= 64; len -= 64, src += 64, d += 64) {
			const volatile u64 *s = (const volatile u64 *)src;
			u64 w0 = s[0], w1 = s[1], w2 = s[2], w3 = s[3], w4 = s[4], w5 = s[5], w6 = s[6], w7 = s[7];
			u64 *o = (u64 *)d;

			o[0] = w0, o[1] = w1, o[2] = w2, o[3] = w3, o[4] = w4, o[5] = w5, o[6] = w6, o[7] = w7;
		}
		for (; len >= 8; len -= 8, src += 8, d += 8)
			*(u64 *)d = *(const volatile u64 *)src;
	} else {
		for (; len >= 8; len -= 8, src += 8) {
			u64 v = *(const volatile u64 *)src;

			for (unsigned i = 0; i < 8; i++, v >>= 8)
				*d++ = (u8)v;
		}
	}
	while (len--)
		*d++ = *src++;
	return 0;
}

u64 pflash_size(void) { return fl.base ? fl.size : 0; }

void pflash_get_stats(struct pflash_stats *st) { *st = fl.stats; }
