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
 *  - an app that exits or is killed returns every page (free pages after
 *    == before, with per-CPU lists drained and empty slabs shrunk);
 *  - random system calls from an EL0 fuzzer never hurt the kernel.
 * Synchronisation with running apps is on their console output (captured
 * by the write syscall) or on their exit, with a deadline.
 */
#include <kernel/appimg.h>
#include <kernel/ktest.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/memory.h>
#include <mm/mm_report.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/slab.h>
#include <mm/uaccess.h>
#include <mm/vmstat.h>
#include <mm/vma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Free pages plus the page cache (which legitimately keeps file pages an
 * app read), with the per-CPU lists drained and empty slabs released. */
static bool slab_debugging = sizeof(CONFIG_SLAB_DEBUG) > 1;

static u64 free_pages_settled(void)
{
	struct slab_totals st;

	drain_pcp_pages();
	kmem_cache_shrink_all();
	slab_totals(&st);
	/* With slab debugging (the debug board) partial slabs are not given
	 * back the same way; there the per-call-site leak check (below) is the
	 * proof for slab objects, and slab pages count as accounted. */
	return nr_free_pages() + (u64)vm_stat[NR_FILE_PAGES] +
	       (slab_debugging ? (st.reclaimable + st.unreclaimable) / PAGE_SIZE : 0);
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
	u64 before, after;
	unsigned tasks = task_count();
	struct slab_sample *samples = slab_debugging ? kmalloc(2 * sizeof(*samples), GFP_KERNEL) : NULL;

	/* warm the page cache: cached program pages legitimately stay */
	KT_EXPECT_EQ(t, run(t, "heapgrow", "2"), 0);
	KT_EXPECT_EQ(t, run(t, "demo", ""), 0);
	KT_EXPECT_EQ(t, run(t, "wildptr", "null") & 0x7f, SIGSEGV);
	before = free_pages_settled();
	if (samples)
		slab_track_sample(&samples[0]);
	show_memory("before");
	KT_EXPECT_EQ(t, run(t, "heapgrow", "2"), 0);
	KT_EXPECT_EQ(t, run(t, "demo", ""), 0);
	KT_EXPECT_EQ(t, run(t, "wildptr", "null") & 0x7f, SIGSEGV);
	after = free_pages_settled();
	show_memory("after");
	KT_EXPECT_EQ(t, after, before);
	KT_EXPECT(t, !slab_sites_grew(samples));
	kfree(samples);
	KT_EXPECT_EQ(t, task_count(), tasks);
}

static void syscall_fuzz_from_el0(struct ktest *t)
{
	u64 before = free_pages_settled();
	int status;

	syscall_capture(out, sizeof(out));
	status = run(t, "sysfuzz", "1234 20000");
	KT_EXPECT_EQ(t, status, 0);
	KT_EXPECT(t, strstr(out, " 0 crashes") != NULL);
	syscall_capture(NULL, 0);
	/* a second seed, and the system still returns every page */
	KT_EXPECT_EQ(t, run(t, "sysfuzz", "99 20000"), 0);
	KT_EXPECT_EQ(t, free_pages_settled(), before);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(fault_counts_are_exact),
	KTEST_CASE(shared_text_halves_pss),
	KTEST_CASE(cow_and_zero_copies),
	KTEST_CASE(wild_accesses_kill_only_the_app),
	KTEST_CASE(no_access_to_other_apps),
	KTEST_CASE(exit_returns_every_page),
	KTEST_CASE(syscall_fuzz_from_el0),
	{ 0 },
};
KTEST_SUITE_INIT(apps, cases, apps_init);
