/*
 * On-target tests of cma_alloc that migrates (mm/cma.c, issue 13 items 2
 * and 3) with real apps (apps/memverify.c):
 *  - with a fence holding everything outside CMA (cma_fill.h), two apps
 *    fill anonymous memory that takes every CMA page and sleep (on every
 *    board: the fence also holds the zones above CMA's); cma_alloc of 8 MiB is
 *    timed (instructions under -icount shift=0: 1 ns of virtual time is
 *    one instruction), then the whole region is taken by migration, every
 *    app page now outside CMA; released, the apps verify every byte
 *    (exit status 0);
 *  - the same fill, then a large dma_alloc_coherent for a CMA-using engine
 *    succeeds inside CMA and the engine copies through it;
 *  - a page pinned by the test (an extra reference, as DMA would hold)
 *    makes the whole region fail with its pfn named, and a range of a
 *    quarter of the region elsewhere succeed; the pinned page stays where
 *    it was;
 *  - every page comes back.
 * Synchronisation: the apps' console output, their sleeping state and the
 * flag word memverify waits for, each with a deadline (app_wait.h).
 */
#include <arch/phys.h>
#include <arch/timer.h>
#include <dma/mapping.h>
#include <drivers/dma_engine.h>
#include <kernel/appimg.h>
#include <kernel/ktest.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/cma.h>
#include <mm/mm_init.h>
#include <mm/mmzone.h>
#include <mm/compaction.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <string.h>

#include "app_wait.h"
#include "cma_fill.h"
#include "mem_state.h"

#define DEADLINE_NS APP_DEADLINE_NS
#define FILL_SPARE 512     /* pages beyond the watermarks left outside CMA: the apps' tables, stacks, slab */
#define FILL_EXTRA 64      /* pages each app faults in beyond the fill: per-CPU list leftovers */
#define FILL_OTHER 64      /* CMA pages the apps' text, data and stacks may take */
#define BENCH_PAGES 2048   /* the 8 MiB cma_alloc that is timed */

static char out[16384];
static struct mem_state start_state;

static unsigned saved_proactiveness;

static int cma_init_suite(void)
{
	if (!appimg_count() || !cma_size) {
		printf("# cma: needs the app image and a CMA region\n");
		return -1;
	}
	saved_proactiveness = sysctl_compaction_proactiveness;
	set_compaction_proactiveness(0); /* kcompactd0 moves nothing this suite counts */
	return 0;
}

static bool in_cma(phys_addr_t pa) { return pa >= cma_base && pa < cma_base + cma_size; }

/* memverify PAGES 1 SEED MODES, filled and asleep (app_wait.h). */
static bool spawn_filled(struct ktest *t, struct app *a, u64 pages, unsigned seed)
{
	return app_spawn_filled(t, a, out, pages, seed, "wait");
}

static struct page *page_at(int pid, u64 va)
{
	struct task *task = task_find(pid);
	phys_addr_t pa;

	if (!task || !task->mm || pgt_query(&task->mm->pgt, va, &pa, NULL, NULL))
		return NULL;
	return pfn_to_page(phys_to_pfn(pa));
}

/* How many of a's resident pages are in CMA. */
static u64 pages_in_cma(struct app *a)
{
	u64 n = 0;

	for (u64 i = 0; i < a->pages; i++) {
		struct page *p = page_at(a->pid, a->region + i * PAGE_SIZE);

		n += p && in_cma(page_to_phys(p));
	}
	return n;
}

/*
 * Two apps whose pages fill CMA, on any board: the region is emptied of
 * earlier borrowers (a cma_alloc of all of it, released), memory outside
 * it is fenced with unmovable allocations that leave the watermarks'
 * pages in unmovable pageblocks of CMA's zone (cma_fill.h), and the apps
 * fault in what is left, which is the whole region and the few pages the
 * fence could not take; the fence comes down after. false on failure
 * (reported).
 */
static bool fill_cma(struct ktest *t, struct app *a, struct app *b)
{
	u64 n = cma_size / PAGE_SIZE, each, lent, free;
	struct cma_fence f;
	struct page *whole = cma_alloc(n, 0);
	bool ok;

	if (!KT_EXPECT(t, whole != NULL) || !KT_EXPECT(t, cma_release(whole, n)) ||
	    !KT_EXPECT(t, cma_fence_up(&f, FILL_SPARE)))
		return false;
	each = f.fill / 2 + FILL_EXTRA;
	ok = spawn_filled(t, a, each, 1) && spawn_filled(t, b, each, 2);
	free = cma_free_pages();
	cma_fence_down(&f);
	if (!ok)
		return false;
	lent = pages_in_cma(a) + pages_in_cma(b);
	printf("    # CMA: %llu pages, %llu of them hold the apps' regions (%llu pages), %llu free\n",
	       (unsigned long long)n, (unsigned long long)lent, (unsigned long long)(2 * each), (unsigned long long)free);
	KT_EXPECT_EQ(t, free, 0);
	KT_EXPECT(t, lent >= n - FILL_OTHER); /* the rest: the apps' text, data and stacks */
	return true; /* the apps are running: the caller releases them */
}

/* ---- cases ------------------------------------------------------------------- */

static void whole_region_taken_while_apps_keep_their_data(struct ktest *t)
{
	struct app a, b;
	u64 n = cma_size / PAGE_SIZE, t0, ns;
	struct page *c;

	start_state = mem_state_settled();
	syscall_capture(out, sizeof(out));
	if (fill_cma(t, &a, &b)) {
		u64 bench = MIN((u64)BENCH_PAGES, n);

		u64 moved = vm_events[PGMIGRATE_SUCCESS];

		t0 = timer_now_ns();
		c = cma_alloc(bench, 9);
		ns = timer_now_ns() - t0;
		moved = vm_events[PGMIGRATE_SUCCESS] - moved;
		if (KT_EXPECT(t, c != NULL)) {
			printf("    # cma_alloc of %llu KiB with the region lent to the apps: %llu instructions, %llu per page"
			       " of the range, %llu pages migrated (%llu per migrated page; exact under -icount shift=0)\n",
			       (unsigned long long)(bench * 4), (unsigned long long)ns, (unsigned long long)(ns / bench),
			       (unsigned long long)moved, (unsigned long long)(moved ? ns / moved : 0));
			KT_EXPECT(t, cma_release(c, bench));
		}
		c = cma_alloc(n, 0);
		if (KT_EXPECT(t, c != NULL)) {
			KT_EXPECT_EQ(t, page_to_phys(c), cma_base);
			KT_EXPECT_EQ(t, pages_in_cma(&a) + pages_in_cma(&b), 0);
			KT_EXPECT(t, cma_release(c, n));
		}
		KT_EXPECT_EQ(t, app_release(t, &a), 0);
		KT_EXPECT_EQ(t, app_release(t, &b), 0);
	}
	syscall_capture(NULL, 0);
}

static void large_coherent_buffer_for_a_cma_engine(struct ktest *t)
{
	struct dma_engine *e = NULL;
	size_t size = MIN(8ULL << 20, cma_size);
	struct app a, b;

	for (unsigned i = 0; i < dma_engine_count() && !e; i++)
		if (dma_engine_device(dma_engine_get(i))->uses_cma)
			e = dma_engine_get(i);
	if (!e) {
		printf("    # no engine uses CMA on this board: nothing to test\n");
		return;
	}
	syscall_capture(out, sizeof(out));
	if (fill_cma(t, &a, &b)) {
		struct device *d = dma_engine_device(e);
		dma_addr_t h;
		u8 *buf = dma_alloc_coherent(d, size, &h, GFP_KERNEL);
		u64 err = 0;

		if (KT_EXPECT(t, buf != NULL)) {
			KT_EXPECT(t, in_cma(dma_to_phys(d, h)));
			for (size_t i = 0; i < size / 2; i++)
				buf[i] = (u8)(i * 7 + 3);
			memset(buf + size / 2, 0, size / 2);
			KT_EXPECT_EQ(t, dma_engine_copy(e, 0, h + size / 2, h, (u32)(size / 2), &err), 0);
			KT_EXPECT(t, !memcmp(buf, buf + size / 2, size / 2));
			dma_free_coherent(d, size, buf, h);
		}
		KT_EXPECT_EQ(t, app_release(t, &a), 0);
		KT_EXPECT_EQ(t, app_release(t, &b), 0);
	}
	syscall_capture(NULL, 0);
}

static void pinned_page_fails_its_range_another_succeeds(struct ktest *t)
{
	struct app a, b;

	/* a quarter of the region, aligned to its size: the range asked for beside the pinned page */
	u64 quarter = cma_size / PAGE_SIZE / 4;
	unsigned qorder = (unsigned)__builtin_ctzll(quarter);

	syscall_capture(out, sizeof(out));
	if (fill_cma(t, &a, &b)) {
		struct page *pinned = NULL, *c;
		u64 busy0 = cma_stats.fail_busy, pfn;

		for (u64 i = 0; i < a.pages && !pinned; i++) {
			struct page *p = page_at(a.pid, a.region + i * PAGE_SIZE);

			if (p && in_cma(page_to_phys(p)))
				pinned = p;
		}
		if (KT_EXPECT(t, pinned != NULL)) {
			pfn = page_to_pfn(pinned);
			pinned->refcount++; /* held as an in-flight DMA transfer would */
			KT_EXPECT(t, cma_alloc(cma_size / PAGE_SIZE, 0) == NULL);
			KT_EXPECT_EQ(t, cma_stats.fail_busy, busy0 + 1);
			KT_EXPECT_EQ(t, cma_stats.last_busy_pfn, pfn);
			c = cma_alloc(quarter, qorder);
			if (KT_EXPECT(t, c != NULL)) {
				KT_EXPECT(t, pfn < page_to_pfn(c) || pfn >= page_to_pfn(c) + quarter);
				KT_EXPECT(t, cma_release(c, quarter));
			}
			KT_EXPECT(t, pinned->refcount > 1);
			pinned->refcount--;
		}
		KT_EXPECT_EQ(t, app_release(t, &a), 0);
		KT_EXPECT_EQ(t, app_release(t, &b), 0);
	}
	syscall_capture(NULL, 0);
}

static void every_page_returns(struct ktest *t)
{
	set_compaction_proactiveness(saved_proactiveness);
	expect_every_page_returns(t, &start_state);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(whole_region_taken_while_apps_keep_their_data),
	KTEST_CASE(large_coherent_buffer_for_a_cma_engine),
	KTEST_CASE(pinned_page_fails_its_range_another_succeeds),
	KTEST_CASE(every_page_returns),
	{ 0 },
};
KTEST_SUITE_INIT(cma, cases, cma_init_suite);
