/*
 * newlib's system layer inside the firmware (arm-none-eabi): stdout and
 * stderr go to the console (kernel/console.c, which drives the PL011
 * through drivers/pl011.c); newlib's reentrant allocator entry points,
 * which its stdio calls instead of malloc, go to the malloc family that
 * kernel/malloc.c routes to kmalloc, as picolibc's do on AArch64. There
 * is no file system and no process below it: the rest fail with ENOSYS.
 * stdin's _read is the kernel's (kernel/libc/newlib/stream.c).
 */
#include <errno.h>
#include <kernel/console.h>
#include <reent.h>
#include <stdlib.h>
#include <sys/stat.h>

int _write(int fd, const void *buf, size_t n)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, n);
	return (int)n;
}

int _close(int fd)
{
	(void)fd;
	errno = ENOSYS;
	return -1;
}

off_t _lseek(int fd, off_t off, int whence)
{
	(void)fd, (void)off, (void)whence;
	errno = ENOSYS;
	return -1;
}

/* The console is a character device: newlib line-buffers it. */
int _fstat(int fd, struct stat *st)
{
	(void)fd;
	st->st_mode = S_IFCHR;
	return 0;
}

int _isatty(int fd) { return fd <= 2; }

void *_sbrk(ptrdiff_t incr)
{
	(void)incr; /* no heap of its own: malloc is kmalloc */
	errno = ENOMEM;
	return (void *)-1;
}

int _getpid(void) { return 1; }

int _kill(int pid, int sig)
{
	(void)pid, (void)sig;
	errno = ENOSYS;
	return -1;
}

void _exit(int status)
{
	(void)status;
	for (;;)
		__asm__ volatile("wfi");
}

void *_malloc_r(struct _reent *r, size_t n) { (void)r; return malloc(n); }
void _free_r(struct _reent *r, void *p) { (void)r; free(p); }
void *_calloc_r(struct _reent *r, size_t n, size_t size) { (void)r; return calloc(n, size); }
void *_realloc_r(struct _reent *r, void *p, size_t n) { (void)r; return realloc(p, n); }
