/*
 * Boot checks of board.cfg against the device tree, before anything
 * trusts either: where the DTB is (it sits at CONFIG_RAM_BASE) and where
 * the console is (CONFIG_UART_BASE). A mismatch stops the boot with a
 * message naming the option and the value the DTB says would work.
 *
 * Until the UART is checked it cannot be trusted, so these reports go to
 * the host through semihosting when it answers (QEMU -semihosting, which
 * every Pagoda command line passes), else to the configured UART. The
 * stop is machine_power_off(1): a non-zero exit under semihosting.
 *
 * Checks before C (entry at EL3, wrong load address, faults before the
 * MMU) are in platform/aarch64/early_fail.S; the DMA engines' IRQs are
 * checked against the GIC in drivers/dma_engine.c.
 */
#include <arch/fault.h>
#include <arch/layout.h>
#include <arch/power.h>
#include <drivers/pl011.h>
#include <kernel/bootcheck.h>
#include <kernel/bootmem.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ULL(x) ((unsigned long long)(x))

static const void *phys_to_virt_early(phys_addr_t pa) { return (const void *)(uintptr_t)(PAGE_OFFSET + (pa - PHYS_OFFSET)); }

void __noreturn boot_fail(const char *fmt, ...)
{
	static char msg[768];
	int n = snprintf(msg, sizeof(msg), "\nPagoda: boot failed: ");
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	if (semihosting_available()) {
		semihosting_write0(msg);
		semihosting_write0("\n");
	} else {
		pl011_init(UART_VIRT);
		printf("%s\n", msg);
	}
	machine_power_off(1);
}

struct dtb_probe {
	phys_addr_t pa;  /* in: where to look (scan: from where, downwards) */
	phys_addr_t end; /* scan: lowest address to look at */
	bool found;
};

/* Whether a valid DTB starts at pa (reads may fault: under fault_catch). */
static bool dtb_at(phys_addr_t pa)
{
	const fdt32_t *magic = phys_to_virt_early(pa);

	return fdt32_to_cpu(*magic) == FDT_MAGIC && !fdt_check_header(magic);
}

static void probe_one(void *arg)
{
	struct dtb_probe *p = arg;

	p->found = dtb_at(p->pa);
}

/* Downwards in 4 KiB steps, the nearest DTB below the image (QEMU puts it at RAM's base). */
static void probe_scan(void *arg)
{
	struct dtb_probe *p = arg;

	for (;;) {
		if (dtb_at(p->pa)) {
			p->found = true;
			return;
		}
		if (p->pa < p->end + SZ_4K)
			return;
		p->pa -= SZ_4K;
	}
}

static phys_addr_t ram_base_of(const void *fdt)
{
	phys_addr_t base = 0;

	return fdt_ram_base(fdt, &base) ? ~(phys_addr_t)0 : base;
}

/*
 * Whether the first reg entry of the node at path (or of the node that
 * /chosen's property names, e.g. stdout-path) is addr. A path lookup costs
 * a few hundred instructions; a scan of the whole tree with libfdt costs
 * ~300,000, so the scans below run only when this cheap test fails.
 */
static bool reg_at(const void *fdt, const char *path, const char *chosen_prop, u64 addr)
{
	int len = -1, node, parent, slash;
	u64 a, size;

	if (chosen_prop) {
		int chosen = fdt_path_offset(fdt, "/chosen");

		path = chosen >= 0 ? fdt_getprop(fdt, chosen, chosen_prop, NULL) : NULL;
	}
	if (!path || path[0] != '/')
		return false; /* (an alias: leave it to the scan) */
	len = (int)strcspn(path, ":");
	for (slash = len - 1; path[slash] != '/'; slash--)
		;
	node = fdt_path_offset_namelen(fdt, path, len);
	parent = slash ? fdt_path_offset_namelen(fdt, path, slash) : 0;
	return node >= 0 && parent >= 0 && !fdt_node_reg_in(fdt, parent, node, 0, &a, &size) && a == addr;
}

/* See include/kernel/bootcheck.h. */
const void *bootcheck_dtb(phys_addr_t arg, phys_addr_t *dtb_pa)
{
	struct dtb_probe p = { .pa = arg ? arg : CONFIG_RAM_BASE };
	struct fault_catch fc = { .quiet = true };
	const void *fdt;
	phys_addr_t ram;

	if (!fault_catch_call(&fc, probe_one, &p) && p.found) {
		fdt = phys_to_virt_early(p.pa);
		ram = reg_at(fdt, "/memory", NULL, CONFIG_RAM_BASE) ? CONFIG_RAM_BASE : ram_base_of(fdt);
		if (ram != CONFIG_RAM_BASE)
			boot_fail("CONFIG_RAM_BASE is %#llx, but the device tree (at %#llx) says RAM starts at %#llx:\n"
				  "  set CONFIG_RAM_BASE=%#llx in board.cfg",
				  ULL(CONFIG_RAM_BASE), ULL(p.pa), ULL(ram), ULL(ram));
		*dtb_pa = p.pa;
		return fdt;
	}
	/* Not where board.cfg says: look below the image (its GiB is mapped). */
	p = (struct dtb_probe){ .pa = ALIGN_DOWN(KERNEL_PHYS - 1, SZ_4K), .end = ALIGN_DOWN(KERNEL_PHYS, SZ_1G) };
	fault_catch_call(&fc, probe_scan, &p);
	if (p.found) {
		ram = ram_base_of(phys_to_virt_early(p.pa));
		boot_fail("no device tree at CONFIG_RAM_BASE (%#llx); the one the loader passed is at %#llx\n"
			  "  and says RAM starts at %#llx: set CONFIG_RAM_BASE=%#llx in board.cfg (and\n"
			  "  CONFIG_KERNEL_OFFSET=%#llx to keep the image at %#llx)",
			  ULL(CONFIG_RAM_BASE), ULL(p.pa), ULL(ram), ULL(ram), ULL(KERNEL_PHYS - ram),
			  ULL(KERNEL_PHYS));
	}
	boot_fail("no device tree at CONFIG_RAM_BASE (%#llx, x0=%#llx), nor below the image at %#llx.\n"
		  "  Is CONFIG_RAM_BASE the machine's RAM base (QEMU virt: 0x40000000), and does\n"
		  "  CONFIG_KERNEL_OFFSET (%#llx) leave at least 1 MiB below the image (QEMU places\n"
		  "  the device tree at the base of RAM only then)?",
		  ULL(CONFIG_RAM_BASE), ULL(arg), ULL(KERNEL_PHYS), ULL(CONFIG_KERNEL_OFFSET));
}

/* See include/kernel/bootcheck.h. */
void bootcheck_console(const void *fdt)
{
	int node, first = -1;
	u64 addr, size, first_addr = 0;

	if (reg_at(fdt, NULL, "stdout-path", CONFIG_UART_BASE))
		return; /* the DTB's console is where board.cfg says */
	for (node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011"); node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, "arm,pl011")) {
		if (fdt_node_reg(fdt, node, 0, &addr, &size))
			continue;
		if (addr == CONFIG_UART_BASE)
			return;
		if (first < 0) {
			first = node;
			first_addr = addr;
		}
	}
	if (first < 0)
		return; /* nothing to check against: trust board.cfg */
	boot_fail("CONFIG_UART_BASE is %#llx, but the device tree has no UART there:\n"
		  "  its PL011 (arm,pl011, node %s) is at %#llx. Set CONFIG_UART_BASE=%#llx in board.cfg",
		  ULL(CONFIG_UART_BASE), fdt_get_name(fdt, first, NULL), ULL(first_addr), ULL(first_addr));
}
