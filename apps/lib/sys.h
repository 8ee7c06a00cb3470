/*
 * The apps' thin system-call layer over <pagoda/syscall.h> (the ABI:
 * `svc #0`, the number and six arguments in registers, result in the
 * first with [-4095, -1] a negative errno; which registers: arch_sys.h
 * in apps/lib/arch/<arch>/, AArch64 x8 + x0..x5, ARM r7 + r0..r5).
 *
 * Two flavours of every call:
 *   sys_<name>(...)   raw: returns the kernel's value, -errno on failure
 *                     (tests and sysfuzz look at the exact value);
 *   <name>(...)       libc style (apps/lib/sys.c): -1 (or MAP_FAILED) and
 *                     errno set on failure, as POSIX programs expect.
 *
 * errno values are the C library's <errno.h> (picolibc on AArch64,
 * newlib on ARM), the same header the kernel is built with. Do not
 * include the C library's <time.h>, <signal.h> or <sys/resource.h> next
 * to this header: their CLOCK_*, SIG* and struct rusage are newlib's, not
 * the kernel's.
 */
#ifndef APPS_SYS_H
#define APPS_SYS_H

#include <pagoda/spawn.h>
#include <pagoda/syscall.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/_timespec.h>
#include <sys/types.h>

#define PAGE_SIZE 4096UL

/* The raw trap sys_call6(n, a..f) and the counter: per architecture. */
#include "arch_sys.h"

static inline long sys_call0(long n) { return sys_call6(n, 0, 0, 0, 0, 0, 0); }
static inline long sys_call1(long n, long a) { return sys_call6(n, a, 0, 0, 0, 0, 0); }
static inline long sys_call2(long n, long a, long b) { return sys_call6(n, a, b, 0, 0, 0, 0); }
static inline long sys_call3(long n, long a, long b, long c) { return sys_call6(n, a, b, c, 0, 0, 0); }
static inline long sys_call4(long n, long a, long b, long c, long d)
{
	return sys_call6(n, a, b, c, d, 0, 0);
}

/* Raw calls: the kernel's result, -errno on failure. */
static inline long sys_write(int fd, const void *buf, size_t len)
{
	return sys_call3(SYS_write, fd, (long)buf, (long)len);
}
static inline __attribute__((noreturn)) void sys_exit(int status)
{
	sys_call1(SYS_exit, status);
	for (;;)
		;
}
static inline long sys_nanosleep(const struct timespec *req, struct timespec *rem)
{
	return sys_call2(SYS_nanosleep, (long)req, (long)rem);
}
static inline long sys_clock_gettime(int clk, struct timespec *ts)
{
	return sys_call2(SYS_clock_gettime, clk, (long)ts);
}
static inline long sys_sched_yield(void) { return sys_call0(SYS_sched_yield); }
static inline long sys_getrusage(int who, struct rusage_min *ru)
{
	return sys_call2(SYS_getrusage, who, (long)ru);
}
static inline long sys_getpid(void) { return sys_call0(SYS_getpid); }
static inline long sys_getppid(void) { return sys_call0(SYS_getppid); }
static inline long sys_brk(uintptr_t addr) { return sys_call1(SYS_brk, (long)addr); }
static inline long sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return sys_call6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);
}
static inline long sys_munmap(void *addr, size_t len)
{
	return sys_call2(SYS_munmap, (long)addr, (long)len);
}
static inline long sys_mprotect(void *addr, size_t len, int prot)
{
	return sys_call3(SYS_mprotect, (long)addr, (long)len, prot);
}
static inline long sys_mlock(const void *addr, size_t len)
{
	return sys_call2(SYS_mlock, (long)addr, (long)len);
}
static inline long sys_munlock(const void *addr, size_t len)
{
	return sys_call2(SYS_munlock, (long)addr, (long)len);
}
static inline long sys_madvise(void *addr, size_t len, int advice)
{
	return sys_call3(SYS_madvise, (long)addr, (long)len, advice);
}
static inline long sys_wait4(int pid, int *status, int options, void *rusage)
{
	return sys_call4(SYS_wait4, pid, (long)status, options, (long)rusage);
}
static inline long sys_open_image(const char *name) { return sys_call1(SYS_open_image, (long)name); }
static inline long sys_spawn(const char *name, const char *arg)
{
	return sys_call2(SYS_spawn, (long)name, (long)arg);
}

/* /proc and /sys files: openat(AT_FDCWD, path, O_RDONLY|O_WRONLY|O_RDWR, 0). */
static inline long sys_openat(int dirfd, const char *path, int flags, int mode)
{
	return sys_call4(SYS_openat, dirfd, (long)path, flags, mode);
}
static inline long sys_close(int fd) { return sys_call1(SYS_close, fd); }
static inline long sys_read(int fd, void *buf, size_t len)
{
	return sys_call3(SYS_read, fd, (long)buf, (long)len);
}
static inline long sys_lseek(int fd, long off, int whence) { return sys_call3(SYS_lseek, fd, off, whence); }

/* oom_score_adj of pid (0: self): set -> 0 or -errno; get -> the value or -ESRCH. */
static inline long sys_oom_score_adj_set(long pid, long adj)
{
	return sys_call2(SYS_oom_score_adj_set, pid, adj);
}

static inline long sys_oom_score_adj_get(long pid)
{
	return sys_call2(SYS_oom_score_adj_get, pid, 0);
}

/* Memory budget (resident + swap) of pid (0: self), in kB, 0 = none:
 * set -> 0 or -ESRCH/-EINVAL; get -> the limit or -ESRCH. */
static inline long sys_mem_budget_set(long pid, long limit_kb)
{
	return sys_call2(SYS_mem_budget_set, pid, limit_kb);
}

static inline long sys_mem_budget_get(long pid)
{
	return sys_call2(SYS_mem_budget_get, pid, 0);
}

/* Make code written to [start, end) fetchable (Linux's ARM cacheflush):
 * 0, or -EINVAL / -EFAULT. */
static inline long sys_cacheflush(const void *start, const void *end)
{
	return sys_call3(SYS_cacheflush, (long)(uintptr_t)start, (long)(uintptr_t)end, 0);
}

/* Spawn with attributes (<pagoda/spawn.h>; NULL = none) -> pid or -errno. */
static inline long sys_spawn_attr(const char *name, const char *arg, const struct spawn_attr *attr)
{
	return sys_call3(SYS_spawn_attr, (long)name, (long)arg, (long)attr);
}

/* App class of pid (0: self): set -> 0 or -errno; get -> the class or -ESRCH. */
static inline long sys_app_class_set(long pid, long cls)
{
	return sys_call2(SYS_app_class_set, pid, cls);
}

static inline long sys_app_class_get(long pid)
{
	return sys_call2(SYS_app_class_get, pid, 0);
}

/* libc-style wrappers (sys.c): -1 / MAP_FAILED and errno on failure. */
ssize_t write(int fd, const void *buf, size_t len);
void _exit(int status) __attribute__((noreturn));
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_gettime(clockid_t clk, struct timespec *ts);
int sched_yield(void);
int getrusage(int who, struct rusage_min *ru);
pid_t getpid(void);
pid_t getppid(void);
int brk(void *addr);
void *sbrk(ptrdiff_t incr);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int mlock(const void *addr, size_t len);
int munlock(const void *addr, size_t len);
int madvise(void *addr, size_t len, int advice);
pid_t wait4(pid_t pid, int *status, int options, void *rusage);
int open_image(const char *name);
/* /proc and /sys files (a snapshot at open; writes are one value each). */
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);
int close(int fd);
ssize_t read(int fd, void *buf, size_t len);
off_t lseek(int fd, off_t off, int whence);
pid_t spawn(const char *name, const char *arg);
pid_t spawn_attr(const char *name, const char *arg, const struct spawn_attr *attr);

/* Small helpers the apps share. */
void sleep_ms(unsigned ms);
/* Poll *flag every 1 ms until it is at least v (a kernel test writes it). */
void wait_flag(volatile uint64_t *flag, uint64_t v);
/* The words of argv[1..] split at spaces (the kernel may pass one argument
 * string "a b c" or separate ones): up to max pointers into argv's strings
 * (modified in place) in tok; returns how many. */
int app_args(int argc, char **argv, char **tok, int max);
#endif
