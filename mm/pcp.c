/*
 * Per-CPU page lists for orders 0..PAGE_ALLOC_COSTLY_ORDER: the slow half
 * (refill from and drain to the buddy lists). mm/internal.h holds the
 * counting convention, the locking rule and the inline pop/push that the
 * allocator's fast path uses.
 *
 * Locking: a CPU's lists with IRQs masked on it; zone->lock inside that
 * for every buddy-list change. One CPU today: "this CPU's lists" is
 * zone->pcp; with SMP each CPU would drain its own (drain_pcp_pages on
 * every CPU, as Linux's drain_all_pages does).
 */
#include <arch/irqflags.h>
#include <mm/page_alloc.h>
#include "internal.h"

static void pcp_drain_locked(struct zone *z, u64 pages);

u64 pcp_refill(struct zone *z, unsigned order, int mt, unsigned alloc_flags, u64 headroom)
{
	struct list_head *l = pcp_list(z, order, mt);
	u64 n = MIN(pcp_batch_blocks(order), (headroom + (1ULL << order) - 1) >> order), i;
	unsigned long f = spin_lock_irqsave(&z->lock);

	/* count stays at most PCP_HIGH: the other lists make room for one block */
	if (z->pcp.count + (1u << order) > PCP_HIGH)
		pcp_drain_locked(z, PCP_BATCH);
	n = MIN(n, (u64)(PCP_HIGH - z->pcp.count) >> order);
	/* whole free blocks, smallest first (fragments go first, as block by
	 * block), each cut up here into blocks of order, instead of one split
	 * per block; a bigger block is split only down to what is still
	 * missing. No pageblock is stolen here: what is left comes block by
	 * block below, with rmqueue_locked's fallback. */
	for (i = 0; i < n;) {
		unsigned got, hi = order + (unsigned)(63 - __builtin_clzll(n - i)); /* largest power of two left */
		struct page *p = rmqueue_bulk_locked(z, order, MIN(hi, NR_ORDERS - 1u), mt, alloc_flags, &got);

		if (!p)
			break;
		for (u64 k = 0; k < 1ULL << (got - order); k++, i++) {
			struct page *b = p + (k << order);

			b->order = (u8)order;
			b->flags |= 1u << PG_pcp;
			list_add_tail(&b->lru, l);
			z->pcp.count += 1u << order;
		}
	}
	for (; i < n; i++) {
		struct page *p = rmqueue_locked(z, order, mt, alloc_flags);

		if (!p)
			break;
		p->order = (u8)order;
		p->flags |= 1u << PG_pcp;
		list_add_tail(&p->lru, l);
		z->pcp.count += 1u << order;
	}
	z->stats.pcp_refill++;
	spin_unlock_irqrestore(&z->lock, f);
	return i;
}

/* Zone lock held: unlist a block and give it to the buddy lists of its pageblock's type now. */
static void pcp_free_block_locked(struct zone *z, struct page *p)
{
	unsigned order = p->order;

	list_del(&p->lru);
	p->flags &= ~(1u << PG_pcp);
	z->pcp.count -= 1u << order;
	free_block_locked(z, p, order, pageblock_migratetype(z, page_to_pfn(p)));
}

/* Zone lock held: pcp_drain()'s work, one block of each non-empty list in turn. */
static void pcp_drain_locked(struct zone *z, u64 pages)
{
	u32 nonempty = 0; /* bit i: lists[i] has blocks */
	u64 freed = 0;

	_Static_assert(NR_PCP_LISTS <= 32, "one bit per list");
	for (unsigned i = 0; i < NR_PCP_LISTS; i++)
		if (!list_empty(&z->pcp.lists[i]))
			nonempty |= 1u << i;
	while (freed < pages && nonempty) {
		for (u32 m = nonempty; m && freed < pages; m &= m - 1) {
			unsigned i = (unsigned)__builtin_ctz(m);
			struct list_head *l = &z->pcp.lists[i];
			struct page *p = list_entry(l->prev, struct page, lru); /* coldest */

			freed += 1ULL << p->order;
			pcp_free_block_locked(z, p);
			if (list_empty(l))
				nonempty &= ~(1u << i);
		}
	}
	z->stats.pcp_drain++;
}

void pcp_drain(struct zone *z, u64 pages)
{
	unsigned long f = spin_lock_irqsave(&z->lock);

	pcp_drain_locked(z, pages);
	spin_unlock_irqrestore(&z->lock, f);
}

void pcp_drain_range_locked(struct zone *z, u64 start_pfn, u64 end_pfn)
{
	start_pfn = ALIGN_DOWN(start_pfn, PAGEBLOCK_PAGES);
	end_pfn = ALIGN_UP(end_pfn, PAGEBLOCK_PAGES);
	for (unsigned i = 0; z->pcp.count && i < NR_PCP_LISTS; i++) {
		struct page *p, *n;

		list_for_each_entry_safe(p, n, &z->pcp.lists[i], lru) {
			u64 pfn = page_to_pfn(p);

			if (pfn >= start_pfn && pfn < end_pfn)
				pcp_free_block_locked(z, p);
		}
	}
}

void drain_pcp_pages(void)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		unsigned long f = arch_irq_save();

		if (zones[i].pcp.count)
			pcp_drain(&zones[i], zones[i].pcp.count);
		arch_irq_restore(f);
	}
}
