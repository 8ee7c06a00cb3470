/*
 * The ARM generic timer: the periodic kernel tick and the monotonic clock.
 *
 * Terminology:
 *   counter   CNTVCT_EL0, the virtual count: 64 bits, rising at
 *             CNTFRQ_EL0 Hz (62.5 MHz on QEMU 7.2), the same on every CPU.
 *   timer     the EL1 virtual timer: its output (PPI CONFIG_TIMER_IRQ,
 *             level) is high while CNTV_CTL_EL0.ENABLE and counter >=
 *             CNTV_CVAL_EL0; ISTATUS reads that condition.
 *   period    P = CNTFRQ / CONFIG_TIMER_HZ counts. When HZ does not divide
 *             the frequency the deadlines still lie on the exact grid
 *             start + floor(n * CNTFRQ / HZ), so the long-run rate is exact.
 *   tick      one timer interrupt that found its deadline reached.
 *
 * Deadlines, no drift: CVAL goes from grid point n to n + 1, never to
 * "now + P", so the handler's latency does not add up.
 *
 *   counter  --|------|------|------|------|------|--> grid: start + n P
 *              ^ IRQ  ^ IRQ    (stall) ^ IRQ  ^ IRQ
 *                                skipped
 *
 * A handler that runs so late that the next grid point has passed too
 * (IRQs masked for long, a debugger, a descheduled host) moves CVAL to the
 * first grid point after now instead of firing a burst of catch-up IRQs.
 * So timer_ticks() counts tick interrupts, and time is timer_now_ns().
 *
 * Locking: one CPU. tick_index/ticks are written by timer_tick (IRQs
 * masked) and by timer_init before the line is requested; readers use
 * single 64-bit loads.
 */
#include <arch/irq.h>
#include <arch/layout.h>
#include <arch/timer_regs.h>
#include <arch/timer.h>
#include <lib/errno.h>
#include <stdio.h>

#define CNTV_CTL_ENABLE BIT(0)
#define CNTV_CTL_ISTATUS BIT(2)
#define NSEC_PER_SEC 1000000000ULL

static u64 freq_hz;     /* CNTFRQ_EL0, latched by timer_init */
static u64 start_count; /* counter at timer_init: grid point 0 */
static u64 tick_index;  /* grid point CVAL holds */
static u64 ticks;
static void (*volatile tick_hook)(void);

static u64 counter(void)
{
	return timer_read_counter(); /* not read early, ahead of the code before it */
}

/* Counts from grid point 0 to grid point n: floor(n * freq / HZ),
 * computed without overflow. */
static u64 grid_offset(u64 n)
{
	return (n / CONFIG_TIMER_HZ) * freq_hz + (n % CONFIG_TIMER_HZ) * freq_hz / CONFIG_TIMER_HZ;
}

/* The first grid point strictly after counter value now. */
static u64 grid_index_after(u64 now)
{
	u64 elapsed = now - start_count;
	u64 n = (elapsed / freq_hz) * CONFIG_TIMER_HZ + (elapsed % freq_hz) * CONFIG_TIMER_HZ / freq_hz;

	while (start_count + grid_offset(n) <= now)
		n++;
	return n;
}

static void timer_tick(unsigned intid, void *arg)
{
	void (*hook)(void) = tick_hook;

	(void)intid;
	(void)arg;
	if (!(timer_read_ctl() & CNTV_CTL_ISTATUS))
		return; /* a late echo of the previous tick: the line is low now */
	tick_index++;
	if (start_count + grid_offset(tick_index) <= counter())
		tick_index = grid_index_after(counter());
	timer_write_cval(start_count + grid_offset(tick_index));
	isb(); /* the output drops before irq_dispatch writes EOI */
	WRITE_ONCE(ticks, ticks + 1);
	if (hook)
		hook();
}

/* Boot, once, after irq_init: start the tick on grid point 1. */
int timer_init(void)
{
	int err;

	freq_hz = timer_freq();
	if (freq_hz < CONFIG_TIMER_HZ) {
		printf("timer: CNTFRQ_EL0 is %llu Hz: not set by the firmware?\n",
		       (unsigned long long)freq_hz);
		return -ENODEV;
	}
	timer_write_ctl(0);
	start_count = counter();
	tick_index = 1;
	timer_write_cval(start_count + grid_offset(tick_index));
	err = irq_request(CONFIG_TIMER_IRQ, timer_tick, NULL);
	if (err)
		return err;
	timer_write_ctl(CNTV_CTL_ENABLE);
	isb();
	return 0;
}

/* Any context: tick interrupts handled since timer_init. */
u64 timer_ticks(void) { return READ_ONCE(ticks); }

/* Any context: CNTFRQ_EL0 in Hz. */
u64 timer_freq(void) { return timer_read_freq(); }

/* Any context: counter time in ns, monotonic; 0 if CNTFRQ_EL0 is unset. */
u64 timer_now_ns(void)
{
	u64 c = counter(), f = freq_hz ? freq_hz : timer_freq();

	if (!f)
		return 0;
	/* split so that c * 1e9 cannot overflow: exact for any uptime */
	return (c / f) * NSEC_PER_SEC + (c % f) * NSEC_PER_SEC / f;
}

/* Any context: hook (or NULL) runs in every tick, IRQs masked, after the
 * next deadline is set. Replaces the previous hook. */
void (*timer_set_tick_hook(void (*hook)(void)))(void)
{
	void (*old)(void) = tick_hook;

	tick_hook = hook;
	return old;
}
