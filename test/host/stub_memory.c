/*
 * Test-local stand-ins for the page level (include/mm/memory.h), the page
 * cache's shmem/put (include/mm/filemap.h) and the vm_stat counters, used
 * only by test_vma: they record every call so that the VMA tests can
 * assert which ranges mm/mmap.c zaps, re-protects, populates, reads ahead
 * and mlocks, without any page being mapped.
 *
 * Temporary: drop it once mm/memory.c and mm/filemap.c exist and test_vma
 * links them (the call-recording assertions then become page-table and
 * RSS checks).
 */
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>
#include <string.h>

#include "stub_memory.h"

s64 vm_stat[NR_VM_STAT_ITEMS];
struct stub_call stub_calls[STUB_MAX_CALLS];
unsigned stub_nr_calls;
int stub_populate_error;
unsigned stub_shmem_live;

/* No swap device: CommitLimit (mm/commit.c) counts RAM only. */
void swap_get_info(struct swap_info *si) { memset(si, 0, sizeof(*si)); }

static void record(enum stub_op op, struct vm_area_struct *vma, u64 start, u64 end, bool lock)
{
	if (stub_nr_calls < STUB_MAX_CALLS)
		stub_calls[stub_nr_calls] = (struct stub_call){ op, vma, vma->flags, start, end, lock };
	stub_nr_calls++;
}

void zap_page_range(struct vm_area_struct *vma, u64 start, u64 end) { record(STUB_ZAP, vma, start, end, false); }
void zap_page_range_gap(struct vm_area_struct *vma, u64 start, u64 end, u64 floor, u64 ceiling)
{
	(void)floor, (void)ceiling;
	record(STUB_ZAP, vma, start, end, false);
}
void change_protection(struct vm_area_struct *vma, u64 start, u64 end) { record(STUB_PROTECT, vma, start, end, false); }
void madvise_cold_range(struct vm_area_struct *vma, u64 start, u64 end) { record(STUB_COLD, vma, start, end, false); }
u64 madvise_pageout_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	record(STUB_PAGEOUT, vma, start, end, false);
	return 0;
}

int populate_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	record(STUB_POPULATE, vma, start, end, false);
	return stub_populate_error;
}

int populate_range_logged(struct vm_area_struct *vma, u64 start, u64 end, struct populate_log *log)
{
	(void)log;
	return populate_range(vma, start, end);
}

void populate_log_end(struct mm_struct *mm, struct populate_log *log, bool undo)
{
	(void)mm, (void)log, (void)undo; /* nothing was mapped */
}

int readahead_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	record(STUB_READAHEAD, vma, start, end, false);
	return 0;
}

void mlock_range(struct vm_area_struct *vma, u64 start, u64 end, bool lock) { record(STUB_MLOCK, vma, start, end, lock); }

struct address_space *shmem_create(u64 size)
{
	struct address_space *as = kzalloc(sizeof(*as), GFP_KERNEL);

	if (!as)
		return NULL;
	as->name = "/dev/zero (deleted)";
	as->size = size;
	as->nr_slots = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	INIT_LIST_HEAD(&as->i_mmap);
	as->refs = 1;
	as->shmem = true;
	stub_shmem_live++;
	return as;
}

void address_space_put(struct address_space *as)
{
	if (--as->refs == 0 && as->shmem) {
		stub_shmem_live--;
		kfree(as);
	}
}

void stub_reset(void)
{
	stub_nr_calls = 0;
	stub_populate_error = 0;
}
