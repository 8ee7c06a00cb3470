/*
 * /proc/vmstat (include/mm/report.h): "name value" lines in Linux 6.1's
 * order (mm/vmstat.c vmstat_text[]), for the counters Pagoda keeps. A
 * Linux line whose counter does not exist here is left out (tools read
 * /proc/vmstat by name; procps treats a missing name as 0), never printed
 * as a made-up 0.
 *
 * Gauges, in pages (nr_kernel_stack in kB, as Linux prints it):
 *
 *   nr_free_pages              zones' buddy lists (Linux's NR_FREE_PAGES:
 *                              per-CPU lists not included; MemFree has them)
 *   nr_zone_inactive_anon ..   the LRU lists (one node: the zone sums equal
 *   nr_zone_unevictable        the node lines below)
 *   nr_mlock                   NR_MLOCK
 *   nr_free_cma                free pages in CMA pageblocks
 *   nr_inactive_anon ..        the LRU lists
 *   nr_unevictable
 *   nr_slab_reclaimable        meminfo's SReclaimable / SUnreclaim in pages
 *   nr_slab_unreclaimable
 *   workingset_refault_anon .. vm_events[] (node counters in Linux, so
 *   workingset_activate_file   printed here, at Linux's place)
 *   nr_anon_pages, nr_mapped, nr_file_pages (swap cache included, as in
 *   Linux), nr_shmem           vm_stat[]
 *   nr_kernel_stack            kB
 *   nr_page_table_pages        meminfo's PageTables in pages
 *   nr_swapcached              NR_SWAPCACHE
 *
 * Events, vm_events[] (include/mm/vmstat.h) at Linux's places:
 *
 *   pgpgin pgpgout pswpin pswpout
 *   pgalloc_dma pgalloc_dma32 pgalloc_normal   pages handed out per zone
 *                              (zone_stats: allocations << order);
 *   pgalloc_movable 0          Linux prints it with no ZONE_MOVABLE
 *                              populated, as here
 *   allocstall                 one line: Pagoda counts direct-reclaim
 *                              entries, not per zone, so Linux's per-zone
 *                              allocstall_* (4.10+) become the pre-4.10
 *                              single name, where those lines would be
 *   pgactivate pgdeactivate pgfault pgmajfault pgrefill pgsteal_kswapd
 *   pgsteal_direct pgscan_kswapd pgscan_direct pgscan_anon pgscan_file
 *   pgsteal_anon pgsteal_file slabs_scanned pageoutrun pgrotated
 *   oom_kill                   after pgrotated (Linux's drop_* between)
 *   pgmigrate_success          after oom_kill (Linux's numa_* between):
 *   pgmigrate_fail             pages mm/migrate.c moved / could not move
 *   compact_migrate_scanned    compaction (mm/compaction.c, kcompactd), right
 *   compact_free_scanned ..    after pgmigrate_fail as in Linux (its
 *   compact_daemon_free_scanned  thp_migration_* between are left out)
 *   zram_checksum_kill         Pagoda's own (no Linux name)
 *   lmk_kill                   Pagoda's own, last: the low-memory killer's victims
 *
 * Left out: pglazyfree (no MADV_FREE, never counted), pgskip_*, pgfree,
 * pgreuse, pgdemote_*, nr_dirty/nr_writeback (no writeback), the dirty
 * thresholds, NUMA, THP (thp_migration_* too) and the other config-dependent lines.
 *
 * Locking: each zone's lock while its counters are copied (as the other
 * reports, mm/report.c); vm_stat/vm_events/lru_count are read without a
 * lock (mm/vmstat.c).
 */
#include <mm/mmzone.h>
#include <mm/report.h>
#include <mm/vmstat.h>

#define ULL(x) ((unsigned long long)(x))

static const char *const zone_suffix[MAX_NR_ZONES] = { "dma", "dma32", "normal", "high" }; /* Linux's pgalloc_high */

static void line(FILE *f, const char *name, u64 v) { fprintf(f, "%s %llu\n", name, ULL(v)); }
static u64 kb_pages(u64 kb) { return kb >> (PAGE_SHIFT - 10); }
static u64 stat_pages(enum vm_stat_item i) { return vm_stat[i] > 0 ? (u64)vm_stat[i] : 0; }
static void event(FILE *f, enum vm_event_item i) { line(f, vm_event_name(i), vm_event_read(i)); }

struct zone_counts {
	u64 nr_free, nr_free_cma;
	u64 pgalloc[MAX_NR_ZONES];
	bool known[MAX_NR_ZONES];
};

static void read_zones(struct zone_counts *zc)
{
	*zc = (struct zone_counts){ 0 };
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];
		unsigned long fl;

		if (!z->name || i >= nr_zone_types())
			continue;
		zc->known[i] = true;
		fl = spin_lock_irqsave(&z->lock);
		zc->nr_free += z->nr_free;
		zc->nr_free_cma += z->nr_free_cma;
		for (unsigned o = 0; o < NR_ORDERS; o++)
			zc->pgalloc[i] += z->stats.alloc_success[o] << o;
		spin_unlock_irqrestore(&z->lock, fl);
	}
}

static void show_gauges(FILE *f, const struct zone_counts *zc, const struct meminfo *mi)
{
	static const struct {
		const char *zone_name, *node_name;
		enum lru_list lru;
	} lrus[] = {
		{ "nr_zone_inactive_anon", "nr_inactive_anon", LRU_INACTIVE_ANON },
		{ "nr_zone_active_anon", "nr_active_anon", LRU_ACTIVE_ANON },
		{ "nr_zone_inactive_file", "nr_inactive_file", LRU_INACTIVE_FILE },
		{ "nr_zone_active_file", "nr_active_file", LRU_ACTIVE_FILE },
		{ "nr_zone_unevictable", "nr_unevictable", LRU_UNEVICTABLE },
	};

	line(f, "nr_free_pages", zc->nr_free);
	for (unsigned i = 0; i < ARRAY_SIZE(lrus); i++)
		line(f, lrus[i].zone_name, lru_count[lrus[i].lru]);
	line(f, "nr_mlock", stat_pages(NR_MLOCK));
	line(f, "nr_free_cma", zc->nr_free_cma);
	for (unsigned i = 0; i < ARRAY_SIZE(lrus); i++)
		line(f, lrus[i].node_name, lru_count[lrus[i].lru]);
	line(f, "nr_slab_reclaimable", kb_pages(mi->sreclaimable));
	line(f, "nr_slab_unreclaimable", kb_pages(mi->sunreclaim));
	for (enum vm_event_item e = WORKINGSET_REFAULT_ANON; e <= WORKINGSET_ACTIVATE_FILE; e++)
		event(f, e);
	line(f, "nr_anon_pages", stat_pages(NR_ANON_MAPPED));
	line(f, "nr_mapped", stat_pages(NR_FILE_MAPPED));
	line(f, "nr_file_pages", stat_pages(NR_FILE_PAGES));
	line(f, "nr_shmem", stat_pages(NR_SHMEM));
	line(f, "nr_kernel_stack", mi->kernel_stack);
	line(f, "nr_page_table_pages", kb_pages(mi->page_tables));
	line(f, "nr_swapcached", stat_pages(NR_SWAPCACHE));
}

static void show_events(FILE *f, const struct zone_counts *zc)
{
	static const enum vm_event_item after_alloc[] = {
		PGACTIVATE, PGDEACTIVATE, PGFAULT, PGMAJFAULT, PGREFILL, PGSTEAL_KSWAPD, PGSTEAL_DIRECT,
		PGSCAN_KSWAPD, PGSCAN_DIRECT, PGSCAN_ANON, PGSCAN_FILE, PGSTEAL_ANON, PGSTEAL_FILE,
		SLABS_SCANNED, PAGEOUTRUN, PGROTATED, OOM_KILL, PGMIGRATE_SUCCESS, PGMIGRATE_FAIL,
		COMPACTMIGRATE_SCANNED, COMPACTFREE_SCANNED, COMPACTISOLATED, COMPACTSTALL, COMPACTFAIL,
		COMPACTSUCCESS, KCOMPACTD_WAKE, KCOMPACTD_MIGRATE_SCANNED, KCOMPACTD_FREE_SCANNED,
		ZRAM_CHECKSUM_KILL, LMK_KILL,
	};
	char name[32];

	for (enum vm_event_item e = PGPGIN; e <= PSWPOUT; e++)
		event(f, e);
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		if (!zc->known[i])
			continue;
		snprintf(name, sizeof(name), "pgalloc_%s", zone_suffix[i]);
		line(f, name, zc->pgalloc[i]);
	}
	line(f, "pgalloc_movable", 0);
	event(f, ALLOCSTALL);
	for (unsigned i = 0; i < ARRAY_SIZE(after_alloc); i++)
		event(f, after_alloc[i]);
}

void show_vmstat(FILE *f)
{
	struct zone_counts zc;
	struct meminfo mi;

	read_zones(&zc);
	meminfo_read(&mi);
	show_gauges(f, &zc, &mi);
	show_events(f, &zc);
}
