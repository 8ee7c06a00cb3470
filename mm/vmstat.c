/*
 * Global counters of user memory (include/mm/vmstat.h) and the meminfo
 * lines they feed. Linux's definitions (fs/proc/meminfo.c), in pages here
 * and kB in the report:
 *
 *   Buffers        NR_BUFFERS
 *   Cached         NR_FILE_PAGES - NR_BUFFERS - NR_SWAPCACHE; NR_FILE_PAGES
 *                  counts shmem, buffer and swap-cache pages too, so
 *                  Cached includes Shmem, as in Linux
 *   SwapCached     NR_SWAPCACHE
 *   Active, Inactive, Active(anon) ... Unevictable   lru_count[] (mm/lru.c)
 *   Mlocked        NR_MLOCK
 *   AnonPages      NR_ANON_MAPPED
 *   Mapped         NR_FILE_MAPPED
 *   Shmem          NR_SHMEM
 *   PageTables     += NR_USER_PAGETABLES (the kernel's tables come from
 *                  mm/kmap.c's provider)
 *
 * SwapTotal and SwapFree come from mm/swap_report.c's provider. Dirty and
 * Writeback stay 0: the page cache is read-only (the app image).
 *
 * A counter below zero would be an accounting bug; the report shows 0
 * for it, as Linux does for its per-CPU drift.
 *
 * Locking: none (mm/lru.c, include/mm/mm_types.h: one CPU, the counters
 * change only in task context). meminfo reads them without a lock; a
 * report taken while a fault runs may be one page off, as in Linux.
 */
#include <mm/report.h>
#include <mm/vmstat.h>

s64 vm_stat[NR_VM_STAT_ITEMS];
u64 vm_events[NR_VM_EVENT_ITEMS];

static const char *const event_names[NR_VM_EVENT_ITEMS] = {
	[PGPGIN] = "pgpgin", [PGPGOUT] = "pgpgout", [PSWPIN] = "pswpin", [PSWPOUT] = "pswpout",
	[PGFAULT] = "pgfault", [PGMAJFAULT] = "pgmajfault", [PGACTIVATE] = "pgactivate",
	[PGDEACTIVATE] = "pgdeactivate", [PGLAZYFREE] = "pglazyfree", [PGREFILL] = "pgrefill",
	[PGSTEAL_KSWAPD] = "pgsteal_kswapd", [PGSTEAL_DIRECT] = "pgsteal_direct",
	[PGSCAN_KSWAPD] = "pgscan_kswapd", [PGSCAN_DIRECT] = "pgscan_direct",
	[PGSCAN_ANON] = "pgscan_anon", [PGSCAN_FILE] = "pgscan_file",
	[PGSTEAL_ANON] = "pgsteal_anon", [PGSTEAL_FILE] = "pgsteal_file",
	[SLABS_SCANNED] = "slabs_scanned", [PAGEOUTRUN] = "pageoutrun", [ALLOCSTALL] = "allocstall",
	[PGROTATED] = "pgrotated", [WORKINGSET_REFAULT_ANON] = "workingset_refault_anon",
	[WORKINGSET_REFAULT_FILE] = "workingset_refault_file",
	[WORKINGSET_ACTIVATE_ANON] = "workingset_activate_anon",
	[WORKINGSET_ACTIVATE_FILE] = "workingset_activate_file",
	[ZRAM_CHECKSUM_KILL] = "zram_checksum_kill", [OOM_KILL] = "oom_kill", [LMK_KILL] = "lmk_kill",
	[PGMIGRATE_SUCCESS] = "pgmigrate_success", [PGMIGRATE_FAIL] = "pgmigrate_fail",
	[COMPACTMIGRATE_SCANNED] = "compact_migrate_scanned", [COMPACTFREE_SCANNED] = "compact_free_scanned",
	[COMPACTISOLATED] = "compact_isolated", [COMPACTSTALL] = "compact_stall",
	[COMPACTFAIL] = "compact_fail", [COMPACTSUCCESS] = "compact_success",
	[KCOMPACTD_WAKE] = "compact_daemon_wake",
	[KCOMPACTD_MIGRATE_SCANNED] = "compact_daemon_migrate_scanned",
	[KCOMPACTD_FREE_SCANNED] = "compact_daemon_free_scanned",
};

u64 (*vm_fault_total)(void);

u64 vm_event_read(enum vm_event_item i)
{
	if (i == PGFAULT && vm_fault_total)
		return vm_events[i] + vm_fault_total();
	return i < NR_VM_EVENT_ITEMS ? vm_events[i] : 0;
}

const char *vm_event_name(enum vm_event_item i) { return i < NR_VM_EVENT_ITEMS ? event_names[i] : "?"; }

static u64 pages_kb(s64 pages) { return pages > 0 ? (u64)pages << (PAGE_SHIFT - 10) : 0; }
static u64 stat_kb(enum vm_stat_item i) { return pages_kb(vm_stat[i]); }
static u64 lru_kb(enum lru_list l) { return (u64)lru_count[l] << (PAGE_SHIFT - 10); }

static void vmstat_meminfo(struct meminfo *mi)
{
	const s64 swap_cache = vm_stat[NR_SWAPCACHE];

	mi->buffers += stat_kb(NR_BUFFERS);
	mi->cached += pages_kb(vm_stat[NR_FILE_PAGES] - vm_stat[NR_BUFFERS] - swap_cache);
	mi->swap_cached += pages_kb(swap_cache);
	mi->active_anon += lru_kb(LRU_ACTIVE_ANON);
	mi->inactive_anon += lru_kb(LRU_INACTIVE_ANON);
	mi->active_file += lru_kb(LRU_ACTIVE_FILE);
	mi->inactive_file += lru_kb(LRU_INACTIVE_FILE);
	mi->active += lru_kb(LRU_ACTIVE_ANON) + lru_kb(LRU_ACTIVE_FILE);
	mi->inactive += lru_kb(LRU_INACTIVE_ANON) + lru_kb(LRU_INACTIVE_FILE);
	mi->unevictable += lru_kb(LRU_UNEVICTABLE);
	mi->mlocked += stat_kb(NR_MLOCK);
	mi->anon_pages += stat_kb(NR_ANON_MAPPED);
	mi->mapped += stat_kb(NR_FILE_MAPPED);
	mi->shmem += stat_kb(NR_SHMEM);
	mi->page_tables += stat_kb(NR_USER_PAGETABLES);
}

/* Boot, single threaded; host tests call it for every fixture: once only. */
void vmstat_meminfo_register(void)
{
	static struct meminfo_provider provider = { .fill = vmstat_meminfo };
	static bool registered;

	if (!registered) {
		registered = true;
		meminfo_add_provider(&provider);
	}
}
