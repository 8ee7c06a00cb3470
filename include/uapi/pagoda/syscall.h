/*
 * The system call ABI between EL0 apps and the kernel. Shared by both
 * sides (apps/ include it as <pagoda/syscall.h>); plain C, no kernel
 * types.
 *
 * Convention (as Linux on AArch64): `svc #0` with the call number in x8
 * and up to six arguments in x0..x5; the result comes back in x0, a
 * value in [-4095, -1] being a negative errno. All other general
 * registers and SP are preserved; FP/SIMD registers are preserved.
 *
 * Numbers and flags are Linux's (arm64 generic table), so that strace
 * habits, man pages and test programs carry over; calls Linux does not
 * have start at 1000. errno values are picolibc's <errno.h> (the kernel
 * and the apps are built against the same one; e.g. ENOSYS is 88 there,
 * 38 on Linux).
 */
#ifndef PAGODA_UAPI_SYSCALL_H
#define PAGODA_UAPI_SYSCALL_H

#define SYS_openat 56        /* (AT_FDCWD, path, O_RDONLY|O_WRONLY|O_RDWR, mode) -> fd of a /proc or /sys file */
#define SYS_close 57         /* (fd) -> 0, -EBADF */
#define SYS_lseek 62         /* (fd, off, SEEK_SET 0|SEEK_CUR 1|SEEK_END 2) -> new offset; /proc files */
#define SYS_read 63          /* (fd, buf, len) -> bytes read (0 at the end); /proc files */
#define SYS_write 64         /* (fd, buf, len) -> bytes written; fd 1|2: console, else a /proc knob (one value) */
#define SYS_exit 93          /* (status) -> does not return */
#define SYS_exit_group 94    /* same as exit: one thread per app */
#define SYS_nanosleep 101    /* (const struct timespec *req, struct timespec *rem) */
#define SYS_clock_gettime 113 /* (clockid, struct timespec *) CLOCK_MONOTONIC only */
#define SYS_sched_yield 124  /* () -> 0 */
#define SYS_getrusage 165    /* (RUSAGE_SELF, struct rusage_min *) faults and RSS */
#define SYS_getpid 172       /* () -> pid */
#define SYS_getppid 173      /* () -> parent's pid (0: started by the kernel) */
#define SYS_brk 214          /* (addr) -> new break (old one if refused), brk(0) queries */
#define SYS_munmap 215       /* (addr, len) */
#define SYS_mmap 222         /* (addr, len, prot, flags, fd, off) -> addr or -errno */
#define SYS_mprotect 226     /* (addr, len, prot) */
#define SYS_mlock 228        /* (addr, len) */
#define SYS_munlock 229      /* (addr, len) */
#define SYS_madvise 233      /* (addr, len, advice) */
#define SYS_wait4 260        /* (pid, int *status, options, NULL) -> pid */
/* Pagoda's own */
#define SYS_open_image 1000  /* (const char *name) -> fd of a file in the app image (read-only) */
#define SYS_spawn 1001       /* (const char *name, const char *arg) -> pid of a new app */
#define SYS_oom_score_adj_set 1002 /* (pid or 0 for self, adj -1000..1000) -> 0, -ESRCH, -EINVAL */
#define SYS_oom_score_adj_get 1003 /* (pid or 0 for self) -> adj (-1000..1000), -ESRCH */
#define SYS_spawn_attr 1004  /* (name, arg, const struct spawn_attr *) -> pid; <pagoda/spawn.h> */
#define SYS_app_class_set 1005 /* (pid or 0 for self, enum app_class_id) -> 0, -ESRCH, -EINVAL */
#define SYS_app_class_get 1006 /* (pid or 0 for self) -> the class, -ESRCH */
#define SYS_mem_budget_set 1007 /* (pid or 0 for self, limit_kb; 0 = none) -> 0, -ESRCH, -EINVAL */
#define SYS_mem_budget_get 1008 /* (pid or 0 for self) -> limit in kB (0 = none), -ESRCH */
#define SYS_cacheflush 1009 /* (start, end, 0) -> 0: code written to [start, end) made fetchable (Linux's ARM
				* __ARM_NR_cacheflush); -EINVAL (flags, end < start), -EFAULT (outside every mapping) */
#define NR_SYSCALLS 1010

/* openat: Linux's values (do not include picolibc's <fcntl.h> beside this) */
#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_ACCMODE 3

/* mmap/mprotect prot */
#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
/* mmap flags */
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_NORESERVE 0x4000 /* not charged to Committed_AS unless overcommit_memory is 2 */
#define MAP_POPULATE 0x8000
#define MAP_FAILED ((void *)-1)
/* madvise */
#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_COLD 20     /* deactivate: reclaim takes these pages first */
#define MADV_PAGEOUT 21  /* reclaim now: anon to swap, clean file pages dropped */

#define CLOCK_MONOTONIC 1
#define RUSAGE_SELF 0

/* What getrusage fills (the fields Pagoda tracks, in struct rusage's spirit). */
struct rusage_min {
	unsigned long minflt;  /* minor faults */
	unsigned long majflt;  /* major faults (I/O from the app image) */
	unsigned long rss_kb;  /* resident set now */
	unsigned long maxrss_kb; /* high-water mark */
};

/* wait4 status, as Linux encodes it */
#define W_EXITCODE(ret, sig) ((ret) << 8 | (sig))
#define SIGKILL 9
#define SIGBUS 7
#define SIGSEGV 11
#define SIGILL 4

#endif
