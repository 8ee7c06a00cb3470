/*
 * Compaction (mm/compaction.c) and the fragmentation indices it is steered
 * by (mm/extfrag.c): move movable pages out of the bottom of a zone into
 * free frames at its top, so that free memory joins into high-order blocks.
 *
 *   zone  [ migrate scanner -->                     <-- free scanner ]
 *          movable pages isolated        free pages isolated, split to
 *          from their LRU lists          order 0, the pages' new frames
 *
 * Three ways in, as Linux has them:
 *   direct      a high-order allocation that failed compacts before it
 *               reclaims (mm/page_alloc.c, through reclaim_hooks.compact)
 *   on demand   compact_memory(1): every zone, whole (Linux's
 *               /proc/sys/vm/compact_memory)
 *   proactive   kcompactd0 (kernel/kcompactd.c) every 500 ms compacts
 *               while the fragmentation score is above the target that
 *               vm.compaction_proactiveness sets
 *
 * Counters (vmstat): compact_migrate_scanned, compact_free_scanned,
 * compact_isolated, compact_stall, compact_fail, compact_success,
 * compact_daemon_wake, compact_daemon_migrate_scanned,
 * compact_daemon_free_scanned; the migrations are pgmigrate_*.
 *
 * Locking: none held by callers; process context (migration may
 * allocate). The zone lock is taken inside around free-list changes.
 */
#ifndef MM_COMPACTION_H
#define MM_COMPACTION_H

#include <mm/gfp.h>
#include <mm/mmzone.h>
#include <stdio.h>
#include <types.h>

/* ---- fragmentation indices (mm/extfrag.c) ---------------------------- */

/* Free memory of a zone as an allocation of some order sees it. */
struct contig_page_info {
	u64 free_pages;           /* on the buddy lists (not isolated) */
	u64 free_blocks_total;    /* free blocks of any order */
	u64 free_blocks_suitable; /* free blocks of the order or larger, counted in blocks of the order */
};

/* Fill info for order (zone lock taken inside). */
void fill_contig_page_info(struct zone *z, unsigned order, struct contig_page_info *info);
/* Linux's unusable free space index, in thousandths: the share of free
 * memory in blocks too small for order (0 = all usable; 1000 = none). */
int unusable_free_index(struct zone *z, unsigned order);
/* Linux's fragmentation index, in thousandths: -1000 when an allocation
 * of order would succeed; else towards 0 a failure for lack of memory,
 * towards 1000 a failure for fragmentation. 0 when the zone has no free
 * memory at all. */
int fragmentation_index(struct zone *z, unsigned order);
/* Linux's proactive-compaction score of a zone, 0..100: the percentage of
 * its free memory not in blocks of COMPACTION_HPAGE_ORDER or larger. */
unsigned fragmentation_score_zone(struct zone *z);
/* The system's score: the zones' scores weighted by their sizes. */
unsigned fragmentation_score(void);
#define COMPACTION_HPAGE_ORDER PAGEBLOCK_ORDER

/* /sys/kernel/debug/extfrag/unusable_index and extfrag_index: one line
 * per populated zone, "Node 0, zone   Normal 0.000 0.000 ...", one value
 * per order (Linux's format; extfrag_index prints -1.000 for an order
 * that would succeed). */
void show_unusable_index(FILE *f);
void show_extfrag_index(FILE *f);

/* ---- compaction (mm/compaction.c) ------------------------------------ */

enum compact_result {
	COMPACT_SKIPPED,   /* not tried: too little free memory to move pages into (reclaim first) */
	COMPACT_DEFERRED,  /* not tried: recent attempts at this order failed */
	COMPACT_COMPLETE,  /* the scanners met: the whole zone was compacted */
	COMPACT_SUCCESS,   /* a free block of the requested order exists now */
};

enum compact_mode {
	COMPACT_DIRECT,    /* an allocation is waiting: stop as soon as its order is free */
	COMPACT_MANUAL,    /* compact_memory: the whole zone */
	COMPACT_PROACTIVE, /* kcompactd: until the score is at the target */
};

/* One run over a zone, and what it did. */
struct compact_control {
	struct zone *zone;
	int order;                 /* the block wanted; -1: the whole zone */
	int migratetype;           /* of the allocation waiting (direct) */
	enum compact_mode mode;
	u64 migrate_pfn, free_pfn; /* the scanners' positions */
	u64 nr_migrate_scanned, nr_free_scanned;
	u64 nr_isolated_free;      /* free pages taken as targets */
	u64 nr_migrated, nr_failed;
	struct list_head freepages; /* isolated free pages, order 0 */
	u64 nr_freepages;
	bool no_target;             /* a migration found no free page: stop */
};

/* Compact z for a block of order (-1: the whole zone) in mode. Fills *cc
 * (may be NULL) with what was done. */
enum compact_result compact_zone_order(struct zone *z, int order, enum compact_mode mode, int migratetype,
				       struct compact_control *cc);
/* Direct compaction for an allocation of order under gfp that failed:
 * every zone gfp allows, highest first, until one has a free block of
 * order. Counts compact_stall and compact_success/compact_fail. true
 * if such a block exists now. */
bool try_to_compact_pages(gfp_t gfp, unsigned order);
/* Whether compaction of z for order can help at all: COMPACT_SKIPPED
 * when free memory is too low (or the fragmentation index says the
 * failure is for lack of memory), COMPACT_DEFERRED after recent failures,
 * else COMPACT_COMPLETE (go ahead). */
enum compact_result compaction_suitable(struct zone *z, unsigned order);

/* Linux's /proc/sys/vm/compact_memory: writing 1 compacts every zone
 * whole. -EINVAL for any other value, nothing done. */
int compact_memory(long v);
/* vm.compaction_proactiveness, 0..100 (default 20; 0: kcompactd does
 * not compact proactively). -EINVAL out of range, nothing changed. */
extern unsigned sysctl_compaction_proactiveness;
int set_compaction_proactiveness(long v);
/* vm.compact_unevictable_allowed, 0..1 (default 1, as Linux without
 * PREEMPT_RT): whether compaction may move mlocked pages. 0 keeps an
 * mlocked page in its frame against compaction (cma_alloc still moves
 * it: a device's buffer comes first). -EINVAL out of range. */
extern unsigned sysctl_compact_unevictable_allowed;
int set_compact_unevictable_allowed(long v);
/* vm.extfrag_threshold, 0..1000 (default 500): direct compaction is
 * skipped when the fragmentation index is at or below it (the failure is
 * for lack of memory: reclaim, not compaction, helps). -EINVAL out of range. */
extern unsigned sysctl_extfrag_threshold;
int set_extfrag_threshold(long v);

/* The fragmentation score proactive compaction stops at (low) and the
 * one that starts it (!low): 100 - proactiveness (at least 5), +10. */
unsigned compaction_score_wmark(bool low);

/* Compaction hooks in the page allocator (installed by compaction_init). */
void compaction_init(void);

#endif
