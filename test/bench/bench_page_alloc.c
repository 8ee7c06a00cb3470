/*
 * Host benchmark of the page allocator: the real mm/ sources compiled with
 * clang -O2 (no sanitizers, -DNDEBUG) on platform/host's RAM arena, with
 * the zones, CMA and watermarks of board.cfg (kernel/mm_board.c) over
 * 512 MiB of RAM, as `make run` boots it.
 *
 * Prints, each figure the median of REPS runs:
 *   - order-0 alloc_pages(GFP_KERNEL)+free_pages of one page, over and over
 *     (the per-CPU fast path), next to malloc(4096)+free in this process;
 *   - orders 0..3 alloc_pages(GFP_KERNEL)+free_pages the same way (each a
 *     hit on its per-CPU list);
 *   - order-0 in batches (alloc BATCH pages, then free them: the per-CPU
 *     lists refill and drain through the buddy lists);
 *   - orders 0..10 alloc+free in batches: ns per block, pages/s and GB/s;
 *   - cma_alloc of one page when movable allocations have borrowed all of
 *     the CMA region but its last pages (the search's worst case).
 * Results are passed through an empty asm so that the compiler can neither
 * drop nor merge the calls (malloc/free pairs would otherwise be elided);
 * no page is touched, so the figures are the allocator's, not the memory's.
 */
#include <arch/phys.h>
#include <host.h>
#include <mm/cma.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_mm.h"
#include "bench_util.h"

#define RAM_SIZE (512ULL << 20)
#define REPS 11
#define BATCH 32


/* ns per iteration of fn(iters), median of REPS runs (after one warm-up). */
static double measure(void (*fn)(u64 iters), u64 iters)
{
	double v[REPS];

	fn(iters / 10 + 1);
	for (unsigned r = 0; r < REPS; r++) {
		u64 t0 = now_ns();

		fn(iters);
		v[r] = (double)(now_ns() - t0) / (double)iters;
	}
	return median(v, REPS);
}

static void pair_order0(u64 iters)
{
	for (u64 i = 0; i < iters; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, 0);

		sink(p);
		free_pages(p, 0);
	}
}

static unsigned pair_order;

/* alloc+free of one block of pair_order, over and over (orders 0..3: a per-CPU list hit) */
static void pair_orders(u64 iters)
{
	for (u64 i = 0; i < iters; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, pair_order);

		sink(p);
		free_pages(p, pair_order);
	}
}

static void pair_malloc(u64 iters)
{
	for (u64 i = 0; i < iters; i++) {
		void *p = malloc(PAGE_SIZE);

		sink(p);
		free(p);
	}
}

static unsigned batch_order;

/* iters counts blocks: iters / BATCH rounds of BATCH allocations then BATCH frees. */
static void batch(u64 iters)
{
	struct page *p[BATCH];

	for (u64 i = 0; i < iters; i += BATCH) {
		for (unsigned k = 0; k < BATCH; k++) {
			p[k] = alloc_pages(GFP_KERNEL, batch_order);
			sink(p[k]);
		}
		for (unsigned k = 0; k < BATCH; k++)
			free_pages(p[k], batch_order);
	}
}

/*
 * Borrow every CMA page with movable allocations, give back the last 16,
 * and time cma_alloc(1, 0): it must walk past every borrowed page.
 */
static void cma_worst_case(void)
{
	u64 n = 0, max = nr_managed_pages(), busy = 0, t0, t1;
	struct page **held = malloc(max * sizeof(*held)), *p, *c;
	phys_addr_t top = cma_base + cma_size - 16 * PAGE_SIZE;

	while (n < max && (p = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 0)))
		held[n++] = p;
	for (u64 i = 0; i < n; i++) {
		phys_addr_t pa = page_to_phys(held[i]);

		if (pa < cma_base || pa >= top) {
			free_pages(held[i], 0);
			held[i] = NULL;
		} else {
			busy++;
		}
	}
	t0 = now_ns();
	c = cma_alloc(1, 0);
	t1 = now_ns();
	printf("bench-host: cma_alloc(1 page) past %llu borrowed CMA pages: %.2f ms (%s)\n", (unsigned long long)busy,
	       (double)(t1 - t0) / 1e6, c ? "found a free page" : "failed");
	if (c)
		cma_release(c, 1);
	for (u64 i = 0; i < n; i++)
		if (held[i])
			free_pages(held[i], 0);
	free(held);
}

int main(void)
{
	char cpu[128];
	u64 free0;
	double pa, ma;

	bench_mm_setup(RAM_SIZE);
	free0 = nr_free_pages();
	cpu_name(cpu, sizeof(cpu));
	printf("bench-host: %s; board %s, 512 MiB, poisoning %s, init_on_free %s; median of %d runs\n", cpu,
	       CONFIG_BOARD_NAME, page_alloc_debug.poison ? "on" : "off", page_alloc_debug.init_on_free ? "on" : "off",
	       REPS);
	pa = measure(pair_order0, 2000000);
	ma = measure(pair_malloc, 2000000);
	printf("bench-host: order-0 alloc_pages+free_pages: %6.1f ns/op   malloc(4096)+free: %6.1f ns/op   ratio %.2f\n",
	       pa, ma, pa / ma);
	for (pair_order = 0; pair_order <= PAGE_ALLOC_COSTLY_ORDER; pair_order++)
		printf("bench-host: per-CPU order %u alloc_pages+free_pages: %6.1f ns/op\n", pair_order,
		       measure(pair_orders, 2000000));
	printf("bench-host: %-6s %10s %14s %10s\n", "order", "ns/block", "pages/s", "GB/s");
	for (batch_order = 0; batch_order <= MAX_ORDER; batch_order++) {
		u64 iters = MAX(BATCH * 4ULL, (BATCH * 40000ULL) >> batch_order);
		double ns = measure(batch, ALIGN_UP(iters, (u64)BATCH));
		double pages = (double)(1ULL << batch_order) * 1e9 / ns;

		printf("bench-host: %-6u %10.1f %14.0f %10.1f\n", batch_order, ns, pages, pages * PAGE_SIZE / 1e9);
	}
	if (cma_size)
		cma_worst_case();
	drain_pcp_pages();
	if (nr_free_pages() != free0) {
		fprintf(stderr, "bench: %llu pages free at the end, %llu at the start\n",
			(unsigned long long)nr_free_pages(), (unsigned long long)free0);
		return 1;
	}
	return 0;
}
