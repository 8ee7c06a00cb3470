/*
 * Per-app memory budgets (include/mm/budget.h, docs/budgets.md).
 *
 *   fault needs a page ── mem_budget_charge(mm) ── usage + 1 <= limit ──> 0
 *                                │ no
 *                                ├─ failcnt++, reclaim the excess (at least
 *                                │  a batch) from mm's clean file pages:
 *                                │  fits now ──> 1 (the fault walks again)
 *                                └─ still over ──> OOM hook (CONSTRAINT_MEMCG),
 *                                                 -ENOMEM (nothing allocated)
 *
 * Reclaim unmaps page-cache pages from this mm only (mm/memory.c's
 * unmap_file_pages): pages other apps map stay mapped there, and a page
 * left unmapped stays in the page cache, clean, for global reclaim or the
 * next fault. Anon and shmem pages are left: swapping them out would not
 * lower resident + swap.
 */
#include <arch/layout.h>
#include <errno.h>
#include <mm/budget.h>
#include <mm/memory.h>

#define BUDGET_RECLAIM_BATCH 32 /* as SWAP_CLUSTER_MAX */

void (*mem_budget_oom_hook)(struct mm_struct *mm, gfp_t gfp);

u64 mm_budget_usage(const struct mm_struct *mm)
{
	return mm_rss(mm) + mm->rss[MM_SWAPENTS];
}

u64 mm_budget_excess(u64 usage, u64 limit, u64 nr)
{
	if (!limit || usage + nr <= limit)
		return 0;
	return usage + nr - limit;
}

int mm_budget_set(struct mm_struct *mm, u64 limit_kb)
{
	u64 pages = limit_kb >> (PAGE_SHIFT - 10);

	if (limit_kb && !pages)
		return -EINVAL;
	mm->budget.limit = pages;
	return 0;
}

u64 mm_budget_get_kb(const struct mm_struct *mm) { return mm->budget.limit << (PAGE_SHIFT - 10); }

u64 mem_budget_reclaim(struct mm_struct *mm, u64 nr)
{
	u64 got = 0;

	/* two passes: pages not used since the last look, then any */
	for (int pass = 0; pass < 2 && got < nr; pass++) {
		struct vm_area_struct *v;

		list_for_each_entry(v, &mm->vma_list, list) {
			if (got >= nr)
				break;
			got += unmap_file_pages(v, nr - got, pass == 0);
		}
	}
	mm->budget.reclaimed += got;
	return got;
}

int mem_budget_charge(struct mm_struct *mm, gfp_t gfp)
{
	u64 usage = mm_budget_usage(mm), excess = mm_budget_excess(usage, mm->budget.limit, 1);

	if (!excess) {
		if (usage + 1 > mm->budget.max_usage)
			mm->budget.max_usage = usage + 1;
		return 0;
	}
	mm->budget.failcnt++;
	mem_budget_reclaim(mm, excess > BUDGET_RECLAIM_BATCH ? excess : BUDGET_RECLAIM_BATCH);
	if (!mm_budget_excess(mm_budget_usage(mm), mm->budget.limit, 1))
		return 1;
	if (mem_budget_oom_hook)
		mem_budget_oom_hook(mm, gfp);
	return -ENOMEM;
}
