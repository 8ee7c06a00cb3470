/*
 * newlib's system layer for the apps on ARM: the reentrant stubs its
 * stdio, malloc and exit call (_write, _read, _sbrk, ...) on top of
 * apps/lib/sys.c's libc-style calls, which set errno. stdin, stdout and
 * stderr are the console (character devices: newlib line-buffers
 * stdout); other descriptors are /proc, /sys or app-image files.
 */
#include "sys.h"

#include <errno.h>
#include <sys/stat.h>

int _write(int fd, const void *buf, size_t len) { return (int)write(fd, buf, len); }

int _read(int fd, void *buf, size_t len) { return (int)read(fd, buf, len); }

int _close(int fd) { return close(fd); }

off_t _lseek(int fd, off_t off, int whence) { return lseek(fd, off, whence); }

int _isatty(int fd) { return fd >= 0 && fd <= 2; }

int _fstat(int fd, struct stat *st)
{
	st->st_mode = _isatty(fd) ? S_IFCHR : S_IFREG;
	st->st_blksize = 0;
	return 0;
}

void *_sbrk(ptrdiff_t incr) { return sbrk(incr); }

int _getpid(void) { return getpid(); }

/* No signals between apps: kill(2) is the shell's, not a system call. */
int _kill(int pid, int sig)
{
	(void)pid, (void)sig;
	errno = ENOSYS;
	return -1;
}
