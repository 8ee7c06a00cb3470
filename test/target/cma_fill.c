/*
 * Filling CMA with app pages (contracts in cma_fill.h). kernel/memfence.c
 * fences with movable allocations and leaves movable pages for the apps:
 * those take CMA first only while CMA holds over half the zone's free
 * memory, so the last part of the region stays free, and on a board whose
 * CMA lies below a zone the apps use first (4 GiB and more of RAM), or in
 * a zone whose watermarks and reserve exceed the region, it stays empty.
 * Here the fence is unmovable (it cannot take CMA, so the region need not
 * be held meanwhile) and what it gives back sits where movable allocations
 * look last: the order in mm/page_alloc.c's rmqueue_locked() is CMA (when
 * it holds most free memory), the movable lists, CMA, then stealing from
 * the other types.
 */
#include <mm/mm_init.h>
#include <mm/mmzone.h>
#include <mm/page_alloc.h>
#include <stdio.h>

#include "cma_fill.h"

static struct zone *cma_zone(void) { return page_zone(pfn_to_page(phys_to_pfn(cma_base))); }

static int top_zone(void)
{
	int top = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (zone_populated(&zones[i]))
			top = i;
	return top;
}

u64 cma_free_pages(void)
{
	drain_pcp_pages();
	return cma_zone()->nr_free_cma;
}

bool cma_fence_up(struct cma_fence *f, u64 spare)
{
	/* no reclaim, no kswapd; highmem first, so that movable pages can only borrow CMA */
	static const gfp_t classzones[] = { __GFP_HIGHMEM, 0, __GFP_DMA32, __GFP_DMA };
	struct memfence all = { 0 }, back = { 0 };
	struct zone *z = cma_zone();
	u64 keep = z->watermark[WMARK_HIGH] + z->lowmem_reserve[top_zone()] + spare;
	unsigned order;
	struct page *p;

	*f = (struct cma_fence){ 0 };
	drain_pcp_pages();
	for (unsigned c = 0; c < sizeof(classzones) / sizeof(classzones[0]); c++)
		for (int o = MAX_ORDER; o >= 0; o--)
			while ((p = alloc_pages(classzones[c] | __GFP_NOWARN, (unsigned)o)))
				memfence_push(&all, p, (unsigned)o);
	/* the chain has the smallest blocks on top: give those back first */
	while ((p = memfence_pop(&all, &order))) {
		int mt = pageblock_migratetype(z, page_to_pfn(p));

		if (f->held.given < keep && page_zone(p) == z && (mt == MIGRATE_UNMOVABLE || mt == MIGRATE_RECLAIMABLE)) {
			memfence_push(&back, p, order);
			f->held.given += 1ull << order;
		} else {
			memfence_push(&f->held, p, order);
		}
	}
	while ((p = memfence_pop(&back, &order)))
		free_pages(p, order);
	if (f->held.given < keep) {
		printf("# cma_fill: %llu pages of unmovable pageblocks in zone %s, %llu needed (high watermark %llu, "
		       "reserve %llu, spare %llu)\n", (unsigned long long)f->held.given, z->name, (unsigned long long)keep,
		       (unsigned long long)z->watermark[WMARK_HIGH], (unsigned long long)z->lowmem_reserve[top_zone()],
		       (unsigned long long)spare);
		cma_fence_down(f);
		return false;
	}
	drain_pcp_pages();
	f->fill = z->nr_free - f->held.given; /* CMA, and what the fence could not take in the zone */
	return true;
}

void cma_fence_down(struct cma_fence *f)
{
	memfence_down(&f->held);
}
