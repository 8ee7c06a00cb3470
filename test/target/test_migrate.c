/*
 * On-target tests of page migration (mm/migrate.c, issue 13 item 1) with
 * real apps (apps/memverify.c, apps/sharer.c):
 *  - two apps fill anonymous memory and sleep; the kernel moves every
 *    page of their regions (found by walking their PTEs) to new frames;
 *    released, they verify every byte (exit status 0);
 *  - the same for a shmem (MAP_SHARED) region and an mlocked one;
 *  - a text page shared by two running instances of one program moves
 *    for both (one new frame, both PTEs, mapcount 2), and they run on;
 *  - a pinned page (an extra reference, as DMA would hold) is refused with
 *    nothing changed; unpinned, it moves;
 *  - instructions per migrated page against a 4 KiB copy (exact under
 *    -icount shift=0, where 1 ns of virtual time is one instruction);
 *  - two running apps (apps/churn.c) keep faulting in fresh pages, writing,
 *    verifying and unmapping them while a kernel thread moves their
 *    resident pages over and over, one page per app between yields;
 *  - pgmigrate_success counts every move; every page comes back.
 * Synchronisation: the apps' console output, their sleeping state and the
 * flag word memverify waits for, each with a deadline (app_wait.h); the
 * churn case waits for the apps' exit and stops its thread with
 * kthread_stop.
 */
#include <arch/mmu.h>
#include <arch/timer.h>
#include <errno.h>
#include <kernel/appimg.h>
#include <kernel/kthread.h>
#include <kernel/ktest.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/compaction.h>
#include <mm/migrate.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/pagoda/syscall.h>

#include "app_wait.h"
#include "mem_state.h"

#define DEADLINE_NS APP_DEADLINE_NS
#define APP_PAGES 512  /* each app's region: 2 MiB */
#define BENCH_PAGES 1024
#define CHURN_PAGES 192  /* each churn app's region, mapped afresh every round */
#define CHURN_ROUNDS 12
#define CHURN_ROUNDS_STR "12"
#define MOVER_SCAN 512   /* addresses the mover looks at for one resident page */

static char out[16384];
static struct mem_state start_state;

static unsigned saved_proactiveness;

static int migrate_init_suite(void)
{
	if (!appimg_count()) {
		printf("# migrate: needs the app image\n");
		return -1;
	}
	saved_proactiveness = sysctl_compaction_proactiveness;
	set_compaction_proactiveness(0); /* kcompactd0 moves nothing this suite counts */
	return 0;
}

/* memverify PAGES 1 SEED MODES, filled and asleep (app_wait.h). */
static bool spawn_filled(struct ktest *t, struct app *a, u64 pages, unsigned seed, const char *modes)
{
	return app_spawn_filled(t, a, out, pages, seed, modes);
}

static struct page *page_at(struct mm_struct *mm, u64 va)
{
	phys_addr_t pa;

	return pgt_query(&mm->pgt, va, &pa, NULL, NULL) ? NULL : pfn_to_page(phys_to_pfn(pa));
}

/* Move every page mapped in [start, start + pages) of pid to a new frame,
 * checking the PTE then maps another frame. Pages moved. */
static u64 move_region(struct ktest *t, int pid, u64 start, u64 pages)
{
	struct task *task = task_find(pid);
	u64 moved = 0;

	if (!KT_EXPECT(t, task && task->mm))
		return 0;
	for (u64 va = start; va < start + pages * PAGE_SIZE; va += PAGE_SIZE) {
		struct page *old = page_at(task->mm, va), *now;
		const char *why = NULL;
		int rc;

		if (!old)
			continue; /* not resident (swapped): nothing to move */
		rc = migrate_page(old, migrate_alloc_gfp, GFP_HIGHUSER_MOVABLE, MR_SYSCALL, &why);
		if (!KT_EXPECT_EQ(t, rc, 0)) {
			printf("    # %#llx: %s\n", (unsigned long long)va, why ? why : "?");
			break;
		}
		now = page_at(task->mm, va);
		KT_EXPECT(t, now && now != old && PAGE_FLAG(now, PG_lru));
		moved++;
	}
	return moved;
}

/* ---- cases ------------------------------------------------------------------- */

static void anon_regions_moved_while_apps_sleep(struct ktest *t)
{
	u64 ok0 = vm_events[PGMIGRATE_SUCCESS], moved = 0;
	struct app a, b;
	int pid = task_spawn("memverify", "16 1 1", current), status = -1;

	KT_EXPECT_EQ(t, app_wait_exit(pid, &status), pid); /* warm-up: caches of a first app */
	start_state = mem_state_settled();
	syscall_capture(out, sizeof(out));
	if (spawn_filled(t, &a, APP_PAGES, 1, "wait") && spawn_filled(t, &b, APP_PAGES, 2, "wait")) {
		moved += move_region(t, a.pid, a.region, a.pages);
		moved += move_region(t, b.pid, b.region, b.pages);
		KT_EXPECT_EQ(t, moved, 2 * APP_PAGES);
		KT_EXPECT_EQ(t, vm_events[PGMIGRATE_SUCCESS] - ok0, moved);
		/* and again: the moved pages move as well */
		KT_EXPECT_EQ(t, move_region(t, a.pid, a.region, a.pages), APP_PAGES);
		KT_EXPECT_EQ(t, app_release(t, &a), 0);
		KT_EXPECT_EQ(t, app_release(t, &b), 0);
	}
	printf("    # %llu anon pages moved in two apps, both verified every byte\n", (unsigned long long)moved);
	syscall_capture(NULL, 0);
}

static void shmem_and_mlocked_regions_moved(struct ktest *t)
{
	u64 mlock0 = (u64)vm_stat[NR_MLOCK], unev0 = lru_count[LRU_UNEVICTABLE];
	struct app s, l;

	syscall_capture(out, sizeof(out));
	if (spawn_filled(t, &s, APP_PAGES / 2, 3, "shared,wait") && spawn_filled(t, &l, APP_PAGES / 2, 4, "lock,wait")) {
		KT_EXPECT_EQ(t, move_region(t, s.pid, s.region, s.pages), APP_PAGES / 2);
		KT_EXPECT_EQ(t, move_region(t, l.pid, l.region, l.pages), APP_PAGES / 2);
		KT_EXPECT(t, PAGE_FLAG(page_at(task_find(l.pid)->mm, l.region), PG_mlocked));
		KT_EXPECT(t, (u64)vm_stat[NR_MLOCK] - mlock0 >= APP_PAGES / 2);
		KT_EXPECT(t, lru_count[LRU_UNEVICTABLE] - unev0 >= APP_PAGES / 2);
		KT_EXPECT_EQ(t, app_release(t, &s), 0);
		KT_EXPECT_EQ(t, app_release(t, &l), 0);
	}
	syscall_capture(NULL, 0);
}

/* A text page of two running sharers moves for both; they go on running
 * the moved code to the end of their rounds and exit 0 (each round
 * checks a compression round trip). */
static void shared_text_page_moved(struct ktest *t)
{
	struct task *t1, *t2;
	struct page *old = NULL, *new;
	u64 va = 0;
	int p1, p2, s1 = -1, s2 = -1;

	syscall_capture(out, sizeof(out));
	p1 = task_spawn("sharer", "30", current);
	p2 = task_spawn("sharer", "30", current);
	KT_ASSERT(t, p1 > 0 && p2 > 0);
	KT_ASSERT(t, syscall_capture_wait(": round 0 ", 2, DEADLINE_NS));
	t1 = task_find(p1);
	t2 = task_find(p2);
	KT_ASSERT(t, t1 && t2 && t1->mm && t2->mm);
	for (va = t1->mm->start_code; va < t1->mm->end_code && !old; va += PAGE_SIZE) {
		struct page *p = page_at(t1->mm, va);

		if (p && p == page_at(t2->mm, va) && p->mapcount == 2)
			old = p;
	}
	KT_ASSERT(t, old != NULL);
	va -= PAGE_SIZE;
	KT_EXPECT_EQ(t, migrate_page(old, migrate_alloc_gfp, GFP_HIGHUSER_MOVABLE, MR_SYSCALL, NULL), 0);
	new = page_at(t1->mm, va);
	KT_EXPECT(t, new && new != old);
	KT_EXPECT(t, new == page_at(t2->mm, va));
	KT_EXPECT_EQ(t, new->mapcount, 2);
	KT_EXPECT_EQ(t, app_wait_exit(p1, &s1), p1);
	KT_EXPECT_EQ(t, app_wait_exit(p2, &s2), p2);
	KT_EXPECT_EQ(t, s1, 0);
	KT_EXPECT_EQ(t, s2, 0);
	KT_EXPECT_EQ(t, app_output_count(out, ": done"), 2);
	syscall_capture(NULL, 0);
}

static void pinned_page_refused(struct ktest *t)
{
	u64 fail0 = vm_events[PGMIGRATE_FAIL];
	struct app a;
	struct page *p;
	const char *why = NULL;

	syscall_capture(out, sizeof(out));
	if (spawn_filled(t, &a, 16, 5, "wait")) {
		p = page_at(task_find(a.pid)->mm, a.region + 3 * PAGE_SIZE);
		KT_ASSERT(t, p != NULL);
		p->refcount++; /* held, as a DMA transfer would hold it */
		KT_EXPECT_EQ(t, migrate_page(p, migrate_alloc_gfp, GFP_HIGHUSER_MOVABLE, MR_SYSCALL, &why), -EBUSY);
		KT_EXPECT(t, why && strstr(why, "pinned"));
		KT_EXPECT(t, page_at(task_find(a.pid)->mm, a.region + 3 * PAGE_SIZE) == p);
		KT_EXPECT(t, PAGE_FLAG(p, PG_lru));
		KT_EXPECT_EQ(t, vm_events[PGMIGRATE_FAIL] - fail0, 1);
		p->refcount--;
		KT_EXPECT_EQ(t, move_region(t, a.pid, a.region, a.pages), 16);
		KT_EXPECT_EQ(t, app_release(t, &a), 0);
	}
	syscall_capture(NULL, 0);
}

/* Instructions per migrated page (virtual ns under -icount shift=0)
 * against a 4 KiB copy; the target is 2 copies + 1,500. */
static void instructions_per_page(struct ktest *t)
{
	struct page *src = alloc_page(GFP_KERNEL), *dst = alloc_page(GFP_KERNEL);
	u64 t0, copy_ns, mig_ns, moved = 0;
	struct app a;

	KT_ASSERT(t, src && dst);
	t0 = timer_now_ns();
	for (unsigned i = 0; i < BENCH_PAGES; i++)
		arch_copy_page(page_address(dst), page_address(src));
	copy_ns = (timer_now_ns() - t0) / BENCH_PAGES;
	free_page(src);
	free_page(dst);
	syscall_capture(out, sizeof(out));
	if (spawn_filled(t, &a, BENCH_PAGES, 6, "wait")) {
		move_region(t, a.pid, a.region, a.pages); /* warm: per-CPU lists, caches */
		t0 = timer_now_ns();
		moved = move_region(t, a.pid, a.region, a.pages);
		mig_ns = moved ? (timer_now_ns() - t0) / moved : 0;
		KT_EXPECT_EQ(t, moved, BENCH_PAGES);
		printf("    # migrate: %llu instructions per page (incl. the test's PTE checks), 4 KiB copy %llu, "
		       "target 2 x copy + 1500 = %llu (exact under -icount shift=0)\n",
		       (unsigned long long)mig_ns, (unsigned long long)copy_ns,
		       (unsigned long long)(2 * copy_ns + 1500));
		KT_EXPECT_EQ(t, app_release(t, &a), 0);
	}
	syscall_capture(NULL, 0);
}

/*
 * The mover: a kernel thread that moves the churn apps' resident pages
 * (any VMA: their regions, stacks, data and text), one page of each app
 * per turn, then yields. The apps yield after every page they write or
 * verify, so their faults, writes, checks and munmaps run between the
 * moves. There is one CPU and the kernel is not preempted, so this
 * interleaving is the concurrency there is: a move never meets a fault
 * half done (docs/physical-memory.md, "Concurrency"), but every page an
 * app touches may have moved since it last touched it.
 */
struct mover {
	int pid[2];
	u64 cursor[2];     /* next address to look at in each app */
	u64 moved[2];      /* pages moved while the app was running */
	u64 refused;       /* migrate_page() said no */
	const char *why;   /* the last refusal's reason */
};

/* Move the next resident page of mm at or after m->cursor[i] (wrapping
 * at the top of the address space); looks at MOVER_SCAN addresses at most. */
static void move_next(struct mover *m, int i, struct mm_struct *mm)
{
	for (unsigned n = 0; n < MOVER_SCAN; n++) {
		struct vm_area_struct *v = find_vma(mm, m->cursor[i]);
		struct page *p;
		const char *why = NULL;
		u64 va;

		if (!v) {
			m->cursor[i] = 0;
			continue;
		}
		va = MAX(m->cursor[i], v->start);
		m->cursor[i] = va + PAGE_SIZE;
		p = page_at(mm, va);
		if (!p || !PAGE_FLAG(p, PG_lru)) /* not resident, or the zero page */
			continue;
		if (!migrate_page(p, migrate_alloc_gfp, GFP_HIGHUSER_MOVABLE, MR_SYSCALL, &why)) {
			m->moved[i]++;
		} else {
			m->refused++;
			m->why = why;
		}
		return;
	}
}

static int mover_main(void *arg)
{
	struct mover *m = arg;

	while (!kthread_should_stop()) {
		for (int i = 0; i < 2; i++) {
			struct task *t = task_find_live(m->pid[i]);

			if (t && t->mm)
				move_next(m, i, t->mm);
		}
		task_yield();
	}
	return 0;
}

static void pages_moved_while_two_apps_fault(struct ktest *t)
{
	u64 ok0 = vm_events[PGMIGRATE_SUCCESS], fail0 = vm_events[PGMIGRATE_FAIL];
	struct mover m = { 0 };
	struct task *k;
	char arg[48];
	int s0 = -1, s1 = -1;

	syscall_capture(out, sizeof(out));
	for (int i = 0; i < 2; i++) {
		snprintf(arg, sizeof(arg), "%u %u %d", CHURN_PAGES, CHURN_ROUNDS, 21 + i);
		m.pid[i] = task_spawn("churn", arg, current);
	}
	KT_ASSERT(t, m.pid[0] > 0 && m.pid[1] > 0);
	k = kthread_create(mover_main, &m, "kmover");
	KT_ASSERT(t, k != NULL);
	KT_EXPECT_EQ(t, app_wait_exit(m.pid[0], &s0), m.pid[0]);
	KT_EXPECT_EQ(t, app_wait_exit(m.pid[1], &s1), m.pid[1]);
	KT_EXPECT_EQ(t, kthread_stop(k), 0);
	printf("    # %llu and %llu pages moved while the apps ran %u rounds of %u fresh pages each; %llu refused%s%s\n",
	       (unsigned long long)m.moved[0], (unsigned long long)m.moved[1], CHURN_ROUNDS, CHURN_PAGES,
	       (unsigned long long)m.refused, m.why ? ": " : "", m.why ? m.why : "");
	KT_EXPECT_EQ(t, s0, 0);
	KT_EXPECT_EQ(t, s1, 0);
	KT_EXPECT_EQ(t, app_output_count(out, ": done: " CHURN_ROUNDS_STR " rounds, 0 bad words"), 2);
	/* every round of each app saw moves: at least a region's worth per round */
	KT_EXPECT(t, m.moved[0] >= (u64)CHURN_PAGES * CHURN_ROUNDS);
	KT_EXPECT(t, m.moved[1] >= (u64)CHURN_PAGES * CHURN_ROUNDS);
	KT_EXPECT_EQ(t, vm_events[PGMIGRATE_SUCCESS] - ok0, m.moved[0] + m.moved[1]);
	KT_EXPECT_EQ(t, vm_events[PGMIGRATE_FAIL] - fail0, m.refused);
	KT_EXPECT_EQ(t, m.refused, 0);
	syscall_capture(NULL, 0);
}

static void every_page_returns(struct ktest *t)
{
	struct mem_state now;

	set_compaction_proactiveness(saved_proactiveness);
	now = expect_every_page_returns(t, &start_state);
	KT_EXPECT_EQ(t, now.swap_inuse, 0);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(anon_regions_moved_while_apps_sleep),
	KTEST_CASE(shmem_and_mlocked_regions_moved),
	KTEST_CASE(shared_text_page_moved),
	KTEST_CASE(pinned_page_refused),
	KTEST_CASE(instructions_per_page),
	KTEST_CASE(pages_moved_while_two_apps_fault),
	KTEST_CASE(every_page_returns),
	{ 0 },
};
KTEST_SUITE_INIT(migrate, cases, migrate_init_suite);
