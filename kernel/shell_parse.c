/*
 * The shell's pure parts (host-tested in test/host/test_shell_parse.c):
 * splitting a command line into words with "> file" and "&", and Tab
 * completion of command names and of /proc and /sys paths (through
 * proc_readdir, the only call out).
 */
#include <kernel/procfs.h>
#include <kernel/shell.h>
#include <stdio.h>
#include <string.h>

/* The next blank-separated word of *p (NUL-terminated in place), or NULL. */
static char *next_word(char **p)
{
	char *w;

	*p += strspn(*p, " \t");
	if (!**p)
		return NULL;
	w = *p;
	*p += strcspn(*p, " \t");
	if (**p)
		*(*p)++ = 0;
	return w;
}

int shell_split(char *line, struct shell_call *c, char *err, size_t errlen)
{
	char *p = line, *w;

	c->argc = 0;
	c->redirect = NULL;
	c->background = false;
	while ((w = next_word(&p))) {
		if (c->redirect || c->background) {
			snprintf(err, errlen, "syntax error near '%s': '> file' and '&' end the line", w);
			return -1;
		}
		if (!strcmp(w, ">")) {
			if (!(c->redirect = next_word(&p))) {
				snprintf(err, errlen, "syntax error: '>' needs a file");
				return -1;
			}
		} else if (w[0] == '>') {
			c->redirect = w + 1;
		} else if (!strcmp(w, "&")) {
			c->background = true;
		} else if (c->argc == SHELL_ARGS_MAX) {
			snprintf(err, errlen, "too many words (at most %d)", SHELL_ARGS_MAX);
			return -1;
		} else {
			c->argv[c->argc++] = w;
		}
	}
	c->argv[c->argc] = NULL;
	if (!c->argc && (c->redirect || c->background)) {
		snprintf(err, errlen, "syntax error: no command");
		return -1;
	}
	return 0;
}

struct dir_match {
	struct le_matches *m;
	const char *dir, *prefix; /* dir with its '/', the name's start */
	size_t dir_len, prefix_len;
};

static void add_entry(void *arg, const char *name, bool is_dir)
{
	struct dir_match *d = arg;
	char word[PROC_PATH_MAX];
	int n;

	if (strncmp(name, d->prefix, d->prefix_len))
		return;
	n = snprintf(word, sizeof(word), "%.*s%s", (int)d->dir_len, d->dir, name);
	if (n > 0 && (size_t)n < sizeof(word))
		le_match_add(d->m, word, (size_t)n, is_dir);
}

void shell_complete(const struct shell_cmd *const *tables, size_t ntables, const char *line, size_t start,
		    size_t len, struct le_matches *m)
{
	const char *word = line + start, *slash;
	char dir[PROC_PATH_MAX];
	struct dir_match d = { .m = m, .dir = word };

	if (start == strspn(line, " ")) { /* the first word: a command */
		for (size_t t = 0; t < ntables; t++)
			for (const struct shell_cmd *c = tables[t]; c->name; c++)
				if (!strncmp(c->name, word, len))
					le_match_add(m, c->name, strlen(c->name), false);
		return;
	}
	if (!len || word[0] != '/')
		return;
	slash = word + len - 1;
	while (*slash != '/')
		slash--;
	d.dir_len = (size_t)(slash - word) + 1;
	d.prefix = slash + 1;
	d.prefix_len = len - d.dir_len;
	if (d.dir_len >= sizeof(dir))
		return;
	memcpy(dir, word, d.dir_len);
	dir[d.dir_len] = 0;
	proc_readdir(dir, add_entry, &d);
}
