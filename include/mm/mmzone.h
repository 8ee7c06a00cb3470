/*
 * Zones, pageblocks and free areas.
 *
 * Zones follow from what the board's DMA engines reach (bus = phys -
 * offset, reach = [offset, offset + 2^bits)), intersected with RAM:
 *
 *   RAM:   |<-------------------------------- all RAM ------------------------------->|
 *          |<- ZONE_DMA: what the narrowest ->|<- ZONE_DMA32: what a  ->|<- NORMAL ->|<- HIGHMEM ->|
 *          |   engine reaches                 |   32-bit engine reaches |  the rest  | above the   |
 *          |                                  |                         |  of lowmem | linear map  |
 *                          [== CMA region: pageblocks of MIGRATE_CMA ==]
 *
 * A pageblock (PAGEBLOCK_ORDER, 2 MiB) is the unit of mobility grouping:
 * each has one migratetype, and free pages sit on the free list of their
 * pageblock's type. Unmovable allocations that must fall back steal whole
 * pageblocks when they take a large block, so movable and unmovable
 * memory mix no more than needed. CMA pageblocks keep their type; only
 * movable allocations (and cma_alloc) may take their pages.
 *
 * Locking: zone->lock (IRQs masked) protects free_area, the pageblock
 * types and the counters; the per-CPU lists and zone->stats are touched
 * with IRQs masked on their own CPU (stats become per-CPU with SMP).
 * Lock order: zone->lock is a leaf.
 */
#ifndef MM_MMZONE_H
#define MM_MMZONE_H

#include <lib/list.h>
#include <lib/spinlock.h>
#include <mm/gfp.h>
#include <mm/page.h>

#define NR_ORDERS 11 /* orders 0..10: 4 KiB .. 4 MiB */
#define MAX_ORDER (NR_ORDERS - 1)
#define PAGEBLOCK_ORDER 9
#define PAGEBLOCK_PAGES (1ULL << PAGEBLOCK_ORDER)

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES, /* types with per-CPU lists are below this */
	MIGRATE_CMA = MIGRATE_PCPTYPES,
	MIGRATE_ISOLATE, /* taken out of use (cma_alloc in progress) */
	MIGRATE_TYPES
};

/* ZONE_HIGHMEM: RAM above the linear map (include/mm/highmem.h); empty
 * unless the platform's LINEAR_MAP_SIZE or highmem= leaves RAM out. */
enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_HIGHMEM, MAX_NR_ZONES };

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	u64 nr_free; /* blocks of this order, all types */
};

/*
 * Per-CPU page cache for orders 0..PAGE_ALLOC_COSTLY_ORDER (mm/pcp.c): the
 * allocator's fast path. One list per order and per-CPU migratetype; one
 * policy in pages for all of them: count (pages on every list) never stays
 * above PCP_HIGH, and a refill or drain moves about PCP_BATCH pages
 * (PCP_BATCH >> order blocks, at least one).
 */
#define PAGE_ALLOC_COSTLY_ORDER 3
#define NR_PCP_ORDERS (PAGE_ALLOC_COSTLY_ORDER + 1)
#define NR_PCP_LISTS (NR_PCP_ORDERS * MIGRATE_PCPTYPES)
#define PCP_HIGH 96  /* drain to the buddy above this many pages */
#define PCP_BATCH 32 /* refill/drain this many pages at a time */
struct per_cpu_pages {
	u32 count; /* pages (not blocks) on all the lists */
	struct list_head lists[NR_PCP_LISTS]; /* [order * MIGRATE_PCPTYPES + migratetype] */
};

struct zone_stats {
	u64 alloc_success[NR_ORDERS];
	u64 alloc_fail;
	u64 fallback_steal;  /* allocations served from another migratetype */
	u64 pageblock_claim; /* pageblocks whose type changed by stealing */
	u64 pcp_refill, pcp_drain;
	u64 poison_errors;
};

struct zone {
	const char *name;
	spinlock_t lock;
	u64 start_pfn, end_pfn;   /* [start, end) */
	u64 present_pages;        /* RAM frames inside the span */
	u64 managed_pages;        /* frames given to the buddy allocator */
	u64 cma_pages;            /* of them, in MIGRATE_CMA pageblocks */
	u64 nr_free;              /* free frames on the buddy lists (not per-CPU, not isolated) */
	u64 nr_free_cma;          /* free frames in CMA pageblocks (buddy lists) */
	u64 watermark[NR_WMARK];
	u64 lowmem_reserve[MAX_NR_ZONES]; /* kept back from allocations whose highest zone is [i] */
	struct free_area free_area[NR_ORDERS];
	struct per_cpu_pages pcp;
	u8 *pageblock_type;       /* one byte per pageblock of the span */
	struct zone_stats stats;
	/* compaction's deferral after failures (mm/compaction.c, Linux's fields) */
	u32 compact_considered;   /* attempts skipped since the last failure */
	u32 compact_defer_shift;  /* skip up to 1 << this many attempts */
	int compact_order_failed; /* lowest order that failed; smaller ones are tried */
};

extern struct zone zones[MAX_NR_ZONES];
extern const char *const migratetype_names[MIGRATE_TYPES];

static inline bool zone_populated(const struct zone *z) { return z->managed_pages != 0; }
/* Zones the reports show: HighMem only when some RAM is highmem (Linux's
 * CONFIG_HIGHMEM is a build choice; here the boot makes it). */
static inline int nr_zone_types(void)
{
	return zones[ZONE_HIGHMEM].end_pfn > zones[ZONE_HIGHMEM].start_pfn ? MAX_NR_ZONES : ZONE_HIGHMEM;
}
static inline struct zone *page_zone(const struct page *p) { return &zones[p->zone]; }

/* Migratetype of the pageblock holding pfn (zone lock for a stable answer). */
int pageblock_migratetype(const struct zone *z, u64 pfn);

#endif
