/*
 * /proc and /sys files opened by apps (the openat/read/write/lseek/close
 * system calls of kernel/syscall.c). A readable file is generated once,
 * at open, into a snapshot the reads then walk (Linux's seq_file gives
 * each open its own view the same way); a write goes to the knob whole,
 * each call being one value. The snapshot is kmalloc'd and freed at close
 * or exit.
 */
#include <errno.h>
#include <kernel/procfs.h>
#include <kernel/task.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <mm/uaccess.h>
#include <stdint.h>
#include <string.h>

#include "proc_table.h"

#define SNAPSHOT_FIRST 4096
#define SNAPSHOT_TRIES 4   /* a file that keeps growing while generated is cut */
#define KNOB_WRITE_MAX 64

struct proc_file {
	char path[PROC_PATH_MAX];
	unsigned acc;     /* PROC_O_* */
	char *data;       /* snapshot (readable opens) */
	size_t len, pos;
};

/* The whole file into f->data, generated until it fits. */
static int snapshot(struct proc_file *f)
{
	size_t size = SNAPSHOT_FIRST;

	for (int i = 0;; i++) {
		char *buf = kvmalloc(size, GFP_KERNEL);
		long n;

		if (!buf)
			return -ENOMEM;
		n = proc_read(f->path, buf, size);
		if (n < 0) {
			kvfree(buf);
			return (int)n;
		}
		if ((size_t)n < size || i + 1 == SNAPSHOT_TRIES) {
			f->data = buf;
			f->len = MIN((size_t)n, size - 1);
			return 0;
		}
		kvfree(buf);
		size = (size_t)n + 1 + SNAPSHOT_FIRST / 4; /* room for a little growth */
	}
}

int proc_file_open(const char *path, unsigned acc, struct proc_file **out)
{
	struct proc_file *f;
	bool is_dir;
	unsigned mode;
	int r;

	if (acc > PROC_O_RDWR)
		return -EINVAL;
	if ((r = proc_stat(path, &is_dir, &mode)))
		return r;
	if (is_dir)
		return -EISDIR;
	if ((acc != PROC_O_WRONLY && !(mode & 0444)) || (acc != PROC_O_RDONLY && !(mode & 0222)))
		return -EACCES;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	strcpy(f->path, path); /* proc_stat checked its length */
	f->acc = acc;
	if (acc != PROC_O_WRONLY && (r = snapshot(f))) {
		kfree(f);
		return r;
	}
	*out = f;
	return 0;
}

long proc_file_read(struct proc_file *f, u64 ubuf, u64 n)
{
	if (f->acc == PROC_O_WRONLY)
		return -EBADF;
	n = MIN(n, (u64)(f->len - MIN(f->pos, f->len)));
	if (!n)
		return 0;
	if (copy_to_user(current->mm, ubuf, f->data + f->pos, n))
		return -EFAULT;
	f->pos += n;
	return (long)n;
}

long proc_file_write(struct proc_file *f, u64 ubuf, u64 n)
{
	char buf[KNOB_WRITE_MAX];

	if (f->acc == PROC_O_RDONLY)
		return -EBADF;
	if (!n || n > KNOB_WRITE_MAX)
		return -EINVAL;
	if (copy_from_user(current->mm, buf, ubuf, n))
		return -EFAULT;
	return proc_write(f->path, buf, n);
}

s64 proc_file_lseek(struct proc_file *f, s64 off, unsigned whence)
{
	s64 base;

	switch (whence) {
	case PROC_SEEK_SET: base = 0; break;
	case PROC_SEEK_CUR: base = (s64)f->pos; break;
	case PROC_SEEK_END: base = (s64)f->len; break;
	default: return -EINVAL;
	}
	if ((off < 0 && base + off < 0) || (off > 0 && base > INT64_MAX - off))
		return -EINVAL;
	f->pos = (size_t)(base + off);
	return (s64)f->pos;
}

void proc_file_close(struct proc_file *f)
{
	kvfree(f->data);
	kfree(f);
}
