/*
 * The per-CPU lists of orders 0..PAGE_ALLOC_COSTLY_ORDER (mm/pcp.c and the
 * fast paths in mm/page_alloc.c) on the host test board
 * (test/host/mm_fixture.c): the count/high bound at every order, the
 * lists' shape (heads with PG_pcp and their order on their order's list),
 * a drain that gives every page back with the free counters as they were,
 * the counting convention (listed pages count in nr_free_pages(), not in
 * zone->nr_free nor buddyinfo), refills that never take a zone below the
 * request's watermark, and isolation draining a pageblock's listed blocks.
 */
#include <arch/phys.h>
#include <host.h>
#include <mm/cma.h>
#include <mm/memalloc.h>
#include <mm/page_alloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../mm/internal.h"
#include "mm_fixture.h"

static int setup(void **state)
{
	(void)state;
	fix_mm_setup(false, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fix_mm_teardown();
	return 0;
}

struct counters {
	u64 total, nr_free[MAX_NR_ZONES], blocks[MAX_NR_ZONES][NR_ORDERS];
};

static void counters(struct counters *c)
{
	memset(c, 0, sizeof(*c));
	c->total = nr_free_pages();
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		c->nr_free[z] = zones[z].nr_free;
		for (int o = 0; o < NR_ORDERS; o++)
			c->blocks[z][o] = zones[z].free_area[o].nr_free;
	}
}

/* Every zone's lists: heads with PG_pcp of their list's order; count = their pages, at most PCP_HIGH. */
static void check_lists(void)
{
	for (int zi = 0; zi < MAX_NR_ZONES; zi++) {
		struct zone *z = &zones[zi];
		u64 pages = 0;

		for (unsigned o = 0; o <= PAGE_ALLOC_COSTLY_ORDER; o++) {
			for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
				struct page *p;

				list_for_each_entry(p, pcp_list(z, o, mt), lru) {
					assert_true(PAGE_FLAG(p, PG_pcp));
					assert_false(PAGE_FLAG(p, PG_buddy));
					assert_int_equal(p->order, o);
					assert_int_equal(p->refcount, 0);
					assert_int_equal(page_to_pfn(p) % (1ULL << o), 0);
					/* never isolated; CMA only on a movable list (a refill that may use CMA) */
					assert_int_not_equal(pageblock_migratetype(z, page_to_pfn(p)), MIGRATE_ISOLATE);
					if (pageblock_migratetype(z, page_to_pfn(p)) == MIGRATE_CMA)
						assert_int_equal(mt, MIGRATE_MOVABLE);
					pages += 1ULL << o;
				}
			}
		}
		assert_int_equal(pages, z->pcp.count);
		assert_true(z->pcp.count <= PCP_HIGH);
	}
}

#define HELD 512

/* Alloc and free n blocks of order (and of mixed orders when order < 0), checking the bound after each step. */
static void churn(int order, unsigned n, gfp_t gfp)
{
	struct page *p[HELD];
	unsigned o[HELD];

	assert_true(n <= HELD);
	for (unsigned i = 0; i < n; i++) {
		o[i] = order < 0 ? i % (PAGE_ALLOC_COSTLY_ORDER + 1) : (unsigned)order;
		p[i] = alloc_pages(gfp, o[i]);
		assert_non_null(p[i]);
		assert_int_equal(p[i]->refcount, 1);
		assert_int_equal(p[i]->order, o[i]);
		assert_false(PAGE_FLAG(p[i], PG_pcp));
		check_lists();
	}
	for (unsigned i = 0; i < n; i++) {
		free_pages(p[i], o[i]);
		check_lists();
	}
}

static void count_never_exceeds_high_at_any_order(void **state)
{
	(void)state;
	for (int o = 0; o <= PAGE_ALLOC_COSTLY_ORDER; o++) {
		churn(o, HELD, GFP_KERNEL);
		churn(o, HELD, GFP_KERNEL | __GFP_MOVABLE);
		churn(o, 64, GFP_KERNEL | __GFP_RECLAIMABLE);
		/* the freed blocks stayed on the lists, up to the bound */
		assert_true(zones[ZONE_NORMAL].pcp.count > 0);
	}
	churn(-1, HELD, GFP_KERNEL);
	churn(-1, HELD, GFP_DMA);
}

static void freed_blocks_of_every_order_go_to_their_list(void **state)
{
	struct zone *z = &zones[ZONE_NORMAL];

	(void)state;
	for (unsigned o = 0; o <= PAGE_ALLOC_COSTLY_ORDER; o++) {
		struct list_head *l = pcp_list(z, o, MIGRATE_UNMOVABLE);
		struct page *p;
		u64 count;

		drain_pcp_pages(); /* room below PCP_HIGH for the free */
		p = alloc_pages(GFP_KERNEL, o);

		assert_ptr_equal(page_zone(p), z);
		count = z->pcp.count;
		free_pages(p, o);
		assert_int_equal(z->pcp.count, count + (1ULL << o));
		assert_ptr_equal(list_first_entry(l, struct page, lru), p); /* hot end */
		/* and the next allocation of that order takes it back */
		assert_ptr_equal(alloc_pages(GFP_KERNEL, o), p);
		free_pages(p, o);
	}
	/* order 4 has no list: straight to the buddy */
	{
		struct page *p = alloc_pages(GFP_KERNEL, PAGE_ALLOC_COSTLY_ORDER + 1);
		u64 count = z->pcp.count;

		free_pages(p, PAGE_ALLOC_COSTLY_ORDER + 1);
		assert_int_equal(z->pcp.count, count);
		assert_false(PAGE_FLAG(p, PG_pcp));
	}
}

static void drain_returns_every_page_at_every_order(void **state)
{
	struct counters start, listed, end;

	(void)state;
	drain_pcp_pages();
	counters(&start);
	for (int o = 0; o <= PAGE_ALLOC_COSTLY_ORDER; o++) {
		struct page *p[64];

		for (unsigned i = 0; i < 64; i++)
			p[i] = alloc_pages(i % 2 ? GFP_KERNEL : GFP_KERNEL | __GFP_MOVABLE, (unsigned)o);
		for (unsigned i = 0; i < 64; i++)
			free_pages(p[i], (unsigned)o);
		assert_true(zones[ZONE_NORMAL].pcp.count > 0);
		/* the convention: listed pages are free to nr_free_pages() (MemFree) ... */
		counters(&listed);
		assert_int_equal(listed.total, start.total);
		/* ... but not in the zone's nr_free (the watermarks' figure) */
		assert_int_equal(listed.nr_free[ZONE_NORMAL] + zones[ZONE_NORMAL].pcp.count, start.nr_free[ZONE_NORMAL]);
		drain_pcp_pages();
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			assert_int_equal(zones[z].pcp.count, 0);
			for (unsigned i = 0; i < NR_PCP_LISTS; i++)
				assert_true(list_empty(&zones[z].pcp.lists[i]));
		}
		/* every page merged back: the same buddyinfo as before */
		counters(&end);
		assert_memory_equal(&start, &end, sizeof(start));
	}
}

/* Hold blocks of the zone (largest first, order-0 pages one at a time
 * with a drain) until its nr_free is target. */
/* An empty list's refill takes whole free blocks, smallest first: a free
 * fragment goes before any bigger block is split (a refill that cut up a
 * fresh 32-page block instead left fragments behind: vmalloc's pages came
 * out contiguous on ARMv7-A), and it leaves no new fragment behind. */
static void refill_takes_fragments_first_and_whole(void **state)
{
	struct zone *z = &zones[ZONE_NORMAL];
	struct list_head *l = pcp_list(z, 0, MIGRATE_UNMOVABLE);
	struct page *p, *q, *hold;
	struct counters before;
	u64 frag, in_frag = 0;
	unsigned long f;
	LIST_HEAD(aside);

	(void)state;
	drain_pcp_pages();
	assert_true(list_empty(l));
	/* an order-4 block (buddy path) leaves its order-4 buddy free */
	hold = alloc_pages(GFP_KERNEL, 4);
	assert_non_null(hold);
	assert_int_equal(hold->zone, ZONE_NORMAL);
	frag = page_to_pfn(hold) ^ 16;
	assert_true(PAGE_FLAG(pfn_to_page(frag), PG_buddy));
	/* the smaller free blocks of the list, out of the way (back at the end) */
	f = spin_lock_irqsave(&z->lock);
	for (unsigned o = 0; o < 4; o++)
		while (!list_empty(&z->free_area[o].free_list[MIGRATE_UNMOVABLE])) {
			q = list_first_entry(&z->free_area[o].free_list[MIGRATE_UNMOVABLE], struct page, lru);
			del_free_block_locked(z, q);
			q->private = o;
			list_add(&q->lru, &aside);
		}
	spin_unlock_irqrestore(&z->lock, f);
	counters(&before);
	p = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(p);
	assert_int_equal(z->pcp.count, PCP_BATCH - 1);
	in_frag += page_to_pfn(p) - frag < 16;
	list_for_each_entry(q, l, lru)
		in_frag += page_to_pfn(q) - frag < 16;
	assert_int_equal(in_frag, 16); /* the fragment, all of it */
	for (int o = 0; o < 5; o++) /* no new fragment below the batch's order */
		assert_true(z->free_area[o].nr_free <= before.blocks[ZONE_NORMAL][o]);
	assert_int_equal(z->nr_free, before.nr_free[ZONE_NORMAL] - PCP_BATCH);
	free_page(p);
	free_pages(hold, 4);
	f = spin_lock_irqsave(&z->lock);
	while (!list_empty(&aside)) {
		q = list_first_entry(&aside, struct page, lru);
		list_del(&q->lru);
		free_block_locked(z, q, (unsigned)q->private, MIGRATE_UNMOVABLE);
		q->private = 0;
	}
	spin_unlock_irqrestore(&z->lock, f);
	check_lists();
}

static unsigned hold_until(struct zone *z, u64 target, struct page **held, unsigned *orders, unsigned max)
{
	unsigned n = 0;

	for (int o = MAX_ORDER; o >= 0; o--) {
		while (z->nr_free >= target + (1ULL << o)) {
			struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, (unsigned)o);

			assert_non_null(p);
			assert_true(n < max);
			held[n] = p;
			orders[n++] = (unsigned)o;
			drain_pcp_pages(); /* a refill's other blocks go back */
			if (page_zone(p) != z)
				break; /* the zone is at its mark for this order */
		}
	}
	return n;
}

/*
 * With the zone a few pages above its low watermark, an allocation of
 * each order whose list is empty refills it: the refill takes blocks
 * while the zone stays at or above the mark, never a whole batch below it.
 */
static void refill_never_crosses_the_watermark_at_any_order(void **state)
{
	struct zone *z = &zones[ZONE_NORMAL];
	static struct page *held[4096];
	static unsigned orders[4096];

	(void)state;
	for (unsigned o = 0; o <= PAGE_ALLOC_COSTLY_ORDER; o++) {
		for (u64 extra = 0; extra < 2 * PCP_BATCH; extra += 5) {
			u64 mark = z->watermark[WMARK_LOW] + z->lowmem_reserve[ZONE_NORMAL];
			unsigned n;
			struct page *p;
			u64 before;

			drain_pcp_pages();
			n = hold_until(z, mark + (1ULL << o) + extra, held, orders, 4096);
			drain_pcp_pages();
			before = z->nr_free;
			assert_true(before >= mark + (1ULL << o));
			p = alloc_pages(GFP_KERNEL, o);
			assert_non_null(p);
			assert_ptr_equal(page_zone(p), z); /* the zone could serve it */
			assert_true(z->nr_free >= mark);
			/* all it could take, up to a batch: the mark is met as closely as blocks allow */
			assert_int_equal(before - z->nr_free,
					 MIN((u64)PCP_BATCH, (1ULL << o) + extra) >> o << o);
			check_lists();
			free_pages(p, o);
			while (n)
				free_pages(held[n - 1], orders[n - 1]), n--;
		}
	}
}

/* A block listed before its pageblock is isolated is never handed out again from the list. */
static void isolation_drains_the_pageblock_from_the_lists(void **state)
{
	struct zone *z = &zones[ZONE_NORMAL];

	(void)state;
	for (unsigned o = 0; o <= PAGE_ALLOC_COSTLY_ORDER; o++) {
		struct page *p = alloc_pages(GFP_KERNEL, o), *q[64];
		u64 pfn = page_to_pfn(p), pb = ALIGN_DOWN(pfn, PAGEBLOCK_PAGES);
		int old = pageblock_migratetype(z, pfn);
		unsigned long f;

		free_pages(p, o);
		assert_true(PAGE_FLAG(p, PG_pcp));
		f = spin_lock_irqsave(&z->lock);
		move_free_blocks_locked(z, pb, pb + PAGEBLOCK_PAGES, MIGRATE_ISOLATE);
		spin_unlock_irqrestore(&z->lock, f);
		assert_false(PAGE_FLAG(p, PG_pcp));
		check_lists();
		for (unsigned i = 0; i < 64; i++) {
			q[i] = alloc_pages(GFP_KERNEL, o);
			assert_non_null(q[i]);
			assert_true(page_to_pfn(q[i]) < pb || page_to_pfn(q[i]) >= pb + PAGEBLOCK_PAGES);
		}
		/* and a block of it freed meanwhile goes to the isolated lists */
		for (unsigned i = 0; i < 64; i++)
			free_pages(q[i], o);
		f = spin_lock_irqsave(&z->lock);
		move_free_blocks_locked(z, pb, pb + PAGEBLOCK_PAGES, old);
		spin_unlock_irqrestore(&z->lock, f);
		check_lists();
	}
}

/*
 * A movable allocation kept out of CMA (cma_alloc's migration targets) is
 * not served from a movable list, which a refill may fill with CMA pages.
 */
static void nocma_allocations_skip_the_movable_lists(void **state)
{
	struct zone *z = &zones[ZONE_DMA32];
	static struct page *held[256];
	unsigned n = 0;

	(void)state;
	/* unmovable blocks out of DMA32 until CMA holds over half its free
	 * pages: movable refills then take CMA pages first */
	while (z->nr_free_cma * 2 <= z->nr_free) {
		assert_true(n < 256);
		held[n] = alloc_pages(GFP_DMA32 | __GFP_NOWARN, PAGEBLOCK_ORDER);
		assert_non_null(held[n]);
		assert_ptr_equal(page_zone(held[n]), z);
		n++;
	}
	drain_pcp_pages();
	for (unsigned o = 0; o <= PAGE_ALLOC_COSTLY_ORDER; o++) {
		struct page *p = alloc_pages(GFP_DMA32 | __GFP_MOVABLE, o), *q;
		unsigned saved;

		assert_true(page_to_phys(p) >= cma_base && page_to_phys(p) < cma_base + cma_size);
		assert_false(list_empty(pcp_list(z, o, MIGRATE_MOVABLE))); /* the refill's other CMA blocks */
		saved = memalloc_nocma_save();
		q = alloc_pages(GFP_DMA32 | __GFP_MOVABLE, o);
		memalloc_nocma_restore(saved);
		assert_non_null(q);
		assert_false(page_to_phys(q) >= cma_base && page_to_phys(q) < cma_base + cma_size);
		free_pages(q, o);
		free_pages(p, o);
		check_lists();
	}
	while (n)
		free_pages(held[--n], PAGEBLOCK_ORDER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(count_never_exceeds_high_at_any_order, setup, teardown),
		cmocka_unit_test_setup_teardown(freed_blocks_of_every_order_go_to_their_list, setup, teardown),
		cmocka_unit_test_setup_teardown(drain_returns_every_page_at_every_order, setup, teardown),
		cmocka_unit_test_setup_teardown(refill_never_crosses_the_watermark_at_any_order, setup, teardown),
		cmocka_unit_test_setup_teardown(isolation_drains_the_pageblock_from_the_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(nocma_allocations_skip_the_movable_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(refill_takes_fragments_first_and_whole, setup, teardown),
	};

	return cmocka_run_group_tests_name("pcp", tests, NULL, NULL);
}
