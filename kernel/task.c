/*
 * The life of a task (include/kernel/task.h): spawn from the app image,
 * exit, kill, wait and reaping.
 *
 * What a task owns and where it goes back:
 *   struct task       kmalloc            freed by the reaper (task_wait)
 *   kernel stack      vmalloc_stack      freed by the reaper (the zombie
 *                                        still runs on it until its last
 *                                        switch)
 *   mm (VMAs, pages,  mm_create          exit_mm_teardown at exit, after TTBR0
 *   page tables)                         left it and its ASID is put back
 *   ASID              asid_get           asid_put at exit
 *   open files        appimg_open        address_space_put at exit
 *   open /proc files  proc_file_open     proc_file_close at exit
 *
 * Orphans. When a task exits, its children that are zombies already are
 * freed at once, and the live ones become task 0's orphans (parent NULL,
 * getppid 0): an orphan that exits is reaped automatically, as Linux's
 * init reaps what it inherits. It cannot free the kernel stack it is
 * still running on, so it puts itself on reap_list and schedule() frees
 * it once it has switched away for good (reap_orphans). Task 0's own
 * children (spawned by the kernel, parent &task0) stay for its wait.
 */
#include <arch/context.h>
#include <arch/irqflags.h>
#include <arch/layout.h>
#include <arch/timer.h>
#include <errno.h>
#include <kernel/app_class.h>
#include <kernel/appimg.h>
#include <kernel/exit_mm.h>
#include <kernel/task.h>
#include <mm/budget.h>
#include <lib/panic.h>
#include <mm/asid.h>
#include <mm/filemap.h>
#include <mm/memalloc.h>
#include <mm/mmap.h>
#include <mm/report.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <string.h>
#include <uapi/pagoda/syscall.h>

#include "proc_table.h"

struct list_head all_tasks = LIST_HEAD_INIT(all_tasks);
static struct task task0;
static unsigned nr_tasks;
static int last_pid;
static u64 kstack_kb; /* task stacks, for meminfo's KernelStack */
static struct list_head reap_list = LIST_HEAD_INIT(reap_list); /* exited orphans, on run_link, to be freed */

static void kstack_meminfo(struct meminfo *mi) { mi->kernel_stack += kstack_kb; }
static struct meminfo_provider kstack_provider = { .fill = kstack_meminfo };

void sched_init(void)
{
	task0.pid = 0;
	strcpy(task0.name, "kernel");
	task0.state = TASK_RUNNABLE;
	task0.start_ns = timer_now_ns();
	list_add_tail(&task0.all_link, &all_tasks);
	nr_tasks = 1;
	current = &task0;
	current_alloc_flags = &task0.alloc_flags;
	asid_init(arch_asid_bits());
	arch_user_init();
	meminfo_add_provider(&kstack_provider);
	sched_start_tick();
}

struct task *task_find(int pid)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->pid == pid)
			return t;
	return NULL;
}

struct task *task_find_live(int pid)
{
	struct task *t = pid ? task_find(pid) : current;

	return t && t->state != TASK_ZOMBIE ? t : NULL;
}

unsigned task_count(void) { return nr_tasks; }

static int alloc_pid(void)
{
	for (;;) {
		if (++last_pid >= 32768)
			last_pid = 1;
		if (!task_find(last_pid))
			return last_pid;
	}
}

static void free_task(struct task *t)
{
	if (t->kstack) {
		vfree_stack(t->kstack, KSTACK_SIZE);
		kstack_kb -= KSTACK_SIZE >> 10;
	}
	list_del(&t->all_link);
	nr_tasks--;
	kfree(t);
}

void reap_orphans(void)
{
	struct task *t, *n;

	list_for_each_entry_safe(t, n, &reap_list, run_link) {
		if (t == current)
			continue; /* still on its stack: the next schedule() frees it */
		list_del(&t->run_link);
		free_task(t);
	}
}

/* Release the address space and files (the task keeps running on its kernel stack). */
static void release_user(struct task *t)
{
	struct mm_struct *mm = t->mm;

	for (unsigned i = 0; i < TASK_MAX_FILES; i++) {
		if (t->files[i]) {
			address_space_put(t->files[i]);
			t->files[i] = NULL;
		}
		if (t->proc_files[i]) {
			proc_file_close(t->proc_files[i]);
			t->proc_files[i] = NULL;
		}
	}
	if (!mm)
		return;
	if (t == current)
		arch_switch_user_tables(0, 0);
	t->mm = NULL;
	asid_put(&mm->asid);
	if (t == current)
		exit_mm_teardown(mm); /* in batches, other tasks running between them */
	else
		mm_destroy(mm);
}

/* A fully made task joins the task list with a pid and becomes runnable. */
static void task_start(struct task *t)
{
	unsigned long flags;

	t->start_ns = timer_now_ns();
	t->killed.fault_kind = -1;
	flags = arch_irq_save();
	t->pid = alloc_pid();
	t->state = TASK_SLEEPING; /* so that task_wake queues it */
	list_add_tail(&t->all_link, &all_tasks);
	nr_tasks++;
	task_wake(t);
	arch_irq_restore(flags);
}

int task_spawn(const char *name, const char *arg, struct task *parent)
{
	return task_spawn_attr(name, arg, parent, NULL);
}

int task_spawn_attr(const char *name, const char *arg, struct task *parent, const struct spawn_attr *attr)
{
	struct address_space *as;
	struct task *t;
	u64 entry, sp;
	int err = 0;

	if (attr && (!(app_class_valid(attr->app_class) || attr->app_class == APP_CLASS_INHERIT) ||
		     (attr->mem_limit_kb && attr->mem_limit_kb < PAGE_SIZE / 1024)))
		return -EINVAL;
	if (nr_tasks >= CONFIG_MAX_TASKS)
		return -EAGAIN;
	as = appimg_open(name, &err);
	if (!as)
		return err ? err : -ENOENT;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t) {
		address_space_put(as);
		return -ENOMEM;
	}
	snprintf(t->name, sizeof(t->name), "%s", name);
	snprintf(t->arg, sizeof(t->arg), "%s", arg ? arg : "");
	t->parent = parent ? parent : &task0;
	app_class_init_task(t, attr ? attr->app_class : APP_CLASS_INHERIT); /* sets oom_score_adj */
	t->kstack = vmalloc_stack(KSTACK_SIZE);
	t->mm = t->kstack ? mm_create() : NULL;
	if (!t->mm) {
		err = -ENOMEM;
		goto fail;
	}
	t->mm->owner = t;
	/* its budget: the attributes', or its class's (board.cfg) */
	t->budget_from_class = !(attr && attr->mem_limit_kb);
	BUG_ON(mm_budget_set(t->mm, t->budget_from_class ? app_class_budget_kb(t->app_class) : attr->mem_limit_kb));
	err = load_elf(t->mm, as, &entry);
	if (!err)
		err = setup_user_stack(t->mm, t->name, t->arg, &sp);
	if (err)
		goto fail;
	address_space_put(as); /* the VMAs hold their own references */
	kstack_kb += KSTACK_SIZE >> 10;
	arch_user_frame_init(user_frame_at((char *)t->kstack + KSTACK_SIZE), entry, sp, 0);
	arch_context_init_user(&t->ctx, (char *)t->kstack + KSTACK_SIZE);
	task_start(t);
	return t->pid;
fail:
	if (t->mm)
		mm_destroy(t->mm);
	if (t->kstack)
		vfree_stack(t->kstack, KSTACK_SIZE);
	address_space_put(as);
	kfree(t);
	return err;
}

struct task *task_create_kernel(const char *name, void (*entry)(void *), void *arg)
{
	struct task *t;

	if (nr_tasks >= CONFIG_MAX_TASKS)
		return NULL;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	t->kstack = vmalloc_stack(KSTACK_SIZE);
	if (!t->kstack) {
		kfree(t);
		return NULL;
	}
	kstack_kb += KSTACK_SIZE >> 10;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->parent = current;
	arch_context_init(&t->ctx, (char *)t->kstack + KSTACK_SIZE, entry, arg);
	task_start(t);
	return t;
}

void __noreturn task_exit(int status)
{
	struct task *t = current, *c, *n;

	if (t == &task0)
		panic("task 0 (the kernel) cannot exit");
	release_user(t);
	arch_irq_save();
	t->exit_status = status;
	list_for_each_entry_safe(c, n, &all_tasks, all_link) {
		if (c->parent != t)
			continue;
		if (c->state == TASK_ZOMBIE)
			free_task(c); /* no one can wait for it any more */
		else
			c->parent = NULL; /* an orphan: reaped when it exits */
	}
	t->state = TASK_ZOMBIE;
	if (!t->parent)
		list_add_tail(&t->run_link, &reap_list);
	else if (t->parent->state == TASK_WAITING &&
		 (t->parent->wait_for == -1 || t->parent->wait_for == t->pid))
		task_wake(t->parent);
	schedule();
	panic("zombie task %d ran again", t->pid);
}

int task_kill(int pid, int sig)
{
	struct task *t = task_find(pid);
	unsigned long flags;

	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (!t->mm)
		return -EPERM;
	flags = arch_irq_save();
	if (!t->kill_sig)
		t->kill_sig = sig;
	task_wake(t);
	arch_irq_restore(flags);
	return 0;
}

static struct task *find_child(struct task *parent, int pid, bool *any)
{
	struct task *t;

	*any = false;
	list_for_each_entry(t, &all_tasks, all_link) {
		if (t->parent != parent || t == parent || (pid != -1 && t->pid != pid))
			continue;
		*any = true;
		if (t->state == TASK_ZOMBIE)
			return t;
	}
	return NULL;
}

int task_wait(int pid, int *status, bool nohang)
{
	unsigned long flags = arch_irq_save();
	struct task *z;
	bool any;
	int ret;

	for (;;) {
		z = find_child(current, pid, &any);
		if (z || !any || nohang)
			break;
		if (current->kill_sig) {
			arch_irq_restore(flags);
			return -EINTR;
		}
		current->wait_for = pid;
		current->state = TASK_WAITING;
		schedule();
	}
	if (!z) {
		arch_irq_restore(flags);
		return any ? 0 : -ECHILD;
	}
	ret = z->pid;
	if (status)
		*status = z->exit_status;
	free_task(z);
	arch_irq_restore(flags);
	return ret;
}
