/*
 * Per-app memory budgets (mm/budget.c, docs/budgets.md): an optional limit
 * on an app's resident + swap pages, as Linux's memory+swap (memsw) limit
 * of a memory cgroup holding one app.
 *
 *   usage = rss_anon + rss_file + rss_shmem + swapents     (pages, of one mm)
 *
 * The usage is read from the mm's own counters, never kept twice, so it
 * cannot drift. What changes it:
 *
 *   event                          rss    swapents  usage
 *   anon fault, COW of zero/file   +1               +1   charged
 *   file or shmem page mapped      +1               +1   charged
 *   COW replacing a mapped page    +1-1             0
 *   swap-out (PTE -> swap entry)   -1     +1        0
 *   swap-in (entry -> page)        +1     -1        0
 *   unmap, zap, exit               -1 / -1          -1
 *
 * A charge (mem_budget_charge, called by the fault path before it
 * allocates) that would take usage above the limit first reclaims within
 * the app: its clean page-cache pages are unmapped from it (the only pages
 * whose reclaim lowers resident + swap: an anon page swapped out still
 * counts as a swap entry). If that is not enough, the budget's OOM hook
 * (kernel/oom.c: constraint CONSTRAINT_MEMCG) kills the app, and the
 * charge fails: nothing was allocated.
 *
 * Locking: none of its own: the mm belongs to the running task (faults)
 * or to a caller that has stopped it (include/mm/mm_types.h).
 */
#ifndef MM_BUDGET_H
#define MM_BUDGET_H

#include <mm/gfp.h>
#include <mm/mm_types.h>
#include <types.h>

/* Resident + swap pages of mm. */
u64 mm_budget_usage(const struct mm_struct *mm);
/* Pages to reclaim so that usage + nr fits limit (0 = no limit: 0). Pure. */
u64 mm_budget_excess(u64 usage, u64 limit, u64 nr);

/* Set mm's limit in kB (0: none), rounded down to whole pages: 0, or
 * -EINVAL for 1..3 kB (less than a page). A limit below the current usage
 * is accepted; the next charge reclaims, then OOM-kills. */
int mm_budget_set(struct mm_struct *mm, u64 limit_kb);
/* mm's limit in kB (0: none). */
u64 mm_budget_get_kb(const struct mm_struct *mm);

/* One more page for mm (the fault path, before it allocates): 0 = fits;
 * 1 = it fits after reclaim unmapped some of mm's pages (the caller's
 * page-table walk is stale: walk again); -ENOMEM = over the limit even
 * after reclaim, the budget OOM hook has run (the app is being killed). */
int mem_budget_charge(struct mm_struct *mm, gfp_t gfp);
/* Unmap up to nr of mm's clean page-cache pages, old ones first. The pages
 * taken out of the usage. */
u64 mem_budget_reclaim(struct mm_struct *mm, u64 nr);

/* Called when a charge stays over the limit (kernel/oom.c installs it):
 * kill within the budget. NULL: the charge just fails. */
extern void (*mem_budget_oom_hook)(struct mm_struct *mm, gfp_t gfp);

#endif
