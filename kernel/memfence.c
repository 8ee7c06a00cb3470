/*
 * The memory fence (include/kernel/memfence.h). Blocks are taken largest
 * first, so that fencing off gigabytes takes a few thousand allocations,
 * and the smallest blocks, on top of the chain, are the ones given back -
 * except blocks of the CMA region, which stay fenced: only movable pages
 * may use them, so memory given back there would feed the apps but starve
 * the kernel's own allocations for them (page tables, zram's object store).
 */
#include <kernel/memfence.h>
#include <mm/mmzone.h>
#include <mm/page_alloc.h>

static bool in_cma(struct page *p)
{
	return pageblock_migratetype(page_zone(p), page_to_pfn(p)) == MIGRATE_CMA;
}

static void push(struct memfence *f, struct page *p, unsigned order)
{
	p->private = (uintptr_t)f->chain;
	p->index = order;
	f->chain = p;
	f->pages += 1ull << order;
}

static struct page *pop(struct memfence *f, unsigned *order)
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

void memfence_up(struct memfence *f, u64 keep)
{
	const gfp_t gfp = __GFP_MOVABLE | __GFP_NOWARN; /* neither direct reclaim nor kswapd */
	struct memfence cma = { 0 };
	u64 back = 0;
	unsigned order;
	struct page *p;

	*f = (struct memfence){ 0 };
	for (int o = MAX_ORDER; o >= 0; o--)
		while ((p = alloc_pages(gfp, (unsigned)o)))
			push(in_cma(p) ? &cma : f, p, (unsigned)o);
	while (back < keep && (p = pop(f, &order))) {
		free_pages(p, order);
		back += 1ull << order;
	}
	while ((p = pop(&cma, &order))) /* under the rest: given back last by memfence_down */
		push(f, p, order);
}

void memfence_down(struct memfence *f)
{
	unsigned order;
	struct page *p;

	while ((p = pop(f, &order)))
		free_pages(p, order);
}
