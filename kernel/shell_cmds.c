/*
 * The shell's general commands: help, the file commands over the /proc
 * and /sys tree (cat, echo [> file], ls [-l]), dmesg, ktest, memtest,
 * demo, reboot, poweroff. Output formats are the GNU/Linux tools'.
 */
#include <arch/power.h>
#include <kernel/console.h>
#include <kernel/demo.h>
#include <kernel/ktest.h>
#include <kernel/procfs.h>
#include <kernel/shell.h>
#include <lib/errno.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAT_FIRST_BUF 16384
#define CAT_MAX_BUF (1 << 20)

static int cmd_help(struct shell_call *c)
{
	const struct shell_cmd *const tables[] = { shell_cmds_files, shell_cmds_mm, shell_cmds_task };

	(void)c;
	for (size_t t = 0; t < ARRAY_SIZE(tables); t++)
		for (const struct shell_cmd *cmd = tables[t]; cmd->name; cmd++) {
			char head[64];

			snprintf(head, sizeof(head), "%s %s", cmd->name, cmd->usage);
			printf("  %-36s %s\n", head, cmd->help);
		}
	printf("Keys: Left/Right Home/End (^A/^E) ^U ^K, Up/Down history, Tab completes, ^C interrupts.\n");
	return 0;
}

/* The first buffer cat generates into: static, so that the reports can be
 * read when memory is gone (the one shell runs one command at a time). */
static char cat_static[CAT_FIRST_BUF];

/* Print the file at path; 0 or 1 after the error message. */
static int cat_one(const char *path)
{
	size_t size = CAT_FIRST_BUF;
	char *buf = cat_static;

	for (;;) {
		long n = proc_read(path, buf, size);

		if (n >= 0 && (size_t)n >= size && size < CAT_MAX_BUF) {
			if (buf != cat_static)
				kvfree(buf);
			size = MIN((size_t)CAT_MAX_BUF, ALIGN_UP((size_t)n + 1, 4096));
			buf = kvmalloc(size, GFP_KERNEL); /* grew: generate it again into one that holds it */
			if (!buf) {
				printf("cat: %s: %s\n", path, shell_strerror(-ENOMEM));
				return 1;
			}
			continue;
		}
		if (n < 0)
			printf("cat: %s: %s\n", path, shell_strerror(n));
		else
			fwrite(buf, 1, MIN((size_t)n, size - 1), stdout);
		if (buf != cat_static)
			kvfree(buf);
		return n < 0;
	}
}

static int cmd_cat(struct shell_call *c)
{
	int rc = 0;

	if (c->argc < 2)
		return shell_usage(c);
	for (int i = 1; i < c->argc && !shell_interrupted(); i++)
		rc |= cat_one(c->argv[i]);
	return rc;
}

static int cmd_echo(struct shell_call *c)
{
	char text[LE_LINE_MAX + 2]; /* the words of one line, joined by one blank, fit */
	size_t n = 0;
	long rc;

	text[0] = 0;
	for (int i = 1; i < c->argc && n < sizeof(text); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", i > 1 ? " " : "", c->argv[i]);
	if (n + 2 > sizeof(text)) {
		printf("echo: line too long\n");
		return 1;
	}
	text[n++] = '\n';
	text[n] = 0;
	if (!c->redirect) {
		fputs(text, stdout);
		return 0;
	}
	rc = proc_write(c->redirect, text, n);
	if (rc == -ENOENT || rc == -EISDIR || rc == -ENOTDIR || rc == -EACCES || rc == -ENAMETOOLONG) {
		printf("sh: %s: %s\n", c->redirect, shell_strerror(rc)); /* bash: the open fails */
		return 1;
	}
	if (rc < 0) {
		printf("sh: echo: write error: %s\n", shell_strerror(rc));
		return 1;
	}
	return 0;
}

struct ls_state {
	const char *dir;
	bool long_fmt;
	unsigned col;
};

static void mode_string(char *s, bool is_dir, unsigned mode)
{
	s[0] = is_dir ? 'd' : '-';
	for (int i = 0; i < 3; i++) {
		unsigned bits = mode >> (6 - 3 * i);

		s[1 + 3 * i] = bits & 4 ? 'r' : '-';
		s[2 + 3 * i] = bits & 2 ? 'w' : '-';
		s[3 + 3 * i] = is_dir && (bits & 4) ? 'x' : '-';
	}
	s[10] = 0;
}

static void ls_entry(void *arg, const char *name, bool is_dir)
{
	struct ls_state *st = arg;
	char path[PROC_PATH_MAX], mode_s[11];
	unsigned mode = 0;
	bool dir = is_dir;

	if (!st->long_fmt) {
		size_t w = strlen(name) + 2;

		if (st->col && st->col + w > 80) {
			printf("\n");
			st->col = 0;
		}
		printf("%s  ", name);
		st->col += (unsigned)w;
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", st->dir, name);
	if (proc_stat(path, &dir, &mode))
		mode = 0;
	mode_string(mode_s, dir, mode);
	printf("%s %2u root root 0 %s\n", mode_s, dir ? 2u : 1u, name);
}

static int cmd_ls(struct shell_call *c)
{
	struct ls_state st = { .dir = "/" };
	int rc = 0, n = 0;
	bool is_dir;
	unsigned mode;

	for (int i = 1; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "-l"))
			st.long_fmt = true;
		else if (c->argv[i][0] == '-')
			return shell_usage(c);
		else
			n++;
	}
	for (int i = 1; i < c->argc || (!n && i == 1); i++) {
		const char *path = i < c->argc ? c->argv[i] : "/";
		long err;

		if (path[0] == '-' && i < c->argc)
			continue;
		st.dir = path;
		st.col = 0;
		err = proc_stat(path, &is_dir, &mode);
		if (!err && !is_dir) {
			ls_entry(&st, path, false);
		} else {
			if (n > 1)
				printf("%s:\n", path);
			err = err ? err : proc_readdir(path, ls_entry, &st);
		}
		if (err) {
			printf("ls: cannot access '%s': %s\n", path, shell_strerror(err));
			rc = 2;
		} else if (st.col) {
			printf("\n");
		}
	}
	return rc;
}

static int cmd_dmesg(struct shell_call *c)
{
	(void)c;
	show_dmesg(stdout);
	return 0;
}

extern const struct ktest_suite __ktest_start[], __ktest_end[]; /* the linker script's .ktest section */

static bool suite_exists(const char *name)
{
	for (const struct ktest_suite *s = __ktest_start; s < __ktest_end; s++)
		if (!strcmp(s->name, name))
			return true;
	return false;
}

static int cmd_ktest(struct shell_call *c)
{
	int failed = 0;

	for (int i = 1; i < c->argc; i++)
		if (!suite_exists(c->argv[i])) {
			printf("ktest: no suite '%s'; the suites:", c->argv[i]);
			for (const struct ktest_suite *s = __ktest_start; s < __ktest_end; s++)
				printf(" %s", s->name);
			printf("\n");
			return 1;
		}

	if (c->argc == 1)
		failed = ktest_run_all(NULL);
	for (int i = 1; i < c->argc && !shell_interrupted(); i++)
		failed += ktest_run_all(c->argv[i]);
	printf("ktest: %s\n", failed ? "FAILED" : "all passed");
	return failed != 0;
}

/* "4M", "512K", "1G", "4096": bytes, or 0 if s is not a size. */
static u64 parse_size(const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 10);
	unsigned shift = 0;

	if (end == s)
		return 0;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	}
	if (*end || n > (~0ULL >> 30))
		return 0;
	return (u64)n << shift;
}

static int cmd_memtest(struct shell_call *c)
{
	u64 size;
	int rc;

	if (c->argc != 2 || !(size = parse_size(c->argv[1])))
		return shell_usage(c);
	rc = memtest_run(stdout, size);
	if (rc < 0)
		printf("memtest: %s\n", shell_strerror(rc));
	return rc != 0;
}

static int cmd_demo(struct shell_call *c)
{
	const char *what = c->argc > 1 ? c->argv[1] : "all";

	if (c->argc > 2)
		return shell_usage(c);
	if (!strcmp(what, "all"))
		demo_run();
	else if (!strcmp(what, "apps"))
		apps_demo();
	else if (!strcmp(what, "swap"))
		swap_demo();
	else if (!strcmp(what, "oom"))
		oom_demo();
	else if (!strcmp(what, "cma"))
		cma_demo();
	else if (!strcmp(what, "compact"))
		compact_demo();
	else
		return shell_usage(c);
	return 0;
}

static int cmd_poweroff(struct shell_call *c)
{
	(void)c;
	printf("Powering off (PSCI SYSTEM_OFF)\n");
	machine_power_off(0);
}

static int cmd_reboot(struct shell_call *c)
{
	(void)c;
	printf("Restarting system (PSCI SYSTEM_RESET)\n");
	machine_restart();
}

const struct shell_cmd shell_cmds_files[] = {
	{ "help", "", "this list", cmd_help, 0 },
	{ "cat", "FILE...", "print /proc and /sys files", cmd_cat, 0 },
	{ "echo", "[WORD...] [> FILE]", "print the words, or write them to a knob", cmd_echo, SHELL_REDIRECT },
	{ "ls", "[-l] [DIR...]", "list a /proc or /sys directory", cmd_ls, 0 },
	{ "dmesg", "", "the boot log and the console output since", cmd_dmesg, 0 },
	{ "ktest", "[SUITE...]", "run on-target self-tests (KTAP)", cmd_ktest, 0 },
	{ "memtest", "SIZE", "test SIZE (4M, 512K) of free memory", cmd_memtest, 0 },
	{ "demo", "[apps|swap|oom|cma|compact]", "the memory demo (all of it without a name)", cmd_demo, 0 },
	{ "reboot", "", "restart the machine", cmd_reboot, 0 },
	{ "poweroff", "", "power off (ends QEMU)", cmd_poweroff, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
