/*
 * The low-memory killer (include/kernel/lmk.h, docs/lmk.md).
 *
 *   tick / kswapd wake-up --(avail < highest minfree, or PSI some avg10
 *                            above the trigger, and an eligible app)--> lmkd
 *   lmkd: victim = highest oom_score_adj among the apps whose class is
 *         eligible (avail < minfree[class]; with the PSI trigger, cached
 *         apps too), the larger RSS + swap on a tie
 *         report, SIGKILL, lmk_kill++; wait (yielding) until the victim
 *         has released its mm, at most LMK_WAIT_NS; look again
 *
 * avail = free pages + file pages on the LRU lists (what the killer
 * counts as "free + reclaimable"; anon pages that could go to zram are
 * not counted: swapping is what the killer is there to spare).
 *
 * The victim frees its memory itself: task_kill wakes it, and it exits on
 * its way back to EL0 (kernel/task.c), which lmkd lets happen by
 * yielding. It is never the allocating task's business: lmkd kills from
 * its own thread, and foreground apps and below are never eligible.
 *
 * Locking: one CPU, cooperative kernel (include/kernel/task.h). The tick
 * looks at the task list with interrupts masked and only wakes lmkd;
 * lmkd walks the list in task context without sleeping between choosing
 * and killing.
 */
#include <arch/fpsimd.h>
#include <arch/irqflags.h>
#include <arch/timer.h>
#include <errno.h>
#include <kernel/kthread.h>
#include <kernel/lmk.h>
#include <kernel/psi.h>
#include <kernel/task.h>
#include <kernel/wait.h>
#include <mm/page_alloc.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <uapi/pagoda/syscall.h>

#define LMK_WAIT_NS 1000000000ull /* longest wait for a victim's exit */

static struct lmk_minfree minfree;
static unsigned psi_trigger = CONFIG_LMK_PSI_SOME_AVG10; /* percent, 0 off */
static struct wait_queue_head lmk_wait = WAIT_QUEUE_HEAD_INIT(lmk_wait);
static volatile bool lmk_woken;
static struct task *lmkd;
static void (*prev_tick)(void);
u64 lmk_kills;
int lmk_victims[LMK_HISTORY];
char lmk_last_report[256];

u64 lmk_avail_kb(void)
{
	u64 pages = nr_free_pages() + lru_count[LRU_INACTIVE_FILE] + lru_count[LRU_ACTIVE_FILE];

	return pages << (PAGE_SHIFT - 10);
}

void lmk_get_minfree(struct lmk_minfree *m) { *m = minfree; }

int lmk_set_minfree(const struct lmk_minfree *m)
{
	for (int c = 0; c <= APP_CLASS_FOREGROUND; c++)
		if (m->kb[c])
			return -EINVAL;
	minfree = *m;
	return 0;
}

int lmk_set_psi_threshold(unsigned pct)
{
	if (pct > 100)
		return -EINVAL;
	psi_trigger = pct;
	return 0;
}

unsigned lmk_get_psi_threshold(void) { return psi_trigger; }

static bool psi_triggered(void) { return psi_trigger && psi_some_avg10_centi() > psi_trigger * 100; }

static u64 task_pages(const struct task *t)
{
	return mm_rss(t->mm) + t->mm->rss[MM_SWAPENTS];
}

/* Why t may be killed now: its class is below its minfree (or, psi, the
 * PSI trigger makes cached apps eligible). */
static bool eligible(const struct task *t, u64 avail, bool psi)
{
	if (!t->mm || t->pid == 0 || t->state == TASK_ZOMBIE || t->oom_reaped || t->kill_sig ||
	    t->oom_score_adj <= -1000)
		return false;
	return lmk_class_eligible(&minfree, t->app_class, avail) || (psi && t->app_class == APP_CLASS_CACHED);
}

static struct task *select_victim(u64 avail, bool psi)
{
	struct task *t, *v = NULL;

	list_for_each_entry(t, &all_tasks, all_link) {
		if (!eligible(t, avail, psi))
			continue;
		if (!v || t->oom_score_adj > v->oom_score_adj ||
		    (t->oom_score_adj == v->oom_score_adj && task_pages(t) > task_pages(v)))
			v = t;
	}
	return v;
}

static void kill_victim(struct task *v, u64 avail, bool psi)
{
	u64 free_kb = task_pages(v) << (PAGE_SHIFT - 10);
	char why[96];

	if (lmk_class_eligible(&minfree, v->app_class, avail) || !psi)
		snprintf(why, sizeof(why), "free %llukB below minfree %llukB", (unsigned long long)avail,
			 (unsigned long long)minfree.kb[v->app_class]);
	else
		snprintf(why, sizeof(why), "memory pressure some avg10=%u.%02u above %u", psi_some_avg10_centi() / 100,
			 psi_some_avg10_centi() % 100, psi_trigger);
	snprintf(lmk_last_report, sizeof(lmk_last_report),
		 "lowmemorykiller: Killing '%s' (%d), adj %d, to free %llukB because %s for class %s", v->name, v->pid,
		 v->oom_score_adj, (unsigned long long)free_kb, why, app_class_name(v->app_class));
	kernel_neon_begin(); /* printf may use FP/SIMD */
	printf("%s\n", lmk_last_report);
	kernel_neon_end();
	count_vm_event(LMK_KILL);
	lmk_victims[lmk_kills % LMK_HISTORY] = v->pid;
	lmk_kills++;
	task_kill(v->pid, SIGKILL);
	snprintf(v->killed.what, sizeof(v->killed.what), "killed by the low-memory killer");
	v->killed.signal = SIGKILL;
}

/* Until pid has released its mm (it runs when we yield), or the deadline. */
static void wait_for_exit(int pid)
{
	u64 deadline = timer_now_ns() + LMK_WAIT_NS;
	struct task *t;

	while ((t = task_find(pid)) && t->mm && timer_now_ns() < deadline && !kthread_should_stop())
		task_yield();
}

/* One look: kill one victim if memory is low; whether it killed. */
static bool lmk_scan(void)
{
	u64 avail = lmk_avail_kb();
	bool psi = psi_triggered();
	struct task *v = select_victim(avail, psi);
	int pid;

	if (!v)
		return false;
	pid = v->pid;
	kill_victim(v, avail, psi);
	wait_for_exit(pid);
	return true;
}

static int lmkd_main(void *arg)
{
	(void)arg;
	while (!kthread_should_stop()) {
		wait_event(lmk_wait, lmk_woken || kthread_should_stop());
		lmk_woken = false;
		while (!kthread_should_stop() && lmk_scan())
			;
	}
	return 0;
}

void lmk_wake(void)
{
	if (!lmkd || lmk_woken)
		return;
	lmk_woken = true;
	wake_up(&lmk_wait);
}

/* Wake lmkd (and end the running task's slice, so that it runs at the
 * next switch point) when some app is eligible now. Any context (the
 * tick's interrupt, an allocation); it only reads the task list. */
static void lmk_check(void)
{
	u64 avail;
	bool psi;

	if (!lmkd || lmk_woken)
		return;
	avail = lmk_avail_kb();
	psi = psi_triggered();
	if ((avail < lmk_minfree_max(&minfree) || psi) && select_victim(avail, psi)) {
		lmk_wake();
		need_resched = true;
	}
}

/* The tick: memory pressure (PSI) changes without allocations too. */
static void lmk_tick(void)
{
	if (prev_tick)
		prev_tick();
	lmk_check();
}

int lmk_init(void)
{
	lmk_minfree_from_pct(&minfree, nr_managed_pages() << (PAGE_SHIFT - 10), CONFIG_LMK_MINFREE_VISIBLE_PCT,
			     CONFIG_LMK_MINFREE_PERCEPTIBLE_PCT, CONFIG_LMK_MINFREE_SERVICE_PCT,
			     CONFIG_LMK_MINFREE_CACHED_PCT);
	if (!CONFIG_LMK)
		return 0;
	lmkd = kthread_create(lmkd_main, NULL, "lmkd");
	if (!lmkd)
		return -ENOMEM;
	prev_tick = timer_set_tick_hook(lmk_tick);
	/* and every PCP_BATCH page allocations: an app filling memory fast
	 * meets its threshold within a batch, whatever the host's speed */
	reclaim_hooks.low_memory = lmk_check;
	return 0;
}
