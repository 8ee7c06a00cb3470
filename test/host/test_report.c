/*
 * The /proc-format memory reports (mm/report.c) on the fixture board
 * (test/host/mm_fixture.c), after a workload that fragments the free
 * lists: each report is captured in a memory stream and checked for
 * Linux's exact header lines and column widths (written out here as
 * literals, not rebuilt with the report's own formats), and its numbers
 * against the allocator's structures and against the other reports.
 */
#include <host.h>
#include <mm/cma.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/vmstat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm_fixture.h"

/* Linux's "%8s" zone column and "%12s" type column, as they must appear. */
static const char *const zone_col[MAX_NR_ZONES] = { "     DMA", "   DMA32", "  Normal", " HighMem" };
static const char *const type_col[MIGRATE_TYPES] = { "   Unmovable", "     Movable", " Reclaimable", "         CMA",
						     "     Isolate" };

#define MAX_LINES 256
struct report {
	char *buf;
	char *line[MAX_LINES];
	unsigned n;
};

/* Run a report into memory and split it into lines; every line must end in '\n'. */
static void capture(void (*show)(FILE *), struct report *r)
{
	size_t len = 0;
	FILE *f;
	char *p;

	r->buf = NULL;
	r->n = 0;
	f = open_memstream(&r->buf, &len);
	assert_non_null(f);
	show(f);
	assert_int_equal(fclose(f), 0);
	for (p = r->buf; *p;) {
		char *nl = strchr(p, '\n');

		assert_non_null(nl);
		*nl = 0;
		assert_true(r->n < MAX_LINES);
		r->line[r->n++] = p;
		p = nl + 1;
	}
	for (int z = 0; z < nr_zone_types(); z++)
		assert_false(zones[z].lock.held); /* printed with no lock held */
}

static void release(struct report *r) { free(r->buf); }

/* A right-aligned number in a column of width characters ending in one blank. */
static u64 column(const char *s, unsigned width)
{
	u64 v = 0;
	unsigned i = 0;

	assert_int_equal(s[width - 1], ' ');
	while (i < width - 1 && s[i] == ' ')
		i++;
	assert_true(i < width - 1); /* at least one digit */
	for (; i < width - 1; i++) {
		assert_true(s[i] >= '0' && s[i] <= '9');
		v = v * 10 + (u64)(s[i] - '0');
	}
	return v;
}

/* line == label followed by exactly the decimal value. */
static void expect_line(const char *line, const char *label, u64 v)
{
	char want[128];

	snprintf(want, sizeof(want), "%s%llu", label, (unsigned long long)v);
	assert_string_equal(line, want);
}

static u64 list_length(const struct list_head *h)
{
	const struct list_head *pos;
	u64 n = 0;

	list_for_each(pos, h)
		n++;
	return n;
}

static u64 zone_pageblocks(const struct zone *z)
{
	return ((z->end_pfn + PAGEBLOCK_PAGES - 1) >> PAGEBLOCK_ORDER) - (z->start_pfn >> PAGEBLOCK_ORDER);
}

/*
 * A DMA request larger than the zone can give fails (its slow path drains
 * the per-CPU lists); then blocks of orders 0..5 of every mobility from
 * every zone, every other one freed again, fragment the free lists and
 * leave pages on the per-CPU lists; unmovable requests steal a pageblock.
 */
static void workload(void)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_KERNEL | __GFP_RECLAIMABLE,
				      GFP_KERNEL | __GFP_DMA, GFP_HIGHUSER_MOVABLE | __GFP_DMA32 };
	struct page *p[300];
	unsigned order[300];
	struct page *big[8];
	int nbig = 0;

	while (nbig < 8 && (big[nbig] = alloc_pages(GFP_KERNEL | __GFP_DMA | __GFP_NOWARN, MAX_ORDER)))
		nbig++;
	assert_true(nbig < 8); /* DMA is 16 MiB: the last one failed */
	while (nbig)
		free_pages(big[--nbig], MAX_ORDER);
	for (unsigned i = 0; i < 300; i++) {
		order[i] = i % 6;
		p[i] = alloc_pages(gfps[i % ARRAY_SIZE(gfps)] | __GFP_NOWARN, order[i]);
		assert_non_null(p[i]);
	}
	for (unsigned i = 0; i < 300; i += 2)
		free_pages(p[i], order[i]);
}

static int setup(void **state)
{
	(void)state;
	fix_mm_setup(false, false);
	workload();
	return 0;
}

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

static int teardown(void **state)
{
	(void)state;
	fix_mm_teardown();
	return 0;
}

/* ---- buddyinfo ------------------------------------------------------------ */

/* Parse a buddyinfo report into per-zone, per-order counts (checking the layout). */
static void parse_buddyinfo(u64 counts[MAX_NR_ZONES][NR_ORDERS])
{
	struct report r;
	unsigned n = 0;

	capture(show_buddyinfo, &r);
	memset(counts, 0, sizeof(u64) * MAX_NR_ZONES * NR_ORDERS);
	for (int z = 0; z < nr_zone_types(); z++) {
		char prefix[32];
		const char *s;

		if (!zone_populated(&zones[z]))
			continue;
		assert_true(n < r.n);
		s = r.line[n++];
		/* "Node %d, zone %8s " then "%6lu " per order */
		snprintf(prefix, sizeof(prefix), "Node 0, zone %s ", zone_col[z]);
		assert_int_equal(strlen(prefix), 22);
		assert_memory_equal(s, prefix, 22);
		assert_int_equal(strlen(s), 22 + NR_ORDERS * 7);
		for (unsigned o = 0; o < NR_ORDERS; o++)
			counts[z][o] = column(s + 22 + 7 * o, 7);
	}
	assert_int_equal(r.n, n); /* nothing else */
	release(&r);
}

static void buddyinfo_counts_are_the_free_areas(void **state)
{
	u64 counts[MAX_NR_ZONES][NR_ORDERS];

	(void)state;
	parse_buddyinfo(counts);
	for (int z = 0; z < nr_zone_types(); z++) {
		u64 pages = 0, nonzero = 0;

		for (unsigned o = 0; o < NR_ORDERS; o++) {
			assert_int_equal(counts[z][o], zones[z].free_area[o].nr_free);
			pages += counts[z][o] << o;
			nonzero += counts[z][o] != 0;
		}
		assert_int_equal(pages, zones[z].nr_free); /* nothing isolated */
		assert_true(nonzero > 1);                  /* the workload split blocks */
	}
}

/* ---- pagetypeinfo --------------------------------------------------------- */

static void pagetypeinfo_columns_add_up(void **state)
{
	u64 buddy[MAX_NR_ZONES][NR_ORDERS], by_order[MAX_NR_ZONES][NR_ORDERS] = { { 0 } };
	struct report r;
	unsigned n = 0;

	(void)state;
	parse_buddyinfo(buddy);
	capture(show_pagetypeinfo, &r);
	assert_true(r.n > 4);
	assert_string_equal(r.line[n++], "Page block order: 9");
	assert_string_equal(r.line[n++], "Pages per block:  512");
	assert_string_equal(r.line[n++], "");
	assert_string_equal(r.line[n++], "Free pages count per migrate type at order       0      1      2      3      4"
					 "      5      6      7      8      9     10 ");
	for (int z = 0; z < nr_zone_types(); z++) {
		for (int t = 0; t < MIGRATE_TYPES; t++) {
			char prefix[64];
			const char *s;

			assert_true(n < r.n);
			s = r.line[n++];
			snprintf(prefix, sizeof(prefix), "Node    0, zone %s, type %s ", zone_col[z], type_col[t]);
			assert_int_equal(strlen(prefix), 44); /* the header's width: columns line up */
			assert_memory_equal(s, prefix, 44);
			assert_int_equal(strlen(s), 44 + NR_ORDERS * 7);
			for (unsigned o = 0; o < NR_ORDERS; o++) {
				u64 v = column(s + 44 + 7 * o, 7);

				assert_int_equal(v, list_length(&zones[z].free_area[o].free_list[t]));
				by_order[z][o] += v;
			}
		}
	}
	assert_memory_equal(by_order, buddy, sizeof(buddy)); /* the types add up to buddyinfo */

	assert_string_equal(r.line[n++], "");
	assert_string_equal(r.line[n++], "Number of blocks type     Unmovable      Movable  Reclaimable          CMA"
					 "      Isolate ");
	for (int z = 0; z < nr_zone_types(); z++) {
		u64 want[MIGRATE_TYPES] = { 0 }, sum = 0;
		char prefix[32];
		const char *s;

		for (u64 pfn = ALIGN_DOWN(zones[z].start_pfn, PAGEBLOCK_PAGES); pfn < zones[z].end_pfn;
		     pfn += PAGEBLOCK_PAGES)
			want[pageblock_migratetype(&zones[z], pfn)]++;
		assert_true(n < r.n);
		s = r.line[n++];
		snprintf(prefix, sizeof(prefix), "Node 0, zone %s ", zone_col[z]);
		assert_memory_equal(s, prefix, 22);
		assert_int_equal(strlen(s), 22 + MIGRATE_TYPES * 13);
		for (int t = 0; t < MIGRATE_TYPES; t++) {
			u64 v = column(s + 22 + 13 * t, 13);

			assert_int_equal(v, want[t]);
			sum += v;
		}
		assert_int_equal(sum, zone_pageblocks(&zones[z]));
		assert_int_equal(column(s + 22 + 13 * MIGRATE_CMA, 13), zones[z].cma_pages / PAGEBLOCK_PAGES);
		if (z == ZONE_NORMAL) /* GFP_KERNEL stole at least one pageblock */
			assert_true(column(s + 22 + 13 * MIGRATE_UNMOVABLE, 13) >= 1);
	}
	assert_int_equal(r.n, n);
	release(&r);
}

/* ---- zoneinfo ------------------------------------------------------------- */

/* Check the lines of one zone starting at r->line[*n]; advances *n. */
static void expect_zone(const struct report *r, unsigned *n, int zi)
{
	const struct zone *z = &zones[zi];
	const struct zone_stats *st = &z->stats;
	u64 allocs = 0, pages = 0;
	char want[128];

	assert_true(*n + 11 <= r->n);
	snprintf(want, sizeof(want), "Node 0, zone %s", zone_col[zi]);
	assert_string_equal(r->line[(*n)++], want);
	expect_line(r->line[(*n)++], "  pages free     ", z->nr_free);
	expect_line(r->line[(*n)++], "        boost    ", 0);
	expect_line(r->line[(*n)++], "        min      ", z->watermark[WMARK_MIN]);
	expect_line(r->line[(*n)++], "        low      ", z->watermark[WMARK_LOW]);
	expect_line(r->line[(*n)++], "        high     ", z->watermark[WMARK_HIGH]);
	expect_line(r->line[(*n)++], "        spanned  ", z->end_pfn - z->start_pfn);
	expect_line(r->line[(*n)++], "        present  ", z->present_pages);
	expect_line(r->line[(*n)++], "        managed  ", z->managed_pages);
	expect_line(r->line[(*n)++], "        cma      ", z->cma_pages);
	snprintf(want, sizeof(want), "        protection: (%llu, %llu, %llu)", (unsigned long long)z->lowmem_reserve[0],
		 (unsigned long long)z->lowmem_reserve[1], (unsigned long long)z->lowmem_reserve[2]);
	assert_string_equal(r->line[(*n)++], want);
	if (!zone_populated(z))
		return;

	for (unsigned o = 0; o < NR_ORDERS; o++) {
		allocs += st->alloc_success[o];
		pages += st->alloc_success[o] << o;
	}
	assert_true(*n + 17 <= r->n);
	expect_line(r->line[(*n)++], "      nr_free_pages ", z->nr_free);
	expect_line(r->line[(*n)++], "      nr_free_cma  ", z->nr_free_cma);
	expect_line(r->line[(*n)++], "      alloc_success ", allocs);
	expect_line(r->line[(*n)++], "      pgalloc      ", pages);
	expect_line(r->line[(*n)++], "      alloc_fail   ", st->alloc_fail);
	expect_line(r->line[(*n)++], "      fallback_steal ", st->fallback_steal);
	expect_line(r->line[(*n)++], "      pageblock_claim ", st->pageblock_claim);
	expect_line(r->line[(*n)++], "      pcp_refill   ", st->pcp_refill);
	expect_line(r->line[(*n)++], "      pcp_drain    ", st->pcp_drain);
	expect_line(r->line[(*n)++], "      poison_errors ", st->poison_errors);
	assert_string_equal(r->line[(*n)++], "  pagesets");
	assert_string_equal(r->line[(*n)++], "    cpu: 0");
	expect_line(r->line[(*n)++], "              count: ", z->pcp.count);
	expect_line(r->line[(*n)++], "              high:  ", PCP_HIGH);
	expect_line(r->line[(*n)++], "              batch: ", PCP_BATCH);
	assert_string_equal(r->line[(*n)++], "  node_unreclaimable:  0");
	expect_line(r->line[(*n)++], "  start_pfn:           ", z->start_pfn);
}

static void zoneinfo_numbers_are_the_zone_fields(void **state)
{
	struct report r;
	unsigned n = 0;

	(void)state;
	/* the workload made these counters move: the check is not 0 == 0 */
	assert_true(zones[ZONE_NORMAL].pcp.count > 0);
	assert_true(zones[ZONE_NORMAL].stats.fallback_steal > 0);
	assert_true(zones[ZONE_DMA].stats.alloc_fail > 0);
	capture(show_zoneinfo, &r);
	for (int z = 0; z < nr_zone_types(); z++)
		expect_zone(&r, &n, z);
	assert_int_equal(r.n, n);
	release(&r);
}

static void empty_zones_in_zoneinfo_only(void **state)
{
	u64 buddy[MAX_NR_ZONES][NR_ORDERS];
	struct report r;
	unsigned n = 0;

	(void)state;
	assert_false(zone_populated(&zones[ZONE_DMA]));
	assert_false(zone_populated(&zones[ZONE_DMA32]));
	/* zoneinfo: empty zones print sizes and protection, nothing more */
	capture(show_zoneinfo, &r);
	for (int z = 0; z < nr_zone_types(); z++)
		expect_zone(&r, &n, z);
	assert_int_equal(r.n, n);
	assert_int_equal(n, 11 + 11 + (11 + 17)); /* DMA, DMA32, Normal with counters and pagesets */
	assert_string_equal(r.line[1], "  pages free     0");
	assert_string_equal(r.line[8], "        managed  0");
	release(&r);
	/* buddyinfo and pagetypeinfo: populated zones only */
	parse_buddyinfo(buddy);
	capture(show_pagetypeinfo, &r);
	assert_int_equal(r.n, 4 + MIGRATE_TYPES + 2 + 1);
	for (unsigned i = 4; i < 4 + MIGRATE_TYPES; i++)
		assert_non_null(strstr(r.line[i], "zone   Normal, type"));
	assert_memory_equal(r.line[r.n - 1], "Node 0, zone   Normal ", 22);
	release(&r);
}

/* ---- meminfo -------------------------------------------------------------- */

static void meminfo_line_has_linux_columns(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	meminfo_line(f, "MemTotal", 8029180);
	meminfo_line(f, "CmaFree", 0);
	meminfo_line(f, "MemAvailable", 12);
	meminfo_line(f, "MemTotal", 123456789); /* wider than 8: the column grows, as in Linux */
	fclose(f);
	assert_string_equal(buf, "MemTotal:        8029180 kB\n"
				 "CmaFree:               0 kB\n"
				 "MemAvailable:         12 kB\n"
				 "MemTotal:       123456789 kB\n");
	free(buf);
}

/* Parse show_meminfo: names in order, each value ending in column 24. */
static void parse_meminfo(struct meminfo *mi)
{
	static const char *const names[] = {
		"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapCached", "Active", "Inactive",
		"Active(anon)", "Inactive(anon)", "Active(file)", "Inactive(file)", "Unevictable", "Mlocked",
		"SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages", "Mapped", "Shmem", "KReclaimable", "Slab",
		"SReclaimable", "SUnreclaim", "KernelStack", "PageTables", "CommitLimit", "Committed_AS",
		"VmallocTotal", "VmallocUsed", "VmallocChunk", "CmaTotal", "CmaFree"
	};
	u64 *val[] = { &mi->mem_total, &mi->mem_free, &mi->mem_available, &mi->buffers, &mi->cached,
		       &mi->swap_cached, &mi->active, &mi->inactive, &mi->active_anon, &mi->inactive_anon,
		       &mi->active_file, &mi->inactive_file, &mi->unevictable, &mi->mlocked, &mi->swap_total,
		       &mi->swap_free, &mi->dirty, &mi->writeback, &mi->anon_pages, &mi->mapped, &mi->shmem,
		       &mi->kreclaimable, &mi->slab, &mi->sreclaimable, &mi->sunreclaim, &mi->kernel_stack,
		       &mi->page_tables, &mi->commit_limit, &mi->committed_as, &mi->vmalloc_total, &mi->vmalloc_used, &mi->vmalloc_chunk,
		       &mi->cma_total, &mi->cma_free };

	memset(mi, 0, sizeof(*mi));
	struct report r;

	_Static_assert(ARRAY_SIZE(names) == ARRAY_SIZE(val), "a value for each name");
	/* + HighTotal, HighFree, LowTotal, LowFree: only with highmem (test_highmem reads them) */
	_Static_assert(sizeof(*mi) == (ARRAY_SIZE(val) + 4) * sizeof(u64), "every field of struct meminfo is printed");
	capture(show_meminfo, &r);
	assert_int_equal(r.n, ARRAY_SIZE(names));
	for (unsigned i = 0; i < r.n; i++) {
		const char *s = r.line[i];
		size_t nl = strlen(names[i]);
		char label[17];

		snprintf(label, sizeof(label), "%s:%*s", names[i], (int)(15 - nl), "");
		assert_int_equal(strlen(s), 16 + 8 + 3);
		assert_memory_equal(s, label, 16);
		assert_string_equal(s + 24, " kB");
		*val[i] = column(s + 16, 9); /* 8 columns of value, then " kB" */
	}
	release(&r);
}

static void meminfo_numbers(void **state)
{
	struct meminfo mi, direct;
	u64 high = 0;

	(void)state;
	assert_true(nr_free_pages() > zones[ZONE_NORMAL].nr_free + zones[ZONE_DMA32].nr_free +
				       zones[ZONE_DMA].nr_free); /* per-CPU lists hold pages */
	parse_meminfo(&mi);
	for (int z = 0; z < nr_zone_types(); z++)
		high += zones[z].watermark[WMARK_HIGH];
	assert_int_equal(mi.mem_total, nr_managed_pages() * 4);
	assert_int_equal(mi.mem_free, nr_free_pages() * 4);
	assert_int_equal(mi.mem_available, (nr_free_pages() - high) * 4);
	assert_int_equal(mi.cma_total, cma_size / 1024);
	assert_int_equal(mi.cma_free, nr_free_cma_pages() * 4);
	meminfo_read(&direct);
	assert_memory_equal(&direct, &mi, sizeof(mi));
}

static void meminfo_cma_free_follows_cma_alloc(void **state)
{
	struct meminfo before, during, after;
	u64 count = (2ULL << 20) / PAGE_SIZE;
	struct page *c;

	(void)state;
	drain_pcp_pages(); /* CMA pages parked on per-CPU lists are not in CmaFree */
	parse_meminfo(&before);
	c = cma_alloc(count, 8);
	assert_non_null(c);
	parse_meminfo(&during);
	assert_int_equal(before.cma_free - during.cma_free, count * 4);
	assert_int_equal(before.mem_free - during.mem_free, count * 4);
	assert_int_equal(during.cma_total, before.cma_total);
	assert_true(cma_release(c, count));
	drain_pcp_pages();
	parse_meminfo(&after);
	assert_memory_equal(&after, &before, sizeof(before));
}

static void meminfo_available_floors_at_zero(void **state)
{
	u64 cap = FIX_RAM_SIZE / PAGE_SIZE, n = 0;
	struct page **all = calloc(cap, sizeof(*all));
	struct meminfo mi;
	struct page *p;
	u64 high = 0;

	(void)state;
	/* atomic movable allocations go below every zone's min, CMA included;
	 * each zone asked for as the highest, so lowmem reserves do not apply */
	for (int z = ZONE_NORMAL; z >= ZONE_DMA; z--) {
		gfp_t zone_gfp = z == ZONE_DMA ? __GFP_DMA : z == ZONE_DMA32 ? __GFP_DMA32 : 0;

		while (n < cap && (p = alloc_pages(GFP_ATOMIC | __GFP_MOVABLE | __GFP_NOWARN | zone_gfp, 0)))
			all[n++] = p;
	}
	for (int z = 0; z < nr_zone_types(); z++)
		high += zones[z].watermark[WMARK_HIGH];
	assert_true(nr_free_pages() < high);
	parse_meminfo(&mi);
	assert_int_equal(mi.mem_available, 0);
	assert_int_equal(mi.mem_free, nr_free_pages() * 4);
	while (n)
		free_pages(all[--n], 0);
	free(all);
	parse_meminfo(&mi);
	assert_true(mi.mem_available > 0);
}

/*
 * The user-memory lines: pages put on each LRU list (mlocked ones on the
 * unevictable list, and moved back when unlocked) and the vm_stat
 * counters, read back through the printed report.
 */
static void meminfo_user_lines_follow_vmstat_and_lru(void **state)
{
	static const s64 stat[NR_VM_STAT_ITEMS] = {
		[NR_ANON_MAPPED] = 7, [NR_FILE_MAPPED] = 5,  [NR_FILE_PAGES] = 20, [NR_SHMEM] = 3,
		[NR_MLOCK] = 2,       [NR_BUFFERS] = 4,      [NR_USER_PAGETABLES] = 6,
	};
	struct meminfo before, mi;
	struct page *p[9];
	u64 want_lru[NR_LRU_LISTS] = { 0 };

	(void)state;
	vmstat_meminfo_register();
	vmstat_meminfo_register(); /* twice: still one provider */
	parse_meminfo(&before);
	assert_int_equal(before.active + before.inactive + before.unevictable, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		assert_non_null(p[i]);
	}
	/* anon: 0..3, file: 4..8 of which 7 is shmem (PG_swapbacked, set by
	 * the page cache: an anon list, as in Linux); 3 and 8 mlocked before
	 * they are added */
	page_set_flag(p[3], PG_mlocked);
	page_set_flag(p[8], PG_mlocked);
	page_set_flag(p[7], PG_swapbacked);
	for (unsigned i = 0; i < ARRAY_SIZE(p); i++)
		lru_add(p[i], i < 4);
	assert_true(PAGE_FLAG(p[0], PG_lru) && PAGE_FLAG(p[0], PG_swapbacked));
	assert_true(PAGE_FLAG(p[4], PG_lru) && !PAGE_FLAG(p[4], PG_swapbacked));
	want_lru[LRU_INACTIVE_ANON] = 4;
	want_lru[LRU_INACTIVE_FILE] = 3;
	want_lru[LRU_UNEVICTABLE] = 2;
	assert_memory_equal(lru_count, want_lru, sizeof(want_lru));
	/* mlock one more anon page, munlock a file one */
	page_set_flag(p[0], PG_mlocked);
	lru_update_mlock(p[0]);
	page_clear_flag(p[8], PG_mlocked);
	lru_update_mlock(p[8]);
	want_lru[LRU_INACTIVE_ANON] = 3;
	want_lru[LRU_UNEVICTABLE] = 2;
	want_lru[LRU_INACTIVE_FILE] = 4;
	assert_memory_equal(lru_count, want_lru, sizeof(want_lru));
	/* p[1] freed from the LRU (Active stays 0 until reclaim ages the lists) */
	lru_del(p[1]);
	memcpy(vm_stat, stat, sizeof(stat));

	parse_meminfo(&mi);
	assert_int_equal(mi.buffers, 4 * 4);
	assert_int_equal(mi.cached, (20 - 4) * 4); /* Linux: file pages - buffers, shmem included */
	assert_int_equal(mi.shmem, 3 * 4);
	assert_int_equal(mi.inactive_anon, lru_count[LRU_INACTIVE_ANON] * 4);
	assert_int_equal(mi.inactive_file, lru_count[LRU_INACTIVE_FILE] * 4);
	assert_int_equal(mi.active_anon, lru_count[LRU_ACTIVE_ANON] * 4);
	assert_int_equal(mi.active_file, lru_count[LRU_ACTIVE_FILE] * 4);
	assert_int_equal(mi.inactive, (2 + 4) * 4);
	assert_int_equal(mi.active, 0);
	assert_int_equal(mi.unevictable, 2 * 4);
	assert_int_equal(mi.mlocked, 2 * 4);
	assert_int_equal(mi.anon_pages, 7 * 4);
	assert_int_equal(mi.mapped, 5 * 4);
	assert_int_equal(mi.page_tables, before.page_tables + 6 * 4);
	assert_int_equal(mi.swap_cached + mi.swap_total + mi.swap_free + mi.dirty + mi.writeback, 0);
	/* the exact text of two lines */
	{
		struct report r;

		capture(show_meminfo, &r);
		assert_string_equal(r.line[3], "Buffers:              16 kB");
		assert_string_equal(r.line[4], "Cached:               64 kB");
		assert_string_equal(r.line[9], "Inactive(anon):        8 kB");
		assert_string_equal(r.line[11], "Inactive(file):       16 kB");
		release(&r);
	}

	/* a counter gone negative (a bug elsewhere) prints as 0, not 2^64 - x */
	vm_stat[NR_FILE_PAGES] = 1;
	parse_meminfo(&mi);
	assert_int_equal(mi.cached, 0);

	/* undo: everything back to where it was */
	memset(vm_stat, 0, sizeof(vm_stat));
	for (unsigned i = 0; i < ARRAY_SIZE(p); i++) {
		if (i != 1)
			lru_del(p[i]);
		assert_false(PAGE_FLAG(p[i], PG_lru));
		page_clear_flag(p[i], PG_mlocked);
		page_clear_flag(p[i], PG_swapbacked);
		free_pages(p[i], 0);
	}
	assert_memory_equal(lru_count, (u64[NR_LRU_LISTS]){ 0 }, sizeof(want_lru));
	parse_meminfo(&mi);
	assert_int_equal(mi.active + mi.inactive + mi.unevictable + mi.cached + mi.anon_pages, 0);
	assert_int_equal(mi.page_tables, before.page_tables);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(buddyinfo_counts_are_the_free_areas),
		T(pagetypeinfo_columns_add_up),
		T(zoneinfo_numbers_are_the_zone_fields),
		cmocka_unit_test_setup_teardown(empty_zones_in_zoneinfo_only, setup_no_engines, teardown),
		cmocka_unit_test(meminfo_line_has_linux_columns),
		T(meminfo_numbers),
		T(meminfo_cma_free_follows_cma_alloc),
		T(meminfo_available_floors_at_zero),
		T(meminfo_user_lines_follow_vmstat_and_lru),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
