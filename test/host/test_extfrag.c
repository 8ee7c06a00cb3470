/*
 * The fragmentation indices and their debugfs reports (mm/extfrag.c) on
 * the fixture board, with the real page allocator: ZONE_DMA is emptied by
 * order-0 allocations, then chosen pages are freed again so that its free
 * lists hold exactly the blocks a test wants. Every expected index below
 * is worked out by hand in the comment beside it from those blocks, and
 * every expected report line is written out as a literal.
 */
#include <host.h>
#include <mm/compaction.h>
#include <mm/memalloc.h>
#include <mm/memblock.h>
#include <mm/mmzone.h>
#include <mm/page_alloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../mm/internal.h"
#include "mm_fixture.h"

#define DMA_PFN0 (FIX_RAM_BASE >> PAGE_SHIFT) /* 0x40000: ZONE_DMA's first pfn */
#define DMA_PAGES 4096                          /* 16 MiB, the first 1 MiB reserved */
#define BLOCK10 (DMA_PFN0 + 0x400)              /* an order-10-aligned block inside DMA */

static struct zone *const dma = &zones[ZONE_DMA];
static struct page *held[DMA_PAGES]; /* by pfn - DMA_PFN0: the pages this test holds */

/* ---- setting up ZONE_DMA's free lists --------------------------------------- */

/* Allocate every free page of ZONE_DMA at order 0 (reserves included). */
static void empty_dma(void)
{
	unsigned saved = memalloc_save(); /* PF_MEMALLOC: past the watermarks, no reclaim */

	memset(held, 0, sizeof(held));
	for (int round = 0; round < 2; round++) {
		struct page *p;

		while ((p = alloc_pages(GFP_DMA | __GFP_NOWARN, 0))) {
			u64 i = page_to_pfn(p) - DMA_PFN0;

			assert_true(i < DMA_PAGES);
			assert_null(held[i]);
			held[i] = p;
		}
		drain_pcp_pages();
	}
	memalloc_restore(saved);
	assert_int_equal(dma->nr_free, 0);
	assert_int_equal(dma->pcp.count, 0);
	for (unsigned o = 0; o < NR_ORDERS; o++)
		assert_int_equal(dma->free_area[o].nr_free, 0);
}

/* Free the held pages [pfn, pfn + n) onto the buddy lists (they merge). */
static void give_back(u64 pfn, u64 n)
{
	for (u64 i = pfn - DMA_PFN0; i < pfn - DMA_PFN0 + n; i++) {
		assert_non_null(held[i]);
		free_pages(held[i], 0);
		held[i] = NULL;
	}
	drain_pcp_pages();
}

/* Eight free order-0 pages at pfn, pfn + 2, ..., pfn + 14: their buddies stay held. */
static void give_back_eight_singles(u64 pfn)
{
	for (unsigned i = 0; i < 8; i++)
		give_back(pfn + 2 * i, 1);
}

static void expect_dma_blocks(const u64 want[NR_ORDERS])
{
	for (unsigned o = 0; o < NR_ORDERS; o++)
		assert_int_equal(dma->free_area[o].nr_free, want[o]);
}

/* Move ZONE_DMA's free blocks in [start, end) to MIGRATE_ISOLATE (as cma_alloc does) or back. */
static void set_type(u64 start, u64 end, int mt)
{
	unsigned long f = spin_lock_irqsave(&dma->lock);

	move_free_blocks_locked(dma, start, end, mt);
	spin_unlock_irqrestore(&dma->lock, f);
}

static int setup(void **state)
{
	(void)state;
	fix_mm_setup(false, false);
	empty_dma();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fix_mm_teardown();
	return 0;
}

/* ---- reports ------------------------------------------------------------------ */

#define MAX_LINES 8
struct report {
	char *buf;
	char *line[MAX_LINES];
	unsigned n;
};

/* Run a report into memory, split it into '\n'-terminated lines. */
static void capture(void (*show)(FILE *), struct report *r)
{
	size_t len = 0;
	FILE *f;

	r->buf = NULL;
	r->n = 0;
	f = open_memstream(&r->buf, &len);
	assert_non_null(f);
	show(f);
	assert_int_equal(fclose(f), 0);
	for (char *p = r->buf; *p;) {
		char *nl = strchr(p, '\n');

		assert_non_null(nl);
		*nl = 0;
		assert_true(r->n < MAX_LINES);
		r->line[r->n++] = p;
		p = nl + 1;
	}
	for (int z = 0; z < MAX_NR_ZONES; z++)
		assert_false(zones[z].lock.held);
}

/* The first line (ZONE_DMA's, the board has three populated zones) of a report. */
static void expect_dma_line(void (*show)(FILE *), const char *want)
{
	struct report r;

	capture(show, &r);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.line[0], want);
	assert_memory_equal(r.line[1], "Node 0, zone    DMA32 ", 22);
	assert_memory_equal(r.line[2], "Node 0, zone   Normal ", 22);
	free(r.buf);
}

static void expect_indices(const int unusable[NR_ORDERS], const int frag[NR_ORDERS])
{
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		assert_int_equal(unusable_free_index(dma, o), unusable[o]);
		assert_int_equal(fragmentation_index(dma, o), frag[o]);
	}
}

/* ---- the indices ---------------------------------------------------------------- */

/*
 * Eight order-0 blocks, nothing larger: F = 8 pages in B = 8 blocks.
 * unusable: order 0 all usable (0); any larger order none (1000).
 * extfrag(o) = 1000 - (1000 + F*1000/2^o) / B:
 *   o=1  8000/2 = 4000   5000/8 = 625   375      o=6  125   1125/8 = 140   860
 *   o=2  2000            3000/8 = 375   625      o=7   62   1062/8 = 132   868
 *   o=3  1000            2000/8 = 250   750      o=8   31   1031/8 = 128   872
 *   o=4   500            1500/8 = 187   813      o=9   15   1015/8 = 126   874
 *   o=5   250            1250/8 = 156   844      o=10   7   1007/8 = 125   875
 */
static const int singles_unusable[NR_ORDERS] = { 0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000 };
static const int singles_frag[NR_ORDERS] = { -1000, 375, 625, 750, 813, 844, 860, 868, 872, 874, 875 };
static const char singles_unusable_line[] =
	"Node 0, zone      DMA 0.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 ";
static const char singles_extfrag_line[] =
	"Node 0, zone      DMA -1.000  0.375  0.625  0.750  0.813  0.844  0.860  0.868  0.872  0.874  0.875 ";

static void only_order0_free(void **state)
{
	static const u64 blocks[NR_ORDERS] = { 8 };
	struct contig_page_info info;

	(void)state;
	give_back_eight_singles(BLOCK10);
	expect_dma_blocks(blocks);
	fill_contig_page_info(dma, 9, &info);
	assert_int_equal(info.free_pages, 8);
	assert_int_equal(info.free_blocks_total, 8);
	assert_int_equal(info.free_blocks_suitable, 0);
	expect_indices(singles_unusable, singles_frag);
	assert_int_equal(unusable_free_index(dma, 9), 1000); /* the brief's "1.000 at order 9" */
	assert_int_equal(fragmentation_score_zone(dma), 100);
	expect_dma_line(show_unusable_index, singles_unusable_line);
	expect_dma_line(show_extfrag_index, singles_extfrag_line);
}

/* One free order-10 block: every order is served, nothing is unusable. */
static void one_max_order_block(void **state)
{
	static const u64 blocks[NR_ORDERS] = { [10] = 1 };
	static const int unusable[NR_ORDERS] = { 0 };
	static const int frag[NR_ORDERS] = { -1000, -1000, -1000, -1000, -1000, -1000,
					     -1000, -1000, -1000, -1000, -1000 };
	struct contig_page_info info;

	(void)state;
	give_back(BLOCK10, 1024);
	expect_dma_blocks(blocks);
	fill_contig_page_info(dma, 3, &info);
	assert_int_equal(info.free_pages, 1024);
	assert_int_equal(info.free_blocks_total, 1);
	assert_int_equal(info.free_blocks_suitable, 128); /* 1024 pages in blocks of 8 */
	expect_indices(unusable, frag);
	assert_int_equal(fragmentation_score_zone(dma), 0);
	expect_dma_line(show_unusable_index,
			"Node 0, zone      DMA 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 ");
	expect_dma_line(show_extfrag_index, "Node 0, zone      DMA -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 "
					    "-1.000 -1.000 -1.000 -1.000 -1.000 ");
}

/*
 * One order-3 block and four order-0 pages: F = 12 pages, B = 5 blocks.
 * unusable(o), usable = suitable << o:  o=1: 4 blocks of 2 = 8 pages,
 * (12 - 8) * 1000 / 12 = 333; o=2: 2 x 4 = 8, 333; o=3: 1 x 8, 333;
 * o >= 4: nothing usable, 1000.
 * extfrag: o <= 3 succeeds (-1000); then 1000 - (1000 + 12000/2^o) / 5:
 *   o=4  750  1750/5 = 350  650      o=8  46  1046/5 = 209  791
 *   o=5  375  1375/5 = 275  725      o=9  23  1023/5 = 204  796
 *   o=6  187  1187/5 = 237  763      o=10 11  1011/5 = 202  798
 *   o=7   93  1093/5 = 218  782
 */
static void mixed_orders(void **state)
{
	static const u64 blocks[NR_ORDERS] = { 4, 0, 0, 1 };
	static const int unusable[NR_ORDERS] = { 0, 333, 333, 333, 1000, 1000, 1000, 1000, 1000, 1000, 1000 };
	static const int frag[NR_ORDERS] = { -1000, -1000, -1000, -1000, 650, 725, 763, 782, 791, 796, 798 };
	struct contig_page_info info;

	(void)state;
	give_back(BLOCK10, 8);
	for (unsigned i = 0; i < 4; i++)
		give_back(BLOCK10 + 16 + 2 * i, 1);
	expect_dma_blocks(blocks);
	fill_contig_page_info(dma, 2, &info);
	assert_int_equal(info.free_pages, 12);
	assert_int_equal(info.free_blocks_total, 5);
	assert_int_equal(info.free_blocks_suitable, 2); /* the order-3 block holds two of order 2 */
	expect_indices(unusable, frag);
	expect_dma_line(show_unusable_index,
			"Node 0, zone      DMA 0.000 0.333 0.333 0.333 1.000 1.000 1.000 1.000 1.000 1.000 1.000 ");
	expect_dma_line(show_extfrag_index, "Node 0, zone      DMA -1.000 -1.000 -1.000 -1.000  0.650  0.725 "
					    " 0.763  0.782  0.791  0.796  0.798 ");
	/* score: all 12 pages are below order 9: 100 */
	assert_int_equal(fragmentation_score_zone(dma), 100);
	/* plus an order-9 block (its buddy holds the pages above): F = 524,
	 * 512 usable at order 9: (524 - 512) * 100 / 524 = 1200 / 524 = 2 */
	give_back(BLOCK10 + 512, 512);
	assert_int_equal(dma->free_area[9].nr_free, 1);
	assert_int_equal(fragmentation_score_zone(dma), 2);
	assert_int_equal(unusable_free_index(dma, 9), 22); /* 12000 / 524 */
	assert_int_equal(fragmentation_index(dma, 9), -1000);
	/* F = 524 in B = 6 blocks: 524000/1024 = 511, 1511/6 = 251: 749 */
	assert_int_equal(fragmentation_index(dma, 10), 749);
}

/*
 * Every other page of the zone free: F order-0 blocks of one page, with F
 * in the thousands. extfrag(10) = 1000 - (1000 + F*1000/1024) / F, and
 * (1000 + 0.98 F) / F is 1 for F > 1000 (999: fragmentation, not lack of
 * memory); unusable(9) = 1000; score 100.
 */
static void many_small_blocks_towards_1000(void **state)
{
	u64 f = 0;

	(void)state;
	for (u64 i = 0; i < DMA_PAGES; i += 2)
		if (held[i] && held[i + 1]) {
			give_back(DMA_PFN0 + i, 1);
			f++;
		}
	assert_true(f > 1000);
	assert_int_equal(dma->free_area[0].nr_free, f);
	assert_int_equal(dma->nr_free, f);
	assert_int_equal(fragmentation_index(dma, 10), 999);
	assert_int_equal(fragmentation_index(dma, 1), 500); /* 1000 - (1000 + F*500)/F = 500 - 1000/F, F > 1000 */
	assert_int_equal(unusable_free_index(dma, 9), 1000);
	assert_int_equal(fragmentation_score_zone(dma), 100);
}

/* Nothing free: unusable is 1000 (Linux: no free memory is all unusable),
 * extfrag 0 (a failure for lack of memory), score 0. */
static void no_free_memory(void **state)
{
	static const int unusable[NR_ORDERS] = { 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000 };
	static const int frag[NR_ORDERS] = { 0 };
	struct contig_page_info info;

	(void)state;
	fill_contig_page_info(dma, 0, &info);
	assert_int_equal(info.free_pages, 0);
	assert_int_equal(info.free_blocks_total, 0);
	assert_int_equal(info.free_blocks_suitable, 0);
	expect_indices(unusable, frag);
	assert_int_equal(fragmentation_score_zone(dma), 0);
	expect_dma_line(show_unusable_index,
			"Node 0, zone      DMA 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 ");
	expect_dma_line(show_extfrag_index, "Node 0, zone      DMA  0.000  0.000  0.000  0.000  0.000  0.000 "
					    " 0.000  0.000  0.000  0.000  0.000 ");
}

/* Blocks on the MIGRATE_ISOLATE lists (cma_alloc at work) are not free
 * memory: an isolated order-10 block beside eight free order-0 pages reads
 * as the eight pages alone. */
static void isolated_blocks_are_not_free(void **state)
{
	static const u64 blocks[NR_ORDERS] = { 8, [10] = 1 };
	int mt = pageblock_migratetype(dma, BLOCK10);
	struct contig_page_info info;

	(void)state;
	give_back(BLOCK10, 1024);
	give_back_eight_singles(BLOCK10 + 1024);
	set_type(BLOCK10, BLOCK10 + 1024, MIGRATE_ISOLATE);
	expect_dma_blocks(blocks); /* the isolated block is still on a free list */
	assert_int_equal(dma->nr_free, 8);
	fill_contig_page_info(dma, 10, &info);
	assert_int_equal(info.free_pages, 8);
	assert_int_equal(info.free_blocks_total, 8);
	assert_int_equal(info.free_blocks_suitable, 0);
	expect_indices(singles_unusable, singles_frag);
	assert_int_equal(fragmentation_score_zone(dma), 100);
	expect_dma_line(show_unusable_index, singles_unusable_line);
	expect_dma_line(show_extfrag_index, singles_extfrag_line);
	/* back in use: the block counts again */
	set_type(BLOCK10, BLOCK10 + 1024, mt);
	assert_int_equal(fragmentation_index(dma, 10), -1000);
	assert_int_equal(unusable_free_index(dma, 10), 8 * 1000 / 1032); /* 7 */
}

/* Orders past MAX_ORDER: no block that large exists (unusable 1000);
 * Linux's fragmentation_index gives 0 for them. */
static void orders_past_max(void **state)
{
	(void)state;
	give_back(BLOCK10, 1024);
	assert_int_equal(unusable_free_index(dma, NR_ORDERS), 1000);
	assert_int_equal(unusable_free_index(dma, 64), 1000);
	assert_int_equal(fragmentation_index(dma, NR_ORDERS), 0);
	assert_int_equal(fragmentation_index(dma, 200), 0);
}

/*
 * The system score weighs each zone's by its present pages over all
 * present pages + 1, each term rounded down (Linux's node score): with
 * DMA's score 100, its term is 100 * 4096 / (4096 + 12288 + 32768 + 1) =
 * 409600 / 49153 = 8. DMA32 and Normal keep what boot left them (Normal's
 * top holds the page array, so its score may be above 0); their terms are
 * added the same way.
 */
static void system_score_weighs_zones(void **state)
{
	const u64 all = 4096 + 12288 + 32768 + 1;
	u64 others;

	(void)state;
	assert_int_equal(zones[ZONE_DMA].present_pages, 4096);
	assert_int_equal(zones[ZONE_DMA32].present_pages, 12288);
	assert_int_equal(zones[ZONE_NORMAL].present_pages, 32768);
	others = 12288 * fragmentation_score_zone(&zones[ZONE_DMA32]) / all +
		 32768 * fragmentation_score_zone(&zones[ZONE_NORMAL]) / all;
	give_back_eight_singles(BLOCK10);
	assert_int_equal(fragmentation_score_zone(dma), 100);
	assert_int_equal(fragmentation_score(), 8 + others);
	give_back(BLOCK10 + 16, 1024 - 16);
	for (unsigned i = 0; i < 8; i++)
		give_back(BLOCK10 + 2 * i + 1, 1); /* the buddies: one order-10 block */
	assert_int_equal(dma->free_area[10].nr_free, 1);
	assert_int_equal(fragmentation_score_zone(dma), 0);
	assert_int_equal(fragmentation_score(), others);
	assert_true(fragmentation_score() <= 100);
}

/* ---- zones without memory ----------------------------------------------------- */

/* The fixture's RAM with no DMA engines: ZONE_DMA and ZONE_DMA32 are empty. */
static int setup_no_engines(void **state)
{
	struct mm_board b = fix_board;

	(void)state;
	b.nr_engines = 0;
	host_phys_init(FIX_RAM_BASE, FIX_RAM_SIZE);
	memblock_reset();
	memblock_add(FIX_RAM_BASE, FIX_RAM_SIZE);
	memblock_reserve(FIX_RAM_BASE, 1ULL << 20, "firmware");
	assert_int_equal(mm_init(&b), 0);
	return 0;
}

static void empty_zones_left_out(void **state)
{
	void (*const shows[])(FILE *) = { show_unusable_index, show_extfrag_index };

	(void)state;
	assert_false(zone_populated(&zones[ZONE_DMA]));
	assert_false(zone_populated(&zones[ZONE_DMA32]));
	for (unsigned i = 0; i < ARRAY_SIZE(shows); i++) {
		struct report r;

		capture(shows[i], &r);
		assert_int_equal(r.n, 1);
		assert_memory_equal(r.line[0], "Node 0, zone   Normal ", 22);
		free(r.buf);
	}
	/* one zone: its score, weighted by present / (present + 1), rounds down */
	assert_int_equal(fragmentation_score(),
			 fragmentation_score_zone(&zones[ZONE_NORMAL]) * zones[ZONE_NORMAL].present_pages /
				 (zones[ZONE_NORMAL].present_pages + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(only_order0_free, setup, teardown),
		cmocka_unit_test_setup_teardown(one_max_order_block, setup, teardown),
		cmocka_unit_test_setup_teardown(mixed_orders, setup, teardown),
		cmocka_unit_test_setup_teardown(many_small_blocks_towards_1000, setup, teardown),
		cmocka_unit_test_setup_teardown(no_free_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(isolated_blocks_are_not_free, setup, teardown),
		cmocka_unit_test_setup_teardown(orders_past_max, setup, teardown),
		cmocka_unit_test_setup_teardown(system_score_weighs_zones, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_zones_left_out, setup_no_engines, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
