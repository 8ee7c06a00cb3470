/* Waiting for EL0 apps from the kernel side (contracts in app_wait.h). */
#include <arch/timer.h>
#include <kernel/task.h>
#include <mm/uaccess.h>

#include "app_wait.h"

bool app_wait_sleeping(int pid)
{
	for (u64 end = timer_now_ns() + APP_DEADLINE_NS; timer_now_ns() < end; task_yield()) {
		struct task *t = task_find(pid);

		if (!t || t->state == TASK_ZOMBIE)
			return false;
		if (t->state == TASK_SLEEPING)
			return true;
	}
	return false;
}

int app_wait_exit(int pid, int *status)
{
	for (u64 end = timer_now_ns() + APP_DEADLINE_NS;; task_sleep_ns(1000000)) {
		int r = task_wait(pid, status, true);

		if (r || timer_now_ns() >= end)
			return r;
	}
}

bool app_set_flag(int pid, u64 va, u64 v)
{
	struct task *t = task_find(pid);

	return t && t->mm && !copy_to_user(t->mm, va, &v, sizeof(v));
}
