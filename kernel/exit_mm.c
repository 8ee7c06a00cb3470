/*
 * The scheduling points of an exiting task's teardown (include/kernel/
 * exit_mm.h). The exiting task has already cleared task->mm, so nothing
 * else reaches this mm through the task list (the OOM killer, reports,
 * task_kill); reclaim may still find its pages through the reverse map,
 * which sees a consistent mm at every point because exit_mmap yields only
 * between whole 2 MiB spans. Like Linux's cond_resched, a point switches
 * only when the tick or a wakeup asked for it (need_resched).
 */
#include <arch/timer.h>
#include <kernel/exit_mm.h>
#include <kernel/task.h>
#include <mm/mmap.h>

struct exit_mm_stats exit_mm_last;

static struct exit_mm_stats cur;
static u64 last_point_ns;

static void gap_to(u64 now)
{
	if (now - last_point_ns > cur.max_gap_ns)
		cur.max_gap_ns = now - last_point_ns;
	last_point_ns = now;
}

static void exit_resched(void)
{
	gap_to(timer_now_ns());
	cur.points++;
	if (need_resched) {
		cur.switches++;
		schedule();
	}
	last_point_ns = timer_now_ns(); /* the time other tasks ran is not ours */
}

void exit_mm_teardown(struct mm_struct *mm)
{
	u64 start = timer_now_ns();

	cur = (struct exit_mm_stats){ .pid = current->pid, .tables = mm->pgt.nr_tables };
	last_point_ns = start;
	exit_mmap(mm, exit_resched);
	gap_to(timer_now_ns());
	cur.total_ns = timer_now_ns() - start;
	exit_mm_last = cur;
}
