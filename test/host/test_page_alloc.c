/*
 * The buddy allocator (mm/page_alloc.c, mm_init.c, cma.c, page_debug.c)
 * on a simulated board (test/host/mm_fixture.c): zone layout from the DMA
 * engines, split/merge and buddy identity, zone choice for every GFP
 * combination, watermarks and the atomic reserve, migratetype fallback
 * and pageblock stealing, CMA borrowing and cma_alloc, poisoning,
 * bad frees, conservation of free memory, and the PF_MEMALLOC guard that
 * keeps direct reclaim from recursing.
 */
#include <arch/phys.h>
#include <host.h>
#include <errno.h>
#include <mm/cma.h>
#include <mm/memalloc.h>
#include <mm/memblock.h>
#include <mm/page_alloc.h>
#include <mm/page_debug.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm_fixture.h"

static int setup(void **state)
{
	(void)state;
	fix_mm_setup(false, false);
	return 0;
}

static int setup_poison(void **state)
{
	(void)state;
	fix_mm_setup(true, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fix_mm_teardown();
	return 0;
}

struct snapshot {
	u64 free[MAX_NR_ZONES];
	u64 per_order[MAX_NR_ZONES][NR_ORDERS];
};

static void snap(struct snapshot *s)
{
	drain_pcp_pages();
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		s->free[z] = zones[z].nr_free;
		for (int o = 0; o < NR_ORDERS; o++)
			s->per_order[z][o] = zones[z].free_area[o].nr_free;
	}
}

static bool in_cma(const struct page *p)
{
	phys_addr_t pa = page_to_phys(p);

	return pa >= cma_base && pa < cma_base + cma_size;
}

static void zones_follow_the_engines(void **state)
{
	u64 managed = 0;

	(void)state;
	assert_int_equal(pfn_to_phys(zones[ZONE_DMA].start_pfn), FIX_RAM_BASE);
	assert_int_equal(pfn_to_phys(zones[ZONE_DMA].end_pfn), FIX_DMA_END);
	assert_int_equal(pfn_to_phys(zones[ZONE_DMA32].end_pfn), FIX_DMA32_END);
	assert_int_equal(pfn_to_phys(zones[ZONE_NORMAL].end_pfn), FIX_RAM_BASE + FIX_RAM_SIZE);
	/* CMA: 16 MiB, 4 MiB aligned, reachable by the CMA engine (DMA32), one zone */
	assert_int_equal(cma_size, 16ULL << 20);
	assert_int_equal(cma_base % (4ULL << 20), 0);
	assert_true(cma_base >= FIX_DMA_END && cma_base + cma_size <= FIX_DMA32_END);
	assert_int_equal(zones[ZONE_DMA32].cma_pages, cma_size / PAGE_SIZE);
	assert_int_equal(nr_free_cma_pages(), cma_size / PAGE_SIZE);
	assert_false(zone_populated(&zones[ZONE_HIGHMEM])); /* all RAM is lowmem here */
	for (int z = 0; z < ZONE_HIGHMEM; z++) {
		managed += zones[z].managed_pages;
		assert_int_equal(zones[z].nr_free, zones[z].managed_pages); /* nothing allocated yet */
		assert_true(zones[z].watermark[WMARK_MIN] < zones[z].watermark[WMARK_LOW]);
		assert_true(zones[z].watermark[WMARK_LOW] < zones[z].watermark[WMARK_HIGH]);
	}
	/* everything but the 1 MiB firmware, the page array and pageblock maps is managed */
	assert_true(managed < FIX_RAM_SIZE / PAGE_SIZE - 256);
	assert_true(managed > FIX_RAM_SIZE / PAGE_SIZE - 256 - (FIX_RAM_SIZE / PAGE_SIZE * sizeof(struct page)) / PAGE_SIZE - 8);
	/* lower zones keep a reserve against allocations that could go higher */
	assert_true(zones[ZONE_DMA].lowmem_reserve[ZONE_NORMAL] > zones[ZONE_DMA].lowmem_reserve[ZONE_DMA32]);
	assert_int_equal(zones[ZONE_DMA].lowmem_reserve[ZONE_DMA], 0);
}

static void engine_reaching_no_ram_is_refused(void **state)
{
	struct mm_board b = fix_board;

	(void)state;
	b.engines[1].bus_offset = 0x100000000ULL; /* reaches [4G, 4G+64M): no RAM there */
	host_phys_init(FIX_RAM_BASE, FIX_RAM_SIZE);
	memblock_reset();
	memblock_add(FIX_RAM_BASE, FIX_RAM_SIZE);
	assert_int_equal(mm_init(&b), -EINVAL);
}

static void split_and_merge_restore_the_free_areas(void **state)
{
	struct snapshot before, after;
	struct page *p[NR_ORDERS];

	(void)state;
	snap(&before);
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		p[o] = alloc_pages(GFP_KERNEL, o);
		assert_non_null(p[o]);
		assert_int_equal(page_to_pfn(p[o]) % (1ULL << o), 0); /* naturally aligned */
	}
	for (unsigned o = 0; o < NR_ORDERS; o++)
		free_pages(p[o], o);
	snap(&after);
	assert_memory_equal(&before, &after, sizeof(before));
}

static void buddy_identity_and_coalescing(void **state)
{
	struct page *blk;
	u64 pfn;

	(void)state;
	/* DMA32 holds only whole order-10 blocks here (Normal has the page
	 * array's leftovers): an order-4 movable block splits one of them, and
	 * the buddies at orders 4..9 are free */
	for (unsigned o = 0; o < MAX_ORDER; o++)
		assert_int_equal(zones[ZONE_DMA32].free_area[o].nr_free, 0);
	blk = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_DMA32, 4);
	assert_non_null(blk);
	assert_int_equal(blk->zone, ZONE_DMA32);
	pfn = page_to_pfn(blk);
	for (unsigned o = 4; o < MAX_ORDER; o++) {
		struct page *buddy = pfn_to_page(pfn ^ (1ULL << o));

		assert_true(PAGE_FLAG(buddy, PG_buddy));
		assert_int_equal(buddy->order, o);
		assert_int_equal((pfn ^ (1ULL << o)) ^ (1ULL << o), pfn); /* the buddy's buddy is us */
	}
	/* give it back as 16 single pages: they coalesce into the order-10 block again */
	for (int i = 0; i < 16; i++) {
		blk[i].refcount = 1;
		blk[i].order = 0; /* as if allocated one by one */
	}
	for (int i = 15; i >= 0; i--)
		free_pages(&blk[i], 0);
	drain_pcp_pages();
	struct page *head = pfn_to_page(ALIGN_DOWN(pfn, 1ULL << MAX_ORDER));
	assert_true(PAGE_FLAG(head, PG_buddy));
	assert_int_equal(head->order, MAX_ORDER);
}

static void zone_choice_for_every_gfp_combination(void **state)
{
	(void)state;
	for (gfp_t g = 0; g < (1u << __GFP_BITS); g++) {
		int want = (g & __GFP_DMA) && (g & __GFP_DMA32) ? -1
			 : (g & __GFP_DMA) ? ZONE_DMA : (g & __GFP_DMA32) ? ZONE_DMA32
			 : (g & __GFP_HIGHMEM) ? ZONE_HIGHMEM : ZONE_NORMAL;
		struct page *p;

		assert_int_equal(gfp_zone(g), want);
		p = alloc_pages(g | __GFP_NOWARN, 0);
		if (want < 0) {
			assert_null(p);
			continue;
		}
		assert_non_null(p);
		assert_true(p->zone <= want);
		if (!(g & __GFP_MOVABLE))
			assert_false(in_cma(p)); /* only movable may borrow CMA */
		if (g & __GFP_ZERO)
			for (unsigned i = 0; i < PAGE_SIZE; i++)
				assert_int_equal(((u8 *)page_address(p))[i], 0);
		free_pages(p, 0);
	}
}

static void normal_falls_back_down_never_up(void **state)
{
	struct page *p;
	u64 n = 0, by_zone[MAX_NR_ZONES] = { 0 };
	struct page **all = calloc(FIX_RAM_SIZE / PAGE_SIZE, sizeof(*all));

	(void)state;
	/* exhaust with GFP_KERNEL: a lower zone serves only once every higher
	 * one is at its low watermark (plus the lowmem reserve) */
	while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0))) {
		if (!by_zone[p->zone]++)
			for (int zz = p->zone + 1; zz < MAX_NR_ZONES; zz++)
				assert_true(zones[zz].nr_free - zones[zz].nr_free_cma <=
					    zones[zz].watermark[WMARK_LOW] + zones[zz].lowmem_reserve[ZONE_NORMAL]);
		all[n++] = p;
	}
	assert_true(by_zone[ZONE_NORMAL] > 0 && by_zone[ZONE_DMA32] > 0 && by_zone[ZONE_DMA] > 0);
	/* a DMA request never gets memory above its zone even when DMA is short */
	for (u64 i = 0; i < 64; i++)
		free_pages(all[--n], 0); /* frees DMA pages last taken... */
	while ((p = alloc_pages(GFP_ATOMIC | __GFP_DMA | __GFP_NOWARN, 0))) {
		assert_true(page_to_phys(p) < FIX_DMA_END);
		all[n++] = p;
	}
	while (n)
		free_pages(all[--n], 0);
	free(all);
}

static void watermarks_and_the_atomic_reserve(void **state)
{
	struct zone *z = &zones[ZONE_DMA];
	struct page **all = calloc(8192, sizeof(*all));
	u64 n = 0, min = z->watermark[WMARK_MIN];
	struct page *p;

	(void)state;
	while ((p = alloc_pages(GFP_KERNEL | __GFP_DMA | __GFP_NOWARN, 0)))
		all[n++] = p;
	/* GFP_KERNEL stops exactly at the min watermark; per-CPU refills never eat the reserve */
	assert_int_equal(z->nr_free, min);
	/* atomic allocations may dip to half of min, not further */
	u64 atomic = 0;
	while ((p = alloc_pages(GFP_ATOMIC | __GFP_DMA | __GFP_NOWARN, 0)))
		all[n++] = p, atomic++;
	assert_true(atomic > 0);
	assert_int_equal(z->nr_free, min - min / 2);
	while (n)
		free_pages(all[--n], 0);
	free(all);
}

static void unmovable_steals_whole_pageblocks(void **state)
{
	struct page *p[200];
	u64 first_block;

	(void)state;
	/* at boot every pageblock is movable: an unmovable request must steal one */
	u64 steals = zones[ZONE_NORMAL].stats.pageblock_claim;
	for (int i = 0; i < 200; i++)
		p[i] = alloc_pages(GFP_KERNEL, 0);
	assert_true(zones[ZONE_NORMAL].stats.pageblock_claim == steals + 1);
	first_block = page_to_pfn(p[0]) >> PAGEBLOCK_ORDER;
	for (int i = 0; i < 200; i++) {
		assert_int_equal(page_to_pfn(p[i]) >> PAGEBLOCK_ORDER, first_block); /* grouped, not scattered */
		assert_int_equal(pageblock_migratetype(&zones[ZONE_NORMAL], page_to_pfn(p[i])), MIGRATE_UNMOVABLE);
	}
	/* movable allocations do not land in the unmovable pageblock while others have room */
	for (int k = 0; k < 50; k++) {
		struct page *m = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);

		assert_int_not_equal(page_to_pfn(m) >> PAGEBLOCK_ORDER, first_block);
		free_pages(m, 0);
	}
	for (int i = 0; i < 200; i++)
		free_pages(p[i], 0);
}

static void cma_lent_to_movable_only_and_taken_back(void **state)
{
	struct snapshot before, after;
	struct page *m, *c;
	u64 count = (4ULL << 20) / PAGE_SIZE;

	(void)state;
	snap(&before);
	/* cma_alloc of 4 MiB aligned to 1 MiB, then release */
	c = cma_alloc(count, 8);
	assert_non_null(c);
	assert_true(in_cma(c) && in_cma(c + count - 1));
	assert_int_equal(page_to_pfn(c) % 256, 0);
	assert_int_equal(nr_free_cma_pages(), cma_size / PAGE_SIZE - count);
	assert_true(cma_release(c, count));
	snap(&after);
	assert_memory_equal(&before, &after, sizeof(before));
	/* a movable page borrowed from CMA makes the range busy: clean failure */
	while ((m = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_DMA32, 0)) && !in_cma(m))
		;
	assert_non_null(m);
	u64 free_before = nr_free_pages();
	assert_null(cma_alloc(cma_size / PAGE_SIZE, 0)); /* the whole region: includes m */
	assert_int_equal(nr_free_pages(), free_before);
	assert_int_equal(cma_stats.fail_busy, 1);
	free_pages(m, 0);
	c = cma_alloc(cma_size / PAGE_SIZE, 0);
	assert_non_null(c);
	assert_int_equal(nr_free_cma_pages(), 0);
	/* a release of pages that did not come from cma_alloc is refused */
	struct page *k = alloc_pages(GFP_KERNEL, 0);
	u64 bad = bad_page_reports;
	assert_false(cma_release(k, 1));
	assert_int_equal(bad_page_reports, bad + 1);
	free_pages(k, 0);
	assert_true(cma_release(c, cma_size / PAGE_SIZE));
}

static void poison_detects_use_after_free(void **state)
{
	struct page *p, *q;
	u8 *va;
	u64 errors = page_poison_errors;

	(void)state;
	p = alloc_pages(GFP_KERNEL, 0);
	va = page_address(p);
	free_pages(p, 0);
	for (unsigned i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(va[i], PAGE_POISON);
	memset(va + 100, 0x41, 8); /* write after free */
	q = alloc_pages(GFP_KERNEL, 0); /* per-CPU lists are LIFO: the same page */
	assert_ptr_equal(q, p);
	assert_int_equal(page_poison_errors, errors + 1);
	free_pages(q, 0);
	q = alloc_pages(GFP_KERNEL, 0);
	assert_int_equal(page_poison_errors, errors + 1); /* intact this time */
	free_pages(q, 0);
}

static void init_on_free_zeroes(void **state)
{
	struct page *p;
	u8 *va;

	(void)state;
	page_alloc_debug.poison = false;
	page_alloc_debug.init_on_free = true;
	p = alloc_pages(GFP_KERNEL, 1);
	va = page_address(p);
	memset(va, 0x5a, 2 * PAGE_SIZE);
	free_pages(p, 1);
	for (unsigned i = 0; i < 2 * PAGE_SIZE; i++)
		assert_int_equal(va[i], 0);
	page_alloc_debug.init_on_free = false;
}

static void double_free_is_reported_and_harmless(void **state)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	u64 reports = bad_page_reports, free_before;

	(void)state;
	free_pages(p, 2);
	free_before = nr_free_pages();
	free_pages(p, 2);
	assert_int_equal(bad_page_reports, reports + 1);
	assert_int_equal(nr_free_pages(), free_before);
}

static void wrong_order_free_is_refused(void **state)
{
	struct page *p = alloc_pages(GFP_KERNEL, 3);
	u64 reports = bad_page_reports, free_before = nr_free_pages();

	(void)state;
	free_pages(p, 2);
	assert_int_equal(bad_page_reports, reports + 1);
	assert_int_equal(nr_free_pages(), free_before);
	free_pages(p, 3);
	assert_int_equal(nr_free_pages(), free_before + 8);
}

static void failures_are_reported_unless_nowarn(void **state)
{
	u64 reports = alloc_failure_reports;

	(void)state;
	assert_null(alloc_pages(GFP_KERNEL, MAX_ORDER + 1));
	assert_int_equal(alloc_failure_reports, reports + 1);
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER + 1));
	assert_null(alloc_pages(__GFP_DMA | __GFP_DMA32 | __GFP_NOWARN, 0));
	assert_int_equal(alloc_failure_reports, reports + 1);
	/* DMA is 16 MiB: four order-10 blocks at most */
	struct page *b[8];
	int n = 0;
	while (n < 8 && (b[n] = alloc_pages(GFP_KERNEL | __GFP_DMA, MAX_ORDER)))
		n++;
	assert_true(n <= 4);
	assert_int_equal(alloc_failure_reports, reports + 2);
	while (n)
		free_pages(b[--n], MAX_ORDER);
}

static void per_cpu_lists_stay_bounded(void **state)
{
	struct page *p[300];

	(void)state;
	for (int i = 0; i < 300; i++)
		p[i] = alloc_pages(GFP_KERNEL, 0);
	for (int i = 0; i < 300; i++) {
		free_pages(p[i], 0);
		assert_true(zones[p[i]->zone].pcp.count <= PCP_HIGH);
	}
}

static void random_workload_conserves_memory(void **state)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_ATOMIC, GFP_HIGHUSER_MOVABLE, GFP_KERNEL | __GFP_DMA,
				      GFP_KERNEL | __GFP_DMA32, GFP_KERNEL | __GFP_RECLAIMABLE };
	struct {
		struct page *p;
		unsigned order;
	} held[512] = { 0 };
	struct snapshot before, after;
	unsigned seed = 7;
	u64 free0;

	(void)state;
	snap(&before);
	free0 = nr_free_pages();
	for (int i = 0; i < 20000; i++) {
		unsigned slot = rand_r(&seed) % 512;

		if (held[slot].p) {
			free_pages(held[slot].p, held[slot].order);
			held[slot].p = NULL;
		} else {
			unsigned order = rand_r(&seed) % 4 ? 0 : rand_r(&seed) % NR_ORDERS;
			gfp_t g = gfps[rand_r(&seed) % ARRAY_SIZE(gfps)] | __GFP_NOWARN;

			held[slot].p = alloc_pages(g, order);
			held[slot].order = order;
			if (held[slot].p && (g & __GFP_DMA))
				assert_true(page_to_phys(held[slot].p) + (PAGE_SIZE << order) <= FIX_DMA_END);
		}
	}
	for (int i = 0; i < 512; i++)
		if (held[i].p)
			free_pages(held[i].p, held[i].order);
	snap(&after);
	assert_int_equal(nr_free_pages(), free0);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		assert_int_equal(after.free[z], before.free[z]);
	/* everything coalesced back into the same block sizes */
	assert_memory_equal(after.per_order, before.per_order, sizeof(before.per_order));
}

/* A direct-reclaim hook that allocates itself, as reclaim does (zram
 * objects): under PF_MEMALLOC that allocation never calls the hook again;
 * it is served from the reserves below the min watermark (as Linux's
 * ALLOC_NO_WATERMARKS), and fails at once when they are gone too. */
static unsigned reclaim_calls, reclaim_depth, reclaim_max_depth;
static bool nested_alloc_failed;

static u64 allocating_reclaim(gfp_t gfp, unsigned order)
{
	unsigned saved;
	struct page *p;

	(void)gfp;
	reclaim_calls++;
	if (++reclaim_depth > reclaim_max_depth)
		reclaim_max_depth = reclaim_depth;
	if (reclaim_depth == 1) { /* deeper: recursion already shown, stop it */
		saved = memalloc_save();
		p = alloc_pages(GFP_KERNEL | __GFP_DMA | __GFP_NOWARN, order);
		nested_alloc_failed = !p; /* the reserves serve it */
		if (p)
			free_pages(p, order);
		memalloc_restore(saved);
	}
	reclaim_depth--;
	return 0;
}

static void direct_reclaim_never_recurses(void **state)
{
	struct page **all = calloc(8192, sizeof(*all));
	u64 n = 0;
	struct page *p;

	(void)state;
	while ((p = alloc_pages(GFP_KERNEL | __GFP_DMA | __GFP_NOWARN, 0)))
		all[n++] = p;
	reclaim_hooks.direct_reclaim = allocating_reclaim;
	/* an ordinary task reclaims once (nothing freed, no OOM hook); the
	 * hook's own allocation took a reserve page without recursing */
	assert_null(alloc_pages(GFP_KERNEL | __GFP_DMA | __GFP_NOWARN, 0));
	assert_int_equal(reclaim_calls, 1);
	assert_int_equal(reclaim_max_depth, 1);
	assert_false(nested_alloc_failed);
	assert_false(current_in_memalloc());
	/* a task that is reclaiming already never reclaims: it drains the
	 * reserves, then fails, the hook never called again */
	unsigned saved = memalloc_save();
	u64 reserve = 0;
	while ((p = alloc_pages(GFP_KERNEL | __GFP_DMA | __GFP_NOWARN, 0))) {
		all[n++] = p;
		reserve++;
	}
	assert_true(reserve > 0);
	assert_int_equal(reclaim_calls, 1);
	/* nested saves: the inner restore keeps the outer flag */
	unsigned inner = memalloc_save();
	memalloc_restore(inner);
	assert_true(current_in_memalloc());
	memalloc_restore(saved);
	assert_false(current_in_memalloc());
	reclaim_hooks.direct_reclaim = NULL;
	while (n)
		free_pages(all[--n], 0);
	free(all);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(zones_follow_the_engines),
		cmocka_unit_test_teardown(engine_reaching_no_ram_is_refused, teardown),
		T(split_and_merge_restore_the_free_areas),
		T(buddy_identity_and_coalescing),
		T(zone_choice_for_every_gfp_combination),
		T(normal_falls_back_down_never_up),
		T(watermarks_and_the_atomic_reserve),
		T(unmovable_steals_whole_pageblocks),
		T(cma_lent_to_movable_only_and_taken_back),
		cmocka_unit_test_setup_teardown(poison_detects_use_after_free, setup_poison, teardown),
		T(init_on_free_zeroes),
		T(double_free_is_reported_and_harmless),
		T(wrong_order_free_is_refused),
		T(failures_are_reported_unless_nowarn),
		T(per_cpu_lists_stay_bounded),
		T(random_workload_conserves_memory),
		T(direct_reclaim_never_recurses),
	};

	return cmocka_run_group_tests_name("page_alloc", tests, NULL, NULL);
}
