/*
 * Physical memory bring-up: zones from the DMA engines, the CMA region,
 * the page array, watermarks, and the hand-over of free memory from
 * memblock to the buddy allocator.
 *
 * Order matters: CMA is reserved in memblock first (so nothing else lands
 * in it), then the page array and the pageblock maps are carved out, then
 * every remaining free range and the CMA region go to the buddy lists.
 */
#include <arch/phys.h>
#include <errno.h>
#include <mm/highmem.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct zone zones[MAX_NR_ZONES];
struct page *mem_map;
u64 mem_map_base_pfn, mem_map_nr;
struct linear_pages linear_pages;
phys_addr_t cma_base;
u64 cma_size;

static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "HighMem" };
static const unsigned lowmem_reserve_ratio[MAX_NR_ZONES] = { 256, 256, 32, 1 }; /* Linux's; HighMem has no zone above it */

_Static_assert(sizeof(struct page) <= PAGE_ARRAY_BYTES_PER_PAGE, "struct page outgrew its boot budget");

void dma_engine_reach(const struct mm_dma_engine *e, phys_addr_t *lo, phys_addr_t *hi)
{
	u64 span = e->addr_bits >= 64 ? ~0ULL : (1ULL << e->addr_bits);

	*lo = e->bus_offset;
	*hi = e->bus_offset + span < e->bus_offset ? ~0ULL : e->bus_offset + span;
}

static void ram_span(phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_type *m = &memblock.memory;

	*start = m->r[0].base;
	*end = m->r[m->cnt - 1].base + m->r[m->cnt - 1].size;
}

/*
 * Zone limits: DMA ends where the narrowest engine stops reaching, DMA32
 * where the widest engine of at most 32 bits stops, Normal at the end of
 * RAM (mm_init then ends all three at the end of lowmem). Every engine must reach the start of RAM (zones are address
 * prefixes) and some RAM at all.
 */
static int zone_limits(const struct mm_board *b, phys_addr_t ram_start, phys_addr_t ram_end,
		       phys_addr_t limit[MAX_NR_ZONES])
{
	phys_addr_t dma = ram_end, dma32 = ram_start;

	if (!b->nr_engines) {
		limit[ZONE_DMA] = limit[ZONE_DMA32] = ram_start;
		limit[ZONE_NORMAL] = ram_end;
		return 0;
	}
	for (unsigned i = 0; i < b->nr_engines; i++) {
		const struct mm_dma_engine *e = &b->engines[i];
		phys_addr_t lo, hi;

		dma_engine_reach(e, &lo, &hi);
		if (hi <= ram_start || lo >= ram_end) {
			printf("mm: DMA engine %s (%u-bit, bus offset %#llx) reaches [%#llx-%#llx), which holds no RAM"
			       " (RAM is [%#llx-%#llx))\n", e->name, e->addr_bits, (unsigned long long)e->bus_offset,
			       (unsigned long long)lo, (unsigned long long)hi, (unsigned long long)ram_start,
			       (unsigned long long)ram_end);
			return -EINVAL;
		}
		if (lo > ram_start) {
			printf("mm: DMA engine %s reaches RAM only from %#llx, above its start %#llx: zones are address"
			       " prefixes, so an engine must reach the first RAM frame (check DMA%u_BUS_OFFSET)\n",
			       e->name, (unsigned long long)lo, (unsigned long long)ram_start, i);
			return -EINVAL;
		}
		hi = MIN(hi, ram_end);
		dma = MIN(dma, hi);
		if (e->addr_bits <= 32)
			dma32 = MAX(dma32, hi);
	}
	limit[ZONE_DMA] = ALIGN_DOWN(dma, SZ_4K);
	limit[ZONE_DMA32] = MAX(ALIGN_DOWN(dma32, SZ_4K), limit[ZONE_DMA]);
	limit[ZONE_NORMAL] = ram_end;
	return 0;
}

/* The largest free range inside [lo, hi) at the given alignment (for the CMA report). */
struct cma_fit {
	phys_addr_t lo, hi;
	u64 align, best;
};

static void cma_fit_range(void *arg, phys_addr_t base, u64 size)
{
	struct cma_fit *f = arg;
	phys_addr_t s = ALIGN_UP(MAX(base, f->lo), f->align), e = ALIGN_DOWN(MIN(base + size, f->hi), f->align);

	if (e > s)
		f->best = MAX(f->best, e - s);
}

/* Choose and reserve the CMA region inside what every CMA-using engine reaches, in one zone. */
static int place_cma(const struct mm_board *b, const phys_addr_t limit[MAX_NR_ZONES], phys_addr_t ram_start)
{
	phys_addr_t lo = ram_start, hi = limit[ZONE_NORMAL];
	const char *who = "any engine";

	cma_base = cma_size = 0;
	if (!b->cma_bytes)
		return 0;
	for (unsigned i = 0; i < b->nr_engines; i++) {
		phys_addr_t elo, ehi;

		if (!b->engines[i].uses_cma)
			continue;
		dma_engine_reach(&b->engines[i], &elo, &ehi);
		lo = MAX(lo, elo);
		hi = MIN(hi, ehi);
		who = b->engines[i].name;
	}
	/* keep it inside the zone that holds the top of the window */
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		phys_addr_t zlo = z ? limit[z - 1] : ram_start;

		if (hi > zlo && hi <= limit[z])
			lo = MAX(lo, zlo);
	}
	/* MAX_ORDER alignment: no free block ever straddles the region's edges */
	cma_base = memblock_alloc_range(ALIGN_UP(b->cma_bytes, MAX_ORDER_PAGES * SZ_4K),
					 MAX(b->cma_align, MAX_ORDER_PAGES * SZ_4K), lo, hi, "cma");
	if (!cma_base) {
		struct cma_fit fit = { lo, hi, MAX(b->cma_align, MAX_ORDER_PAGES * SZ_4K), 0 };

		memblock_for_each_free(cma_fit_range, &fit);
		printf("mm: cannot place %llu MiB of CMA (aligned %llu KiB) inside [%#llx-%#llx), reachable by %s\n"
		       "mm: CONFIG_CMA_SIZE_MB=%llu is too large: at most %llu MiB fits there (the largest free,\n"
		       "mm: aligned range); lower CONFIG_CMA_SIZE_MB, or give CMA to a wider engine (CONFIG_DMA<n>_USES_CMA)\n",
		       (unsigned long long)(b->cma_bytes >> 20), (unsigned long long)(b->cma_align >> 10),
		       (unsigned long long)lo, (unsigned long long)hi, who, (unsigned long long)(b->cma_bytes >> 20),
		       (unsigned long long)(fit.best >> 20));
		return -ENOMEM;
	}
	cma_size = ALIGN_UP(b->cma_bytes, MAX_ORDER_PAGES * SZ_4K);
	return 0;
}

static void init_zone(struct zone *z, int idx, phys_addr_t start, phys_addr_t end)
{
	z->name = zone_names[idx];
	z->start_pfn = phys_to_pfn(start);
	z->end_pfn = phys_to_pfn(end);
	for (unsigned o = 0; o < NR_ORDERS; o++)
		for (unsigned t = 0; t < MIGRATE_TYPES; t++)
			INIT_LIST_HEAD(&z->free_area[o].free_list[t]);
	for (unsigned t = 0; t < NR_PCP_LISTS; t++)
		INIT_LIST_HEAD(&z->pcp.lists[t]);
}

/* Pageblock type maps: one byte per pageblock, movable by default, CMA where CMA is. */
static int init_pageblocks(struct zone *z)
{
	u64 first = z->start_pfn >> PAGEBLOCK_ORDER;
	u64 n = ((z->end_pfn + PAGEBLOCK_PAGES - 1) >> PAGEBLOCK_ORDER) - first;
	phys_addr_t pa = memblock_alloc(ALIGN_UP(n, 8), 8, "pageblock types");

	if (!pa)
		return -ENOMEM;
	z->pageblock_type = phys_to_virt(pa);
	for (u64 i = 0; i < n; i++) {
		phys_addr_t blk = pfn_to_phys((first + i) << PAGEBLOCK_ORDER);
		bool in_cma = cma_size && blk >= cma_base && blk < cma_base + cma_size;

		z->pageblock_type[i] = in_cma ? MIGRATE_CMA : MIGRATE_MOVABLE;
	}
	return 0;
}

static int zone_of_pfn(u64 pfn)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (pfn < zones[z].end_pfn)
			return z;
	return MAX_NR_ZONES - 1;
}

static int init_mem_map(phys_addr_t ram_start, phys_addr_t ram_end)
{
	u64 n = phys_to_pfn(ram_end) - phys_to_pfn(ram_start);
	phys_addr_t pa = memblock_alloc(n * sizeof(struct page), SZ_4K, "page array");

	if (!pa)
		return -ENOMEM;
	mem_map = phys_to_virt(pa);
	mem_map_base_pfn = phys_to_pfn(ram_start);
	mem_map_nr = n;
	linear_pages.pfn0 = (uintptr_t)phys_to_virt(ram_start) >> PAGE_SHIFT;
	linear_pages.nr = (uintptr_t)((MIN(ram_end, MAX(memblock_lowmem_end(), ram_start)) - ram_start) >> PAGE_SHIFT);
	linear_pages.map = mem_map;
	for (u64 i = 0; i < n; i++) {
		struct page *p = &mem_map[i];

		memset(p, 0, sizeof(*p));
		p->flags = 1u << PG_reserved;
		p->zone = (u8)zone_of_pfn(mem_map_base_pfn + i);
		INIT_LIST_HEAD(&p->lru);
	}
	printf("mm: page array: %llu frames x %u bytes = %llu KiB (%llu.%02llu%% of RAM)\n",
	       (unsigned long long)n, (unsigned)sizeof(struct page),
	       (unsigned long long)(n * sizeof(struct page) >> 10),
	       (unsigned long long)(sizeof(struct page) * 100 / PAGE_SIZE),
	       (unsigned long long)(sizeof(struct page) * 10000 / PAGE_SIZE % 100));
	return 0;
}

/* Give [start, end) to the buddy allocator in the largest aligned blocks that stay in one zone. */
static void free_range(phys_addr_t start, phys_addr_t end)
{
	u64 pfn = phys_to_pfn(ALIGN_UP(start, SZ_4K)), last = phys_to_pfn(ALIGN_DOWN(end, SZ_4K));

	while (pfn < last) {
		struct zone *z = &zones[zone_of_pfn(pfn)];
		unsigned order = MAX_ORDER;

		while (order && ((pfn & ((1ULL << order) - 1)) || pfn + (1ULL << order) > MIN(last, z->end_pfn)))
			order--;
		for (u64 i = 0; i < (1ULL << order); i++)
			page_clear_flag(pfn_to_page(pfn + i), PG_reserved);
		z->managed_pages += 1ULL << order;
		free_pages_to_buddy(pfn_to_page(pfn), order);
		pfn += 1ULL << order;
	}
}

static void free_range_cb(void *arg, phys_addr_t base, u64 size)
{
	(void)arg;
	free_range(base, base + size);
}

static u64 min_free_kb; /* vm.min_free_kbytes now */

static u64 managed_total(void)
{
	u64 total = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		total += zones[i].managed_pages;
	return total;
}

/* Watermarks from min_free_kbytes, split by the size of the lowmem zones;
 * HighMem gets Linux's small fixed min (managed/1024 clamped to 32..128
 * pages: atomic allocations never use it, so its reserve is for reclaim
 * only). Lowmem reserves protect low zones. Each zone's are written
 * under its lock. */
static void setup_watermarks(u64 min_free_kbytes)
{
	u64 total = managed_total() - zones[ZONE_HIGHMEM].managed_pages, min_pages = min_free_kbytes / 4;

	min_free_kb = min_free_kbytes;
	for (int i = 0; i < MAX_NR_ZONES && total; i++) {
		struct zone *z = &zones[i];
		u64 min = i == ZONE_HIGHMEM ? !z->managed_pages ? 0 : MIN(MAX(z->managed_pages / 1024, 32ULL), 128ULL)
					    : min_pages * z->managed_pages / total;
		u64 gap = MAX(min / 4, z->managed_pages / 1000); /* watermark_scale_factor = 10 */
		unsigned long fl = spin_lock_irqsave(&z->lock);

		z->watermark[WMARK_MIN] = min;
		z->watermark[WMARK_LOW] = min + gap;
		z->watermark[WMARK_HIGH] = min + 2 * gap;
		for (int j = i + 1; j < MAX_NR_ZONES; j++) {
			u64 above = 0;

			for (int k = i + 1; k <= j; k++)
				above += zones[k].managed_pages;
			/* highmem-capable allocations leave the kernel's lowmem as
			 * Linux's 32-bit ZONE_NORMAL does (ratio 32), whichever
			 * lowmem zone holds it here */
			bool high = j == ZONE_HIGHMEM && zones[ZONE_HIGHMEM].managed_pages;

			z->lowmem_reserve[j] = above / (high ? MIN(lowmem_reserve_ratio[i], 32u) : lowmem_reserve_ratio[i]);
		}
		spin_unlock_irqrestore(&z->lock, fl);
	}
}

u64 get_min_free_kbytes(void) { return min_free_kb; }

int set_min_free_kbytes(long kb)
{
	if (kb < 0 || (u64)kb > managed_total() * (PAGE_SIZE / 1024) / 2)
		return -EINVAL;
	setup_watermarks((u64)kb);
	return 0;
}

static void print_zones(phys_addr_t ram_start)
{
	printf("Zone ranges:\n");
	for (int i = 0; i < nr_zone_types(); i++) {
		const struct zone *z = &zones[i];

		if (z->end_pfn > z->start_pfn)
			printf("  %-8s [mem %#018llx-%#018llx]\n", z->name, (unsigned long long)pfn_to_phys(z->start_pfn),
			       (unsigned long long)pfn_to_phys(z->end_pfn) - 1);
		else
			printf("  %-8s empty\n", z->name);
	}
	printf("Early memory node ranges\n");
	for (unsigned i = 0; i < memblock.memory.cnt; i++)
		printf("  node   0: [mem %#018llx-%#018llx]\n", (unsigned long long)memblock.memory.r[i].base,
		       (unsigned long long)(memblock.memory.r[i].base + memblock.memory.r[i].size - 1));
	(void)ram_start;
	if (cma_size)
		printf("cma: Reserved %llu MiB at %#018llx (pageblocks of MIGRATE_CMA in zone %s)\n",
		       (unsigned long long)(cma_size >> 20), (unsigned long long)cma_base,
		       zones[zone_of_pfn(phys_to_pfn(cma_base))].name);
}

int mm_init(const struct mm_board *b)
{
	phys_addr_t ram_start, ram_end, limit[MAX_NR_ZONES];
	int rc;

	memset(zones, 0, sizeof(zones));
	highmem_init();
	page_alloc_debug.poison = b->page_poisoning;
	page_alloc_debug.init_on_free = b->init_on_free;
	if (!memblock.memory.cnt)
		return -ENODEV;
	ram_span(&ram_start, &ram_end);
	if ((rc = zone_limits(b, ram_start, ram_end, limit)))
		return rc;
	/* the DMA zones and Normal stay in lowmem; HighMem is the rest */
	for (int i = 0; i < ZONE_HIGHMEM; i++)
		limit[i] = MIN(limit[i], memblock_lowmem_end());
	limit[ZONE_HIGHMEM] = ram_end;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		init_zone(&zones[i], i, i ? limit[i - 1] : ram_start, limit[i]);
	if ((rc = place_cma(b, limit, ram_start)))
		return rc;
	if ((rc = init_mem_map(ram_start, ram_end)))
		return rc;
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		for (unsigned r = 0; r < memblock.memory.cnt; r++) {
			u64 s = MAX(phys_to_pfn(memblock.memory.r[r].base), zones[i].start_pfn);
			u64 e = MIN(phys_to_pfn(memblock.memory.r[r].base + memblock.memory.r[r].size), zones[i].end_pfn);

			zones[i].present_pages += e > s ? e - s : 0;
		}
		if (zones[i].end_pfn > zones[i].start_pfn && (rc = init_pageblocks(&zones[i])))
			return rc;
	}
	print_zones(ram_start);
	memblock_retire();
	memblock_for_each_free(free_range_cb, NULL);
	if (cma_size) {
		free_range(cma_base, cma_base + cma_size);
		zones[zone_of_pfn(phys_to_pfn(cma_base))].cma_pages += cma_size / SZ_4K;
	}
	setup_watermarks(b->min_free_kbytes);
	return 0;
}
