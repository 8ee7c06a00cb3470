/*
 * The OOM killer (docs/oom.md): when an allocation that may reclaim still
 * fails, kill the app with the highest badness, reap its anonymous memory
 * at once and let the allocation retry; or, by policy, panic.
 *
 * Badness (Linux's oom_badness(), in pages):
 *   points = rss_anon + rss_file + rss_shmem + swapents + pgtables
 *            + oom_score_adj * (totalpages / 1000)
 *   totalpages = managed RAM pages + swap slots
 * oom_score_adj -1000 (OOM_SCORE_ADJ_MIN) and kernel threads are never
 * chosen (OOM_BADNESS_UNKILLABLE). /proc/<pid>/oom_score shows
 * (1000 + points * 1000 / totalpages) * 2 / 3, clamped to 0..2000.
 *
 * The arithmetic (oom_badness .. oom_adj_to_score_adj) is pure and lives
 * in kernel/oom_badness.c, which the host tests build alone; the killer
 * itself is kernel/oom.c.
 *
 * Locking: one CPU, cooperative kernel (include/kernel/task.h): the
 * killer runs in the allocating task, never schedules, and every other
 * task is stopped at a scheduling point that holds no mm state.
 */
#ifndef KERNEL_OOM_H
#define KERNEL_OOM_H

#include <mm/gfp.h>
#include <types.h>

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000
#define OOM_DISABLE (-17) /* legacy oom_adj */
#define OOM_ADJUST_MAX 15
#define OOM_BADNESS_UNKILLABLE ((s64)(-0x7fffffffffffffffLL - 1))

/* What badness looks at, in pages (one task's mm). */
struct oom_usage {
	u64 rss_anon, rss_file, rss_shmem;
	u64 swapents;
	u64 pgtables;   /* page-table pages charged to the mm (VmPTE) */
	int adj;        /* oom_score_adj, -1000..1000 */
	bool unkillable; /* kernel thread, task 0, or already reaped */
};

/* Linux's oom_badness(): points, or OOM_BADNESS_UNKILLABLE. Pure. */
s64 oom_badness(const struct oom_usage *u, u64 totalpages);
/* /proc/<pid>/oom_score (0..2000) from a badness. Pure. */
unsigned oom_score(s64 badness, u64 totalpages);
/* Legacy /proc/<pid>/oom_adj (-17..15) shown for an oom_score_adj. Pure. */
int oom_score_adj_to_adj(int score_adj);
/* oom_score_adj stored for a legacy oom_adj write (-17..15). Pure. */
int oom_adj_to_score_adj(int adj);

/* Whether an OOM panics under panic_on_oom (0..2): 2 always, 1 unless it
 * is confined to one app's budget (memcg), as Linux's check_panic_on_oom. Pure. */
bool oom_panics(int panic_on_oom, bool memcg);

/* Install out_of_memory() as the page allocator's OOM hook; knobs from
 * board.cfg (CONFIG_PANIC_ON_OOM). Boot, once. */
void oom_init(void);
/* The hook: pick and kill a victim, reap it; true if memory was freed
 * and the allocation should retry. Panics when nothing is killable or the
 * policy says so. Never for gfps without __GFP_DIRECT_RECLAIM, orders
 * above 3, or allocations limited to ZONE_DMA/DMA32 (Linux's rules). */
bool out_of_memory(gfp_t gfp, unsigned order);
/* Whether an OOM victim's own exit is freeing its memory right now (its mm
 * detached, torn down in bounded steps, kernel/exit_mm.c): out_of_memory
 * kills no one else meanwhile, and an app's fault that found no page
 * yields and retries instead of dying (Linux's pagefault_out_of_memory). */
bool oom_victim_exiting(void);

/* Runtime knobs (Linux's vm.panic_on_oom 0..2: 1 spares a budget OOM, 2
 * panics for it too; vm.oom_kill_allocating_task 0..1): 0 or -EINVAL
 * (value unchanged). */
int set_panic_on_oom(int v);
int get_panic_on_oom(void);
int set_oom_kill_allocating_task(int v);
int get_oom_kill_allocating_task(void);

/* oom_score_adj of pid (0: the caller): 0 / the value, or -ESRCH (no such
 * live task), -EINVAL (out of -1000..1000, or a kernel thread). */
int oom_score_adj_set(int pid, int adj);
int oom_score_adj_get(int pid, int *adj);

struct task;
/* The task's current badness usage and its oom_score (0..2000). */
void oom_task_usage(const struct task *t, struct oom_usage *u);
unsigned oom_task_score(const struct task *t);
/* RAM managed pages + swap slots. */
u64 oom_totalpages(void);

/* Per-app budgets (mm/budget.c) seen from tasks: t's limit in kB (0: none).
 * set: 0, -ESRCH (NULL or a zombie), -EINVAL (a kernel thread, or 1..3 kB);
 * a limit below the current usage is accepted (the next charge reclaims,
 * then kills). get: 0 or -ESRCH. */
int mem_budget_set(struct task *t, u64 limit_kb);
int mem_budget_get(struct task *t, u64 *limit_kb);
/* Budget OOM kills so far (constraint=CONSTRAINT_MEMCG). */
extern u64 memcg_oom_kills;

/* task.oom_reap_next once the reaper is done with a victim. */
#define OOM_REAP_DONE (~0ull)

/* Kills so far, the last victim's pid and the pid whose allocation
 * invoked that kill (tests and reports). */
extern u64 oom_kills;
extern int oom_last_victim, oom_last_invoker;
/* The last report's first line and its "Out of memory: Killed process" line. */
extern char oom_last_invoked[160], oom_last_killed[256];

#endif
