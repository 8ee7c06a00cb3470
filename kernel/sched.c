/*
 * The scheduler: one runqueue, round-robin, on one CPU.
 *
 *   runqueue  RUNNABLE tasks except the one running, in arrival order
 *   current   the running task (RUNNABLE while it runs)
 *   idle      when nothing is runnable, schedule() waits for an
 *             interrupt (wfi) on the stack of whoever called it, then
 *             looks again; no idle task is needed
 *
 * The tick (timer interrupt) wakes sleepers whose time has come and ends
 * the running app's time slice (need_resched); the switch itself happens
 * in user_exception() on the way back to EL0, or when a task blocks.
 * Switching address spaces: TTBR0 gets the next task's tables and ASID
 * (mm/asid.c keeps the ASID valid), or the reserved empty table.
 *
 * The running task is never on the runqueue: schedule() puts it back if
 * it is still RUNNABLE, and task_wake() of the running task (woken between
 * deciding to sleep and calling schedule(), or while it idles in
 * schedule()) only sets its state. On several CPUs "running" would be a
 * per-task on_cpu flag instead of current.
 *
 * Each switch also points mm's current_alloc_flags at the next task's
 * alloc_flags (PF_MEMALLOC, include/mm/memalloc.h).
 *
 * Locking: the runqueue and task states are changed with interrupts
 * masked (the tick handler wakes tasks); the runqueue lock of an SMP
 * version would be taken in the same places.
 */
#include <arch/context.h>
#include <arch/fpsimd.h>
#include <arch/irqflags.h>
#include <arch/cpu.h>
#include <arch/layout.h>
#include <arch/timer.h>
#include <kernel/cpustat.h>
#include <kernel/task.h>
#include <lib/panic.h>
#include <mm/asid.h>
#include <mm/memalloc.h>

struct task *current;
volatile bool need_resched;
u64 nr_context_switches;
static struct list_head runqueue = LIST_HEAD_INIT(runqueue);

#define SLICE_TICKS MAX(1u, (unsigned)((CONFIG_SCHED_SLICE_MS * CONFIG_TIMER_HZ + 999) / 1000))

static void switch_mm(struct task *next)
{
	struct mm_struct *mm = next->mm;

	if (!mm) {
		arch_switch_user_tables(0, 0);
		return;
	}
	mm->pgt.asid = asid_get(&mm->asid);
	arch_switch_user_tables(mm->pgt.root, mm->pgt.asid);
}

void task_wake(struct task *t)
{
	if (t->state == TASK_ZOMBIE || t->state == TASK_RUNNABLE)
		return;
	t->state = TASK_RUNNABLE;
	if (t != current)
		list_add_tail(&t->run_link, &runqueue);
}

/* Timer interrupt: wake sleepers, charge the tick, end the slice. */
static void sched_tick(void)
{
	u64 now = timer_now_ns();
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->state == TASK_SLEEPING && now >= t->wake_at_ns)
			task_wake(t);
	cpustat_tick();
	if (!current)
		return;
	current->ticks++;
	if (current->slice && --current->slice == 0)
		need_resched = true;
	if (!list_empty(&runqueue) && current->state != TASK_RUNNABLE)
		need_resched = true;
}

void schedule(void)
{
	unsigned long flags = arch_irq_save();
	struct task *prev = current, *next;

	BUG_ON(kernel_neon_busy()); /* the section's FP/SIMD state would be lost */
	need_resched = false;
	reap_orphans();
	if (prev->state == TASK_RUNNABLE)
		list_add_tail(&prev->run_link, &runqueue);
	while (list_empty(&runqueue)) {
		/* idle: sleep until an interrupt makes someone runnable */
		cpustat_idling = true;
		arch_wait_for_interrupt();
		arch_irq_enable();
		arch_irq_disable();
		cpustat_idling = false;
		if (prev->state == TASK_RUNNABLE) /* woken while idling here */
			list_add_tail(&prev->run_link, &runqueue);
	}
	next = list_first_entry(&runqueue, struct task, run_link);
	list_del(&next->run_link);
	next->slice = SLICE_TICKS;
	if (next != prev) {
		nr_context_switches++;
		switch_mm(next);
		current = next;
		current_alloc_flags = &next->alloc_flags;
		arch_context_switch(&prev->ctx, &next->ctx);
		/* back in prev, possibly much later; an orphan that exited
		 * meanwhile is off its stack now */
		reap_orphans();
	}
	arch_irq_restore(flags);
}

void task_yield(void)
{
	schedule();
}

void task_sleep_ns(u64 ns)
{
	unsigned long flags = arch_irq_save();

	current->wake_at_ns = timer_now_ns() + ns;
	current->state = TASK_SLEEPING;
	schedule();
	arch_irq_restore(flags);
}

/* Set up by task.c's sched_init() once task 0 exists. */
void sched_start_tick(void)
{
	timer_set_tick_hook(sched_tick);
}
