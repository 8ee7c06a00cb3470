/*
 * Kernel threads (include/kernel/kthread.h).
 *
 * A kernel thread is a task made by task_create_kernel (no mm, a kernel
 * stack) whose first switch enters kthread_main here; struct kthread
 * holds what the thread and its creator share:
 *
 *   fn, arg       what to run
 *   should_stop   set by kthread_stop, read by kthread_should_stop
 *   result        fn's return value, read by kthread_stop
 *
 * Life: kthread_create -> RUNNABLE ... fn returns -> task_exit (a zombie,
 * its creator woken) -> kthread_stop reaps it with task_wait and frees
 * struct kthread. If the creator exits first, the thread is an orphan
 * and is reaped when it exits (its struct kthread is then lost: creators
 * stop their threads).
 */
#include <arch/irqflags.h>
#include <kernel/kthread.h>
#include <lib/panic.h>
#include <mm/slab.h>

struct kthread {
	int (*fn)(void *);
	void *arg;
	volatile bool should_stop;
	int result;
};

static void __noreturn kthread_main(void *p)
{
	struct kthread *kt = p;

	arch_irq_enable(); /* entered from schedule(), interrupts masked */
	kt->result = kt->fn(kt->arg);
	task_exit(0);
}

struct task *kthread_create(int (*fn)(void *), void *arg, const char *name)
{
	struct kthread *kt = kzalloc(sizeof(*kt), GFP_KERNEL);
	struct task *t;

	if (!kt)
		return NULL;
	kt->fn = fn;
	kt->arg = arg;
	t = task_create_kernel(name, kthread_main, kt);
	if (!t) {
		kfree(kt);
		return NULL;
	}
	t->kthread = kt;
	return t;
}

bool kthread_should_stop(void)
{
	return current->kthread && current->kthread->should_stop;
}

int kthread_stop(struct task *t)
{
	struct kthread *kt = t->kthread;
	unsigned long flags;
	int pid = t->pid, result;

	BUG_ON(!kt || t->parent != current);
	kt->should_stop = true;
	flags = arch_irq_save();
	task_wake(t); /* from any sleep: it looks at kthread_should_stop() */
	arch_irq_restore(flags);
	BUG_ON(task_wait(pid, NULL, false) != pid);
	result = kt->result;
	kfree(kt);
	return result;
}
