/*
 * The line editor (include/lib/lineedit.h says what each key does).
 *
 * Terminal output: the cursor is always kept where le->pos says. An edit
 * at the cursor rewrites the line from there to its end, blanks out what
 * got shorter, and moves back with ESC [ n D; the editor never needs to
 * know the terminal's width as long as the prompt and line fit one row.
 * Escape sequences are parsed by a small state machine:
 *
 *   NONE --ESC--> ESC --'['--> CSI --digit--> CSI (esc_num)
 *                     --'O'--> SS3            --letter or '~'--> key, NONE
 */
#include <lib/lineedit.h>
#include <string.h>

enum { ESC_NONE, ESC_ESC, ESC_CSI, ESC_SS3 };

#define CTRL(c) ((c) & 0x1f)

static void out(struct lineedit *le, const char *s, size_t n)
{
	if (n)
		le->out(le->arg, s, n);
}

static void outs(struct lineedit *le, const char *s) { out(le, s, strlen(s)); }

/* ESC [ n <dir>, n >= 1 */
static void move(struct lineedit *le, size_t n, char dir)
{
	char seq[24];
	size_t i = sizeof(seq);

	if (!n)
		return;
	seq[--i] = dir;
	do
		seq[--i] = (char)('0' + n % 10);
	while (n /= 10);
	seq[--i] = '[';
	seq[--i] = '\x1b';
	out(le, seq + i, sizeof(seq) - i);
}

static void blanks(struct lineedit *le, size_t n)
{
	while (n--)
		out(le, " ", 1);
}

/* The cursor is at from; the line from there changed and was old_len long:
 * show the new tail, blank what is left of the old one, put the cursor at pos. */
static void redraw_from(struct lineedit *le, size_t from, size_t old_len)
{
	size_t end = le->len;

	out(le, le->buf + from, le->len - from);
	if (old_len > le->len) {
		blanks(le, old_len - le->len);
		end = old_len;
	}
	move(le, end - le->pos, 'D');
}

void le_init(struct lineedit *le, le_out_fn outfn, le_complete_fn complete, void *arg)
{
	memset(le, 0, sizeof(*le));
	le->out = outfn;
	le->complete = complete;
	le->arg = arg;
}

void le_start(struct lineedit *le, const char *prompt)
{
	le->len = le->pos = 0;
	le->buf[0] = 0;
	le->hist_back = 0;
	le->esc = ESC_NONE;
	le->prompt = prompt;
	outs(le, prompt);
}

static void insert(struct lineedit *le, const char *s, size_t n)
{
	size_t from = le->pos;

	if (le->len + n > LE_LINE_MAX - 1) {
		out(le, "\a", 1);
		return;
	}
	memmove(le->buf + le->pos + n, le->buf + le->pos, le->len - le->pos + 1);
	memcpy(le->buf + le->pos, s, n);
	le->len += n;
	le->pos += n;
	redraw_from(le, from, le->len);
}

/* Delete n bytes at start (the cursor is already at start). */
static void delete_at(struct lineedit *le, size_t start, size_t n)
{
	size_t old = le->len;

	memmove(le->buf + start, le->buf + start + n, le->len - start - n + 1);
	le->len -= n;
	le->pos = start;
	redraw_from(le, start, old);
}

static void go_to(struct lineedit *le, size_t pos)
{
	if (pos < le->pos)
		move(le, le->pos - pos, 'D');
	else
		out(le, le->buf + le->pos, pos - le->pos);
	le->pos = pos;
}

/* Replace the whole line with s, the cursor at its end. */
static void replace_line(struct lineedit *le, const char *s)
{
	size_t old = le->len;

	move(le, le->pos, 'D');
	le->len = le->pos = strlen(s);
	memmove(le->buf, s, le->len + 1);
	redraw_from(le, 0, old);
}

static void history_up(struct lineedit *le)
{
	if (le->hist_back == le->hist_n) {
		out(le, "\a", 1);
		return;
	}
	if (!le->hist_back)
		memcpy(le->saved, le->buf, le->len + 1);
	le->hist_back++;
	replace_line(le, le->hist[le->hist_n - le->hist_back]);
}

static void history_down(struct lineedit *le)
{
	if (!le->hist_back) {
		out(le, "\a", 1);
		return;
	}
	le->hist_back--;
	replace_line(le, le->hist_back ? le->hist[le->hist_n - le->hist_back] : le->saved);
}

static void history_add(struct lineedit *le)
{
	size_t i = strspn(le->buf, " \t");

	if (!le->buf[i] || (le->hist_n && !strcmp(le->hist[le->hist_n - 1], le->buf)))
		return;
	if (le->hist_n == LE_HISTORY) {
		memmove(le->hist[0], le->hist[1], sizeof(le->hist[0]) * (LE_HISTORY - 1));
		le->hist_n--;
	}
	memcpy(le->hist[le->hist_n++], le->buf, le->len + 1);
}

bool le_match_add(struct le_matches *m, const char *word, size_t len, bool is_dir)
{
	if (m->n == LE_MATCH_MAX || m->used + len + 1 > LE_MATCH_POOL) {
		m->overflow = true;
		return false;
	}
	memcpy(m->pool + m->used, word, len);
	m->pool[m->used + len] = 0;
	m->word[m->n] = m->pool + m->used;
	m->is_dir[m->n++] = is_dir;
	m->used += len + 1;
	return true;
}

/* Print the candidates below the line, then the prompt and line again. */
static void list_matches(struct lineedit *le)
{
	const struct le_matches *m = &le->m;

	outs(le, "\r\n");
	for (unsigned i = 0; i < m->n; i++) {
		outs(le, m->word[i]);
		if (m->is_dir[i])
			out(le, "/", 1);
		outs(le, i + 1 < m->n ? "  " : "\r\n");
	}
	if (m->overflow)
		outs(le, "...\r\n");
	outs(le, le->prompt);
	out(le, le->buf, le->len);
	move(le, le->len - le->pos, 'D');
}

static void complete(struct lineedit *le)
{
	struct le_matches *m = &le->m;
	size_t start = le->pos, len, common;

	if (!le->complete)
		return;
	while (start && le->buf[start - 1] != ' ')
		start--;
	len = le->pos - start;
	memset(m, 0, sizeof(*m));
	le->complete(le->arg, le->buf, start, len, m);
	if (!m->n) {
		out(le, "\a", 1);
		return;
	}
	common = strlen(m->word[0]);
	for (unsigned i = 1; i < m->n; i++) {
		size_t k = 0;

		while (k < common && m->word[i][k] == m->word[0][k])
			k++;
		common = k;
	}
	if (common < len || memcmp(m->word[0], le->buf + start, len)) {
		out(le, "\a", 1); /* a candidate that does not extend the word */
		return;
	}
	if (m->n == 1 && !m->overflow) {
		insert(le, m->word[0] + len, common - len);
		insert(le, m->is_dir[0] ? "/" : " ", 1);
	} else if (common > len) {
		insert(le, m->word[0] + len, common - len);
	} else {
		list_matches(le);
	}
}

/* The key at the end of ESC [ ... or ESC O ... */
static void escape_key(struct lineedit *le, char c)
{
	if (c == '~') {
		switch (le->esc_num) {
		case 1: case 7: c = 'H'; break;
		case 4: case 8: c = 'F'; break;
		case 3: c = CTRL('D'); break;
		default: return;
		}
	}
	switch (c) {
	case 'A': history_up(le); break;
	case 'B': history_down(le); break;
	case 'C': if (le->pos < le->len) go_to(le, le->pos + 1); break;
	case 'D': if (le->pos) go_to(le, le->pos - 1); break;
	case 'H': go_to(le, 0); break;
	case 'F': go_to(le, le->len); break;
	case CTRL('D'): if (le->pos < le->len) delete_at(le, le->pos, 1); break;
	}
}

/* true: the byte belonged to an escape sequence */
static bool in_escape(struct lineedit *le, char c)
{
	switch (le->esc) {
	case ESC_ESC:
		le->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
		le->esc_num = 0;
		return true;
	case ESC_CSI:
		if (c >= '0' && c <= '9') {
			le->esc_num = le->esc_num * 10 + (unsigned)(c - '0');
			if (le->esc_num > 1000)
				le->esc_num = 1000;
			return true;
		}
		if (c == ';')
			return true;
		le->esc = ESC_NONE;
		escape_key(le, c);
		return true;
	case ESC_SS3:
		le->esc = ESC_NONE;
		escape_key(le, c);
		return true;
	}
	return false;
}

enum le_result le_feed(struct lineedit *le, char c)
{
	bool after_cr = le->after_cr;

	le->after_cr = false;
	if (in_escape(le, c))
		return LE_MORE;
	switch (c) {
	case '\n':
		if (after_cr)
			return LE_MORE; /* the LF of a CRLF */
		/* fall through */
	case '\r':
		le->after_cr = c == '\r';
		go_to(le, le->len);
		outs(le, "\r\n");
		history_add(le);
		return LE_DONE;
	case '\x1b': le->esc = ESC_ESC; break;
	case CTRL('C'):
		outs(le, "^C\r\n");
		le->len = le->pos = 0;
		le->buf[0] = 0;
		return LE_INTR;
	case CTRL('D'):
		if (!le->len) {
			outs(le, "\r\n");
			return LE_EOF;
		}
		if (le->pos < le->len)
			delete_at(le, le->pos, 1);
		break;
	case 0x7f:
	case CTRL('H'):
		if (le->pos) {
			move(le, 1, 'D');
			delete_at(le, le->pos - 1, 1);
		}
		break;
	case CTRL('A'): go_to(le, 0); break;
	case CTRL('E'): go_to(le, le->len); break;
	case CTRL('B'): escape_key(le, 'D'); break;
	case CTRL('F'): escape_key(le, 'C'); break;
	case CTRL('P'): history_up(le); break;
	case CTRL('N'): history_down(le); break;
	case CTRL('K'):
		if (le->pos < le->len)
			delete_at(le, le->pos, le->len - le->pos);
		break;
	case CTRL('U'):
		if (le->pos) {
			size_t n = le->pos;

			move(le, n, 'D');
			delete_at(le, 0, n);
		}
		break;
	case '\t': complete(le); break;
	default:
		if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
			insert(le, &c, 1);
		break;
	}
	return LE_MORE;
}
