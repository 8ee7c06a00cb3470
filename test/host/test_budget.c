/*
 * Per-app budgets on the host (mm/budget.c) under the real fault path
 * (mm/memory.c, rmap, lru, filemap) and the real swap (mm/swap.c, zram):
 *  - the arithmetic: a new anon page +1, swap-out (MADV_PAGEOUT) and
 *    swap-in neutral, a COW of a mapped file page neutral;
 *  - the limit's edge: the page that reaches the limit is served, the next
 *    one calls the OOM hook and fails with nothing allocated;
 *  - over the limit with file pages mapped: they are unmapped instead;
 *  - the set/get rounding and errnos, and panic_on_oom's rule
 *    (oom_panics: 1 spares a budget OOM, 2 does not).
 */
#include <arch/phys.h>
#include <errno.h>
#include <host.h>
#include <kernel/oom.h>
#include <mm/budget.h>
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/vma.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "user_fixture.h"

#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define RX (VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYEXEC)
#define BASE 0x400000ULL
#define FBASE 0x800000ULL
#define FILE_PAGES 16

static struct mm_struct *mm;
static struct address_space file;
static unsigned oom_calls;

static int file_readpage(struct address_space *as, u64 index, void *dst)
{
	(void)as;
	memset(dst, 0x40 + (int)index, PAGE_SIZE);
	return 0;
}
static const struct address_space_ops file_ops = { .readpage = file_readpage };

static void oom_hook(struct mm_struct *m, gfp_t gfp)
{
	(void)gfp;
	assert_ptr_equal(m, mm);
	oom_calls++;
}

static int setup(void **state)
{
	(void)state;
	fix_user_setup();
	assert_int_equal(swap_init(), 0);
	assert_int_equal(swap_reinit(8ull << 20, 0), 0);
	assert_int_equal(address_space_init(&file, "/apps/text", FILE_PAGES * PAGE_SIZE, &file_ops, NULL, 9), 0);
	mm = mm_create();
	assert_non_null(mm);
	mm->pgt.asid = 1;
	oom_calls = 0;
	mem_budget_oom_hook = oom_hook;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mm_destroy(mm);
	address_space_put(&file);
	assert_int_equal(swap_reinit(0, 0), 0);
	mem_budget_oom_hook = NULL;
	fix_mm_teardown();
	return 0;
}

static void map(u64 start, u64 pages, u64 flags, struct address_space *as)
{
	struct vm_area_struct *v = vma_alloc(mm, start, start + pages * PAGE_SIZE, flags, as, 0, NULL);

	assert_non_null(v);
	assert_int_equal(vma_link(mm, v), 0);
}

static int fault(u64 addr, unsigned access)
{
	struct fault_info fi;

	return handle_mm_fault(mm, addr, access | FAULT_USER, &fi);
}

static void charge_arithmetic(void **state)
{
	struct vm_area_struct *v;
	u64 u0;

	(void)state;
	map(BASE, 8, RW, NULL);
	u0 = mm_budget_usage(mm);
	assert_int_equal(fault(BASE, FAULT_WRITE), 0);
	assert_int_equal(mm_budget_usage(mm), u0 + 1); /* a new page +1 */
	assert_int_equal(fault(BASE + PAGE_SIZE, FAULT_WRITE), 0);
	assert_int_equal(mm_budget_usage(mm), u0 + 2);
	v = vma_lookup(mm, BASE);
	assert_int_equal(madvise_pageout_range(v, BASE, BASE + 2 * PAGE_SIZE), 2);
	assert_int_equal(mm->rss[MM_SWAPENTS], 2);
	assert_int_equal(mm_budget_usage(mm), u0 + 2); /* swap-out neutral */
	assert_int_equal(fault(BASE, FAULT_WRITE), 0);
	assert_int_equal(mm->rss[MM_SWAPENTS], 1);
	assert_int_equal(mm_budget_usage(mm), u0 + 2); /* swap-in neutral */
	map(FBASE, 4, RW, &file);
	assert_int_equal(fault(FBASE, FAULT_READ), 0);
	assert_int_equal(mm_budget_usage(mm), u0 + 3); /* a file page +1 */
	assert_int_equal(fault(FBASE, FAULT_WRITE), 0); /* COW of the mapped file page */
	assert_int_equal(mm_budget_usage(mm), u0 + 3);
	assert_int_equal(mm->rss[MM_FILEPAGES], 0);
	/* the pure rule */
	assert_int_equal(mm_budget_excess(10, 0, 1), 0);
	assert_int_equal(mm_budget_excess(9, 10, 1), 0);
	assert_int_equal(mm_budget_excess(10, 10, 1), 1);
	assert_int_equal(mm_budget_excess(14, 10, 1), 5);
}

static void limit_edge(void **state)
{
	u64 free0;

	(void)state;
	map(BASE, 8, RW, NULL);
	assert_int_equal(mm_budget_set(mm, 3 * 4), 0);
	assert_int_equal(fault(BASE, FAULT_WRITE), 0);
	assert_int_equal(fault(BASE + PAGE_SIZE, FAULT_WRITE), 0);
	assert_int_equal(fault(BASE + 2 * PAGE_SIZE, FAULT_WRITE), 0); /* reaches the limit */
	assert_int_equal(oom_calls, 0);
	free0 = nr_free_pages();
	assert_int_equal(fault(BASE + 3 * PAGE_SIZE, FAULT_WRITE), -ENOMEM); /* one past it */
	assert_int_equal(oom_calls, 1);
	assert_int_equal(nr_free_pages(), free0); /* nothing allocated, nothing leaked */
	assert_int_equal(mm_budget_usage(mm), 3);
	assert_int_equal(mm->budget.failcnt, 1);
	assert_int_equal(fault(BASE + 3 * PAGE_SIZE, FAULT_READ), 0); /* the zero page costs nothing */
	assert_int_equal(mm_budget_set(mm, 0), 0);
	assert_int_equal(fault(BASE + 3 * PAGE_SIZE, FAULT_WRITE), 0);
}

static void file_pages_reclaimed_first(void **state)
{
	(void)state;
	map(FBASE, FILE_PAGES, RX, &file);
	map(BASE, 8, RW, NULL);
	for (u64 i = 0; i < FILE_PAGES; i++)
		assert_int_equal(fault(FBASE + i * PAGE_SIZE, FAULT_READ), 0);
	assert_int_equal(mm->rss[MM_FILEPAGES], FILE_PAGES);
	assert_int_equal(mm_budget_set(mm, FILE_PAGES * 4), 0); /* exactly its usage */
	for (u64 i = 0; i < 8; i++)
		assert_int_equal(fault(BASE + i * PAGE_SIZE, FAULT_WRITE), 0);
	assert_int_equal(oom_calls, 0);
	assert_int_equal(mm->rss[MM_ANONPAGES], 8);
	assert_true(mm_budget_usage(mm) <= FILE_PAGES);
	assert_true(mm->budget.reclaimed >= 8);
	assert_int_equal(file.nrpages, FILE_PAGES); /* unmapped, still cached */
	/* a batch (32) was asked for: every file page went, only anon is left
	 * to take, and the next page past the limit is refused */
	assert_int_equal(mm->rss[MM_FILEPAGES], 0);
	assert_int_equal(mm_budget_set(mm, 8 * 4), 0);
	assert_int_equal(fault(FBASE, FAULT_READ), -ENOMEM);
	assert_int_equal(oom_calls, 1);
	assert_int_equal(mm->rss[MM_ANONPAGES], 8); /* swapping anon would not lower usage: left */
}

static void set_get_and_panic_rule(void **state)
{
	(void)state;
	assert_int_equal(mm_budget_set(mm, 3), -EINVAL);
	assert_int_equal(mm_budget_set(mm, 4099), 0);
	assert_int_equal(mm_budget_get_kb(mm), 4096);
	assert_int_equal(mm_budget_set(mm, 0), 0);
	assert_int_equal(mm_budget_get_kb(mm), 0);
	assert_false(oom_panics(0, false));
	assert_false(oom_panics(0, true));
	assert_true(oom_panics(1, false));
	assert_false(oom_panics(1, true)); /* confined to one app's budget */
	assert_true(oom_panics(2, false));
	assert_true(oom_panics(2, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(charge_arithmetic, setup, teardown),
		cmocka_unit_test_setup_teardown(limit_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(file_pages_reclaimed_first, setup, teardown),
		cmocka_unit_test_setup_teardown(set_get_and_panic_rule, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
