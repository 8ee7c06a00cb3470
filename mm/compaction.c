/*
 * Compaction (contract in include/mm/compaction.h): two scanners over a
 * zone, one pageblock at a time.
 *
 *   start_pfn                                                    end_pfn
 *   [ pb ][ pb ][ pb ][ pb ][ pb ][ pb ][ pb ][ pb ][ pb ][ pb ][ pb ]
 *    migrate scanner -->                              <-- free scanner
 *    isolates movable user pages                  isolates free pages of
 *    (on an LRU list, not pinned),                MOVABLE and CMA blocks,
 *    COMPACT_CLUSTER_MAX at a time,               split to order 0: the
 *    and migrates them (mm/migrate.c)             migrated pages' new frames
 *
 * They stop when they meet (the free scanner never takes a pageblock at or
 * below the migrate scanner's), when the goal is reached (direct: a free
 * block of the wanted order; proactive: the zone's fragmentation score at
 * the target) or when the free scanner would take the zone below its min
 * watermark. Old frames are freed to the per-CPU lists by migration;
 * each pageblock ends with a drain so that they merge in the buddy lists.
 * Free pages isolated and not used go back (and merge) at the end.
 *
 * Direct compaction looks at each order-aligned chunk before it moves
 * anything: a chunk holding a page that can never move (kernel, slab,
 * pinned) cannot become a free block of that order, so it is skipped
 * (Linux's skip_on_failure). Manual and proactive runs move everything
 * movable.
 *
 * Free blocks of a pageblock or larger are never taken as targets
 * (they are what compaction builds) and the free scanner only takes
 * MOVABLE and CMA pageblocks, so movable pages do not spread into
 * unmovable ones. ISOLATE pageblocks (a cma_alloc in progress) are left
 * alone by both scanners.
 *
 * Deferral (Linux's): a direct compaction that scans the whole zone and
 * fails skips the next 1, 2, 4 .. 64 attempts at that order or above; a
 * success resets it.
 *
 * Locking: the zone lock around the free scanner's list changes and the
 * release; migration runs with no lock held (mm/migrate.c). One CPU, no
 * preemption: nothing else allocates from the pageblocks being scanned
 * meanwhile; with SMP, isolated pageblocks or Linux's per-block skip bits
 * would be needed (the scanners would race with allocations).
 */
#include <errno.h>
#include <mm/compaction.h>
#include <mm/migrate.h>
#include <mm/page_alloc.h>
#include <mm/page_debug.h>
#include <mm/vmstat.h>

#include "internal.h"

#define COMPACT_CLUSTER_MAX 32u
#define COMPACT_MAX_DEFER_SHIFT 6u
#define PAGE_ALLOC_COSTLY_ORDER 3

unsigned sysctl_compaction_proactiveness = 20;
unsigned sysctl_compact_unevictable_allowed = 1;
unsigned sysctl_extfrag_threshold = 500;

/* ---- deferral ------------------------------------------------------------ */

static bool compaction_deferred(struct zone *z, unsigned order)
{
	if ((int)order < z->compact_order_failed)
		return false;
	if (++z->compact_considered >= (1u << z->compact_defer_shift))
		return false;
	return true;
}

static void defer_compaction(struct zone *z, unsigned order)
{
	z->compact_considered = 0;
	if (z->compact_defer_shift < COMPACT_MAX_DEFER_SHIFT)
		z->compact_defer_shift++;
	if ((int)order < z->compact_order_failed)
		z->compact_order_failed = (int)order;
}

static void compaction_defer_reset(struct zone *z, unsigned order)
{
	z->compact_considered = 0;
	z->compact_defer_shift = 0;
	if ((int)order >= z->compact_order_failed)
		z->compact_order_failed = (int)order + 1;
}

/* ---- goals --------------------------------------------------------------- */

/* A free block of order or larger on a list cc's allocation may use. */
static bool order_free(struct zone *z, unsigned order, int migratetype)
{
	unsigned long f = spin_lock_irqsave(&z->lock);
	bool found = false;

	for (unsigned o = order; o < NR_ORDERS && !found; o++) {
		const struct free_area *a = &z->free_area[o];

		for (int t = 0; t < MIGRATE_PCPTYPES && !found; t++)
			found = !list_empty(&a->free_list[t]);
		if (migratetype == MIGRATE_MOVABLE && !list_empty(&a->free_list[MIGRATE_CMA]))
			found = true;
	}
	spin_unlock_irqrestore(&z->lock, f);
	return found;
}

/* The score proactive compaction stops at, and the one that starts it
 * (Linux's: 100 - proactiveness, at least 5; the start 10 above). */
static unsigned score_wmark(bool low)
{
	unsigned wmark_low = 100 - sysctl_compaction_proactiveness;

	wmark_low = wmark_low < 5 ? 5 : wmark_low;
	return low ? wmark_low : MIN(wmark_low + 10, 100u);
}

static bool compact_finished(struct compact_control *cc)
{
	if (cc->mode == COMPACT_PROACTIVE)
		return fragmentation_score_zone(cc->zone) <= score_wmark(true);
	return cc->order >= 0 && order_free(cc->zone, (unsigned)cc->order, cc->migratetype);
}

enum compact_result compaction_suitable(struct zone *z, unsigned order)
{
	int fragindex;

	if (order_free(z, order, MIGRATE_MOVABLE) && z->nr_free > z->watermark[WMARK_LOW] + (1ULL << order))
		return COMPACT_SUCCESS;
	/* room to move pages into: twice the block above the min watermark (Linux's compact_gap) */
	if (z->nr_free < z->watermark[WMARK_MIN] + (2ULL << order))
		return COMPACT_SKIPPED;
	fragindex = fragmentation_index(z, order);
	if (order > PAGE_ALLOC_COSTLY_ORDER && fragindex >= 0 && fragindex <= (int)sysctl_extfrag_threshold)
		return COMPACT_SKIPPED; /* the failure is for lack of memory: reclaim helps, not compaction */
	return COMPACT_COMPLETE;
}

/* ---- free scanner -------------------------------------------------------- */

static bool free_target_block(struct zone *z, u64 pb)
{
	int mt = pageblock_migratetype(z, pb);

	return mt == MIGRATE_MOVABLE || mt == MIGRATE_CMA;
}

/* Pages to step over at an allocated page: a block allocated whole (its
 * head keeps its order, 2^order-aligned) at once, else one. */
static u64 allocated_span(const struct page *p)
{
	return p->refcount && p->order ? 1ULL << p->order : 1;
}

/* Zone lock held: split free block p into order-0 pages on cc's list. */
static void take_free_block_locked(struct compact_control *cc, struct page *p)
{
	u64 n = 1ULL << p->order;

	del_free_block_locked(cc->zone, p);
	for (u64 i = 0; i < n; i++) {
		p[i].refcount = 1;
		p[i].order = 0;
		if (PAGE_FLAG(&p[i], PG_poisoned))
			check_page_poison(&p[i]);
		list_add_tail(&p[i].lru, &cc->freepages);
	}
	cc->nr_freepages += n;
	cc->nr_isolated_free += n;
}

/* Zone lock held: isolate the free pages of [start, end). false when the
 * zone is at its min watermark (stop compacting: no room). */
static bool isolate_free_block_locked(struct compact_control *cc, u64 start, u64 end)
{
	struct zone *z = cc->zone;

	for (u64 pfn = start; pfn < end;) {
		struct page *p = pfn_to_page(pfn);

		cc->nr_free_scanned++;
		if (!PAGE_FLAG(p, PG_buddy) || (int)p->private == MIGRATE_ISOLATE) {
			pfn += allocated_span(p);
			continue;
		}
		if (p->order >= PAGEBLOCK_ORDER) /* what compaction builds: leave it */
			return true;
		if (z->nr_free < z->watermark[WMARK_MIN] + (1ULL << p->order))
			return false;
		pfn += 1ULL << p->order;
		take_free_block_locked(cc, p);
	}
	return true;
}

/* Take free pages from the pageblocks below cc->free_pfn, highest first,
 * until some are isolated or the next block is the migrate scanner's. */
static void isolate_freepages(struct compact_control *cc)
{
	struct zone *z = cc->zone;
	u64 mblock = ALIGN_DOWN(cc->migrate_pfn, PAGEBLOCK_PAGES);

	while (list_empty(&cc->freepages) && cc->free_pfn > z->start_pfn) {
		u64 pb = ALIGN_DOWN(cc->free_pfn - 1, PAGEBLOCK_PAGES);
		u64 start = MAX(pb, z->start_pfn);
		unsigned long f;
		bool room;

		if (pb <= mblock)
			return; /* the scanners met */
		if (!free_target_block(z, pb)) {
			cc->free_pfn = pb;
			continue;
		}
		f = spin_lock_irqsave(&z->lock);
		room = isolate_free_block_locked(cc, start, cc->free_pfn);
		spin_unlock_irqrestore(&z->lock, f);
		if (!room)
			return; /* this block stays the free scanner's next */
		cc->free_pfn = pb;
	}
}

/* migrate_pages' new_page_t: the next isolated free page. */
static struct page *compaction_alloc(struct page *old, unsigned long private)
{
	struct compact_control *cc = (struct compact_control *)private;
	struct page *p;

	(void)old;
	if (list_empty(&cc->freepages))
		isolate_freepages(cc);
	if (list_empty(&cc->freepages)) {
		cc->no_target = true;
		return NULL;
	}
	p = list_first_entry(&cc->freepages, struct page, lru);
	list_del(&p->lru);
	cc->nr_freepages--;
	return p;
}

/* Give back the free pages not used (they merge again). */
static void release_freepages(struct compact_control *cc)
{
	struct zone *z = cc->zone;
	unsigned long f = spin_lock_irqsave(&z->lock);
	struct page *p, *n;

	list_for_each_entry_safe(p, n, &cc->freepages, lru) {
		list_del(&p->lru);
		p->refcount = 0;
		free_block_locked(z, p, 0, pageblock_migratetype(z, page_to_pfn(p)));
	}
	cc->nr_freepages = 0;
	spin_unlock_irqrestore(&z->lock, f);
}

/* ---- migrate scanner ----------------------------------------------------- */

/* A page the migrate scanner may take: movable, on an LRU list, not pinned;
 * an mlocked page only while vm.compact_unevictable_allowed is 1. */
static bool movable_page(const struct page *p)
{
	if (!sysctl_compact_unevictable_allowed && PAGE_FLAG(p, PG_mlocked))
		return false;
	return PAGE_FLAG(p, PG_lru) && !migrate_pin_reason(p, 0);
}

/* Whether every page of [start, end) is free or movable (direct mode: a
 * chunk with one page that cannot move cannot become a free block). */
static bool chunk_can_empty(u64 start, u64 end)
{
	for (u64 pfn = start; pfn < end;) {
		struct page *p = pfn_to_page(pfn);

		if (PAGE_FLAG(p, PG_buddy)) {
			pfn += 1ULL << p->order;
			continue;
		}
		if (!movable_page(p))
			return false;
		pfn++;
	}
	return true;
}

/* Migrate the isolated pages on list; false when the free scanner ran dry. */
static bool migrate_list(struct compact_control *cc, struct list_head *list, unsigned *n)
{
	unsigned failed;

	cc->nr_migrated += migrate_pages(list, compaction_alloc, (unsigned long)cc, MR_COMPACTION, &failed);
	cc->nr_failed += failed;
	count_vm_events(COMPACTISOLATED, *n);
	*n = 0;
	return !cc->no_target;
}

/* Migrate the movable pages of [start, end) to free pages from the top,
 * COMPACT_CLUSTER_MAX at a time. false when the free scanner ran dry. */
static bool migrate_range(struct compact_control *cc, u64 start, u64 end)
{
	struct list_head list = LIST_HEAD_INIT(list);
	const char *why;
	unsigned n = 0;

	for (u64 pfn = start; pfn < end;) {
		struct page *p = pfn_to_page(pfn);

		if (PAGE_FLAG(p, PG_buddy)) {
			pfn += 1ULL << p->order;
			continue;
		}
		cc->nr_migrate_scanned++;
		pfn += allocated_span(p);
		if (movable_page(p) && !migrate_isolate(p, &why)) {
			list_add_tail(&p->lru, &list);
			n++;
		}
		if (n == COMPACT_CLUSTER_MAX && !migrate_list(cc, &list, &n))
			return false;
	}
	return !n || migrate_list(cc, &list, &n);
}

/* Direct mode: the order-aligned chunks of [start, end) that can become
 * free blocks, one by one. */
static bool migrate_chunks(struct compact_control *cc, u64 start, u64 end)
{
	u64 chunk = 1ULL << cc->order;

	for (u64 c = start; c < end;) {
		u64 ce = MIN(ALIGN_DOWN(c, chunk) + chunk, end);

		if (!chunk_can_empty(c, ce))
			cc->nr_migrate_scanned += ce - c;
		else if (!migrate_range(cc, c, ce))
			return false;
		c = ce;
	}
	return true;
}

/* One pageblock of the migrate scanner, [cc->migrate_pfn, next block). */
static bool scan_migrate_block(struct compact_control *cc)
{
	struct zone *z = cc->zone;
	u64 start = cc->migrate_pfn, end = MIN(ALIGN_DOWN(start, PAGEBLOCK_PAGES) + PAGEBLOCK_PAGES, z->end_pfn);
	bool more = true;

	if (pageblock_migratetype(z, start) == MIGRATE_ISOLATE)
		more = true; /* a cma_alloc in progress owns it */
	else if (cc->mode == COMPACT_DIRECT && cc->order > 0)
		more = migrate_chunks(cc, start, end);
	else
		more = migrate_range(cc, start, end);
	cc->migrate_pfn = end;
	drain_pcp_pages(); /* the old frames, freed to the per-CPU lists, merge now */
	return more;
}

/* ---- a run --------------------------------------------------------------- */

enum compact_result compact_zone_order(struct zone *z, int order, enum compact_mode mode, int migratetype,
				       struct compact_control *out)
{
	struct compact_control cc = {
		.zone = z, .order = order, .mode = mode, .migratetype = migratetype,
		.migrate_pfn = z->start_pfn, .free_pfn = z->end_pfn,
	};
	enum compact_result r = COMPACT_COMPLETE;

	INIT_LIST_HEAD(&cc.freepages);
	if (zone_populated(z)) {
		drain_pcp_pages();
		while (cc.migrate_pfn < cc.free_pfn) {
			if (compact_finished(&cc)) {
				r = COMPACT_SUCCESS;
				break;
			}
			if (!scan_migrate_block(&cc))
				break;
		}
		release_freepages(&cc);
		if (r != COMPACT_SUCCESS && compact_finished(&cc))
			r = COMPACT_SUCCESS;
	}
	if (mode == COMPACT_PROACTIVE) {
		count_vm_events(KCOMPACTD_MIGRATE_SCANNED, cc.nr_migrate_scanned);
		count_vm_events(KCOMPACTD_FREE_SCANNED, cc.nr_free_scanned);
	} else {
		count_vm_events(COMPACTMIGRATE_SCANNED, cc.nr_migrate_scanned);
		count_vm_events(COMPACTFREE_SCANNED, cc.nr_free_scanned);
	}
	count_vm_events(COMPACTISOLATED, cc.nr_isolated_free);
	if (out) {
		*out = cc;
		INIT_LIST_HEAD(&out->freepages); /* empty, and not pointing into this frame */
	}
	return r;
}

bool try_to_compact_pages(gfp_t gfp, unsigned order)
{
	int classzone = gfp_zone(gfp), mt = gfp_migratetype(gfp);

	if (!order || classzone < 0)
		return false;
	count_vm_event(COMPACTSTALL);
	for (int i = classzone; i >= 0; i--) {
		struct zone *z = &zones[i];
		enum compact_result r;

		if (!zone_populated(z) || compaction_deferred(z, order))
			continue;
		r = compaction_suitable(z, order);
		if (r == COMPACT_COMPLETE)
			r = compact_zone_order(z, (int)order, COMPACT_DIRECT, mt, NULL);
		if (r == COMPACT_SUCCESS) {
			compaction_defer_reset(z, order);
			count_vm_event(COMPACTSUCCESS);
			return true;
		}
		if (r == COMPACT_COMPLETE)
			defer_compaction(z, order);
	}
	count_vm_event(COMPACTFAIL);
	return false;
}

/* ---- knobs --------------------------------------------------------------- */

int compact_memory(long v)
{
	if (v != 1)
		return -EINVAL;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (zone_populated(&zones[i]))
			compact_zone_order(&zones[i], -1, COMPACT_MANUAL, MIGRATE_MOVABLE, NULL);
	return 0;
}

int set_compaction_proactiveness(long v)
{
	if (v < 0 || v > 100)
		return -EINVAL;
	sysctl_compaction_proactiveness = (unsigned)v;
	return 0;
}

int set_compact_unevictable_allowed(long v)
{
	if (v < 0 || v > 1)
		return -EINVAL;
	sysctl_compact_unevictable_allowed = (unsigned)v;
	return 0;
}

int set_extfrag_threshold(long v)
{
	if (v < 0 || v > 1000)
		return -EINVAL;
	sysctl_extfrag_threshold = (unsigned)v;
	return 0;
}

unsigned compaction_score_wmark(bool low) { return score_wmark(low); }

void compaction_init(void)
{
	reclaim_hooks.compact = try_to_compact_pages;
}
