/*
 * Leak detection by sampling (include/kernel/leak.h): each app's USS and
 * anon RSS, sampled over time, and the apps whose memory only grows.
 *
 *   leakd (every CONFIG_LEAK_SAMPLE_MS) ─┐
 *   tests, leak_sample_now() ────────────┴─> for each live app: USS, anon
 *        -> its leak_series (ring of the last 16) -> increasing run >= N?
 *        -> "leak suspect: pid N (name) USS grew ..." once, then kept
 *
 * The table has one slot per possible task (CONFIG_MAX_TASKS); a slot is
 * freed when its task is gone at the next sample.
 */
#include <arch/layout.h>
#include <errno.h>
#include <kernel/kthread.h>
#include <kernel/leak.h>
#include <kernel/task.h>
#include <mm/mm_report.h>
#include <stdio.h>
#include <string.h>

_Static_assert(CONFIG_LEAK_SAMPLES >= 2 && CONFIG_LEAK_SAMPLES <= LEAK_MAX_SAMPLES, "LEAK_SAMPLES range");

/* ---- the apps -------------------------------------------------------------- */

struct leak_app {
	struct task *task;   /* NULL: a free slot */
	int pid;
	bool suspect, by_anon;
	struct leak_series uss, anon;
};

static struct leak_app apps[CONFIG_MAX_TASKS];
static unsigned interval_ms = CONFIG_LEAK_SAMPLE_MS;
static struct task *leakd;
u64 leak_samples, leak_suspects_flagged;

static bool alive(const struct leak_app *a)
{
	struct task *t = task_find(a->pid);

	return t == a->task && t->mm && t->state != TASK_ZOMBIE && !t->oom_reaped;
}

static struct leak_app *slot_of(struct task *t)
{
	struct leak_app *free = NULL;

	for (unsigned i = 0; i < CONFIG_MAX_TASKS; i++) {
		if (apps[i].task == t && apps[i].pid == t->pid)
			return &apps[i];
		if (!apps[i].task && !free)
			free = &apps[i];
	}
	if (free)
		*free = (struct leak_app){ .task = t, .pid = t->pid };
	return free;
}

static void print_suspect(const struct leak_app *a)
{
	const struct leak_series *s = a->by_anon ? &a->anon : &a->uss;
	unsigned k = CONFIG_LEAK_SAMPLES;

	printf("leak suspect: pid %d (%s) %s grew %llukB over %u samples:", a->pid, a->task->name,
	       a->by_anon ? "anon RSS" : "USS",
	       (unsigned long long)(leak_series_at(s, k, k - 1) - leak_series_at(s, k, 0)), k);
	for (unsigned i = 0; i < k; i++)
		printf(" %llu", (unsigned long long)leak_series_at(s, k, i));
	printf(" kB\n");
}

unsigned leak_sample_now(void)
{
	struct task *t;
	unsigned flagged = 0;

	for (unsigned i = 0; i < CONFIG_MAX_TASKS; i++)
		if (apps[i].task && !alive(&apps[i]))
			apps[i].task = NULL;
	list_for_each_entry(t, &all_tasks, all_link) {
		struct mem_usage u = { 0 };
		struct leak_app *a;

		if (!t->mm || t->state == TASK_ZOMBIE || t->oom_reaped || !(a = slot_of(t)))
			continue;
		mm_usage(t->mm, &u);
		leak_series_add(&a->uss, u.uss >> 10);
		leak_series_add(&a->anon, t->mm->rss[MM_ANONPAGES] << (PAGE_SHIFT - 10));
		if (a->suspect)
			continue;
		if (leak_series_growing(&a->uss, CONFIG_LEAK_SAMPLES))
			a->suspect = true;
		else if (leak_series_growing(&a->anon, CONFIG_LEAK_SAMPLES))
			a->suspect = a->by_anon = true;
		if (a->suspect) {
			print_suspect(a);
			flagged++;
		}
	}
	leak_samples++;
	leak_suspects_flagged += flagged;
	return flagged;
}

void leak_reset(void) { memset(apps, 0, sizeof(apps)); }

bool leak_app(unsigned i, struct leak_app_info *info)
{
	for (unsigned j = 0; j < CONFIG_MAX_TASKS; j++) {
		const struct leak_app *a = &apps[j];

		if (!a->task || !alive(a) || i--)
			continue;
		*info = (struct leak_app_info){ .pid = a->pid, .name = a->task->name, .suspect = a->suspect,
						.by_anon = a->by_anon, .uss = &a->uss, .anon = &a->anon, .need =
						CONFIG_LEAK_SAMPLES };
		return true;
	}
	return false;
}

bool leak_is_suspect(int pid)
{
	for (unsigned i = 0; i < CONFIG_MAX_TASKS; i++)
		if (apps[i].task && apps[i].pid == pid && alive(&apps[i]))
			return apps[i].suspect;
	return false;
}

void leak_print_suspects_oom(void)
{
	bool any = false;

	for (unsigned i = 0; i < CONFIG_MAX_TASKS; i++) {
		const struct leak_app *a = &apps[i];
		const struct leak_series *s = a->by_anon ? &a->anon : &a->uss;
		unsigned k = CONFIG_LEAK_SAMPLES;

		if (!a->task || !a->suspect || !alive(a))
			continue;
		printf("%s%s (pid %d, %s +%llukB over %u samples)", any ? ", " : "Leak suspects: ", a->task->name,
		       a->pid, a->by_anon ? "anon RSS" : "USS",
		       (unsigned long long)(leak_series_at(s, k, k - 1) - leak_series_at(s, k, 0)), k);
		any = true;
	}
	if (any)
		printf("\n");
}

/* ---- the thread ------------------------------------------------------------ */

static int leakd_main(void *arg)
{
	(void)arg;
	while (!kthread_should_stop()) {
		unsigned ms = interval_ms;

		task_sleep_ns((u64)(ms ? ms : 100) * 1000000);
		if (ms && interval_ms)
			leak_sample_now();
	}
	return 0;
}

static int leakd_start(void)
{
	if (leakd)
		return 0;
	leakd = kthread_create(leakd_main, NULL, "leakd");
	return leakd ? 0 : -ENOMEM;
}

int leak_init(void) { return interval_ms ? leakd_start() : 0; }

int leak_set_interval_ms(long ms)
{
	if (ms < 0 || ms > 60000)
		return -EINVAL;
	interval_ms = (unsigned)ms;
	if (ms)
		return leakd_start();
	if (leakd && leakd->parent == current) { /* only its creator may stop it */
		kthread_stop(leakd);
		leakd = NULL;
	}
	return 0;
}

unsigned leak_get_interval_ms(void) { return interval_ms; }
