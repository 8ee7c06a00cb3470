/*
 * Overcommit policy and committed memory (mm/commit.c, docs/overcommit.md):
 * Linux's vm.overcommit_memory, overcommit_ratio and overcommit_kbytes,
 * and the two meminfo lines they govern.
 *
 *   Committed_AS  pages of private writable mappings charged so far
 *                 (VMAs with VM_ACCOUNT: mmap, brk, the stack, mprotect
 *                 making a private mapping writable), all apps together
 *   CommitLimit   (RAM pages - hugetlb pages (0)) * overcommit_ratio / 100
 *                 + swap slots; overcommit_kbytes / 4 + swap slots if set
 *
 * A charge of n pages is refused (-ENOMEM, nothing charged) when
 *   mode 0 (heuristic) n > RAM pages + swap slots (one mapping alone
 *                      larger than all memory; Linux's OVERCOMMIT_GUESS)
 *   mode 1 (always)    never
 *   mode 2 (never)     Committed_AS + n >= CommitLimit (Linux's test
 *                      after charging: committed < allowed)
 * Charges are made in every mode, so Committed_AS is right whenever the
 * mode changes. MAP_NORESERVE mappings are not charged in modes 0 and 1
 * (VM_NORESERVE), and are in mode 2, as Linux does.
 *
 * Locking: none (one CPU, no preemption; see include/mm/mm_types.h). A
 * charge and the VMA change it pays for happen in one syscall without a
 * schedule() between them.
 */
#ifndef MM_COMMIT_H
#define MM_COMMIT_H

#include <types.h>

enum { OVERCOMMIT_GUESS = 0, OVERCOMMIT_ALWAYS = 1, OVERCOMMIT_NEVER = 2 };

/* The policy and the arithmetic in one place (pure: host-tested). */
struct commit_policy {
	int mode;         /* OVERCOMMIT_* */
	u64 ratio;        /* percent of RAM, used when kbytes is 0 */
	u64 kbytes;       /* if non-zero, replaces the ratio */
};

/* CommitLimit in pages for ram_pages of RAM (managed) and swap_pages of swap. */
u64 commit_limit_pages(const struct commit_policy *p, u64 ram_pages, u64 swap_pages);
/* May pages more be charged on top of committed? (the three modes above) */
bool commit_allowed(const struct commit_policy *p, u64 pages, u64 committed, u64 ram_pages, u64 swap_pages);

/* Runtime knobs (the shell will use them): 0, or -EINVAL keeping the old
 * value. mode 0..2; ratio 0..1000 (percent; setting it clears kbytes, as
 * Linux); kbytes >= 0 (setting it clears ratio, as Linux). */
int set_overcommit_memory(int mode);
int set_overcommit_ratio(s64 ratio);
int set_overcommit_kbytes(s64 kbytes);
/* The knobs now. */
struct commit_policy get_overcommit(void);

/* Charge pages to Committed_AS if the policy allows, counting as given
 * back the `replacing` charged pages the same call is about to unmap
 * (MAP_FIXED over accounted VMAs; the unmap uncharges them): 0, or
 * -ENOMEM with nothing charged. */
int vm_enough_memory(u64 pages, u64 replacing);
/* Give back pages charged by vm_enough_memory (VMA unmapped, call undone). */
void vm_unacct_memory(u64 pages);
/* Committed_AS and CommitLimit now, in pages. */
u64 vm_committed_pages(void);
u64 vm_commit_limit(void);

/* Register CommitLimit/Committed_AS as a meminfo provider (boot). */
void commit_meminfo_register(void);

#endif
