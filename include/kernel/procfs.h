/*
 * The /proc and /sys tree (kernel/procfs.c and the files it lists): the
 * reports as generated read-only files and the knobs as writable ones,
 * with Linux's paths, formats and errnos. The shell (cat, echo > file, ls,
 * tab completion) and the apps' open/read/write/close syscalls both go
 * through these calls.
 *
 *   /proc/meminfo vmstat buddyinfo zoneinfo pagetypeinfo slabinfo
 *         vmallocinfo swaps pressure/memory ...
 *   /proc/<pid>/{maps,smaps,smaps_rollup,status,oom_score,oom_score_adj}
 *   /proc/self -> the calling task's /proc/<pid>
 *   /proc/sys/vm/{swappiness,drop_caches,compact_memory,panic_on_oom,
 *                 min_free_kbytes,overcommit_*,...}
 *   /sys/block/zram0/{mm_stat,io_stat,reset,compact,mem_limit,...}
 *   /sys/kernel/debug/extfrag/{unusable_index,extfrag_index}
 *
 * A file is read whole at each call (generated then, as Linux's seq_file
 * does on open); a write is parsed whole. Paths are absolute, '/'-separated;
 * "//" and a trailing '/' are accepted, "." and ".." are not.
 *
 * Locking: the tree is built at boot and then only read; per-pid
 * directories come from the task list at lookup. The generators take the
 * locks their reports take. Task context only.
 */
#ifndef KERNEL_PROCFS_H
#define KERNEL_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <types.h>

#define PROC_PATH_MAX 128

/* Build the tree. 0 or -ENOMEM. */
int procfs_init(void);

/* What is at path: 0 and *is_dir / *mode (bits 0444 readable, 0222
 * writable, as ls -l shows them), or -ENOENT (nothing there),
 * -ENAMETOOLONG, -ENOTDIR (a file used as a directory). */
int proc_stat(const char *path, bool *is_dir, unsigned *mode);

/* Generate the file at path into buf (at most size - 1 bytes, then a NUL).
 * The file's whole length (more than size - 1: buf holds its start), or
 * -ENOENT, -EISDIR, -EACCES (a write-only file), -ENOMEM. */
long proc_read(const char *path, char *buf, size_t size);

/* Write len bytes (one value, a trailing newline allowed, as echo sends
 * it) to the file at path. len, or -ENOENT, -EISDIR, -EACCES (read-only),
 * -EINVAL (does not parse, or out of the knob's range: Linux's errno for
 * each knob), -ESRCH (the pid went away); on error nothing changed. */
long proc_write(const char *path, const char *buf, size_t len);

/* Call fn for each entry of the directory at path, in a stable order
 * (per-pid directories in pid order). 0, -ENOENT, -ENOTDIR. */
int proc_readdir(const char *path, void (*fn)(void *arg, const char *name, bool is_dir), void *arg);

#endif
