/*
 * Memory reports in Linux's /proc formats; see include/mm/report.h.
 * The layouts are Linux 5.x's from 5.12 on (zoneinfo with the "boost"
 * and "cma" lines, before memory tiering added "promo" in 6.x); one
 * memory node, so always "Node 0".
 *
 * buddyinfo: free blocks per order 0..10 ("Node %d, zone %8s " + "%6lu "):
 *
 *   Node 0, zone      DMA      3      2      1 ...      3
 *
 * pagetypeinfo: the same split by the free list's migratetype, then the
 * pageblocks of each type (Linux's header is one column wider than its
 * rows; kept, since scripts split on blanks and eyes compare with Linux):
 *
 *   Page block order: 9
 *   Pages per block:  512
 *
 *   Free pages count per migrate type at order       0      1 ...     10
 *   Node    0, zone      DMA, type    Unmovable      0      1 ...      0
 *   ...
 *
 *   Number of blocks type     Unmovable      Movable  Reclaimable          CMA      Isolate
 *   Node 0, zone      DMA            1            7            0            0            0
 *
 * zoneinfo: per zone, in pages (not kB); "pages free" and nr_free_pages
 * are the buddy lists (Linux's NR_FREE_PAGES: per-CPU pages not included),
 * protection is lowmem_reserve[] per classzone, boost is always 0 (no
 * watermark boosting); the counters after nr_free_cma are Pagoda's
 * struct zone_stats; an empty zone stops after "protection":
 *
 *   Node 0, zone    DMA32
 *     pages free     124912
 *           boost    0
 *           min      248
 *           low      373
 *           high     498
 *           spanned  126976
 *           present  126976
 *           managed  125176
 *           cma      4096
 *           protection: (0, 0, 0)
 *         nr_free_pages 124912
 *         nr_free_cma  3840
 *         alloc_success 1
 *         ...
 *     pagesets
 *       cpu: 0
 *                 count: 0
 *                 high:  96
 *                 batch: 32
 *     node_unreclaimable:  0
 *     start_pfn:           266240
 *
 * meminfo: "%-16s%8lu kB" with the colon inside the 16 columns:
 *
 *   MemTotal:         190940 kB
 *
 * Locking: a zone's lock (IRQs masked) is held only while its counters are
 * copied or its free lists/pageblock types counted; printing happens
 * afterwards, since a UART prints ~11 characters per millisecond. As in
 * Linux, pagetypeinfo drops the lock between orders and stops counting a
 * list at 100000 entries (printed ">100000") to bound the time IRQs stay
 * masked. The caller must not hold a zone lock.
 */
#include <mm/mmzone.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <stddef.h>
#include <string.h>

#define NODE_ID 0                /* one memory node: no NUMA */
#define FREE_COUNT_CAP 100000    /* Linux's cap when walking one free list */
#define ULL(x) ((unsigned long long)(x))

static u64 pages_to_kb(u64 pages) { return pages << (PAGE_SHIFT - 10); }

/* Set up by mm_init (a zone without a name is not, e.g. before boot). */
static bool zone_known(const struct zone *z) { return z->name != NULL && z - zones < nr_zone_types(); }

/* ---- copies of a zone's counters ----------------------------------------- */

struct zone_snap {
	const char *name;
	u64 start_pfn, spanned, present, managed, cma;
	u64 nr_free, nr_free_cma, pcp_count;
	u64 watermark[NR_WMARK];
	u64 lowmem_reserve[MAX_NR_ZONES];
	u64 nr_free_blocks[NR_ORDERS];
	struct zone_stats stats;
};

static void snap_zone(struct zone *z, struct zone_snap *s)
{
	unsigned long f = spin_lock_irqsave(&z->lock);

	s->name = z->name;
	s->start_pfn = z->start_pfn;
	s->spanned = z->end_pfn - z->start_pfn;
	s->present = z->present_pages;
	s->managed = z->managed_pages;
	s->cma = z->cma_pages;
	s->nr_free = z->nr_free;
	s->nr_free_cma = z->nr_free_cma;
	s->pcp_count = z->pcp.count;
	memcpy(s->watermark, z->watermark, sizeof(s->watermark));
	memcpy(s->lowmem_reserve, z->lowmem_reserve, sizeof(s->lowmem_reserve));
	for (unsigned o = 0; o < NR_ORDERS; o++)
		s->nr_free_blocks[o] = z->free_area[o].nr_free;
	s->stats = z->stats;
	spin_unlock_irqrestore(&z->lock, f);
}

/* ---- buddyinfo ------------------------------------------------------------ */

void show_buddyinfo(FILE *f)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone_snap s;

		if (!zone_known(&zones[i]) || !zone_populated(&zones[i]))
			continue;
		snap_zone(&zones[i], &s);
		fprintf(f, "Node %d, zone %8s ", NODE_ID, s.name);
		for (unsigned o = 0; o < NR_ORDERS; o++)
			fprintf(f, "%6llu ", ULL(s.nr_free_blocks[o]));
		fputc('\n', f);
	}
}

/* ---- pagetypeinfo --------------------------------------------------------- */

struct type_counts {
	u64 nr[MIGRATE_TYPES][NR_ORDERS];
	bool capped[MIGRATE_TYPES][NR_ORDERS];
};

/* Length of every free list of z, one order per lock hold. */
static void count_free_lists(struct zone *z, struct type_counts *c)
{
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		unsigned long f = spin_lock_irqsave(&z->lock);

		for (int t = 0; t < MIGRATE_TYPES; t++) {
			const struct list_head *pos;
			u64 n = 0;

			c->capped[t][o] = false;
			list_for_each(pos, &z->free_area[o].free_list[t]) {
				if (++n >= FREE_COUNT_CAP) {
					c->capped[t][o] = true;
					break;
				}
			}
			c->nr[t][o] = n;
		}
		spin_unlock_irqrestore(&z->lock, f);
	}
}

/* Pageblocks of z by migratetype: every pageblock that overlaps the span. */
static void count_pageblocks(struct zone *z, u64 count[MIGRATE_TYPES])
{
	unsigned long f = spin_lock_irqsave(&z->lock);

	for (u64 pfn = ALIGN_DOWN(z->start_pfn, PAGEBLOCK_PAGES); pfn < z->end_pfn; pfn += PAGEBLOCK_PAGES) {
		int t = pageblock_migratetype(z, pfn);

		if (t >= 0 && t < MIGRATE_TYPES)
			count[t]++;
	}
	spin_unlock_irqrestore(&z->lock, f);
}

static void pagetypeinfo_free(FILE *f)
{
	fprintf(f, "%-43s ", "Free pages count per migrate type at order");
	for (int o = 0; o < NR_ORDERS; o++)
		fprintf(f, "%6d ", o);
	fputc('\n', f);
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct type_counts c;

		if (!zone_known(&zones[i]) || !zone_populated(&zones[i]))
			continue;
		count_free_lists(&zones[i], &c);
		for (int t = 0; t < MIGRATE_TYPES; t++) {
			fprintf(f, "Node %4d, zone %8s, type %12s ", NODE_ID, zones[i].name, migratetype_names[t]);
			for (unsigned o = 0; o < NR_ORDERS; o++)
				fprintf(f, "%s%6llu ", c.capped[t][o] ? ">" : "", ULL(c.nr[t][o]));
			fputc('\n', f);
		}
	}
}

static void pagetypeinfo_blocks(FILE *f)
{
	fprintf(f, "\n%-23s", "Number of blocks type ");
	for (int t = 0; t < MIGRATE_TYPES; t++)
		fprintf(f, "%12s ", migratetype_names[t]);
	fputc('\n', f);
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		u64 count[MIGRATE_TYPES] = { 0 };

		if (!zone_known(&zones[i]) || !zone_populated(&zones[i]))
			continue;
		count_pageblocks(&zones[i], count);
		fprintf(f, "Node %d, zone %8s ", NODE_ID, zones[i].name);
		for (int t = 0; t < MIGRATE_TYPES; t++)
			fprintf(f, "%12llu ", ULL(count[t]));
		fputc('\n', f);
	}
}

void show_pagetypeinfo(FILE *f)
{
	fprintf(f, "Page block order: %d\n", PAGEBLOCK_ORDER);
	fprintf(f, "Pages per block:  %llu\n", ULL(PAGEBLOCK_PAGES));
	fputc('\n', f);
	pagetypeinfo_free(f);
	pagetypeinfo_blocks(f);
}

/* ---- zoneinfo ------------------------------------------------------------- */

/* Linux's per-zone counter line ("nr_free_pages 3840", names padded to 12). */
static void zone_stat_line(FILE *f, const char *name, u64 v)
{
	fprintf(f, "\n      %-12s %llu", name, ULL(v));
}

static void zoneinfo_counters(FILE *f, const struct zone_snap *s)
{
	u64 allocs = 0, pages = 0;

	for (unsigned o = 0; o < NR_ORDERS; o++) {
		allocs += s->stats.alloc_success[o];
		pages += s->stats.alloc_success[o] << o;
	}
	/* Linux's zone_stat_item names first, then Pagoda's zone_stats */
	const struct {
		const char *name;
		u64 value;
	} lines[] = {
		{ "nr_free_pages", s->nr_free },  /* buddy lists, as Linux's NR_FREE_PAGES */
		{ "nr_free_cma", s->nr_free_cma },
		{ "alloc_success", allocs },      /* allocations served, all orders */
		{ "pgalloc", pages },             /* pages they took (Linux's pgalloc_<zone>) */
		{ "alloc_fail", s->stats.alloc_fail }, /* failures with this zone highest allowed */
		{ "fallback_steal", s->stats.fallback_steal },
		{ "pageblock_claim", s->stats.pageblock_claim },
		{ "pcp_refill", s->stats.pcp_refill },
		{ "pcp_drain", s->stats.pcp_drain },
		{ "poison_errors", s->stats.poison_errors },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(lines); i++)
		zone_stat_line(f, lines[i].name, lines[i].value);
}

static void zoneinfo_zone(FILE *f, const struct zone_snap *s)
{
	fprintf(f, "Node %d, zone %8s", NODE_ID, s->name);
	fprintf(f,
		"\n  pages free     %llu"
		"\n        boost    %llu"
		"\n        min      %llu"
		"\n        low      %llu"
		"\n        high     %llu"
		"\n        spanned  %llu"
		"\n        present  %llu"
		"\n        managed  %llu"
		"\n        cma      %llu",
		ULL(s->nr_free), 0ULL, ULL(s->watermark[WMARK_MIN]), ULL(s->watermark[WMARK_LOW]),
		ULL(s->watermark[WMARK_HIGH]), ULL(s->spanned), ULL(s->present), ULL(s->managed), ULL(s->cma));
	fprintf(f, "\n        protection: (%llu", ULL(s->lowmem_reserve[0]));
	for (int i = 1; i < nr_zone_types(); i++)
		fprintf(f, ", %llu", ULL(s->lowmem_reserve[i]));
	fputc(')', f);
	if (!s->managed) { /* unpopulated: nothing else is useful (Linux) */
		fputc('\n', f);
		return;
	}
	zoneinfo_counters(f, s);
	/* one CPU today; SMP adds a "cpu: N" block per CPU and Linux's
	 * "vm stats threshold" line after each */
	fprintf(f,
		"\n  pagesets"
		"\n    cpu: %d"
		"\n              count: %llu"
		"\n              high:  %d"
		"\n              batch: %d",
		0, ULL(s->pcp_count), PCP_HIGH, PCP_BATCH);
	/* no reclaim yet, so never "unreclaimable" */
	fprintf(f,
		"\n  node_unreclaimable:  %u"
		"\n  start_pfn:           %llu",
		0u, ULL(s->start_pfn));
	fputc('\n', f);
}

void show_zoneinfo(FILE *f)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone_snap s;

		if (!zone_known(&zones[i]))
			continue;
		snap_zone(&zones[i], &s);
		zoneinfo_zone(f, &s);
	}
}

/* ---- meminfo -------------------------------------------------------------- */

/*
 * MemAvailable here is free memory minus the zones' high watermarks (what
 * can be allocated before background reclaim would start working), at
 * least 0. Linux's si_mem_available() also subtracts each zone's largest
 * lowmem reserve and adds reclaimable page cache and slab: the reclaim and
 * slab issues extend the formula when those exist.
 */
static struct meminfo_provider *providers;

void meminfo_add_provider(struct meminfo_provider *p)
{
	p->next = providers;
	providers = p;
}

void meminfo_read(struct meminfo *mi)
{
	u64 total = 0, free = 0, high = 0, cma_total = 0, cma_free = 0, high_total = 0, high_free = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];
		unsigned long f;

		if (!zone_known(z))
			continue;
		f = spin_lock_irqsave(&z->lock);
		total += z->managed_pages;
		free += z->nr_free + z->pcp.count;
		high += z->watermark[WMARK_HIGH];
		cma_total += z->cma_pages;
		cma_free += z->nr_free_cma;
		if (i == ZONE_HIGHMEM) {
			high_total = z->managed_pages;
			high_free = z->nr_free + z->pcp.count;
		}
		spin_unlock_irqrestore(&z->lock, f);
	}
	memset(mi, 0, sizeof(*mi));
	mi->mem_total = pages_to_kb(total);
	mi->mem_free = pages_to_kb(free);
	mi->cma_total = pages_to_kb(cma_total);
	mi->cma_free = pages_to_kb(cma_free);
	if (nr_zone_types() > ZONE_HIGHMEM) { /* Linux's CONFIG_HIGHMEM lines */
		mi->high_total = pages_to_kb(high_total);
		mi->high_free = pages_to_kb(high_free);
		mi->low_total = pages_to_kb(total - high_total);
		mi->low_free = pages_to_kb(free - high_free);
	}
	for (struct meminfo_provider *p = providers; p; p = p->next)
		p->fill(mi);
	mi->slab = mi->sreclaimable + mi->sunreclaim;
	mi->kreclaimable = mi->sreclaimable;
	mi->mem_available = (free > high ? pages_to_kb(free - high) : 0) + mi->sreclaimable;
}

/* The lines in Linux's order; later issues insert theirs where Linux has them. */
static const struct {
	const char *name;
	size_t offset; /* of the kB value in struct meminfo */
} meminfo_lines[] = {
	{ "MemTotal", offsetof(struct meminfo, mem_total) },
	{ "MemFree", offsetof(struct meminfo, mem_free) },
	{ "MemAvailable", offsetof(struct meminfo, mem_available) },
	{ "Buffers", offsetof(struct meminfo, buffers) },
	{ "Cached", offsetof(struct meminfo, cached) },
	{ "SwapCached", offsetof(struct meminfo, swap_cached) },
	{ "Active", offsetof(struct meminfo, active) },
	{ "Inactive", offsetof(struct meminfo, inactive) },
	{ "Active(anon)", offsetof(struct meminfo, active_anon) },
	{ "Inactive(anon)", offsetof(struct meminfo, inactive_anon) },
	{ "Active(file)", offsetof(struct meminfo, active_file) },
	{ "Inactive(file)", offsetof(struct meminfo, inactive_file) },
	{ "Unevictable", offsetof(struct meminfo, unevictable) },
	{ "Mlocked", offsetof(struct meminfo, mlocked) },
	{ "HighTotal", offsetof(struct meminfo, high_total) }, /* these four only with highmem */
	{ "HighFree", offsetof(struct meminfo, high_free) },
	{ "LowTotal", offsetof(struct meminfo, low_total) },
	{ "LowFree", offsetof(struct meminfo, low_free) },
	{ "SwapTotal", offsetof(struct meminfo, swap_total) },
	{ "SwapFree", offsetof(struct meminfo, swap_free) },
	{ "Dirty", offsetof(struct meminfo, dirty) },
	{ "Writeback", offsetof(struct meminfo, writeback) },
	{ "AnonPages", offsetof(struct meminfo, anon_pages) },
	{ "Mapped", offsetof(struct meminfo, mapped) },
	{ "Shmem", offsetof(struct meminfo, shmem) },
	{ "KReclaimable", offsetof(struct meminfo, kreclaimable) },
	{ "Slab", offsetof(struct meminfo, slab) },
	{ "SReclaimable", offsetof(struct meminfo, sreclaimable) },
	{ "SUnreclaim", offsetof(struct meminfo, sunreclaim) },
	{ "KernelStack", offsetof(struct meminfo, kernel_stack) },
	{ "PageTables", offsetof(struct meminfo, page_tables) },
	{ "CommitLimit", offsetof(struct meminfo, commit_limit) },
	{ "Committed_AS", offsetof(struct meminfo, committed_as) },
	{ "VmallocTotal", offsetof(struct meminfo, vmalloc_total) },
	{ "VmallocUsed", offsetof(struct meminfo, vmalloc_used) },
	{ "VmallocChunk", offsetof(struct meminfo, vmalloc_chunk) },
	{ "CmaTotal", offsetof(struct meminfo, cma_total) },
	{ "CmaFree", offsetof(struct meminfo, cma_free) },
};

void meminfo_line(FILE *f, const char *name, u64 kb)
{
	char label[32];

	snprintf(label, sizeof(label), "%s:", name);
	fprintf(f, "%-16s%8llu kB\n", label, ULL(kb));
}

void show_meminfo(FILE *f)
{
	struct meminfo mi;

	meminfo_read(&mi);
	for (unsigned i = 0; i < ARRAY_SIZE(meminfo_lines); i++) {
		size_t off = meminfo_lines[i].offset;
		u64 kb;

		if (off >= offsetof(struct meminfo, high_total) && off <= offsetof(struct meminfo, low_free) &&
		    nr_zone_types() <= ZONE_HIGHMEM)
			continue;
		memcpy(&kb, (const char *)&mi + off, sizeof(kb));
		meminfo_line(f, meminfo_lines[i].name, kb);
	}
}
