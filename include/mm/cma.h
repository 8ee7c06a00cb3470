/*
 * Contiguous Memory Allocator: the CMA region's pageblocks lend their
 * pages to movable allocations while nobody needs them contiguously;
 * cma_alloc() takes a physically contiguous, aligned range back.
 *
 * Until page migration exists (apps work), a range whose pages are in use
 * (borrowed by a movable allocation) cannot be taken: cma_alloc() fails
 * cleanly, prints why, and leaves everything as it was.
 *
 * Locking: the zone lock of the CMA zone. Errors: NULL (+ a reason on
 * the console unless quiet).
 */
#ifndef MM_CMA_H
#define MM_CMA_H

#include <mm/page.h>

/* Allocate count contiguous frames from CMA, the first aligned to
 * 2^align_order frames. Returns the first page (each page refcount 1). */
struct page *cma_alloc(u64 count, unsigned align_order);
/* Give back what cma_alloc() returned. Returns false (and reports) if
 * the range did not come from cma_alloc. */
bool cma_release(struct page *first, u64 count);

struct cma_stats {
	u64 allocs, alloc_pages, releases, fail_busy, fail_nospace;
};
extern struct cma_stats cma_stats;

#endif
