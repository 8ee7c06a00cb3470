/*
 * Linked only while kernel/procfs.c does not exist (the Makefile chooses):
 * the /proc tree's calls all fail with -ENOSYS, so the shell's cat, echo
 * > file, ls and path completion say "Function not implemented" instead of
 * the build failing. Delete once procfs.c is merged.
 */
#include <kernel/procfs.h>
#include <lib/errno.h>

int procfs_init(void) { return 0; }
int proc_stat(const char *path, bool *is_dir, unsigned *mode) { (void)path, (void)is_dir, (void)mode; return -ENOSYS; }
long proc_read(const char *path, char *buf, size_t size) { (void)path, (void)buf, (void)size; return -ENOSYS; }
long proc_write(const char *path, const char *buf, size_t len) { (void)path, (void)buf, (void)len; return -ENOSYS; }
int proc_readdir(const char *path, void (*fn)(void *arg, const char *name, bool is_dir), void *arg)
{
	(void)path, (void)fn, (void)arg;
	return -ENOSYS;
}
