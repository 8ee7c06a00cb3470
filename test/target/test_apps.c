/*
 * On-target tests of EL0 apps (issue 6): real programs from the app image
 * in their own address spaces, checked from the kernel side.
 *
 *  - a scripted fault workload: N pages read -> N zero-page mappings and
 *    no page allocated, N written -> N anonymous pages, fault counts exact;
 *  - two instances of one program share their text pages (mapcount 2) and
 *    each one's PSS counts half of them;
 *  - copy-on-write and zero-page copies give the right contents;
 *  - every kind of wild access kills only that app, with the right signal
 *    and fault kind in the report, while another app keeps running;
 *  - an app cannot read another app's memory or the kernel's;
 *  - an app that exits or is killed returns every page: free pages, page
 *    cache pages and slab pages each exactly as before (per-CPU lists
 *    drained, empty slabs shrunk, and the app image's clean unmapped page
 *    cache dropped on both sides, so that a leak into the cache or a slab
 *    shows);
 *  - random system calls from an EL0 fuzzer never hurt the kernel;
 *  - two apps holding different FP/SIMD patterns through page faults,
 *    yields and tick preemption keep every register, also when each
 *    fault runs kernel SIMD code (kernel_neon_begin) and then yields;
 *  - apps that must fail cleanly: W+X mappings refused (-EACCES), a fault
 *    that cannot make progress killed with a report in bounded time, the
 *    orphans of an exited app reaped (slots and pages back), mlock wraps
 *    and a failed large mlock leaving nothing locked or mapped, and a JIT
 *    that writes code, syncs the caches from EL0 and runs it.
 * Synchronisation with running apps is on their console output (captured
 * by the write syscall) or on their exit, with a deadline.
 */
#include <arch/fpsimd.h>
#include <errno.h>
#include <kernel/appimg.h>
#include <kernel/ktest.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/mm_report.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/slab.h>
#include <mm/uaccess.h>
#include <mm/vmstat.h>
#include <mm/swap.h>
#include <mm/zram.h>
#include <mm/vma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mem_state.h"

static char out[8192];

static int apps_init(void)
{
	return appimg_count() ? 0 : -1;
}

/* Wait until the captured output contains needle n times (5 s of virtual time). */
static bool wait_output(const char *needle, unsigned n)
{
	return syscall_capture_wait(needle, n, 5000000000ull);
}

/* Spawn name arg and wait for it; returns the wait status or -1. */
static int run(struct ktest *t, const char *name, const char *arg)
{
	int pid = task_spawn(name, arg, current), status = -1;

	if (!KT_EXPECT(t, pid > 0))
		return -1;
	KT_EXPECT_EQ(t, task_wait(pid, &status, false), pid);
	return status;
}

static void kill_and_reap(struct ktest *t, int pid)
{
	int status = 0;

	KT_EXPECT_EQ(t, task_kill(pid, SIGKILL), 0);
	KT_EXPECT_EQ(t, task_wait(pid, &status, false), pid);
	KT_EXPECT_EQ(t, status & 0x7f, SIGKILL);
}

static bool slab_debugging = sizeof(CONFIG_SLAB_DEBUG) > 1;

/* Where the pages are (mem_state_settled): free, cache and slab compared
 * exactly before/after. */
static bool mem_same(struct ktest *t, struct mem_state a, struct mem_state b)
{
	bool same = KT_EXPECT_EQ(t, b.free, a.free);

	same &= KT_EXPECT_EQ(t, b.cache, a.cache);
	/* with no app running the image's cache drops to nothing: a page that
	 * stays is held by a leaked reference */
	same &= KT_EXPECT_EQ(t, b.cache, 0);
	same &= KT_EXPECT_EQ(t, b.slab, a.slab);
	return same;
}

/* On the debug board: no allocation call site holds more objects after (0 or 1). */
static bool slab_sites_grew(struct slab_sample *s)
{
	if (!slab_debugging || !s)
		return false;
	slab_track_sample(&s[1]);
	return slab_leak_check(s, 2, stdout) != 0;
}

static void fault_counts_are_exact(struct ktest *t)
{
	const unsigned R = 40, W = 24;
	unsigned long region = 0, minflt = ~0ul, majflt = ~0ul;
	unsigned zero = 0, anon = 0, other = 0;
	struct task *task;
	const char *line;
	int pid;

	syscall_capture(out, sizeof(out));
	pid = task_spawn("faultwl", "40 24 hold", current);
	KT_ASSERT(t, pid > 0);
	KT_ASSERT(t, wait_output("faultwl: region=", 1));
	line = strstr(out, "faultwl: region=");
	KT_ASSERT(t, sscanf(line, "faultwl: region=%lx minflt=%lu majflt=%lu", &region, &minflt, &majflt) == 3);
	KT_EXPECT_EQ(t, minflt, R + W);
	KT_EXPECT_EQ(t, majflt, 0);
	task = task_find(pid);
	KT_ASSERT(t, task && task->mm);
	for (unsigned i = 0; i < R + W; i++) {
		phys_addr_t pa;
		unsigned attrs;
		int level;

		if (pgt_query(&task->mm->pgt, region + i * PAGE_SIZE, &pa, &attrs, &level))
			continue;
		if (ALIGN_DOWN(pa, PAGE_SIZE) == page_to_phys(zero_page)) {
			zero++;
			KT_EXPECT(t, !(attrs & MMU_WRITE));
			KT_EXPECT(t, i < R);
		} else if (i >= R) {
			anon++;
			KT_EXPECT(t, attrs & MMU_WRITE);
		} else {
			other++;
		}
	}
	KT_EXPECT_EQ(t, zero, R);
	KT_EXPECT_EQ(t, anon, W);
	KT_EXPECT_EQ(t, other, 0);
	kill_and_reap(t, pid);
	syscall_capture(NULL, 0);
}

/* PSS of vma computed page by page from the mapcounts, << PSS_SHIFT */
static void shared_text_halves_pss(struct ktest *t)
{
	struct vm_area_struct *v1, *v2;
	struct task *t1, *t2;
	unsigned shared = 0;
	u64 expect_pss = 0;
	int p1, p2;

	syscall_capture(out, sizeof(out));
	p1 = task_spawn("sharer", "forever", current);
	p2 = task_spawn("sharer", "forever", current);
	KT_ASSERT(t, p1 > 0 && p2 > 0);
	KT_ASSERT(t, wait_output("sharer: ready", 2));
	t1 = task_find(p1);
	t2 = task_find(p2);
	v1 = vma_lookup(t1->mm, t1->mm->start_code);
	v2 = vma_lookup(t2->mm, t2->mm->start_code);
	KT_ASSERT(t, v1 && v2 && v1->file && v1->file == v2->file);
	for (u64 va = v1->start; va < v1->end; va += PAGE_SIZE) {
		phys_addr_t pa1, pa2;
		unsigned a;
		int l;

		if (pgt_query(&t1->mm->pgt, va, &pa1, &a, &l))
			continue;
		KT_EXPECT(t, !(a & MMU_WRITE) && (a & MMU_EXEC));
		struct page *pg = pfn_to_page(phys_to_pfn(pa1));
		expect_pss += ((u64)PAGE_SIZE << PSS_SHIFT) / (u64)pg->mapcount;
		if (!pgt_query(&t2->mm->pgt, va, &pa2, &a, &l)) {
			KT_EXPECT_EQ(t, pa1, pa2);
			KT_EXPECT_EQ(t, pg->mapcount, 2);
			shared++;
		}
	}
	KT_EXPECT(t, shared >= 1);
	struct mem_usage u = { 0 };
	vma_usage(v1, &u);
	KT_EXPECT_EQ(t, u.pss, expect_pss);
	KT_EXPECT(t, u.pss < (u.rss << PSS_SHIFT));
	KT_EXPECT_EQ(t, u.shared_clean, (u64)shared * PAGE_SIZE);
	printf("    # sharer text: %u pages shared by both instances, Rss %llu kB, Pss %llu kB\n", shared,
	       (unsigned long long)u.rss >> 10, (unsigned long long)(u.pss >> PSS_SHIFT) >> 10);
	kill_and_reap(t, p1);
	kill_and_reap(t, p2);
	syscall_capture(NULL, 0);
}

static void cow_and_zero_copies(struct ktest *t)
{
	int status;

	syscall_capture(out, sizeof(out));
	status = run(t, "cowtest", "");
	KT_EXPECT_EQ(t, status, 0);
	KT_EXPECT(t, strstr(out, "cowtest: ok") != NULL);
	if (status)
		printf("    # cowtest output: %s\n", out);
	syscall_capture(NULL, 0);
}

static void wild_accesses_kill_only_the_app(struct ktest *t)
{
	static const struct { const char *arg; int sig; int kind; } cases[] = {
		{ "null", SIGSEGV, FAULT_KIND_MAPERR },
		{ "unmapped", SIGSEGV, FAULT_KIND_MAPERR },
		{ "kernel-read", SIGSEGV, FAULT_KIND_MAPERR },
		{ "kernel-write", SIGSEGV, FAULT_KIND_MAPERR },
		{ "text-write", SIGSEGV, FAULT_KIND_ACCERR },
		{ "exec-data", SIGSEGV, FAULT_KIND_ACCERR },
		{ "ro-write", SIGSEGV, FAULT_KIND_ACCERR },
	};
	int bystander, status;

	syscall_capture(out, sizeof(out));
	bystander = task_spawn("sharer", "forever", current);
	KT_ASSERT(t, bystander > 0);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		status = run(t, "wildptr", cases[i].arg);
		if (!KT_EXPECT_EQ(t, status & 0x7f, cases[i].sig) || !KT_EXPECT_EQ(t, last_kill.fault_kind, cases[i].kind))
			printf("    # wildptr %s: status %#x, kind %d\n", cases[i].arg, status, last_kill.fault_kind);
	}
	status = run(t, "stackrec", "");
	KT_EXPECT_EQ(t, status & 0x7f, SIGSEGV);
	KT_EXPECT_EQ(t, last_kill.fault_kind, FAULT_KIND_GUARD);
	KT_EXPECT(t, strstr(out, "SURVIVED") == NULL);
	/* the bystander ran through all of it */
	KT_EXPECT(t, task_find(bystander) && task_find(bystander)->state != TASK_ZOMBIE);
	kill_and_reap(t, bystander);
	syscall_capture(NULL, 0);
}

static void no_access_to_other_apps(struct ktest *t)
{
	unsigned long region = 0, m1, m2;
	u64 before = 0, after = 0;
	char arg[48];
	struct task *victim;
	int pid, status;

	syscall_capture(out, sizeof(out));
	pid = task_spawn("faultwl", "1 4 hold", current);
	KT_ASSERT(t, pid > 0);
	KT_ASSERT(t, wait_output("faultwl: region=", 1));
	KT_ASSERT(t, sscanf(strstr(out, "faultwl: region="), "faultwl: region=%lx minflt=%lu majflt=%lu", &region, &m1, &m2) == 3);
	victim = task_find(pid);
	KT_ASSERT(t, victim && victim->mm);
	KT_EXPECT_EQ(t, copy_from_user(victim->mm, &before, region + PAGE_SIZE, sizeof(before)), 0);
	snprintf(arg, sizeof(arg), "other %lx", (unsigned long)(region + PAGE_SIZE));
	status = run(t, "wildptr", arg);
	KT_EXPECT_EQ(t, status & 0x7f, SIGSEGV);
	KT_EXPECT_EQ(t, last_kill.fault_kind, FAULT_KIND_MAPERR);
	KT_EXPECT_EQ(t, last_kill.addr, region + PAGE_SIZE);
	KT_EXPECT_EQ(t, copy_from_user(victim->mm, &after, region + PAGE_SIZE, sizeof(after)), 0);
	KT_EXPECT_EQ(t, before, after);
	kill_and_reap(t, pid);
	syscall_capture(NULL, 0);
}

/* What a difference in free pages could be, for the failure message. */
static void show_memory(const char *when)
{
	struct slab_totals st;
	struct meminfo mi;

	slab_totals(&st);
	meminfo_read(&mi);
	printf("    # %s: free %llu cache %lld slab %llu+%llu+%llu vmalloc %llu kB pagetables %llu kB stacks %llu kB\n", when,
	       (unsigned long long)nr_free_pages(), (long long)vm_stat[NR_FILE_PAGES],
	       (unsigned long long)st.reclaimable, (unsigned long long)st.unreclaimable,
	       (unsigned long long)st.large_kmalloc, (unsigned long long)mi.vmalloc_used,
	       (unsigned long long)mi.page_tables, (unsigned long long)mi.kernel_stack);
}

static void exit_returns_every_page(struct ktest *t)
{
	struct mem_state before, after;
	unsigned tasks = task_count();
	struct slab_sample *samples = slab_debugging ? kmalloc(2 * sizeof(*samples), GFP_KERNEL) : NULL;

	/* a first round warms what stays: slab caches' first slabs, CRC checks */
	KT_EXPECT_EQ(t, run(t, "heapgrow", "2"), 0);
	KT_EXPECT_EQ(t, run(t, "demo", ""), 0);
	KT_EXPECT_EQ(t, run(t, "wildptr", "null") & 0x7f, SIGSEGV);
	before = mem_state_settled();
	if (samples)
		slab_track_sample(&samples[0]);
	show_memory("before");
	KT_EXPECT_EQ(t, run(t, "heapgrow", "2"), 0);
	KT_EXPECT_EQ(t, run(t, "demo", ""), 0);
	KT_EXPECT_EQ(t, run(t, "wildptr", "null") & 0x7f, SIGSEGV);
	after = mem_state_settled();
	show_memory("after");
	mem_same(t, before, after);
	KT_EXPECT(t, !slab_sites_grew(samples));
	kfree(samples);
	KT_EXPECT_EQ(t, task_count(), tasks);
}

static void syscall_fuzz_from_el0(struct ktest *t)
{
	struct mem_state before = mem_state_settled();
	int status;

	syscall_capture(out, sizeof(out));
	status = run(t, "sysfuzz", "1234 20000");
	KT_EXPECT_EQ(t, status, 0);
	KT_EXPECT(t, strstr(out, " 0 crashes") != NULL);
	KT_EXPECT(t, strstr(out, "edge cases, 0 wrong") != NULL);
	syscall_capture(NULL, 0);
	/* a second seed, and the system still returns every page */
	KT_EXPECT_EQ(t, run(t, "sysfuzz", "99 20000"), 0);
	mem_same(t, before, mem_state_settled());
}

/* ---- apps that must fail cleanly ---------------------------------------- */

/* Wait for pid to end within ns of (virtual) time: its pid and *status, or
 * 0 if it is still running then. */
static int wait_deadline(int pid, int *status, u64 ns)
{
	for (u64 waited = 0;; waited += 1000000) {
		int r = task_wait(pid, status, true);

		if (r || waited >= ns)
			return r;
		task_sleep_ns(1000000);
	}
}

static void wx_mappings_refused(struct ktest *t)
{
	int status;

	syscall_capture(out, sizeof(out));
	status = run(t, "wxdeny", "");
	KT_EXPECT_EQ(t, status, 0);
	if (!KT_EXPECT(t, strstr(out, "wxdeny: ok") != NULL))
		printf("    # wxdeny output: %s\n", out);
	syscall_capture(NULL, 0);
}

static void jit_runs_generated_code(struct ktest *t)
{
	int status;

	syscall_capture(out, sizeof(out));
	status = run(t, "jit", "");
	KT_EXPECT_EQ(t, status, 0);
	if (!KT_EXPECT(t, strstr(out, "jit: ok") != NULL))
		printf("    # jit: status %#x, output: %s\n", status, out);
	syscall_capture(NULL, 0);
}

/* A page whose PTE allows the access but the CPU refuses it: W+X, which
 * WXN makes unexecutable (forged here: mmap/mprotect refuse W+X). */
static void no_progress_fault_is_killed(struct ktest *t)
{
	unsigned long code = 0, flag = 0;
	u64 one = 1, min0;
	struct vm_area_struct *v;
	struct task *task;
	int pid, status = 0;

	syscall_capture(out, sizeof(out));
	pid = task_spawn("jit", "stuck", current);
	KT_ASSERT(t, pid > 0);
	KT_ASSERT(t, wait_output("jit: ready", 1));
	KT_ASSERT(t, sscanf(strstr(out, "jit: ready"), "jit: ready code=%lx flag=%lx", &code, &flag) == 2);
	task = task_find(pid);
	KT_ASSERT(t, task && task->mm && (v = vma_lookup(task->mm, code)) != NULL);
	v->flags |= VM_EXEC; /* writable and executable */
	change_protection(v, v->start, v->end);
	min0 = task->mm->min_flt;
	KT_EXPECT_EQ(t, copy_to_user(task->mm, flag, &one, sizeof(one)), 0);
	if (!KT_EXPECT_EQ(t, wait_deadline(pid, &status, 2000000000ull), pid)) {
		printf("    # still running after 2 s: %llu faults\n",
		       (unsigned long long)(task->mm->min_flt - min0));
		kill_and_reap(t, pid);
	} else {
		KT_EXPECT_EQ(t, status & 0x7f, SIGSEGV);
		KT_EXPECT_EQ(t, last_kill.fault_kind, FAULT_KIND_NOPROGRESS);
		KT_EXPECT_EQ(t, last_kill.addr, code);
		KT_EXPECT(t, strstr(last_kill.what, "no progress") != NULL);
	}
	KT_EXPECT(t, strstr(out, "stuck code returned") == NULL);
	syscall_capture(NULL, 0);
}

static void orphans_are_reaped(struct ktest *t)
{
	const unsigned runs = 6, children = 6; /* 36 > MAX_TASKS if they leaked */
	struct mem_state before;
	unsigned tasks = task_count();
	struct task *task;
	char arg[16];

	KT_EXPECT_EQ(t, run(t, "orphans", "2"), 0); /* warm: the program's cache, slabs */
	for (u64 w = 0; task_count() != tasks && w < 2000; w++)
		task_sleep_ns(1000000);
	before = mem_state_settled();
	snprintf(arg, sizeof(arg), "%u", children);
	for (unsigned i = 0; i < runs; i++)
		KT_EXPECT_EQ(t, run(t, "orphans", arg), 0);
	/* the last orphans sleep 30 ms: give them 2 s */
	for (u64 w = 0; task_count() != tasks && w < 2000; w++)
		task_sleep_ns(1000000);
	KT_EXPECT_EQ(t, task_count(), tasks);
	list_for_each_entry(task, &all_tasks, all_link)
		if (!KT_EXPECT(t, task->state != TASK_ZOMBIE))
			printf("    # zombie: pid %d %s\n", task->pid, task->name);
	mem_same(t, before, mem_state_settled());
}

static unsigned long count_leaves;
static void count_leaf(void *arg, u64 va, phys_addr_t pa, u64 size, int level, unsigned attrs)
{
	(void)arg, (void)va, (void)pa, (void)level, (void)attrs;
	count_leaves += size / PAGE_SIZE;
}

/* Take every page a user allocation could get (blocks as large as possible:
 * fast on any RAM size), then give back about keep pages of them, so that
 * exactly those are what the next user allocations can have (free pages
 * the zone reserves keep from them do not count). A chain through
 * page->private, the order in page->index. Without reclaim: it takes what
 * is free, it does not push apps out to swap first. */
static struct page *hog_memory(u64 keep)
{
	const gfp_t gfp = (GFP_HIGHUSER_MOVABLE & ~(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)) | __GFP_NOWARN;
	struct page *hog = NULL, *p;
	u64 back = 0;

	for (int order = MAX_ORDER; order >= 0; order--)
		while ((p = alloc_pages(gfp, (unsigned)order))) {
			p->private = (uintptr_t)hog;
			p->index = (u64)order;
			hog = p;
		}
	while (hog && back < keep) { /* the smallest blocks are on top */
		unsigned order = (unsigned)hog->index;

		p = hog;
		hog = (struct page *)p->private;
		p->private = 0;
		p->index = 0;
		free_pages(p, order);
		back += 1ull << order;
	}
	return hog;
}

static void free_hog(struct page *hog)
{
	while (hog) {
		struct page *p = hog;
		unsigned order = (unsigned)p->index;

		hog = (struct page *)p->private;
		p->private = 0;
		p->index = 0;
		free_pages(p, order);
	}
}

static void failed_mlock_leaves_nothing(struct ktest *t)
{
	const u64 keep = 2048; /* 8 MiB free for a 64 MiB mlock */
	unsigned long region = 0, len = 0, flag = 0;
	long rc = 0;
	u64 one = 1, anon0;
	s64 mlocked = vm_stat[NR_MLOCK];
	struct mem_state before;
	bool (*oom_hook)(gfp_t, unsigned);
	struct page *hog;
	struct task *task;
	int pid;

	KT_EXPECT_EQ(t, run(t, "orphans", "0"), 0); /* any run: warm the task slabs */
	before = mem_state_settled();
	syscall_capture(out, sizeof(out));
	pid = task_spawn("mlockfail", "0x4000000", current);
	KT_ASSERT(t, pid > 0);
	KT_ASSERT(t, wait_output("mlockfail: region=", 1));
	KT_EXPECT(t, strstr(out, "mlockfail: wraps ok") != NULL);
	KT_ASSERT_EQ(t, sscanf(strstr(out, "mlockfail: region="), "mlockfail: region=%lx len=%lx flag=%lx", &region, &len, &flag), 3);
	task = task_find(pid);
	KT_ASSERT(t, task && task->mm);
	hog = hog_memory(keep);
	anon0 = fault_kind_count[FAULT_KIND_ANON];
	/* mlock's own failure path: without the OOM killer (docs/oom.md), which
	 * would kill mlockfail itself, the biggest app here */
	oom_hook = reclaim_hooks.out_of_memory;
	reclaim_hooks.out_of_memory = NULL;
	KT_EXPECT_EQ(t, copy_to_user(task->mm, flag, &one, sizeof(one)), 0);
	if (!KT_EXPECT(t, wait_output("mlockfail: rc=", 1))) {
		printf("    # mlockfail output: %s\n", out);
	} else {
		KT_EXPECT_EQ(t, sscanf(strstr(out, "mlockfail: rc="), "mlockfail: rc=%ld", &rc), 1);
		KT_EXPECT_EQ(t, rc, -EAGAIN);
		/* it did fault pages in before it ran out (what it must undo) */
		KT_EXPECT(t, fault_kind_count[FAULT_KIND_ANON] - anon0 > 256);
		printf("    # mlock faulted in %llu pages of %lu, then failed\n",
		       (unsigned long long)(fault_kind_count[FAULT_KIND_ANON] - anon0), (unsigned long)(len / PAGE_SIZE));
		KT_EXPECT_EQ(t, task->mm->locked_vm, 0);
		KT_EXPECT_EQ(t, vm_stat[NR_MLOCK], mlocked);
		KT_EXPECT(t, !(vma_lookup(task->mm, region)->flags & VM_LOCKED));
		count_leaves = 0;
		pgt_for_each_leaf(&task->mm->pgt, region, region + len - 1, count_leaf, NULL);
		KT_EXPECT_EQ(t, count_leaves, 0);
	}
	free_hog(hog);
	reclaim_hooks.out_of_memory = oom_hook;
	kill_and_reap(t, pid);
	syscall_capture(NULL, 0);
	KT_EXPECT_EQ(t, vm_stat[NR_MLOCK], mlocked);
	mem_same(t, before, mem_state_settled());
}


/* Reclaim's aging primitive on a running app: pgt_test_and_clear_young
 * makes the page holding the app's polled flag old (AF clear, TLB entry
 * invalidated); the app's next access takes one access-flag fault that
 * sets AF again (minor, "accessed"), and the app runs on - no spurious
 * streak, no NOPROGRESS kill. On Cortex-A53/A72 the software path takes
 * that fault; with -cpu max (FEAT_HAFDBS, TCR_EL1.HA on) the walker sets
 * AF without one. */
static void access_flag_fault_makes_young(struct ktest *t)
{
	unsigned long code = 0, flag = 0;
	u64 acc0, np0, min0;
	struct task *task;
	pte_t *ptep;
	int pid, status = 0;

	syscall_capture(out, sizeof(out));
	pid = task_spawn("jit", "stuck", current);
	KT_ASSERT(t, pid > 0);
	KT_ASSERT(t, wait_output("jit: ready", 1));
	KT_ASSERT(t, sscanf(strstr(out, "jit: ready"), "jit: ready code=%lx flag=%lx", &code, &flag) == 2);
	task = task_find(pid);
	KT_ASSERT(t, task && task->mm);
	ptep = pgt_walk_pte(&task->mm->pgt, flag, false);
	KT_ASSERT(t, ptep && arch_pte_is_valid(*ptep));
	KT_EXPECT(t, arch_pte_is_young(*ptep));
	acc0 = fault_kind_count[FAULT_KIND_ACCESSED];
	np0 = fault_kind_count[FAULT_KIND_NOPROGRESS];
	min0 = task->mm->min_flt;
	KT_EXPECT(t, pgt_test_and_clear_young(&task->mm->pgt, flag));
	KT_EXPECT(t, !arch_pte_is_young(*ptep));
	KT_EXPECT(t, !pgt_test_and_clear_young(&task->mm->pgt, flag)); /* old stays old */
	for (int ms = 0; ms < 200 && !arch_pte_is_young(*ptep); ms++)
		task_sleep_ns(1000000); /* the app polls its flag every 1 ms */
	KT_EXPECT(t, arch_pte_is_young(*ptep));
	task_sleep_ns(10000000); /* and keeps polling: no further fault */
	/* the walker sets AF itself where TCR_EL1.HA is on (-cpu max): no fault */
	KT_EXPECT_EQ(t, fault_kind_count[FAULT_KIND_ACCESSED] - acc0, arch_hw_access_flag() ? 0 : 1);
	KT_EXPECT_EQ(t, task->mm->min_flt - min0, arch_hw_access_flag() ? 0 : 1);
	KT_EXPECT_EQ(t, fault_kind_count[FAULT_KIND_NOPROGRESS] - np0, 0);
	KT_EXPECT_EQ(t, task_wait(pid, &status, true), 0); /* still running */
	kill_and_reap(t, pid);
	syscall_capture(NULL, 0);
}

/* Two fpstress apps at once (different patterns); both must report ok. */
static void run_two_fpstress(struct ktest *t, const char *rounds)
{
	char arg[2][16];
	int pid[2], status;

	syscall_capture(out, sizeof(out));
	for (int i = 0; i < 2; i++) {
		snprintf(arg[i], sizeof(arg[i]), "%d %s", i + 1, rounds);
		pid[i] = task_spawn("fpstress", arg[i], current);
		KT_ASSERT(t, pid[i] > 0);
	}
	for (int i = 0; i < 2; i++) {
		status = -1;
		KT_EXPECT_EQ(t, task_wait(pid[i], &status, false), pid[i]);
		KT_EXPECT_EQ(t, status, 0);
	}
	syscall_capture(NULL, 0);
	KT_EXPECT(t, strstr(out, "fpstress 1: ok") != NULL);
	KT_EXPECT(t, strstr(out, "fpstress 2: ok") != NULL);
	if (t->failures)
		printf("    # fpstress output: %s\n", out);
}

static void fpsimd_survives_switches_and_faults(struct ktest *t)
{
	u64 switches = nr_context_switches;

	run_two_fpstress(t, "64");
	printf("    # %llu context switches\n", (unsigned long long)(nr_context_switches - switches));
	KT_EXPECT(t, nr_context_switches - switches >= 64);
}

/* In every EL0 fault, in turn: a switch to the other app (the context
 * switch must save the app's registers), SIMD code in a kernel_neon
 * section then a switch (kernel_neon_begin must save them), SIMD code
 * outside any section, as a forgotten printf would be, then a switch (the
 * FP/SIMD trap must save them). */
static unsigned neon_hook_calls;

static void clobber_and_yield(void)
{
	switch (neon_hook_calls++ % 3) {
	case 1:
		kernel_neon_begin();
		arch_fpsimd_fill_for_test(0xee);
		kernel_neon_end();
		break;
	case 2:
		arch_fpsimd_fill_for_test(0xdd);
		break;
	}
	task_yield();
}

static void fpsimd_survives_kernel_neon_in_faults(struct ktest *t)
{
	u64 traps = fpsimd_trap_count;

	neon_hook_calls = 0;
	user_fault_test_hook = clobber_and_yield;
	run_two_fpstress(t, "64");
	user_fault_test_hook = NULL;
	/* 64 data pages each, plus the program's own faults */
	KT_EXPECT(t, neon_hook_calls >= 128);
	/* lazy saving (AArch64): every unguarded clobber trapped and saved first;
	 * eager saving (ARMv7-A): the registers were in the frame already */
	if (arch_fpsimd_lazy())
		KT_EXPECT(t, fpsimd_trap_count - traps >= neon_hook_calls / 3);
	else
		KT_EXPECT(t, fpsimd_trap_count == traps);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(fault_counts_are_exact),
	KTEST_CASE(shared_text_halves_pss),
	KTEST_CASE(cow_and_zero_copies),
	KTEST_CASE(wild_accesses_kill_only_the_app),
	KTEST_CASE(no_access_to_other_apps),
	KTEST_CASE(exit_returns_every_page),
	KTEST_CASE(syscall_fuzz_from_el0),
	KTEST_CASE(wx_mappings_refused),
	KTEST_CASE(jit_runs_generated_code),
	KTEST_CASE(no_progress_fault_is_killed),
	KTEST_CASE(orphans_are_reaped),
	KTEST_CASE(failed_mlock_leaves_nothing),
	KTEST_CASE(access_flag_fault_makes_young),
	KTEST_CASE(fpsimd_survives_switches_and_faults),
	KTEST_CASE(fpsimd_survives_kernel_neon_in_faults),
	{ 0 },
};
KTEST_SUITE_INIT(apps, cases, apps_init);
