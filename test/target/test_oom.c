/*
 * On-target tests of the OOM killer (kernel/oom.c, issue 12), with real
 * apps (apps/memverify.c) and memory fenced small (kernel/memfence.c) so
 * every machine reaches OOM in a few MiB:
 *  - a hog holding most of RAM is killed when a newcomer needs memory;
 *    the newcomer finishes, and a survivor's pages are byte-exact
 *    (with a tiny zram, and with no swap at all);
 *  - a hog protected by oom_score_adj -1000 is spared: the other app dies;
 *  - a kernel GFP_KERNEL allocation triggers the killer; several hogs die
 *    worst first; oom_score_adj changed at run time (written to
 *    /proc/<pid>/oom_score_adj, as an operator would) changes the victim;
 *  - an mlocked hog is reaped like any other, a shmem hog too;
 *  - the knobs' range checks, oom_kill_allocating_task, /proc's oom files;
 *  - when the apps are gone every page and zram object is back.
 * Synchronisation is on the apps' console output, their sleeping state,
 * the flag word memverify waits for, and their exit, each with a deadline.
 */
#include <arch/timer.h>
#include <errno.h>
#include <kernel/appimg.h>
#include <kernel/ktest.h>
#include <kernel/memfence.h>
#include <kernel/oom.h>
#include <kernel/procfs.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/filemap.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/uaccess.h>
#include <mm/vmstat.h>
#include <mm/zram.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/pagoda/syscall.h>

#include "app_wait.h"
#include "mem_state.h"

#define DEADLINE_NS APP_DEADLINE_NS
#define KEEP 4096                  /* pages left to the apps by the fence */
#define SMALL_SWAP 64              /* zram slots in the "with zram" cases */

static char out[16384];

static int oom_init_suite(void)
{
	if (!appimg_count()) {
		printf("# oom: needs the app image\n");
		return -1;
	}
	return 0;
}

/* ---- helpers (as test_reclaim.c's) ----------------------------------------- */


/* Spawn memverify PAGES 1 SEED wait (adj first), and wait until it has
 * filled its pages and sleeps on its flag. Its pid or -1. */
static int spawn_filled(struct ktest *t, u64 pages, unsigned seed, int adj)
{
	unsigned before = app_output_count(out, "memverify: region=");
	char a[96];
	int pid;

	snprintf(a, sizeof(a), "%llu 1 %u wait", (unsigned long long)pages, seed);
	pid = task_spawn("memverify", a, current);
	if (!KT_EXPECT(t, pid > 0))
		return -1;
	KT_EXPECT_EQ(t, oom_score_adj_set(pid, adj), 0);
	if (!KT_EXPECT(t, syscall_capture_wait("memverify: region=", before + 1, DEADLINE_NS)) ||
	    !KT_EXPECT(t, app_wait_sleeping(pid)))
		return pid;
	app_flag_record(pid, out, before);
	return pid;
}

/* Let a waiting memverify verify its round; its exit status (0: byte-exact). */
static int release_and_wait(struct ktest *t, int pid)
{
	struct task *task = task_find(pid);
	u64 one = 1;
	int status = -1;

	if (!KT_EXPECT(t, task && task->mm && app_flag_of(pid)) ||
	    !KT_EXPECT_EQ(t, copy_to_user(task->mm, app_flag_of(pid), &one, sizeof(one)), 0))
		return -1;
	KT_EXPECT_EQ(t, app_wait_exit(pid, &status), pid);
	return status;
}

static struct mem_state start_state;

/* pid's badness now (oom_score is too coarse on 8 GiB: 1/1000 of RAM). */
static s64 badness(int pid)
{
	struct oom_usage u;

	oom_task_usage(task_find(pid), &u);
	return oom_badness(&u, oom_totalpages());
}

static void swap_small(struct ktest *t, u64 slots)
{
	KT_EXPECT_EQ(t, swap_reinit(slots * PAGE_SIZE, 0), 0);
}

static void swap_board(struct ktest *t)
{
	KT_EXPECT_EQ(t, swap_reinit((u64)CONFIG_ZRAM_SIZE_MB << 20, (u64)CONFIG_ZRAM_MEM_LIMIT_MB << 20), 0);
}

/*
 * A hog fills 3/4 of the fenced RAM and sleeps; a survivor holds 256
 * pages; a newcomer then fills 3/4 too. The hog is the victim (reaped
 * while asleep), the newcomer and the survivor verify every byte.
 */
static void hog_dies_newcomer_lives(struct ktest *t, u64 swap_slots)
{
	u64 k0 = oom_kills, ev0 = vm_events[OOM_KILL];
	struct memfence f;
	int survivor, hog, newcomer, status = -1;
	char a[96];

	swap_small(t, swap_slots);
	syscall_capture(out, sizeof(out));
	memfence_up(&f, KEEP);
	survivor = spawn_filled(t, 256, 2, 0);
	hog = spawn_filled(t, f.given * 3 / 4, 3, 0);
	snprintf(a, sizeof(a), "%llu 1 4", (unsigned long long)(f.given * 3 / 4));
	newcomer = task_spawn("memverify", a, current);
	KT_EXPECT(t, newcomer > 0);
	KT_EXPECT_EQ(t, app_wait_exit(newcomer, &status), newcomer);
	KT_EXPECT_EQ(t, status, 0); /* filled and verified every byte */
	app_expect_killed(t, hog);
	KT_EXPECT_EQ(t, oom_last_victim, hog);
	KT_EXPECT_EQ(t, oom_kills - k0, 1);
	KT_EXPECT_EQ(t, vm_events[OOM_KILL] - ev0, 1);
	KT_EXPECT_EQ(t, release_and_wait(t, survivor), 0);
	memfence_down(&f);
	snprintf(a, sizeof(a), "Out of memory: Killed process %d (memverify) ", hog);
	KT_EXPECT(t, !strncmp(oom_last_killed, a, strlen(a)));
	KT_EXPECT(t, !strncmp(oom_last_invoked, "memverify invoked oom-killer: gfp_mask=0xcc(GFP_HIGHUSER_MOVABLE), "
				"order=0, oom_score_adj=0", 200));
	syscall_capture(NULL, 0);
	swap_board(t);
}

static void one_hog_with_zram(struct ktest *t)
{
	int pid = task_spawn("memverify", "16 1 1", current), status = -1;

	KT_EXPECT_EQ(t, app_wait_exit(pid, &status), pid); /* warm-up: caches of a first app */
	start_state = mem_state_settled();
	hog_dies_newcomer_lives(t, SMALL_SWAP);
}

static void one_hog_without_swap(struct ktest *t) { hog_dies_newcomer_lives(t, 0); }

/* The bigger hog has -1000: the newcomer is the one killed, the hog's
 * data survives byte for byte. */
static void protected_hog_spared(struct ktest *t)
{
	u64 k0 = oom_kills;
	struct memfence f;
	int hog, newcomer, status = -1;
	char a[48];

	swap_small(t, SMALL_SWAP);
	syscall_capture(out, sizeof(out));
	memfence_up(&f, KEEP);
	hog = spawn_filled(t, f.given * 3 / 4, 5, OOM_SCORE_ADJ_MIN);
	snprintf(a, sizeof(a), "%llu 1 6", (unsigned long long)(f.given * 3 / 4));
	newcomer = task_spawn("memverify", a, current);
	KT_EXPECT(t, newcomer > 0);
	KT_EXPECT_EQ(t, app_wait_exit(newcomer, &status), newcomer);
	KT_EXPECT_EQ(t, status, W_EXITCODE(0, SIGKILL));
	KT_EXPECT_EQ(t, oom_last_victim, newcomer);
	KT_EXPECT_EQ(t, oom_kills - k0, 1);
	KT_EXPECT_EQ(t, release_and_wait(t, hog), 0);
	memfence_down(&f);
	syscall_capture(NULL, 0);
	swap_board(t);
}

/* Kernel GFP_KERNEL allocations from task 0 until n kills: the victims in
 * order; the pages are freed. */
static unsigned kernel_alloc_until_kills(struct ktest *t, unsigned n, int *victims)
{
	struct page *chain = NULL;
	u64 k0 = oom_kills, got = 0;
	unsigned seen = 0;

	while (oom_kills - k0 < n && got < (1u << 20)) {
		struct page *p = alloc_page(GFP_KERNEL);

		if (!KT_EXPECT(t, p != NULL))
			break;
		p->private = (unsigned long)chain;
		chain = p;
		got++;
		if (oom_kills - k0 > seen)
			victims[seen++] = oom_last_victim;
	}
	while (chain) {
		struct page *next = (struct page *)chain->private;

		chain->private = 0;
		free_page(chain);
		chain = next;
	}
	printf("    # %llu kernel pages allocated, %u kills\n", (unsigned long long)got, seen);
	return seen;
}

/* Three hogs of 40%, 25% and 15%: the kernel's allocations kill the
 * biggest, then the next; the smallest lives, its data intact. */
static void kernel_alloc_kills_worst_first(struct ktest *t)
{
	struct memfence f;
	int a, b, c, v[2] = { 0, 0 };

	swap_small(t, SMALL_SWAP);
	syscall_capture(out, sizeof(out));
	memfence_up(&f, KEEP);
	c = spawn_filled(t, f.given * 15 / 100, 7, 0);
	a = spawn_filled(t, f.given * 40 / 100, 8, 0);
	b = spawn_filled(t, f.given * 25 / 100, 9, 0);
	KT_EXPECT_EQ(t, kernel_alloc_until_kills(t, 2, v), 2);
	KT_EXPECT_EQ(t, v[0], a);
	KT_EXPECT_EQ(t, v[1], b);
	app_expect_killed(t, a);
	app_expect_killed(t, b);
	KT_EXPECT_EQ(t, release_and_wait(t, c), 0);
	memfence_down(&f);
	KT_EXPECT(t, !strcmp(oom_last_invoked, "kernel invoked oom-killer: gfp_mask=0xc0(GFP_KERNEL), order=0, "
				"oom_score_adj=0"));
	syscall_capture(NULL, 0);
	swap_board(t);
}

/* Two hogs; the smaller gets oom_score_adj 1000 at run time (through the
 * syscall's kernel half) and is the one killed. */
static void adj_at_run_time_changes_victim(struct ktest *t)
{
	struct memfence f;
	int big, small, v[1] = { 0 }, adj = 0;
	char path[48], text[16];

	swap_small(t, SMALL_SWAP);
	syscall_capture(out, sizeof(out));
	memfence_up(&f, KEEP);
	big = spawn_filled(t, f.given * 45 / 100, 10, 0);
	small = spawn_filled(t, f.given * 20 / 100, 11, 0);
	KT_EXPECT(t, badness(big) > badness(small));
	/* as an operator would: echo 1000 > /proc/<pid>/oom_score_adj */
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", small);
	KT_EXPECT_EQ(t, proc_write(path, "1001\n", 5), -EINVAL);
	KT_EXPECT_EQ(t, proc_write(path, "1000\n", 5), 5);
	KT_EXPECT_EQ(t, oom_score_adj_get(small, &adj), 0);
	KT_EXPECT_EQ(t, adj, 1000);
	KT_EXPECT(t, proc_read(path, text, sizeof(text)) == 5 && !strcmp(text, "1000\n"));
	KT_EXPECT(t, badness(small) > badness(big));
	KT_EXPECT_EQ(t, kernel_alloc_until_kills(t, 1, v), 1);
	KT_EXPECT_EQ(t, v[0], small);
	app_expect_killed(t, small);
	KT_EXPECT_EQ(t, release_and_wait(t, big), 0);
	memfence_down(&f);
	syscall_capture(NULL, 0);
	swap_board(t);
	KT_EXPECT_EQ(t, oom_score_adj_set(32767, 0), -ESRCH);
}

/* An mlocked hog (verifying forever) is killed and reaped like any other. */
static void mlocked_hog_reaped(struct ktest *t)
{
	u64 unevictable0;
	struct memfence f;
	int hog, v[1] = { 0 };
	char a[48];

	swap_small(t, SMALL_SWAP);
	syscall_capture(out, sizeof(out));
	memfence_up(&f, KEEP);
	snprintf(a, sizeof(a), "%llu 0 12 lock", (unsigned long long)(f.given / 2));
	hog = task_spawn("memverify", a, current);
	KT_EXPECT(t, hog > 0);
	KT_EXPECT(t, syscall_capture_wait("memverify 12: round 1:", 1, DEADLINE_NS));
	unevictable0 = f.given / 2;
	KT_EXPECT(t, task_find(hog) && task_find(hog)->mm->locked_vm >= unevictable0);
	KT_EXPECT_EQ(t, kernel_alloc_until_kills(t, 1, v), 1);
	KT_EXPECT_EQ(t, v[0], hog);
	app_expect_killed(t, hog);
	memfence_down(&f);
	syscall_capture(NULL, 0);
	swap_board(t);
}

/* A hog holding 3/4 of RAM as shared anonymous memory (a shmem object
 * only it maps) is the victim of the kernel's allocations; the reaper
 * drops the object's pages at once - before the hog runs again, as the
 * allocating task 0 never schedules - so the allocation is satisfied with
 * one kill. Without that, the retry would fail and kill the survivor. */
static void shmem_hog_reaped(struct ktest *t)
{
	s64 shmem0 = vm_stat[NR_SHMEM], shmem_after;
	struct memfence f;
	int survivor, hog, v[1] = { 0 };
	unsigned before;
	u64 k0;
	char a[48];

	swap_small(t, 0); /* all of its shmem stays resident (reclaim would swap some out) */
	syscall_capture(out, sizeof(out));
	memfence_up(&f, KEEP);
	survivor = spawn_filled(t, 256, 15, 0);
	before = app_output_count(out, "memverify: region=");
	snprintf(a, sizeof(a), "%llu 1 16 shared,wait", (unsigned long long)(f.given * 3 / 4));
	hog = task_spawn("memverify", a, current);
	KT_EXPECT(t, hog > 0);
	KT_EXPECT(t, syscall_capture_wait("memverify: region=", before + 1, DEADLINE_NS));
	KT_EXPECT(t, app_wait_sleeping(hog));
	KT_EXPECT(t, task_find(hog) && task_find(hog)->mm->rss[MM_SHMEMPAGES] >= f.given * 3 / 4);
	KT_EXPECT(t, vm_stat[NR_SHMEM] - shmem0 >= (s64)(f.given * 3 / 4));
	k0 = oom_kills;
	KT_EXPECT_EQ(t, kernel_alloc_until_kills(t, 1, v), 1);
	shmem_after = vm_stat[NR_SHMEM]; /* the hog has not run since */
	KT_EXPECT_EQ(t, v[0], hog);
	KT_EXPECT_EQ(t, oom_kills - k0, 1);
	KT_EXPECT_EQ(t, shmem_after, shmem0);
	KT_EXPECT(t, strstr(oom_last_killed, "shmem-rss:0kB") == NULL); /* the report counted its shmem */
	app_expect_killed(t, hog);
	KT_EXPECT_EQ(t, release_and_wait(t, survivor), 0);
	memfence_down(&f);
	syscall_capture(NULL, 0);
	swap_board(t);
}

/* Allocations that may not reclaim (GFP_ATOMIC, GFP_NOWAIT), costly
 * orders fail instead of killing: with memory full
 * and a hog to kill, none of them kills it, and the hog's data is intact. */
static void nowait_atomic_costly_never_kill(struct ktest *t)
{
	static const gfp_t gfps[] = { GFP_ATOMIC, GFP_NOWAIT };
	u64 k0 = oom_kills;
	struct memfence f;
	struct page *chain = NULL, *p;
	int hog;

	swap_small(t, 0);
	syscall_capture(out, sizeof(out));
	memfence_up(&f, KEEP);
	hog = spawn_filled(t, f.given * 3 / 4, 18, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(gfps); i++)
		while ((p = alloc_page(gfps[i] | __GFP_NOWARN))) { /* down to their watermarks */
			p->private = (unsigned long)chain;
			chain = p;
		}
	KT_EXPECT(t, alloc_page(GFP_ATOMIC | __GFP_NOWARN) == NULL);
	KT_EXPECT(t, alloc_page(GFP_NOWAIT | __GFP_NOWARN) == NULL);
	KT_EXPECT(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, 4) == NULL); /* costly: over order 3 */
	KT_EXPECT_EQ(t, oom_kills, k0); /* nobody killed */
	while (chain) {
		p = (struct page *)chain->private;
		chain->private = 0;
		free_page(chain);
		chain = p;
	}
	KT_EXPECT_EQ(t, release_and_wait(t, hog), 0);
	memfence_down(&f);
	syscall_capture(NULL, 0);
	swap_board(t);
}

/* The knobs refuse out-of-range values and keep theirs; with
 * oom_kill_allocating_task the newcomer dies although the hog is bigger;
 * /proc's oom_score, oom_score_adj and oom_adj read as Linux prints them. */
static void knobs_and_allocating_task(struct ktest *t)
{
	struct memfence f;
	int hog, newcomer, status = -1, p0 = get_panic_on_oom();
	char a[48], buf[32];
	u64 k0;
	FILE *fp;

	KT_EXPECT_EQ(t, set_panic_on_oom(3), -EINVAL);
	KT_EXPECT_EQ(t, set_panic_on_oom(-1), -EINVAL);
	KT_EXPECT_EQ(t, get_panic_on_oom(), p0);
	KT_EXPECT_EQ(t, set_oom_kill_allocating_task(2), -EINVAL);
	KT_EXPECT_EQ(t, get_oom_kill_allocating_task(), 0);
	KT_EXPECT_EQ(t, set_panic_on_oom(0), 0);
	swap_small(t, SMALL_SWAP);
	syscall_capture(out, sizeof(out));
	memfence_up(&f, KEEP);
	hog = spawn_filled(t, f.given * 3 / 4, 13, 500);
	fp = fmemopen(buf, sizeof(buf), "w");
	KT_ASSERT(t, fp != NULL);
	KT_EXPECT_EQ(t, show_oom_score_adj(fp, hog), 0);
	KT_EXPECT_EQ(t, show_oom_adj(fp, hog), 0);
	fclose(fp);
	KT_EXPECT(t, !strcmp(buf, "500\n8\n"));
	fp = fmemopen(buf, sizeof(buf), "w");
	KT_ASSERT(t, fp != NULL);
	KT_EXPECT_EQ(t, show_oom_score(fp, hog), 0);
	KT_EXPECT_EQ(t, show_oom_score(fp, 32767), -ESRCH);
	fclose(fp);
	KT_EXPECT_EQ(t, strtoul(buf, NULL, 10), oom_score(badness(hog), oom_totalpages()));
	KT_EXPECT(t, strtoul(buf, NULL, 10) > 900); /* +500: about (1000 + 500) * 2/3 */
	/* Whoever allocates dies, although the hog (+500) is the worst. The
	 * newcomer filling memory is the one that allocates, except when the
	 * sleeping hog refaults its text page first: then it is the victim. */
	KT_EXPECT_EQ(t, set_oom_kill_allocating_task(1), 0);
	k0 = oom_kills;
	snprintf(a, sizeof(a), "%llu 1 14", (unsigned long long)(f.given * 3 / 4));
	newcomer = task_spawn("memverify", a, current);
	KT_EXPECT(t, newcomer > 0);
	KT_EXPECT_EQ(t, app_wait_exit(newcomer, &status), newcomer);
	KT_EXPECT_EQ(t, set_oom_kill_allocating_task(0), 0);
	KT_EXPECT(t, oom_kills > k0);
	KT_EXPECT_EQ(t, oom_last_victim, oom_last_invoker);
	if (oom_last_victim == newcomer) {
		KT_EXPECT_EQ(t, status, W_EXITCODE(0, SIGKILL));
		KT_EXPECT_EQ(t, release_and_wait(t, hog), 0);
	} else {
		printf("    # the hog allocated first and was the victim\n");
		KT_EXPECT_EQ(t, oom_last_victim, hog);
		KT_EXPECT_EQ(t, status, 0);
		app_expect_killed(t, hog);
	}
	memfence_down(&f);
	syscall_capture(NULL, 0);
	swap_board(t);
	KT_EXPECT_EQ(t, set_panic_on_oom(p0), 0);
}

static void every_page_and_object_returns(struct ktest *t)
{
	struct mem_state now = mem_state_settled();

	printf("    # start: free %llu slab %llu B; end: free %llu slab %llu B, zram orig %llu B, slots %llu\n",
	       (unsigned long long)start_state.free, (unsigned long long)start_state.slab,
	       (unsigned long long)now.free, (unsigned long long)now.slab, (unsigned long long)now.zram_orig,
	       (unsigned long long)now.swap_inuse);
	KT_EXPECT_EQ(t, now.free, start_state.free);
	KT_EXPECT_EQ(t, now.slab, start_state.slab);
	KT_EXPECT_EQ(t, now.zram_orig, 0);
	KT_EXPECT_EQ(t, now.swap_inuse, 0);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(one_hog_with_zram),
	KTEST_CASE(one_hog_without_swap),
	KTEST_CASE(protected_hog_spared),
	KTEST_CASE(kernel_alloc_kills_worst_first),
	KTEST_CASE(adj_at_run_time_changes_victim),
	KTEST_CASE(mlocked_hog_reaped),
	KTEST_CASE(shmem_hog_reaped),
	KTEST_CASE(nowait_atomic_costly_never_kill),
	KTEST_CASE(knobs_and_allocating_task),
	KTEST_CASE(every_page_and_object_returns),
	{ 0 },
};
KTEST_SUITE_INIT(oom, cases, oom_init_suite);
