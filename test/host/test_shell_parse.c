/*
 * The shell's pure parts (kernel/shell_parse.c): command lines split into
 * words with "> file" and "&" and their syntax errors, and Tab completion
 * of command names and /proc paths driven through the real line editor
 * (lib/lineedit.c) against a procfs double (test/host/procfs_double.c).
 */
#include <kernel/shell.h>
#include <lib/lineedit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static int nop(struct shell_call *c) { (void)c; return 0; }

static const struct shell_cmd cmds_a[] = {
	{ "cat", "", "", nop, 0 }, { "echo", "", "", nop, SHELL_REDIRECT }, { "free", "", "", nop, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
static const struct shell_cmd cmds_b[] = {
	{ "kill", "", "", nop, 0 }, { "ktest", "", "", nop, 0 }, { "ls", "", "", nop, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
static const struct shell_cmd *const tables[] = { cmds_a, cmds_b };

static char line[LE_LINE_MAX], err[128];
static char *argv[SHELL_ARGS_MAX + 1];
static struct shell_call c;

static int split(const char *s)
{
	snprintf(line, sizeof(line), "%s", s);
	memset(&c, 0, sizeof(c));
	c.argv = argv;
	err[0] = 0;
	return shell_split(line, &c, err, sizeof(err));
}

static void test_words(void **state)
{
	(void)state;
	assert_int_equal(split("  vmstat \t1   3 "), 0);
	assert_int_equal(c.argc, 3);
	assert_string_equal(argv[0], "vmstat");
	assert_string_equal(argv[2], "3");
	assert_null(argv[3]);
	assert_null(c.redirect);
	assert_false(c.background);
	assert_int_equal(split("   "), 0);
	assert_int_equal(c.argc, 0);
}

static void test_redirect_and_background(void **state)
{
	(void)state;
	assert_int_equal(split("echo 60 > /proc/sys/vm/swappiness"), 0);
	assert_int_equal(c.argc, 2);
	assert_string_equal(c.redirect, "/proc/sys/vm/swappiness");
	assert_int_equal(split("echo 1 >/proc/sys/vm/drop_caches"), 0);
	assert_string_equal(c.redirect, "/proc/sys/vm/drop_caches");
	assert_int_equal(split("run demo x &"), 0);
	assert_true(c.background);
	assert_int_equal(c.argc, 3);
}

static void test_syntax_errors(void **state)
{
	char many[LE_LINE_MAX] = "echo";

	(void)state;
	assert_int_equal(split("echo 1 >"), -1);
	assert_string_equal(err, "syntax error: '>' needs a file");
	assert_int_equal(split("echo 1 > a b"), -1);
	assert_string_equal(err, "syntax error near 'b': '> file' and '&' end the line");
	assert_int_equal(split("run demo & x"), -1);
	assert_int_equal(split("&"), -1);
	assert_string_equal(err, "syntax error: no command");
	assert_int_equal(split("> /proc/x"), -1);
	for (int i = 0; i < SHELL_ARGS_MAX; i++)
		strcat(many, " w");
	assert_int_equal(split(many), -1);
	assert_string_equal(err, "too many words (at most 16)");
}

/* completion through the line editor, as the shell wires it */
static char shown[4096];
static size_t nshown;

static void out(void *arg, const char *s, size_t n)
{
	(void)arg;
	assert_true(nshown + n < sizeof(shown));
	memcpy(shown + nshown, s, n);
	nshown += n;
	shown[nshown] = 0;
}

static void complete(void *arg, const char *l, size_t start, size_t len, struct le_matches *m)
{
	(void)arg;
	shell_complete(tables, 2, l, start, len, m);
}

static struct lineedit le;

static const char *type(const char *keys)
{
	le_init(&le, out, complete, NULL);
	nshown = 0;
	le_start(&le, "# ");
	for (; *keys; keys++)
		assert_int_equal(le_feed(&le, *keys), LE_MORE);
	return le.buf;
}

static void test_complete_commands(void **state)
{
	(void)state;
	assert_string_equal(type("fr\t"), "free ");
	assert_string_equal(type("  e\t"), "  echo "); /* the first word after blanks */
	assert_string_equal(type("k\t"), "k");       /* kill, ktest: listed */
	assert_non_null(strstr(shown, "\r\nkill  ktest\r\n# k"));
	assert_string_equal(type("x\t"), "x");
	assert_string_equal(type("cat fr\t"), "cat fr"); /* not the first word, not a path */
}

static void test_complete_paths(void **state)
{
	(void)state;
	assert_string_equal(type("cat /proc/me\t"), "cat /proc/meminfo ");
	assert_string_equal(type("cat /p\t"), "cat /proc/");
	assert_string_equal(type("echo 1 > /proc/sys/vm/sw\t"), "echo 1 > /proc/sys/vm/swappiness ");
	assert_string_equal(type("ls /proc/sys/\t"), "ls /proc/sys/vm/");
	assert_string_equal(type("cat /proc/s\t"), "cat /proc/s"); /* self/ swaps sys/ */
	assert_non_null(strstr(shown, "/proc/self/  /proc/swaps  /proc/sys/\r\n"));
	assert_string_equal(type("cat /proc/sw\t"), "cat /proc/swaps ");
	assert_string_equal(type("cat /nope/x\t"), "cat /nope/x"); /* -ENOENT: nothing */
	assert_string_equal(type("cat //proc//vm\t"), "cat //proc//vmstat ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_redirect_and_background),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_complete_commands),
		cmocka_unit_test(test_complete_paths),
	};

	return cmocka_run_group_tests_name("shell_parse", tests, NULL, NULL);
}
