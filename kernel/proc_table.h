/*
 * The inside of the /proc and /sys tree (include/kernel/procfs.h is the
 * outside): the tables of files kernel/procfs.c builds its tree from, the
 * per-pid directories' hooks, and the stream a file is generated into.
 *
 * A file is one struct proc_entry. Its path is relative to "/" and a "#"
 * component stands for a pid ("proc/#/status" is every /proc/<pid>/status;
 * /proc/self is the caller's). It is one of
 *   generated  show(f, pid) prints it (0 or -errno, e.g. -ESRCH);
 *   knob       get() is printed "%ld\n" and set(v) takes the parsed value
 *              (0 or Linux's errno, nothing changed on error); either may
 *              be NULL (a write-only or read-only knob);
 *   text knob  store(s, pid) parses s itself (NUL-terminated, the one
 *              trailing newline echo sends removed).
 * Tables are const data; the tree keeps pointers into them.
 */
#ifndef KERNEL_PROC_TABLE_H
#define KERNEL_PROC_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <types.h>

struct proc_entry {
	const char *path;
	int (*show)(FILE *f, int pid);
	int (*store)(const char *s, int pid);
	long (*get)(void);
	int (*set)(long v);
};

struct proc_table {
	const struct proc_entry *e;
	size_t n;
};

#define PROC_TABLE(name, arr) const struct proc_table name = { arr, sizeof(arr) / sizeof(arr[0]) }

/* Every table of the tree, NULL-terminated, in readdir order
 * (kernel/proc_files.c on the target; a host test gives its own). */
extern const struct proc_table *const proc_tables[];
/* /proc/sys/vm's mm knobs (kernel/proc_vm.c, host-testable). */
extern const struct proc_table proc_vm_table;

/* Per-pid directories (kernel/proc_files.c; a host test fakes them):
 * whether pid has a directory, the next pid above after (-1 to start; -1
 * when none), and the caller's pid (/proc/self). */
bool proc_pid_exists(int pid);
int proc_pid_next(int after);
int proc_pid_self(void);

/* A number as Linux's proc_dointvec reads it: blanks, an optional '-',
 * decimal digits, blanks. 0 or -EINVAL (nothing else, or out of long). */
int proc_parse_long(const char *s, long *v);

/* A stream that keeps the first size - 1 bytes written to it in buf and
 * counts them all (kernel/proc_sink.c over picolibc; the host tests' over
 * glibc). open: the stream or NULL (no memory); close: the count, buf
 * NUL-terminated (when size > 0). */
struct proc_sink {
	char *buf;
	size_t size, len;
	void *impl;
};
FILE *proc_sink_open(struct proc_sink *s);
size_t proc_sink_close(struct proc_sink *s, FILE *f);

/* vm.drop_caches (kernel/proc_sys.c): 1 clean page cache, 2 slab (the
 * shrinkers and empty slabs), 3 both, 4 nothing (Linux's "quiet" bit). */
int drop_caches(long v);

/* Apps' open /proc files (kernel/proc_fd.c; the syscalls' side). */
#define PROC_O_RDONLY 0
#define PROC_O_WRONLY 1
#define PROC_O_RDWR 2
#define PROC_SEEK_SET 0
#define PROC_SEEK_CUR 1
#define PROC_SEEK_END 2
struct proc_file;
/* Open path for acc (PROC_O_*): a readable open generates the file now.
 * 0 and *out, or -ENOENT/-ENOTDIR/-ENAMETOOLONG, -EISDIR, -EACCES (the
 * file does not allow acc), -EINVAL (bad acc), -ENOMEM. */
int proc_file_open(const char *path, unsigned acc, struct proc_file **out);
/* Copy up to n bytes of the snapshot to the current task's ubuf: the
 * count (0 at the end), -EFAULT, -EBADF (opened write-only). */
long proc_file_read(struct proc_file *f, u64 ubuf, u64 n);
/* Write the n bytes at ubuf as one value: n, proc_write's errnos,
 * -EFAULT, -EINVAL (n is 0 or over 64), -EBADF (opened read-only). */
long proc_file_write(struct proc_file *f, u64 ubuf, u64 n);
/* Move the read offset: the new one, or -EINVAL (bad whence, negative). */
s64 proc_file_lseek(struct proc_file *f, s64 off, unsigned whence);
void proc_file_close(struct proc_file *f);

#endif
