/*
 * Memory pressure stall information (include/kernel/psi.h, docs/lmk.md):
 * which tasks are stalled on memory, and the group's some/full states.
 *
 * mm/ calls psi_memstall_enter/leave (include/mm/memstall.h) around
 * direct reclaim, a decompressing swap-in and the OOM kill; psi_init
 * installs the two hooks here. A task's stalls nest (current->memstall);
 * its outermost stall counts it in nr_stalled. Then
 *
 *   some = nr_stalled > 0
 *   full = some, and no non-idle task is left that is not stalled
 *          (non-idle: runnable or running; sleeping and waiting tasks
 *          are idle, as Linux counts them)
 *
 * re-evaluated at every enter/leave and every tick (a tick may wake a
 * sleeper, which ends "full"). The averages are folded every 2 s from
 * the timer tick and on every read.
 *
 * Locking: one CPU; the state is changed with interrupts masked (the tick
 * reads and folds it from the interrupt handler). A stall never
 * schedules (reclaim, swap-in and the OOM killer run to completion in the
 * cooperative kernel), so nr_stalled is at most 1 today; the counting is
 * written for more.
 */
#include <arch/irqflags.h>
#include <arch/timer.h>
#include <kernel/psi.h>
#include <kernel/task.h>
#include <mm/memstall.h>

static struct psi_group mem_group;
static unsigned nr_stalled;
static void (*prev_tick)(void);

static unsigned nr_nonidle(void)
{
	struct task *t;
	unsigned n = 0;

	list_for_each_entry(t, &all_tasks, all_link)
		n += t->state == TASK_RUNNABLE;
	return n;
}

/* Interrupts masked. */
static void refresh(u64 now)
{
	bool some = nr_stalled > 0;

	psi_state_set(&mem_group, PSI_SOME, some, now);
	psi_state_set(&mem_group, PSI_FULL, some && nr_stalled >= nr_nonidle(), now);
}

static void memstall_enter(void)
{
	unsigned long f = arch_irq_save();

	if (current->memstall++ == 0) {
		nr_stalled++;
		refresh(timer_now_ns());
	}
	arch_irq_restore(f);
}

static void memstall_leave(void)
{
	unsigned long f = arch_irq_save();

	if (current->memstall && --current->memstall == 0) {
		nr_stalled--;
		refresh(timer_now_ns());
	}
	arch_irq_restore(f);
}

void psi_tick(void)
{
	u64 now = timer_now_ns();

	if (nr_stalled)
		refresh(now);
	psi_update_avgs(&mem_group, now);
}

static void psi_tick_hook(void)
{
	if (prev_tick)
		prev_tick();
	psi_tick();
}

void psi_init(void)
{
	psi_group_init(&mem_group, timer_now_ns());
	memstall_hooks.enter = memstall_enter;
	memstall_hooks.leave = memstall_leave;
	prev_tick = timer_set_tick_hook(psi_tick_hook);
}

unsigned psi_some_avg10_centi(void)
{
	return (unsigned)((mem_group.s[PSI_SOME].avg[0] * 100) >> PSI_FSHIFT);
}

u64 psi_total_us(enum psi_res st)
{
	unsigned long f = arch_irq_save();
	u64 ns = psi_state_total(&mem_group, st, timer_now_ns());

	arch_irq_restore(f);
	return ns / 1000;
}

void show_pressure_memory(FILE *f)
{
	static const char *const names[NR_PSI_STATES] = { "some", "full" };
	struct psi_group g;
	unsigned long flags = arch_irq_save();
	u64 now = timer_now_ns();

	psi_update_avgs(&mem_group, now);
	g = mem_group;
	arch_irq_restore(flags);
	for (int st = 0; st < NR_PSI_STATES; st++) {
		char a[3][24];

		for (int w = 0; w < 3; w++)
			psi_avg_format(g.s[st].avg[w], a[w], sizeof(a[w]));
		fprintf(f, "%s avg10=%s avg60=%s avg300=%s total=%llu\n", names[st], a[0], a[1], a[2],
			(unsigned long long)(psi_state_total(&g, st, now) / 1000));
	}
}
