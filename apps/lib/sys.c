/*
 * libc-style system calls for the apps: each raw call from sys.h with a
 * negative result turned into -1 (MAP_FAILED for mmap) and errno, and
 * sbrk() on top of brk for picolibc's malloc.
 */
#include "sys.h"

#include <errno.h>

/* Map a raw result to the libc convention. */
static long ret(long r)
{
	if (r < 0 && r >= -4095) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

ssize_t write(int fd, const void *buf, size_t len) { return ret(sys_write(fd, buf, len)); }

void _exit(int status) { sys_exit(status); }

int nanosleep(const struct timespec *req, struct timespec *rem) { return ret(sys_nanosleep(req, rem)); }

int clock_gettime(clockid_t clk, struct timespec *ts) { return ret(sys_clock_gettime(clk, ts)); }

int sched_yield(void) { return ret(sys_sched_yield()); }

int getrusage(int who, struct rusage_min *ru) { return ret(sys_getrusage(who, ru)); }

pid_t getpid(void) { return (pid_t)ret(sys_getpid()); }

pid_t getppid(void) { return (pid_t)ret(sys_getppid()); }

void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	long r = sys_mmap(addr, len, prot, flags, fd, off);

	if (r < 0 && r >= -4095) {
		errno = (int)-r;
		return MAP_FAILED;
	}
	return (void *)r;
}

int munmap(void *addr, size_t len) { return ret(sys_munmap(addr, len)); }

int mprotect(void *addr, size_t len, int prot) { return ret(sys_mprotect(addr, len, prot)); }

int mlock(const void *addr, size_t len) { return ret(sys_mlock(addr, len)); }

int munlock(const void *addr, size_t len) { return ret(sys_munlock(addr, len)); }

int madvise(void *addr, size_t len, int advice) { return ret(sys_madvise(addr, len, advice)); }

pid_t wait4(pid_t pid, int *status, int options, void *rusage)
{
	return (pid_t)ret(sys_wait4(pid, status, options, rusage));
}

int open_image(const char *name) { return ret(sys_open_image(name)); }

int openat(int dirfd, const char *path, int flags, ...) { return ret(sys_openat(dirfd, path, flags, 0)); }
int open(const char *path, int flags, ...) { return ret(sys_openat(AT_FDCWD, path, flags, 0)); }
int close(int fd) { return ret(sys_close(fd)); }
ssize_t read(int fd, void *buf, size_t len) { return ret(sys_read(fd, buf, len)); }
off_t lseek(int fd, off_t off, int whence) { return ret(sys_lseek(fd, off, whence)); }

pid_t spawn(const char *name, const char *arg) { return (pid_t)ret(sys_spawn(name, arg)); }
pid_t spawn_attr(const char *name, const char *arg, const struct spawn_attr *attr)
{
	return (pid_t)ret(sys_spawn_attr(name, arg, attr));
}

/*
 * The program break. brk(addr) returns the new break, or the old one when
 * the kernel refuses (Linux's raw brk): success is "the break is where we
 * asked". cur_brk caches it; 0 until the first query.
 */
static uintptr_t cur_brk;

int brk(void *addr)
{
	long r = sys_brk((uintptr_t)addr);

	if (r < 0 && r >= -4095) {
		errno = (int)-r;
		return -1;
	}
	cur_brk = (uintptr_t)r;
	if ((uintptr_t)r != (uintptr_t)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(ptrdiff_t incr)
{
	uintptr_t old, want;

	if (!cur_brk) {
		long r = sys_brk(0);

		if (r <= 0) {
			errno = ENOMEM;
			return (void *)-1;
		}
		cur_brk = (uintptr_t)r;
	}
	old = cur_brk;
	if (!incr)
		return (void *)old;
	want = old + (uintptr_t)incr;
	if ((incr > 0 && want < old) || (incr < 0 && want > old) || brk((void *)want)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return (void *)old;
}

void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

void wait_flag(volatile uint64_t *flag, uint64_t v)
{
	while (*flag < v)
		sleep_ms(1);
}

int app_args(int argc, char **argv, char **tok, int max)
{
	int n = 0;

	for (int i = 1; i < argc; i++) {
		for (char *p = argv[i]; *p;) {
			while (*p == ' ')
				*p++ = 0;
			if (!*p)
				break;
			if (n < max)
				tok[n++] = p;
			while (*p && *p != ' ')
				p++;
		}
	}
	return n;
}
