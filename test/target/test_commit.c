/*
 * On-target tests of the overcommit policy, page-table accounting and the
 * bounded teardown (mm/commit.c, mm/mmap.c, kernel/exit_mm.c; issue 12
 * item 0), with apps/sparse.c:
 *  - mode 2 refuses an mmap (plain, MAP_NORESERVE, MAP_POPULATE) that
 *    would reach CommitLimit with -ENOMEM while a smaller one succeeds,
 *    and Committed_AS is back at its start once the apps have exited;
 *    meminfo's CommitLimit/Committed_AS are the counters;
 *  - mode 1 accepts a mapping of half the apps' address space (HUGE_MIB:
 *    256 GiB of AArch64's 512, 1.5 GiB of ARMv7-A's 3), mode 0 refuses
 *    it unless it is MAP_NORESERVE;
 *  - a sparse reader (one byte every 2 MiB: zero-page mappings, RSS of a
 *    few pages) has VmPTE = the table pages a walk of its tables finds,
 *    PageTables sums every mm's tables and the kernel's, and the OOM
 *    killer chooses it over an app with four times its resident memory;
 *  - killing a 64 GiB sparse reader (32768 last-level tables; less on
 *    small RAM) is torn down in bounded steps while another app keeps
 *    getting CPU time.
 * Swap is off in this suite (CommitLimit = RAM part only), the board's
 * zram comes back at the end.
 */
#include <arch/mmu.h>
#include <arch/phys.h>
#include <errno.h>
#include <kernel/appimg.h>
#include <kernel/exit_mm.h>
#include <kernel/ktest.h>
#include <kernel/memfence.h>
#include <kernel/oom.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/commit.h>
#include <mm/kmap.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/swap.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <string.h>
#include <uapi/pagoda/syscall.h>

#include "app_wait.h"

#define KEEP 4096 /* pages the fence leaves in the OOM case */

static char out[8192];
static u64 committed_at_start;

static int commit_init_suite(void)
{
	if (!appimg_count()) {
		printf("# commit: needs the app image\n");
		return -1;
	}
	if (swap_reinit(0, 0))
		return -1;
	committed_at_start = vm_committed_pages();
	return 0;
}

static void policy_default(struct ktest *t)
{
	KT_EXPECT_EQ(t, set_overcommit_memory(CONFIG_OVERCOMMIT_MEMORY), 0);
	if (CONFIG_OVERCOMMIT_KBYTES)
		KT_EXPECT_EQ(t, set_overcommit_kbytes(CONFIG_OVERCOMMIT_KBYTES), 0);
	else
		KT_EXPECT_EQ(t, set_overcommit_ratio(CONFIG_OVERCOMMIT_RATIO), 0);
}

/* Mode 2 with CommitLimit = what is committed now + headroom pages. */
static void mode2_with_headroom(struct ktest *t, u64 headroom)
{
	KT_EXPECT_EQ(t, set_overcommit_memory(OVERCOMMIT_NEVER), 0);
	KT_EXPECT_EQ(t, set_overcommit_kbytes((s64)((vm_committed_pages() + headroom) * (PAGE_SIZE >> 10))), 0);
	KT_EXPECT_EQ(t, vm_commit_limit(), vm_committed_pages() + headroom);
}

/* Run sparse with arg to its end: its exit status; its output in out. */
static int run_sparse(struct ktest *t, const char *arg)
{
	int pid, status = -1;

	syscall_capture(out, sizeof(out));
	pid = task_spawn("sparse", arg, current);
	if (KT_EXPECT(t, pid > 0))
		KT_EXPECT_EQ(t, app_wait_exit(pid, &status), pid);
	syscall_capture(NULL, 0);
	return status;
}

static void meminfo_shows_the_counters(struct ktest *t)
{
	struct meminfo mi;

	meminfo_read(&mi);
	KT_EXPECT_EQ(t, mi.committed_as, vm_committed_pages() * (PAGE_SIZE >> 10));
	KT_EXPECT_EQ(t, mi.commit_limit, vm_commit_limit() * (PAGE_SIZE >> 10));
	KT_EXPECT_EQ(t, vm_commit_limit(), nr_managed_pages() * CONFIG_OVERCOMMIT_RATIO / 100); /* no swap */
	printf("    # CommitLimit %llu kB, Committed_AS %llu kB\n", (unsigned long long)mi.commit_limit,
	       (unsigned long long)mi.committed_as);
}

/* In the kernel, on an mm of its own: the exact boundary. */
static void mode2_refuses_over_the_limit(struct ktest *t)
{
	struct mm_struct *mm = mm_create();
	u64 c0 = vm_committed_pages();
	s64 a;

	KT_ASSERT(t, mm);
	mode2_with_headroom(t, 100);
	KT_EXPECT_EQ(t, do_mmap(mm, 0, 100 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0,
				0, NULL), -ENOMEM);
	KT_EXPECT_EQ(t, mm->map_count, 0);
	KT_EXPECT_EQ(t, vm_committed_pages(), c0);
	a = do_mmap(mm, 0, 99 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL);
	KT_EXPECT(t, a > 0);
	KT_EXPECT_EQ(t, vm_committed_pages(), c0 + 99);
	KT_EXPECT_EQ(t, do_mmap(mm, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, NULL, 0, 0, NULL), -ENOMEM);
	KT_EXPECT_EQ(t, mm->map_count, 1);
	KT_EXPECT_EQ(t, mm_rss(mm), 0); /* refused before populating anything */
	mm_destroy(mm);
	KT_EXPECT_EQ(t, vm_committed_pages(), c0);
	policy_default(t);
}

/* The same through apps: refused, accepted, and Committed_AS back after exit. */
static void mode2_apps_and_committed_after_exit(struct ktest *t)
{
	mode2_with_headroom(t, 8192); /* 32 MiB besides what is committed */
	KT_EXPECT_EQ(t, run_sparse(t, "64 plain 0 exit"), W_EXITCODE(1, 0));
	KT_EXPECT(t, strstr(out, "sparse: mmap=-12\n") != NULL);
	KT_EXPECT_EQ(t, run_sparse(t, "64 noreserve 0 exit"), W_EXITCODE(1, 0)); /* mode 2 charges it */
	KT_EXPECT(t, strstr(out, "sparse: mmap=-12\n") != NULL);
	KT_EXPECT_EQ(t, run_sparse(t, "64 populate 0 exit"), W_EXITCODE(1, 0));
	KT_EXPECT(t, strstr(out, "sparse: mmap=-12\n") != NULL);
	KT_EXPECT_EQ(t, run_sparse(t, "16 populate 4 exit"), 0);
	KT_EXPECT(t, strstr(out, "sparse: touched=4096\n") != NULL);
	KT_EXPECT_EQ(t, vm_committed_pages(), committed_at_start);
	policy_default(t);
}

/* Half the apps' address space in MiB (arch/user_va.h): room below
 * mmap_base, and more than RAM + swap on every 64-bit board (not on a
 * 32-bit one with 2 GiB or more: huge_exceeds_ram_and_swap()). */
#define HUGE_MIB (USER_VA_END / 2 >> 20)

static bool huge_exceeds_ram_and_swap(void)
{
	struct swap_info si;

	swap_get_info(&si);
	return (HUGE_MIB << (20 - PAGE_SHIFT)) > nr_managed_pages() + si.nr_slots;
}

static void modes_0_and_1_on_a_huge_mapping(struct ktest *t)
{
	char plain[48], noreserve[48];

	snprintf(plain, sizeof(plain), "%llu plain 0 exit", (unsigned long long)HUGE_MIB);
	snprintf(noreserve, sizeof(noreserve), "%llu noreserve 0 exit", (unsigned long long)HUGE_MIB);
	KT_EXPECT_EQ(t, set_overcommit_memory(OVERCOMMIT_ALWAYS), 0);
	KT_EXPECT_EQ(t, run_sparse(t, plain), 0);
	KT_EXPECT_EQ(t, run_sparse(t, noreserve), 0);
	KT_EXPECT_EQ(t, set_overcommit_memory(OVERCOMMIT_GUESS), 0);
	if (huge_exceeds_ram_and_swap()) {
		KT_EXPECT_EQ(t, run_sparse(t, plain), W_EXITCODE(1, 0)); /* > RAM + swap */
		KT_EXPECT(t, strstr(out, "sparse: mmap=-12\n") != NULL);
	} else {
		/* a 32-bit board with 2 GiB: no mapping an app can make is that big */
		printf("    # mode 0's refusal not checked: RAM + swap >= %llu MiB\n", (unsigned long long)HUGE_MIB);
	}
	KT_EXPECT_EQ(t, run_sparse(t, noreserve), 0);
	KT_EXPECT_EQ(t, vm_committed_pages(), committed_at_start);
	policy_default(t);
}

/* Table pages reachable from pgt's root, the root included (an independent count). */
static u64 walk_tables(const struct pgtable *pt, phys_addr_t table, int level)
{
	const pte_t *e = phys_to_virt(table);
	unsigned n = level == pt->top_level ? 1u << (pt->va_bits - pt_level_shift(level)) : PT_ENTRIES;
	u64 count = 1;

	for (unsigned i = 0; level < PT_LEAF_LEVEL && i < n; i++)
		if (arch_pte_is_table(e[i], level))
			count += walk_tables(pt, arch_pte_addr(e[i]), level + 1);
	return count;
}

/* Spawn sparse with arg and wait until it has touched and sleeps: its pid or -1. */
static int spawn_sleeping(struct ktest *t, const char *name, const char *arg)
{
	int pid = task_spawn(name, arg, current);

	if (!KT_EXPECT(t, pid > 0) || !KT_EXPECT(t, app_wait_sleeping(pid)))
		return -1;
	return pid;
}

static void kill_and_wait(struct ktest *t, int pid)
{
	int status = -1;

	KT_EXPECT_EQ(t, task_kill(pid, SIGKILL), 0);
	KT_EXPECT_EQ(t, app_wait_exit(pid, &status), pid);
	KT_EXPECT_EQ(t, status, W_EXITCODE(0, SIGKILL));
}

static void sparse_tables_counted_and_oom_victim(struct ktest *t)
{
	struct memfence f;
	struct meminfo mi;
	struct task *s;
	struct oom_usage u;
	u64 user_tables = 0, k0 = oom_kills, mib = MIN(8192, HUGE_MIB), spans = mib / 2;
	char a[64], touched[40];
	int sp, hog;

	syscall_capture(out, sizeof(out));
	/* 8 GiB read every 2 MiB: 4096 spans (1.5 GiB, 768 spans on ARMv7-A) */
	snprintf(a, sizeof(a), "%llu noreserve 2048 wait", (unsigned long long)mib);
	snprintf(touched, sizeof(touched), "sparse: touched=%llu\n", (unsigned long long)spans);
	sp = spawn_sleeping(t, "sparse", a);
	s = task_find(sp);
	KT_ASSERT(t, s && s->mm);
	KT_EXPECT(t, strstr(out, touched) != NULL);
	KT_EXPECT_EQ(t, s->mm->pgt.nr_tables, walk_tables(&s->mm->pgt, s->mm->pgt.root, s->mm->pgt.top_level));
	KT_EXPECT(t, s->mm->pgt.nr_tables >= spans + 4); /* + the levels above (3 on ARMv7-A's LPAE: 773) */
	KT_EXPECT(t, mm_rss(s->mm) < 64); /* the reads map the zero page */
	list_for_each_entry(s, &all_tasks, all_link)
		if (s->mm)
			user_tables += s->mm->pgt.nr_tables;
	KT_EXPECT_EQ(t, (u64)vm_stat[NR_USER_PAGETABLES], user_tables);
	meminfo_read(&mi);
	KT_EXPECT_EQ(t, mi.page_tables, (user_tables + kernel_pgt.nr_tables) * (PAGE_SIZE >> 10));
	s = task_find(sp);
	oom_task_usage(s, &u);
	KT_EXPECT_EQ(t, u.pgtables, s->mm->pgt.nr_tables - 1); /* VmPTE: every level but the root */
	printf("    # sparse: VmRSS %llu kB, VmPTE %llu kB, PageTables %llu kB\n",
	       (unsigned long long)(mm_rss(s->mm) * 4), (unsigned long long)(u.pgtables * 4),
	       (unsigned long long)mi.page_tables);

	/* a hog with 4x the sparse app's resident pages... */
	memfence_up(&f, KEEP);
	/* (at most half the sparse app's table pages, which on ARMv7-A's 3 GiB
	 * of address space are 773, not 4096+) */
	snprintf(a, sizeof(a), "%llu 1 5 wait", (unsigned long long)MIN(f.given / 2, s->mm->pgt.nr_tables / 2));
	hog = spawn_sleeping(t, "memverify", a);
	/* ...the kernel allocates until the killer runs: the sparse app goes */
	{
		struct page *chain = NULL, *p;

		while (oom_kills == k0 && (p = alloc_page(GFP_KERNEL))) {
			p->private = (unsigned long)chain;
			chain = p;
		}
		while (chain) {
			p = (struct page *)chain->private;
			chain->private = 0;
			free_page(chain);
			chain = p;
		}
	}
	KT_EXPECT_EQ(t, oom_kills, k0 + 1);
	KT_EXPECT_EQ(t, oom_last_victim, sp);
	/* the reaper took only what the allocation needed: most tables are
	 * left to the victim's own exit, which frees them in bounded steps */
	s = task_find(sp);
	KT_EXPECT(t, s && s->mm && s->oom_reaped && s->oom_reap_next != OOM_REAP_DONE);
	if (s && s->mm) {
		printf("    # after the kill: %llu of the sparse app's tables left to its exit\n",
		       (unsigned long long)s->mm->pgt.nr_tables);
		KT_EXPECT(t, s->mm->pgt.nr_tables > 1); /* how many depends on the watermarks, so on RAM */
	}
	{
		int status = -1;

		KT_EXPECT_EQ(t, app_wait_exit(sp, &status), sp);
		KT_EXPECT_EQ(t, status, W_EXITCODE(0, SIGKILL));
	}
	memfence_down(&f);
	if (hog > 0)
		kill_and_wait(t, hog);
	syscall_capture(NULL, 0);
}

/* Up to 64 GiB read every 2 MiB: up to 32768 last-level tables (128 MiB)
 * to free, fewer where RAM is smaller (a third of the free pages) or the
 * address space (HUGE_MIB: 768 on ARMv7-A). */
static void teardown_is_bounded(struct ktest *t)
{
	u64 spans = MIN(MIN(32768, nr_free_pages() / 3), HUGE_MIB / 2), tables, spinner_ticks, own_ns;
	int sp, spin;
	struct task *s;
	char a[64];

	snprintf(a, sizeof(a), "%llu noreserve 2048 wait", (unsigned long long)(spans * 2));
	sp = spawn_sleeping(t, "sparse", a);
	s = task_find(sp);
	KT_ASSERT(t, s && s->mm);
	tables = s->mm->pgt.nr_tables;
	KT_EXPECT(t, tables >= spans);
	spin = task_spawn("sparse", "0 plain 0 spin", current);
	KT_EXPECT(t, spin > 0);
	spinner_ticks = task_find(spin)->ticks;
	kill_and_wait(t, sp);
	KT_EXPECT_EQ(t, exit_mm_last.pid, sp);
	KT_EXPECT_EQ(t, exit_mm_last.tables, tables);
	own_ns = exit_mm_last.total_ns - exit_mm_last.others_ns;
	printf("    # teardown of %llu table pages: %llu ns of its own (+%llu ns in other tasks); %llu scheduling "
	       "points, %llu switches; longest stretch without a point %llu ns; other apps got %llu ticks\n",
	       (unsigned long long)exit_mm_last.tables, (unsigned long long)own_ns,
	       (unsigned long long)exit_mm_last.others_ns, (unsigned long long)exit_mm_last.points,
	       (unsigned long long)exit_mm_last.switches, (unsigned long long)exit_mm_last.max_gap_ns,
	       (unsigned long long)exit_mm_last.app_ticks);
	KT_EXPECT(t, exit_mm_last.points >= spans / 16); /* at most 16 one-page spans a batch */
	/* The timing checks need a long teardown: ARMv7-A's 768 MiB of address
	 * space makes one of 773 tables, about 3 ms, shorter than a host
	 * hiccup without -icount (4 ms seen under make fresh-check) and than
	 * the spinner's 10 ms tick; there the scheduling points above are the
	 * bound. Unbounded, the one stretch would be all of it; the bound is
	 * loose because a hiccup shows as a long stretch (up to 64 ms seen
	 * under make test; 0.6 ms under icount). */
	if (spans >= 4096) {
		KT_EXPECT(t, exit_mm_last.max_gap_ns * 4 <= own_ns);
		KT_EXPECT(t, exit_mm_last.switches > 0);
		KT_EXPECT(t, exit_mm_last.app_ticks > 0); /* the spinner ran during the teardown */
		KT_EXPECT(t, task_find(spin)->ticks > spinner_ticks);
	} else {
		printf("    # %llu spans: too short a teardown for the timing checks\n", (unsigned long long)spans);
	}
	kill_and_wait(t, spin);
	KT_EXPECT_EQ(t, vm_committed_pages(), committed_at_start);
}

static void swap_back(struct ktest *t)
{
	KT_EXPECT_EQ(t, swap_reinit((u64)CONFIG_ZRAM_SIZE_MB << 20, (u64)CONFIG_ZRAM_MEM_LIMIT_MB << 20), 0);
	policy_default(t);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(meminfo_shows_the_counters),
	KTEST_CASE(mode2_refuses_over_the_limit),
	KTEST_CASE(mode2_apps_and_committed_after_exit),
	KTEST_CASE(modes_0_and_1_on_a_huge_mapping),
	KTEST_CASE(sparse_tables_counted_and_oom_victim),
	KTEST_CASE(teardown_is_bounded),
	KTEST_CASE(swap_back),
	{ 0 },
};
KTEST_SUITE_INIT(commit, cases, commit_init_suite);
