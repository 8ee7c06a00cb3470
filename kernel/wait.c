/*
 * Wait queues (include/kernel/wait.h). A sleeping waiter is a task in
 * state TASK_SLEEPING with no deadline (wake_at_ns = ~0: the tick never
 * wakes it); wake_up makes it runnable through task_wake.
 */
#include <arch/irqflags.h>
#include <kernel/task.h>
#include <kernel/wait.h>

void wait_queue_init(struct wait_queue_head *wq)
{
	INIT_LIST_HEAD(&wq->waiters);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags = arch_irq_save();

	if (!w->task) {
		w->task = current;
		list_add_tail(&w->link, &wq->waiters);
	}
	current->wake_at_ns = ~0ull;
	current->state = TASK_SLEEPING;
	arch_irq_restore(flags);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags = arch_irq_save();

	(void)wq;
	current->state = TASK_RUNNABLE;
	if (w->task) {
		list_del(&w->link);
		w->task = NULL;
	}
	arch_irq_restore(flags);
}

unsigned wake_up(struct wait_queue_head *wq)
{
	unsigned long flags = arch_irq_save();
	struct wait_queue_entry *w;
	unsigned n = 0;

	list_for_each_entry(w, &wq->waiters, link)
		if (w->task->state == TASK_SLEEPING) {
			task_wake(w->task);
			n++;
		}
	arch_irq_restore(flags);
	return n;
}
