/*
 * The page allocator's direct-reclaim loop with a HighMem zone (issue 15),
 * on the fixture board with its top 64 MiB made highmem. With HighMem at
 * its min watermark, a highmem-capable allocation can use a lowmem zone
 * only above that zone's lowmem reserve (highmem pages / 32 for Normal),
 * so reclaim that frees lowmem pages (the LRU is one list for all zones)
 * helps it only once they add up to the reserve:
 *
 *  - the allocation keeps reclaiming while each pass brings a zone it may
 *    use nearer its mark, and succeeds without the OOM killer (it used to
 *    give up after 4 passes that freed pages, with neither a page nor an
 *    OOM kill: the app died of "out of memory for a page" while its
 *    highmem pages could still be swapped);
 *  - passes that "free" pages but bring no zone nearer end, after a bound,
 *    in the OOM killer (it used to fail without calling it); with
 *    __GFP_NORETRY, after four passes, in failure;
 *  - "reclaim needed" for an allocation looks at the zones it may use: a
 *    balanced HighMem does not make GFP_KERNEL's lowmem balanced (the OOM
 *    reaper stops on it: it used to stop after one 2 MiB span of a victim
 *    whose pages were highmem, with the kernel's lowmem still short);
 *  - kswapd balances for the highest zone of the allocations that woke
 *    it: woken by GFP_KERNEL, a balanced HighMem does not stop it.
 * Reclaim and the OOM killer are fakes installed in reclaim_hooks.
 */
#include <host.h>
#include <mm/highmem.h>
#include <mm/page_alloc.h>
#include <mm/shrinker.h>
#include <mm/vmscan.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "mm_fixture.h"

#define HIGH_BYTES (64ULL << 20)

static LIST_HEAD(held_high);
static LIST_HEAD(held_low);
static LIST_HEAD(held_kernel);
static unsigned reclaim_calls, oom_calls;
static u64 freed_per_call;

static int setup(void **state)
{
	(void)state;
	fix_highmem_bytes = HIGH_BYTES;
	fix_mm_setup(false, false);
	reclaim_calls = oom_calls = 0;
	return 0;
}

static void free_list(struct list_head *l)
{
	struct page *p, *n;

	list_for_each_entry_safe(p, n, l, lru) {
		list_del(&p->lru);
		free_page(p);
	}
}

static int teardown(void **state)
{
	(void)state;
	reclaim_hooks.direct_reclaim = NULL;
	reclaim_hooks.out_of_memory = NULL;
	free_list(&held_high);
	free_list(&held_low);
	free_list(&held_kernel);
	fix_mm_teardown();
	fix_highmem_bytes = 0;
	return 0;
}

/* Take every page a highmem-capable allocation gets without reclaim:
 * HighMem down to its min, each lowmem zone down to min + its reserve;
 * then the kernel's own allocations (zram's store, page tables: lowmem)
 * take every lowmem zone down to its min, as under swap on the target. */
static void fill(void)
{
	struct page *p;

	drain_pcp_pages(); /* per-CPU pages count once drained */
	while ((p = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN | __GFP_NORETRY)))
		list_add_tail(&p->lru, p->zone == ZONE_HIGHMEM ? &held_high : &held_low);
	drain_pcp_pages();
	while ((p = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN | __GFP_NORETRY)))
		list_add_tail(&p->lru, p->zone == ZONE_HIGHMEM ? &held_high : &held_low);
	assert_false(list_empty(&held_high));
	assert_false(list_empty(&held_low));
	for (int round = 0; round < 2; round++) {
		while ((p = alloc_page(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY))) {
			assert_false(PageHighMem(p));
			list_add_tail(&p->lru, &held_kernel);
		}
		drain_pcp_pages();
	}
}

/* Reclaim as the LRU sees it here: the oldest pages are lowmem ones. */
static u64 reclaim_lowmem(gfp_t gfp, unsigned order)
{
	u64 n = 0;

	(void)gfp, (void)order;
	reclaim_calls++;
	while (n < freed_per_call && !list_empty(&held_low)) {
		struct page *p = list_first_entry(&held_low, struct page, lru);

		list_del(&p->lru);
		free_page(p);
		n++;
	}
	drain_pcp_pages();
	return n;
}

/* Pages "freed" that something else took at once. */
static u64 reclaim_useless(gfp_t gfp, unsigned order)
{
	(void)gfp, (void)order;
	reclaim_calls++;
	return 32;
}

static bool oom_fails(gfp_t gfp, unsigned order)
{
	(void)gfp, (void)order;
	oom_calls++;
	return false;
}

static void lowmem_freed_behind_the_reserve_is_progress(void **state)
{
	u64 reserve = zones[ZONE_NORMAL].lowmem_reserve[ZONE_HIGHMEM];
	struct page *p;

	(void)state;
	fill();
	/* the reserve takes several passes of 32 to cross */
	assert_true(reserve > 4 * 32);
	freed_per_call = 32;
	reclaim_hooks.direct_reclaim = reclaim_lowmem;
	reclaim_hooks.out_of_memory = oom_fails;
	p = alloc_page(GFP_HIGHUSER_MOVABLE);
	assert_non_null(p);
	assert_false(PageHighMem(p)); /* HighMem is still at its min */
	assert_true(reclaim_calls > 4);
	assert_int_equal(oom_calls, 0);
	free_page(p);
}

static void no_usable_progress_ends_in_the_oom_killer(void **state)
{
	(void)state;
	fill();
	reclaim_hooks.direct_reclaim = reclaim_useless;
	reclaim_hooks.out_of_memory = oom_fails;
	assert_null(alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN));
	assert_int_equal(oom_calls, 1);
	assert_true(reclaim_calls > 4); /* a few passes first: pages may come back */
	/* __GFP_NORETRY: four passes at most, never the OOM killer */
	oom_calls = reclaim_calls = 0;
	assert_null(alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN | __GFP_NORETRY));
	assert_int_equal(oom_calls, 0);
	assert_int_equal(reclaim_calls, 4);
}

static void balanced_highmem_does_not_balance_lowmem(void **state)
{
	struct zone *high = &zones[ZONE_HIGHMEM];
	struct page *p, *n;

	(void)state;
	fill();
	assert_true(reclaim_needed_for(GFP_KERNEL));
	assert_true(reclaim_needed_for(GFP_HIGHUSER_MOVABLE));
	/* a victim's highmem pages come back: HighMem over its high mark */
	list_for_each_entry_safe(p, n, &held_high, lru) {
		if (high->nr_free > 2 * high->watermark[WMARK_HIGH])
			break;
		list_del(&p->lru);
		free_page(p);
		drain_pcp_pages();
	}
	assert_true(high->nr_free > high->watermark[WMARK_HIGH]);
	assert_false(reclaim_needed());
	assert_false(reclaim_needed_for(GFP_HIGHUSER_MOVABLE));
	assert_true(reclaim_needed_for(GFP_KERNEL)); /* lowmem is still at its min */
	/* the kernel's own pages come back: Normal over high, GFP_KERNEL is served */
	free_list(&held_kernel);
	drain_pcp_pages();
	assert_false(reclaim_needed_for(GFP_KERNEL));
}

/* A shrinker that gives back up to 64 of the kernel's held lowmem pages. */
static unsigned shrinker_calls;

static u64 give_back_kernel_pages(gfp_t gfp, unsigned order)
{
	struct page *p, *n;
	u64 freed = 0;

	(void)gfp, (void)order;
	shrinker_calls++;
	list_for_each_entry_safe(p, n, &held_kernel, lru) {
		if (freed == 64)
			break;
		list_del(&p->lru);
		free_page(p);
		freed++;
	}
	return freed;
}

static void kswapd_balances_the_zones_its_wakers_use(void **state)
{
	struct shrinker s = { .name = "test", .scan = give_back_kernel_pages };
	struct zone *high = &zones[ZONE_HIGHMEM];
	struct page *p, *n;

	(void)state;
	fill();
	list_for_each_entry_safe(p, n, &held_high, lru) { /* HighMem over its high mark */
		if (high->nr_free > 2 * high->watermark[WMARK_HIGH])
			break;
		list_del(&p->lru);
		free_page(p);
		drain_pcp_pages();
	}
	register_shrinker(&s);
	/* woken by a HighMem allocation: balanced, nothing to do */
	assert_false(kswapd_needed(ZONE_HIGHMEM));
	assert_int_equal(kswapd_balance(ZONE_HIGHMEM), 0);
	assert_int_equal(shrinker_calls, 0);
	/* woken by GFP_KERNEL: lowmem is at its min, kswapd works until it is not */
	assert_true(kswapd_needed(ZONE_NORMAL));
	for (unsigned batches = 0; kswapd_needed(ZONE_NORMAL); batches++) {
		assert_true(batches < 1000);
		assert_true(kswapd_balance(ZONE_NORMAL) > 0);
	}
	assert_true(shrinker_calls > 0);
	assert_false(reclaim_needed_for(GFP_KERNEL));
	unregister_shrinker(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(lowmem_freed_behind_the_reserve_is_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(kswapd_balances_the_zones_its_wakers_use, setup, teardown),
		cmocka_unit_test_setup_teardown(no_usable_progress_ends_in_the_oom_killer, setup, teardown),
		cmocka_unit_test_setup_teardown(balanced_highmem_does_not_balance_lowmem, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
