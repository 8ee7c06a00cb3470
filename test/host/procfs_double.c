/*
 * A stand-in for kernel/procfs.c in host tests (the contract is
 * include/kernel/procfs.h): a fixed small tree for proc_readdir and
 * proc_stat; reads and writes fail with -ENOSYS.
 */
#include <kernel/procfs.h>
#include <lib/errno.h>
#include <string.h>

struct node {
	const char *dir, *name;
	bool is_dir;
};

static const struct node tree[] = {
	{ "/", "proc", true },           { "/", "sys", true },
	{ "/proc", "1", true },          { "/proc", "meminfo", false },  { "/proc", "self", true },
	{ "/proc", "swaps", false },      { "/proc", "sys", true },       { "/proc", "vmstat", false },
	{ "/proc/sys", "vm", true },      { "/proc/sys/vm", "drop_caches", false },
	{ "/proc/sys/vm", "swappiness", false },
};

/* path without "//" runs and a trailing '/', into buf; false if too long */
static bool normalise(const char *path, char *buf)
{
	size_t n = 0;

	for (; *path; path++) {
		if (*path == '/' && n && buf[n - 1] == '/')
			continue;
		if (n == PROC_PATH_MAX - 1)
			return false;
		buf[n++] = *path;
	}
	if (n > 1 && buf[n - 1] == '/')
		n--;
	buf[n] = 0;
	return true;
}

int proc_readdir(const char *path, void (*fn)(void *arg, const char *name, bool is_dir), void *arg)
{
	char p[PROC_PATH_MAX];
	bool found = false;

	if (!normalise(path, p))
		return -ENAMETOOLONG;
	for (size_t i = 0; i < sizeof(tree) / sizeof(tree[0]); i++)
		if (!strcmp(tree[i].dir, p)) {
			fn(arg, tree[i].name, tree[i].is_dir);
			found = true;
		}
	return found ? 0 : -ENOENT;
}

int procfs_init(void) { return 0; }
int proc_stat(const char *path, bool *is_dir, unsigned *mode) { (void)path, (void)is_dir, (void)mode; return -ENOSYS; }
long proc_read(const char *path, char *buf, size_t size) { (void)path, (void)buf, (void)size; return -ENOSYS; }
long proc_write(const char *path, const char *buf, size_t len) { (void)path, (void)buf, (void)len; return -ENOSYS; }
