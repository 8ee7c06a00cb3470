/*
 * The page allocator: buddy free lists per zone and migratetype,
 * per-CPU lists for orders 0..PAGE_ALLOC_COSTLY_ORDER (mm/pcp.c),
 * watermarks, and a slow path with hooks for reclaim (kswapd wake-up,
 * direct reclaim) that later issues fill in.
 *
 * Contract: alloc_pages() returns the head struct page of 2^order
 * physically contiguous frames (refcount 1), or NULL; it never sleeps
 * today (reclaim hooks run in the caller's context). free_pages() takes
 * the head and the same order. Any context (IRQ-safe: zone lock masks
 * interrupts). Errors: NULL and an allocation-failure report unless
 * __GFP_NOWARN.
 */
#ifndef MM_PAGE_ALLOC_H
#define MM_PAGE_ALLOC_H

#include <mm/mmzone.h>

struct page *alloc_pages(gfp_t gfp, unsigned order);
void free_pages(struct page *page, unsigned order);

static inline struct page *alloc_page(gfp_t gfp) { return alloc_pages(gfp, 0); }
static inline void free_page(struct page *p) { free_pages(p, 0); }

/* The smallest order whose block holds size bytes (0 for size <= 4 KiB). */
static inline unsigned get_order(u64 size)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* Kernel VA (linear map) of a page, and back. */
void *page_address(const struct page *p);
struct page *virt_to_page(const void *va);

/* Convenience: allocate/free by kernel address. Returns NULL / ignores NULL. */
void *get_free_pages(gfp_t gfp, unsigned order);
void put_free_pages(void *addr, unsigned order);

/* The zone a gfp mask asks for (its highest allowed zone), or -1 if the
 * combination is invalid (__GFP_DMA | __GFP_DMA32). */
int gfp_zone(gfp_t gfp);
/* The free lists a gfp mask allocates from. */
int gfp_migratetype(gfp_t gfp);

/* Free frames in all zones, and in CMA pageblocks. */
u64 nr_free_pages(void);
u64 nr_free_cma_pages(void);
u64 nr_managed_pages(void);

/* Return this CPU's per-CPU lists' blocks to the buddy lists, every zone and
 * order (reclaim, compaction, CMA, reports, tests); IRQs masked inside. */
void drain_pcp_pages(void);

/*
 * Hooks for reclaim (issue "LRU reclaim"): wake background reclaim when
 * a zone drops below its low watermark; direct reclaim returns the number
 * of pages freed. NULL until reclaim exists.
 */
struct reclaim_hooks {
	void (*wake_kswapd)(struct zone *z, unsigned order);
	u64 (*direct_reclaim)(gfp_t gfp, unsigned order);
	bool (*out_of_memory)(gfp_t gfp, unsigned order); /* true: retry */
	/* every per-CPU list refill (about one in PCP_BATCH pages allocated),
	 * task context, no lock held: a look whether memory is getting low
	 * (the low-memory killer); NULL: none */
	void (*low_memory)(void);
	/* direct compaction of a failed allocation of order > 0 (mm/compaction.c);
	 * true if a block of that order may be free now; NULL: none */
	bool (*compact)(gfp_t gfp, unsigned order);
};
extern struct reclaim_hooks reclaim_hooks;

/* Runtime hardening switches (from board.cfg at boot; tests flip them). */
struct page_alloc_debug {
	bool poison;       /* fill freed pages, check on allocation */
	bool init_on_free; /* zero freed pages */
};
extern struct page_alloc_debug page_alloc_debug;

/* Either switch on: one load on the free fast path (both bytes at once). */
static inline bool page_alloc_debug_on(void)
{
	u16 both;

	_Static_assert(sizeof(struct page_alloc_debug) == sizeof(u16), "two bools");
	__builtin_memcpy(&both, &page_alloc_debug, sizeof(both));
	return both != 0;
}
#define PAGE_POISON 0xaa

#endif
