/*
 * App classes (docs/lmk.md), after Android's oom_score_adj bands:
 *
 *   class        adj       killed by
 *   native      -1000      nobody (oom_score_adj -1000 is never chosen)
 *   system       -900      the OOM killer only
 *   foreground      0      the OOM killer only
 *   visible       100      the low-memory killer below its minfree, then OOM
 *   perceptible   200      "
 *   service       500      "
 *   cached    900..999     " (the most recently cached app 900, older ones higher)
 *
 * A class is set at spawn (struct spawn_attr, include/uapi/pagoda/spawn.h)
 * and changed at run time; setting it sets oom_score_adj. The arithmetic
 * (kernel/app_class.c) is pure and host-tested; setting a task's class
 * and the cached ranking over the task list are in kernel/task_class.c.
 *
 * Locking: one CPU, cooperative kernel (include/kernel/task.h); the
 * setters run in task context and never schedule.
 */
#ifndef KERNEL_APP_CLASS_H
#define KERNEL_APP_CLASS_H

#include <types.h>
#include <uapi/pagoda/spawn.h>

#define APP_CLASS_CACHED_MIN_ADJ 900
#define APP_CLASS_CACHED_MAX_ADJ 999

/* "native", "system", ... "cached"; "?" for a bad class. Pure. */
const char *app_class_name(int cls);
/* Whether cls is a class (0..NR_APP_CLASSES-1). Pure. */
bool app_class_valid(int cls);
/* oom_score_adj of class cls; cached_rank counts the cached apps cached
 * more recently (0: the newest, adj 900; capped at 999). Pure. */
int app_class_adj(int cls, unsigned cached_rank);
/* The cached adjs of n cached apps from the order they were cached in
 * (seq: larger = more recent, all different): adj[i] = 900 + the number
 * of apps with a larger seq, at most 999. Pure. */
void app_class_cached_adjs(const u64 *seq, unsigned n, int *adj);

/* Low-memory killer thresholds: minfree_kb[cls] is the free + reclaimable
 * memory (kB) below which class cls is eligible; 0 = never. Classes at or
 * below foreground are never eligible, whatever the table says. */
struct lmk_minfree {
	u64 kb[NR_APP_CLASSES];
};
/* Thresholds from percentages of managed RAM (visible, perceptible,
 * service, cached). Pure. */
void lmk_minfree_from_pct(struct lmk_minfree *m, u64 managed_kb, unsigned visible, unsigned perceptible,
			  unsigned service, unsigned cached);
/* Whether class cls may be killed by the low-memory killer with avail_kb
 * free + reclaimable. Pure. */
bool lmk_class_eligible(const struct lmk_minfree *m, int cls, u64 avail_kb);
/* The highest threshold (below it some class is eligible). Pure. */
u64 lmk_minfree_max(const struct lmk_minfree *m);

/* kernel/task_class.c. The class of pid (0: the caller): set -> 0,
 * -ESRCH (no such live task), -EINVAL (not a class, or a kernel thread or
 * task 0); sets oom_score_adj and re-ranks the cached apps. get -> the
 * class or -ESRCH. */
int app_class_set(int pid, int cls);
int app_class_get(int pid);
/* The per-app budget (kB, 0 = none) an app of class cls gets from
 * board.cfg (CONFIG_BUDGET_<CLASS>_KB) at spawn and when its class
 * changes, unless its budget was given explicitly (spawn attributes or
 * mem_budget_set). */
u64 app_class_budget_kb(int cls);
/* Change class cls's budget at run time (the shell's knob later): it
 * applies at once to the class's apps whose budget follows their class,
 * and to later spawns. 0, or -EINVAL (native, not a class, or 1..3 kB). */
int app_class_budget_set(int cls, u64 kb);
struct task;
/* Give a new task t its class at spawn: cls, or APP_CLASS_INHERIT (the
 * parent's class and oom_score_adj; task 0's children are foreground,
 * adj 0). -EINVAL for anything else. t is not yet on the task list. */
int app_class_init_task(struct task *t, int cls);

#endif
