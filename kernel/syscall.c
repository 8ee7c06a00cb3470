/*
 * System calls (ABI: include/uapi/pagoda/syscall.h). Each handler takes
 * the raw 64-bit arguments, checks every one of them (pointers through
 * mm/uaccess.c, ranges and flags by the mm calls) and returns a value or a
 * negative errno; nothing an app passes can crash or corrupt the kernel.
 * Runs with interrupts enabled, in the calling task.
 */
#include <arch/context.h>
#include <arch/timer.h>
#include <arch/user_va.h>
#include <kernel/console.h>
#include <errno.h>
#include <kernel/app_class.h>
#include <kernel/appimg.h>
#include <kernel/oom.h>
#include <kernel/procfs.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/cacheflush.h>
#include <mm/filemap.h>
#include <mm/mmap.h>
#include <mm/uaccess.h>
#include <string.h>
#include <stdio.h>
#include <uapi/pagoda/syscall.h>

#include "proc_table.h"

#define WRITE_CHUNK 256
#define WRITE_MAX (1u << 20) /* longest single write; more is a short write */

/* The apps' struct timespec: 64-bit tv_sec, then a long tv_nsec, which on
 * a 32-bit app (ARMv7-A) is the low word followed by padding that the
 * app need not zero: read it masked to the app's word, as Linux does for
 * compat tasks (USER_WORD_MASK, arch/user_va.h). */
struct timespec_user { s64 tv_sec; s64 tv_nsec; };

u64 syscall_count[NR_SYSCALLS + 1]; /* the last slot counts unknown numbers */

static char *cap_buf;
static size_t cap_size, cap_len;

void syscall_capture(char *buf, size_t size)
{
	cap_buf = buf;
	cap_size = size;
	cap_len = 0;
	if (buf && size)
		buf[0] = 0;
}

bool syscall_capture_wait(const char *needle, unsigned n, u64 timeout_ns)
{
	u64 deadline = timer_now_ns() + timeout_ns;

	for (;;) {
		unsigned seen = 0;

		for (const char *p = cap_buf; p && (p = strstr(p, needle)); p++)
			seen++;
		if (seen >= n)
			return true;
		if (timer_now_ns() >= deadline)
			return false;
		task_sleep_ns(1000000); /* apps run meanwhile */
	}
}

static void console_out(const char *s, size_t n)
{
	console_write(s, n);
	if (cap_buf && cap_len + 1 < cap_size) {
		size_t k = MIN(n, cap_size - 1 - cap_len);

		memcpy(cap_buf + cap_len, s, k);
		cap_len += k;
		cap_buf[cap_len] = 0;
	}
}

/* The /proc file open at fd, or NULL. */
static struct proc_file *fd_proc(u64 fd)
{
	if (fd < 3 || fd >= 3 + TASK_MAX_FILES)
		return NULL;
	return current->proc_files[fd - 3];
}

/* The handlers stay out of line: do_syscall keeps a small frame without a
 * stack-protector canary (their buffers have theirs), which is most of the
 * cost of a trivial call such as getpid. */
#define SYSCALL_BODY __attribute__((noinline))

static SYSCALL_BODY s64 sys_write(u64 fd, u64 buf, u64 len)
{
	char chunk[WRITE_CHUNK];
	u64 done = 0;

	if (fd_proc(fd))
		return proc_file_write(fd_proc(fd), buf, len);
	if (fd != 1 && fd != 2)
		return -EBADF;
	if (!access_ok(buf, MIN(len, (u64)WRITE_MAX)))
		return -EFAULT;
	len = MIN(len, (u64)WRITE_MAX);
	while (done < len) {
		size_t n = MIN(len - done, (u64)WRITE_CHUNK);

		if (copy_from_user(current->mm, chunk, buf + done, n))
			return done ? (s64)done : -EFAULT;
		console_out(chunk, n);
		done += n;
	}
	return (s64)done;
}

static SYSCALL_BODY s64 sys_nanosleep(u64 ureq, u64 urem)
{
	struct timespec_user req, rem = { 0, 0 };

	if (copy_from_user(current->mm, &req, ureq, sizeof(req)))
		return -EFAULT;
	req.tv_nsec = (s64)((u64)req.tv_nsec & USER_WORD_MASK); /* all of it on AArch64 */
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= 1000000000)
		return -EINVAL;
	if (req.tv_sec > 100000)
		req.tv_sec = 100000; /* ~28 hours: no overflow in ns */
	task_sleep_ns((u64)req.tv_sec * 1000000000ull + (u64)req.tv_nsec);
	if (current->kill_sig)
		return -EINTR; /* killed (maybe OOM-reaped): touch no user memory */
	if (urem && copy_to_user(current->mm, urem, &rem, sizeof(rem)))
		return -EFAULT;
	return current->kill_sig ? -EINTR : 0;
}

static SYSCALL_BODY s64 sys_clock_gettime(u64 clk, u64 utp)
{
	u64 ns = timer_now_ns();
	struct timespec_user ts = { (s64)(ns / 1000000000ull), (s64)(ns % 1000000000ull) };

	if (clk != CLOCK_MONOTONIC)
		return -EINVAL;
	return copy_to_user(current->mm, utp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

static SYSCALL_BODY s64 sys_getrusage(u64 who, u64 uru)
{
	struct mm_struct *mm = current->mm;
	struct rusage_min ru = { mm->min_flt, mm->maj_flt, mm_rss(mm) * 4, mm->hiwater_rss * 4 };

	if (who != RUSAGE_SELF)
		return -EINVAL;
	return copy_to_user(mm, uru, &ru, sizeof(ru)) ? -EFAULT : 0;
}

static struct address_space *fd_file(u64 fd)
{
	if (fd < 3 || fd >= 3 + TASK_MAX_FILES)
		return NULL;
	return current->files[fd - 3];
}

static SYSCALL_BODY s64 sys_mmap(u64 addr, u64 len, u64 prot, u64 flags, u64 fd, u64 off)
{
	struct address_space *file = NULL;

	if (!(flags & MAP_ANONYMOUS)) {
		file = fd_file(fd);
		if (!file)
			return -EBADF;
	}
	if (prot > 0xffffffffu || flags > 0xffffffffu)
		return -EINVAL;
	return do_mmap(current->mm, addr, len, (unsigned)prot, (unsigned)flags, file, off, 0, NULL);
}

static SYSCALL_BODY s64 sys_wait4(u64 pid, u64 ustatus, u64 options, u64 rusage)
{
	int status = 0, r;

	if ((s64)pid < -1 || pid == 0 || options & ~1ull || rusage)
		return -EINVAL;
	if (ustatus && !access_ok(ustatus, sizeof(int)))
		return -EFAULT;
	r = task_wait((int)(s64)pid, &status, options & 1);
	if (current->kill_sig)
		return -EINTR; /* killed (maybe OOM-reaped): touch no user memory */
	if (r > 0 && ustatus && copy_to_user(current->mm, ustatus, &status, sizeof(status)))
		return -EFAULT;
	return r;
}

/* The lowest free fd slot, or -EMFILE. */
static int free_fd_slot(void)
{
	for (unsigned i = 0; i < TASK_MAX_FILES; i++)
		if (!current->files[i] && !current->proc_files[i])
			return (int)i;
	return -EMFILE;
}

static SYSCALL_BODY s64 sys_openat(u64 dirfd, u64 upath, u64 flags, u64 mode)
{
	char path[PROC_PATH_MAX];
	struct proc_file *f;
	long n;
	int slot, r;

	(void)mode; /* nothing is created */
	if ((s64)dirfd != AT_FDCWD)
		return -EBADF; /* no directory fds */
	if (flags & ~(u64)O_ACCMODE || (flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	n = strncpy_from_user(current->mm, path, upath, sizeof(path));
	if (n < 0)
		return n;
	if ((slot = free_fd_slot()) < 0)
		return slot;
	if ((r = proc_file_open(path, (unsigned)flags, &f)))
		return r;
	current->proc_files[slot] = f;
	return 3 + slot;
}

static SYSCALL_BODY s64 sys_close(u64 fd)
{
	unsigned i = (unsigned)(fd - 3);

	if (fd < 3 || fd >= 3 + TASK_MAX_FILES || (!current->files[i] && !current->proc_files[i]))
		return -EBADF;
	if (current->files[i])
		address_space_put(current->files[i]);
	if (current->proc_files[i])
		proc_file_close(current->proc_files[i]);
	current->files[i] = NULL;
	current->proc_files[i] = NULL;
	return 0;
}

static SYSCALL_BODY s64 sys_read(u64 fd, u64 buf, u64 len)
{
	if (!fd_proc(fd))
		return -EBADF;
	if (!access_ok(buf, MIN(len, (u64)WRITE_MAX)))
		return -EFAULT;
	return proc_file_read(fd_proc(fd), buf, MIN(len, (u64)WRITE_MAX));
}

static SYSCALL_BODY s64 sys_lseek(u64 fd, u64 off, u64 whence)
{
	if (!fd_proc(fd))
		return fd_file(fd) ? -ESPIPE : -EBADF;
	return whence > 2 ? -EINVAL : proc_file_lseek(fd_proc(fd), (s64)off, (unsigned)whence);
}

static SYSCALL_BODY s64 sys_open_image(u64 uname)
{
	char name[TASK_NAME_MAX];
	struct address_space *as;
	long n = strncpy_from_user(current->mm, name, uname, sizeof(name));
	int err = 0;

	if (n < 0)
		return n == -ENAMETOOLONG ? -ENOENT : n;
	for (unsigned i = 0; i < TASK_MAX_FILES; i++) {
		if (current->files[i] || current->proc_files[i])
			continue;
		as = appimg_open(name, &err);
		if (!as)
			return err ? err : -ENOENT;
		current->files[i] = as;
		return 3 + i;
	}
	return -EMFILE;
}

static SYSCALL_BODY s64 sys_spawn(u64 uname, u64 uarg)
{
	char name[TASK_NAME_MAX], arg[TASK_ARG_MAX] = "";
	long n = strncpy_from_user(current->mm, name, uname, sizeof(name));

	if (n < 0)
		return n == -ENAMETOOLONG ? -ENOENT : n;
	if (uarg && (n = strncpy_from_user(current->mm, arg, uarg, sizeof(arg))) < 0)
		return n == -ENAMETOOLONG ? -E2BIG : n;
	return task_spawn(name, arg, current);
}

static SYSCALL_BODY s64 sys_spawn_attr(u64 uname, u64 uarg, u64 uattr)
{
	char name[TASK_NAME_MAX], arg[TASK_ARG_MAX] = "";
	struct spawn_attr attr = { 0 };
	long n = strncpy_from_user(current->mm, name, uname, sizeof(name));

	if (n < 0)
		return n == -ENAMETOOLONG ? -ENOENT : n;
	if (uarg && (n = strncpy_from_user(current->mm, arg, uarg, sizeof(arg))) < 0)
		return n == -ENAMETOOLONG ? -E2BIG : n;
	if (!uattr)
		return task_spawn_attr(name, arg, current, NULL);
	if (copy_from_user(current->mm, &attr.size, uattr, sizeof(attr.size)))
		return -EFAULT;
	if (attr.size != sizeof(attr)) /* the only version so far */
		return -EINVAL;
	if (copy_from_user(current->mm, &attr, uattr, sizeof(attr)))
		return -EFAULT;
	return task_spawn_attr(name, arg, current, &attr);
}

static SYSCALL_BODY s64 sys_app_class_set(u64 pid, u64 cls)
{
	if ((s64)pid < 0 || pid > 0x7fffffff)
		return -ESRCH;
	if (cls >= NR_APP_CLASSES)
		return -EINVAL;
	return app_class_set((int)pid, (int)cls);
}

static SYSCALL_BODY s64 sys_app_class_get(u64 pid)
{
	if ((s64)pid < 0 || pid > 0x7fffffff)
		return -ESRCH;
	return app_class_get((int)pid);
}

static SYSCALL_BODY s64 sys_oom_score_adj_set(u64 pid, u64 adj)
{
	if ((s64)pid < 0 || pid > 0x7fffffff)
		return -ESRCH;
	if ((s64)adj < OOM_SCORE_ADJ_MIN || (s64)adj > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	return oom_score_adj_set((int)pid, (int)(s64)adj);
}

static SYSCALL_BODY s64 sys_oom_score_adj_get(u64 pid)
{
	int adj = 0, r;

	if ((s64)pid < 0 || pid > 0x7fffffff)
		return -ESRCH;
	r = oom_score_adj_get((int)pid, &adj);
	return r ? r : adj;
}

static struct task *pid_task(u64 pid)
{
	if ((s64)pid < 0 || pid > 0x7fffffff)
		return NULL;
	return pid ? task_find((int)pid) : current;
}

static SYSCALL_BODY s64 sys_mem_budget_set(u64 pid, u64 limit_kb)
{
	struct task *t = pid_task(pid);

	if (!t)
		return -ESRCH;
	if ((s64)limit_kb < 0)
		return -EINVAL;
	return mem_budget_set(t, limit_kb);
}

static SYSCALL_BODY s64 sys_mem_budget_get(u64 pid)
{
	u64 kb = 0;
	int r = mem_budget_get(pid_task(pid), &kb);

	return r ? r : (s64)kb;
}

/* An int or long argument (fd, pid, offset, adjustment) as the app meant
 * it: the registers arrive zero-extended, so a 32-bit app's -1 is
 * sign-extended from its word here (arch/user_va.h); pointers and
 * lengths stay unsigned. On AArch64 the identity. */
static u64 sarg(u64 v)
{
	return USER_WORD_MASK == ~0ULL ? v : (u64)(s64)(s32)(u32)v;
}

/* The arguments are read from the frame where each case needs them (no copy:
 * no array on the stack, so no stack-protector canary on the hottest path). */
#define a(i) arch_syscall_arg(uf, i)
static s64 dispatch(u64 nr, const struct user_frame *uf)
{
	struct mm_struct *mm = current->mm;

	switch (nr) {
	case SYS_openat: return sys_openat(sarg(a(0)), a(1), a(2), a(3));
	case SYS_close: return sys_close(sarg(a(0)));
	case SYS_lseek: return sys_lseek(sarg(a(0)), sarg(a(1)), sarg(a(2)));
	case SYS_read: return sys_read(sarg(a(0)), a(1), a(2));
	case SYS_write: return sys_write(sarg(a(0)), a(1), a(2));
	case SYS_exit:
	case SYS_exit_group: task_exit(W_EXITCODE((int)(a(0) & 0xff), 0));
	case SYS_nanosleep: return sys_nanosleep(a(0), a(1));
	case SYS_clock_gettime: return sys_clock_gettime(a(0), a(1));
	case SYS_sched_yield: task_yield(); return 0;
	case SYS_getrusage: return sys_getrusage(a(0), a(1));
	case SYS_getpid: return current->pid;
	case SYS_getppid: return current->parent ? current->parent->pid : 0;
	case SYS_brk: return (s64)do_brk(mm, a(0));
	case SYS_munmap: return do_munmap(mm, a(0), a(1));
	case SYS_mmap: return sys_mmap(a(0), a(1), a(2), a(3), sarg(a(4)), sarg(a(5)));
	case SYS_mprotect: return a(2) > 0xffffffffu ? -EINVAL : do_mprotect(mm, a(0), a(1), (unsigned)a(2));
	case SYS_mlock: return do_mlock(mm, a(0), a(1), true);
	case SYS_munlock: return do_mlock(mm, a(0), a(1), false);
	case SYS_madvise: return (s64)sarg(a(2)) > 1000 || (s64)sarg(a(2)) < 0 ? -EINVAL : do_madvise(mm, a(0), a(1), (int)a(2));
	case SYS_wait4: return sys_wait4(sarg(a(0)), a(1), sarg(a(2)), a(3));
	case SYS_open_image: return sys_open_image(a(0));
	case SYS_spawn: return sys_spawn(a(0), a(1));
	case SYS_oom_score_adj_set: return sys_oom_score_adj_set(sarg(a(0)), sarg(a(1)));
	case SYS_oom_score_adj_get: return sys_oom_score_adj_get(sarg(a(0)));
	case SYS_spawn_attr: return sys_spawn_attr(a(0), a(1), a(2));
	case SYS_app_class_set: return sys_app_class_set(sarg(a(0)), sarg(a(1)));
	case SYS_app_class_get: return sys_app_class_get(sarg(a(0)));
	case SYS_mem_budget_set: return sys_mem_budget_set(sarg(a(0)), sarg(a(1)));
	case SYS_mem_budget_get: return sys_mem_budget_get(sarg(a(0)));
	case SYS_cacheflush: return do_cacheflush(mm, a(0), a(1), a(2));
	default: return -ENOSYS;
	}
}
#undef a

void do_syscall(struct user_frame *uf)
{
	u64 nr = arch_syscall_nr(uf);

	syscall_count[nr < NR_SYSCALLS ? nr : NR_SYSCALLS]++;
	arch_syscall_set_ret(uf, dispatch(nr, uf));
}
