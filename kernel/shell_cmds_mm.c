/*
 * The shell's memory commands, in the formats of procps-ng 4 (free,
 * vmstat, ps, top, slabtop, pmap) and smem, computed from the same
 * functions the /proc files print (meminfo_read, vm_event_read, the
 * task list) and, where a report exists, by calling it (show_ps,
 * show_smem, show_slabtop, show_maps).
 *
 *   free:   used = MemTotal - MemAvailable, buff/cache = Buffers + Cached +
 *           SReclaimable, shared = Shmem (procps 4's definitions)
 *   vmstat: swpd = SwapTotal - SwapFree, cache = Cached + SReclaimable;
 *           si/so = pswpin/pswpout in kB/s, bi/bo = pgpgin/pgpgout kB/s,
 *           in = interrupts/s, cs = context switches/s; r = runnable
 *           tasks, b = tasks stalled on memory (psi's memstall)
 *   CPU columns: kernel/cpustat.c's ticks: us = an app at EL0, sy =
 *           the kernel (threads, syscalls, faults, interrupts), id = the
 *           idle loop; wa and st are 0 (no asynchronous I/O, no
 *           hypervisor steal), as are top's ni/hi/si.
 */
#include <arch/irq.h>
#include <arch/timer.h>
#include <kernel/cpustat.h>
#include <kernel/shell.h>
#include <kernel/task.h>
#include <mm/mm_report.h>
#include <mm/report.h>
#include <mm/slab.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_SEC 1000000000ULL
#define ULL(x) ((unsigned long long)(x))

/* ---- free ---------------------------------------------------------------- */

/* procps 4's free -h: the shortest of "%.1f<u>i" / "%ld<u>i" that fits 5 columns */
static const char *human(u64 kb, char *buf, size_t len)
{
	static const char units[] = "BKMGTP";
	u64 bytes = kb * 1024;

	if (snprintf(buf, len, "%lluB", (unsigned long long)bytes) <= 4)
		return buf;
	for (unsigned i = 1; units[i]; i++) {
		unsigned shift = 10 * i;
		u64 tenths = (bytes * 10 + (1ULL << shift) / 2) >> shift; /* %.1f's rounding, in integers */

		if (snprintf(buf, len, "%llu.%llu%ci", ULL(tenths / 10), ULL(tenths % 10), units[i]) <= 5)
			return buf;
		if (snprintf(buf, len, "%llu%ci", (unsigned long long)(bytes >> (10 * i)), units[i]) <= 5)
			return buf;
	}
	return buf;
}

static void free_col(u64 kb, bool h)
{
	char buf[32];

	if (h)
		printf(" %11s", human(kb, buf, sizeof(buf)));
	else
		printf(" %11llu", (unsigned long long)kb);
}

static int cmd_free(struct shell_call *c)
{
	struct meminfo mi;
	bool h = false;

	for (int i = 1; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "-h"))
			h = true;
		else if (strcmp(c->argv[i], "-k"))
			return shell_usage(c);
	}
	meminfo_read(&mi);
	printf("               total        used        free      shared  buff/cache   available\n");
	printf("%-8s", "Mem:");
	free_col(mi.mem_total, h);
	free_col(mi.mem_total > mi.mem_available ? mi.mem_total - mi.mem_available : 0, h);
	free_col(mi.mem_free, h);
	free_col(mi.shmem, h);
	free_col(mi.buffers + mi.cached + mi.sreclaimable, h);
	free_col(mi.mem_available, h);
	printf("\n%-8s", "Swap:");
	free_col(mi.swap_total, h);
	free_col(mi.swap_total - mi.swap_free, h);
	free_col(mi.swap_free, h);
	printf("\n");
	return 0;
}

/* ---- vmstat -------------------------------------------------------------- */

struct cpu_sample {
	u64 ns, all_ticks, intr, cs, pswpin, pswpout, pgpgin, pgpgout, cpu[NR_CPU_TIMES];
	unsigned running, blocked;
};

static void sample(struct cpu_sample *s)
{
	struct task *t;

	memset(s, 0, sizeof(*s));
	s->ns = timer_now_ns();
	list_for_each_entry(t, &all_tasks, all_link) {
		s->all_ticks += t->ticks;
		s->running += t->state == TASK_RUNNABLE;
		s->blocked += t->memstall > 0;
	}
	for (unsigned i = 0; i < IRQ_MAX_INTID; i++)
		s->intr += irq_count(i);
	s->cs = nr_context_switches;
	for (int i = 0; i < NR_CPU_TIMES; i++)
		s->cpu[i] = cpustat[i];
	s->pswpin = vm_event_read(PSWPIN);
	s->pswpout = vm_event_read(PSWPOUT);
	s->pgpgin = vm_event_read(PGPGIN);
	s->pgpgout = vm_event_read(PGPGOUT);
}

/* events per second between a and b */
static unsigned rate(u64 a, u64 b, u64 ns) { return ns ? (unsigned)((b - a) * NS_PER_SEC / ns) : 0; }

/* Percent of the ticks between a and b of kind k (us, sy, id). */
static unsigned cpu_pct(const struct cpu_sample *a, const struct cpu_sample *b, enum cpu_time k)
{
	u64 all = 0;

	for (int i = 0; i < NR_CPU_TIMES; i++)
		all += b->cpu[i] - a->cpu[i];
	return all ? (unsigned)((b->cpu[k] - a->cpu[k]) * 100 / all) : (k == CPU_IDLE ? 100 : 0);
}

static void vmstat_line(const struct cpu_sample *a, const struct cpu_sample *b)
{
	struct meminfo mi;
	u64 ns = b->ns - a->ns;
	unsigned us = cpu_pct(a, b, CPU_USER), sy = cpu_pct(a, b, CPU_SYSTEM);

	meminfo_read(&mi);
	printf("%2u %2u %6llu %6llu %6llu %6llu %4u %4u %5u %5u %4u %4u %2u %2u %2u %2u %2u\n", b->running, b->blocked,
	       (unsigned long long)(mi.swap_total - mi.swap_free), (unsigned long long)mi.mem_free,
	       (unsigned long long)mi.buffers, (unsigned long long)(mi.cached + mi.sreclaimable),
	       rate(a->pswpin * 4, b->pswpin * 4, ns), rate(a->pswpout * 4, b->pswpout * 4, ns),
	       rate(a->pgpgin, b->pgpgin, ns), rate(a->pgpgout, b->pgpgout, ns), rate(a->intr, b->intr, ns),
	       rate(a->cs, b->cs, ns), us, sy, 100 - us - sy, 0u, 0u);
}

static int cmd_vmstat(struct shell_call *c)
{
	int delay = 0, count = 1;
	struct cpu_sample boot = { 0 }, prev, now;

	if (c->argc > 3 || (c->argc > 1 && (!shell_parse_int(c->argv[1], &delay) || delay < 1)) ||
	    (c->argc > 2 && (!shell_parse_int(c->argv[2], &count) || count < 1)))
		return shell_usage(c);
	if (c->argc == 2)
		count = -1; /* vmstat DELAY: until interrupted */
	printf("procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n");
	printf(" r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n");
	sample(&now);
	vmstat_line(&boot, &now); /* the first line: averages since boot */
	while (--count != 0) {
		prev = now;
		if (!shell_sleep_ns((u64)delay * NS_PER_SEC))
			break;
		sample(&now);
		vmstat_line(&prev, &now);
	}
	return 0;
}

/* ---- ps, smem, slabtop ---------------------------------------------------- */

static int cmd_ps(struct shell_call *c)
{
	if (c->argc > 1)
		return shell_usage(c);
	show_ps(stdout);
	return 0;
}

static int cmd_smem(struct shell_call *c)
{
	if (c->argc > 1)
		return shell_usage(c);
	show_smem(stdout);
	return 0;
}

static int cmd_slabtop(struct shell_call *c)
{
	bool once = c->argc == 2 && !strcmp(c->argv[1], "-o");

	if (c->argc > 2 || (c->argc == 2 && !once))
		return shell_usage(c);
	for (;;) {
		if (!once)
			printf("\x1b[H\x1b[2J");
		show_slabtop(stdout, 1000);
		if (once || !shell_sleep_ns(3 * NS_PER_SEC))
			return 0;
	}
}

/* ---- top ----------------------------------------------------------------- */

#define TOP_MAX 64

struct top_task {
	int pid;
	u64 ticks;
};

static unsigned snapshot(struct top_task *tt)
{
	struct task *t;
	unsigned n = 0;

	list_for_each_entry(t, &all_tasks, all_link) {
		if (n == TOP_MAX)
			break;
		tt[n].pid = t->pid;
		tt[n++].ticks = t->ticks;
	}
	return n;
}

static u64 ticks_before(const struct top_task *tt, unsigned n, int pid)
{
	for (unsigned i = 0; i < n; i++)
		if (tt[i].pid == pid)
			return tt[i].ticks;
	return 0;
}

static void top_screen(const struct top_task *before, unsigned nb, const struct cpu_sample *a,
		       const struct cpu_sample *b)
{
	u64 up = b->ns / NS_PER_SEC, span = b->all_ticks - a->all_ticks;
	unsigned total = 0, running = 0, sleeping = 0, zombie = 0;
	unsigned us = cpu_pct(a, b, CPU_USER), sy = cpu_pct(a, b, CPU_SYSTEM);
	struct meminfo mi;
	struct task *t;

	list_for_each_entry(t, &all_tasks, all_link) {
		total++;
		running += t->state == TASK_RUNNABLE;
		sleeping += t->state == TASK_SLEEPING || t->state == TASK_WAITING;
		zombie += t->state == TASK_ZOMBIE;
	}
	meminfo_read(&mi);
	printf("top - %02llu:%02llu:%02llu up %llu min\n", (unsigned long long)(up / 3600),
	       (unsigned long long)(up / 60 % 60), (unsigned long long)(up % 60), (unsigned long long)(up / 60));
	printf("Tasks: %3u total, %3u running, %3u sleeping,   0 stopped, %3u zombie\n", total, running, sleeping,
	       zombie);
	printf("%%Cpu(s):%3u.0 us,%3u.0 sy,  0.0 ni,%3u.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st\n", us, sy,
	       100 - us - sy);
	printf("MiB Mem : %7llu.%llu total, %7llu.%llu free, %7llu.%llu used, %7llu.%llu buff/cache\n",
	       ULL(mi.mem_total / 1024), ULL(mi.mem_total % 1024 * 10 / 1024), ULL(mi.mem_free / 1024),
	       ULL(mi.mem_free % 1024 * 10 / 1024), ULL((mi.mem_total - mi.mem_available) / 1024),
	       ULL((mi.mem_total - mi.mem_available) % 1024 * 10 / 1024),
	       ULL((mi.buffers + mi.cached + mi.sreclaimable) / 1024),
	       ULL((mi.buffers + mi.cached + mi.sreclaimable) % 1024 * 10 / 1024));
	printf("MiB Swap: %7llu.%llu total, %7llu.%llu free, %7llu.%llu used. %7llu.%llu avail Mem\n\n",
	       ULL(mi.swap_total / 1024), ULL(mi.swap_total % 1024 * 10 / 1024), ULL(mi.swap_free / 1024),
	       ULL(mi.swap_free % 1024 * 10 / 1024), ULL((mi.swap_total - mi.swap_free) / 1024),
	       ULL((mi.swap_total - mi.swap_free) % 1024 * 10 / 1024), ULL(mi.mem_available / 1024),
	       ULL(mi.mem_available % 1024 * 10 / 1024));
	printf("    PID USER      PR  NI    VIRT    RES    SHR S  %%CPU  %%MEM     TIME+ COMMAND\n");
	list_for_each_entry(t, &all_tasks, all_link) {
		struct mem_usage u = { 0 };
		u64 cpu = span ? (t->ticks - ticks_before(before, nb, t->pid)) * 1000 / span : 0;
		u64 cs = t->ticks * 100 / CONFIG_TIMER_HZ, mem;

		if (t->mm)
			mm_usage(t->mm, &u);
		mem = mi.mem_total ? (u.rss >> 10) * 1000 / mi.mem_total : 0;
		printf("%7d %-8s  20   0 %7llu %6llu %6llu %c %3llu.%llu %3llu.%llu %3llu:%02llu.%02llu %s\n", t->pid,
		       "root", ULL(t->mm ? t->mm->total_vm * 4 : 0), ULL(u.rss >> 10), ULL((u.rss - u.uss) >> 10),
		       t->state == TASK_RUNNABLE ? 'R' : t->state == TASK_ZOMBIE ? 'Z' : 'S', ULL(cpu / 10),
		       ULL(cpu % 10), ULL(mem / 10), ULL(mem % 10), ULL(cs / 6000), ULL(cs / 100 % 60), ULL(cs % 100), t->name);
	}
}

static int cmd_top(struct shell_call *c)
{
	int iterations = 1, delay = 1;
	static struct top_task before[TOP_MAX];
	struct cpu_sample a, b;

	for (int i = 1; i < c->argc; i++) {
		int *v = !strcmp(c->argv[i], "-n") ? &iterations : !strcmp(c->argv[i], "-d") ? &delay : NULL;

		if (!v || i + 1 == c->argc || !shell_parse_int(c->argv[++i], v) || *v < 1)
			return shell_usage(c);
	}
	for (int it = 0; it < iterations; it++) {
		unsigned nb = snapshot(before);

		sample(&a);
		if (!shell_sleep_ns((u64)delay * NS_PER_SEC))
			break;
		sample(&b);
		if (it)
			printf("\n");
		top_screen(before, nb, &a, &b);
	}
	return 0;
}

/* ---- pmap ---------------------------------------------------------------- */

/* One /proc/<pid>/maps line as pmap prints it; the mapping's kB. */
static u64 pmap_line(char *line)
{
	unsigned long long start, end;
	char perms[8], name[160] = "", mode[6];
	const char *base;
	int n = 0;

	if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %n", &start, &end, perms, &n) < 3)
		return 0;
	snprintf(name, sizeof(name), "%s", line + n);
	mode[0] = perms[0];
	mode[1] = perms[1];
	mode[2] = perms[2];
	mode[3] = perms[3] == 's' ? 's' : '-';
	mode[4] = '-';
	mode[5] = 0;
	base = strrchr(name, '/');
	if (!strcmp(name, "[stack]"))
		base = "  [ stack ]";
	else if (!name[0] || name[0] == '[')
		base = "  [ anon ]";
	else
		base = base ? base + 1 : name;
	printf("%016llx %6lluK %s %s\n", start, (end - start) >> 10, mode, base);
	return (end - start) >> 10;
}

static int cmd_pmap(struct shell_call *c)
{
	static char maps[16384];
	struct task *t;
	int pid;
	u64 total = 0;
	FILE *f;
	char *line, *next;

	if (c->argc != 2 || !shell_parse_int(c->argv[1], &pid))
		return shell_usage(c);
	t = task_find_live(pid);
	if (!t || !pid) {
		printf("pmap: no process %s\n", c->argv[1]);
		return 1;
	}
	printf("%d:   %s%s%s\n", t->pid, t->name, t->arg[0] ? " " : "", t->arg);
	if (!t->mm) { /* a kernel thread: pmap prints nothing for it either */
		printf(" total %16lluK\n", 0ULL);
		return 0;
	}
	f = fmemopen(maps, sizeof(maps) - 1, "w");
	if (!f)
		return 1;
	show_maps(f, t->mm);
	maps[ftell(f) < (long)sizeof(maps) - 1 ? ftell(f) : (long)sizeof(maps) - 1] = 0;
	fclose(f);
	for (line = maps; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = 0;
		total += pmap_line(line);
	}
	printf(" total %16lluK\n", ULL(total));
	return 0;
}

const struct shell_cmd shell_cmds_mm[] = {
	{ "free", "[-h]", "memory and swap in use (procps free)", cmd_free, 0 },
	{ "vmstat", "[DELAY [COUNT]]", "memory, swap, io, system rates (procps vmstat)", cmd_vmstat, 0 },
	{ "ps", "", "tasks (ps -o pid,ppid,stat,vsz,rss,min_flt,maj_flt,time,comm)", cmd_ps, 0 },
	{ "top", "[-n N] [-d SECS]", "tasks by CPU and memory, N screens", cmd_top, 0 },
	{ "smem", "", "apps' USS/PSS/RSS/swap", cmd_smem, 0 },
	{ "pmap", "PID", "an app's mappings", cmd_pmap, 0 },
	{ "slabtop", "[-o]", "slab caches (-o: once, else every 3 s until ^C)", cmd_slabtop, 0 },
	{ NULL, NULL, NULL, NULL, 0 },
};
