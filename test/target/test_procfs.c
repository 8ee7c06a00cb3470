/*
 * On-target tests of the /proc and /sys tree (kernel/procfs.c) and the
 * apps' file system calls:
 *  - every file of the tree (with /proc/self and an app's /proc/<pid>)
 *    reads without error, and is non-empty where Linux's is;
 *  - each knob round-trips (write a new value, read it back, restore),
 *    and its bad values get -EINVAL with the value unchanged;
 *  - the tree's errnos: -ENOENT, -ENOTDIR, -EISDIR, -EACCES;
 *  - drop_caches 1 drops the clean page cache (meminfo's Cached falls);
 *  - swappiness written there steers reclaim: 0 takes file pages only,
 *    200 anon pages only (an app's, which it then verifies);
 *  - an app reads /proc/self/status through openat/read and prints its
 *    Pid and VmRSS lines, checked against the kernel's numbers; an app's
 *    write of a bad value gets EINVAL; a bad pointer EFAULT.
 * Synchronisation with apps is on their console output, with a deadline.
 */
#include <errno.h>
#include <kernel/appimg.h>
#include <kernel/ktest.h>
#include <kernel/procfs.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/swap.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>
#include <mm/zram.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_wait.h"

#define MAX_NAMES 64

static char buf[65536];
static char out[8192];

struct names {
	unsigned n;
	char name[MAX_NAMES][40];
	bool dir[MAX_NAMES];
};

static void collect(void *arg, const char *name, bool is_dir)
{
	struct names *ns = arg;

	if (ns->n < MAX_NAMES) {
		snprintf(ns->name[ns->n], sizeof(ns->name[0]), "%s", name);
		ns->dir[ns->n++] = is_dir;
	}
}

static bool is_pid(const char *s) { return *s >= '0' && *s <= '9'; }

/* Files that may be empty: as Linux's (no VMAs, no swap device, a kernel
 * thread's cmdline). */
static bool may_be_empty(const char *path, bool kernel_pid)
{
	if (strstr(path, "/zram0/"))
		return !swap_zram();
	return kernel_pid && (strstr(path, "maps") || strstr(path, "smaps") || strstr(path, "cmdline"));
}

/* Read every readable file under path (pid directories: only pid_dir). */
static unsigned walk(struct ktest *t, const char *path, const char *pid_dir, bool kernel_pid)
{
	struct names *ns = calloc(1, sizeof(*ns));
	unsigned files = 0;

	if (!KT_EXPECT(t, ns))
		return 0;
	KT_EXPECT_EQ(t, proc_readdir(path, collect, ns), 0);
	KT_EXPECT(t, ns->n > 0 && ns->n < MAX_NAMES);
	for (unsigned i = 0; i < ns->n; i++) {
		char p[PROC_PATH_MAX];
		unsigned mode = 0;
		bool dir = false;
		long r;

		if ((is_pid(ns->name[i]) || !strcmp(ns->name[i], "self")) && strcmp(ns->name[i], pid_dir))
			continue;
		snprintf(p, sizeof(p), "%s/%s", strcmp(path, "/") ? path : "", ns->name[i]);
		if (!KT_EXPECT_EQ(t, proc_stat(p, &dir, &mode), 0))
			continue;
		KT_EXPECT_EQ(t, dir, ns->dir[i]);
		if (dir) {
			files += walk(t, p, pid_dir, kernel_pid);
			continue;
		}
		files++;
		r = proc_read(p, buf, sizeof(buf));
		if (!(mode & 0444)) {
			KT_EXPECT_EQ(t, r, -EACCES);
			continue;
		}
		if (!KT_EXPECT(t, r >= 0 && r < (long)sizeof(buf)))
			printf("# %s: %ld\n", p, r);
		if (!may_be_empty(p, kernel_pid) && !KT_EXPECT(t, r > 0))
			printf("# %s is empty\n", p);
		if (!strstr(p, "/cmdline")) /* argv: NUL-terminated words */
			KT_EXPECT_EQ(t, strlen(buf), (size_t)MAX(r, 0));
	}
	free(ns);
	return files;
}

static int spawn_wait(struct ktest *t, const char *arg, const char *needle)
{
	int pid;

	syscall_capture(out, sizeof(out));
	pid = task_spawn("procread", arg, current);
	if (!KT_EXPECT(t, pid > 0))
		return -1;
	KT_EXPECT(t, syscall_capture_wait(needle, 1, 5000000000ull));
	return pid;
}

static void reap(struct ktest *t, int pid, bool kill)
{
	int status = 0;

	if (kill)
		KT_EXPECT_EQ(t, task_kill(pid, SIGKILL), 0);
	KT_EXPECT_EQ(t, task_wait(pid, &status, false), pid);
	syscall_capture(NULL, 0);
}

static void every_file_reads(struct ktest *t)
{
	char pid_dir[16];
	int pid = spawn_wait(t, "cat /proc/meminfo", "procread: done");
	unsigned n;

	if (pid < 0)
		return;
	/* /proc/self is this test's task, a kernel one: maps may be empty */
	n = walk(t, "/", "self", true);
	printf("# %u files (with /proc/self)\n", n);
	KT_EXPECT(t, n >= 30);
	snprintf(pid_dir, sizeof(pid_dir), "%d", pid);
	n = walk(t, "/proc", pid_dir, false);
	KT_EXPECT(t, n >= 20);
	reap(t, pid, true);
}

static long read_long(const char *path)
{
	long v = -12345;

	if (proc_read(path, buf, sizeof(buf)) > 0)
		v = strtol(buf, NULL, 10);
	return v;
}

static long write_str(const char *path, const char *s) { return proc_write(path, s, strlen(s)); }

struct knob {
	const char *path;
	long delta;           /* new value: old + delta (or old - delta if that is out of range) */
	long max;
	const char *bad[4];
};

static void knob_round_trip(struct ktest *t, const struct knob *k)
{
	long old = read_long(k->path), v = old + k->delta > k->max ? old - k->delta : old + k->delta;
	char s[32];

	if (!KT_EXPECT(t, old != -12345))
		return;
	snprintf(s, sizeof(s), "%ld\n", v);
	KT_EXPECT_EQ(t, write_str(k->path, s), strlen(s));
	if (!KT_EXPECT_EQ(t, read_long(k->path), v))
		printf("# %s\n", k->path);
	for (unsigned i = 0; i < 4 && k->bad[i]; i++) {
		if (!KT_EXPECT_EQ(t, write_str(k->path, k->bad[i]), -EINVAL))
			printf("# %s <- %s\n", k->path, k->bad[i]);
		KT_EXPECT_EQ(t, read_long(k->path), v);
	}
	snprintf(s, sizeof(s), "%ld", old);
	KT_EXPECT_EQ(t, write_str(k->path, s), strlen(s));
	KT_EXPECT_EQ(t, read_long(k->path), old);
}

static void knobs_round_trip(struct ktest *t)
{
	static const struct knob knobs[] = {
		{ "/proc/sys/vm/swappiness", 1, 200, { "201", "-1", "6x", "99999999999999999999" } },
		{ "/proc/sys/vm/overcommit_kbytes", 4096, 1L << 40, { "-1", "", "1 2" } },
		{ "/proc/sys/vm/overcommit_ratio", 1, 1000, { "1001", "-1", "x" } },
		{ "/proc/sys/vm/overcommit_memory", 1, 1, { "3", "-1", "4294967296" } },
		{ "/proc/sys/vm/compaction_proactiveness", 1, 100, { "101", "-1" } },
		{ "/proc/sys/vm/compact_unevictable_allowed", 1, 1, { "2", "-1" } },
		{ "/proc/sys/vm/extfrag_threshold", 1, 1000, { "1001", "-1" } },
		{ "/proc/sys/vm/min_free_kbytes", 64, 1L << 30, { "-1", "1099511627776" } },
		{ "/proc/sys/vm/panic_on_oom", 1, 2, { "3", "-1" } },
		{ "/proc/sys/vm/oom_kill_allocating_task", 1, 1, { "2", "-1" } },
	};

	long ratio = read_long("/proc/sys/vm/overcommit_ratio");
	char s[32];

	for (unsigned i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		knob_round_trip(t, &knobs[i]);
	/* overcommit_kbytes' writes cleared the ratio (Linux's rule) */
	snprintf(s, sizeof(s), "%ld", ratio);
	KT_EXPECT_EQ(t, write_str("/proc/sys/vm/overcommit_ratio", s), strlen(s));
}

static void pid_knobs(struct ktest *t)
{
	int pid = spawn_wait(t, "cat /proc/meminfo", "procread: done");
	char p[PROC_PATH_MAX], q[PROC_PATH_MAX];
	struct knob adj = { p, 100, 1000, { "1001", "-1001", "abc" } };
	struct knob oom_adj = { q, -17, 15, { "16", "-18" } }; /* -17: exact both ways */

	if (pid < 0)
		return;
	snprintf(p, sizeof(p), "/proc/%d/oom_score_adj", pid);
	snprintf(q, sizeof(q), "/proc/%d/oom_adj", pid);
	knob_round_trip(t, &adj);
	KT_EXPECT_EQ(t, write_str(q, "-17"), 3);
	KT_EXPECT_EQ(t, read_long(p), -1000); /* OOM_DISABLE */
	KT_EXPECT_EQ(t, write_str(p, "0"), 1);
	knob_round_trip(t, &oom_adj);
	/* the kernel task's cannot be set */
	KT_EXPECT_EQ(t, write_str("/proc/0/oom_score_adj", "5"), -EINVAL);
	reap(t, pid, true);
	/* its directory went with it */
	KT_EXPECT_EQ(t, write_str(p, "5"), -ENOENT);
}

static void zram_knobs(struct ktest *t)
{
	unsigned long long f[9] = { 0 };

	if (!swap_zram()) {
		ktest_skip(t, "no swap device");
		return;
	}
	KT_ASSERT(t, proc_read("/sys/block/zram0/mm_stat", buf, sizeof(buf)) > 0);
	KT_ASSERT(t, sscanf(buf, "%llu %llu %llu %llu", &f[0], &f[1], &f[2], &f[3]) == 4);
	KT_EXPECT_EQ(t, write_str("/sys/block/zram0/mem_limit", "64M\n"), 4);
	KT_ASSERT(t, proc_read("/sys/block/zram0/mm_stat", buf, sizeof(buf)) > 0);
	KT_ASSERT(t, sscanf(buf, "%*u %*u %*u %llu", &f[4]) == 1);
	KT_EXPECT_EQ(t, f[4], 64ull << 20);
	KT_EXPECT_EQ(t, write_str("/sys/block/zram0/mem_limit", "12Q"), -EINVAL);
	KT_EXPECT_EQ(t, write_str("/sys/block/zram0/mem_limit", "M"), -EINVAL);
	snprintf(out, sizeof(out), "%llu", f[3]);
	KT_EXPECT_EQ(t, write_str("/sys/block/zram0/mem_limit", out), strlen(out));
	KT_ASSERT(t, proc_read("/sys/block/zram0/mm_stat", buf, sizeof(buf)) > 0);
	KT_ASSERT(t, sscanf(buf, "%*u %*u %*u %llu", &f[4]) == 1);
	KT_EXPECT_EQ(t, f[4], f[3]);
	KT_EXPECT_EQ(t, write_str("/sys/block/zram0/compact", "1"), 1);
	KT_EXPECT_EQ(t, proc_read("/sys/block/zram0/compact", buf, sizeof(buf)), -EACCES);
	KT_EXPECT_EQ(t, write_str("/sys/block/zram0/mm_stat", "1"), -EACCES);
	KT_EXPECT_EQ(t, proc_read("/sys/block/zram0/disksize", buf, sizeof(buf)) > 0, true);
	KT_EXPECT_EQ(t, strtoull(buf, NULL, 10), zram_nr_slots(swap_zram()) * PAGE_SIZE);
}

static void tree_errnos(struct ktest *t)
{
	bool dir;
	unsigned mode;

	KT_EXPECT_EQ(t, proc_read("/proc/nothing", buf, sizeof(buf)), -ENOENT);
	KT_EXPECT_EQ(t, proc_read("/proc/meminfo/x", buf, sizeof(buf)), -ENOTDIR);
	KT_EXPECT_EQ(t, proc_read("/proc/sys", buf, sizeof(buf)), -EISDIR);
	KT_EXPECT_EQ(t, proc_read("/proc/sys/vm/drop_caches", buf, sizeof(buf)), -EACCES);
	KT_EXPECT_EQ(t, proc_read("/proc/sys/vm/compact_memory", buf, sizeof(buf)), -EACCES);
	KT_EXPECT_EQ(t, write_str("/proc/meminfo", "1"), -EACCES);
	KT_EXPECT_EQ(t, write_str("/proc/sys/vm/drop_caches", "0"), -EINVAL);
	KT_EXPECT_EQ(t, write_str("/proc/sys/vm/drop_caches", "5"), -EINVAL);
	KT_EXPECT_EQ(t, write_str("/proc/sys/vm/compact_memory", "2"), -EINVAL);
	KT_EXPECT_EQ(t, write_str("/proc/sys/vm/compact_memory", "1"), 1);
	KT_EXPECT_EQ(t, proc_stat("/proc/sys/vm/swappiness", &dir, &mode), 0);
	KT_EXPECT_EQ(t, mode, 0644);
	KT_EXPECT_EQ(t, proc_stat("/proc/sys/vm/drop_caches", &dir, &mode), 0);
	KT_EXPECT_EQ(t, mode, 0200);
	KT_EXPECT_EQ(t, proc_stat("//proc//self/", &dir, &mode), 0);
	KT_EXPECT(t, dir);
	KT_EXPECT_EQ(t, proc_stat("/proc/99999", &dir, &mode), -ENOENT);
}

static long meminfo_kb(const char *name)
{
	const char *p;

	if (proc_read("/proc/meminfo", buf, sizeof(buf)) <= 0 || !(p = strstr(buf, name)))
		return -1;
	return strtol(p + strlen(name), NULL, 10);
}

static void drop_caches_drops_cache(struct ktest *t)
{
	int pid, status = 0;
	long before, after;

	/* an app that ends at once leaves its program in the page cache */
	pid = task_spawn("procread", "", current);
	KT_ASSERT(t, pid > 0);
	KT_EXPECT_EQ(t, task_wait(pid, &status, false), pid);
	before = meminfo_kb("\nCached:");
	KT_ASSERT(t, before > 0);
	KT_EXPECT_EQ(t, write_str("/proc/sys/vm/drop_caches", "3\n"), 2);
	after = meminfo_kb("\nCached:");
	printf("# Cached: %ld kB -> %ld kB\n", before, after);
	KT_EXPECT(t, after >= 0 && after < before);
}

/* The number after "name" in text (a status line), or -1. */
static long field(const char *text, const char *name)
{
	const char *p = strstr(text, name);

	return p ? strtol(p + strlen(name), NULL, 10) : -1;
}

static void app_reads_status(struct ktest *t)
{
	int pid = spawn_wait(t, "cat /proc/self/status", "procread: done");
	char path[PROC_PATH_MAX];
	struct task *task;

	if (pid < 0)
		return;
	task = task_find(pid);
	KT_ASSERT(t, task && task->mm);
	KT_EXPECT_EQ(t, field(out, "procread: Pid:\t"), pid);
	KT_EXPECT(t, strstr(out, "procread: Name:\tprocread\n"));
	/* the app sleeps now: its RSS is what it read (the second read) */
	KT_EXPECT_EQ(t, field(out, "procread: VmRSS:\t"), mm_rss(task->mm) * (PAGE_SIZE / 1024));
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	KT_ASSERT(t, proc_read(path, buf, sizeof(buf)) > 0);
	KT_EXPECT_EQ(t, field(out, "procread: VmRSS:\t"), field(buf, "VmRSS:\t"));
	printf("# app %d: VmRSS %ld kB\n", pid, field(buf, "VmRSS:\t"));
	reap(t, pid, true);
}

static void app_write_errors(struct ktest *t)
{
	long old = read_long("/proc/sys/vm/swappiness");
	char want[64];
	int pid;

	pid = spawn_wait(t, "write /proc/sys/vm/swappiness 999", "procread: write=");
	if (pid < 0)
		return;
	snprintf(want, sizeof(want), "procread: write=-1 errno=%d\n", EINVAL);
	KT_EXPECT(t, strstr(out, want));
	KT_EXPECT_EQ(t, read_long("/proc/sys/vm/swappiness"), old);
	reap(t, pid, false);

	pid = spawn_wait(t, "write /proc/sys/vm/swappiness 17", "procread: write=");
	if (pid < 0)
		return;
	KT_EXPECT(t, strstr(out, "procread: write=2 errno=0\n"));
	KT_EXPECT_EQ(t, read_long("/proc/sys/vm/swappiness"), 17);
	reap(t, pid, false);
	snprintf(want, sizeof(want), "%ld", old);
	KT_EXPECT_EQ(t, write_str("/proc/sys/vm/swappiness", want), strlen(want));

	/* a read-only file refuses a write open */
	pid = spawn_wait(t, "write /proc/meminfo 1", "procread: open");
	if (pid < 0)
		return;
	snprintf(want, sizeof(want), "procread: open errno=%d\n", EACCES);
	KT_EXPECT(t, strstr(out, want));
	reap(t, pid, false);
}

static void app_bad_pointer(struct ktest *t)
{
	char want[64];
	int pid = spawn_wait(t, "efault /proc/meminfo", "procread: efault");

	if (pid < 0)
		return;
	snprintf(want, sizeof(want), "procread: efault read=-1/%d open=-1/%d\n", EFAULT, EFAULT);
	KT_EXPECT(t, strstr(out, want));
	reap(t, pid, false);
}

static int procfs_suite_init(void) { return procfs_init(); }

/*
 * vm.swappiness written through /proc steers reclaim: at 0 shrink_memory
 * takes the page cache only (the largest app-image file read in), at 200
 * the apps' anonymous pages only (a sleeping memverify's, into zram); the
 * app then verifies every byte it got back.
 */
static void swappiness_steers_reclaim(struct ktest *t)
{
	const char *sw = "/proc/sys/vm/swappiness";
	const struct appimg_entry *big = NULL;
	long old = read_long(sw);
	struct address_space *as;
	u64 a0, f0, flag = 0;
	int pid, err = 0, status = -1;
	const char *line;

	for (unsigned i = 0; i < appimg_count(); i++)
		if (!big || appimg_entry(i)->size > big->size)
			big = appimg_entry(i);
	as = big ? appimg_open(big->name, &err) : NULL;
	if (!KT_EXPECT(t, as != NULL))
		return;
	for (u64 i = 0; i < MIN(64ull, big->size / PAGE_SIZE); i++) {
		bool major;
		struct page *p = filemap_get_page(as, i, &major, &err);

		if (p)
			put_user_page(p); /* stays in the cache, on the file LRU */
	}
	syscall_capture(out, sizeof(out));
	pid = task_spawn("memverify", "256 1 9 wait", current);
	if (KT_EXPECT(t, pid > 0) && KT_EXPECT(t, syscall_capture_wait("memverify: region=", 1, APP_DEADLINE_NS)) &&
	    KT_EXPECT(t, app_wait_sleeping(pid)) && (line = strstr(out, "flag=")))
		flag = strtoull(line + 5, NULL, 16);
	KT_EXPECT_EQ(t, write_str(sw, "0\n"), 2);
	a0 = vm_event_read(PGSTEAL_ANON);
	f0 = vm_event_read(PGSTEAL_FILE);
	shrink_memory(8, false);
	printf("    # swappiness 0: pgsteal_anon +%llu, pgsteal_file +%llu\n",
	       (unsigned long long)(vm_event_read(PGSTEAL_ANON) - a0), (unsigned long long)(vm_event_read(PGSTEAL_FILE) - f0));
	KT_EXPECT_EQ(t, vm_event_read(PGSTEAL_ANON), a0);
	KT_EXPECT(t, vm_event_read(PGSTEAL_FILE) > f0);
	if (swap_zram()) { /* anon pages need somewhere to go */
		KT_EXPECT_EQ(t, write_str(sw, "200\n"), 4);
		a0 = vm_event_read(PGSTEAL_ANON);
		f0 = vm_event_read(PGSTEAL_FILE);
		shrink_memory(8, false);
		printf("    # swappiness 200: pgsteal_anon +%llu, pgsteal_file +%llu\n",
		       (unsigned long long)(vm_event_read(PGSTEAL_ANON) - a0),
		       (unsigned long long)(vm_event_read(PGSTEAL_FILE) - f0));
		KT_EXPECT(t, vm_event_read(PGSTEAL_ANON) > a0);
		KT_EXPECT_EQ(t, vm_event_read(PGSTEAL_FILE), f0);
	}
	set_swappiness(old);
	if (pid > 0 && KT_EXPECT(t, flag != 0) && KT_EXPECT(t, app_set_flag(pid, flag, 1)))
		KT_EXPECT_EQ(t, app_wait_exit(pid, &status), pid);
	KT_EXPECT_EQ(t, status, 0); /* every byte back from zram */
	syscall_capture(NULL, 0);
	address_space_put(as);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(every_file_reads),
	KTEST_CASE(knobs_round_trip),
	KTEST_CASE(pid_knobs),
	KTEST_CASE(zram_knobs),
	KTEST_CASE(tree_errnos),
	KTEST_CASE(drop_caches_drops_cache),
	KTEST_CASE(swappiness_steers_reclaim),
	KTEST_CASE(app_reads_status),
	KTEST_CASE(app_write_errors),
	KTEST_CASE(app_bad_pointer),
	{ 0 },
};

KTEST_SUITE_INIT(procfs, cases, procfs_suite_init);
