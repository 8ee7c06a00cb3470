/*
 * Access to app memory from the kernel (mm/uaccess.c), for syscalls.
 * The kernel never dereferences a user pointer: each page of the range is
 * looked up in the mm's tables (faulted in with the app's permissions if
 * absent or read-only, exactly as if the app had touched it) and copied
 * through the kernel's linear map. So a bad pointer is an -EFAULT, never a
 * kernel fault, and this works the same on the host.
 */
#ifndef MM_UACCESS_H
#define MM_UACCESS_H

#include <mm/mm_types.h>

/* [uaddr, uaddr+len) lies in user space (no wrap, below USER_VA_END). */
bool access_ok(u64 uaddr, u64 len);
/* Copy n bytes from app address src; 0 or -EFAULT (nothing is guaranteed
 * about dst on failure). */
int copy_from_user(struct mm_struct *mm, void *dst, u64 src, size_t n);
/* Copy n bytes to app address dst (COW/zero pages are resolved as writes). 0 or -EFAULT. */
int copy_to_user(struct mm_struct *mm, u64 dst, const void *src, size_t n);
/* Zero n bytes at app address dst. 0 or -EFAULT. */
int clear_user(struct mm_struct *mm, u64 dst, size_t n);
/* Copy a NUL-terminated string of at most n-1 chars; returns its length,
 * -ENAMETOOLONG if no NUL within n bytes, or -EFAULT. */
long strncpy_from_user(struct mm_struct *mm, char *dst, u64 src, size_t n);

#endif
