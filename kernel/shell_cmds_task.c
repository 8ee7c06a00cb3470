/*
 * The shell's task commands: run (spawn an app from the app image with
 * spawn attributes; in the foreground the shell waits, ^C kills the app,
 * and the exit status is printed; with "&" it is reaped at a later
 * prompt) and kill.
 */
#include <kernel/app_class.h>
#include <kernel/console.h>
#include <kernel/oom.h>
#include <kernel/shell.h>
#include <kernel/task.h>
#include <lib/errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/pagoda/spawn.h>
#include <uapi/pagoda/syscall.h>

#define SIGTERM 15

static int parse_class(const char *s)
{
	for (int i = 0; i < NR_APP_CLASSES; i++)
		if (!strcmp(app_class_name(i), s))
			return i;
	return -1;
}

/* "64M", "512K", "4096" (kB) -> kB; 0 if s is not a size */
static u64 parse_kb(const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 10);

	if (end == s)
		return 0;
	if (*end == 'M' || *end == 'm')
		n <<= 10, end++;
	else if (*end == 'G' || *end == 'g')
		n <<= 20, end++;
	else if (*end == 'K' || *end == 'k')
		end++;
	return *end ? 0 : n;
}

static void print_status(const char *name, int pid, int status)
{
	if (status & 0x7f)
		printf("run: %s (pid %d) killed by signal %d\n", name, pid, status & 0x7f);
	else
		printf("run: %s (pid %d) exited with status %d\n", name, pid, (status >> 8) & 0xff);
}

static int cmd_run(struct shell_call *c)
{
	struct spawn_attr attr = { .size = sizeof(attr), .app_class = APP_CLASS_INHERIT };
	char arg[TASK_ARG_MAX] = "";
	const char *app = NULL;
	int adj = 0, pid, status;
	bool set_adj = false;
	size_t n = 0;

	for (int i = 1; i < c->argc; i++) {
		const char *a = c->argv[i], *v = i + 1 < c->argc ? c->argv[i + 1] : NULL;

		if (!strcmp(a, "--class")) {
			if (!v || (attr.app_class = parse_class(v)) < 0) {
				printf("run: --class: '%s' is not a class (native system foreground visible perceptible service cached)\n",
				       v ? v : "");
				return 1;
			}
			i++;
		} else if (!strcmp(a, "--adj")) {
			if (!v || !shell_parse_int(v, &adj) || adj < -1000 || adj > 1000) {
				printf("run: --adj: '%s' is not in -1000..1000\n", v ? v : "");
				return 1;
			}
			set_adj = true;
			i++;
		} else if (!strcmp(a, "--limit")) {
			if (!v || (attr.mem_limit_kb = parse_kb(v)) < 4) {
				printf("run: --limit: '%s' is not a size of at least 4K (e.g. 512K, 16M)\n", v ? v : "");
				return 1;
			}
			i++;
		} else if (!app) {
			app = a;
		} else {
			int w = snprintf(arg + n, sizeof(arg) - n, "%s%s", n ? " " : "", a);

			if (w < 0 || (size_t)w >= sizeof(arg) - n) {
				printf("run: arguments longer than %d bytes\n", TASK_ARG_MAX - 1);
				return 1;
			}
			n += (size_t)w;
		}
	}
	if (!app)
		return shell_usage(c);
	pid = task_spawn_attr(app, arg, current, &attr);
	if (pid < 0) {
		printf("run: %s: %s\n", app, shell_strerror(pid));
		return 1;
	}
	if (set_adj && oom_score_adj_set(pid, adj))
		printf("run: %s: cannot set oom_score_adj %d\n", app, adj);
	if (c->background) {
		printf("[%d] %s\n", pid, app);
		return 0;
	}
	console_set_foreground(pid); /* ^C kills it */
	if (task_wait(pid, &status, false) != pid) {
		printf("run: %s (pid %d): lost\n", app, pid);
		return 1;
	}
	print_status(app, pid, status);
	return (status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff;
}

static int cmd_kill(struct shell_call *c)
{
	int sig = SIGTERM, pid, rc, i = 1;

	if (c->argc == 3 && c->argv[1][0] == '-') {
		if (!shell_parse_int(c->argv[1] + 1, &sig) || sig < 1 || sig > 31)
			return shell_usage(c);
		i = 2;
	}
	if (c->argc != i + 1 || !shell_parse_int(c->argv[i], &pid))
		return shell_usage(c);
	rc = task_kill(pid, sig);
	if (rc)
		printf("sh: kill: (%d) - %s\n", pid, rc == -EPERM ? "Operation not permitted" : "No such process");
	return rc != 0;
}

const struct shell_cmd shell_cmds_task[] = {
	{ "run", "APP [ARG...] [--class C] [--adj N] [--limit SIZE] [&]", "start an app (waits unless &)", cmd_run, SHELL_BACKGROUND },
	{ "kill", "[-9|-N] PID", "end an app (SIGTERM, or signal N)", cmd_kill, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
