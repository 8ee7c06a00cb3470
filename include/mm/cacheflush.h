/*
 * cacheflush(start, end, flags): make code an app wrote to [start, end)
 * visible to its instruction fetch (Linux's ARM private system call
 * __ARM_NR_cacheflush). ARMv7-A's USR mode cannot clean the data cache or
 * invalidate the instruction cache itself; AArch64 apps may (SCTLR_EL1.UCI)
 * and the call works there too.
 */
#ifndef MM_CACHEFLUSH_H
#define MM_CACHEFLUSH_H

#include <types.h>

struct mm_struct;

/* Clean the data cache to the point of unification and invalidate the
 * instruction cache over the pages of [start, end) that mm has present
 * (a page not present holds no code yet). 0; -EINVAL if flags is not 0 or
 * end < start; -EFAULT if part of the range is in no mapping. */
int do_cacheflush(struct mm_struct *mm, u64 start, u64 end, u64 flags);

#endif
