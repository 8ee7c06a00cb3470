/*
 * swiotlb: the bounce pool behind the DMA API (contracts in
 * include/dma/swiotlb.h, design notes in docs/dma.md).
 *
 * Terminology
 *   slot      IO_TLB_SIZE (2 KiB) of the pool; Linux calls it a "slab".
 *   mapping   a run of contiguous slots holding one bounced buffer; its
 *             first slot (the *head*) records the original's physical
 *             address, the size mapped and the direction.
 *   original  the buffer the driver mapped, out of its device's reach.
 *   tlb addr  physical address of a slot; the device is handed its bus
 *             address (dma/mapping.c translates).
 *
 *   base                                                         base + bytes
 *   |slot 0|slot 1|slot 2|slot 3|slot 4|slot 5|slot 6|slot 7|  ...  |slot n-1|
 *   |<---- mapping A ----->|      |<-- B ->|<--- mapping C (page aligned) --->
 *   bitmap:  1      1      1      0      1      1      1      1   ...
 *   slots[]: head=0 head=0 head=0 FREE   head=4 head=4 head=6 head=6
 *            orig,size,dir                orig..        orig..
 *
 * Allocation is first fit over the bitmap (1 = in use): the lowest run
 * of free slots that is long enough, starting on a page boundary when the
 * mapping is at least a page (so a multi-page bounce buffer is page
 * aligned for the device, as in Linux). Runs may be as long as the pool.
 * First fit keeps the pool's low end busy and its high end free, which
 * makes large runs likely and the behaviour deterministic for tests.
 *
 * Copies (memcpy through the linear map) run outside the lock: between
 * map and unmap a mapping's slots belong to it alone. An unmap marks its
 * slots SLOT_DYING under the lock before copying back, so a second unmap
 * or a sync racing with it is refused instead of copying freed slots.
 *
 * Locking: tlb_lock (a spinlock, IRQs masked) protects the bitmap,
 * slots[] and the counters; it is a leaf (nothing is called with it held
 * except memory-free bit scans). init/exit take it only to publish.
 *
 * Errors: a full pool or an oversized request returns SWIOTLB_MAP_ERROR
 * and prints one line; an unmap or sync of anything that is not a live
 * mapping is reported (with a call trace), counted in bad_calls, and
 * changes nothing.
 */
#include <arch/phys.h>
#include <dma/swiotlb.h>
#include <errno.h>
#include <lib/panic.h>
#include <lib/spinlock.h>
#include <mm/highmem.h>
#include <mm/memblock.h>
#include <mm/page_alloc.h>
#include <stdio.h>
#include <string.h>

#define ULL(x) ((unsigned long long)(x))
#define SLOT_FREE 0x3fffffffu   /* slots[i].head of a free slot */
#define SLOT_DYING 0x3ffffffeu  /* being unmapped */
#define SLOTS_PER_PAGE (PAGE_SIZE / IO_TLB_SIZE)
#define BLOCK_PAGES (1ULL << MAX_ORDER)
#define MAX_SCAN_BLOCKS 64 /* MAX_ORDER blocks tried when looking for adjacent ones */

struct io_tlb_slot {
	phys_addr_t orig; /* head: original's physical address */
	u32 size;         /* head: bytes mapped */
	u32 head : 30;    /* index of the mapping's first slot, SLOT_FREE, SLOT_DYING */
	u32 dir : 2;      /* head: enum dma_data_direction of the map */
};

static struct {
	phys_addr_t base;
	u64 bytes, nslabs;
	struct io_tlb_slot *slots;
	u64 *bitmap;            /* 1: slot in use */
	struct page *meta;      /* slots[] and bitmap, 2^meta_order pages */
	unsigned meta_order;
	unsigned pool_order;    /* pool made by swiotlb_init: pool_blocks blocks of */
	unsigned pool_blocks;   /* 2^pool_order pages from base (0: caller's memory) */
	struct swiotlb_stats st;
} tlb;

static spinlock_t tlb_lock = SPINLOCK_INIT;

static bool valid_dir(enum dma_data_direction dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE || dir == DMA_FROM_DEVICE;
}

static phys_addr_t slot_pa(u64 i) { return tlb.base + (i << IO_TLB_SHIFT); }
static u64 nslots_for(u64 size) { return (size + IO_TLB_SIZE - 1) >> IO_TLB_SHIFT; }
static bool slot_used(u64 i) { return (tlb.bitmap[i / 64] >> (i % 64)) & 1; }

static void set_used(u64 i, u64 n, bool used)
{
	for (u64 j = i; j < i + n; j++) {
		if (used)
			tlb.bitmap[j / 64] |= 1ULL << (j % 64);
		else
			tlb.bitmap[j / 64] &= ~(1ULL << (j % 64));
	}
}

/* Last used slot in [from, to), or -1 (whole free words are skipped). */
static s64 last_used_locked(u64 from, u64 to)
{
	for (u64 j = to; j > from;) {
		j--;
		if (j % 64 == 63 && j - 63 >= from && !tlb.bitmap[j / 64]) {
			j -= 63;
			continue;
		}
		if (slot_used(j))
			return (s64)j;
	}
	return -1;
}

/* First fit: the lowest free run of n slots starting on a multiple of
 * stride; -1 if none. */
static s64 find_run_locked(u64 n, u64 stride)
{
	u64 i = 0;

	while (i + n <= tlb.nslabs) {
		s64 used = last_used_locked(i, i + n);

		if (used < 0)
			return (s64)i;
		i = ALIGN_UP((u64)used + 1, stride); /* every start up to `used` overlaps it */
	}
	return -1;
}

/* ---- pool set-up ------------------------------------------------------------ */

/* Allocate the slot map for nslabs slots and publish the pool. */
static int setup_pool(phys_addr_t base, u64 bytes)
{
	u64 nslabs = bytes >> IO_TLB_SHIFT, words = (nslabs + 63) / 64;
	u64 meta_bytes = nslabs * sizeof(struct io_tlb_slot) + words * sizeof(u64);
	unsigned order = get_order(meta_bytes);
	struct page *meta;
	unsigned long f;

	if (order > MAX_ORDER)
		return -EINVAL;
	meta = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	if (!meta) {
		printf("swiotlb: no memory for the slot map of %llu slots\n", ULL(nslabs));
		return -ENOMEM;
	}
	f = spin_lock_irqsave(&tlb_lock);
	tlb.base = base;
	tlb.bytes = bytes;
	tlb.nslabs = nslabs;
	tlb.meta = meta;
	tlb.meta_order = order;
	tlb.slots = page_address(meta);
	tlb.bitmap = (u64 *)(tlb.slots + nslabs);
	for (u64 i = 0; i < nslabs; i++)
		tlb.slots[i].head = SLOT_FREE;
	tlb.st = (struct swiotlb_stats){ .nslabs = nslabs };
	spin_unlock_irqrestore(&tlb_lock, f);
	return 0;
}

static bool ram_range(phys_addr_t base, u64 bytes)
{
	return bytes && base + bytes > base && pfn_valid(phys_to_pfn(base)) &&
	       pfn_valid(phys_to_pfn(base + bytes - 1));
}

int swiotlb_init_range(phys_addr_t base, u64 bytes)
{
	if (tlb.nslabs)
		return -EBUSY;
	if (!bytes || bytes % IO_TLB_SIZE || base % PAGE_SIZE || bytes > SWIOTLB_MAX_BYTES ||
	    !ram_range(base, bytes)) {
		printf("swiotlb: bad pool [%#llx +%#llx]: must be page aligned RAM, a multiple of %u bytes,"
		       " at most %llu MiB\n", ULL(base), ULL(bytes), IO_TLB_SIZE, ULL(SWIOTLB_MAX_BYTES >> 20));
		return -EINVAL;
	}
	return setup_pool(base, bytes);
}

/* The zone modifier of the lowest populated zone (what every engine reaches). */
static gfp_t lowest_zone_gfp(const char **name)
{
	int z = ZONE_DMA;

	while (z < ZONE_NORMAL && !zone_populated(&zones[z]))
		z++;
	*name = zones[z].name ? zones[z].name : "?";
	return z == ZONE_DMA ? GFP_DMA : z == ZONE_DMA32 ? GFP_DMA32 : 0;
}

/*
 * n physically adjacent MAX_ORDER blocks: take blocks until n of them
 * form a run (the buddy lists hand out no particular order), give the
 * others back. Returns 0 and the run's base, or -ENOMEM.
 */
static int alloc_adjacent_blocks(gfp_t gfp, unsigned n, phys_addr_t *base, const char *zone)
{
	struct page *got[MAX_SCAN_BLOCKS];
	unsigned k = 0, best = 0, found = MAX_SCAN_BLOCKS;

	while (k < MAX_SCAN_BLOCKS && found == MAX_SCAN_BLOCKS) {
		struct page *p = alloc_pages(gfp | __GFP_NOWARN, MAX_ORDER);
		unsigned i, run = 1;

		if (!p)
			break;
		for (i = k; i > 0 && page_to_pfn(got[i - 1]) > page_to_pfn(p); i--)
			got[i] = got[i - 1];
		got[i] = p;
		k++;
		for (i = 1; i <= k; i++) {
			if (i < k && page_to_pfn(got[i]) == page_to_pfn(got[i - 1]) + BLOCK_PAGES) {
				run++;
				continue;
			}
			best = MAX(best, run);
			if (run >= n) {
				found = i - run;
				break;
			}
			run = 1;
		}
	}
	for (unsigned i = 0; i < k; i++)
		if (found == MAX_SCAN_BLOCKS || i < found || i >= found + n)
			free_pages(got[i], MAX_ORDER);
	if (found == MAX_SCAN_BLOCKS) {
		printf("swiotlb: no %llu MiB of physically contiguous memory in zone %s (largest run found: %llu MiB);"
		       " lower CONFIG_SWIOTLB_SIZE_KB\n", ULL(n * BLOCK_PAGES * PAGE_SIZE >> 20), zone,
		       ULL(best * BLOCK_PAGES * PAGE_SIZE >> 20));
		return -ENOMEM;
	}
	*base = page_to_phys(got[found]);
	return 0;
}

static void free_pool_blocks(phys_addr_t base, unsigned order, unsigned blocks)
{
	for (unsigned i = 0; i < blocks; i++)
		free_pages(pfn_to_page(phys_to_pfn(base) + ((u64)i << order)), order);
}

int swiotlb_init(u64 bytes)
{
	u64 pages = bytes / PAGE_SIZE;
	unsigned order = get_order(pages << PAGE_SHIFT), blocks = 1;
	const char *zone;
	gfp_t gfp;
	phys_addr_t base;
	int rc;

	if (tlb.nslabs)
		return -EBUSY;
	if (!bytes || bytes % PAGE_SIZE || bytes > SWIOTLB_MAX_BYTES) {
		printf("swiotlb: bad pool size %llu bytes (a multiple of 4 KiB up to %llu MiB)\n", ULL(bytes),
		       ULL(SWIOTLB_MAX_BYTES >> 20));
		return -EINVAL;
	}
	if (!nr_managed_pages()) {
		printf("swiotlb: no page allocator yet\n");
		return -ENOMEM;
	}
	gfp = lowest_zone_gfp(&zone);
	if (order <= MAX_ORDER) {
		struct page *p = alloc_pages(GFP_KERNEL | gfp, order);

		if (!p) {
			printf("swiotlb: cannot allocate %llu KiB in zone %s\n", ULL((PAGE_SIZE << order) >> 10), zone);
			return -ENOMEM;
		}
		base = page_to_phys(p);
	} else {
		order = MAX_ORDER;
		blocks = (unsigned)((pages + BLOCK_PAGES - 1) / BLOCK_PAGES);
		rc = alloc_adjacent_blocks(GFP_KERNEL | gfp, blocks, &base, zone);
		if (rc)
			return rc;
	}
	rc = setup_pool(base, (u64)blocks * (PAGE_SIZE << order));
	if (rc) {
		free_pool_blocks(base, order, blocks);
		return rc;
	}
	tlb.pool_order = order;
	tlb.pool_blocks = blocks;
	printf("software IO TLB: mapped [mem 0x%016llx-0x%016llx] (%llu KiB, %llu slots of %u bytes, zone %s)\n",
	       ULL(tlb.base), ULL(tlb.base + tlb.bytes - 1), ULL(tlb.bytes >> 10), ULL(tlb.nslabs), IO_TLB_SIZE,
	       zone);
	if (tlb.bytes != bytes)
		printf("software IO TLB: %llu KiB asked for, rounded up to whole buddy blocks (%llu KiB)\n",
		       ULL(bytes >> 10), ULL(tlb.bytes >> 10));
	return 0;
}

void swiotlb_forget(void)
{
	unsigned long f = spin_lock_irqsave(&tlb_lock);

	memset(&tlb, 0, sizeof(tlb));
	spin_unlock_irqrestore(&tlb_lock, f);
}

void swiotlb_exit(void)
{
	struct page *meta = tlb.meta;
	unsigned meta_order = tlb.meta_order, order = tlb.pool_order, blocks = tlb.pool_blocks;
	phys_addr_t base = tlb.base;

	if (!tlb.nslabs)
		return;
	if (tlb.st.live) {
		printf("swiotlb: exit with %llu live mappings (%llu slots): a driver did not unmap\n",
		       ULL(tlb.st.live), ULL(tlb.st.used));
		dump_stack();
	}
	swiotlb_forget();
	free_pages(meta, meta_order);
	free_pool_blocks(base, order, blocks);
}

bool swiotlb_active(void) { return READ_ONCE(tlb.nslabs) != 0; }

void swiotlb_pool_range(phys_addr_t *base, u64 *bytes)
{
	*base = tlb.base;
	*bytes = tlb.bytes;
}

bool is_swiotlb_buffer(phys_addr_t pa) { return tlb.nslabs && pa >= tlb.base && pa - tlb.base < tlb.bytes; }

/* ---- map, unmap, sync --------------------------------------------------------- */

/* Kernel address of RAM byte pa, kmap_local()ed if it is highmem (kunmap_local it). */
static u8 *map_byte(phys_addr_t pa)
{
	if (pa < memblock_lowmem_end() || !pfn_valid(phys_to_pfn(pa)))
		return phys_to_virt(pa);
	return (u8 *)kmap_local_page(pfn_to_page(phys_to_pfn(pa))) + (pa & (PAGE_SIZE - 1));
}

/* Bounce: the pool is lowmem, the original buffer may be highmem (page by page). */
static void copy(phys_addr_t dst, phys_addr_t src, size_t size)
{
	while (size) {
		size_t c = MIN(size, MIN(PAGE_SIZE - (dst & (PAGE_SIZE - 1)), PAGE_SIZE - (src & (PAGE_SIZE - 1))));
		u8 *d = map_byte(dst), *s = map_byte(src);

		memcpy(d, s, c);
		kunmap_local(s);
		kunmap_local(d);
		dst += c, src += c, size -= c;
	}
}

phys_addr_t swiotlb_map(phys_addr_t orig, size_t size, enum dma_data_direction dir)
{
	u64 n = nslots_for(size), used, nslabs;
	unsigned long f;
	s64 i;

	if (!size || !valid_dir(dir) || size > UINT32_MAX) {
		f = spin_lock_irqsave(&tlb_lock);
		tlb.st.fail_size++;
		spin_unlock_irqrestore(&tlb_lock, f);
		printf("swiotlb: cannot bounce %llu bytes (direction %d)\n", ULL(size), (int)dir);
		return SWIOTLB_MAP_ERROR;
	}
	f = spin_lock_irqsave(&tlb_lock);
	if (!tlb.nslabs || n > tlb.nslabs) {
		tlb.st.fail_size++;
		nslabs = tlb.nslabs;
		spin_unlock_irqrestore(&tlb_lock, f);
		if (!nslabs)
			printf("swiotlb: no bounce pool (swiotlb_init was not called)\n");
		else
			printf("swiotlb: %llu bytes are larger than the pool (%llu KiB)\n", ULL(size),
			       ULL((nslabs << IO_TLB_SHIFT) >> 10));
		return SWIOTLB_MAP_ERROR;
	}
	i = find_run_locked(n, size >= PAGE_SIZE ? SLOTS_PER_PAGE : 1);
	if (i < 0) {
		tlb.st.fail_full++;
		used = tlb.st.used;
		nslabs = tlb.nslabs;
		spin_unlock_irqrestore(&tlb_lock, f);
		printf("swiotlb: buffer is full (%llu bytes, %llu slots needed), %llu of %llu slots in use\n", ULL(size),
		       ULL(n), ULL(used), ULL(nslabs));
		return SWIOTLB_MAP_ERROR;
	}
	set_used((u64)i, n, true);
	for (u64 j = (u64)i; j < (u64)i + n; j++)
		tlb.slots[j].head = (u32)i;
	tlb.slots[i].orig = orig;
	tlb.slots[i].size = (u32)size;
	tlb.slots[i].dir = dir;
	tlb.st.used += n;
	tlb.st.hiwater = MAX(tlb.st.hiwater, tlb.st.used);
	tlb.st.live++;
	tlb.st.mapped++;
	tlb.st.bytes_in += size;
	spin_unlock_irqrestore(&tlb_lock, f);
	copy(slot_pa((u64)i), orig, size);
	return slot_pa((u64)i);
}

/* Report a call on something that is not a live mapping (lock not held). */
static void bad_call(const char *fn, phys_addr_t tlb_pa, size_t size, const char *why)
{
	unsigned long f = spin_lock_irqsave(&tlb_lock);

	tlb.st.bad_calls++;
	spin_unlock_irqrestore(&tlb_lock, f);
	printf("swiotlb: bad %s(%#llx, %llu): %s\n", fn, ULL(tlb_pa), ULL(size), why);
	dump_stack();
}

/* The head slot of the live mapping containing tlb_pa, or -1. */
static s64 live_head_locked(phys_addr_t tlb_pa)
{
	u64 i, head;

	if (!is_swiotlb_buffer(tlb_pa))
		return -1;
	i = (tlb_pa - tlb.base) >> IO_TLB_SHIFT;
	head = tlb.slots[i].head;
	if (head == SLOT_FREE || head == SLOT_DYING || !slot_used(i))
		return -1;
	return (s64)head;
}

int swiotlb_unmap(phys_addr_t tlb_pa, size_t size, enum dma_data_direction dir)
{
	struct io_tlb_slot rec;
	unsigned long f = spin_lock_irqsave(&tlb_lock);
	s64 head = live_head_locked(tlb_pa);
	u64 n;

	if (head < 0 || slot_pa((u64)head) != tlb_pa) {
		spin_unlock_irqrestore(&tlb_lock, f);
		bad_call("swiotlb_unmap", tlb_pa, size,
			 head < 0 ? "not a live bounce mapping" : "not the start of its bounce mapping");
		return -EINVAL;
	}
	rec = tlb.slots[head];
	n = nslots_for(rec.size);
	for (u64 j = (u64)head; j < (u64)head + n; j++)
		tlb.slots[j].head = SLOT_DYING;
	spin_unlock_irqrestore(&tlb_lock, f);

	if (size != rec.size || dir != (enum dma_data_direction)rec.dir) {
		bad_call("swiotlb_unmap", tlb_pa, size, "size or direction differs from the map's (the map's are used)");
		printf("swiotlb: mapped %u bytes, direction %u\n", (unsigned)rec.size, (unsigned)rec.dir);
	}
	if (rec.dir == DMA_FROM_DEVICE || rec.dir == DMA_BIDIRECTIONAL)
		copy(rec.orig, tlb_pa, rec.size);

	f = spin_lock_irqsave(&tlb_lock);
	for (u64 j = (u64)head; j < (u64)head + n; j++)
		tlb.slots[j] = (struct io_tlb_slot){ .head = SLOT_FREE };
	set_used((u64)head, n, false);
	tlb.st.used -= n;
	tlb.st.live--;
	tlb.st.unmapped++;
	if (rec.dir != DMA_TO_DEVICE)
		tlb.st.bytes_out += rec.size;
	spin_unlock_irqrestore(&tlb_lock, f);
	return 0;
}

/* Resolve [tlb_pa, +size) inside a live mapping to its original. */
static int sync_target(const char *fn, phys_addr_t tlb_pa, size_t size, enum dma_data_direction dir,
		       phys_addr_t *orig)
{
	unsigned long f = spin_lock_irqsave(&tlb_lock);
	s64 head = live_head_locked(tlb_pa);
	const char *why = NULL;

	if (head < 0) {
		why = "not inside a live bounce mapping";
	} else {
		u64 off = tlb_pa - slot_pa((u64)head);

		if (!valid_dir(dir))
			why = "bad direction";
		else if (!size || off + size > tlb.slots[head].size)
			why = "runs past the end of its bounce mapping";
		else
			*orig = tlb.slots[head].orig + off;
	}
	spin_unlock_irqrestore(&tlb_lock, f);
	if (why) {
		bad_call(fn, tlb_pa, size, why);
		return -EINVAL;
	}
	return 0;
}

static void count_bytes(u64 *counter, size_t size)
{
	unsigned long f = spin_lock_irqsave(&tlb_lock);

	*counter += size;
	spin_unlock_irqrestore(&tlb_lock, f);
}

int swiotlb_sync_for_cpu(phys_addr_t tlb_pa, size_t size, enum dma_data_direction dir)
{
	phys_addr_t orig;

	if (sync_target("swiotlb_sync_for_cpu", tlb_pa, size, dir, &orig))
		return -EINVAL;
	if (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL) {
		copy(orig, tlb_pa, size);
		count_bytes(&tlb.st.bytes_out, size);
	}
	return 0;
}

int swiotlb_sync_for_device(phys_addr_t tlb_pa, size_t size, enum dma_data_direction dir)
{
	phys_addr_t orig;

	if (sync_target("swiotlb_sync_for_device", tlb_pa, size, dir, &orig))
		return -EINVAL;
	copy(tlb_pa, orig, size);
	count_bytes(&tlb.st.bytes_in, size);
	return 0;
}

bool swiotlb_find(phys_addr_t tlb_pa, struct swiotlb_mapping *m)
{
	unsigned long f = spin_lock_irqsave(&tlb_lock);
	s64 head = live_head_locked(tlb_pa);

	if (head >= 0) {
		m->start = slot_pa((u64)head);
		m->orig = tlb.slots[head].orig;
		m->size = tlb.slots[head].size;
		m->dir = (enum dma_data_direction)tlb.slots[head].dir;
	}
	spin_unlock_irqrestore(&tlb_lock, f);
	return head >= 0;
}

/* ---- statistics ----------------------------------------------------------------- */

void swiotlb_get_stats(struct swiotlb_stats *s)
{
	unsigned long f = spin_lock_irqsave(&tlb_lock);

	*s = tlb.st;
	spin_unlock_irqrestore(&tlb_lock, f);
}

void swiotlb_report(FILE *f)
{
	struct swiotlb_stats s;
	phys_addr_t base;
	u64 bytes;

	swiotlb_get_stats(&s);
	swiotlb_pool_range(&base, &bytes);
	if (!bytes) {
		fprintf(f, "software IO TLB: no pool\n");
		return;
	}
	fprintf(f, "software IO TLB: [mem 0x%016llx-0x%016llx] %llu KiB, slots of %u bytes\n", ULL(base),
		ULL(base + bytes - 1), ULL(bytes >> 10), IO_TLB_SIZE);
	fprintf(f, "%-16s%12llu\n", "io_tlb_nslabs:", ULL(s.nslabs));
	fprintf(f, "%-16s%12llu\n", "io_tlb_used:", ULL(s.used));
	fprintf(f, "%-16s%12llu\n", "io_tlb_hiwater:", ULL(s.hiwater));
	fprintf(f, "%-16s%12llu\n", "live_mappings:", ULL(s.live));
	fprintf(f, "%-16s%12llu\n", "bounced:", ULL(s.mapped));
	fprintf(f, "%-16s%12llu\n", "unmapped:", ULL(s.unmapped));
	fprintf(f, "%-16s%12llu\n", "bytes_in:", ULL(s.bytes_in));
	fprintf(f, "%-16s%12llu\n", "bytes_out:", ULL(s.bytes_out));
	fprintf(f, "%-16s%12llu\n", "fail_full:", ULL(s.fail_full));
	fprintf(f, "%-16s%12llu\n", "fail_size:", ULL(s.fail_size));
	fprintf(f, "%-16s%12llu\n", "bad_calls:", ULL(s.bad_calls));
}
