/*
 * The CMA region filled with app pages, on any board (test/target/cma_fill.c),
 * for the cma suite and make bench's cma_alloc figure.
 */
#ifndef TEST_TARGET_CMA_FILL_H
#define TEST_TARGET_CMA_FILL_H

#include <kernel/memfence.h>
#include <types.h>

/* Unmovable blocks held outside CMA (a memfence chain). */
struct cma_fence {
	struct memfence held; /* held.given: given back in unmovable pageblocks of CMA's zone */
	u64 fill;             /* pages the apps should fault in to use all of CMA */
};

/*
 * Take every page outside CMA that unmovable allocations reach (they never
 * take CMA; each zone down to its min watermark, without reclaim), then give
 * back, in CMA's zone and only in unmovable or reclaimable pageblocks, the
 * zone's high watermark plus its reserve against the highest zone plus
 * spare pages. Movable faults then use CMA before those pages (the
 * allocator steals from other types only when the movable and CMA lists are
 * empty), the watermarks still count them, and the apps' page tables come
 * from them, so apps that fault in f->fill pages use the whole region with
 * no reclaim and no OOM kill. false (f holds nothing) with the reason
 * printed if the zone lacks unmovable pageblocks for that.
 */
bool cma_fence_up(struct cma_fence *f, u64 spare);
/* Give every page back. */
void cma_fence_down(struct cma_fence *f);
/* Free pages of the CMA region (per-CPU lists drained first). */
u64 cma_free_pages(void);

#endif
