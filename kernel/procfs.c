/*
 * The /proc and /sys tree (contract: include/kernel/procfs.h): a tree of
 * names built once from the tables of kernel/proc_table.h, looked up by
 * path; files are generated at each read (into a counting stream) and
 * knobs parsed at each write.
 *
 *   /  --- proc --- meminfo, vmstat, ...        (a file: an entry)
 *      |        |-- sys --- vm --- swappiness   (a directory: no entry)
 *      |        `-- #   --- status, maps, ...   (the per-pid template)
 *      `-- sys --- block --- zram0 --- mm_stat, ...
 *
 * The "#" node is never listed or looked up by name: under its parent a
 * decimal name of a pid that proc_pid_exists() and "self" lead to it, with
 * that pid passed to the entry's callbacks. readdir lists a directory's
 * children in table order, then (under /proc) "self" and the pids.
 *
 * Locking: the tree is written once (procfs_init, or the first lookup)
 * and only read afterwards; the callbacks take their reports' locks.
 */
#include <errno.h>
#include <kernel/procfs.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc_table.h"

#define PROC_WRITE_MAX 64 /* a knob's value; longer writes are -EINVAL */
#define PID_DIR "#"

struct proc_node {
	const char *name;  /* not NUL-terminated: len bytes */
	size_t len;
	const struct proc_entry *e; /* NULL: a directory */
	struct proc_node *child, *next;
};

static struct proc_node root = { "", 0, NULL, NULL, NULL };
static bool built;

static bool name_is(const struct proc_node *n, const char *s, size_t len)
{
	return n->len == len && !memcmp(n->name, s, len);
}

static struct proc_node *child_named(const struct proc_node *dir, const char *s, size_t len)
{
	for (struct proc_node *c = dir->child; c; c = c->next)
		if (name_is(c, s, len))
			return c;
	return NULL;
}

/* Add e under the root along its path; a clash (a file as a directory, a
 * file twice) is a bug in the tables. */
static int add_entry(const struct proc_entry *e)
{
	struct proc_node *dir = &root;
	const char *p = e->path;

	for (;;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		struct proc_node *c = child_named(dir, p, len), **tail;

		if (!c) {
			c = calloc(1, sizeof(*c));
			if (!c)
				return -ENOMEM;
			c->name = p;
			c->len = len;
			c->e = end ? NULL : e;
			for (tail = &dir->child; *tail; tail = &(*tail)->next)
				;
			*tail = c;
		} else if (c->e || !end) {
			fprintf(stderr, "procfs: %s clashes with another entry\n", e->path);
			return -EINVAL;
		}
		if (!end)
			return 0;
		dir = c;
		p = end + 1;
	}
}

int procfs_init(void)
{
	if (built)
		return 0;
	for (unsigned t = 0; proc_tables[t]; t++)
		for (size_t i = 0; i < proc_tables[t]->n; i++) {
			int r = add_entry(&proc_tables[t]->e[i]);

			if (r)
				return r;
		}
	built = true;
	return 0;
}

/* A pid as a /proc name: decimal, no sign, no leading zero; -1 if not. */
static int parse_pid(const char *s, size_t len)
{
	long v = 0;

	if (!len || len > 9 || (s[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return (int)v;
}

/* The node at path and the pid its "#" component stands for (-1: none). */
static int lookup(const char *path, struct proc_node **out, int *pid)
{
	struct proc_node *n = &root;
	const char *p;

	if (!built && procfs_init())
		return -ENOMEM;
	if (!path || path[0] != '/')
		return -ENOENT;
	if (strnlen(path, PROC_PATH_MAX) >= PROC_PATH_MAX)
		return -ENAMETOOLONG;
	*pid = -1;
	for (p = path;;) {
		const char *s;
		size_t len;
		struct proc_node *c;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		s = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - s);
		if (n->e)
			return -ENOTDIR;
		if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
			return -ENOENT;
		c = len == 1 && s[0] == PID_DIR[0] ? NULL : child_named(n, s, len);
		if (!c) {
			struct proc_node *tmpl = child_named(n, PID_DIR, 1);
			int v = len == 4 && !memcmp(s, "self", 4) ? proc_pid_self() : parse_pid(s, len);

			if (!tmpl || v < 0 || !proc_pid_exists(v))
				return -ENOENT;
			*pid = v;
			c = tmpl;
		}
		n = c;
	}
	if (n->e && p > path && p[-1] == '/')
		return -ENOTDIR; /* "file/" (Linux's answer) */
	*out = n;
	return 0;
}

int proc_stat(const char *path, bool *is_dir, unsigned *mode)
{
	struct proc_node *n;
	int pid, r = lookup(path, &n, &pid);

	if (r)
		return r;
	*is_dir = !n->e;
	if (!n->e)
		*mode = 0555;
	else
		*mode = (n->e->show || n->e->get ? 0444 : 0) | (n->e->store || n->e->set ? 0200 : 0);
	return 0;
}

static int show_entry(const struct proc_entry *e, FILE *f, int pid)
{
	if (e->get) {
		fprintf(f, "%ld\n", e->get());
		return 0;
	}
	return e->show(f, pid);
}

long proc_read(const char *path, char *buf, size_t size)
{
	struct proc_node *n;
	struct proc_sink s = { buf, size, 0, NULL };
	int pid, r = lookup(path, &n, &pid);
	FILE *f;
	size_t len;

	if (r)
		return r;
	if (!n->e)
		return -EISDIR;
	if (!n->e->show && !n->e->get)
		return -EACCES;
	f = proc_sink_open(&s);
	if (!f)
		return -ENOMEM;
	r = show_entry(n->e, f, pid);
	len = proc_sink_close(&s, f);
	if (r) {
		if (size)
			buf[0] = 0;
		return r;
	}
	return len > LONG_MAX ? LONG_MAX : (long)len;
}

int proc_parse_long(const char *s, long *v)
{
	bool neg = false;
	unsigned long x = 0, lim;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (*s < '0' || *s > '9')
		return -EINVAL;
	lim = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (x > (lim - d) / 10)
			return -EINVAL;
		x = x * 10 + d;
	}
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*v = neg ? (long)(0 - x) : (long)x;
	return 0;
}

long proc_write(const char *path, const char *buf, size_t len)
{
	struct proc_node *n;
	char text[PROC_WRITE_MAX + 1];
	int pid, r = lookup(path, &n, &pid);
	size_t k = len;
	long v;

	if (r)
		return r;
	if (!n->e)
		return -EISDIR;
	if (!n->e->store && !n->e->set)
		return -EACCES;
	if (!len || len > PROC_WRITE_MAX)
		return -EINVAL;
	memcpy(text, buf, len);
	if (text[k - 1] == '\n')
		k--;
	text[k] = 0;
	if (strlen(text) != k)
		return -EINVAL; /* a NUL inside */
	if (n->e->store)
		r = n->e->store(text, pid);
	else
		r = proc_parse_long(text, &v) ? -EINVAL : n->e->set(v);
	return r ? r : (long)len;
}

int proc_readdir(const char *path, void (*fn)(void *arg, const char *name, bool is_dir), void *arg)
{
	struct proc_node *n;
	char name[PROC_PATH_MAX];
	bool pids = false;
	int pid, r = lookup(path, &n, &pid);

	if (r)
		return r;
	if (n->e)
		return -ENOTDIR;
	for (struct proc_node *c = n->child; c; c = c->next) {
		if (name_is(c, PID_DIR, 1)) {
			pids = true;
			continue;
		}
		memcpy(name, c->name, c->len);
		name[c->len] = 0;
		fn(arg, name, !c->e);
	}
	if (!pids)
		return 0;
	fn(arg, "self", true);
	for (int p = proc_pid_next(-1); p >= 0; p = proc_pid_next(p)) {
		snprintf(name, sizeof(name), "%d", p);
		fn(arg, name, true);
	}
	return 0;
}
