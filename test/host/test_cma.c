/*
 * cma_alloc that migrates, on the host with the real sources (mm/cma.c,
 * mm/cma_migrate.c, mm/migrate.c under the fault path). A fence of
 * unmovable pages fills everything outside CMA so that an app's anonymous
 * pages land in CMA; then:
 *
 *  - the whole region is taken by migration: every page moved outside CMA,
 *    its data, PTE, rss and the vm_stat gauges intact;
 *  - a pinned page makes its 4 MiB range fail and another range succeed;
 *    the whole region fails with that pfn, and nothing changed (free
 *    counts, CMA free count, pageblock types, data);
 *  - no memory to move pages to (the fence kept): the isolation is undone
 *    (pageblock types back to CMA, free counts equal, the CMA frames of
 *    the pages that moved before the failure free again), data intact.
 */
#include <arch/phys.h>
#include <host.h>
#include <mm/cma.h>
#include <mm/memory.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "user_fixture.h"
#include "page_pattern.h"

#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define BASE 0x400000ULL
#define APP_PAGES 2048ULL /* 8 MiB of the 16 MiB region */
#define FULL_PAGES 3584ULL /* 14 MiB */

static struct mm_struct *mm;
static struct list_head fence = LIST_HEAD_INIT(fence);

static int setup(void **state)
{
	(void)state;
	fix_user_setup();
	memset(&cma_stats, 0, sizeof(cma_stats));
	assert_int_equal(swap_init(), 0);
	cma_migrate_init();
	mm = mm_create();
	assert_non_null(mm);
	mm->pgt.asid = 1;
	return 0;
}

static void fence_down(void)
{
	while (!list_empty(&fence)) {
		struct page *p = list_first_entry(&fence, struct page, lru);

		list_del(&p->lru);
		free_page(p);
	}
}

static int teardown(void **state)
{
	(void)state;
	fence_down();
	mm_destroy(mm);
	for (int i = 0; i < NR_VM_STAT_ITEMS; i++)
		if (vm_stat[i])
			fail_msg("vm_stat[%d] = %lld after teardown", i, (long long)vm_stat[i]);
	assert_int_equal(host_mmu.bbm_violations, 0);
	fix_mm_teardown();
	return 0;
}

static bool in_cma(const struct page *p)
{
	phys_addr_t pa = page_to_phys(p);

	return pa >= cma_base && pa < cma_base + cma_size;
}

/* Take every free page outside CMA (unmovable allocations cannot use CMA)
 * but 64 for the app's page tables and slab; movable allocations then
 * take CMA first (it holds nearly all free memory). */
static void fence_up(void)
{
	struct page *p;

	while ((p = alloc_page(__GFP_NOWARN)))
		list_add(&p->lru, &fence);
	for (int i = 0; i < 64 && !list_empty(&fence); i++) {
		p = list_first_entry(&fence, struct page, lru);
		list_del(&p->lru);
		free_page(p);
	}
	drain_pcp_pages();
}

static struct page *page_in(u64 va)
{
	phys_addr_t pa;

	return pgt_query(&mm->pgt, va, &pa, NULL, NULL) ? NULL : pfn_to_page(phys_to_pfn(pa));
}

static bool pattern_at(u64 i)
{
	u64 want[PAGE_SIZE / 8];

	semi_page(want, i);
	return memcmp(page_address(page_in(BASE + i * PAGE_SIZE)), want, PAGE_SIZE) == 0;
}

/* The app's pages, written with a pattern, all in CMA (the fence stays up). */
static void app_in_cma(u64 n)
{
	struct vm_area_struct *v = vma_alloc(mm, BASE, BASE + n * PAGE_SIZE, RW, NULL, 0, NULL);
	struct fault_info fi;

	assert_non_null(v);
	assert_int_equal(vma_link(mm, v), 0);
	fence_up();
	for (u64 i = 0; i < n; i++) {
		u64 va = BASE + i * PAGE_SIZE;

		assert_int_equal(handle_mm_fault(mm, va, FAULT_WRITE | FAULT_USER, &fi), 0);
		semi_page(page_address(page_in(va)), i);
		if (!in_cma(page_in(va)))
			fail_msg("app page %llu at %#llx is not in CMA", (unsigned long long)i,
				 (unsigned long long)page_to_phys(page_in(va)));
	}
}

static void assert_app_intact(u64 n)
{
	for (u64 i = 0; i < n; i++) {
		struct page *p = page_in(BASE + i * PAGE_SIZE);

		assert_non_null(p);
		assert_true(PAGE_FLAG(p, PG_lru));
		if (!pattern_at(i))
			fail_msg("app page %llu lost its data", (unsigned long long)i);
	}
	assert_int_equal(mm->rss[MM_ANONPAGES], n);
}

static void assert_all_cma_pageblocks(void)
{
	u64 base = phys_to_pfn(cma_base);
	struct zone *z = page_zone(pfn_to_page(base));

	for (u64 pb = base; pb < base + cma_size / PAGE_SIZE; pb += PAGEBLOCK_PAGES)
		assert_int_equal(pageblock_migratetype(z, pb), MIGRATE_CMA);
}

static void whole_region_taken_by_migration(void **state)
{
	u64 n = cma_size / PAGE_SIZE;
	s64 anon0;
	struct page *c;

	(void)state;
	app_in_cma(APP_PAGES);
	fence_down(); /* room outside CMA for the pages to move to */
	anon0 = vm_stat[NR_ANON_MAPPED];
	c = cma_alloc(n, 0);
	assert_non_null(c);
	assert_int_equal(page_to_phys(c), cma_base);
	for (u64 i = 0; i < n; i++)
		assert_true(PAGE_FLAG(&c[i], PG_cma_alloc) && c[i].refcount == 1);
	assert_app_intact(APP_PAGES);
	for (u64 i = 0; i < APP_PAGES; i++)
		assert_false(in_cma(page_in(BASE + i * PAGE_SIZE)));
	assert_int_equal(vm_stat[NR_ANON_MAPPED], anon0);
	assert_int_equal(vm_events[PGMIGRATE_SUCCESS], APP_PAGES);
	assert_int_equal(nr_free_cma_pages(), 0);
	assert_int_equal(cma_stats.allocs, 1);
	assert_true(cma_release(c, n));
	assert_int_equal(nr_free_cma_pages(), n);
	assert_all_cma_pageblocks();
}

static void pinned_page_fails_its_range_not_the_next(void **state)
{
	u64 n = cma_size / PAGE_SIZE, free0, cma_free0, pinned_pfn, got;
	struct page *pinned, *c;

	(void)state;
	app_in_cma(FULL_PAGES); /* every 4 MiB window of the region has app pages */
	fence_down();
	pinned = page_in(BASE + 5 * PAGE_SIZE);
	pinned_pfn = page_to_pfn(pinned);
	pinned->refcount++; /* an extra reference: under DMA, or the kernel holds it */
	drain_pcp_pages();
	free0 = nr_free_pages();
	cma_free0 = nr_free_cma_pages();
	/* the whole region contains it: fails, and nothing changed */
	assert_null(cma_alloc(n, 0));
	assert_int_equal(cma_stats.fail_busy, 1);
	assert_int_equal(vm_events[PGMIGRATE_SUCCESS], 0);
	drain_pcp_pages();
	assert_int_equal(nr_free_pages(), free0);
	assert_int_equal(nr_free_cma_pages(), cma_free0);
	assert_all_cma_pageblocks();
	assert_app_intact(FULL_PAGES);
	assert_ptr_equal(page_in(BASE + 5 * PAGE_SIZE), pinned);
	/* 4 MiB aligned to 4 MiB: the pinned page's range fails, another succeeds */
	c = cma_alloc(1024, 10);
	assert_non_null(c);
	got = page_to_pfn(c);
	assert_true(pinned_pfn < got || pinned_pfn >= got + 1024);
	assert_ptr_equal(page_in(BASE + 5 * PAGE_SIZE), pinned); /* the pinned page did not move */
	assert_app_intact(FULL_PAGES);
	assert_true(cma_release(c, 1024));
	pinned->refcount--;
	assert_all_cma_pageblocks();
}

static void no_memory_to_move_to_undoes_isolation(void **state)
{
	u64 free0, cma_free0;

	(void)state;
	app_in_cma(APP_PAGES); /* the fence stays up: nowhere outside CMA to go */
	drain_pcp_pages();
	free0 = nr_free_pages();
	cma_free0 = nr_free_cma_pages();
	assert_null(cma_alloc(cma_size / PAGE_SIZE, 0));
	assert_int_equal(cma_stats.fail_busy, 1);
	/* the few pages that found room moved (their CMA frames are free again);
	 * nothing was lost and the region is lendable again */
	assert_true(vm_events[PGMIGRATE_SUCCESS] > 0 && vm_events[PGMIGRATE_SUCCESS] < APP_PAGES);
	assert_int_equal(vm_events[PGMIGRATE_FAIL], 1);
	drain_pcp_pages();
	assert_int_equal(nr_free_pages(), free0);
	assert_int_equal(nr_free_cma_pages(), cma_free0 + vm_events[PGMIGRATE_SUCCESS]);
	assert_all_cma_pageblocks();
	assert_app_intact(APP_PAGES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(whole_region_taken_by_migration),
		T(pinned_page_fails_its_range_not_the_next),
		T(no_memory_to_move_to_undoes_isolation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
