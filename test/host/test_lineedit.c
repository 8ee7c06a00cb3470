/*
 * The line editor (lib/lineedit.c) fed byte streams as a terminal sends
 * them. Every test checks the resulting line and what the terminal shows:
 * a small VT100 model (one row: printable bytes, CR, LF, BS, BEL,
 * ESC [ n C/D) renders the echoed bytes, and the row must read
 * prompt + line with the cursor where the editor says. A few tests also
 * check the exact bytes (the escape sequences sent).
 */
#include <lib/lineedit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define PROMPT "pagoda:/# "

static char echoed[65536];
static size_t nechoed;

/* the terminal model */
static char screen[64][512]; /* rows */
static unsigned row, col, bells;

static void term_reset(void)
{
	memset(screen, ' ', sizeof(screen));
	row = col = bells = 0;
	nechoed = 0;
}

static void term_feed(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\r') {
			col = 0;
		} else if (c == '\n') {
			assert_true(++row < 64);
		} else if (c == '\a') {
			bells++;
		} else if (c == '\b') {
			assert_true(col > 0);
			col--;
		} else if (c == '\x1b') {
			unsigned num = 0;

			assert_true(i + 2 < n && s[i + 1] == '[');
			for (i += 2; s[i] >= '0' && s[i] <= '9'; i++)
				num = num * 10 + (unsigned)(s[i] - '0');
			assert_true(num >= 1);
			if (s[i] == 'D') {
				assert_true(num <= col); /* never left of the row */
				col -= num;
			} else {
				assert_int_equal(s[i], 'C');
				col += num;
			}
		} else {
			assert_true(c >= 0x20 && c < 0x7f);
			assert_true(col < 511);
			screen[row][col++] = c;
		}
	}
}

static void out(void *arg, const char *s, size_t n)
{
	(void)arg;
	assert_true(nechoed + n < sizeof(echoed));
	memcpy(echoed + nechoed, s, n);
	nechoed += n;
	term_feed(s, n);
}

/* The row as shown, trailing blanks dropped. */
static const char *row_text(unsigned r)
{
	static char text[513];
	size_t n = 512;

	memcpy(text, screen[r], 512);
	while (n && text[n - 1] == ' ')
		n--;
	text[n] = 0;
	return text;
}

/* The terminal shows prompt + the line on the current row, cursor at pos. */
static void assert_shown(const struct lineedit *le)
{
	char want[600];

	size_t n = (size_t)snprintf(want, sizeof(want), "%s%s", PROMPT, le->buf);

	assert_memory_equal(screen[row], want, n); /* the line, blanks included */
	for (size_t i = n; i < 512; i++)
		assert_int_equal(screen[row][i], ' ');
	assert_int_equal(col, strlen(PROMPT) + le->pos);
}

static const char *const commands[] = { "cat", "clear", "dmesg", "echo", "free", "help", "kill", "ktest", NULL };
static const char *const files[] = { "meminfo", "vmstat", "sys", "swaps", "self", NULL };
static const bool file_is_dir[] = { false, false, true, false, true };

static void complete(void *arg, const char *line, size_t start, size_t len, struct le_matches *m)
{
	(void)arg;
	if (start == 0) {
		for (unsigned i = 0; commands[i]; i++)
			if (!strncmp(commands[i], line, len))
				le_match_add(m, commands[i], strlen(commands[i]), false);
		return;
	}
	/* "/proc/<name>" */
	if (len < 6 || strncmp(line + start, "/proc/", 6))
		return;
	for (unsigned i = 0; files[i]; i++) {
		char word[64];

		snprintf(word, sizeof(word), "/proc/%s", files[i]);
		if (!strncmp(word, line + start, len))
			le_match_add(m, word, strlen(word), file_is_dir[i]);
	}
}

static struct lineedit le;

static int setup(void **state)
{
	(void)state;
	term_reset();
	le_init(&le, out, complete, NULL);
	le_start(&le, PROMPT);
	return 0;
}

/* Feed s (without its NUL); every byte but the last must give LE_MORE. */
static enum le_result feed(const char *s)
{
	enum le_result r = LE_MORE;

	for (size_t n = strlen(s), i = 0; i < n; i++) {
		assert_int_equal(r, LE_MORE);
		r = le_feed(&le, s[i]);
		if (r == LE_MORE)
			assert_shown(&le);
	}
	return r;
}

static void test_typing_and_enter(void **state)
{
	(void)state;
	assert_int_equal(feed("free -h\r"), LE_DONE);
	assert_string_equal(le.buf, "free -h");
	assert_string_equal(row_text(0), PROMPT "free -h");
	assert_int_equal(row, 1);
	assert_int_equal(col, 0);
	/* the exact bytes: the prompt, the echo, CR LF */
	assert_int_equal(nechoed, strlen(PROMPT "free -h\r\n"));
	assert_memory_equal(echoed, PROMPT "free -h\r\n", nechoed);
}

static void test_crlf_is_one_enter(void **state)
{
	(void)state;
	assert_int_equal(feed("ps\r"), LE_DONE);
	le_start(&le, PROMPT);
	assert_int_equal(le_feed(&le, '\n'), LE_MORE); /* the LF of CRLF */
	assert_int_equal(feed("ls\n"), LE_DONE);
	assert_string_equal(le.buf, "ls");
	le_start(&le, PROMPT);
	assert_int_equal(feed("\n"), LE_DONE); /* a lone LF after a LF is Enter */
	assert_string_equal(le.buf, "");
}

static void test_backspace_and_cursor(void **state)
{
	(void)state;
	/* type, go left twice, insert, delete left, Delete key, Home, End */
	assert_int_equal(feed("cat /proc/meminfx\x7f" "o"), LE_MORE);
	assert_string_equal(le.buf, "cat /proc/meminfo");
	feed("\x1b[D\x1b[D" "X");
	assert_string_equal(le.buf, "cat /proc/meminXfo");
	assert_int_equal(le.pos, 16);
	feed("\x08");
	assert_string_equal(le.buf, "cat /proc/meminfo");
	assert_int_equal(le.pos, 15);
	feed("\x1b[3~");
	assert_string_equal(le.buf, "cat /proc/memino");
	feed("\x01" "x");
	assert_string_equal(le.buf, "xcat /proc/memino");
	assert_int_equal(le.pos, 1);
	feed("\x05" "!");
	assert_string_equal(le.buf, "xcat /proc/memino!");
	feed("\x1b[H\x1b[3~\x1b[F\x7f");
	assert_string_equal(le.buf, "cat /proc/memino");
	feed("\x1bOH\x1b[C\x1b[C\x1b[C\x1b[4~");
	assert_int_equal(le.pos, le.len);
	/* left at the start and right at the end do nothing */
	feed("\x01\x1b[D\x1b[D\x05\x1b[C");
	assert_int_equal(le.pos, le.len);
	assert_int_equal(feed("\r"), LE_DONE);
	assert_string_equal(le.buf, "cat /proc/memino");
}

static void test_kill_to_start_and_end(void **state)
{
	(void)state;
	feed("echo 60 > /proc/sys/vm/swappiness");
	feed("\x1b[D\x1b[D\x1b[D\x0b"); /* ^K */
	assert_string_equal(le.buf, "echo 60 > /proc/sys/vm/swappin");
	feed("\x01\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x15"); /* ^U after "echo " */
	assert_string_equal(le.buf, "60 > /proc/sys/vm/swappin");
	assert_int_equal(le.pos, 0);
	feed("\x05\x15");
	assert_string_equal(le.buf, "");
	/* ^U with the cursor at the start and ^K at the end change nothing */
	feed("ab\x0b\x01\x15");
	assert_string_equal(le.buf, "ab");
}

static void test_history(void **state)
{
	(void)state;
	assert_int_equal(feed("free\r"), LE_DONE);
	le_start(&le, PROMPT);
	assert_int_equal(feed("vmstat 1 3\r"), LE_DONE);
	le_start(&le, PROMPT);
	assert_int_equal(feed("vmstat 1 3\r"), LE_DONE); /* a repeat is kept once */
	le_start(&le, PROMPT);
	assert_int_equal(feed("   \r"), LE_DONE);         /* a blank line is not kept */
	assert_int_equal(le.hist_n, 2);
	le_start(&le, PROMPT);
	feed("ps");
	feed("\x1b[A");
	assert_string_equal(le.buf, "vmstat 1 3");
	feed("\x1b[A");
	assert_string_equal(le.buf, "free");
	bells = 0;
	feed("\x1b[A"); /* nothing older: a bell, the line stays */
	assert_string_equal(le.buf, "free");
	assert_int_equal(bells, 1);
	feed("\x1b[B");
	assert_string_equal(le.buf, "vmstat 1 3");
	feed("\x1b[B"); /* back to the line being typed */
	assert_string_equal(le.buf, "ps");
	feed("\x10\x10 -h"); /* ^P ^P, then edit the recalled line */
	assert_string_equal(le.buf, "free -h");
	assert_int_equal(feed("\r"), LE_DONE);
	assert_int_equal(le.hist_n, 3);
	assert_string_equal(le.hist[2], "free -h");
	assert_string_equal(le.hist[0], "free"); /* the recalled entry itself did not change */
}

static void test_history_keeps_the_last_lines(void **state)
{
	char line[32];

	(void)state;
	for (unsigned i = 0; i < LE_HISTORY + 5; i++) {
		snprintf(line, sizeof(line), "echo %u\r", i);
		if (i)
			le_start(&le, PROMPT);
		assert_int_equal(feed(line), LE_DONE);
	}
	le_start(&le, PROMPT);
	assert_int_equal(le.hist_n, LE_HISTORY);
	for (unsigned i = 0; i < LE_HISTORY; i++)
		feed("\x1b[A");
	snprintf(line, sizeof(line), "echo %u", 5);
	assert_string_equal(le.buf, line);
}

static void test_complete_command(void **state)
{
	(void)state;
	feed("fr\t");
	assert_string_equal(le.buf, "free "); /* one candidate: completed, a blank after */
	feed("\x15" "k\t");
	assert_string_equal(le.buf, "k"); /* kill, ktest: no common extension: listed */
	assert_string_equal(row_text(row - 1), "kill  ktest");
	assert_shown(&le);
	feed("t\t");
	assert_string_equal(le.buf, "ktest ");
	feed("\x15" "c\t");
	assert_string_equal(le.buf, "c"); /* cat, clear */
	feed("l\t");
	assert_string_equal(le.buf, "clear ");
	bells = 0;
	feed("\x15" "zz\t");
	assert_string_equal(le.buf, "zz");
	assert_int_equal(bells, 1);
}

static void test_complete_path(void **state)
{
	(void)state;
	feed("cat /proc/m\t");
	assert_string_equal(le.buf, "cat /proc/meminfo ");
	feed("\x15" "cat /proc/s\t");
	assert_string_equal(le.buf, "cat /proc/s"); /* sys/ swaps self/ */
	assert_string_equal(row_text(row - 1), "/proc/sys/  /proc/swaps  /proc/self/");
	feed("y\t");
	assert_string_equal(le.buf, "cat /proc/sys/"); /* a directory: no blank */
	/* in the middle of a line: the rest moves right */
	feed("\x15" "cat /proc/v > x\x1b[D\x1b[D\x1b[D\x1b[D\t");
	assert_string_equal(le.buf, "cat /proc/vmstat  > x");
	assert_int_equal(le.pos, strlen("cat /proc/vmstat "));
}

static void test_long_line(void **state)
{
	(void)state;
	bells = 0;
	for (unsigned i = 0; i < LE_LINE_MAX + 10; i++)
		assert_int_equal(le_feed(&le, (char)('a' + i % 26)), LE_MORE);
	assert_int_equal(le.len, LE_LINE_MAX - 1);
	assert_int_equal(bells, 11); /* every byte past the end rings, none is lost silently */
	assert_shown(&le);
	/* an insert in the middle of a full line is refused too */
	feed("\x01");
	assert_int_equal(le_feed(&le, 'Z'), LE_MORE);
	assert_int_equal(le.buf[0], 'a');
	assert_int_equal(le_feed(&le, '\r'), LE_DONE);
	assert_int_equal(strlen(le.buf), LE_LINE_MAX - 1);
}

static void test_ctrl_c_and_ctrl_d(void **state)
{
	(void)state;
	assert_int_equal(feed("vmstat 1\x03"), LE_INTR);
	assert_string_equal(le.buf, "");
	assert_string_equal(row_text(0), PROMPT "vmstat 1^C");
	assert_int_equal(le.hist_n, 0);
	le_start(&le, PROMPT);
	assert_int_equal(feed("ab\x01\x04"), LE_MORE); /* ^D in a line deletes right */
	assert_string_equal(le.buf, "b");
	feed("\x05\x15");
	assert_int_equal(le_feed(&le, 0x04), LE_EOF);
}

static void test_ignored_bytes(void **state)
{
	(void)state;
	/* unknown escape sequences and control bytes change nothing */
	feed("ls\x1b[5~\x1b[1;5C\x07\x1bx\x80\xff");
	assert_string_equal(le.buf, "ls");
	assert_int_equal(feed("\r"), LE_DONE);
}

static void test_exact_edit_bytes(void **state)
{
	(void)state;
	feed("abc\x1b[D\x1b[D");
	nechoed = 0;
	feed("X");
	/* insert: the new tail, then back over "bc" */
	assert_int_equal(nechoed, 7);
	assert_memory_equal(echoed, "Xbc\x1b[2D", 7);
	nechoed = 0;
	feed("\x7f");
	/* backspace: left, the tail, a blank over the old end, back 3 */
	assert_memory_equal(echoed, "\x1b[1Dbc \x1b[3D", nechoed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_typing_and_enter, setup),
		cmocka_unit_test_setup(test_crlf_is_one_enter, setup),
		cmocka_unit_test_setup(test_backspace_and_cursor, setup),
		cmocka_unit_test_setup(test_kill_to_start_and_end, setup),
		cmocka_unit_test_setup(test_history, setup),
		cmocka_unit_test_setup(test_history_keeps_the_last_lines, setup),
		cmocka_unit_test_setup(test_complete_command, setup),
		cmocka_unit_test_setup(test_complete_path, setup),
		cmocka_unit_test_setup(test_long_line, setup),
		cmocka_unit_test_setup(test_ctrl_c_and_ctrl_d, setup),
		cmocka_unit_test_setup(test_ignored_bytes, setup),
		cmocka_unit_test_setup(test_exact_edit_bytes, setup),
	};

	return cmocka_run_group_tests_name("lineedit", tests, NULL, NULL);
}
