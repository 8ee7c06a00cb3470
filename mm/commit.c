/*
 * The overcommit policy and Committed_AS (include/mm/commit.h,
 * docs/overcommit.md). mm/mmap.c decides what is charged (VM_ACCOUNT
 * VMAs) and calls vm_enough_memory / vm_unacct_memory; this file only
 * keeps the counter, the knobs and the arithmetic.
 *
 * Locking: none (include/mm/mm_types.h): one CPU, no preemption.
 */
#include <errno.h>
#include <lib/panic.h>
#include <mm/commit.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/swap.h>

#define MAX_RATIO 1000 /* percent: CommitLimit at most 10x RAM + swap, no u64 overflow */

static struct commit_policy policy = {
	.mode = CONFIG_OVERCOMMIT_MEMORY,
	.ratio = CONFIG_OVERCOMMIT_RATIO,
	.kbytes = CONFIG_OVERCOMMIT_KBYTES,
};
static u64 committed; /* Committed_AS, pages */

u64 commit_limit_pages(const struct commit_policy *p, u64 ram_pages, u64 swap_pages)
{
	u64 allowed = p->kbytes ? p->kbytes / (PAGE_SIZE >> 10) : ram_pages * p->ratio / 100;

	return allowed + swap_pages; /* hugetlb pages: none */
}

bool commit_allowed(const struct commit_policy *p, u64 pages, u64 committed_now, u64 ram_pages, u64 swap_pages)
{
	switch (p->mode) {
	case OVERCOMMIT_ALWAYS:
		return true;
	case OVERCOMMIT_GUESS:
		return pages <= ram_pages + swap_pages;
	default:
		return committed_now + pages < commit_limit_pages(p, ram_pages, swap_pages);
	}
}

int set_overcommit_memory(int mode)
{
	if (mode < OVERCOMMIT_GUESS || mode > OVERCOMMIT_NEVER)
		return -EINVAL;
	policy.mode = mode;
	return 0;
}

int set_overcommit_ratio(s64 ratio)
{
	if (ratio < 0 || ratio > MAX_RATIO)
		return -EINVAL;
	policy.ratio = (u64)ratio;
	policy.kbytes = 0;
	return 0;
}

int set_overcommit_kbytes(s64 kbytes)
{
	if (kbytes < 0)
		return -EINVAL;
	policy.kbytes = (u64)kbytes;
	if (kbytes)
		policy.ratio = 0;
	return 0;
}

struct commit_policy get_overcommit(void) { return policy; }

static u64 swap_pages(void)
{
	struct swap_info si;

	swap_get_info(&si);
	return si.nr_slots;
}

int vm_enough_memory(u64 pages, u64 replacing)
{
	u64 others = committed - MIN(replacing, committed);

	if (!commit_allowed(&policy, pages, others, nr_managed_pages(), swap_pages()))
		return -ENOMEM;
	committed += pages;
	return 0;
}

void vm_unacct_memory(u64 pages)
{
	BUG_ON(pages > committed);
	committed -= pages;
}

u64 vm_committed_pages(void) { return committed; }

u64 vm_commit_limit(void) { return commit_limit_pages(&policy, nr_managed_pages(), swap_pages()); }

static void commit_meminfo(struct meminfo *mi)
{
	mi->commit_limit += vm_commit_limit() * (PAGE_SIZE >> 10);
	mi->committed_as += committed * (PAGE_SIZE >> 10);
}

static struct meminfo_provider commit_provider = { .fill = commit_meminfo };

void commit_meminfo_register(void) { meminfo_add_provider(&commit_provider); }
