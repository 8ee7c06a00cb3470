/*
 * Address-space system calls on an mm (mm/mmap.c), used by kernel/syscall.c
 * and the app loader. They edit the VMA set (mm/vma.h) and call the page
 * level (mm/memory.h) to drop, re-protect or populate pages.
 *
 * Every argument comes straight from EL0 and is checked here: the result is
 * 0 / an address, or a negative errno, and a failed call changes nothing
 * visible (Linux's semantics for each call are the reference; each function
 * names where it differs).
 */
#ifndef MM_MMAP_H
#define MM_MMAP_H

#include <mm/mm_types.h>

/* A new empty address space: TTBR0 tables (4 or 3 levels, as the kernel's
 * VA_BITS), no VMAs, mmap_base = USER_STACK_TOP - stack - gap. NULL on -ENOMEM. */
struct mm_struct *mm_create(void);
/* Unmap everything (every page released, tables freed, charges given
 * back) and free mm. The caller has switched TTBR0 away from it and
 * released its ASID. */
void mm_destroy(struct mm_struct *mm);
/* mm_destroy in bounded steps: resched (if not NULL) is called between
 * batches of about 16 page-table pages or 512 pages freed; it may
 * schedule, and no other task may change mm's VMAs meanwhile. */
void exit_mmap(struct mm_struct *mm, void (*resched)(void));

/*
 * mmap: prot PROT_*, flags MAP_SHARED|MAP_PRIVATE (exactly one), MAP_FIXED,
 * MAP_ANONYMOUS, MAP_POPULATE. file NULL with MAP_ANONYMOUS; off page
 * aligned. vm_extra adds VM_* flags (VM_GROWSDOWN for the stack, VM_HEAP),
 * name labels the VMA in maps. Returns the address or -EINVAL/-ENOMEM/
 * -EACCES (writable shared mapping of a read-only file, or PROT_WRITE with
 * PROT_EXEC: the W^X policy)/-ENODEV.
 * MAP_FIXED replaces what was there.
 */
s64 do_mmap(struct mm_struct *mm, u64 addr, u64 len, unsigned prot, unsigned flags,
	     struct address_space *file, u64 off, u64 vm_extra, const char *name);
/* Unmap [addr, addr+len) (holes allowed; VMAs split as needed). 0 or -EINVAL/-ENOMEM. */
int do_munmap(struct mm_struct *mm, u64 addr, u64 len);
/* Change permissions of [addr, addr+len), which must be fully mapped
 * (-ENOMEM otherwise, as Linux); -EACCES if the VMA may not get them or
 * prot is PROT_WRITE|PROT_EXEC (W^X). Fails having changed nothing. */
int do_mprotect(struct mm_struct *mm, u64 addr, u64 len, unsigned prot);
/* brk(2): move the break; returns the new break, or the old one if refused
 * (below start_brk, into another VMA, out of memory). brk(0) queries. */
u64 do_brk(struct mm_struct *mm, u64 newbrk);
/* madvise(2): MADV_NORMAL/RANDOM/SEQUENTIAL (VMA flags), WILLNEED (read the
 * file range into the page cache), DONTNEED (drop pages: anon reads back
 * zero, file pages reload). 0 or -EINVAL/-ENOMEM. */
int do_madvise(struct mm_struct *mm, u64 addr, u64 len, int advice);
/* mlock/munlock: set/clear VM_LOCKED, populate (fault in) every page on lock.
 * 0, -EINVAL (the range wraps), -ENOMEM (range not mapped, or a page could
 * not be read in) or -EAGAIN (no memory to fault it in); a failure changes
 * nothing (mm/mmap.c). */
int do_mlock(struct mm_struct *mm, u64 addr, u64 len, bool lock);

#endif
