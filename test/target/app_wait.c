/* Waiting for EL0 apps from the kernel side (contracts in app_wait.h). */
#include <arch/timer.h>
#include <kernel/ktest.h>
#include <kernel/task.h>
#include <mm/uaccess.h>
#include <string.h>
#include <uapi/pagoda/syscall.h>

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

unsigned app_output_count(const char *buf, const char *needle)
{
	unsigned n = 0;

	for (const char *p = buf; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

void app_expect_killed(struct ktest *t, int pid)
{
	int status = -1;

	KT_EXPECT_EQ(t, app_wait_exit(pid, &status), pid);
	KT_EXPECT_EQ(t, status, W_EXITCODE(0, SIGKILL));
}
