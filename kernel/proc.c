/*
 * Reports over all tasks, in the formats of the Linux tools people know:
 *   show_ps        ps -o pid,ppid,stat,vsz,rss,min_flt,maj_flt,time,comm
 *   show_smem      smem: PID User Command Swap USS PSS RSS (kB)
 *   show_task_maps /proc/<pid>/maps or smaps
 *   show_task_status /proc/<pid>/status: the lines Pagoda has, in Linux's
 *                  order (Name, State, Tgid, Pid, PPid, Pagoda's Class, the memory lines
 *                  of mm/mm_report.c with VmSwap, Threads); the Uid/Gid,
 *                  signal and capability lines have no counterpart here
 *   show_task_cmdline /proc/<pid>/cmdline: argv as Linux prints it, each
 *                  word followed by a NUL (the name, then arg's words);
 *                  empty for a kernel thread or a zombie (smem skips those)
 *   show_task_stat /proc/<pid>/stat: Linux's 52 fields, with Pagoda's
 *                  values where it has them (pid, comm, state, ppid,
 *                  faults, CPU time in USER_HZ ticks, threads, VSZ, RSS,
 *                  code/data/brk/stack addresses) and 0 for the others
 *                  (process groups, tty, signals, start time, ...)
 *   show_uptime    /proc/uptime: seconds since the timer started; the idle
 *                  seconds are not measured (the tick charges an idle CPU
 *                  to the last task) and print 0.00
 *   show_oom_score /proc/<pid>/oom_score (0..2000), show_oom_score_adj,
 *                  show_oom_adj (legacy -17..15), as Linux prints them
 *   show_leak_suspects the leak sampler's apps (kernel/leak.c): each
 *                  suspect with its growth curve, then the others' last
 *                  samples
 * smem's Swap column is the swap PTEs of each app (struct mem_usage.swap,
 * the same sum as smaps' Swap), in kB.
 */
#include <arch/layout.h>
#include <arch/timer.h>
#include <errno.h>
#include <kernel/app_class.h>
#include <kernel/leak.h>
#include <kernel/oom.h>
#include <kernel/task.h>
#include <mm/budget.h>
#include <mm/mm_report.h>
#include <stdio.h>
#include <string.h>

static char state_char(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNABLE: return 'R';
	case TASK_SLEEPING:
	case TASK_WAITING: return 'S';
	default: return 'Z';
	}
}

void show_ps(FILE *f)
{
	struct task *t;

	fprintf(f, "  PID  PPID STAT      VSZ     RSS  MINFLT  MAJFLT     TIME COMMAND\n");
	list_for_each_entry(t, &all_tasks, all_link) {
		struct mm_struct *mm = t->mm;
		u64 ms = t->ticks * 1000 / CONFIG_TIMER_HZ;

		fprintf(f, "%5d %5d %-4c %8llu %7llu %7llu %7llu %4llu.%03llu %s%s%s %s\n", t->pid,
			t->parent ? t->parent->pid : 0, state_char(t), mm ? (unsigned long long)mm->total_vm * 4 : 0ull,
			mm ? (unsigned long long)mm_rss(mm) * 4 : 0ull, mm ? (unsigned long long)mm->min_flt : 0ull,
			mm ? (unsigned long long)mm->maj_flt : 0ull, (unsigned long long)(ms / 1000),
			(unsigned long long)(ms % 1000), mm ? "" : "[", t->name, mm ? "" : "]", t->arg);
	}
}

void show_smem(FILE *f)
{
	struct task *t;
	struct mem_usage total = { 0 };

	fprintf(f, "  PID User     Command                         Swap      USS      PSS      RSS\n");
	list_for_each_entry(t, &all_tasks, all_link) {
		struct mem_usage u = { 0 };
		char cmd[TASK_NAME_MAX + TASK_ARG_MAX + 2];

		if (!t->mm)
			continue;
		mm_usage(t->mm, &u);
		snprintf(cmd, sizeof(cmd), "%s%s%s", t->name, t->arg[0] ? " " : "", t->arg);
		fprintf(f, "%5d %-8s %-27.27s %8llu %8llu %8llu %8llu\n", t->pid, "app", cmd,
			(unsigned long long)(u.swap >> 10), (unsigned long long)(u.uss >> 10),
			(unsigned long long)((u.pss >> PSS_SHIFT) >> 10), (unsigned long long)(u.rss >> 10));
		total.swap += u.swap;
		total.uss += u.uss;
		total.pss += u.pss;
		total.rss += u.rss;
	}
	fprintf(f, "-------------------------------------------------------------------------------\n");
	fprintf(f, "%5s %-8s %-27s %8llu %8llu %8llu %8llu\n", "", "", "", (unsigned long long)(total.swap >> 10),
		(unsigned long long)(total.uss >> 10), (unsigned long long)((total.pss >> PSS_SHIFT) >> 10),
		(unsigned long long)(total.rss >> 10));
}

static const char *state_name(const struct task *t)
{
	switch (state_char(t)) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	default: return "Z (zombie)";
	}
}

void show_task_status(FILE *f, int pid)
{
	struct task *t = task_find(pid);

	if (!t) {
		fprintf(f, "no task with pid %d\n", pid);
		return;
	}
	fprintf(f, "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n", t->name, state_name(t), t->pid,
		t->pid, t->parent ? t->parent->pid : 0);
	fprintf(f, "Class:\t%s\n", app_class_name(t->app_class)); /* Pagoda's own (docs/lmk.md) */
	if (t->mm)
		show_mm_status(f, t->mm);
	fprintf(f, "Threads:\t1\n");
	if (t->mm) /* the budget (mm/budget.c): resident + swap against the limit, 0 = none */
		fprintf(f, "MemLimit:\t%8llu kB\nMemUsage:\t%8llu kB\n", (unsigned long long)mm_budget_get_kb(t->mm),
			(unsigned long long)mm_budget_usage(t->mm) << (PAGE_SHIFT - 10));
}

int show_task_cmdline(FILE *f, int pid)
{
	struct task *t = task_find(pid);

	if (!t)
		return -ESRCH;
	if (!t->mm || t->state == TASK_ZOMBIE)
		return 0;
	fprintf(f, "%s%c", t->name, 0);
	for (const char *s = t->arg; *s;) {
		size_t n = strcspn(s, " ");

		if (n)
			fprintf(f, "%.*s%c", (int)n, s, 0);
		s += n + (s[n] == ' ');
	}
	return 0;
}

#define USER_HZ 100 /* the unit of Linux's clock_t in /proc */

int show_task_stat(FILE *f, int pid)
{
	struct task *t = task_find(pid);
	struct mm_struct *mm;
	unsigned long long utime;

	if (!t)
		return -ESRCH;
	mm = t->state == TASK_ZOMBIE ? NULL : t->mm;
	utime = (unsigned long long)(t->ticks * USER_HZ / CONFIG_TIMER_HZ);
	/* 1 pid, comm, state, ppid, pgrp, session, tty_nr, tpgid, flags (PF_KTHREAD) */
	fprintf(f, "%d (%s) %c %d 0 0 0 -1 %u ", t->pid, t->name, state_char(t), t->parent ? t->parent->pid : 0,
		t->mm ? 0u : 0x00200000u);
	/* 10 minflt cminflt majflt cmajflt utime stime cutime cstime priority nice */
	fprintf(f, "%llu 0 %llu 0 %llu 0 0 0 20 0 ", mm ? (unsigned long long)mm->min_flt : 0ull,
		mm ? (unsigned long long)mm->maj_flt : 0ull, utime);
	/* 20 num_threads itrealvalue starttime vsize rss rsslim */
	fprintf(f, "1 0 0 %llu %llu 18446744073709551615 ", mm ? (unsigned long long)mm->total_vm << PAGE_SHIFT : 0ull,
		mm ? (unsigned long long)mm_rss(mm) : 0ull);
	/* 26 startcode endcode startstack kstkesp kstkeip signal blocked sigignore sigcatch wchan */
	fprintf(f, "%llu %llu %llu 0 0 0 0 0 0 0 ", mm ? (unsigned long long)mm->start_code : 0ull,
		mm ? (unsigned long long)mm->end_code : 0ull, mm ? (unsigned long long)mm->start_stack : 0ull);
	/* 36 nswap cnswap exit_signal processor rt_priority policy blkio guest cguest */
	fprintf(f, "0 0 17 0 0 0 0 0 0 ");
	/* 45 start_data end_data start_brk arg_start arg_end env_start env_end exit_code */
	fprintf(f, "%llu %llu %llu 0 0 0 0 0\n", mm ? (unsigned long long)mm->start_data : 0ull,
		mm ? (unsigned long long)mm->end_data : 0ull, mm ? (unsigned long long)mm->start_brk : 0ull);
	return 0;
}

void show_uptime(FILE *f)
{
	u64 cs = timer_now_ns() / 10000000; /* hundredths of a second */

	fprintf(f, "%llu.%02llu 0.00\n", (unsigned long long)(cs / 100), (unsigned long long)(cs % 100));
}

void show_task_maps(FILE *f, int pid, bool smaps)
{
	struct task *t = task_find(pid);

	if (!t || !t->mm) {
		fprintf(f, "no app with pid %d\n", pid);
		return;
	}
	fprintf(f, "==> /proc/%d/%s (%s) <==\n", pid, smaps ? "smaps" : "maps", t->name);
	if (smaps)
		show_smaps(f, t->mm);
	else
		show_maps(f, t->mm);
}

static struct task *live_task(int pid)
{
	struct task *t = task_find(pid);

	return t && t->state != TASK_ZOMBIE ? t : NULL;
}

int show_oom_score(FILE *f, int pid)
{
	struct task *t = live_task(pid);

	if (!t)
		return -ESRCH;
	fprintf(f, "%u\n", oom_task_score(t));
	return 0;
}

int show_oom_score_adj(FILE *f, int pid)
{
	struct task *t = live_task(pid);

	if (!t)
		return -ESRCH;
	fprintf(f, "%d\n", t->oom_score_adj);
	return 0;
}

int show_oom_adj(FILE *f, int pid)
{
	struct task *t = live_task(pid);

	if (!t)
		return -ESRCH;
	fprintf(f, "%d\n", oom_score_adj_to_adj(t->oom_score_adj));
	return 0;
}

static void leak_curve(FILE *f, const struct leak_series *s, unsigned k)
{
	k = k < s->n ? k : s->n;
	for (unsigned i = 0; i < k; i++)
		fprintf(f, " %llu", (unsigned long long)leak_series_at(s, k, i));
	fprintf(f, " kB\n");
}

void show_leak_suspects(FILE *f)
{
	struct leak_app_info a;
	unsigned n = 0;

	fprintf(f, "Leak suspects (a rise at each of the last %u samples, every %u ms):\n", CONFIG_LEAK_SAMPLES,
		leak_get_interval_ms());
	for (unsigned i = 0; leak_app(i, &a); i++) {
		if (!a.suspect)
			continue;
		fprintf(f, "%5d %-16s %s:", a.pid, a.name, a.by_anon ? "anon RSS" : "USS");
		leak_curve(f, a.by_anon ? a.anon : a.uss, LEAK_MAX_SAMPLES);
		n++;
	}
	if (!n)
		fprintf(f, "  none\n");
	fprintf(f, "Sampled apps (USS, last %u samples):\n", CONFIG_LEAK_SAMPLES);
	for (unsigned i = 0; leak_app(i, &a); i++) {
		fprintf(f, "%5d %-16s USS:", a.pid, a.name);
		leak_curve(f, a.uss, CONFIG_LEAK_SAMPLES);
	}
}
