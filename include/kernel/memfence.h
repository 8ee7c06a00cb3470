/*
 * A memory fence (kernel/memfence.c): take free memory away from the apps
 * so that "more than RAM" is small and fast to reach on any machine. The
 * on-target reclaim tests, the swap soak and the `make run` demo use it.
 */
#ifndef KERNEL_MEMFENCE_H
#define KERNEL_MEMFENCE_H

#include <types.h>

struct page;

/* Blocks taken, chained through page->private (each block's order in
 * page->index while it is held). */
struct memfence {
	struct page *chain;
	u64 pages;  /* held */
	u64 given;  /* given back by memfence_up: what the apps can have */
};

/* Take every page a movable allocation can get without reclaiming (and
 * without waking kswapd), then give back at least keep pages outside the
 * CMA region, in the highest zone: afterwards f->given (>= keep unless
 * memory is short) pages above that zone's min watermark are left for apps
 * and the kernel. MemAvailable may count more (free pages of lower zones
 * behind their lowmem reserve), which user allocations cannot reach. */
void memfence_up(struct memfence *f, u64 keep);
/* The same, but what is given back is the largest blocks (order 10, 4 MiB,
 * where there are any), not the smallest: memory the apps can have comes
 * in whole pageblocks, which compaction tests need. */
void memfence_up_contig(struct memfence *f, u64 keep);
/* Hold block p of order on f's chain / take the last one held back
 * (NULL when none is): for fences built another way (test/target/cma_fill.c). */
void memfence_push(struct memfence *f, struct page *p, unsigned order);
struct page *memfence_pop(struct memfence *f, unsigned *order);
/* Give every page back. */
void memfence_down(struct memfence *f);

#endif
