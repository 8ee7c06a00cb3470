/*
 * On-target benchmark of the page allocator, run by `make bench` (the
 * firmware calls bench_page_alloc() when booted with "bench").
 *
 * Under QEMU's -icount shift=0,sleep=off virtual time advances exactly
 * 1 ns per instruction, so counter time is an instruction count: ticks of
 * CNTVCT_EL0 * 1e9 / CNTFRQ_EL0 (62.5 MHz on virt: 16 instructions a
 * tick). Averaged over many iterations the 16-instruction granularity
 * vanishes. Interrupts are masked while measuring; the cost of the empty
 * loop (and of the counter reads, for the alloc/free split) is subtracted.
 *
 * Output, one grep-able line per figure, instruction counts with two decimals:
 *   bench: order-0 alloc+free GFP_KERNEL: 123.45 instructions (alloc 60.00, free 63.45; 100000 iterations)
 *   bench: order N: alloc+free 150.00 instructions, batch of 32: 300.00 instructions/block
 *     (orders 0..3 through the per-CPU lists: the pair is a list hit)
 *   bench: cma_alloc(1 page) past N borrowed CMA pages: M instructions
 * The last one is cma_alloc's worst case: movable allocations hold every
 * CMA page but the last 16, so the search walks past all of them. Pages
 * held meanwhile are chained through their own first word.
 */
#include <arch/irqflags.h>
#include <arch/cpu.h>
#include <arch/timer.h>
#include <mm/cma.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <stdio.h>

void bench_page_alloc(void);

#define ITERS 100000u
#define ORDER_ITERS 10000u
#define BATCH 32u
#define TARGET_INSNS 150       /* issue 16: order-0 alloc+free */
#define TARGET_PCP_ORDER_INSNS 250 /* issue 16: each of orders 1..3 (per-CPU lists) */

static inline u64 counter(void)
{
	return arch_counter();
}

/* Keep p alive: the compiler can neither drop nor merge the call that made it. */
static inline void sink(const void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

/* Counter ticks over n operations -> hundredths of an instruction per operation. */
static u64 centi_per_op(s64 ticks, u64 n)
{
	if (ticks < 0)
		ticks = 0;
	return (u64)ticks * 1000000000ULL / timer_freq() * 100 / n;
}

static const char *fmt_centi(char *buf, u64 c)
{
	snprintf(buf, 24, "%llu.%02llu", (unsigned long long)(c / 100), (unsigned long long)(c % 100));
	return buf;
}

static s64 empty_loop(u64 n)
{
	u64 t0 = counter();

	for (u64 i = 0; i < n; i++)
		sink(&i);
	return (s64)(counter() - t0);
}

static s64 pair_loop(gfp_t gfp, unsigned order, u64 n)
{
	u64 t0 = counter();

	for (u64 i = 0; i < n; i++) {
		struct page *p = alloc_pages(gfp, order);

		sink(p);
		free_pages(p, order);
	}
	return (s64)(counter() - t0);
}

/* Alloc and free separately timed: *alloc and *free in ticks, counter reads included. */
static void split_loop(gfp_t gfp, u64 n, s64 *alloc, s64 *free, s64 *reads)
{
	*alloc = *free = *reads = 0;
	for (u64 i = 0; i < n; i++) {
		u64 t0 = counter(), t1, t2;
		struct page *p = alloc_pages(gfp, 0);

		t1 = counter();
		sink(p);
		free_pages(p, 0);
		t2 = counter();
		*alloc += (s64)(t1 - t0);
		*free += (s64)(t2 - t1);
	}
	for (u64 i = 0; i < n; i++) {
		u64 t0 = counter();

		*reads += (s64)(counter() - t0);
	}
}

static s64 batch_loop(unsigned order, u64 rounds)
{
	struct page *p[BATCH];
	u64 t0 = counter();

	for (u64 r = 0; r < rounds; r++) {
		for (unsigned k = 0; k < BATCH; k++) {
			p[k] = alloc_pages(GFP_KERNEL, order);
			sink(p[k]);
		}
		for (unsigned k = 0; k < BATCH; k++)
			free_pages(p[k], order);
	}
	return (s64)(counter() - t0);
}

static void order0(const char *name, gfp_t gfp, s64 overhead)
{
	char a[24], b[24], c[24];
	s64 pair, al, fr, rd;
	u64 pc;

	pair_loop(gfp, 0, 1000); /* warm: per-CPU list filled, code and data touched */
	pair = pair_loop(gfp, 0, ITERS) - overhead;
	split_loop(gfp, ITERS, &al, &fr, &rd);
	pc = centi_per_op(pair, ITERS);
	printf("bench: order-0 alloc+free %s: %s instructions (alloc %s, free %s; %u iterations)%s\n", name,
	       fmt_centi(a, pc), fmt_centi(b, centi_per_op(al - rd, ITERS)), fmt_centi(c, centi_per_op(fr - rd, ITERS)),
	       ITERS, pc > TARGET_INSNS * 100 ? "  ABOVE TARGET" : "");
}

static void cma_worst_case(void)
{
	phys_addr_t top = cma_base + cma_size - 16 * PAGE_SIZE;
	void *all = NULL, *borrowed = NULL;
	u64 busy = 0, t0, t1;
	struct page *p, *c;
	char a[24];

	while ((p = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN | __GFP_NORETRY, 0))) {
		*(void **)page_address(p) = all;
		all = page_address(p);
	}
	while (all) {
		void *va = all;
		phys_addr_t pa = page_to_phys(virt_to_page(va));

		all = *(void **)va;
		if (pa >= cma_base && pa < top) {
			*(void **)va = borrowed;
			borrowed = va;
			busy++;
		} else {
			put_free_pages(va, 0);
		}
	}
	t0 = counter();
	c = cma_alloc(1, 0);
	t1 = counter();
	printf("bench: cma_alloc(1 page) past %llu borrowed CMA pages: %s instructions (%s)\n", (unsigned long long)busy,
	       fmt_centi(a, centi_per_op((s64)(t1 - t0), 1)), c ? "found a free page" : "failed");
	if (c)
		cma_release(c, 1);
	while (borrowed) {
		void *va = borrowed;

		borrowed = *(void **)va;
		put_free_pages(va, 0);
	}
}

void bench_page_alloc(void)
{
	unsigned long flags = arch_irq_save();
	u64 free0 = nr_free_pages();
	s64 overhead, small_overhead;
	char a[24], b[24];

	printf("bench: page allocator, counter %llu Hz; targets: order-0 alloc+free at most %d instructions, "
	       "orders 1..%d at most %d\n", (unsigned long long)timer_freq(), TARGET_INSNS, PAGE_ALLOC_COSTLY_ORDER,
	       TARGET_PCP_ORDER_INSNS);
	printf("bench: poisoning %s, init_on_free %s\n", page_alloc_debug.poison ? "on" : "off",
	       page_alloc_debug.init_on_free ? "on" : "off");
	empty_loop(1000);
	overhead = empty_loop(ITERS);
	small_overhead = empty_loop(ORDER_ITERS);
	order0("GFP_KERNEL", GFP_KERNEL, overhead);
	order0("GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE, overhead);
	for (unsigned o = 0; o <= MAX_ORDER; o++) {
		u64 rounds = MAX(4ULL, (ORDER_ITERS / BATCH) >> o);
		u64 pc;

		pair_loop(GFP_KERNEL, o, 100);
		batch_loop(o, 2);
		pc = centi_per_op(pair_loop(GFP_KERNEL, o, ORDER_ITERS) - small_overhead, ORDER_ITERS);
		printf("bench: order %u: alloc+free %s instructions, batch of %u: %s instructions/block\n", o,
		       fmt_centi(a, pc), BATCH, fmt_centi(b, centi_per_op(batch_loop(o, rounds), rounds * BATCH)));
		if (o && o <= PAGE_ALLOC_COSTLY_ORDER && pc > TARGET_PCP_ORDER_INSNS * 100)
			printf("bench: order %u alloc+free ABOVE TARGET (%d instructions)\n", o, TARGET_PCP_ORDER_INSNS);
	}
	if (cma_size)
		cma_worst_case();
	drain_pcp_pages();
	printf("bench: %llu free pages at the end, %llu at the start (pcp drained)\n",
	       (unsigned long long)nr_free_pages(), (unsigned long long)free0);
	arch_irq_restore(flags);
}
