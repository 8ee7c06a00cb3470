/*
 * The scheduling points of an exiting task's teardown (include/kernel/
 * exit_mm.h). The exiting task has already cleared task->mm, so nothing
 * else reaches this mm through the task list (the OOM killer, reports,
 * task_kill); reclaim may still find its pages through the reverse map,
 * which sees a consistent mm at every point because exit_mmap yields only
 * between whole 2 MiB spans. Like Linux's cond_resched, a point switches
 * only when the tick or a wakeup asked for it (need_resched).
 *
 * Interrupts are on during the teardown, whatever the caller had.
 *
 * Several tasks may be tearing down at once (each yields to the others):
 * each keeps its measurement on its own stack, and `active` points at the
 * running one's (restored when it runs again).
 */
#include <arch/irqflags.h>
#include <arch/timer.h>
#include <kernel/exit_mm.h>
#include <kernel/task.h>
#include <mm/mmap.h>

struct exit_mm_stats exit_mm_last;

struct teardown {
	struct exit_mm_stats s;
	u64 last_point_ns;
};

static struct teardown *active;

static void gap_to(struct teardown *td, u64 now)
{
	if (now - td->last_point_ns > td->s.max_gap_ns)
		td->s.max_gap_ns = now - td->last_point_ns;
	td->last_point_ns = now;
}

static void exit_resched(void)
{
	struct teardown *td = active;
	u64 now = timer_now_ns();

	gap_to(td, now);
	td->s.points++;
	if (need_resched) {
		td->s.switches++;
		schedule();
		active = td;
		td->last_point_ns = timer_now_ns(); /* the time other tasks ran is not ours */
		td->s.others_ns += td->last_point_ns - now;
	}
}

/* CPU ticks of the apps other than the current task. */
static u64 other_app_ticks(void)
{
	struct task *t;
	u64 n = 0;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t != current && t->mm)
			n += t->ticks;
	return n;
}

void exit_mm_teardown(struct mm_struct *mm)
{
	struct teardown td = { .s = { .pid = current->pid, .tables = mm->pgt.nr_tables } };
	u64 start = timer_now_ns(), ticks = other_app_ticks(), now;
	unsigned long flags = arch_irq_save();

	/* the tick must be able to ask for a switch (need_resched) even when
	 * the exit came from user_exit_work, with interrupts masked; no
	 * interrupt handler touches an mm */
	arch_irq_enable();
	td.last_point_ns = start;
	active = &td;
	exit_mmap(mm, exit_resched);
	arch_irq_restore(flags);
	now = timer_now_ns();
	gap_to(&td, now);
	td.s.total_ns = now - start;
	now = other_app_ticks();
	td.s.app_ticks = now > ticks ? now - ticks : 0; /* an app that exited meanwhile took its ticks along */
	exit_mm_last = td.s;
}
