/*
 * On-target tests of per-app memory budgets (mm/budget.c) and leak
 * detection by sampling (kernel/leak.c), issue 12 items 5, 6 and 8, with
 * real apps (apps/leaky.c grows STEP_KB at each flag step, apps/memverify.c
 * is the survivor) and RAM not fenced: the system has memory to spare, so
 * every kill here is a budget's, never the global killer's:
 *  - an app over its budget is killed alone (CONSTRAINT_MEMCG, "Memory
 *    cgroup out of memory"), a survivor's data is byte-exact;
 *  - an app whose budget its file pages fill has them reclaimed, not killed;
 *  - panic_on_oom=1 kills a budget OOM instead of panicking;
 *  - a leaking app is a leak suspect before its OOM, with its curve, and the
 *    OOM report names it; the leakd thread flags one on its own;
 *  - the kernel halves of the syscalls and their errnos;
 *  - a budget given at spawn, and one that follows the app's class;
 *  - at the end, every page, slab byte and zram object is back.
 * Synchronisation: the apps' console output, the flag words they wait on,
 * their exit, each with a deadline; leak samples are taken by
 * leak_sample_now() between steps, never by timing.
 */
#include <errno.h>
#include <kernel/app_class.h>
#include <kernel/appimg.h>
#include <kernel/console.h>
#include <kernel/ktest.h>
#include <kernel/leak.h>
#include <kernel/oom.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/budget.h>
#include <mm/page_alloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/pagoda/syscall.h>

#include "app_wait.h"
#include "mem_state.h"

#define STEP_KB 64
#define STEP_PAGES (STEP_KB / 4)

static char out[16384];
static char con[16384];
static struct mem_state start_state;

static int budget_init_suite(void)
{
	if (!appimg_count()) {
		printf("# budget: needs the app image\n");
		return -1;
	}
	return 0;
}

/* The last console output (the kernel's reports), NUL-terminated. */
static const char *console_tail(void)
{
	size_t n = console_ring_tail(con, sizeof(con) - 1);

	con[n] = 0;
	return con;
}

/* Spawn leaky STEP_KB [file] and wait until it is ready: its pid and *flag. */
static int spawn_leaky(struct ktest *t, const char *mode, u64 *flag)
{
	unsigned before = app_output_count(out, "leaky: flag=");
	char a[32];
	const char *p;
	int pid;

	snprintf(a, sizeof(a), "%d%s%s", STEP_KB, mode ? " " : "", mode ? mode : "");
	pid = task_spawn("leaky", a, current);
	if (!KT_EXPECT(t, pid > 0) ||
	    !KT_EXPECT(t, syscall_capture_wait("leaky: flag=", before + 1, APP_DEADLINE_NS)))
		return pid;
	for (p = out; strstr(p, "leaky: flag="); p = strstr(p, "leaky: flag=") + 1)
		*flag = strtoull(strstr(p, "leaky: flag=") + 12, NULL, 16);
	return pid;
}

/* Let leaky take step n and wait until it has. */
static bool leaky_step(struct ktest *t, int pid, u64 flag, unsigned n)
{
	char needle[32];

	snprintf(needle, sizeof(needle), "leaky: step %u,", n);
	return KT_EXPECT(t, app_set_flag(pid, flag, n)) &&
	       KT_EXPECT(t, syscall_capture_wait(needle, 1, APP_DEADLINE_NS));
}

static u64 usage_kb(int pid) { return mm_budget_usage(task_find(pid)->mm) * 4; }

/* A survivor: memverify 256 pages waiting on its flag; *flag its address. */
static int spawn_survivor(struct ktest *t, u64 *flag)
{
	int pid = task_spawn("memverify", "256 1 21 wait", current);
	const char *p;

	if (!KT_EXPECT(t, pid > 0) || !KT_EXPECT(t, syscall_capture_wait("memverify: region=", 1, APP_DEADLINE_NS)) ||
	    !KT_EXPECT(t, app_wait_sleeping(pid)))
		return pid;
	p = strstr(out, "flag=");
	*flag = p ? strtoull(p + 5, NULL, 16) : 0;
	return pid;
}

/*
 * leaky runs free under a budget of its usage + 8 steps while a survivor
 * holds 256 pages: leaky alone is killed, by the budget (CONSTRAINT_MEMCG)
 * and not the global killer, with most of RAM still free; the survivor
 * then verifies every byte.
 */
static void over_budget_killed_alone(struct ktest *t)
{
	u64 k0 = oom_kills, m0 = memcg_oom_kills, flag = 0, sflag = 0;
	int leaky, survivor, status = -1;
	char a[96];
	const char *c;

	start_state = mem_state_settled();
	syscall_capture(out, sizeof(out));
	survivor = spawn_survivor(t, &sflag);
	leaky = spawn_leaky(t, NULL, &flag);
	KT_EXPECT_EQ(t, mem_budget_set(task_find(leaky), usage_kb(leaky) + 8 * STEP_KB), 0);
	KT_EXPECT(t, app_set_flag(leaky, flag, ~0ull));
	app_expect_killed(t, leaky);
	KT_EXPECT_EQ(t, memcg_oom_kills - m0, 1);
	KT_EXPECT_EQ(t, oom_kills - k0, 1); /* one kill in all: this one */
	KT_EXPECT_EQ(t, oom_last_victim, leaky);
	KT_EXPECT(t, nr_free_pages() > 4096); /* the system had memory to spare */
	snprintf(a, sizeof(a), "Memory cgroup out of memory: Killed process %d (leaky) ", leaky);
	KT_EXPECT(t, !strncmp(oom_last_killed, a, strlen(a)));
	c = console_tail();
	snprintf(a, sizeof(a), "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
		 "oom_memcg=/leaky-%d,task_memcg=/leaky-%d,task=leaky,pid=%d,uid=0\n", leaky, leaky, leaky);
	KT_EXPECT(t, strstr(c, a) != NULL);
	KT_EXPECT(t, strstr(c, "memory+swap: usage ") != NULL);
	KT_EXPECT(t, app_set_flag(survivor, sflag, 1));
	KT_EXPECT_EQ(t, app_wait_exit(survivor, &status), survivor);
	KT_EXPECT_EQ(t, status, 0); /* byte-exact */
	syscall_capture(NULL, 0);
}

/*
 * leaky maps 256 pages of the blob file, then its budget is set to its
 * usage: the next 8 steps (128 pages) fit only by reclaiming its file
 * pages, and it lives.
 */
static void file_pages_reclaimed_not_killed(struct ktest *t)
{
	u64 m0 = memcg_oom_kills, flag = 0, limit, file0;
	struct mm_struct *mm;
	int leaky;

	syscall_capture(out, sizeof(out));
	leaky = spawn_leaky(t, "file", &flag);
	KT_ASSERT(t, task_find(leaky) != NULL);
	mm = task_find(leaky)->mm;
	file0 = mm->rss[MM_FILEPAGES];
	KT_EXPECT(t, file0 >= 256);
	limit = usage_kb(leaky);
	KT_EXPECT_EQ(t, mem_budget_set(task_find(leaky), limit), 0);
	for (unsigned n = 1; n <= 8; n++)
		if (!leaky_step(t, leaky, flag, n))
			break;
	KT_EXPECT_EQ(t, memcg_oom_kills - m0, 0);
	KT_EXPECT(t, task_find(leaky) && !task_find(leaky)->kill_sig);
	KT_EXPECT(t, usage_kb(leaky) <= limit);
	KT_EXPECT(t, mm->budget.reclaimed >= 8 * STEP_PAGES);
	KT_EXPECT(t, mm->rss[MM_FILEPAGES] + 8 * STEP_PAGES <= file0);
	KT_EXPECT(t, mm->budget.failcnt > 0);
	printf("    # limit %llu kB: file pages %llu -> %llu, %llu reclaimed, failcnt %llu\n",
	       (unsigned long long)limit, (unsigned long long)file0, (unsigned long long)mm->rss[MM_FILEPAGES],
	       (unsigned long long)mm->budget.reclaimed, (unsigned long long)mm->budget.failcnt);
	KT_EXPECT_EQ(t, task_kill(leaky, SIGKILL), 0);
	app_expect_killed(t, leaky);
	syscall_capture(NULL, 0);
}

/* With panic_on_oom=1 a budget OOM is confined to its app: killed, no panic. */
static void panic_on_oom_1_kills_budget_oom(struct ktest *t)
{
	u64 m0 = memcg_oom_kills, flag = 0;
	int p0 = get_panic_on_oom(), leaky;

	KT_EXPECT_EQ(t, set_panic_on_oom(1), 0);
	syscall_capture(out, sizeof(out));
	leaky = spawn_leaky(t, NULL, &flag);
	KT_EXPECT_EQ(t, mem_budget_set(task_find(leaky), usage_kb(leaky) + 4 * STEP_KB), 0);
	KT_EXPECT(t, app_set_flag(leaky, flag, ~0ull));
	app_expect_killed(t, leaky);
	KT_EXPECT_EQ(t, memcg_oom_kills - m0, 1);
	KT_EXPECT_EQ(t, set_panic_on_oom(p0), 0);
	syscall_capture(NULL, 0);
}

/*
 * leaky grows one step between samples: after CONFIG_LEAK_SAMPLES samples
 * it is a suspect (the line with its curve), then it runs into its budget
 * and the OOM report names it before the task table.
 */
static void leak_suspect_before_oom(struct ktest *t)
{
	u64 flag = 0, m0 = memcg_oom_kills;
	char a[96];
	const char *c, *named, *table;
	int leaky;
	FILE *fp;

	leak_reset();
	syscall_capture(out, sizeof(out));
	leaky = spawn_leaky(t, NULL, &flag);
	KT_EXPECT_EQ(t, mem_budget_set(task_find(leaky), usage_kb(leaky) + 16 * STEP_KB), 0);
	KT_EXPECT_EQ(t, leak_sample_now(), 0);
	for (unsigned n = 1; n < CONFIG_LEAK_SAMPLES; n++) {
		KT_EXPECT(t, !leak_is_suspect(leaky));
		if (!leaky_step(t, leaky, flag, n))
			break;
		KT_EXPECT_EQ(t, leak_sample_now(), n + 1 == CONFIG_LEAK_SAMPLES ? 1 : 0);
	}
	KT_EXPECT(t, leak_is_suspect(leaky));
	snprintf(a, sizeof(a), "leak suspect: pid %d (leaky) USS grew ", leaky);
	KT_EXPECT(t, strstr(console_tail(), a) != NULL);
	fp = fmemopen(con, sizeof(con), "w");
	KT_ASSERT(t, fp != NULL);
	show_leak_suspects(fp);
	fclose(fp);
	snprintf(a, sizeof(a), "%5d %-16s USS:", leaky, "leaky");
	KT_EXPECT(t, strstr(con, a) != NULL && strstr(con, "  none") == NULL);
	KT_EXPECT(t, app_set_flag(leaky, flag, ~0ull));
	app_expect_killed(t, leaky);
	KT_EXPECT_EQ(t, memcg_oom_kills - m0, 1);
	c = console_tail();
	snprintf(a, sizeof(a), "Leak suspects: leaky (pid %d, USS +", leaky);
	named = strstr(c, a);
	table = named ? strstr(named, "Tasks state (memory values in pages):") : NULL;
	KT_EXPECT(t, named != NULL);
	KT_EXPECT(t, table != NULL);
	syscall_capture(NULL, 0);
}

/* The leakd thread, every 50 ms, flags an app that grows every 20 ms. */
static void leakd_thread_flags_suspect(struct ktest *t)
{
	u64 flag = 0, s0 = leak_samples, deadline;
	int leaky;

	leak_reset();
	syscall_capture(out, sizeof(out));
	leaky = spawn_leaky(t, NULL, &flag);
	KT_EXPECT_EQ(t, leak_set_interval_ms(60001), -EINVAL);
	KT_EXPECT_EQ(t, leak_set_interval_ms(50), 0);
	KT_EXPECT(t, app_set_flag(leaky, flag, ~0ull));
	deadline = leak_samples + 200;
	while (!leak_is_suspect(leaky) && leak_samples < deadline && task_find(leaky))
		task_sleep_ns(10000000);
	KT_EXPECT(t, leak_is_suspect(leaky));
	KT_EXPECT(t, leak_samples - s0 >= CONFIG_LEAK_SAMPLES);
	KT_EXPECT_EQ(t, leak_set_interval_ms(CONFIG_LEAK_SAMPLE_MS), 0);
	KT_EXPECT_EQ(t, task_kill(leaky, SIGKILL), 0);
	app_expect_killed(t, leaky);
	leak_reset();
	syscall_capture(NULL, 0);
}

/* The kernel halves of SYS_mem_budget_set/get: values and errnos. */
static void syscall_errnos(struct ktest *t)
{
	u64 flag = 0, kb = 1;
	int leaky;
	struct task *tk;

	syscall_capture(out, sizeof(out));
	leaky = spawn_leaky(t, NULL, &flag);
	tk = task_find(leaky);
	KT_ASSERT(t, tk != NULL);
	KT_EXPECT_EQ(t, mem_budget_get(tk, &kb), 0);
	KT_EXPECT_EQ(t, kb, 0);                        /* none by default */
	KT_EXPECT_EQ(t, mem_budget_set(tk, 3), -EINVAL); /* less than a page */
	KT_EXPECT_EQ(t, mem_budget_set(tk, 4099), 0);
	KT_EXPECT_EQ(t, mem_budget_get(tk, &kb), 0);
	KT_EXPECT_EQ(t, kb, 4096);                     /* whole pages */
	KT_EXPECT_EQ(t, mem_budget_set(tk, 4), 0);     /* below its usage: accepted */
	KT_EXPECT_EQ(t, mem_budget_set(tk, 0), 0);     /* none again */
	KT_EXPECT_EQ(t, mem_budget_get(tk, &kb), 0);
	KT_EXPECT_EQ(t, kb, 0);
	KT_EXPECT_EQ(t, mem_budget_set(task_find(32767), 1024), -ESRCH);
	KT_EXPECT_EQ(t, mem_budget_get(task_find(32767), &kb), -ESRCH);
	KT_EXPECT_EQ(t, mem_budget_set(task_find(0), 1024), -EINVAL); /* the kernel: no mm */
	KT_EXPECT_EQ(t, task_kill(leaky, SIGKILL), 0);
	app_expect_killed(t, leaky);
	syscall_capture(NULL, 0);
}

static u64 budget_of(int pid)
{
	u64 kb = ~0ull;

	mem_budget_get(task_find(pid), &kb);
	return kb;
}

/* A budget given at spawn (struct spawn_attr), and one that comes with the
 * app's class (CONFIG_BUDGET_<CLASS>_KB, changed here at run time): it
 * follows a class change, until one is set explicitly. An app spawned as a
 * service with the class budget at 512 kB dies alone at its limit. */
static void budget_from_spawn_and_class(struct ktest *t)
{
	struct spawn_attr at = { sizeof(at), APP_CLASS_FOREGROUND, 1024 }, bad = at;
	u64 svc0 = app_class_budget_kb(APP_CLASS_SERVICE), m0 = memcg_oom_kills;
	int a, b, status = -1;

	syscall_capture(out, sizeof(out));
	bad.mem_limit_kb = 3;
	KT_EXPECT_EQ(t, task_spawn_attr("memverify", "16 1 30 wait", current, &bad), -EINVAL);
	KT_EXPECT_EQ(t, app_class_budget_set(APP_CLASS_NATIVE, 1024), -EINVAL);
	KT_EXPECT_EQ(t, app_class_budget_set(NR_APP_CLASSES, 1024), -EINVAL);
	KT_EXPECT_EQ(t, app_class_budget_set(APP_CLASS_SERVICE, 2), -EINVAL);
	KT_EXPECT_EQ(t, app_class_budget_kb(APP_CLASS_SERVICE), svc0);
	KT_EXPECT_EQ(t, app_class_budget_set(APP_CLASS_SERVICE, 512), 0);

	a = task_spawn_attr("memverify", "16 1 31 wait", current, &at); /* explicit 1024 kB */
	KT_ASSERT(t, a > 0);
	KT_EXPECT_EQ(t, budget_of(a), 1024);
	KT_EXPECT_EQ(t, app_class_set(a, APP_CLASS_SERVICE), 0);
	KT_EXPECT_EQ(t, budget_of(a), 1024); /* explicit: the class does not change it */

	at.mem_limit_kb = 0; /* the class's */
	b = task_spawn_attr("memverify", "16 1 32 wait", current, &at);
	KT_ASSERT(t, b > 0);
	KT_EXPECT_EQ(t, budget_of(b), app_class_budget_kb(APP_CLASS_FOREGROUND));
	KT_EXPECT_EQ(t, app_class_set(b, APP_CLASS_SERVICE), 0);
	KT_EXPECT_EQ(t, budget_of(b), 512);
	KT_EXPECT_EQ(t, app_class_budget_set(APP_CLASS_SERVICE, 768), 0);
	KT_EXPECT_EQ(t, budget_of(b), 768); /* the class's change reaches it */
	KT_EXPECT_EQ(t, budget_of(a), 1024);
	KT_EXPECT_EQ(t, task_kill(a, SIGKILL), 0);
	app_expect_killed(t, a);
	KT_EXPECT_EQ(t, task_kill(b, SIGKILL), 0);
	app_expect_killed(t, b);

	/* a service app filling 1024 pages over the class's 512 kB: killed alone */
	KT_EXPECT_EQ(t, app_class_budget_set(APP_CLASS_SERVICE, 512), 0);
	at.app_class = APP_CLASS_SERVICE;
	b = task_spawn_attr("memverify", "1024 1 33", current, &at);
	KT_ASSERT(t, b > 0);
	KT_EXPECT_EQ(t, app_wait_exit(b, &status), b);
	KT_EXPECT_EQ(t, status, W_EXITCODE(0, SIGKILL));
	KT_EXPECT_EQ(t, memcg_oom_kills - m0, 1);
	KT_EXPECT_EQ(t, oom_last_victim, b);
	KT_EXPECT_EQ(t, app_class_budget_set(APP_CLASS_SERVICE, svc0), 0);
	syscall_capture(NULL, 0);
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
	KTEST_CASE(over_budget_killed_alone),
	KTEST_CASE(file_pages_reclaimed_not_killed),
	KTEST_CASE(panic_on_oom_1_kills_budget_oom),
	KTEST_CASE(leak_suspect_before_oom),
	KTEST_CASE(leakd_thread_flags_suspect),
	KTEST_CASE(syscall_errnos),
	KTEST_CASE(budget_from_spawn_and_class),
	KTEST_CASE(every_page_and_object_returns),
	{ 0 },
};
KTEST_SUITE_INIT(budget, cases, budget_init_suite);
