/*
 * Kernel threads, wait queues and PF_MEMALLOC on target
 * (kernel/kthread.c, kernel/wait.c, include/mm/memalloc.h):
 *
 *  - a kernel thread runs with no address space (TTBR0: the reserved
 *    table, ASID 0), sleeps on a wait queue, shows in ps as [name] in
 *    state S, and is woken from task context and from the timer tick;
 *    every event is handled exactly once and every wakeup is counted;
 *  - its PF_MEMALLOC is its own: set in the thread, not seen by the task
 *    that created it (the scheduler switches the flags word);
 *  - kthread_stop wakes it, waits for it, returns its result and frees
 *    it (the task table is as before).
 * Waiting for the thread is on its counters, with a deadline.
 */
#include <arch/irqflags.h>
#include <arch/context.h>
#include <arch/timer.h>
#include <kernel/kthread.h>
#include <kernel/ktest.h>
#include <kernel/wait.h>
#include <mm/memalloc.h>
#include <stdio.h>
#include <string.h>

static struct wait_queue_head work_wq = WAIT_QUEUE_HEAD_INIT(work_wq);
static volatile unsigned pending;     /* events posted, not yet handled */
static volatile unsigned handled;     /* events the thread handled */
static volatile unsigned passes;      /* times its wait_event returned */
static volatile bool saw_no_mm, saw_memalloc;
static volatile unsigned its_asid;

static int worker(void *arg)
{
	unsigned saved = memalloc_save();

	(void)arg;
	saw_no_mm = current->mm == NULL;
	its_asid = arch_current_asid();
	saw_memalloc = current_in_memalloc();
	while (!kthread_should_stop()) {
		wait_event(work_wq, pending || kthread_should_stop());
		passes++;
		unsigned long flags = arch_irq_save();
		while (pending) {
			pending--;
			handled++;
		}
		arch_irq_restore(flags);
	}
	memalloc_restore(saved);
	return (int)handled;
}

/* Until cond holds, 2 s of time at most. */
#define WAIT_UNTIL(cond)                                                          \
	({                                                                        \
		u64 __end = timer_now_ns() + 2000000000ull;                       \
		while (!(cond) && timer_now_ns() < __end)                         \
			task_sleep_ns(1000000);                                   \
		(bool)(cond);                                                     \
	})

static void post(void)
{
	unsigned long flags = arch_irq_save();

	pending++;
	arch_irq_restore(flags);
}

static volatile unsigned tick_posts, tick_woken;
static void (*chained_tick)(void);

static void posting_tick(void)
{
	chained_tick();
	if (tick_posts) {
		tick_posts--;
		pending++; /* interrupts are masked in the handler */
		tick_woken += wake_up(&work_wq);
	}
}

static void kthread_sleeps_and_is_woken_exactly(struct ktest *t)
{
	unsigned tasks = task_count(), woken = 0;
	char ps[2048], want[48];
	struct task *k;
	FILE *f;
	int pid;

	pending = handled = passes = 0;
	k = kthread_create(worker, NULL, "ktestd");
	KT_ASSERT(t, k != NULL);
	pid = k->pid;
	KT_EXPECT_EQ(t, task_count(), tasks + 1);
	KT_ASSERT(t, WAIT_UNTIL(k->state == TASK_SLEEPING));
	KT_EXPECT(t, saw_no_mm);
	KT_EXPECT_EQ(t, its_asid, 0); /* ASID 0: the reserved table */
	KT_EXPECT(t, saw_memalloc);
	KT_EXPECT(t, k->alloc_flags & PF_MEMALLOC);
	KT_EXPECT(t, !current_in_memalloc()); /* its flag, not ours */

	f = fmemopen(ps, sizeof(ps), "w");
	KT_ASSERT(t, f != NULL);
	show_ps(f);
	fclose(f);
	snprintf(want, sizeof(want), "%5d %5d S", pid, current->pid);
	KT_EXPECT(t, strstr(ps, want) != NULL);
	KT_EXPECT(t, strstr(ps, "[ktestd]") != NULL);
	if (t->failures)
		printf("    # ps:\n%s", ps);

	/* from task context: one event at a time, each a wakeup of a sleeper */
	for (unsigned i = 1; i <= 10; i++) {
		post();
		woken += wake_up(&work_wq);
		KT_ASSERT(t, WAIT_UNTIL(handled == i && k->state == TASK_SLEEPING));
	}
	KT_EXPECT_EQ(t, woken, 10);
	KT_EXPECT_EQ(t, passes, 10);

	/* from the timer interrupt: 5 ticks post one event each */
	tick_woken = 0;
	tick_posts = 5;
	chained_tick = timer_set_tick_hook(posting_tick);
	KT_EXPECT(t, WAIT_UNTIL(handled == 15 && k->state == TASK_SLEEPING));
	timer_set_tick_hook(chained_tick);
	KT_EXPECT_EQ(t, tick_posts, 0);
	KT_EXPECT_EQ(t, handled, 15);
	KT_EXPECT_EQ(t, pending, 0);
	KT_EXPECT_EQ(t, tick_woken + woken, passes);

	/* a wake_up with nothing posted: it runs, finds the condition false
	 * and sleeps again inside wait_event */
	KT_EXPECT_EQ(t, wake_up(&work_wq), 1);
	KT_EXPECT_EQ(t, k->state, TASK_RUNNABLE);
	KT_EXPECT(t, WAIT_UNTIL(k->state == TASK_SLEEPING));
	KT_EXPECT_EQ(t, passes, tick_woken + woken);
	KT_EXPECT_EQ(t, handled, 15);

	KT_EXPECT_EQ(t, kthread_stop(k), 15);
	KT_EXPECT(t, task_find(pid) == NULL);
	KT_EXPECT_EQ(t, task_count(), tasks);
	KT_EXPECT_EQ(t, wake_up(&work_wq), 0); /* nobody left on the queue */
}

/* A thread that returns at once, stopped after it has ended. */
static int quick(void *arg)
{
	return *(int *)arg;
}

static void kthread_stop_after_return(struct ktest *t)
{
	static int value = 7;
	unsigned tasks = task_count();
	struct task *k = kthread_create(quick, &value, "kquick");

	KT_ASSERT(t, k != NULL);
	KT_ASSERT(t, WAIT_UNTIL(k->state == TASK_ZOMBIE));
	KT_EXPECT_EQ(t, kthread_stop(k), 7);
	KT_EXPECT_EQ(t, task_count(), tasks);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(kthread_sleeps_and_is_woken_exactly),
	KTEST_CASE(kthread_stop_after_return),
	{ 0 },
};
KTEST_SUITE(kthread, cases);
