/*
 * On-target compaction (mm/compaction.c, kernel/kcompactd.c, issue 13
 * item 4) with a real app. Each case fragments the highest zone the same
 * way:
 *
 *   fence (kernel/memfence.c)  takes every free page, then gives back
 *                              whole 4 MiB blocks of the highest zone
 *   memverify N 1 SEED holes,wait
 *                              fills them with N pages of known data and
 *                              gives every other page back (MADV_DONTNEED)
 *
 * so that zone's free memory is single pages between the app's (no free
 * block of order 9 among them). Then:
 *  - compact_memory(1) gathers them: free blocks of order 9 appear, the
 *    app verifies every byte (exit 0), pgmigrate_success counts the moves;
 *  - with every free order-9 block held, a GFP_KERNEL order-9 allocation
 *    succeeds by direct compaction (compact_stall, compact_success);
 *  - with vm.compaction_proactiveness 100, kcompactd0 compacts on its
 *    own (woken by its 500 ms timer; the test waits for its run counter
 *    with a deadline) and the zone's score drops;
 *  - every page comes back.
 * kcompactd is kept out of the first two cases (proactiveness 0) so that
 * what they count is their own compaction.
 */
#include <arch/timer.h>
#include <kernel/appimg.h>
#include <kernel/kcompactd.h>
#include <kernel/ktest.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/compaction.h>
#include <mm/page_alloc.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <string.h>

#include "fragment.h"
#include "mem_state.h"

#define DEADLINE_NS APP_DEADLINE_NS
#define GIVEN_PAGES 8192 /* 32 MiB of whole blocks for the app */
#define HELD_MAX 256

static char out[16384];
static struct mem_state start_state;
static unsigned saved_proactiveness;

static int compaction_init_suite(void)
{
	if (!appimg_count()) {
		printf("# compaction: needs the app image\n");
		return -1;
	}
	saved_proactiveness = sysctl_compaction_proactiveness;
	set_compaction_proactiveness(0);
	start_state = mem_state_settled();
	return 0;
}

static void zone_line(const char *when, struct zone *z)
{
	printf("    # %s: zone %s free %llu, order-9 blocks %llu, unusable_index(9) %d/1000, score %u\n", when,
	       z->name, (unsigned long long)z->nr_free, (unsigned long long)order9_blocks(z),
	       unusable_free_index(z, 9), fragmentation_score_zone(z));
}

/* Fragment the highest zone (fragment.h); false on failure (reported). */
static bool fragment(struct ktest *t, struct fragmented *f, unsigned seed)
{
	const char *why = fragment_zone(f, GIVEN_PAGES, seed, out);

	if (why)
		printf("    # cannot fragment: %s\n", why);
	if (!KT_EXPECT(t, why == NULL))
		return false;
	zone_line("fragmented", f->zone);
	return true;
}

/* The app verifies its pages (exit status 0: every byte intact); the fence comes down. */
static void unfragment(struct ktest *t, struct fragmented *f)
{
	KT_EXPECT_EQ(t, unfragment_zone(f), 0);
}

static void compact_memory_builds_order9_blocks(struct ktest *t)
{
	struct fragmented f;
	u64 blocks, moved = vm_event_read(PGMIGRATE_SUCCESS), t0;

	syscall_capture(out, sizeof(out));
	if (fragment(t, &f, 71)) {
		blocks = order9_blocks(f.zone);
		t0 = timer_now_ns();
		KT_EXPECT_EQ(t, compact_memory(1), 0);
		t0 = timer_now_ns() - t0;
		drain_pcp_pages();
		zone_line("compacted", f.zone);
		moved = vm_event_read(PGMIGRATE_SUCCESS) - moved;
		printf("    # compact_memory: %llu pages moved in %llu us\n", (unsigned long long)moved,
		       (unsigned long long)(t0 / 1000));
		/* the app's ~pages/2 holes are ~pages/1024 blocks of order 9 */
		KT_EXPECT(t, order9_blocks(f.zone) >= blocks + f.pages / 1024 / 2);
		KT_EXPECT(t, moved > f.pages / 8);
		unfragment(t, &f);
	}
	syscall_capture(NULL, 0);
}

static void high_order_allocation_compacts(struct ktest *t)
{
	struct page *held[HELD_MAX], *p;
	struct fragmented f;
	unsigned n = 0;
	u64 stall = vm_event_read(COMPACTSTALL), success = vm_event_read(COMPACTSUCCESS);

	syscall_capture(out, sizeof(out));
	if (fragment(t, &f, 72)) {
		/* allocations that may use the fragmented zone (HighMem: only highmem-capable ones) */
		gfp_t in_zone = f.zone == &zones[ZONE_HIGHMEM] ? __GFP_HIGHMEM | __GFP_MOVABLE : 0;

		/* every free block of order 9 taken, without compacting (no direct reclaim) */
		while (n < HELD_MAX && (p = alloc_pages(GFP_NOWAIT | __GFP_NOWARN | in_zone, 9)))
			held[n++] = p;
		KT_EXPECT(t, n < HELD_MAX);
		KT_EXPECT_EQ(t, order9_blocks(f.zone), 0);
		for (int i = 0; i < MAX_NR_ZONES; i++) /* no deferral left over from earlier suites */
			zones[i].compact_considered = zones[i].compact_defer_shift = 0;
		p = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN | in_zone, 9);
		if (KT_EXPECT(t, p != NULL)) {
			KT_EXPECT(t, page_zone(p) == f.zone);
			free_pages(p, 9);
		}
		KT_EXPECT_EQ(t, vm_event_read(COMPACTSTALL), stall + 1);
		KT_EXPECT_EQ(t, vm_event_read(COMPACTSUCCESS), success + 1);
		while (n)
			free_pages(held[--n], 9);
		unfragment(t, &f);
	}
	syscall_capture(NULL, 0);
}

static void kcompactd_compacts_proactively(struct ktest *t)
{
	struct fragmented f;
	u64 runs = kcompactd_runs, wakes = vm_event_read(KCOMPACTD_WAKE), deadline;
	unsigned score;
	u64 blocks;

	syscall_capture(out, sizeof(out));
	if (fragment(t, &f, 73)) {
		score = fragmentation_score_zone(f.zone);
		blocks = order9_blocks(f.zone);
		KT_EXPECT(t, score > 15);
		KT_EXPECT_EQ(t, set_compaction_proactiveness(100), 0); /* start above 15, stop at 5 */
		deadline = timer_now_ns() + 4ull * KCOMPACTD_PERIOD_MS * 1000000ull;
		while (kcompactd_runs == runs && timer_now_ns() < deadline)
			task_sleep_ns(KCOMPACTD_PERIOD_MS * 1000000ull / 10); /* the run is kcompactd's, not ours */
		set_compaction_proactiveness(0);
		drain_pcp_pages();
		zone_line("after kcompactd0", f.zone);
		KT_EXPECT(t, kcompactd_runs > runs);
		KT_EXPECT(t, vm_event_read(KCOMPACTD_WAKE) > wakes);
		KT_EXPECT(t, fragmentation_score_zone(f.zone) < score);
		KT_EXPECT(t, order9_blocks(f.zone) > blocks);
		unfragment(t, &f);
	}
	syscall_capture(NULL, 0);
}

static void every_page_returns(struct ktest *t)
{
	set_compaction_proactiveness(saved_proactiveness);
	expect_every_page_returns(t, &start_state);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(compact_memory_builds_order9_blocks),
	KTEST_CASE(high_order_allocation_compacts),
	KTEST_CASE(kcompactd_compacts_proactively),
	KTEST_CASE(every_page_returns),
	{ 0 },
};
KTEST_SUITE_INIT(compaction, cases, compaction_init_suite);
