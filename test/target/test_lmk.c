/*
 * On-target tests of app classes, the low-memory killer and PSI
 * (kernel/task_class.c, kernel/lmk.c, kernel/psi.c; issue 12 items 3, 4),
 * with real apps (apps/memverify.c) and memory fenced small
 * (kernel/memfence.c), as test_oom.c does:
 *  - PSI totals stay put on an idle system;
 *  - classes, their adj, the Class: line, and the errnos of the calls;
 *  - a foreground app filling memory while cached, service and
 *    perceptible apps hold it: they die in that order (the oldest cached
 *    first), the foreground app never meets the OOM killer and verifies
 *    every byte;
 *  - a class changed at run time changes the victim;
 *  - PSI totals grow while an app thrashes through zram, some avg10 > 0
 *    afterwards, /proc/pressure/memory in Linux's format;
 *  - when the apps are gone every page and zram object is back.
 * Thresholds are set relative to what the fence leaves (lmk_set_minfree),
 * not board.cfg's percentages of all of RAM. Synchronisation is on the
 * apps' output, their sleeping state and exit, each with a deadline.
 */
#include <arch/timer.h>
#include <errno.h>
#include <kernel/app_class.h>
#include <kernel/appimg.h>
#include <kernel/ktest.h>
#include <kernel/lmk.h>
#include <kernel/memfence.h>
#include <kernel/oom.h>
#include <kernel/psi.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/page_alloc.h>
#include <mm/swap.h>
#include <mm/uaccess.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/pagoda/syscall.h>

#include "app_wait.h"
#include "mem_state.h"

#define DEADLINE_NS APP_DEADLINE_NS
#define KEEP 8192 /* pages left to the apps by the fence (32 MiB) */

static char out[16384];
static struct mem_state start_state;
static struct lmk_minfree saved_minfree;
static unsigned saved_psi;

static int lmk_init_suite(void)
{
	if (!appimg_count()) {
		printf("# lmk: needs the app image\n");
		return -1;
	}
	return 0;
}

/* Spawn memverify PAGES 1 SEED wait in class cls and wait until it has
 * filled its pages and sleeps on its flag. Its pid or -1. */
static int spawn_filled(struct ktest *t, u64 pages, unsigned seed, int cls)
{
	struct spawn_attr attr = { sizeof(attr), cls, 0 };
	unsigned before = app_output_count(out, "memverify: region=");
	char a[96];
	int pid;

	snprintf(a, sizeof(a), "%llu 1 %u wait", (unsigned long long)pages, seed);
	pid = task_spawn_attr("memverify", a, current, &attr);
	if (!KT_EXPECT(t, pid > 0))
		return -1;
	if (!KT_EXPECT(t, syscall_capture_wait("memverify: region=", before + 1, DEADLINE_NS)) ||
	    !KT_EXPECT(t, app_wait_sleeping(pid)))
		return pid;
	app_flag_record(pid, out, before);
	return pid;
}

static int release_and_wait(struct ktest *t, int pid)
{
	int status = -1;

	if (!KT_EXPECT(t, app_flag_of(pid) && app_set_flag(pid, app_flag_of(pid), 1)))
		return -1;
	KT_EXPECT_EQ(t, app_wait_exit(pid, &status), pid);
	return status;
}

/* Free + reclaimable memory right after the fence went up, before any
 * app of the case ran: what the apps can have, plus what they cannot
 * reach (lower zones' reserves), the base of the thresholds. */
static u64 fence_avail_kb;

static void fence_up(struct memfence *f)
{
	memfence_up(f, KEEP);
	fence_avail_kb = lmk_avail_kb();
}

/* Thresholds at fractions (per mille) of what the fence gave the apps,
 * above the free memory the apps cannot reach. */
static void set_minfree(struct ktest *t, const struct memfence *f, unsigned vis, unsigned perc, unsigned svc,
			unsigned cached)
{
	u64 given_kb = f->given << (PAGE_SHIFT - 10);
	u64 base = fence_avail_kb > given_kb ? fence_avail_kb - given_kb : 0;
	struct lmk_minfree m = { 0 };

	m.kb[APP_CLASS_VISIBLE] = vis ? base + given_kb * vis / 1000 : 0;
	m.kb[APP_CLASS_PERCEPTIBLE] = perc ? base + given_kb * perc / 1000 : 0;
	m.kb[APP_CLASS_SERVICE] = svc ? base + given_kb * svc / 1000 : 0;
	m.kb[APP_CLASS_CACHED] = cached ? base + given_kb * cached / 1000 : 0;
	KT_EXPECT_EQ(t, lmk_set_minfree(&m), 0);
}

static void minfree_off(void)
{
	struct lmk_minfree none = { 0 };

	lmk_set_minfree(&none);
}

static u64 mark;
static void mark_time(void) { mark = timer_now_ns(); }
static u64 ms_since(void) { return (timer_now_ns() - mark) / 1000000; }

/* Nothing stalls while nothing runs: the totals do not move, and avg10 is
 * 0 if nothing stalled before this suite either. Also the warm-up. */
static void psi_idle_stays_zero(struct ktest *t)
{
	u64 some0, full0;
	int pid = task_spawn("memverify", "16 1 1", current), status = -1;
	char buf[256];
	FILE *fp;

	lmk_get_minfree(&saved_minfree);
	saved_psi = lmk_get_psi_threshold();
	KT_EXPECT_EQ(t, lmk_set_psi_threshold(0), 0);
	KT_EXPECT_EQ(t, lmk_set_psi_threshold(101), -EINVAL);
	minfree_off();
	KT_EXPECT_EQ(t, app_wait_exit(pid, &status), pid); /* warm-up: caches of a first app */
	start_state = mem_state_settled();
	some0 = psi_total_us(PSI_SOME);
	full0 = psi_total_us(PSI_FULL);
	task_sleep_ns(3 * PSI_PERIOD_NS / 2); /* idle time to measure, not a synchronisation */
	KT_EXPECT_EQ(t, psi_total_us(PSI_SOME), some0);
	KT_EXPECT_EQ(t, psi_total_us(PSI_FULL), full0);
	fp = fmemopen(buf, sizeof(buf), "w");
	KT_ASSERT(t, fp != NULL);
	show_pressure_memory(fp);
	fclose(fp);
	printf("    # idle: %s", buf);
	if (!some0)
		KT_EXPECT(t, !strncmp(buf, "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
					   "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", sizeof(buf)));
}

/* Classes set adj, the cached ranking, /proc/<pid>/status, the errnos. */
static void classes_and_errnos(struct ktest *t)
{
	struct spawn_attr bad_class = { sizeof(bad_class), NR_APP_CLASSES, 0 };
	struct spawn_attr budget = { sizeof(budget), APP_CLASS_CACHED, 3 }; /* under a page */
	struct memfence f;
	int a, b, c, adj = 0;
	char buf[512];
	FILE *fp;

	KT_EXPECT_EQ(t, task_spawn_attr("memverify", "1", current, &bad_class), -EINVAL);
	KT_EXPECT_EQ(t, task_spawn_attr("memverify", "1", current, &budget), -EINVAL);
	KT_EXPECT_EQ(t, app_class_get(32767), -ESRCH);
	KT_EXPECT_EQ(t, app_class_set(32767, APP_CLASS_CACHED), -ESRCH);
	KT_EXPECT_EQ(t, app_class_set(0, APP_CLASS_CACHED), -EINVAL); /* task 0 */
	KT_EXPECT_EQ(t, app_class_get(0), APP_CLASS_NATIVE);
	syscall_capture(out, sizeof(out));
	fence_up(&f);
	a = spawn_filled(t, 16, 20, APP_CLASS_CACHED);
	b = spawn_filled(t, 16, 21, APP_CLASS_CACHED);
	c = spawn_filled(t, 16, 22, APP_CLASS_INHERIT); /* the kernel's child: foreground, adj 0 */
	KT_EXPECT_EQ(t, app_class_get(c), APP_CLASS_FOREGROUND);
	KT_EXPECT_EQ(t, oom_score_adj_get(c, &adj), 0);
	KT_EXPECT_EQ(t, adj, 0);
	KT_EXPECT_EQ(t, oom_score_adj_get(a, &adj), 0);
	KT_EXPECT_EQ(t, adj, 901); /* cached first: older */
	KT_EXPECT_EQ(t, oom_score_adj_get(b, &adj), 0);
	KT_EXPECT_EQ(t, adj, 900);
	KT_EXPECT_EQ(t, app_class_set(c, APP_CLASS_CACHED), 0); /* now c is the newest */
	KT_EXPECT_EQ(t, oom_score_adj_get(a, &adj), 0);
	KT_EXPECT_EQ(t, adj, 902);
	KT_EXPECT_EQ(t, app_class_set(b, APP_CLASS_SERVICE), 0);
	KT_EXPECT_EQ(t, oom_score_adj_get(b, &adj), 0);
	KT_EXPECT_EQ(t, adj, 500);
	KT_EXPECT_EQ(t, oom_score_adj_get(a, &adj), 0);
	KT_EXPECT_EQ(t, adj, 901); /* re-ranked without b */
	KT_EXPECT_EQ(t, app_class_set(a, -1), -EINVAL);
	KT_EXPECT_EQ(t, app_class_set(a, NR_APP_CLASSES), -EINVAL);
	KT_EXPECT_EQ(t, app_class_get(a), APP_CLASS_CACHED);
	fp = fmemopen(buf, sizeof(buf), "w");
	KT_ASSERT(t, fp != NULL);
	show_task_status(fp, b);
	fclose(fp);
	KT_EXPECT(t, strstr(buf, "\nClass:\tservice\n") != NULL);
	KT_EXPECT_EQ(t, release_and_wait(t, a), 0);
	KT_EXPECT_EQ(t, release_and_wait(t, b), 0);
	KT_EXPECT_EQ(t, release_and_wait(t, c), 0);
	memfence_down(&f);
	syscall_capture(NULL, 0);
}

/*
 * Two cached apps (5% of the fence each), a service and a perceptible
 * app (10% each) hold memory; a foreground app fills 75%. Thresholds:
 * cached 60%, service 45%, perceptible 30% free + reclaimable, so that
 * each class meets its threshold in turn (the killer looks at every
 * per-CPU list refill, PCP_BATCH pages, and at every tick). The
 * killer takes the older cached app, the newer one, the service, the
 * perceptible app; the foreground app verifies every byte and the OOM
 * killer never ran. No swap: only the killer can give memory back.
 */
static void cached_then_service_then_perceptible(struct ktest *t)
{
	u64 k0 = lmk_kills, oom0 = oom_kills, ev0 = vm_events[LMK_KILL];
	struct memfence f;
	int c1, c2, svc, perc, fg, status = -1;
	char a[96];

	KT_EXPECT_EQ(t, swap_reinit(0, 0), 0);
	syscall_capture(out, sizeof(out));
	fence_up(&f);
	c1 = spawn_filled(t, f.given / 20, 30, APP_CLASS_CACHED);
	c2 = spawn_filled(t, f.given / 20, 31, APP_CLASS_CACHED);
	svc = spawn_filled(t, f.given / 10, 32, APP_CLASS_SERVICE);
	perc = spawn_filled(t, f.given / 10, 33, APP_CLASS_PERCEPTIBLE);
	set_minfree(t, &f, 0, 300, 450, 600);
	snprintf(a, sizeof(a), "%llu 1 34", (unsigned long long)(f.given * 3 / 4));
	mark_time();
	fg = task_spawn("memverify", a, current);
	KT_EXPECT(t, fg > 0);
	KT_EXPECT_EQ(t, app_class_get(fg), APP_CLASS_FOREGROUND);
	KT_EXPECT_EQ(t, app_wait_exit(fg, &status), fg);
	KT_EXPECT_EQ(t, status, 0); /* filled and verified every byte */
	printf("    # foreground filled and verified %llu pages in %llu ms; %llu lmk kills\n",
	       (unsigned long long)(f.given * 3 / 4), (unsigned long long)ms_since(),
	       (unsigned long long)(lmk_kills - k0));
	minfree_off();
	app_expect_killed(t, c1);
	app_expect_killed(t, c2);
	app_expect_killed(t, svc);
	app_expect_killed(t, perc);
	KT_EXPECT_EQ(t, lmk_kills - k0, 4);
	KT_EXPECT_EQ(t, vm_events[LMK_KILL] - ev0, 4);
	KT_EXPECT_EQ(t, oom_kills, oom0); /* the foreground app never waited for the OOM killer */
	if (lmk_kills - k0 == 4) {
		KT_EXPECT_EQ(t, lmk_victims[k0 % LMK_HISTORY], c1);
		KT_EXPECT_EQ(t, lmk_victims[(k0 + 1) % LMK_HISTORY], c2);
		KT_EXPECT_EQ(t, lmk_victims[(k0 + 2) % LMK_HISTORY], svc);
		KT_EXPECT_EQ(t, lmk_victims[(k0 + 3) % LMK_HISTORY], perc);
	}
	snprintf(a, sizeof(a), "lowmemorykiller: Killing 'memverify' (%d), adj 200, to free ", perc);
	KT_EXPECT(t, !strncmp(lmk_last_report, a, strlen(a)));
	KT_EXPECT(t, strstr(lmk_last_report, "kB for class perceptible") != NULL);
	printf("    # %s\n", lmk_last_report);
	memfence_down(&f);
	syscall_capture(NULL, 0);
	KT_EXPECT_EQ(t, swap_reinit((u64)CONFIG_ZRAM_SIZE_MB << 20, (u64)CONFIG_ZRAM_MEM_LIMIT_MB << 20), 0);
}

/* A cached and a visible app; only cached apps are eligible. Swapping
 * their classes at run time makes the other one the victim. */
static void class_change_changes_victim(struct ktest *t)
{
	u64 k0 = lmk_kills;
	struct memfence f;
	int x, y;
	u64 deadline;

	syscall_capture(out, sizeof(out));
	fence_up(&f);
	x = spawn_filled(t, f.given / 4, 40, APP_CLASS_CACHED);
	y = spawn_filled(t, f.given / 4, 41, APP_CLASS_VISIBLE);
	KT_EXPECT_EQ(t, app_class_set(x, APP_CLASS_VISIBLE), 0);
	KT_EXPECT_EQ(t, app_class_set(y, APP_CLASS_CACHED), 0);
	set_minfree(t, &f, 0, 0, 0, 900); /* 90%: cached apps eligible now, visible ones never */
	deadline = timer_now_ns() + DEADLINE_NS;
	while (lmk_kills == k0 && timer_now_ns() < deadline)
		task_yield();
	minfree_off();
	KT_EXPECT_EQ(t, lmk_kills - k0, 1);
	KT_EXPECT_EQ(t, lmk_victims[k0 % LMK_HISTORY], y);
	app_expect_killed(t, y);
	KT_EXPECT_EQ(t, release_and_wait(t, x), 0);
	KT_EXPECT(t, strstr(lmk_last_report, "for class cached") != NULL);
	memfence_down(&f);
	syscall_capture(NULL, 0);
}

/* An app filling 150% of what is left through a small zram, twice: direct
 * reclaim and swap-ins stall it. The totals grow, some avg10 > 0 at the
 * next 2 s update, and /proc/pressure/memory has Linux's two lines. */
static void psi_grows_during_thrash(struct ktest *t)
{
	u64 some0 = psi_total_us(PSI_SOME), some1, full1, deadline;
	struct memfence f;
	int pid, status = -1;
	unsigned long long v[8];
	char a[64], buf[256];
	FILE *fp;

	KT_EXPECT_EQ(t, swap_reinit((u64)KEEP * 2 * PAGE_SIZE, 0), 0);
	memfence_up(&f, KEEP / 4);
	snprintf(a, sizeof(a), "%llu 2 50", (unsigned long long)(f.given * 3 / 2));
	mark_time();
	pid = task_spawn("memverify", a, current);
	KT_EXPECT(t, pid > 0);
	KT_EXPECT_EQ(t, app_wait_exit(pid, &status), pid);
	KT_EXPECT_EQ(t, status, 0);
	some1 = psi_total_us(PSI_SOME);
	full1 = psi_total_us(PSI_FULL);
	printf("    # thrash of %llu pages over %llu: %llu ms, some total +%llu us, full total %llu us\n",
	       (unsigned long long)(f.given * 3 / 2), (unsigned long long)f.given, (unsigned long long)ms_since(),
	       (unsigned long long)(some1 - some0), (unsigned long long)full1);
	KT_EXPECT(t, some1 > some0);
	KT_EXPECT(t, full1 <= some1);
	deadline = timer_now_ns() + 2 * PSI_PERIOD_NS + 100000000ull;
	while (!psi_some_avg10_centi() && timer_now_ns() < deadline)
		task_yield();
	KT_EXPECT(t, psi_some_avg10_centi() > 0);
	fp = fmemopen(buf, sizeof(buf), "w");
	KT_ASSERT(t, fp != NULL);
	show_pressure_memory(fp);
	fclose(fp);
	printf("    # after: %s", buf);
	KT_EXPECT_EQ(t, sscanf(buf, "some avg10=%llu.%llu avg60=%llu.%llu avg300=%llu.%llu total=%llu", &v[0], &v[1],
			       &v[2], &v[3], &v[4], &v[5], &v[6]), 7);
	KT_EXPECT(t, v[6] >= some1);
	KT_EXPECT(t, strstr(buf, "\nfull avg10=") != NULL);
	memfence_down(&f);
	KT_EXPECT_EQ(t, swap_reinit((u64)CONFIG_ZRAM_SIZE_MB << 20, (u64)CONFIG_ZRAM_MEM_LIMIT_MB << 20), 0);
}

static void every_page_and_object_returns(struct ktest *t)
{
	struct mem_state now = mem_state_settled();

	KT_EXPECT_EQ(t, lmk_set_minfree(&saved_minfree), 0);
	KT_EXPECT_EQ(t, lmk_set_psi_threshold(saved_psi), 0);
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
	KTEST_CASE(psi_idle_stays_zero),
	KTEST_CASE(classes_and_errnos),
	KTEST_CASE(cached_then_service_then_perceptible),
	KTEST_CASE(class_change_changes_victim),
	KTEST_CASE(psi_grows_during_thrash),
	KTEST_CASE(every_page_and_object_returns),
	{ 0 },
};
KTEST_SUITE_INIT(lmk, cases, lmk_init_suite);
