/*
 * Wait queues (kernel/wait.c): a task sleeps until a condition holds;
 * whoever makes it hold calls wake_up(), from a task or an interrupt
 * handler.
 *
 *   waiter                              waker
 *   prepare_to_wait: on the queue,      cond = true
 *     state SLEEPING                    wake_up: every waiter RUNNABLE
 *   cond? yes -> finish_wait
 *   no -> schedule(), then look again
 *
 * The waiter is on the queue and marked asleep before it tests the
 * condition, so a wake_up between the test and schedule() is not lost
 * (it makes the waiter runnable; schedule() then returns soon).
 *
 * Locking: the queue's list is changed with interrupts masked (wake_up
 * may run in the timer interrupt); with several CPUs it would take a
 * spinlock in the same places. The condition itself is the caller's:
 * make it visible before calling wake_up.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include <lib/list.h>
#include <types.h>

struct task;

struct wait_queue_head {
	struct list_head waiters; /* of wait_queue_entry.link */
};

struct wait_queue_entry {
	struct task *task;
	struct list_head link;
};

#define WAIT_QUEUE_HEAD_INIT(name) { .waiters = LIST_HEAD_INIT((name).waiters) }

/* An empty queue. */
void wait_queue_init(struct wait_queue_head *wq);
/* Put the current task on wq (if not yet) and mark it asleep; then test
 * the condition and schedule() if it does not hold. */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* Take the current task off wq and make it runnable again. */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* Wake every task sleeping on wq; returns how many were asleep. Any
 * context (interrupt handlers too), interrupts any state. */
unsigned wake_up(struct wait_queue_head *wq);

/* Sleep until cond (evaluated in the caller's context) is true. Task
 * context only, never inside a kernel_neon section. */
#define wait_event(wq, cond)                                  \
	do {                                                  \
		struct wait_queue_entry __w = { 0 };          \
		for (;;) {                                    \
			prepare_to_wait(&(wq), &__w);         \
			if (cond)                             \
				break;                        \
			schedule();                           \
		}                                             \
		finish_wait(&(wq), &__w);                     \
	} while (0)

#endif
