/* System call statistics and test hooks (kernel/syscall.c). */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stddef.h>
#include <types.h>
#include <uapi/pagoda/syscall.h>

/* Calls per number; [NR_SYSCALLS] counts unknown numbers. */
extern u64 syscall_count[NR_SYSCALLS + 1];
/* Also copy what apps write to the console into buf (NUL-terminated,
 * truncated at size); NULL stops. For self-tests that check app output. */
void syscall_capture(char *buf, size_t size);
/* Sleep until apps have written needle n times into the capture buffer,
 * or timeout_ns passed: whether they did. */
bool syscall_capture_wait(const char *needle, unsigned n, u64 timeout_ns);

#endif
