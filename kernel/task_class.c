/*
 * Setting a task's app class (include/kernel/app_class.h): the class sets
 * oom_score_adj, and every change that makes an app cached re-ranks the
 * cached apps, as Android's activity manager does: the app cached last
 * gets 900, each older one one more (at most 999), so the low-memory
 * killer, which takes the highest adj, kills the oldest cached app first.
 *
 * Kernel threads and task 0 are "native" (zero-initialised) and keep it.
 * Locking: one CPU, cooperative kernel; the task list is walked in task
 * context without sleeping (include/kernel/task.h).
 */
#include <errno.h>
#include <generated/board.h>
#include <kernel/app_class.h>
#include <kernel/task.h>
#include <lib/panic.h>
#include <mm/budget.h>

/* Each class's per-app budget from board.cfg (kB of resident + swap, 0 =
 * none; docs/budgets.md); native apps have none. */
static u64 class_budget_kb[NR_APP_CLASSES] = {
	[APP_CLASS_SYSTEM] = CONFIG_BUDGET_SYSTEM_KB,	     [APP_CLASS_FOREGROUND] = CONFIG_BUDGET_FOREGROUND_KB,
	[APP_CLASS_VISIBLE] = CONFIG_BUDGET_VISIBLE_KB,	     [APP_CLASS_PERCEPTIBLE] = CONFIG_BUDGET_PERCEPTIBLE_KB,
	[APP_CLASS_SERVICE] = CONFIG_BUDGET_SERVICE_KB,	     [APP_CLASS_CACHED] = CONFIG_BUDGET_CACHED_KB,
};
#define BUDGET_OK(kb) ((kb) == 0 || (kb) >= 4)
#define BUDGET_MSG(o) "board.cfg: CONFIG_" o ": 1..3 kB is less than a page; allowed 0 (none) or 4..4194304"
_Static_assert(BUDGET_OK(CONFIG_BUDGET_SYSTEM_KB), BUDGET_MSG("BUDGET_SYSTEM_KB"));
_Static_assert(BUDGET_OK(CONFIG_BUDGET_FOREGROUND_KB), BUDGET_MSG("BUDGET_FOREGROUND_KB"));
_Static_assert(BUDGET_OK(CONFIG_BUDGET_VISIBLE_KB), BUDGET_MSG("BUDGET_VISIBLE_KB"));
_Static_assert(BUDGET_OK(CONFIG_BUDGET_PERCEPTIBLE_KB), BUDGET_MSG("BUDGET_PERCEPTIBLE_KB"));
_Static_assert(BUDGET_OK(CONFIG_BUDGET_SERVICE_KB), BUDGET_MSG("BUDGET_SERVICE_KB"));
_Static_assert(BUDGET_OK(CONFIG_BUDGET_CACHED_KB), BUDGET_MSG("BUDGET_CACHED_KB"));

u64 app_class_budget_kb(int cls) { return app_class_valid(cls) ? class_budget_kb[cls] : 0; }

int app_class_budget_set(int cls, u64 kb)
{
	struct task *t;

	if (!app_class_valid(cls) || cls == APP_CLASS_NATIVE || !BUDGET_OK(kb))
		return -EINVAL;
	class_budget_kb[cls] = kb;
	list_for_each_entry(t, &all_tasks, all_link)
		if (t->mm && t->state != TASK_ZOMBIE && t->app_class == cls && t->budget_from_class)
			BUG_ON(mm_budget_set(t->mm, kb));
	return 0;
}

static u64 cached_seq; /* the last cached_seq handed out */

static bool is_cached_app(const struct task *t)
{
	return t->mm && t->state != TASK_ZOMBIE && t->app_class == APP_CLASS_CACHED;
}

/* adj of every cached app on the task list from its rank; newer_outside
 * counts newer cached apps not on the list yet (a task being spawned). */
static void rerank_cached(unsigned newer_outside)
{
	struct task *t, *o;

	list_for_each_entry(t, &all_tasks, all_link) {
		unsigned newer = newer_outside;

		if (!is_cached_app(t))
			continue;
		list_for_each_entry(o, &all_tasks, all_link)
			newer += is_cached_app(o) && o->cached_seq > t->cached_seq;
		t->oom_score_adj = app_class_adj(APP_CLASS_CACHED, newer);
	}
}

static void set_class(struct task *t, int cls, unsigned newer_outside)
{
	t->app_class = cls;
	t->oom_score_adj = app_class_adj(cls, 0);
	if (cls == APP_CLASS_CACHED)
		t->cached_seq = ++cached_seq;
	rerank_cached(newer_outside);
}

int app_class_init_task(struct task *t, int cls)
{
	struct task *p = t->parent;

	if (cls == APP_CLASS_INHERIT) {
		/* as fork: the parent's adj; the kernel's children are foreground */
		t->app_class = p->mm ? p->app_class : APP_CLASS_FOREGROUND;
		t->oom_score_adj = p->oom_score_adj;
		return 0;
	}
	if (!app_class_valid(cls))
		return -EINVAL;
	set_class(t, cls, cls == APP_CLASS_CACHED); /* t is the newest cached app */
	return 0;
}

int app_class_set(int pid, int cls)
{
	struct task *t = task_find_live(pid);

	if (!t)
		return -ESRCH;
	if (!app_class_valid(cls) || !t->mm || t->pid == 0)
		return -EINVAL;
	set_class(t, cls, 0);
	if (t->budget_from_class) /* valid by the asserts above */
		BUG_ON(mm_budget_set(t->mm, class_budget_kb[cls]));
	return 0;
}

int app_class_get(int pid)
{
	struct task *t = task_find_live(pid);

	if (!t)
		return -ESRCH;
	return t->app_class;
}
