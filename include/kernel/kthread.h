/*
 * Kernel threads (kernel/kthread.c): tasks without an address space (TTBR0
 * holds the reserved empty table while they run) that run a kernel
 * function, scheduled round-robin with the apps. They are cooperative:
 * they give up the CPU only by sleeping (wait_event, task_sleep_ns) or
 * task_yield(); the tick does not preempt them. ps shows them in
 * [brackets], as Linux does; they cannot be killed.
 *
 *   t = kthread_create(fn, arg, "kswapd0");  runs fn(arg) from now on
 *   fn: while (!kthread_should_stop()) { wait_event(...); work }; return r
 *   kthread_stop(t) == r                     stops it, waits, frees it
 */
#ifndef KERNEL_KTHREAD_H
#define KERNEL_KTHREAD_H

#include <kernel/task.h>

/* Start a kernel thread running fn(arg), child of the current task. The
 * task, or NULL if the task table is full or memory is short. */
struct task *kthread_create(int (*fn)(void *), void *arg, const char *name);
/* Whether kthread_stop() was called for the current kernel thread. */
bool kthread_should_stop(void);
/* Ask t to stop (kthread_should_stop() turns true and t is woken from any
 * sleep), wait until fn has returned, free t. Returns fn's result. Only
 * its creator may stop it, once. */
int kthread_stop(struct task *t);

#endif
