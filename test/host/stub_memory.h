/* The recording stubs of test/host/stub_memory.c (test_vma only; temporary). */
#ifndef TEST_STUB_MEMORY_H
#define TEST_STUB_MEMORY_H

#include <mm/mm_types.h>

enum stub_op { STUB_ZAP, STUB_PROTECT, STUB_POPULATE, STUB_READAHEAD, STUB_MLOCK, STUB_COLD, STUB_PAGEOUT };

struct stub_call {
	enum stub_op op;
	struct vm_area_struct *vma;
	u64 vma_flags; /* at the time of the call */
	u64 start, end;
	bool lock;     /* mlock_range */
};

#define STUB_MAX_CALLS 4096
extern struct stub_call stub_calls[STUB_MAX_CALLS];
extern unsigned stub_nr_calls;
extern int stub_populate_error; /* what populate_range returns */
extern unsigned stub_shmem_live; /* shmem objects not yet freed */

void stub_reset(void);

#endif
