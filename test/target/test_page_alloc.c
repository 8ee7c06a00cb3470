/*
 * On-target tests of the page allocator on the real board layout. Every
 * expectation comes from the board's engines (BOARD_DMA_ENGINES_INIT via
 * mm_board_from_config: any count 1..4, widths up to 64 bits, any engine
 * using CMA) and the RAM QEMU was given, never from one board's numbers:
 *  - every GFP_DMA page lies inside what the narrowest engine reaches,
 *    over thousands of allocations and under exhaustion;
 *  - exhausting memory and freeing it returns every zone to its state
 *    before (free pages and free blocks per order);
 *  - the same at each order 0..3 through the per-CPU lists (count within
 *    PCP_HIGH, the block freed last handed out first, a drain restores
 *    every zone);
 *  - the zones follow the engines and the RAM (-m 128M .. 8G in the test
 *    matrix): DMA up to the narrowest engine's reach, DMA32 up to the
 *    widest reach of an engine of at most 32 bits, Normal the rest;
 *  - CMA: region reachable by every engine that uses it, in one zone,
 *    cma_alloc of up to 8 MiB (the region's size if smaller);
 *  - allocation from interrupt context (GFP_ATOMIC in the timer tick);
 *  - with the debug board, a write after free is caught by poisoning.
 * Pages held during exhaustion are chained through their own first word,
 * so the test needs no memory of its own.
 */
#include <arch/irqflags.h>
#include <arch/timer.h>
#include <kernel/ktest.h>
#include <mm/cma.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/page_debug.h>
#include <stdio.h>
#include <string.h>

struct snapshot {
	u64 free[MAX_NR_ZONES];
	u64 per_order[MAX_NR_ZONES][NR_ORDERS];
};

static void snap(struct snapshot *s)
{
	drain_pcp_pages();
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		s->free[z] = zones[z].nr_free;
		for (int o = 0; o < NR_ORDERS; o++)
			s->per_order[z][o] = zones[z].free_area[o].nr_free;
	}
}

/* The reach of the board's narrowest engine: [lo, hi). */
static void narrowest_reach(phys_addr_t *lo, phys_addr_t *hi)
{
	struct mm_board b;

	mm_board_from_config(&b);
	*lo = 0;
	*hi = ~0ULL;
	for (unsigned i = 0; i < b.nr_engines; i++) {
		phys_addr_t l, h;

		dma_engine_reach(&b.engines[i], &l, &h);
		if (h - l < *hi - *lo)
			*lo = l, *hi = h;
	}
}

/* Allocate order-`order` blocks with gfp until failure (__GFP_NORETRY: no
 * OOM killer, which would find nothing to kill and panic); chain them by
 * their struct page (a highmem block has no kernel address), the order in
 * ->private; return the count. */
static u64 exhaust(gfp_t gfp, unsigned order, struct list_head *chain, phys_addr_t lo, phys_addr_t hi, u64 *outside)
{
	u64 n = 0;
	struct page *p;

	while ((p = alloc_pages(gfp | __GFP_NOWARN | __GFP_NORETRY, order))) {
		phys_addr_t pa = page_to_phys(p);

		if (pa < lo || pa + (PAGE_SIZE << order) > hi)
			(*outside)++;
		p->private = order;
		list_add(&p->lru, chain);
		n++;
	}
	return n;
}

static void release(struct list_head *chain)
{
	struct page *p, *next;

	list_for_each_entry_safe(p, next, chain, lru) {
		unsigned order = (unsigned)p->private;

		list_del(&p->lru);
		INIT_LIST_HEAD(&p->lru);
		p->private = 0;
		free_pages(p, order);
	}
}

static void dma_pages_stay_in_reach(struct ktest *t)
{
	phys_addr_t lo, hi;
	u64 outside = 0, n = 0, free_dma;
	LIST_HEAD(chain);

	narrowest_reach(&lo, &hi);
	/* thousands of mixed-order allocations and frees */
	for (unsigned i = 0; i < 4000; i++) {
		unsigned order = i % 7 ? 0 : i % 5;
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_DMA | __GFP_NOWARN, order);

		if (!p)
			continue;
		n++;
		outside += page_to_phys(p) < lo || page_to_phys(p) + (PAGE_SIZE << order) > hi;
		free_pages(p, order);
	}
	KT_EXPECT_EQ(t, n, 4000);
	/* and under exhaustion, with every gfp that means DMA */
	drain_pcp_pages();
	free_dma = zones[ZONE_DMA].nr_free;
	n = exhaust(GFP_KERNEL | __GFP_DMA, 0, &chain, lo, hi, &outside);
	n += exhaust(GFP_ATOMIC | __GFP_DMA, 0, &chain, lo, hi, &outside);
	n += exhaust(GFP_HIGHUSER_MOVABLE | __GFP_DMA, 0, &chain, lo, hi, &outside);
	/* all of ZONE_DMA's free pages but its reserve (atomic: half of min) and the per-CPU lists */
	KT_EXPECT(t, n + zones[ZONE_DMA].watermark[WMARK_MIN] + zones[ZONE_DMA].pcp.count >= free_dma);
	release(&chain);
	KT_EXPECT_EQ(t, outside, 0);
}

static void exhaustion_returns_every_zone_to_its_state(struct ktest *t)
{
	/* without reclaim: what reclaim frees (page cache, slab's kept empty
	 * slabs) was not free before and would not match the snapshot */
#define NORECLAIM(g) ((g) & ~(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM))
	static const gfp_t gfps[] = { NORECLAIM(GFP_KERNEL | __GFP_DMA), NORECLAIM(GFP_KERNEL),
				      NORECLAIM(GFP_HIGHUSER_MOVABLE), NORECLAIM(GFP_ATOMIC) };
	struct snapshot before, after;
	LIST_HEAD(chain);
	u64 outside = 0, total = 0, free_before = 0;

	snap(&before);
	for (int order = MAX_ORDER; order >= 0; order--)
		for (unsigned g = 0; g < ARRAY_SIZE(gfps); g++)
			total += exhaust(gfps[g], (unsigned)order, &chain, 0, ~0ULL, &outside) << order;
	/* what is left free is only the atomic reserve (half of min) and lowmem reserves */
	KT_EXPECT(t, nr_free_pages() < nr_managed_pages() / 20);
	KT_EXPECT(t, total > nr_managed_pages() / 2);
	release(&chain);
	snap(&after);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		free_before += before.free[z];
	KT_EXPECT_EQ(t, nr_free_pages(), free_before);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		KT_EXPECT_EQ(t, after.free[z], before.free[z]);
		for (int o = 0; o < NR_ORDERS; o++)
			KT_EXPECT_EQ(t, after.per_order[z][o], before.per_order[z][o]);
	}
}

/* Every zone's per-CPU count within PCP_HIGH, and each list's blocks headed right. */
static bool pcp_lists_sane(void)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		u64 pages = 0;

		for (unsigned i = 0; i < NR_PCP_LISTS; i++) {
			struct page *p;

			list_for_each_entry(p, &zones[z].pcp.lists[i], lru) {
				if (!PAGE_FLAG(p, PG_pcp) || p->order != i / MIGRATE_PCPTYPES)
					return false;
				pages += 1ULL << p->order;
			}
		}
		if (pages != zones[z].pcp.count || pages > PCP_HIGH)
			return false;
	}
	return true;
}

/*
 * Orders 0..3 go through the per-CPU lists: exhaust each order (refills
 * all the way down to the watermarks), give it all back (the lists fill
 * up to PCP_HIGH, then drain), a block freed is the next one handed out
 * (the list's hot end), and after a drain every zone is as it was: free
 * pages and free blocks per order (buddyinfo).
 */
static void pcp_orders_exhaust_and_refill(struct ktest *t)
{
	static const gfp_t gfps[] = { __GFP_HIGH, __GFP_MOVABLE | __GFP_HIGHMEM };

	for (unsigned order = 0; order <= PAGE_ALLOC_COSTLY_ORDER; order++) {
		for (unsigned g = 0; g < ARRAY_SIZE(gfps); g++) {
			struct snapshot before, after;
			LIST_HEAD(chain);
			u64 n;
			struct page *last, *again;
			unsigned long f;

			bool bounded = true;

			snap(&before);
			/* 80 pages on a list of another order first: a refill has 16
			 * pages of room below PCP_HIGH, not a whole batch */
			for (unsigned i = 0, o2 = (order + 1) % (PAGE_ALLOC_COSTLY_ORDER + 1); i < (80u >> o2); i++) {
				again = alloc_pages(gfps[g] | __GFP_NOWARN, o2);
				if (!again)
					break;
				again->private = o2;
				list_add(&again->lru, &chain);
			}
			drain_pcp_pages();
			release(&chain);
			/* exhaust(), checking the per-CPU bound after every refill */
			for (n = 0; (again = alloc_pages(gfps[g] | __GFP_NOWARN | __GFP_NORETRY, order)); n++) {
				again->private = order;
				list_add(&again->lru, &chain);
				for (int z = 0; z < MAX_NR_ZONES; z++)
					bounded = bounded && zones[z].pcp.count <= PCP_HIGH;
			}
			KT_EXPECT(t, bounded);
			KT_EXPECT(t, (n << order) > nr_managed_pages() / 4);
			KT_EXPECT(t, pcp_lists_sane());
			release(&chain);
			f = arch_irq_save(); /* the tick must not take it first */
			last = alloc_pages(gfps[g], order);
			free_pages(last, order);
			KT_EXPECT(t, PAGE_FLAG(last, PG_pcp));
			again = alloc_pages(gfps[g], order);
			arch_irq_restore(f);
			KT_EXPECT(t, again == last);
			free_pages(again, order);
			KT_EXPECT(t, pcp_lists_sane());
			KT_EXPECT(t, zones[page_zone(last) - zones].pcp.count > 0);
			snap(&after);
			for (int z = 0; z < MAX_NR_ZONES; z++) {
				KT_EXPECT_EQ(t, zones[z].pcp.count, 0);
				KT_EXPECT_EQ(t, after.free[z], before.free[z]);
				for (int o = 0; o < NR_ORDERS; o++)
					KT_EXPECT_EQ(t, after.per_order[z][o], before.per_order[z][o]);
			}
		}
	}
}

/*
 * Where each zone ends, from the board's engines and RAM: DMA at the end of
 * the narrowest reach, DMA32 at the end of the widest reach of an engine of
 * at most 32 bits (never below DMA), Normal at the end of RAM; all three
 * end at the end of lowmem at most, HighMem has the rest.
 */
static void expected_zone_ends(phys_addr_t ram_start, phys_addr_t ram_end, phys_addr_t end[MAX_NR_ZONES])
{
	struct mm_board b;
	phys_addr_t dma = ram_end, dma32 = ram_start;

	mm_board_from_config(&b);
	for (unsigned i = 0; i < b.nr_engines; i++) {
		phys_addr_t lo, hi;

		dma_engine_reach(&b.engines[i], &lo, &hi);
		hi = MIN(hi, ram_end);
		dma = MIN(dma, hi);
		if (b.engines[i].addr_bits <= 32)
			dma32 = MAX(dma32, hi);
	}
	end[ZONE_DMA] = b.nr_engines ? dma : ram_start;
	end[ZONE_DMA32] = MAX(dma32, end[ZONE_DMA]);
	end[ZONE_NORMAL] = ram_end;
	for (int z = 0; z < ZONE_HIGHMEM; z++)
		end[z] = MIN(end[z], memblock_lowmem_end());
	end[ZONE_HIGHMEM] = ram_end;
}

static void zones_follow_engines_and_ram(struct ktest *t)
{
	const struct memblock_type *m = &memblock.memory;
	phys_addr_t ram_start = m->r[0].base, ram_end = m->r[m->cnt - 1].base + m->r[m->cnt - 1].size;
	phys_addr_t end[MAX_NR_ZONES];

	expected_zone_ends(ram_start, ram_end, end);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		phys_addr_t start = z ? end[z - 1] : ram_start;

		if (!KT_EXPECT_EQ(t, pfn_to_phys(zones[z].start_pfn), start) ||
		    !KT_EXPECT_EQ(t, pfn_to_phys(zones[z].end_pfn), end[z]) ||
		    !KT_EXPECT_EQ(t, zone_populated(&zones[z]), end[z] > start))
			printf("    # zone %s: want [%#llx-%#llx)\n", zones[z].name, (unsigned long long)start,
			       (unsigned long long)end[z]);
	}
	KT_EXPECT_EQ(t, zones[0].present_pages + zones[1].present_pages + zones[2].present_pages +
			zones[3].present_pages, memblock_phys_mem_size() / PAGE_SIZE);
}

static void cma_region_and_allocation(struct ktest *t)
{
	u64 bytes = MIN(8ULL << 20, cma_size), count = bytes / PAGE_SIZE, cma_free;
	unsigned align = MIN(9u, (unsigned)__builtin_ctzll(count));
	struct mm_board b;
	struct page *c;
	u8 *va;

	if (!cma_size) {
		ktest_skip(t, "board has no CMA");
		return;
	}
	/* inside the reach of every engine that uses it, and in one zone */
	mm_board_from_config(&b);
	for (unsigned i = 0; i < b.nr_engines; i++) {
		phys_addr_t lo, hi;

		dma_engine_reach(&b.engines[i], &lo, &hi);
		if (b.engines[i].uses_cma && !KT_EXPECT(t, cma_base >= lo && cma_base + cma_size <= hi))
			printf("    # CMA [%#llx-%#llx) is beyond %s's reach [%#llx-%#llx)\n",
			       (unsigned long long)cma_base, (unsigned long long)(cma_base + cma_size),
			       b.engines[i].name, (unsigned long long)lo, (unsigned long long)hi);
	}
	KT_EXPECT(t, page_zone(pfn_to_page(phys_to_pfn(cma_base))) ==
			     page_zone(pfn_to_page(phys_to_pfn(cma_base + cma_size - 1))));
	for (phys_addr_t pa = cma_base; pa < cma_base + cma_size; pa += PAGEBLOCK_PAGES * PAGE_SIZE)
		KT_EXPECT_EQ(t, pageblock_migratetype(page_zone(pfn_to_page(phys_to_pfn(pa))), phys_to_pfn(pa)),
			     MIGRATE_CMA);
	drain_pcp_pages();
	cma_free = nr_free_cma_pages();
	c = cma_alloc(count, align);
	KT_ASSERT(t, c != NULL);
	KT_EXPECT(t, page_to_phys(c) >= cma_base && page_to_phys(c) + bytes <= cma_base + cma_size);
	KT_EXPECT_EQ(t, nr_free_cma_pages(), cma_free - count);
	va = page_address(c); /* CMA stays in lowmem */
	memset(va, 0x5c, bytes); /* the whole range is ours */
	KT_EXPECT_EQ(t, va[bytes - 1], 0x5c);
	KT_EXPECT(t, cma_release(c, count));
	drain_pcp_pages();
	KT_EXPECT_EQ(t, nr_free_cma_pages(), cma_free);
}

static volatile u64 irq_allocs, irq_failures;

static void alloc_in_tick(void)
{
	struct page *p = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, irq_allocs % 3);

	if (!p) {
		irq_failures++;
		return;
	}
	((volatile u8 *)page_address(p))[0] = 1;
	free_pages(p, irq_allocs % 3);
	irq_allocs++;
}

static void allocation_from_interrupt_context(struct ktest *t)
{
	void (*old)(void) = timer_set_tick_hook(alloc_in_tick);
	u64 start = timer_ticks();

	irq_allocs = irq_failures = 0;
	/* the thread keeps allocating too, racing the interrupt */
	while (timer_ticks() - start < 10) {
		struct page *p = alloc_pages(GFP_KERNEL, 0);

		KT_ASSERT(t, p != NULL);
		free_pages(p, 0);
	}
	timer_set_tick_hook(old);
	KT_EXPECT(t, irq_allocs >= 9);
	KT_EXPECT_EQ(t, irq_failures, 0);
}

static void poison_catches_write_after_free(struct ktest *t)
{
	struct page *p, *q;
	u64 errors = page_poison_errors;

	if (!page_alloc_debug.poison) {
		ktest_skip(t, "CONFIG_PAGE_POISONING is off (see boards/qemu-virt-debug.cfg)");
		return;
	}
	unsigned long f = arch_irq_save(); /* keep the tick from taking our page */
	p = alloc_pages(GFP_KERNEL, 0);
	free_pages(p, 0);
	((volatile u8 *)page_address(p))[123] = 0x42; /* use after free */
	q = alloc_pages(GFP_KERNEL, 0);
	arch_irq_restore(f);
	KT_EXPECT(t, q == p);
	KT_EXPECT_EQ(t, page_poison_errors, errors + 1);
	free_pages(q, 0);
}

static const struct ktest_case page_alloc_cases[] = {
	KTEST_CASE(dma_pages_stay_in_reach),
	KTEST_CASE(exhaustion_returns_every_zone_to_its_state),
	KTEST_CASE(pcp_orders_exhaust_and_refill),
	KTEST_CASE(zones_follow_engines_and_ram),
	KTEST_CASE(cma_region_and_allocation),
	KTEST_CASE(allocation_from_interrupt_context),
	KTEST_CASE(poison_catches_write_after_free),
	{ 0 },
};
KTEST_SUITE(page_alloc, page_alloc_cases);
