/*
 * The console shell: the boot task's last job. After boot_main has brought
 * the board up it calls shell_main(), which never returns (poweroff and
 * reboot end the machine). The boot task, task 0, rather than a kernel
 * thread of its own, because the demos, the KTAP runner and `run` start
 * apps as children of the caller and reap them: as task 0 the shell is
 * every app's parent, exactly as boot_main was, and task 0 cannot be
 * killed.
 *
 *   console_getc (sleeps on the UART's wait queue)
 *     -> le_feed (lib/lineedit: echo, history, Tab -> complete())
 *     -> shell_exec: split, "> file", "&", look up, run with ^C armed
 *
 * Locking: the shell's state is the boot task's own.
 */
#include <kernel/console.h>
#include <kernel/shell.h>
#include <kernel/task.h>
#include <lib/errno.h>
#include <lib/lineedit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct shell_cmd *const tables[] = { shell_cmds_files, shell_cmds_mm, shell_cmds_task };
static struct lineedit le;

static const struct shell_cmd *find_cmd(const char *name)
{
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
		for (const struct shell_cmd *c = tables[t]; c->name; c++)
			if (!strcmp(c->name, name))
				return c;
	return NULL;
}

bool shell_interrupted(void) { return console_interrupted(); }

bool shell_sleep_ns(u64 ns)
{
	const u64 step = 20 * 1000 * 1000; /* ^C is seen within 20 ms */

	while (ns && !shell_interrupted()) {
		u64 n = MIN(ns, step);

		task_sleep_ns(n);
		ns -= n;
	}
	return !shell_interrupted();
}

int shell_usage(const struct shell_call *c)
{
	const struct shell_cmd *cmd = find_cmd(c->argv[0]);

	printf("usage: %s %s\n", c->argv[0], cmd ? cmd->usage : "");
	return 1;
}

bool shell_parse_int(const char *s, int *v)
{
	char *end;
	long n;

	if (!*s)
		return false;
	n = strtol(s, &end, 10);
	if (*end || n < -2147483647L - 1 || n > 2147483647L)
		return false;
	*v = (int)n;
	return true;
}

const char *shell_strerror(long err)
{
	switch (-err) {
	case ENOENT: return "No such file or directory";
	case EISDIR: return "Is a directory";
	case ENOTDIR: return "Not a directory";
	case EACCES: return "Permission denied";
	case EINVAL: return "Invalid argument";
	case ESRCH: return "No such process";
	case ENOMEM: return "Cannot allocate memory";
	case ENAMETOOLONG: return "File name too long";
	case EPERM: return "Operation not permitted";
	case EBUSY: return "Device or resource busy";
	case EAGAIN: return "Resource temporarily unavailable";
	case ENOEXEC: return "Exec format error";
	case EIO: return "Input/output error";
	case ENOSYS: return "Function not implemented";
	default: return "Unknown error";
	}
}

void shell_reap_jobs(void)
{
	int pid, status;

	while ((pid = task_wait(-1, &status, true)) > 0) {
		if (status & 0x7f)
			printf("[%d] Killed (signal %d)\n", pid, status & 0x7f);
		else
			printf("[%d] Done (exit %d)\n", pid, (status >> 8) & 0xff);
	}
}

int shell_exec(const char *line)
{
	static char copy[LE_LINE_MAX];
	char *argv[SHELL_ARGS_MAX + 1], err[96];
	struct shell_call c = { .argv = argv };
	const struct shell_cmd *cmd;
	int rc;

	strncpy(copy, line, sizeof(copy) - 1);
	copy[sizeof(copy) - 1] = 0;
	if (shell_split(copy, &c, err, sizeof(err))) {
		printf("sh: %s\n", err);
		return 1;
	}
	if (!c.argc)
		return 0;
	cmd = find_cmd(argv[0]);
	if (!cmd) {
		printf("sh: %s: command not found (help lists them)\n", argv[0]);
		return 127;
	}
	if (c.redirect && !(cmd->flags & SHELL_REDIRECT)) {
		printf("sh: %s: '> file' works with echo only\n", argv[0]);
		return 1;
	}
	if (c.background && !(cmd->flags & SHELL_BACKGROUND)) {
		printf("sh: %s: '&' works with run only\n", argv[0]);
		return 1;
	}
	console_set_busy(true);
	rc = cmd->fn(&c);
	if (shell_interrupted())
		printf("^C\n");
	console_set_busy(false);
	return rc;
}

static void complete(void *arg, const char *line, size_t start, size_t len, struct le_matches *m)
{
	(void)arg;
	shell_complete(tables, ARRAY_SIZE(tables), line, start, len, m);
}

/* ---- the loop ------------------------------------------------------------ */

static void echo_out(void *arg, const char *s, size_t n)
{
	(void)arg;
	console_echo(s, n);
}

void shell_main(void)
{
	printf("Pagoda shell on the console: `help` lists the commands, `poweroff` ends QEMU.\n");
	le_init(&le, echo_out, complete, NULL);
	for (;;) {
		enum le_result r;

		shell_reap_jobs();
		le_start(&le, SHELL_PROMPT);
		do
			r = le_feed(&le, (char)console_getc());
		while (r == LE_MORE);
		if (r == LE_DONE)
			shell_exec(le.buf);
	}
}
