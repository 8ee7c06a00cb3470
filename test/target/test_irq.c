/*
 * On-target tests of the interrupt and timer contracts (include/arch/irq.h,
 * include/arch/timer.h) on whichever GIC the board has.
 *
 * Terminology: INTID, SGI, SPI as in platform/common/gic_ops.h; a "tick"
 * is one timer interrupt, P its period (1/CONFIG_TIMER_HZ s).
 *
 * Every wait is on a count (ticks, handler hits) with a deadline in
 * counter time, never a fixed sleep. A wait spins until it has seen one
 * tick and then sleeps in wfi: the tick is known to wake it every P, and a
 * dead timer fails the wait instead of hanging the board.
 *
 * Timing assertions hold under plain TCG as well as -icount: a late tick
 * handler moves the next deadline along the grid (platform/common/timer.c)
 * and never fires early, so if M ticks separate two snapshots taken with
 * IRQs masked, more than (M - 2) periods separate them. The measured
 * average is printed, not asserted (the host may be slow).
 *
 * Software interrupts come from irq_raise(), internal to platform/aarch64
 * until irq.h offers one.
 */
#include <arch/irq.h>
#include <arch/layout.h>
#include <arch/cpu.h>
#include <arch/irqflags.h>
#include <arch/timer.h>
#include <kernel/ktest.h>
#include <lib/errno.h>
#include <stdio.h>
#include <string.h>


#define WAIT_MS 2000
#define NSEC_PER_TICK (1000000000ULL / CONFIG_TIMER_HZ)

#define SGI_SELF 1
#define SGI_BUSY 6
#define SGI_SPARE 9
#define SGI_PAIR_A 4
#define SGI_PAIR_B 5

/* What the test handler saw. */
struct hits {
	u64 n;
	unsigned last_intid;
	bool irqs_were_masked;
};

static struct hits hits[IRQ_MAX_INTID];

static void count_hit(unsigned intid, void *arg)
{
	struct hits *h = arg;

	h->last_intid = intid;
	h->irqs_were_masked = arch_irqs_disabled();
	WRITE_ONCE(h->n, h->n + 1);
}

static u64 hit_count(unsigned intid) { return READ_ONCE(hits[intid].n); }

/* Wait until value() >= target; false after WAIT_MS of counter time. */
static bool wait_until(u64 (*value)(unsigned), unsigned arg, u64 target)
{
	u64 deadline = timer_now_ns() + WAIT_MS * 1000000ULL;
	u64 tick0 = timer_ticks();

	while (value(arg) < target) {
		if (timer_now_ns() > deadline)
			return false;
		if (timer_ticks() != tick0)
			arch_wait_for_interrupt();
	}
	return true;
}

static u64 ticks_of(unsigned unused)
{
	(void)unused;
	return timer_ticks();
}

static bool wait_ticks(u64 n) { return wait_until(ticks_of, 0, timer_ticks() + n); }

static bool wait_hits(unsigned intid, u64 n) { return wait_until(hit_count, intid, n); }

/* ticks, irq_count(timer) and time, read together with IRQs masked. */
struct snap {
	u64 ticks, count, ns;
};

static struct snap snapshot(void)
{
	unsigned long flags = arch_irq_save();
	struct snap s;

	s.ticks = timer_ticks();
	s.count = irq_count(CONFIG_TIMER_IRQ);
	s.ns = timer_now_ns();
	arch_irq_restore(flags);
	return s;
}

static void reset_hits(unsigned intid) { memset(&hits[intid], 0, sizeof(hits[intid])); }

/* ----------------------------------------------------------- timer suite */

static void test_tick_advances(struct ktest *t)
{
	struct snap a = snapshot(), b;

	KT_ASSERT(t, wait_ticks(5));
	b = snapshot();
	KT_EXPECT(t, b.ticks - a.ticks >= 5);
	/* every tick is one timer interrupt, and every timer interrupt a tick */
	KT_EXPECT_EQ(t, b.ticks - a.ticks, b.count - a.count);
}

static void test_tick_period(struct ktest *t)
{
	const u64 want = 20;
	struct snap a, b;
	u64 m, elapsed;

	KT_ASSERT(t, wait_ticks(1)); /* start right after a tick */
	a = snapshot();
	KT_ASSERT(t, wait_until(ticks_of, 0, a.ticks + want));
	b = snapshot();
	m = b.ticks - a.ticks;
	elapsed = b.ns - a.ns;
	printf("    # %s: %llu ticks in %llu ns: %llu ns each (nominal %llu)\n", t->name,
	       (unsigned long long)m, (unsigned long long)elapsed, (unsigned long long)(elapsed / m),
	       (unsigned long long)NSEC_PER_TICK);
	/* > (m - 2) P, less 10 us for ns rounding: never faster than HZ */
	KT_EXPECT(t, elapsed + 10000 > (m - 2) * NSEC_PER_TICK);
}

static void test_now_ns_monotonic(struct ktest *t)
{
	u64 prev = timer_now_ns(), first = prev;

	for (int i = 0; i < 10000; i++) {
		u64 now = timer_now_ns();

		if (!KT_EXPECT(t, now >= prev))
			return;
		prev = now;
	}
	KT_ASSERT(t, wait_ticks(3));
	/* three ticks lie more than one period apart (see the file comment) */
	KT_EXPECT(t, timer_now_ns() - first + 10000 > NSEC_PER_TICK);
}

/*
 * A stall of 5.5 periods with IRQs masked costs one tick, not a burst of
 * 5-6 catch-up ticks: the handler moves the deadline past now. We wait
 * for that tick rather than expect it at once (an emulator may raise the
 * line late), and allow two more: the host may stall us meanwhile.
 */
static void test_stall_skips_ticks(struct ktest *t)
{
	struct snap a, b, c;
	u64 d;

	KT_ASSERT(t, wait_ticks(1));
	arch_irq_disable();
	a = snapshot();
	while (timer_now_ns() < a.ns + 11 * NSEC_PER_TICK / 2)
		;
	arch_irq_enable();
	KT_ASSERT(t, wait_until(ticks_of, 0, a.ticks + 1));
	b = snapshot();
	d = b.ticks - a.ticks;
	if (!KT_EXPECT(t, d <= 3))
		printf("    # %s: %llu ticks right after the stall\n", t->name, (unsigned long long)d);
	KT_EXPECT_EQ(t, b.count - a.count, d);
	/* and the tick goes on afterwards */
	KT_EXPECT(t, wait_ticks(2));
	c = snapshot();
	KT_EXPECT(t, c.ticks - b.ticks >= 2);
}

static u64 hook_calls;

static void tick_hook_fn(void) { WRITE_ONCE(hook_calls, hook_calls + 1); }

static void test_tick_hook(struct ktest *t)
{
	struct snap a, b;
	u64 before, after;

	hook_calls = 0;
	arch_irq_disable();
	a = snapshot();
	void (*old)(void) = timer_set_tick_hook(tick_hook_fn);
	arch_irq_enable();
	KT_EXPECT(t, wait_ticks(3));
	arch_irq_disable();
	timer_set_tick_hook(old);
	b = snapshot();
	arch_irq_enable();
	KT_EXPECT_EQ(t, READ_ONCE(hook_calls), b.ticks - a.ticks);
	before = READ_ONCE(hook_calls);
	KT_EXPECT(t, wait_ticks(2));
	after = READ_ONCE(hook_calls);
	KT_EXPECT_EQ(t, after, before); /* unhooked: no more calls */
}

static const struct ktest_case timer_cases[] = {
	KTEST_CASE(test_tick_advances),
	KTEST_CASE(test_tick_period),
	KTEST_CASE(test_now_ns_monotonic),
	KTEST_CASE(test_stall_skips_ticks),
	KTEST_CASE(test_tick_hook),
	{ 0 },
};
KTEST_SUITE(timer, timer_cases);

/* ------------------------------------------------------------- irq suite */

static void test_controller_name(struct ktest *t)
{
	const char *name = irq_controller_name();

	KT_EXPECT(t, !strcmp(name, "GICv2") || !strcmp(name, "GICv3"));
}

static void test_request_bad_intid(struct ktest *t)
{
	KT_EXPECT_EQ(t, irq_request(1020, count_hit, NULL), -EINVAL);
	KT_EXPECT_EQ(t, irq_request(1023, count_hit, NULL), -EINVAL);
	KT_EXPECT_EQ(t, irq_request(100000, count_hit, NULL), -EINVAL);
	KT_EXPECT_EQ(t, irq_request(~0u, count_hit, NULL), -EINVAL);
	KT_EXPECT_EQ(t, irq_request(SGI_SPARE, NULL, NULL), -EINVAL);
	KT_EXPECT_EQ(t, irq_count(100000), 0);
}

static void test_request_busy(struct ktest *t)
{
	KT_EXPECT_EQ(t, irq_request(CONFIG_TIMER_IRQ, count_hit, NULL), -EBUSY);
	KT_ASSERT_EQ(t, irq_request(SGI_BUSY, count_hit, &hits[SGI_BUSY]), 0);
	KT_EXPECT_EQ(t, irq_request(SGI_BUSY, count_hit, &hits[SGI_BUSY]), -EBUSY);
	irq_free(SGI_BUSY);
	/* freed: the line can be taken again */
	KT_EXPECT_EQ(t, irq_request(SGI_BUSY, count_hit, &hits[SGI_BUSY]), 0);
	irq_free(SGI_BUSY);
}

static void test_sgi_to_self(struct ktest *t)
{
	u64 c0 = irq_count(SGI_SELF);

	reset_hits(SGI_SELF);
	KT_ASSERT_EQ(t, irq_request(SGI_SELF, count_hit, &hits[SGI_SELF]), 0);
	irq_raise(SGI_SELF);
	KT_EXPECT(t, wait_hits(SGI_SELF, 1));
	KT_EXPECT(t, wait_ticks(2)); /* room for a (wrong) second delivery */
	KT_EXPECT_EQ(t, hit_count(SGI_SELF), 1);
	KT_EXPECT_EQ(t, irq_count(SGI_SELF) - c0, 1);
	KT_EXPECT_EQ(t, hits[SGI_SELF].last_intid, SGI_SELF);
	KT_EXPECT(t, hits[SGI_SELF].irqs_were_masked);
	irq_free(SGI_SELF);
}

/* Two interrupts pending when IRQs open: both handled, once each. */
static void test_several_pending(struct ktest *t)
{
	reset_hits(SGI_PAIR_A);
	reset_hits(SGI_PAIR_B);
	KT_ASSERT_EQ(t, irq_request(SGI_PAIR_A, count_hit, &hits[SGI_PAIR_A]), 0);
	KT_ASSERT_EQ(t, irq_request(SGI_PAIR_B, count_hit, &hits[SGI_PAIR_B]), 0);
	arch_irq_disable();
	irq_raise(SGI_PAIR_A);
	irq_raise(SGI_PAIR_B);
	arch_irq_enable();
	KT_EXPECT(t, wait_hits(SGI_PAIR_A, 1));
	KT_EXPECT(t, wait_hits(SGI_PAIR_B, 1));
	KT_EXPECT(t, wait_ticks(2));
	KT_EXPECT_EQ(t, hit_count(SGI_PAIR_A), 1);
	KT_EXPECT_EQ(t, hit_count(SGI_PAIR_B), 1);
	irq_free(SGI_PAIR_A);
	irq_free(SGI_PAIR_B);
}

/* The highest SPI the GIC has: the first INTID from the top that
 * irq_request accepts (left requested with count_hit). */
static unsigned request_top_spi(void)
{
	for (unsigned i = IRQ_MAX_INTID - 1; i >= IRQ_FIRST_SPI; i--) {
		reset_hits(i);
		if (irq_request(i, count_hit, &hits[i]) != -EINVAL)
			return i;
	}
	return 0;
}

/*
 * irq_free masks the line: a raised SPI stays pending in the GIC and is
 * not delivered; requesting the line again delivers it, once. (An SPI,
 * not an SGI: some GICv2s, QEMU's included, cannot mask SGIs.)
 */
static void test_free_stops_delivery(struct ktest *t)
{
	unsigned spi = request_top_spi();
	u64 c0;

	KT_ASSERT(t, spi >= IRQ_FIRST_SPI);
	printf("    # %s: using SPI %u\n", t->name, spi);
	irq_free(spi);
	c0 = irq_count(spi);
	irq_raise(spi);
	KT_EXPECT(t, wait_ticks(3));
	KT_EXPECT_EQ(t, hit_count(spi), 0);
	KT_EXPECT_EQ(t, irq_count(spi), c0);
	KT_ASSERT_EQ(t, irq_request(spi, count_hit, &hits[spi]), 0);
	KT_EXPECT(t, wait_hits(spi, 1));
	KT_EXPECT(t, wait_ticks(2));
	KT_EXPECT_EQ(t, hit_count(spi), 1);
	KT_EXPECT_EQ(t, irq_count(spi) - c0, 1);
	irq_free(spi);
}

static const struct ktest_case irq_cases[] = {
	KTEST_CASE(test_controller_name),
	KTEST_CASE(test_request_bad_intid),
	KTEST_CASE(test_request_busy),
	KTEST_CASE(test_sgi_to_self),
	KTEST_CASE(test_several_pending),
	KTEST_CASE(test_free_stops_delivery),
	{ 0 },
};
KTEST_SUITE(irq, irq_cases);
