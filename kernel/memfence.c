/*
 * The memory fence (include/kernel/memfence.h). Blocks are taken largest
 * first, so that fencing off gigabytes takes a few thousand allocations,
 * and the smallest blocks are the ones given back - only blocks of the
 * highest zone the allocations reached, outside the CMA region: memory
 * given back in a lower zone sits behind that zone's lowmem reserve, and
 * in CMA pageblocks it feeds only movable pages, so either would let the
 * apps run but starve the kernel's own allocations for them (page tables,
 * zram's object store) long before reclaim could help.
 *
 * With highmem the fence takes it too (__GFP_HIGHMEM) and the top zone is
 * HighMem: the apps' pages come from what is given back there, and the
 * kernel, which never gets a highmem page, gets a quarter as much of the
 * highest lowmem zone on top (f->given counts the highmem part only).
 */
#include <kernel/memfence.h>
#include <mm/mmzone.h>
#include <mm/page_alloc.h>

static bool in_cma(struct page *p)
{
	return pageblock_migratetype(page_zone(p), page_to_pfn(p)) == MIGRATE_CMA;
}

void memfence_push(struct memfence *f, struct page *p, unsigned order)
{
	p->private = (uintptr_t)f->chain;
	p->index = order;
	f->chain = p;
	f->pages += 1ull << order;
}

struct page *memfence_pop(struct memfence *f, unsigned *order)
{
	struct page *p = f->chain;

	if (!p)
		return NULL;
	f->chain = (struct page *)p->private;
	*order = (unsigned)p->index;
	p->private = 0;
	p->index = 0;
	f->pages -= 1ull << *order;
	return p;
}

static void fence_up(struct memfence *f, u64 keep, bool largest_first)
{
	const gfp_t gfp = __GFP_HIGHMEM | __GFP_MOVABLE | __GFP_NOWARN; /* neither direct reclaim nor kswapd */
	struct memfence all = { 0 }, stay = { 0 }, low = { 0 };
	unsigned order, top = 0, top_low = 0;
	u64 back = 0, low_back = 0;
	struct page *p;

	*f = (struct memfence){ 0 };
	drain_pcp_pages(); /* pages parked on the per-CPU lists are fenced too */
	for (int o = MAX_ORDER; o >= 0; o--)
		while ((p = alloc_pages(gfp, (unsigned)o))) {
			memfence_push(&all, p, (unsigned)o);
			top = MAX(top, (unsigned)p->zone);
			if (p->zone != ZONE_HIGHMEM)
				top_low = MAX(top_low, (unsigned)p->zone);
		}

	/* smallest blocks first (the top of the chain); what may be given back
	 * goes to f in reverse (largest on top), so re-push to keep the
	 * smallest on top unless the largest go first */
	while ((p = memfence_pop(&all, &order))) {
		if (top == ZONE_HIGHMEM && p->zone == top_low && !in_cma(p))
			memfence_push(&low, p, order);
		else
			memfence_push(p->zone == top && !in_cma(p) ? f : &stay, p, order);
	}
	if (!largest_first)
		while ((p = memfence_pop(f, &order)))
			memfence_push(&all, p, order);
	while (back < keep && (p = memfence_pop(largest_first ? f : &all, &order))) {
		free_pages(p, order);
		back += 1ull << order;
	}
	f->given = back;
	while (low_back < back / 4 && (p = memfence_pop(&low, &order))) { /* smallest first */
		free_pages(p, order);
		low_back += 1ull << order;
	}
	while ((p = memfence_pop(&low, &order)))
		memfence_push(&stay, p, order);
	while ((p = memfence_pop(&stay, &order)))
		memfence_push(f, p, order);
	while ((p = memfence_pop(&all, &order)))
		memfence_push(f, p, order);
}

void memfence_up(struct memfence *f, u64 keep) { fence_up(f, keep, false); }
void memfence_up_contig(struct memfence *f, u64 keep) { fence_up(f, keep, true); }

void memfence_down(struct memfence *f)
{
	unsigned order;
	struct page *p;

	while ((p = memfence_pop(f, &order)))
		free_pages(p, order);
}
