/*
 * The cacheflush system call (mm/cacheflush.c) against the host MMU model,
 * which logs every cache maintenance call: it syncs exactly the present
 * pages of the range, by the app's own addresses, never a page that is
 * not there, and refuses bad arguments without touching a cache.
 */
#include <arch/layout.h>
#include <errno.h>
#include <host.h>
#include <mm/cacheflush.h>
#include <mm/memory.h>
#include <mm/mmap.h>
#include <mm/vma.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "user_fixture.h"

#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define BASE 0x400000ULL

static struct mm_struct *mm;

static int setup(void **state)
{
	struct vm_area_struct *v;
	struct fault_info fi;

	(void)state;
	fix_user_setup();
	mm = mm_create();
	assert_non_null(mm);
	mm->pgt.asid = 1;
	/* two VMAs with a one-page hole: [BASE, +4 pages) and [BASE + 5 pages, +2) */
	v = vma_alloc(mm, BASE, BASE + 4 * PAGE_SIZE, RW, NULL, 0, NULL);
	assert_non_null(v);
	assert_int_equal(vma_link(mm, v), 0);
	v = vma_alloc(mm, BASE + 5 * PAGE_SIZE, BASE + 7 * PAGE_SIZE, RW, NULL, 0, NULL);
	assert_non_null(v);
	assert_int_equal(vma_link(mm, v), 0);
	/* pages 0, 2 and 5 present (written), 1, 3 and 6 never touched */
	for (unsigned p = 0; p < 7; p += p == 0 ? 2 : 3)
		assert_int_equal(handle_mm_fault(mm, BASE + p * PAGE_SIZE, FAULT_WRITE | FAULT_USER, &fi), 0);
	host_mmu_reset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mm_destroy(mm);
	fix_mm_teardown();
	return 0;
}

/* The i-th logged cache call is an I-cache sync of [va, va + size). */
static void assert_ic_sync(unsigned i, u64 va, size_t size)
{
	const struct host_cache_call *c = &host_mmu.cache_log[i % HOST_CACHE_LOG];

	assert_int_equal(c->op, HOST_IC_SYNC);
	assert_int_equal(c->va, va);
	assert_int_equal(c->size, size);
}

static void syncs_only_present_pages_by_user_address(void **state)
{
	(void)state;
	/* from the middle of page 0 to the middle of page 2 */
	assert_int_equal(do_cacheflush(mm, BASE + 0x100, BASE + 2 * PAGE_SIZE + 0x80, 0), 0);
	assert_int_equal(host_mmu.cache_calls, 2);
	assert_ic_sync(0, BASE + 0x100, PAGE_SIZE - 0x100);
	assert_ic_sync(1, BASE + 2 * PAGE_SIZE, 0x80);
	/* page 5 in the second VMA */
	host_mmu_reset();
	assert_int_equal(do_cacheflush(mm, BASE + 5 * PAGE_SIZE, BASE + 7 * PAGE_SIZE, 0), 0);
	assert_int_equal(host_mmu.cache_calls, 1);
	assert_ic_sync(0, BASE + 5 * PAGE_SIZE, PAGE_SIZE);
	/* an empty range is nothing to do */
	host_mmu_reset();
	assert_int_equal(do_cacheflush(mm, BASE, BASE, 0), 0);
	assert_int_equal(host_mmu.cache_calls, 0);
}

static void bad_arguments_touch_no_cache(void **state)
{
	(void)state;
	assert_int_equal(do_cacheflush(mm, BASE, BASE + PAGE_SIZE, 1), -EINVAL);   /* flags */
	assert_int_equal(do_cacheflush(mm, BASE + PAGE_SIZE, BASE, 0), -EINVAL);   /* end < start */
	assert_int_equal(do_cacheflush(mm, 0x1000, 0x2000, 0), -EFAULT);            /* below every VMA */
	assert_int_equal(do_cacheflush(mm, BASE + 7 * PAGE_SIZE, BASE + 8 * PAGE_SIZE, 0), -EFAULT); /* above */
	assert_int_equal(host_mmu.cache_calls, 0);
	/* across the hole: the pages before it were synced, then -EFAULT (as Linux) */
	assert_int_equal(do_cacheflush(mm, BASE + 2 * PAGE_SIZE, BASE + 6 * PAGE_SIZE, 0), -EFAULT);
	assert_int_equal(host_mmu.cache_calls, 1);
	assert_ic_sync(0, BASE + 2 * PAGE_SIZE, PAGE_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(syncs_only_present_pages_by_user_address, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_arguments_touch_no_cache, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
