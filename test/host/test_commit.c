/*
 * The overcommit policy (mm/commit.c) and its accounting in mm/mmap.c on
 * the host fixture, with the real fault path and page tables:
 *  - CommitLimit and the three modes' decisions against hand-computed
 *    tables (ratio, kbytes, swap, the boundary of mode 2);
 *  - the knobs' range checks (-EINVAL keeps the old value), ratio and
 *    kbytes clearing each other as in Linux;
 *  - what mmap, munmap, brk, mprotect and MAP_FIXED charge and give back
 *    (private writable yes; read-only, shared and MAP_NORESERVE outside
 *    mode 2 no), and mm_destroy giving back everything;
 *  - a refused mmap/brk/mprotect returns -ENOMEM and leaves Committed_AS
 *    and the VMA list exactly as they were;
 *  - page tables: a sparse mapping's tables are counted at every level
 *    (nr_tables, NR_USER_PAGETABLES), and exit_mmap frees them in batches
 *    of bounded size with a scheduling point between them.
 */
#include <errno.h>
#include <host.h>
#include <mm/commit.h>
#include <mm/memory.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/pagoda/syscall.h>
#include <cmocka.h>

#include "user_fixture.h"

#define PG PAGE_SIZE
#define BASE 0x10000000ULL
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static struct mm_struct *mm;
static u64 free_at_start;

static u64 free_pages_now(void)
{
	kmem_cache_shrink_all();
	drain_pcp_pages();
	return nr_free_pages();
}

static int setup(void **state)
{
	(void)state;
	fix_user_setup();
	assert_int_equal(set_overcommit_memory(OVERCOMMIT_GUESS), 0);
	assert_int_equal(set_overcommit_ratio(50), 0);
	free_at_start = free_pages_now();
	mm = mm_create();
	assert_non_null(mm);
	mm->pgt.asid = 1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (mm)
		mm_destroy(mm);
	assert_int_equal(vm_committed_pages(), 0);
	assert_int_equal(vm_stat[NR_USER_PAGETABLES], 0);
	assert_int_equal(free_pages_now(), free_at_start);
	assert_int_equal(host_mmu.bbm_violations, 0);
	fix_mm_teardown();
	return 0;
}

/* ---- the arithmetic ---------------------------------------------------------- */

static void limit_and_modes_by_hand(void **state)
{
	struct commit_policy p = { .mode = OVERCOMMIT_NEVER, .ratio = 50 };

	(void)state;
	/* 1000 RAM pages, 200 swap: 1000 * 50 / 100 + 200 */
	assert_int_equal(commit_limit_pages(&p, 1000, 200), 700);
	p.ratio = 0;
	assert_int_equal(commit_limit_pages(&p, 1000, 200), 200);
	p.ratio = 150; /* ratios over 100 are allowed, as in Linux */
	assert_int_equal(commit_limit_pages(&p, 1000, 0), 1500);
	p.ratio = 33;  /* rounded down: 333 */
	assert_int_equal(commit_limit_pages(&p, 1001, 0), 330);
	p.kbytes = 4000; /* kbytes wins over the ratio: 1000 pages, + swap */
	assert_int_equal(commit_limit_pages(&p, 1000, 200), 1200);
	p.kbytes = 4003; /* partial pages round down */
	assert_int_equal(commit_limit_pages(&p, 1000, 0), 1000);

	/* mode 2: allowed while committed + pages < limit (Linux's test) */
	p = (struct commit_policy){ .mode = OVERCOMMIT_NEVER, .ratio = 50 };
	assert_true(commit_allowed(&p, 699, 0, 1000, 200));
	assert_false(commit_allowed(&p, 700, 0, 1000, 200));
	assert_true(commit_allowed(&p, 99, 600, 1000, 200));
	assert_false(commit_allowed(&p, 100, 600, 1000, 200));
	assert_false(commit_allowed(&p, 1, 700, 1000, 200));
	/* mode 0: one request larger than RAM + swap, whatever is committed */
	p.mode = OVERCOMMIT_GUESS;
	assert_true(commit_allowed(&p, 1200, 0, 1000, 200));
	assert_false(commit_allowed(&p, 1201, 0, 1000, 200));
	assert_true(commit_allowed(&p, 1200, 1000000, 1000, 200));
	/* mode 1: anything */
	p.mode = OVERCOMMIT_ALWAYS;
	assert_true(commit_allowed(&p, ~0ULL >> 13, 1000000, 1000, 200));
}

static void knobs_check_their_range(void **state)
{
	struct commit_policy p;

	(void)state;
	assert_int_equal(set_overcommit_memory(3), -EINVAL);
	assert_int_equal(set_overcommit_memory(-1), -EINVAL);
	assert_int_equal(get_overcommit().mode, OVERCOMMIT_GUESS);
	assert_int_equal(set_overcommit_memory(OVERCOMMIT_NEVER), 0);
	assert_int_equal(get_overcommit().mode, OVERCOMMIT_NEVER);
	assert_int_equal(set_overcommit_ratio(-1), -EINVAL);
	assert_int_equal(set_overcommit_ratio(1001), -EINVAL);
	assert_int_equal(get_overcommit().ratio, 50);
	assert_int_equal(set_overcommit_kbytes(-4), -EINVAL);
	assert_int_equal(get_overcommit().kbytes, 0);
	/* as Linux: setting one of ratio/kbytes clears the other */
	assert_int_equal(set_overcommit_kbytes(4096), 0);
	p = get_overcommit();
	assert_int_equal(p.kbytes, 4096);
	assert_int_equal(p.ratio, 0);
	assert_int_equal(vm_commit_limit(), 1024); /* no swap in this fixture */
	assert_int_equal(set_overcommit_ratio(100), 0);
	p = get_overcommit();
	assert_int_equal(p.kbytes, 0);
	assert_int_equal(p.ratio, 100);
	assert_int_equal(vm_commit_limit(), nr_managed_pages());
	assert_int_equal(set_overcommit_memory(OVERCOMMIT_GUESS), 0);
}

/* ---- charges through the calls ------------------------------------------------ */

static s64 mmap_at(u64 addr, u64 pages, unsigned prot, unsigned flags)
{
	return do_mmap(mm, addr, pages * PG, prot, flags | MAP_FIXED, NULL, 0, 0, NULL);
}

static void calls_charge_and_give_back(void **state)
{
	(void)state;
	assert_int_equal(mmap_at(BASE, 10, RW, ANON), BASE);
	assert_int_equal(vm_committed_pages(), 10);
	assert_int_equal(mmap_at(BASE + 0x100000, 10, PROT_READ, ANON), BASE + 0x100000); /* read-only: no */
	assert_int_equal(mmap_at(BASE + 0x200000, 10, RW, MAP_SHARED | MAP_ANONYMOUS), BASE + 0x200000); /* shared */
	assert_int_equal(mmap_at(BASE + 0x300000, 10, RW, ANON | MAP_NORESERVE), BASE + 0x300000);
	assert_int_equal(vm_committed_pages(), 10);
	/* munmap of the middle of the charged one gives back its pages only */
	assert_int_equal(do_munmap(mm, BASE + 2 * PG, 3 * PG), 0);
	assert_int_equal(vm_committed_pages(), 7);
	/* read-only made writable: charged once; back and forth: no more */
	assert_int_equal(do_mprotect(mm, BASE + 0x100000, 4 * PG, RW), 0);
	assert_int_equal(vm_committed_pages(), 11);
	assert_int_equal(do_mprotect(mm, BASE + 0x100000, 10 * PG, PROT_READ), 0);
	assert_int_equal(do_mprotect(mm, BASE + 0x100000, 10 * PG, RW), 0);
	assert_int_equal(vm_committed_pages(), 17);
	/* NORESERVE (mode 0) made writable again: never charged; shared neither */
	assert_int_equal(do_mprotect(mm, BASE + 0x300000, 10 * PG, PROT_READ), 0);
	assert_int_equal(do_mprotect(mm, BASE + 0x300000, 10 * PG, RW), 0);
	assert_int_equal(do_mprotect(mm, BASE + 0x200000, 10 * PG, PROT_READ), 0);
	assert_int_equal(do_mprotect(mm, BASE + 0x200000, 10 * PG, RW), 0);
	assert_int_equal(vm_committed_pages(), 17);
	/* MAP_FIXED over charged pages: the new mapping is charged, the old given back */
	assert_int_equal(mmap_at(BASE, 10, RW, ANON), BASE);
	assert_int_equal(vm_committed_pages(), 20);
	/* brk: growth charged, shrinking given back */
	mm->start_brk = mm->brk = BASE + 0x1000000;
	assert_int_equal(do_brk(mm, mm->brk + 5 * PG), BASE + 0x1000000 + 5 * PG);
	assert_int_equal(vm_committed_pages(), 25);
	assert_int_equal(do_brk(mm, BASE + 0x1000000 + 2 * PG), BASE + 0x1000000 + 2 * PG);
	assert_int_equal(vm_committed_pages(), 22);
	/* MAP_NORESERVE in mode 2 is charged, as Linux does */
	assert_int_equal(set_overcommit_memory(OVERCOMMIT_NEVER), 0);
	assert_int_equal(set_overcommit_ratio(100), 0);
	assert_int_equal(mmap_at(BASE + 0x400000, 8, RW, ANON | MAP_NORESERVE), BASE + 0x400000);
	assert_int_equal(vm_committed_pages(), 30);
	assert_int_equal(set_overcommit_memory(OVERCOMMIT_GUESS), 0);
	/* exit gives everything back (teardown checks 0) */
	mm_destroy(mm);
	mm = NULL;
}

/* The VMA list as (start, end, flags) triples, for before/after comparisons. */
struct snap {
	unsigned n;
	u64 v[32][3];
};

static struct snap snapshot(void)
{
	struct snap s = { 0 };
	struct vm_area_struct *v;

	for_each_vma(mm, v) {
		assert_true(s.n < 32);
		s.v[s.n][0] = v->start;
		s.v[s.n][1] = v->end;
		s.v[s.n++][2] = v->flags;
	}
	return s;
}

static void expect_unchanged(const struct snap *before)
{
	struct snap now = snapshot();

	assert_memory_equal(before, &now, sizeof(now));
}

static void refused_calls_change_nothing(void **state)
{
	struct snap before;
	u64 brk0 = BASE + 0x1000000, committed;

	(void)state;
	mm->start_brk = mm->brk = brk0;
	assert_int_equal(mmap_at(BASE, 10, RW, ANON), BASE);
	assert_int_equal(mmap_at(BASE + 0x100000, 10, PROT_READ, ANON), BASE + 0x100000);
	assert_int_equal(set_overcommit_memory(OVERCOMMIT_NEVER), 0);
	assert_int_equal(set_overcommit_kbytes(100 * 4), 0); /* CommitLimit: 100 pages */
	committed = vm_committed_pages();
	assert_int_equal(committed, 10);
	before = snapshot();

	/* 90 more would reach the limit: refused; 89 fits */
	assert_int_equal(do_mmap(mm, 0, 90 * PG, RW, ANON, NULL, 0, 0, NULL), -ENOMEM);
	assert_int_equal(mmap_at(BASE + 0x200000, 90, RW, ANON), -ENOMEM);
	assert_int_equal(do_mmap(mm, 0, 90 * PG, RW, ANON | MAP_POPULATE, NULL, 0, 0, NULL), -ENOMEM);
	assert_int_equal(do_brk(mm, brk0 + 90 * PG), brk0);
	assert_int_equal(mm->brk, brk0);
	assert_int_equal(vm_committed_pages(), committed);
	expect_unchanged(&before);

	/* mprotect making 10 read-only pages writable when only 89 remain: fine;
	 * first fill up to 95 so that it does not fit */
	assert_int_equal(mmap_at(BASE + 0x300000, 85, RW, ANON), BASE + 0x300000);
	assert_int_equal(vm_committed_pages(), 95);
	before = snapshot();
	assert_int_equal(do_mprotect(mm, BASE + 0x100000 + 2 * PG, 5 * PG, RW), -ENOMEM);
	assert_int_equal(vm_committed_pages(), 95);
	expect_unchanged(&before);
	/* MAP_FIXED replacing 10 charged pages by 10: allowed (the old ones go back) */
	assert_int_equal(mmap_at(BASE, 10, RW, ANON), BASE);
	assert_int_equal(vm_committed_pages(), 95);
	/* a smaller mmap still fits: 95 + 4 < 100 */
	assert_true(do_mmap(mm, 0, 4 * PG, RW, ANON, NULL, 0, 0, NULL) > 0);
	assert_int_equal(vm_committed_pages(), 99);
	assert_int_equal(do_mmap(mm, 0, PG, RW, ANON, NULL, 0, 0, NULL), -ENOMEM);
	/* read-only and shared mappings are not refused */
	assert_true(do_mmap(mm, 0, 64 * PG, PROT_READ, ANON, NULL, 0, 0, NULL) > 0);
	assert_true(do_mmap(mm, 0, 64 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, NULL, 0, 0, NULL) > 0);
	/* mode 0: one mapping larger than RAM + swap is refused, MAP_NORESERVE is not */
	assert_int_equal(set_overcommit_memory(OVERCOMMIT_GUESS), 0);
	assert_int_equal(do_mmap(mm, 0, (nr_managed_pages() + 1) * PG, RW, ANON, NULL, 0, 0, NULL), -ENOMEM);
	assert_true(do_mmap(mm, 0, nr_managed_pages() * PG, RW, ANON, NULL, 0, 0, NULL) > 0);
	assert_true(do_mmap(mm, 0, 64ULL << 30, RW, ANON | MAP_NORESERVE, NULL, 0, 0, NULL) > 0);
	/* mode 1: anything */
	assert_int_equal(set_overcommit_memory(OVERCOMMIT_ALWAYS), 0);
	assert_true(do_mmap(mm, 0, 128ULL << 30, RW, ANON, NULL, 0, 0, NULL) > 0);
	assert_int_equal(set_overcommit_memory(OVERCOMMIT_GUESS), 0);
	assert_int_equal(set_overcommit_ratio(50), 0);
}

/* ---- page tables and the bounded teardown -------------------------------------- */

#define SPARSE_BASE (1ULL << 30)  /* 1 GiB aligned */
#define SPARSE_SPANS 300          /* one page every 2 MiB over 600 MiB */

static u64 resched_calls, max_tables_per_batch, max_pages_per_batch, last_tables, last_pages;

static void count_batch(void)
{
	u64 t = mm->pgt.nr_tables, p = mm_rss(mm);

	resched_calls++;
	max_tables_per_batch = MAX(max_tables_per_batch, last_tables - t);
	max_pages_per_batch = MAX(max_pages_per_batch, last_pages - p);
	last_tables = t;
	last_pages = p;
}

static void touch(u64 va)
{
	struct fault_info fi;

	assert_int_equal(handle_mm_fault(mm, va, FAULT_WRITE | FAULT_USER, &fi), 0);
}

static void sparse_tables_counted_and_freed_in_batches(void **state)
{
	u64 tables;

	(void)state;
	assert_int_equal(mmap_at(SPARSE_BASE, SPARSE_SPANS * 512, RW, ANON | MAP_NORESERVE), SPARSE_BASE);
	assert_int_equal(vm_committed_pages(), 0);
	for (u64 i = 0; i < SPARSE_SPANS; i++)
		touch(SPARSE_BASE + i * SZ_2M);
	/* 600 MiB from 1 GiB: the root, one level-1 table, one level-2 table
	 * (all below 2 GiB), and one level-3 table per 2 MiB */
	tables = 1 + (mm->pgt.top_level == 0 ? 1 : 0) + 1 + SPARSE_SPANS;
	assert_int_equal(mm->pgt.nr_tables, tables);
	assert_int_equal(vm_stat[NR_USER_PAGETABLES], (s64)tables);
	assert_int_equal(mm_rss(mm), SPARSE_SPANS);
	/* a dense 1 MiB too: a batch frees at most 512 pages */
	assert_int_equal(mmap_at(SPARSE_BASE - SZ_2M, 256, RW, ANON), SPARSE_BASE - SZ_2M);
	for (u64 i = 0; i < 256; i++)
		touch(SPARSE_BASE - SZ_2M + i * PG);

	last_tables = mm->pgt.nr_tables;
	last_pages = mm_rss(mm);
	exit_mmap(mm, count_batch);
	mm = NULL;
	/* 16 spans of one page each per batch (EXIT_BATCH_WORK / (32 + 2)) */
	assert_true(resched_calls >= SPARSE_SPANS / 16);
	assert_true(max_tables_per_batch <= 16);
	assert_true(max_pages_per_batch <= 512);
	assert_int_equal(vm_stat[NR_USER_PAGETABLES], 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(limit_and_modes_by_hand),
		T(knobs_check_their_range),
		T(calls_charge_and_give_back),
		T(refused_calls_change_nothing),
		T(sparse_tables_counted_and_freed_in_batches),
	};

	return cmocka_run_group_tests_name("commit", tests, NULL, NULL);
}
