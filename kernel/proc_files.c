/*
 * The tree's reports (kernel/proc_table.h) and its list of tables:
 *   /proc/{meminfo,vmstat,buddyinfo,zoneinfo,pagetypeinfo,slabinfo,
 *          vmallocinfo,swaps,pressure/memory}
 *   /sys/kernel/debug/extfrag/{unusable_index,extfrag_index}
 *   /sys/kernel/debug/pagoda/physmap (include/mm/physmap.h)
 *   /proc/uptime
 *   /proc/<pid>/{status,stat,cmdline,maps,smaps,smaps_rollup,oom_score} and the
 *   writable oom_score_adj (-1000..1000) and legacy oom_adj (-17..15).
 * Every pid in the task list has a directory, zombies included (as in
 * Linux); a kernel thread's maps are empty, its oom_score_adj cannot be
 * set (-EINVAL), and a zombie's oom files answer -ESRCH.
 */
#include <errno.h>
#include <kernel/oom.h>
#include <kernel/psi.h>
#include <kernel/task.h>
#include <mm/compaction.h>
#include <mm/mm_report.h>
#include <mm/physmap.h>
#include <mm/report.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/vmalloc.h>

#include "proc_table.h"

#define REPORT(fn)                                     \
	static int fn##_file(FILE *f, int pid)         \
	{                                              \
		(void)pid;                             \
		fn(f);                                 \
		return 0;                              \
	}
REPORT(show_meminfo)
REPORT(show_vmstat)
REPORT(show_buddyinfo)
REPORT(show_zoneinfo)
REPORT(show_pagetypeinfo)
REPORT(show_slabinfo)
REPORT(show_vmallocinfo)
REPORT(show_swaps)
REPORT(show_pressure_memory)
REPORT(show_unusable_index)
REPORT(show_extfrag_index)
REPORT(show_physmap)
REPORT(show_uptime)

static int status_file(FILE *f, int pid)
{
	if (!task_find(pid))
		return -ESRCH;
	show_task_status(f, pid);
	return 0;
}

/* The pid's mm (NULL for a kernel thread or a zombie), or -ESRCH. */
static int pid_mm(int pid, struct mm_struct **mm)
{
	struct task *t = task_find(pid);

	if (!t)
		return -ESRCH;
	*mm = t->state == TASK_ZOMBIE ? NULL : t->mm;
	return 0;
}

#define MM_REPORT(name, fn)                            \
	static int name(FILE *f, int pid)              \
	{                                              \
		struct mm_struct *mm = NULL;           \
		int r = pid_mm(pid, &mm);              \
                                                       \
		if (!r && mm)                          \
			fn(f, mm);                     \
		return r;                              \
	}
MM_REPORT(maps_file, show_maps)
MM_REPORT(smaps_file, show_smaps)
MM_REPORT(smaps_rollup_file, show_smaps_rollup)

/* oom_score_adj_set() reads pid 0 as "the caller": task 0 is meant here */
static int adj_target(int pid) { return pid == 0 && current->pid != 0 ? -EINVAL : 0; }

static int oom_score_adj_store(const char *s, int pid)
{
	long v;

	if (proc_parse_long(s, &v) || v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX || adj_target(pid))
		return -EINVAL;
	return oom_score_adj_set(pid, (int)v);
}

static int oom_adj_store(const char *s, int pid)
{
	long v;

	if (proc_parse_long(s, &v) || v < OOM_DISABLE || v > OOM_ADJUST_MAX || adj_target(pid))
		return -EINVAL;
	return oom_score_adj_set(pid, oom_adj_to_score_adj((int)v));
}

static const struct proc_entry report_files[] = {
	{ "proc/meminfo", .show = show_meminfo_file },
	{ "proc/vmstat", .show = show_vmstat_file },
	{ "proc/buddyinfo", .show = show_buddyinfo_file },
	{ "proc/zoneinfo", .show = show_zoneinfo_file },
	{ "proc/pagetypeinfo", .show = show_pagetypeinfo_file },
	{ "proc/slabinfo", .show = show_slabinfo_file },
	{ "proc/vmallocinfo", .show = show_vmallocinfo_file },
	{ "proc/swaps", .show = show_swaps_file },
	{ "proc/pressure/memory", .show = show_pressure_memory_file },
	{ "proc/uptime", .show = show_uptime_file },
	{ "proc/#/status", .show = status_file },
	{ "proc/#/stat", .show = show_task_stat },
	{ "proc/#/cmdline", .show = show_task_cmdline },
	{ "proc/#/maps", .show = maps_file },
	{ "proc/#/smaps", .show = smaps_file },
	{ "proc/#/smaps_rollup", .show = smaps_rollup_file },
	{ "proc/#/oom_score", .show = show_oom_score },
	{ "proc/#/oom_score_adj", .show = show_oom_score_adj, .store = oom_score_adj_store },
	{ "proc/#/oom_adj", .show = show_oom_adj, .store = oom_adj_store },
	{ "sys/kernel/debug/extfrag/unusable_index", .show = show_unusable_index_file },
	{ "sys/kernel/debug/extfrag/extfrag_index", .show = show_extfrag_index_file },
	{ "sys/kernel/debug/pagoda/physmap", .show = show_physmap_file },
};

static PROC_TABLE(proc_report_table, report_files);
extern const struct proc_table proc_sys_table;

/* /proc first (reports, then sys/vm), then /sys */
const struct proc_table *const proc_tables[] = { &proc_report_table, &proc_vm_table, &proc_sys_table, NULL };

bool proc_pid_exists(int pid) { return task_find(pid) != NULL; }

int proc_pid_next(int after)
{
	struct task *t;
	int best = -1;

	list_for_each_entry(t, &all_tasks, all_link)
		if (t->pid > after && (best < 0 || t->pid < best))
			best = t->pid;
	return best;
}

int proc_pid_self(void) { return current->pid; }
