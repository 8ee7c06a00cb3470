/* Waiting for EL0 apps from the kernel side (contracts in app_wait.h). */
#include <arch/timer.h>
#include <kernel/ktest.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/uaccess.h>
#include <stdio.h>
#include <stdlib.h>
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

static struct recorded_flag {
	int pid;
	u64 flag;
} flags[16];
static unsigned nflags;

void app_flag_record(int pid, const char *out, unsigned n)
{
	const char *p = out;

	for (unsigned i = 0; p && i <= n; i++)
		if ((p = strstr(p, "memverify: region=")))
			p++;
	p = p ? strstr(p, "flag=") : NULL;
	flags[nflags++ % (sizeof(flags) / sizeof(flags[0]))] =
		(struct recorded_flag){ pid, p ? strtoull(p + 5, NULL, 16) : 0 };
}

u64 app_flag_of(int pid)
{
	for (unsigned i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (flags[i].pid == pid)
			return flags[i].flag;
	return 0;
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

bool app_spawn_filled(struct ktest *t, struct app *a, const char *out, u64 pages, unsigned seed, const char *modes)
{
	unsigned before = app_output_count(out, "memverify: region=");
	const char *line = out;
	char arg[96];

	snprintf(arg, sizeof(arg), "%llu 1 %u %s", (unsigned long long)pages, seed, modes);
	a->pid = task_spawn("memverify", arg, current);
	if (!KT_EXPECT(t, a->pid > 0) ||
	    !KT_EXPECT(t, syscall_capture_wait("memverify: region=", before + 1, APP_DEADLINE_NS)) ||
	    !KT_EXPECT(t, app_wait_sleeping(a->pid)))
		return false;
	for (unsigned i = 0; i <= before; i++)
		line = strstr(line, "memverify: region=") + 1;
	return KT_EXPECT_EQ(t, sscanf(line - 1, "memverify: region=%llx pages=%llu flag=%llx",
				      (unsigned long long *)&a->region, (unsigned long long *)&a->pages,
				      (unsigned long long *)&a->flag), 3) &&
	       KT_EXPECT_EQ(t, a->pages, pages);
}

int app_release(struct ktest *t, struct app *a)
{
	int status = -1;

	if (!KT_EXPECT(t, app_set_flag(a->pid, a->flag, 1)))
		return -1;
	KT_EXPECT_EQ(t, app_wait_exit(a->pid, &status), a->pid);
	return status;
}
