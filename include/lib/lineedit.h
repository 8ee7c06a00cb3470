/*
 * A line editor as a state machine (lib/lineedit.c): fed the bytes a
 * terminal sends, one at a time, it keeps the line being edited and a
 * history, and emits the bytes that make the terminal show it (echo,
 * cursor moves, redraws) through a callback. Pure C: no kernel calls, so
 * host tests drive it with byte strings (test/host/test_lineedit.c).
 *
 * Keys (what a VT100/xterm sends):
 *   printable        insert at the cursor      Enter (CR, LF, CRLF)  done
 *   Backspace (DEL, ^H)  delete left           ^D  delete right (EOF on an empty line)
 *   Left/Right (ESC [ D / C, ^B/^F)            Home/End (ESC [ H / F, ESC [ 1~ / 4~, ^A/^E)
 *   Delete (ESC [ 3~)                          ^U kill to start, ^K kill to end
 *   Up/Down (ESC [ A / B, ^P/^N): history      Tab: completion through a callback
 *   ^C: abandon the line (prints "^C")         anything else: ignored
 *
 * Completion: the callback gets the line and the word under the cursor
 * (from the last blank before it) and adds every candidate that extends it
 * with le_match_add(). One candidate: the word becomes it, then a blank
 * (or nothing after a directory's '/'). Several: the word grows to their
 * longest common prefix; if that adds nothing, they are listed below and
 * the prompt and line are redrawn.
 *
 * Locking: none; one editor per terminal, used by one task.
 */
#ifndef LIB_LINEEDIT_H
#define LIB_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

#define LE_LINE_MAX 256   /* bytes of a line, NUL included */
#define LE_HISTORY 16     /* lines of history kept */
#define LE_MATCH_POOL 2048 /* bytes of completion candidates per Tab */
#define LE_MATCH_MAX 128

enum le_result { LE_MORE, LE_DONE, LE_INTR, LE_EOF };

struct le_matches {
	char pool[LE_MATCH_POOL];
	size_t used;
	const char *word[LE_MATCH_MAX];
	bool is_dir[LE_MATCH_MAX];
	unsigned n;
	bool overflow; /* candidates dropped: no room */
};

struct lineedit;
typedef void (*le_out_fn)(void *arg, const char *s, size_t n);
/* Add the candidates for word (len bytes at line + start, the first word
 * when start is 0 and nothing but blanks comes before it). */
typedef void (*le_complete_fn)(void *arg, const char *line, size_t start, size_t len, struct le_matches *m);

struct lineedit {
	char buf[LE_LINE_MAX]; /* the line, NUL-terminated */
	size_t len, pos;       /* its length and the cursor (0..len) */
	char hist[LE_HISTORY][LE_LINE_MAX]; /* oldest first */
	unsigned hist_n;       /* lines in hist */
	unsigned hist_back;    /* 0: editing the new line; k: showing hist[hist_n - k] */
	char saved[LE_LINE_MAX]; /* the new line while history is shown */
	int esc;               /* escape-sequence state (lib/lineedit.c) */
	unsigned esc_num;      /* the number in ESC [ n ~ */
	bool after_cr;         /* the last byte was CR: a LF right after it is part of Enter */
	const char *prompt;
	le_out_fn out;
	le_complete_fn complete; /* NULL: Tab is ignored */
	void *arg;             /* for out and complete */
	struct le_matches m;   /* the last Tab's candidates */
};

/* Set up le with its output and (optional) completion callbacks. */
void le_init(struct lineedit *le, le_out_fn out, le_complete_fn complete, void *arg);
/* Start a new line: print prompt (kept for redraws; must outlive the line). */
void le_start(struct lineedit *le, const char *prompt);
/* Feed one byte. LE_DONE: the line is in le->buf (and, if not blank and not
 * the same as the last one, in the history); LE_INTR: ^C, the line is
 * dropped; LE_EOF: ^D on an empty line; LE_MORE: keep feeding. After
 * anything but LE_MORE call le_start before feeding again. */
enum le_result le_feed(struct lineedit *le, char c);
/* A completion callback adds a candidate (the whole word, not its tail):
 * false when there is no room left. */
bool le_match_add(struct le_matches *m, const char *word, size_t len, bool is_dir);

#endif
