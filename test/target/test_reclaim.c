/*
 * On-target tests of reclaim and zram swap (issue 11), with real apps
 * from the app image checked from the kernel side. "150% of RAM" is made
 * small and fast on every machine by fencing memory first: the test takes
 * every free page it can without reclaiming and gives back `keep` of them
 * (kernel/memfence.c), so that the apps' RAM is that much, whatever -m is.
 *
 *  - an app overcommits 150% of the available memory with every page's
 *    content derived from its address (apps/memverify.c) and verifies
 *    every byte, while a second app keeps verifying its own data;
 *  - mlocked pages are never swapped: their PTEs stay present, on the
 *    same frames, all through the pressure;
 *  - text pages two apps share, dropped under pressure, are read again
 *    from flash (major faults) and shared again (one frame, mapcount 2);
 *  - MADV_PAGEOUT of N pages then reading them gives exactly N pswpout,
 *    then N pswpin and N pgmajfault (apps/swapbench.c, step mode);
 *  - a corrupted zram object (zram_test_corrupt on the slot of the app's
 *    swap PTE) kills exactly its owner, with the checksum report, while
 *    another app lives;
 *  - a full zram device stops swapping: the fault that then finds no page
 *    kills the app with the usual out-of-memory report, the kernel lives;
 *  - when the apps are gone every page and zram object is back.
 * Synchronisation with apps is on their console output, their sleeping
 * state, a flag word the test writes into them, or their exit, each with
 * a deadline.
 */
#include <arch/timer.h>
#include <errno.h>
#include <kernel/appimg.h>
#include <kernel/ktest.h>
#include <kernel/memfence.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/compaction.h>
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/report.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/uaccess.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <mm/zram.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_wait.h"
#include "mem_state.h"

#define DEADLINE_NS APP_DEADLINE_NS

static char out[16384];

/* Skipped only on a board without swap (CONFIG_ZRAM_SIZE_MB=0) or apps:
 * a board that asks for swap and has none fails every case. */
static int reclaim_init_suite(void)
{
	if (!appimg_count() || !CONFIG_ZRAM_SIZE_MB) {
		printf("# reclaim: needs the app image and a swap device (CONFIG_ZRAM_SIZE_MB)\n");
		return -1;
	}
	return 0;
}

/* ---- helpers --------------------------------------------------------------- */

static bool wait_output(const char *needle, unsigned n)
{
	return syscall_capture_wait(needle, n, DEADLINE_NS);
}

/* Spawn name arg and wait for it: its wait status, or -1. */
static int run_app(struct ktest *t, const char *name, const char *arg)
{
	int pid = task_spawn(name, arg, current), status = -1;

	if (!KT_EXPECT(t, pid > 0))
		return -1;
	KT_EXPECT_EQ(t, app_wait_exit(pid, &status), pid);
	return status;
}

static void kill_and_reap(struct ktest *t, int pid)
{
	int status = 0;

	KT_EXPECT_EQ(t, task_kill(pid, SIGKILL), 0);
	KT_EXPECT_EQ(t, task_wait(pid, &status, false), pid);
}

/* An app that may have exited already (killed under the pressure): kill
 * and reap it if it lives, reap it if it is a zombie. */
static void reap_any(struct ktest *t, int pid)
{
	int status = 0;

	if (task_find_live(pid))
		kill_and_reap(t, pid);
	else if (task_find(pid))
		KT_EXPECT_EQ(t, task_wait(pid, &status, false), pid);
}

/* The value after "key" in the last line of the captured output that has it. */
static unsigned long last_value(const char *key)
{
	const char *p = NULL, *q = out;

	while ((q = strstr(q, key)))
		p = q++;
	return p ? strtoul(p + strlen(key), NULL, 0) : 0;
}

/* Print the state (the settled memory state: mem_state.h). */
static void show_state(const char *when, struct mem_state s)
{
	printf("    # %s: free %llu, cache %lld, slab %llu B, zram orig %llu B mem_used %llu B, swap slots %llu, "
	       "swap cache %llu\n", when, (unsigned long long)s.free, (long long)s.cache, (unsigned long long)s.slab,
	       (unsigned long long)s.zram_orig, (unsigned long long)s.zram_mem_used,
	       (unsigned long long)s.swap_inuse, (unsigned long long)s.swap_cached);
}

/* Taken by the first case after a warm-up, compared by the last. */
static struct mem_state start_state;

/* Fence memory to keep pages, run memverify over 150% of what is then
 * available to apps (one verifying round, seed, memverify's mode: "" or
 * "shared" for shmem), wait for it, unfence.
 * watch(arg) is called once before it starts and every 1 ms while it
 * runs. Returns its wait status, -1 if it did not end in time. */
static int overcommit(struct ktest *t, u64 keep, unsigned seed, const char *mode, void (*watch)(void *), void *arg)
{
	u64 avail, pages, fenced, out0 = vm_events[PSWPOUT], in0 = vm_events[PSWPIN];
	struct memfence f;
	char a[64];
	int pid, status = -1, r = 0;

	memfence_up(&f, keep);
	fenced = f.pages;
	avail = f.given;
	pages = avail * 3 / 2;
	if (watch)
		watch(arg); /* once before the app starts, then every 1 ms */
	snprintf(a, sizeof(a), "%llu 1 %u %s", (unsigned long long)pages, seed, mode);
	pid = task_spawn("memverify", a, current);
	if (KT_EXPECT(t, pid > 0)) {
		for (u64 end = timer_now_ns() + DEADLINE_NS; !(r = task_wait(pid, &status, true)) && timer_now_ns() < end;) {
			if (watch)
				watch(arg);
			task_sleep_ns(1000000);
		}
		if (!KT_EXPECT_EQ(t, r, pid))
			kill_and_reap(t, pid);
	}
	memfence_down(&f);
	printf("    # memverify %u: %llu pages over %llu available (%llu fenced off): status %#x, pswpout +%llu "
	       "pswpin +%llu\n", seed, (unsigned long long)pages, (unsigned long long)avail, (unsigned long long)fenced,
	       status, (unsigned long long)(vm_events[PSWPOUT] - out0), (unsigned long long)(vm_events[PSWPIN] - in0));
	KT_EXPECT(t, avail >= keep / 2);
	/* the overcommit went through swap, both ways */
	KT_EXPECT(t, vm_events[PSWPOUT] - out0 >= pages - avail);
	KT_EXPECT(t, vm_events[PSWPIN] > in0);
	return r == pid ? status : -1;
}

/* ---- cases ------------------------------------------------------------------ */

static void start_companion(void *arg)
{
	int *pid = arg;

	if (*pid < 0 && (*pid = task_spawn("memverify", "512 0 2", current)) > 0)
		wait_output("memverify 2: round 1:", 1);
}

/* 150% of the available memory, every byte verified, while a companion
 * verifies its own pages over and over. */
static void overcommit_verifies_every_byte(struct ktest *t)
{
	int companion, status;

	/* warm-up for the final accounting: slabs, the programs' cache */
	syscall_capture(out, sizeof(out));
	KT_EXPECT_EQ(t, run_app(t, "memverify", "16 1 1"), 0);
	start_state = mem_state_settled();
	show_state("start", start_state);

	/* the companion starts inside the fence, so that its pages are under
	 * the same pressure (see overcommit()) */
	companion = -1;
	status = overcommit(t, 4096, 3, "", start_companion, &companion);
	KT_ASSERT(t, companion > 0);
	KT_EXPECT_EQ(t, status, 0);
	KT_EXPECT(t, strstr(out, "memverify 3: round 1: ") != NULL);
	KT_EXPECT(t, strstr(out, ", 0 bad words") != NULL);
	/* the companion kept verifying, and found nothing wrong */
	KT_EXPECT(t, last_value("memverify 2: round ") >= 2);
	KT_EXPECT_EQ(t, task_wait(companion, &status, true), 0);
	KT_EXPECT(t, strstr(out, "mismatch") == NULL);
	kill_and_reap(t, companion);
	syscall_capture(NULL, 0);
	if (t->failures)
		printf("    # output: %s\n", out);
}

/* The same with shared anonymous memory: shmem pages go to zram and come
 * back byte-exact as anon ones do (each page's place in the object is its
 * address's), and the object's swap entries are freed with it. */
static void shmem_overcommit_verifies_every_byte(struct ktest *t)
{
	s64 shmem0 = vm_stat[NR_SHMEM];

	syscall_capture(out, sizeof(out));
	KT_EXPECT_EQ(t, overcommit(t, 4096, 20, "shared", NULL, NULL), 0);
	KT_EXPECT(t, strstr(out, "memverify 20: round 1: ") != NULL);
	KT_EXPECT(t, strstr(out, "mismatch") == NULL);
	KT_EXPECT_EQ(t, vm_stat[NR_SHMEM], shmem0);
	syscall_capture(NULL, 0);
	if (t->failures)
		printf("    # output: %s\n", out);
}

/* The mm of app pid while it lives, else NULL. A test keeps the pid, not
 * the task or its mm: an app killed under the pressure (by the OOM killer,
 * say) exits and frees both while the test goes on. */
static struct mm_struct *app_mm(int pid)
{
	struct task *task = task_find_live(pid);

	return task ? task->mm : NULL;
}

struct locked_watch {
	int pid;
	u64 region;
	unsigned pages;
	phys_addr_t pa[64];
	unsigned moved;  /* PTE gone or frame changed, at any check */
	unsigned checks;
	unsigned gone;   /* checks that found the app exited */
};

static void check_locked(void *arg)
{
	struct locked_watch *w = arg;
	struct mm_struct *mm = app_mm(w->pid);

	w->checks++;
	if (!mm) {
		w->gone++;
		return;
	}
	for (unsigned i = 0; i < w->pages; i++) {
		phys_addr_t pa = 0;
		unsigned attrs;
		int level;

		if (pgt_query(&mm->pgt, w->region + i * PAGE_SIZE, &pa, &attrs, &level) || pa != w->pa[i])
			w->moved++;
	}
}

static void mlocked_pages_never_swapped(struct ktest *t)
{
	struct locked_watch w = { .pages = 64 };
	unsigned long region = 0, pages = 0, flag = 0;
	int pid, status;

	syscall_capture(out, sizeof(out));
	pid = task_spawn("memverify", "64 0 4 lock", current);
	KT_ASSERT(t, pid > 0);
	KT_ASSERT(t, wait_output("memverify 4: round 1:", 1));
	KT_ASSERT_EQ(t, sscanf(strstr(out, "memverify: region="), "memverify: region=%lx pages=%lu flag=%lx", &region,
			       &pages, &flag), 3);
	w.pid = pid;
	w.region = region;
	KT_ASSERT(t, app_mm(pid) && pages == w.pages);
	for (unsigned i = 0; i < w.pages; i++) {
		unsigned attrs;
		int level;

		KT_ASSERT_EQ(t, pgt_query(&app_mm(pid)->pgt, region + i * PAGE_SIZE, &w.pa[i], &attrs, &level), 0);
	}
	/* compaction may move mlocked pages (as Linux's, by default): keep
	 * them in place for this check, which is about reclaim */
	KT_ASSERT_EQ(t, set_compact_unevictable_allowed(0), 0);
	KT_EXPECT_EQ(t, overcommit(t, 4096, 5, "", check_locked, &w), 0);
	KT_EXPECT_EQ(t, set_compact_unevictable_allowed(1), 0);
	check_locked(&w);
	KT_EXPECT_EQ(t, w.gone, 0); /* the locked app lived through it */
	KT_EXPECT_EQ(t, w.moved, 0);
	KT_EXPECT(t, w.checks >= 2);
	printf("    # %u mlocked pages checked %u times under pressure\n", w.pages, w.checks);
	KT_EXPECT_EQ(t, task_wait(pid, &status, true), 0);
	KT_EXPECT(t, strstr(out, "mismatch") == NULL);
	reap_any(t, pid);
	syscall_capture(NULL, 0);
}

/* Text pages of app pid mapped now: a bitmap of the first 64, and their
 * frames; 0 if the app has exited. */
static u64 text_present(int pid, phys_addr_t *pa)
{
	struct mm_struct *mm = app_mm(pid);
	struct vm_area_struct *v = mm ? vma_lookup(mm, mm->start_code) : NULL;
	u64 bits = 0;

	for (unsigned i = 0; v && i < 64 && v->start + i * PAGE_SIZE < v->end; i++) {
		unsigned attrs;
		int level;

		if (!pgt_query(&mm->pgt, v->start + i * PAGE_SIZE, &pa[i], &attrs, &level))
			bits |= 1ull << i;
	}
	return bits;
}

static void shared_text_refaults_from_flash(struct ktest *t)
{
	unsigned long region = 0, pages = 0, flag[2] = { 0 };
	struct vm_area_struct *v[2];
	struct mm_struct *mm[2];
	phys_addr_t pa[2][64];
	u64 before[2], during, after[2], maj0[2], file0 = fault_kind_count[FAULT_KIND_FILE_READ];
	const char *p;
	int pid[2];

	syscall_capture(out, sizeof(out));
	/* two instances that wait: most of their text is cold while they do */
	for (int i = 0; i < 2; i++) {
		pid[i] = task_spawn("memverify", i ? "32 0 9 wait" : "32 0 8 wait", current);
		KT_ASSERT(t, pid[i] > 0);
	}
	KT_ASSERT(t, wait_output("memverify: region=", 2));
	p = out;
	for (int i = 0; i < 2; i++) {
		p = strstr(p, "memverify: region=");
		KT_ASSERT_EQ(t, sscanf(p++, "memverify: region=%lx pages=%lu flag=%lx", &region, &pages, &flag[i]), 3);
		mm[i] = app_mm(pid[i]);
		KT_ASSERT(t, mm[i]);
		v[i] = vma_lookup(mm[i], mm[i]->start_code);
		KT_ASSERT(t, v[i] && v[i]->file);
		before[i] = text_present(pid[i], pa[i]);
		maj0[i] = mm[i]->maj_flt;
	}
	KT_ASSERT(t, app_wait_sleeping(pid[0]) && app_wait_sleeping(pid[1]));
	KT_EXPECT(t, v[0]->file == v[1]->file);
	KT_EXPECT_EQ(t, overcommit(t, 4096, 10, "", NULL, NULL), 0);
	/* both waited through the pressure (from here on only their pids are
	 * used: an app that was killed is gone with its mm) */
	if (!KT_EXPECT(t, app_mm(pid[0]) && app_mm(pid[1]))) {
		for (int i = 0; i < 2; i++)
			reap_any(t, pid[i]);
		syscall_capture(NULL, 0);
		return;
	}
	during = text_present(pid[0], pa[0]);
	/* some text page that was mapped is gone now: dropped (clean: never swapped) */
	KT_EXPECT(t, before[0] & ~during);
	for (int i = 0; i < 2; i++)
		KT_EXPECT(t, app_set_flag(pid[i], flag[i], 1));
	KT_EXPECT(t, wait_output("memverify 8: round 1:", 1) && wait_output("memverify 9: round 1:", 1));
	KT_EXPECT(t, strstr(out, "mismatch") == NULL);
	for (int i = 0; i < 2; i++)
		after[i] = text_present(pid[i], pa[i]);
	/* the first to run again read the flash, the other may find the page cached */
	KT_EXPECT(t, app_mm(pid[0]) && app_mm(pid[1]) &&
		     app_mm(pid[0])->maj_flt + app_mm(pid[1])->maj_flt > maj0[0] + maj0[1]);
	KT_EXPECT(t, fault_kind_count[FAULT_KIND_FILE_READ] > file0);
	/* what both map again is one frame, mapped twice */
	unsigned shared = 0, refaulted = 0;
	for (unsigned i = 0; i < 64; i++) {
		if (!(after[0] & after[1] & (1ull << i)))
			continue;
		KT_EXPECT_EQ(t, pa[0][i], pa[1][i]);
		KT_EXPECT_EQ(t, pfn_to_page(phys_to_pfn(pa[0][i]))->mapcount, 2);
		shared++;
		refaulted += !(during & (1ull << i));
	}
	printf("    # text pages mapped: %llx before, %llx under pressure, %llx/%llx after; %u shared, %u of them "
	       "read again\n", (unsigned long long)before[0], (unsigned long long)during, (unsigned long long)after[0],
	       (unsigned long long)after[1], shared, refaulted);
	KT_EXPECT(t, refaulted >= 1);
	for (int i = 0; i < 2; i++)
		kill_and_reap(t, pid[i]);
	syscall_capture(NULL, 0);
}

static void madv_pageout_exact_counts(struct ktest *t)
{
	const unsigned long n = 256;
	unsigned long flag = 0, maj = ~0ul;
	u64 e0[NR_VM_EVENT_ITEMS], e1[NR_VM_EVENT_ITEMS];
	int pid, status = -1;

	syscall_capture(out, sizeof(out));
	memcpy(e0, vm_events, sizeof(e0));
	pid = task_spawn("swapbench", "256 step", current);
	KT_ASSERT(t, pid > 0);
	KT_ASSERT(t, wait_output("swapbench: paged out flag=", 1));
	KT_ASSERT(t, app_wait_sleeping(pid));
	KT_ASSERT_EQ(t, sscanf(strstr(out, "swapbench: paged out"), "swapbench: paged out flag=%lx", &flag), 1);
	memcpy(e1, vm_events, sizeof(e1));
	KT_EXPECT_EQ(t, e1[PSWPOUT] - e0[PSWPOUT], n);
	KT_EXPECT_EQ(t, e1[PSWPIN] - e0[PSWPIN], 0);
	KT_EXPECT(t, app_set_flag(pid, flag, 1));
	KT_ASSERT(t, wait_output("swapbench: read done", 1));
	KT_ASSERT(t, app_wait_sleeping(pid));
	memcpy(e0, vm_events, sizeof(e0));
	KT_EXPECT_EQ(t, e0[PSWPIN] - e1[PSWPIN], n);
	KT_EXPECT_EQ(t, e0[PGMAJFAULT] - e1[PGMAJFAULT], n);
	KT_EXPECT_EQ(t, e0[PSWPOUT] - e1[PSWPOUT], 0);
	KT_EXPECT_EQ(t, sscanf(strstr(out, "swapbench: swapin_majfault_zram_lz4"),
			       "swapbench: swapin_majfault_zram_lz4 %*u faults: %*u ns per fault (%*u ns in all, majflt +%lu)",
			       &maj), 1);
	KT_EXPECT_EQ(t, maj, n);
	KT_EXPECT(t, app_set_flag(pid, flag, 2));
	KT_EXPECT_EQ(t, app_wait_exit(pid, &status), pid);
	KT_EXPECT_EQ(t, status, 0);
	KT_EXPECT(t, strstr(out, "swapbench: verify 256 pages: 0 bad words") != NULL);
	syscall_capture(NULL, 0);
	if (t->failures)
		printf("    # output: %s\n", out);
}

static void corrupt_object_kills_only_its_owner(struct ktest *t)
{
	unsigned long region = 0, pages = 0, flag = 0;
	u64 kills0 = vm_events[ZRAM_CHECKSUM_KILL], slot;
	struct zram_stats z0, z1;
	struct task *task;
	pte_t pte = 0;
	int bystander, victim, level, status = -1;

	syscall_capture(out, sizeof(out));
	/* the victim first, so that the one region line is its own (its flag
	 * word's address depends on its argument: ARMv7-A's 4-byte stack
	 * words do not round it to the bystander's) */
	victim = task_spawn("memverify", "64 1 12 pageout", current);
	KT_ASSERT(t, victim > 0);
	KT_ASSERT(t, wait_output("memverify: pageout rc=0", 1));
	KT_ASSERT(t, app_wait_sleeping(victim));
	KT_ASSERT_EQ(t, sscanf(strstr(out, "memverify: region="), "memverify: region=%lx pages=%lu flag=%lx", &region,
			       &pages, &flag), 3);
	bystander = task_spawn("memverify", "64 0 11", current);
	KT_ASSERT(t, bystander > 0);
	KT_ASSERT(t, wait_output("memverify 11: round 1:", 1));
	task = task_find(victim);
	KT_ASSERT(t, task && task->mm);
	KT_ASSERT_EQ(t, pgt_query_entry(&task->mm->pgt, region, &pte, &level), 0);
	KT_ASSERT(t, arch_pte_is_swap(pte));
	slot = arch_pte_swap_offset(pte);
	zram_get_stats(swap_zram(), &z0);
	KT_ASSERT_EQ(t, zram_test_corrupt(swap_zram(), slot, 100), 0);
	KT_EXPECT(t, app_set_flag(victim, flag, 1));
	KT_EXPECT_EQ(t, app_wait_exit(victim, &status), victim);
	zram_get_stats(swap_zram(), &z1);
	/* SIGBUS for the page that cannot come back; the console has the
	 * report "zram: checksum mismatch at slot <slot> ..." (printed here too) */
	KT_EXPECT_EQ(t, status & 0x7f, SIGBUS);
	KT_EXPECT_EQ(t, last_kill.fault_kind, FAULT_KIND_SWAPERR);
	KT_EXPECT_EQ(t, last_kill.addr, region);
	printf("    # corrupted slot %llu of the page at %#lx: the kill above names it\n", (unsigned long long)slot,
	       region);
	KT_EXPECT_EQ(t, vm_events[ZRAM_CHECKSUM_KILL] - kills0, 1);
	KT_EXPECT_EQ(t, z1.checksum_failures - z0.checksum_failures, 1);
	/* it never saw the bad page: killed before its verifying round ended */
	KT_EXPECT(t, strstr(out, "memverify 12: round") == NULL);
	/* the bystander runs on, intact */
	KT_EXPECT_EQ(t, task_wait(bystander, &status, true), 0);
	KT_EXPECT(t, strstr(out, "memverify 11: round 1: 64 pages, 0 bad words") != NULL);
	KT_EXPECT(t, strstr(out, "mismatch at") == NULL);
	kill_and_reap(t, bystander);
	syscall_capture(NULL, 0);
}

static void zram_full_fails_cleanly(struct ktest *t)
{
	const u64 slots = 64;
	u64 oom0 = fault_kind_count[FAULT_KIND_OOM], out0 = vm_events[PSWPOUT];
	struct swap_info si;
	struct memfence f;
	char a[32];
	int pid, status = -1, r;

	KT_ASSERT_EQ(t, swap_reinit(slots * PAGE_SIZE, 0), 0);
	swap_get_info(&si);
	KT_EXPECT_EQ(t, si.nr_slots, slots);
	syscall_capture(out, sizeof(out));
	memfence_up(&f, 2048);
	snprintf(a, sizeof(a), "%llu 1 13", (unsigned long long)f.given * 2);
	pid = task_spawn("memverify", a, current);
	KT_EXPECT(t, pid > 0);
	r = pid > 0 ? app_wait_exit(pid, &status) : 0;
	memfence_down(&f);
	if (!KT_EXPECT_EQ(t, r, pid) && pid > 0)
		kill_and_reap(t, pid);
	swap_get_info(&si);
	printf("    # memverify %s on %llu swap slots: status %#x, \"%s\", pswpout +%llu\n", a,
	       (unsigned long long)slots, status, last_kill.what, (unsigned long long)(vm_events[PSWPOUT] - out0));
	KT_EXPECT(t, (status & 0x7f) != 0);
	KT_EXPECT_EQ(t, last_kill.fault_kind, FAULT_KIND_OOM);
	KT_EXPECT_EQ(t, fault_kind_count[FAULT_KIND_OOM] - oom0, 1);
	/* it did swap until the device was full */
	KT_EXPECT(t, vm_events[PSWPOUT] - out0 >= slots);
	KT_EXPECT_EQ(t, si.inuse_slots, 0); /* the dead app's slots are free */
	syscall_capture(NULL, 0);
	KT_EXPECT_EQ(t, swap_reinit((u64)CONFIG_ZRAM_SIZE_MB << 20, (u64)CONFIG_ZRAM_MEM_LIMIT_MB << 20), 0);
	/* and the machine works: an app runs to the end */
	KT_EXPECT_EQ(t, run_app(t, "memverify", "16 1 14"), 0);
}

static void every_page_and_object_returns(struct ktest *t)
{
	struct mem_state now = mem_state_settled();

	show_state("start", start_state);
	show_state("end", now);
	KT_EXPECT_EQ(t, now.free, start_state.free);
	KT_EXPECT_EQ(t, now.cache, start_state.cache);
	KT_EXPECT_EQ(t, now.slab, start_state.slab);
	KT_EXPECT_EQ(t, now.zram_orig, 0);
	KT_EXPECT_EQ(t, now.zram_mem_used, start_state.zram_mem_used);
	KT_EXPECT_EQ(t, now.swap_inuse, 0);
	KT_EXPECT_EQ(t, now.swap_cached, 0);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(overcommit_verifies_every_byte),
	KTEST_CASE(shmem_overcommit_verifies_every_byte),
	KTEST_CASE(mlocked_pages_never_swapped),
	KTEST_CASE(shared_text_refaults_from_flash),
	KTEST_CASE(madv_pageout_exact_counts),
	KTEST_CASE(corrupt_object_kills_only_its_owner),
	KTEST_CASE(zram_full_fails_cleanly),
	KTEST_CASE(every_page_and_object_returns),
	{ 0 },
};
KTEST_SUITE_INIT(reclaim, cases, reclaim_init_suite);
