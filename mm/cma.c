/*
 * cma_alloc: find an aligned candidate range in the CMA region and, under
 * the zone lock (nothing can allocate or free meanwhile), check that every
 * page of the range is free; then take the free blocks of the
 * MAX_ORDER-aligned window around it, keep the range and list the rest
 * again.
 *
 *   CMA region  [  4 MiB  ][  4 MiB  ][  4 MiB  ]   (MAX_ORDER blocks)
 *   request                  [=====]                count frames, aligned
 *   window                 [  4 MiB  ]              whose free blocks are taken
 *
 * No free block crosses a MAX_ORDER boundary, so a window holds whole
 * blocks. A busy page moves the search past it; if no candidate works,
 * the call fails with the first busy page as the reason and nothing
 * changed.
 */
#include <mm/cma.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/page_debug.h>
#include <stdio.h>

#include "internal.h"

struct cma_stats cma_stats;

/* First page of [start, end) that is not free, scanning from the window start. */
static struct page *first_busy(u64 win, u64 start, u64 end)
{
	for (u64 pfn = win; pfn < end;) {
		struct page *p = pfn_to_page(pfn);

		if (PAGE_FLAG(p, PG_buddy)) {
			pfn += 1ULL << p->order;
			continue;
		}
		if (pfn >= start)
			return p;
		pfn++;
	}
	return NULL;
}

/* Zone lock held and [start, end) free: hand out the range. */
static void take_range(struct zone *z, u64 win, u64 win_end, u64 start, u64 end)
{
	struct list_head taken = LIST_HEAD_INIT(taken);
	struct page *p, *n;

	for (u64 pfn = win; pfn < win_end;) {
		p = pfn_to_page(pfn);
		if (!PAGE_FLAG(p, PG_buddy)) {
			pfn++;
			continue;
		}
		pfn += 1ULL << p->order;
		del_free_block_locked(z, p);
		list_add_tail(&p->lru, &taken);
	}
	list_for_each_entry_safe(p, n, &taken, lru) {
		u64 first = page_to_pfn(p), blk = 1ULL << p->order;

		list_del(&p->lru);
		for (u64 pfn = first; pfn < first + blk; pfn++) {
			struct page *pg = pfn_to_page(pfn);

			if (pfn >= start && pfn < end) {
				pg->refcount = 1;
				pg->order = 0; /* released page by page */
				pg->flags |= 1u << PG_cma_alloc;
				if (PAGE_FLAG(pg, PG_poisoned))
					check_page_poison(pg);
			} else {
				free_block_locked(z, pg, 0, MIGRATE_CMA);
			}
		}
	}
}

struct page *cma_alloc(u64 count, unsigned align_order)
{
	u64 base = phys_to_pfn(cma_base), limit = base + cma_size / PAGE_SIZE;
	u64 align = 1ULL << align_order;
	struct page *busy = NULL;

	if (!count || !cma_size || count > cma_size / PAGE_SIZE)
		return NULL;
	drain_pcp_pages(); /* borrowed pages parked on per-CPU lists are free */
	for (u64 start = ALIGN_UP(base, align); start + count <= limit; start += align) {
		u64 win = ALIGN_DOWN(start, MAX_ORDER_PAGES), win_end = ALIGN_UP(start + count, MAX_ORDER_PAGES);
		struct zone *z = page_zone(pfn_to_page(start));
		unsigned long f = spin_lock_irqsave(&z->lock);
		struct page *b;

		b = first_busy(win, start, start + count); /* the zone lock keeps the answer valid */
		if (!b) {
			take_range(z, win, win_end, start, start + count);
			spin_unlock_irqrestore(&z->lock, f);
			cma_stats.allocs++;
			cma_stats.alloc_pages += count;
			return pfn_to_page(start);
		}
		spin_unlock_irqrestore(&z->lock, f);
		if (!busy)
			busy = b;
		start = MAX(start, ALIGN_DOWN(page_to_pfn(b), align)); /* next candidate starts past it */
	}
	if (busy) {
		cma_stats.fail_busy++;
		printf("cma: alloc of %llu pages (align order %u) failed: pfn %#llx is in use (refcount %d, flags %#x);"
		       " borrowed CMA pages cannot be migrated out yet\n", (unsigned long long)count, align_order,
		       (unsigned long long)page_to_pfn(busy), (int)busy->refcount, (unsigned)busy->flags);
	} else {
		cma_stats.fail_nospace++;
		printf("cma: alloc of %llu pages (align order %u) failed: no free range that large\n",
		       (unsigned long long)count, align_order);
	}
	return NULL;
}

bool cma_release(struct page *first, u64 count)
{
	u64 pfn = page_to_pfn(first);

	if (!cma_size || pfn < phys_to_pfn(cma_base) || pfn + count > phys_to_pfn(cma_base + cma_size)) {
		bad_page(first, "cma_release of a range outside the CMA region");
		return false;
	}
	for (u64 i = 0; i < count; i++) {
		if (!PAGE_FLAG(&first[i], PG_cma_alloc) || first[i].refcount != 1) {
			bad_page(&first[i], "cma_release of a page cma_alloc did not hand out");
			return false;
		}
	}
	for (u64 i = 0; i < count; i++)
		free_pages(&first[i], 0);
	cma_stats.releases++;
	return true;
}
