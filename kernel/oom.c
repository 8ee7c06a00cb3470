/*
 * The OOM killer (include/kernel/oom.h, docs/oom.md): the page allocator
 * calls out_of_memory() (reclaim_hooks.out_of_memory) when an allocation
 * that may reclaim found nothing even after direct reclaim; mm/budget.c
 * calls mem_cgroup_out_of_memory() when an app is over its own budget.
 *
 *   out_of_memory(gfp, order)
 *     not __GFP_DIRECT_RECLAIM, order > 3, __GFP_DMA(32) -> false (fail)
 *     the allocating task is dying ----------------------> false
 *     a victim not yet all reaped: reap more of it -------> true (retry)
 *     panic_on_oom 1/2 ---------------> report, panic("Out of memory: ...")
 *     victim = current (oom_kill_allocating_task) or the highest badness
 *     none -------------------------> report, panic("System is deadlocked")
 *     report (invoked oom-killer, Mem-Info, Tasks state, oom-kill:...)
 *     SIGKILL the victim; victim != current: reap it ------> true (retry)
 *     victim == current: it is inside this allocation ----> false
 *
 *   mem_cgroup_out_of_memory(mm, gfp)
 *     panic_on_oom 2 only -------------> report, panic (1 kills: confined OOM)
 *     report (memory+swap usage, the app's row, CONSTRAINT_MEMCG), SIGKILL
 *     mm's app (the faulting one: the charge fails, nothing allocated)
 *
 * The reaper and the victim's own exit. The reaper zaps the victim's
 * private VMAs (anon, COW copies, their swap entries and zram objects:
 * zap_page_range, which also frees tables left empty) and the shmem
 * objects only it maps (shmem_reap), in 2 MiB spans, and stops as soon as
 * memory is back at the high watermark in the zones the allocation that
 * invoked it may use (a GFP_KERNEL one needs lowmem, whatever HighMem
 * has): it needs no more then, and
 * a huge sparse victim must not stall it. The rest - the VMA tree, the
 * tables, the mm - the victim frees in task_exit when it next runs, in
 * bounded steps (kernel/exit_mm.c). A victim is stopped at schedule(),
 * where it holds no pointer into its mm (the kernel is cooperative:
 * faults, mlock and populate never schedule half way), so the reaper may
 * change its tables. Once chosen it is marked oom_reaped: never chosen
 * again, and a later OOM before its exit reaps more of it instead of
 * killing another app; while its exit is freeing the rest (its mm
 * detached) a later OOM kills no one: the allocation fails, and an app's
 * fault retries after yielding (kernel/entry.c) - Linux's
 * pagefault_out_of_memory. The woken syscalls that touch user memory after
 * sleeping (nanosleep, wait4) see its kill_sig and return -EINTR without
 * touching it (kernel/syscall.c).
 */
#include <errno.h>
#include <arch/fpsimd.h>
#include <kernel/leak.h>
#include <kernel/oom.h>
#include <kernel/task.h>
#include <lib/panic.h>
#include <mm/budget.h>
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/page_alloc.h>
#include <mm/page_debug.h>
#include <mm/swap.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <uapi/pagoda/syscall.h>

#define PAGE_ALLOC_COSTLY_ORDER 3

static int panic_on_oom = CONFIG_PANIC_ON_OOM;
static int oom_kill_allocating_task;
u64 oom_kills;
int oom_last_victim, oom_last_invoker;
char oom_last_invoked[160], oom_last_killed[256];

int set_panic_on_oom(int v)
{
	if (v < 0 || v > 2)
		return -EINVAL;
	panic_on_oom = v;
	return 0;
}

int get_panic_on_oom(void) { return panic_on_oom; }

int set_oom_kill_allocating_task(int v)
{
	if (v < 0 || v > 1)
		return -EINVAL;
	oom_kill_allocating_task = v;
	return 0;
}

int get_oom_kill_allocating_task(void) { return oom_kill_allocating_task; }

u64 oom_totalpages(void)
{
	struct swap_info si;

	swap_get_info(&si);
	return nr_managed_pages() + si.nr_slots;
}

static u64 mm_pgtables(const struct mm_struct *mm)
{
	return mm->pgt.nr_tables > 1 ? mm->pgt.nr_tables - 1 : 0; /* as VmPTE */
}

void oom_task_usage(const struct task *t, struct oom_usage *u)
{
	const struct mm_struct *mm = t->mm;

	*u = (struct oom_usage){ .adj = t->oom_score_adj };
	u->unkillable = !mm || t->pid == 0 || t->state == TASK_ZOMBIE || t->oom_reaped;
	if (!mm)
		return;
	u->rss_anon = mm->rss[MM_ANONPAGES];
	u->rss_file = mm->rss[MM_FILEPAGES];
	u->rss_shmem = mm->rss[MM_SHMEMPAGES];
	u->swapents = mm->rss[MM_SWAPENTS];
	u->pgtables = mm_pgtables(mm);
}

unsigned oom_task_score(const struct task *t)
{
	struct oom_usage u;
	u64 total = oom_totalpages();

	oom_task_usage(t, &u);
	return oom_score(oom_badness(&u, total), total);
}

int oom_score_adj_get(int pid, int *adj)
{
	struct task *t = task_find_live(pid);

	if (!t)
		return -ESRCH;
	*adj = t->oom_score_adj;
	return 0;
}

int oom_score_adj_set(int pid, int adj)
{
	struct task *t = task_find_live(pid);

	if (!t)
		return -ESRCH;
	if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX || !t->mm)
		return -EINVAL;
	t->oom_score_adj = adj;
	return 0;
}

/* The killable task with the highest badness (ties: the first found), or NULL. */
static struct task *select_bad_process(u64 total)
{
	struct task *t, *chosen = NULL;
	s64 best = OOM_BADNESS_UNKILLABLE;

	list_for_each_entry(t, &all_tasks, all_link) {
		struct oom_usage u;
		s64 points;

		oom_task_usage(t, &u);
		points = oom_badness(&u, total);
		if (points == OOM_BADNESS_UNKILLABLE || (chosen && points <= best))
			continue;
		chosen = t;
		best = points;
	}
	return chosen;
}

static bool task_killable(const struct task *t)
{
	struct oom_usage u;

	oom_task_usage(t, &u);
	return oom_badness(&u, oom_totalpages()) != OOM_BADNESS_UNKILLABLE;
}

static unsigned long long pg(u64 pages) { return (unsigned long long)pages; }
static unsigned long long kb(u64 pages) { return (unsigned long long)pages << (PAGE_SHIFT - 10); }

/* The table of every live app, or of memcg's only (a budget OOM). */
static void dump_tasks(const struct mm_struct *memcg)
{
	struct task *t;

	leak_print_suspects_oom();
	printf("Tasks state (memory values in pages):\n");
	printf("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n");
	list_for_each_entry(t, &all_tasks, all_link) {
		struct mm_struct *mm = t->mm;

		if (!mm || t->state == TASK_ZOMBIE || (memcg && mm != memcg))
			continue;
		printf("[%7d] %5d %5d %8llu %8llu %8llu %8llu %9llu %14llu %8llu %13d %s\n", t->pid, 0, t->pid,
		       pg(mm->total_vm), pg(mm_rss(mm)), pg(mm->rss[MM_ANONPAGES]), pg(mm->rss[MM_FILEPAGES]),
		       pg(mm->rss[MM_SHMEMPAGES]), pg(mm_pgtables(mm)) * PAGE_SIZE, pg(mm->rss[MM_SWAPENTS]),
		       t->oom_score_adj, t->name);
	}
}

/* memcg: the budgeted mm of a CONSTRAINT_MEMCG OOM, or NULL (global). */
static void dump_header(gfp_t gfp, unsigned order, const struct task *victim, const struct mm_struct *memcg)
{
	char mode[128];

	snprintf(oom_last_invoked, sizeof(oom_last_invoked),
		 "%s invoked oom-killer: gfp_mask=%#x(%s), order=%u, oom_score_adj=%d", current->name, gfp,
		 gfp_describe(gfp, mode, sizeof(mode)), order, current->oom_score_adj);
	printf("%s\n", oom_last_invoked);
	if (memcg) { /* Linux's mem_cgroup_print_oom_meminfo, cgroup v1 memsw */
		const struct task *o = memcg->owner;

		printf("memory+swap: usage %llukB, limit %llukB, failcnt %llu\n", kb(mm_budget_usage(memcg)),
		       kb(memcg->budget.limit), (unsigned long long)memcg->budget.failcnt);
		printf("Memory cgroup stats for /%s-%d: anon %llu file %llu shmem %llu swap %llu (kB)\n",
		       o ? o->name : "?", o ? o->pid : 0, kb(memcg->rss[MM_ANONPAGES]), kb(memcg->rss[MM_FILEPAGES]),
		       kb(memcg->rss[MM_SHMEMPAGES]), kb(memcg->rss[MM_SWAPENTS]));
	} else {
		show_free_areas();
	}
	dump_tasks(memcg);
	if (victim && memcg)
		printf("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
		       "oom_memcg=/%s-%d,task_memcg=/%s-%d,task=%s,pid=%d,uid=0\n", victim->name, victim->pid,
		       victim->name, victim->pid, victim->name, victim->pid);
	else if (victim)
		printf("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
		       "task_memcg=/,task=%s,pid=%d,uid=0\n", victim->name, victim->pid);
}

/*
 * Reap victim t in bounded steps: zap its private VMAs, and its shared
 * anonymous (shmem) regions that no other mm maps (those die with it: their
 * pages are dropped from the object too), one 2 MiB span at a time from
 * t->oom_reap_next on, and stop as soon as memory is back at the high
 * watermark in the zones the allocation that invoked the killer (gfp) may
 * use (it can go on then; with highmem, a GFP_KERNEL allocation is not
 * helped by a balanced HighMem, so the reaper goes on dropping pages - the
 * victim's lowmem ones among them). Whatever is left - and the VMAs, the tables and
 * the mm - t's own exit frees, in bounded steps too (kernel/exit_mm.c); a
 * later OOM before that goes on reaping t rather than killing another
 * app. A huge sparse victim thus costs each allocation only the spans it
 * needs. Shared file mappings are left alone.
 */
static void oom_reap_step(struct task *t, gfp_t gfp)
{
	struct mm_struct *mm = t->mm;
	struct vm_area_struct *v;

	list_for_each_entry(v, &mm->vma_list, list) {
		if (v->end <= t->oom_reap_next || ((v->flags & VM_SHARED) && !shmem_private_to(v->file, mm)))
			continue;
		for (u64 va = MAX(v->start, t->oom_reap_next); va < v->end;) {
			u64 next = MIN(ALIGN_DOWN(va, SZ_2M) + SZ_2M, v->end);

			zap_page_range(v, va, next);
			t->oom_reap_next = va = next;
			if (va < v->end && !reclaim_needed_for(gfp))
				goto out;
		}
		if (v->flags & VM_SHARED)
			shmem_reap(v->file, mm);
		if (!reclaim_needed_for(gfp) && v->list.next != &mm->vma_list)
			goto out;
	}
	t->oom_reap_next = OOM_REAP_DONE;
out:
	printf("oom_reaper: reaped process %d (%s)%s, now anon-rss:%llukB, file-rss:%llukB, shmem-rss:%llukB\n",
	       t->pid, t->name, t->oom_reap_next == OOM_REAP_DONE ? "" : " in part (its exit frees the rest)",
	       kb(mm->rss[MM_ANONPAGES]), kb(mm->rss[MM_FILEPAGES]), kb(mm->rss[MM_SHMEMPAGES]));
}

/* A victim the reaper has not finished (and that has not exited), or NULL. */
static struct task *reap_pending(void)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->oom_reaped && t->mm && t->state != TASK_ZOMBIE && t != current &&
		    t->oom_reap_next != OOM_REAP_DONE)
			return t;
	return NULL;
}

bool oom_victim_exiting(void)
{
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->oom_reaped && !t->mm && t->state != TASK_ZOMBIE && t != current)
			return true;
	return false;
}

/* prefix: "Out of memory" or "Memory cgroup out of memory" (Linux's words) */
static void oom_kill_process(struct task *victim, const char *prefix, gfp_t gfp)
{
	struct mm_struct *mm = victim->mm;

	snprintf(oom_last_killed, sizeof(oom_last_killed),
		 "%s: Killed process %d (%s) total-vm:%llukB, anon-rss:%llukB, file-rss:%llukB, "
		 "shmem-rss:%llukB, UID:0 pgtables:%llukB oom_score_adj:%d", prefix, victim->pid, victim->name,
		 kb(mm->total_vm), kb(mm->rss[MM_ANONPAGES]), kb(mm->rss[MM_FILEPAGES]), kb(mm->rss[MM_SHMEMPAGES]),
		 kb(mm_pgtables(mm)), victim->oom_score_adj);
	printf("%s\n", oom_last_killed);
	vm_events[OOM_KILL]++;
	oom_kills++;
	oom_last_victim = victim->pid;
	task_kill(victim->pid, SIGKILL);
	snprintf(victim->killed.what, sizeof(victim->killed.what), "killed by the OOM killer");
	victim->killed.signal = SIGKILL;
	if (victim != current) { /* its fault in progress holds a table pointer otherwise */
		victim->oom_reaped = true;
		victim->oom_reap_next = 0;
		oom_reap_step(victim, gfp);
	}
}

bool out_of_memory(gfp_t gfp, unsigned order)
{
	u64 total = oom_totalpages();
	struct task *victim = NULL;

	/* as Linux's __alloc_pages_may_oom: no killing for allocations that
	 * may not reclaim, for costly orders, nor for lowmem (DMA, DMA32): a
	 * victim's pages may not be where such an allocation can use them */
	if (!(gfp & __GFP_DIRECT_RECLAIM) || order > PAGE_ALLOC_COSTLY_ORDER || gfp_zone(gfp) < ZONE_NORMAL)
		return false;
	/* the allocating task is dying already: let it fail and exit */
	if (current->kill_sig && current->mm)
		return false;
	kernel_neon_begin(); /* printf from the fault path */
	if ((victim = reap_pending())) { /* the last victim is not all back yet */
		oom_reap_step(victim, gfp);
		kernel_neon_end();
		return true;
	}
	if (oom_victim_exiting()) { /* its exit frees the rest: no second victim for the same shortage */
		kernel_neon_end();
		return false;
	}
	if (oom_panics(panic_on_oom, false)) {
		dump_header(gfp, order, NULL, NULL);
		/* the embedded policy: report, save it (pstore), reset the board */
		panic_reboot = true;
		panic("Out of memory: %s panic_on_oom is enabled", panic_on_oom == 2 ? "compulsory" : "system-wide");
	}
	if (oom_kill_allocating_task && task_killable(current))
		victim = current;
	if (!victim)
		victim = select_bad_process(total);
	if (!victim) {
		dump_header(gfp, order, NULL, NULL);
		printf("Out of memory and no killable processes...\n");
		panic("System is deadlocked on memory");
	}
	dump_header(gfp, order, victim, NULL);
	oom_last_invoker = current->pid;
	oom_kill_process(victim, "Out of memory", gfp);
	kernel_neon_end();
	return victim != current;
}

/*
 * A budget OOM (mm/budget.c's hook): mm's app is over its own limit while
 * the system may have memory to spare, so the OOM is confined to it (one
 * app per budget): panic_on_oom 1 does not panic, 2 does (Linux's
 * check_panic_on_oom), and the victim is that app, never another.
 */
static void mem_cgroup_out_of_memory(struct mm_struct *mm, gfp_t gfp)
{
	struct task *victim = mm->owner;

	if (!victim || victim->kill_sig || victim->state == TASK_ZOMBIE)
		return; /* dying already: the charge just fails */
	kernel_neon_begin();
	memcg_oom_kills++;
	if (oom_panics(panic_on_oom, true)) {
		dump_header(gfp, 0, NULL, mm);
		panic_reboot = true;
		panic("Out of memory: compulsory panic_on_oom is enabled");
	}
	dump_header(gfp, 0, victim, mm);
	oom_last_invoker = current->pid;
	oom_kill_process(victim, "Memory cgroup out of memory", gfp);
	kernel_neon_end();
}

u64 memcg_oom_kills;

void oom_init(void)
{
	reclaim_hooks.out_of_memory = out_of_memory;
	mem_budget_oom_hook = mem_cgroup_out_of_memory;
}

int mem_budget_set(struct task *t, u64 limit_kb)
{
	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (!t->mm)
		return -EINVAL;
	if (mm_budget_set(t->mm, limit_kb))
		return -EINVAL;
	t->budget_from_class = false; /* explicit from now on */
	return 0;
}

int mem_budget_get(struct task *t, u64 *limit_kb)
{
	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	*limit_kb = t->mm ? mm_budget_get_kb(t->mm) : 0;
	return 0;
}
