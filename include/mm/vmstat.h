/*
 * Global counters of user memory (mm/vmstat.c) and the LRU lists pages
 * enter when they are mapped or cached (mm/lru.c). They feed meminfo's
 * AnonPages, Mapped, Cached, Buffers, Shmem, Mlocked, Active/Inactive
 * lines, and reclaim (issue 7) will age the lists.
 */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include <mm/page.h>
#include <types.h>

enum vm_stat_item {
	NR_ANON_MAPPED,   /* anon pages mapped by some mm (AnonPages) */
	NR_FILE_MAPPED,   /* page-cache pages mapped by some mm (Mapped) */
	NR_FILE_PAGES,    /* page-cache pages, shmem included (Cached = this - shmem - buffers) */
	NR_SHMEM,         /* shmem pages */
	NR_MLOCK,         /* PG_mlocked pages (Mlocked) */
	NR_BUFFERS,       /* block-device metadata pages (the app image directory) */
	NR_USER_PAGETABLES, /* translation-table pages of apps */
	NR_SWAPCACHE,     /* pages in the swap cache (SwapCached) */
	NR_VM_STAT_ITEMS
};

extern s64 vm_stat[NR_VM_STAT_ITEMS];
static inline void mod_vm_stat(enum vm_stat_item i, s64 delta) { vm_stat[i] += delta; }

enum lru_list { LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE, LRU_ACTIVE_FILE,
		LRU_UNEVICTABLE, NR_LRU_LISTS };

/* Put a newly mapped anon page or a newly cached file page on its LRU list
 * (inactive; mlocked pages on unevictable). Sets PG_lru. */
void lru_add(struct page *page, bool anon);
/* Take the page off its LRU list (before it is freed). */
void lru_del(struct page *page);
/* Move between evictable and unevictable when PG_mlocked changes. */
void lru_update_mlock(struct page *page);
/* Migration: isolate one given page from whichever list it is on, the
 * unevictable one included (mlocked pages move too), with PG_isolated and
 * the isolator's reference; false if it is not on a list. */
bool lru_isolate_movable(struct page *page);
/* Reclaim: move up to nr pages from the tail of lru onto dst (oldest
 * first), each with PG_isolated and one more reference (the isolator's).
 * Returns how many. */
unsigned lru_isolate(enum lru_list lru, unsigned nr, struct list_head *dst);
/* Isolate one given page (MADV_PAGEOUT); false if it is not on an
 * evictable list (not on one, isolated already, or mlocked). */
bool lru_isolate_page(struct page *page);
/* Give an isolated page back to the head of its list (active or inactive
 * as told; unevictable if mlocked meanwhile), dropping the isolator's
 * reference, which must not be the last. */
void lru_putback(struct page *page, bool active);
/* MADV_COLD: move the page to the head of its inactive list, forgetting
 * PG_referenced (nothing if it is not on an evictable list). */
void lru_deactivate(struct page *page);
/* Pages on each list. */
extern u64 lru_count[NR_LRU_LISTS];

/*
 * Events since boot, as Linux's /proc/vmstat names them (vm_event_name()).
 * Only increments; the reports print them in this order.
 */
enum vm_event_item {
	PGPGIN, PGPGOUT,         /* kB read from / written to backing store (flash, swap) */
	PSWPIN, PSWPOUT,         /* pages swapped in / out */
	PGFAULT, PGMAJFAULT,     /* user page faults (read it with vm_event_read); those that did I/O */
	PGACTIVATE, PGDEACTIVATE,/* pages moved inactive -> active, active -> inactive */
	PGLAZYFREE,              /* unused, 0: no MADV_FREE */
	PGREFILL,                /* active-list pages scanned for demotion */
	PGSTEAL_KSWAPD, PGSTEAL_DIRECT, /* pages reclaimed by kswapd / in direct reclaim */
	PGSCAN_KSWAPD, PGSCAN_DIRECT,   /* inactive-list pages scanned by each */
	PGSCAN_ANON, PGSCAN_FILE, PGSTEAL_ANON, PGSTEAL_FILE,
	SLABS_SCANNED,           /* pages freed by shrinkers during reclaim */
	PAGEOUTRUN,              /* kswapd runs */
	ALLOCSTALL,              /* allocations that entered direct reclaim */
	PGROTATED,               /* referenced inactive pages given another round */
	WORKINGSET_REFAULT_ANON, WORKINGSET_REFAULT_FILE, /* evicted pages faulted back */
	WORKINGSET_ACTIVATE_ANON, WORKINGSET_ACTIVATE_FILE,
	ZRAM_CHECKSUM_KILL,      /* apps killed for a swap-in checksum mismatch */
	OOM_KILL,                /* victims of the OOM killer (kernel/oom.c) */
	LMK_KILL,                /* victims of the low-memory killer (kernel/lmk.c) */
	PGMIGRATE_SUCCESS,       /* pages moved to a new frame (mm/migrate.c) */
	PGMIGRATE_FAIL,          /* pages that could not move (pinned, off the LRU, no memory) */
	COMPACTMIGRATE_SCANNED,  /* pages the migrate scanner looked at (mm/compaction.c) */
	COMPACTFREE_SCANNED,     /* pages the free scanner looked at */
	COMPACTISOLATED,         /* pages isolated: movable ones to move and free ones as targets */
	COMPACTSTALL,            /* allocations that entered direct compaction */
	COMPACTFAIL,             /* of them, those that found no block afterwards */
	COMPACTSUCCESS,          /* of them, those that did */
	KCOMPACTD_WAKE,          /* kcompactd wake-ups that compacted */
	KCOMPACTD_MIGRATE_SCANNED, /* the migrate scanner's pages in kcompactd's runs */
	KCOMPACTD_FREE_SCANNED,  /* the free scanner's pages in kcompactd's runs */
	NR_VM_EVENT_ITEMS
};
extern u64 vm_events[NR_VM_EVENT_ITEMS];
static inline void count_vm_events(enum vm_event_item i, u64 n) { vm_events[i] += n; }
static inline void count_vm_event(enum vm_event_item i) { vm_events[i]++; }
/* An event's count. pgfault is not counted in vm_events[] by the fault
 * path (four instructions on every minor fault): the fault path's own
 * per-kind counts are added to it through vm_fault_total, which
 * mm/memory.c sets. */
u64 vm_event_read(enum vm_event_item i);
extern u64 (*vm_fault_total)(void);
/* Linux's /proc/vmstat name of an event ("pswpin", ...). */
const char *vm_event_name(enum vm_event_item i);

/* Register the meminfo provider for the lines above (boot). */
void vmstat_meminfo_register(void);

#endif
