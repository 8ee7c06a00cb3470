/*
 * The buddy page allocator.
 *
 *   alloc_pages(gfp, order)
 *     zone = highest zone gfp allows; for zone, zone-1, ..., DMA:
 *       below the low watermark (+ lowmem reserve)?  -> next zone
 *       order <= 3: pop the per-CPU list of (order, migratetype), refilled
 *                PCP_BATCH pages at a time (mm/pcp.c)
 *       else:    smallest free block of the migratetype, split down;
 *                movable may use CMA; else steal from another type
 *     nothing? slow path: wake reclaim, retry at the min watermark (atomic:
 *     half of min), direct compaction (order > 0) and direct reclaim if
 *     allowed, OOM hook, then a failure report unless __GFP_NOWARN.
 *   free_pages(page, order)
 *     order <= 3 -> per-CPU list (drained PCP_BATCH pages at a time above
 *     PCP_HIGH); else merge with free buddies up to MAX_ORDER and list the
 *     block. CMA and isolated pageblocks' pages always go to the buddy.
 *
 * A free block's head has PG_buddy, its order in page->order and the
 * migratetype of the list it sits on in page->private. Blocks on per-CPU
 * lists have PG_pcp and their order on the head (mm/internal.h). Buddies do not merge across a CMA/isolated pageblock
 * boundary with a pageblock of another type.
 *
 * Locking: zone->lock (see mmzone.h) around every free-list change; the
 * per-CPU lists with IRQs masked.
 */
#include <arch/mmu.h>
#include <arch/phys.h>
#include <mm/highmem.h>
#include <mm/memalloc.h>
#include <mm/memstall.h>
#include <mm/page_alloc.h>
#include <mm/page_debug.h>
#include <mm/shrinker.h>
#include "internal.h"
#include <stdio.h>
#include <string.h>

const char *const migratetype_names[MIGRATE_TYPES] = { "Unmovable", "Movable", "Reclaimable", "CMA", "Isolate" };

struct reclaim_hooks reclaim_hooks;
static unsigned boot_alloc_flags;
unsigned *current_alloc_flags = &boot_alloc_flags; /* include/mm/memalloc.h */
struct memstall_hooks memstall_hooks; /* include/mm/memstall.h: PSI, installed by kernel/psi.c */
struct page_alloc_debug page_alloc_debug;

/* ALLOC_* flags: mm/internal.h (a per-CPU refill passes them back) */

/* Where to steal from when a type's own lists are empty. */
static const u8 fallbacks[MIGRATE_PCPTYPES][2] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

/* gfp_zone() by the low three bits: DMA and DMA32 outrank HIGHMEM; both is invalid */
static const signed char gfp_zone_table[8] = {
	[0] = ZONE_NORMAL, [__GFP_DMA] = ZONE_DMA, [__GFP_DMA32] = ZONE_DMA32, [__GFP_DMA | __GFP_DMA32] = -1,
	[__GFP_HIGHMEM] = ZONE_HIGHMEM, [__GFP_HIGHMEM | __GFP_DMA] = ZONE_DMA,
	[__GFP_HIGHMEM | __GFP_DMA32] = ZONE_DMA32, [__GFP_HIGHMEM | __GFP_DMA | __GFP_DMA32] = -1,
};
_Static_assert((__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM) == 7, "gfp_zone_table indexes the low three bits");

static inline int gfp_zone_fast(gfp_t gfp) { return gfp_zone_table[gfp & 7]; }

int gfp_zone(gfp_t gfp) { return gfp_zone_fast(gfp); }

int gfp_migratetype(gfp_t gfp)
{
	if (gfp & __GFP_MOVABLE)
		return MIGRATE_MOVABLE;
	return gfp & __GFP_RECLAIMABLE ? MIGRATE_RECLAIMABLE : MIGRATE_UNMOVABLE;
}

int pageblock_migratetype(const struct zone *z, u64 pfn)
{
	return z->pageblock_type[(pfn >> PAGEBLOCK_ORDER) - (z->start_pfn >> PAGEBLOCK_ORDER)];
}

static void set_pageblock_migratetype(struct zone *z, u64 pfn, int mt)
{
	z->pageblock_type[(pfn >> PAGEBLOCK_ORDER) - (z->start_pfn >> PAGEBLOCK_ORDER)] = (u8)mt;
}

void *page_address(const struct page *p) { return phys_to_virt(page_to_phys(p)); }
struct page *virt_to_page(const void *va) { return pfn_to_page(phys_to_pfn(virt_to_phys(va))); }

/* ---- free lists (zone lock held) ---------------------------------------- */

static void add_to_free_list(struct zone *z, struct page *p, unsigned order, int mt)
{
	p->flags |= 1u << PG_buddy;
	p->order = (u8)order;
	p->private = (uintptr_t)mt;
	list_add(&p->lru, &z->free_area[order].free_list[mt]);
	z->free_area[order].nr_free++;
	if (mt != MIGRATE_ISOLATE)
		z->nr_free += 1ULL << order;
	if (mt == MIGRATE_CMA)
		z->nr_free_cma += 1ULL << order;
}

static void del_from_free_list(struct zone *z, struct page *p, unsigned order)
{
	int mt = (int)p->private;

	list_del(&p->lru);
	p->flags &= ~(1u << PG_buddy);
	z->free_area[order].nr_free--;
	if (mt != MIGRATE_ISOLATE)
		z->nr_free -= 1ULL << order;
	if (mt == MIGRATE_CMA)
		z->nr_free_cma -= 1ULL << order;
}

static bool is_buddy_of_order(const struct page *p, unsigned order)
{
	return PAGE_FLAG(p, PG_buddy) && p->order == order;
}

/* Merge a free block with its free buddies and list the result. */
static void free_one_block(struct zone *z, struct page *page, u64 pfn, unsigned order, int mt)
{
	while (order < MAX_ORDER) {
		u64 buddy_pfn = pfn ^ (1ULL << order);
		struct page *buddy = page + ((s64)buddy_pfn - (s64)pfn);

		if (buddy_pfn < z->start_pfn || buddy_pfn >= z->end_pfn || !is_buddy_of_order(buddy, order))
			break;
		if (order >= PAGEBLOCK_ORDER) {
			int bmt = pageblock_migratetype(z, buddy_pfn);

			if (bmt != mt && (bmt >= MIGRATE_CMA || mt >= MIGRATE_CMA))
				break;
		}
		del_from_free_list(z, buddy, order);
		if (buddy_pfn < pfn) {
			page = buddy;
			pfn = buddy_pfn;
		}
		order++;
	}
	add_to_free_list(z, page, order, mt);
}

/* Split a block of order high into its upper halves down to low; they go on mt's lists. */
static void expand(struct zone *z, struct page *page, unsigned low, unsigned high, int mt)
{
	while (high > low) {
		high--;
		add_to_free_list(z, page + (1ULL << high), high, mt);
	}
}

/* The smallest free block of mt of order lo or above, whole up to order hi
 * (a bigger one is split down to hi); its order in *got. */
static struct page *rmqueue_smallest_upto(struct zone *z, unsigned lo, unsigned hi, int mt, unsigned *got)
{
	for (unsigned o = lo; o < NR_ORDERS; o++) {
		struct list_head *l = &z->free_area[o].free_list[mt];
		struct page *p;

		if (list_empty(l))
			continue;
		p = list_first_entry(l, struct page, lru);
		del_from_free_list(z, p, o);
		*got = MIN(o, hi);
		expand(z, p, *got, o, mt);
		return p;
	}
	return NULL;
}

static inline struct page *rmqueue_smallest(struct zone *z, unsigned order, int mt)
{
	unsigned got;

	return rmqueue_smallest_upto(z, order, order, mt, &got);
}

void del_free_block_locked(struct zone *z, struct page *p) { del_from_free_list(z, p, p->order); }

void free_block_locked(struct zone *z, struct page *p, unsigned order, int mt)
{
	free_one_block(z, p, page_to_pfn(p), order, mt);
}

void move_free_blocks_locked(struct zone *z, u64 start_pfn, u64 end_pfn, int mt)
{
	start_pfn = MAX(ALIGN_DOWN(start_pfn, PAGEBLOCK_PAGES), z->start_pfn);
	end_pfn = MIN(end_pfn, z->end_pfn);
	if (mt == MIGRATE_ISOLATE) /* no list may hand out an isolated page */
		pcp_drain_range_locked(z, start_pfn, end_pfn);
	for (u64 p = start_pfn; p < end_pfn;) {
		struct page *pg = pfn_to_page(p);

		if (PAGE_FLAG(pg, PG_buddy)) {
			unsigned o = pg->order;

			del_from_free_list(z, pg, o);
			add_to_free_list(z, pg, o, mt);
			p += 1ULL << o;
		} else {
			p++;
		}
	}
	for (u64 pb = start_pfn; pb < end_pfn; pb += PAGEBLOCK_PAGES)
		set_pageblock_migratetype(z, pb, mt);
}

/*
 * No block of the wanted type: take the largest block of a fallback type
 * (largest first, to keep the mixing coarse). A block of at least half a
 * pageblock converts its whole pageblock(s) to the wanted type.
 */
static struct page *rmqueue_fallback(struct zone *z, unsigned order, int mt)
{
	for (int o = MAX_ORDER; o >= (int)order; o--) {
		for (unsigned i = 0; i < 2; i++) {
			int ft = fallbacks[mt][i];
			struct list_head *l = &z->free_area[o].free_list[ft];
			struct page *p;

			if (list_empty(l))
				continue;
			p = list_first_entry(l, struct page, lru);
			z->stats.fallback_steal++;
			if (o >= PAGEBLOCK_ORDER / 2 || mt == MIGRATE_RECLAIMABLE) {
				u64 pfn = ALIGN_DOWN(page_to_pfn(p), PAGEBLOCK_PAGES);

				/* the whole pageblock(s) of the block change type */
				move_free_blocks_locked(z, pfn, pfn + MAX(PAGEBLOCK_PAGES, 1ULL << o), mt);
				z->stats.pageblock_claim++;
				return rmqueue_smallest(z, order, mt);
			}
			return rmqueue_smallest(z, order, ft);
		}
	}
	return NULL;
}

struct page *rmqueue_bulk_locked(struct zone *z, unsigned lo, unsigned hi, int mt, unsigned flags, unsigned *got)
{
	struct page *p = NULL;

	/* movable allocations use CMA first when it holds over half the free memory */
	if ((flags & ALLOC_CMA) && z->nr_free_cma > z->nr_free / 2)
		p = rmqueue_smallest_upto(z, lo, hi, MIGRATE_CMA, got);
	if (!p)
		p = rmqueue_smallest_upto(z, lo, hi, mt, got);
	if (!p && (flags & ALLOC_CMA))
		p = rmqueue_smallest_upto(z, lo, hi, MIGRATE_CMA, got);
	return p;
}

struct page *rmqueue_locked(struct zone *z, unsigned order, int mt, unsigned flags)
{
	unsigned got;
	struct page *p = rmqueue_bulk_locked(z, order, order, mt, flags, &got);

	return p ? p : rmqueue_fallback(z, order, mt);
}

/* ---- per-CPU lists (refill and drain: mm/pcp.c) ------------------------ */

/* A block of order from the per-CPU list (order, mt), refilled if empty. */
static struct page *rmqueue_pcp(struct zone *z, unsigned order, int mt, unsigned flags, u64 headroom)
{
	unsigned long f = arch_irq_save();
	struct list_head *l = pcp_list(z, order, mt);
	struct page *p = NULL;
	bool refilled = list_empty(l);

	if (refilled)
		pcp_refill(z, order, mt, flags, headroom);
	if (!list_empty(l)) {
		p = pcp_pop(z, l, order);
		z->stats.alloc_success[order]++;
	}
	arch_irq_restore(f);
	if (refilled && reclaim_hooks.low_memory)
		reclaim_hooks.low_memory();
	return p;
}

/* ---- allocation ---------------------------------------------------------- */

/*
 * Whether z may serve an allocation of order under flags' watermark, with
 * the lower-zone reserve for classzone: zone->nr_free less the block stays
 * at or above the mark. *headroom: nr_free - 2^order + 1 - mark (a per-CPU
 * refill takes at most headroom + 2^order - 1 pages, see pcp_refill()).
 */
static inline bool watermark_free_ok(const struct zone *z, unsigned order, unsigned flags, int classzone,
				     u64 *headroom)
{
	s64 mark = flags & ALLOC_NO_WATERMARKS ? 0 : (s64)z->watermark[flags & ALLOC_WMARK_MASK];
	s64 free = (s64)z->nr_free - (1LL << order) + 1;

	if (!(flags & ALLOC_CMA))
		free -= (s64)z->nr_free_cma;
	if (flags & ALLOC_HIGH)
		mark -= mark / 2;
	if (!(flags & ALLOC_NO_WATERMARKS))
		mark += (s64)z->lowmem_reserve[classzone];
	if (free <= mark)
		return false;
	*headroom = (u64)(free - mark);
	return true;
}

/* watermark_free_ok(), and a buddy block of at least order exists. */
static bool watermark_ok(const struct zone *z, unsigned order, unsigned flags, int classzone, u64 *headroom)
{
	if (!watermark_free_ok(z, order, flags, classzone, headroom))
		return false;
	if (!order)
		return true;
	for (unsigned o = order; o < NR_ORDERS; o++) {
		const struct free_area *a = &z->free_area[o];

		for (int t = 0; t < MIGRATE_PCPTYPES; t++)
			if (!list_empty(&a->free_list[t]))
				return true;
		if ((flags & ALLOC_CMA) && !list_empty(&a->free_list[MIGRATE_CMA]))
			return true;
	}
	return false;
}

/* Orders with per-CPU lists; movable lists hold CMA pages: an allocation
 * kept out of CMA (PF_MEMALLOC_NOCMA) takes its block from the buddy lists. */
static inline bool pcp_may_serve(unsigned order, int mt, unsigned flags)
{
	return order <= PAGE_ALLOC_COSTLY_ORDER && mt < MIGRATE_PCPTYPES && (mt != MIGRATE_MOVABLE || (flags & ALLOC_CMA));
}

static struct page *get_page_from_zones(unsigned order, int classzone, int mt, unsigned flags)
{
	for (int i = classzone; i >= 0; i--) {
		struct zone *z = &zones[i];
		struct page *p;
		u64 headroom;

		bool pcp = pcp_may_serve(order, mt, flags);

		if (!zone_populated(z))
			continue;
		/* a listed block needs no buddy block; a refill finds one or not */
		if (pcp ? !watermark_free_ok(z, order, flags, classzone, &headroom)
			: !watermark_ok(z, order, flags, classzone, &headroom))
			continue;
		if (pcp) {
			p = rmqueue_pcp(z, order, mt, flags, headroom);
		} else {
			unsigned long f = spin_lock_irqsave(&z->lock);

			p = rmqueue_locked(z, order, mt, flags);
			if (p)
				z->stats.alloc_success[order]++;
			spin_unlock_irqrestore(&z->lock, f);
		}
		if (p)
			return p;
	}
	return NULL;
}

static bool page_poison_used; /* sticky: some free page may carry PG_poisoned */

/*
 * Orders 0..3, fast: the first populated zone (from classzone down) above
 * its low watermark serves from a non-empty per-CPU list. Anything else (a
 * zone below the mark, an empty list) is left to get_page_from_zones(),
 * which would have chosen the same zone.
 */
static inline struct page *alloc_pcp_fast(int classzone, unsigned order, int mt, unsigned flags)
{
	struct zone *z = &zones[classzone];
	struct list_head *l = NULL;
	struct page *p = NULL;
	unsigned long f;
	u64 headroom;

	while (!zone_populated(z))
		if (z-- == zones)
			return NULL;
	if (!watermark_free_ok(z, order, flags, classzone, &headroom))
		return NULL;
	l = pcp_list(z, order, mt);
	f = arch_irq_save();
	if (likely(!list_empty(l))) {
		p = pcp_pop(z, l, order);
		z->stats.alloc_success[order]++;
	}
	arch_irq_restore(f);
	return p;
}

/* Poison checks (hardening on) and __GFP_ZERO's clearing of a new block. */
static inline void prep_new_page_contents(struct page *p, unsigned order, gfp_t gfp)
{
	for (u64 i = 0; i < (1ULL << order); i++) {
		if (PAGE_FLAG(&p[i], PG_poisoned))
			check_page_poison(&p[i]);
		if (gfp & __GFP_ZERO)
			clear_highpage(&p[i]);
	}
}

static inline __attribute__((always_inline)) void prep_new_page(struct page *p, unsigned order, gfp_t gfp)
{
	if (unlikely(page_poison_used || (gfp & __GFP_ZERO)))
		prep_new_page_contents(p, order, gfp);
	p->refcount = 1;
	p->order = (u8)order;
	if ((gfp & __GFP_COMP) && order)
		p->flags |= 1u << PG_head;
}

static __attribute__((noinline)) struct page *prep_new_page_slow(struct page *p, unsigned order, gfp_t gfp)
{
	prep_new_page(p, order, gfp);
	return p;
}

static void wake_all_kswapd(int classzone, unsigned order)
{
	if (!reclaim_hooks.wake_kswapd)
		return;
	for (int i = classzone; i >= 0; i--)
		if (zone_populated(&zones[i]))
			reclaim_hooks.wake_kswapd(&zones[i], order);
}

/* Direct compaction (mm/compaction.c) for order > 0, then a retry. */
static struct page *direct_compact(gfp_t gfp, unsigned order, int classzone, int mt, unsigned flags)
{
	bool compacted;

	if (!order || !reclaim_hooks.compact)
		return NULL;
	psi_memstall_enter(); /* a stall, as Linux counts it */
	compacted = reclaim_hooks.compact(gfp, order);
	psi_memstall_leave();
	return compacted ? get_page_from_zones(order, classzone, mt, flags) : NULL;
}

/*
 * Direct reclaim's limits (Linux's should_reclaim_retry, simplified): it
 * goes on while each pass brings a zone the allocation may use nearer its
 * mark; RECLAIM_MAX_STALLS passes in a row that free pages but bring none
 * nearer (freed where it cannot use them, or taken by others) are no
 * progress, nor is a pass that frees nothing: the OOM killer then (at most
 * 4 times). RECLAIM_MAX_ATTEMPTS bounds it all. __GFP_NORETRY (kvmalloc,
 * memtest, CMA migration: callers with a fallback) keeps the old rule: up
 * to RECLAIM_NORETRY_PASSES passes while they free pages, never the OOM
 * killer.
 */
#define RECLAIM_MAX_STALLS 16
#define RECLAIM_MAX_ATTEMPTS 1024
#define RECLAIM_NORETRY_PASSES 4

/* How near the zones classzone may use are to serving it under flags: the
 * sum of each one's free pages above its mark plus the reserve it keeps
 * from classzone, counted up to the one page that passes (so a zone at its
 * mark does not hide another one coming nearer to its own). */
static s64 zones_margin(int classzone, unsigned flags)
{
	s64 sum = 0;

	for (int i = classzone; i >= 0; i--) {
		const struct zone *z = &zones[i];
		s64 free = (s64)z->nr_free, mark = (s64)z->watermark[flags & ALLOC_WMARK_MASK];

		if (!zone_populated(z))
			continue;
		if (!(flags & ALLOC_CMA))
			free -= (s64)z->nr_free_cma;
		if (flags & ALLOC_HIGH)
			mark -= mark / 2;
		sum += MIN(free - mark - (s64)z->lowmem_reserve[classzone], 1);
	}
	return sum;
}

static struct page *alloc_slowpath(gfp_t gfp, unsigned order, int classzone, int mt, unsigned flags)
{
	struct page *p;

	if (gfp & __GFP_KSWAPD_RECLAIM)
		wake_all_kswapd(classzone, order);
	flags = (flags & ~ALLOC_WMARK_MASK) | WMARK_MIN;
	if (gfp & __GFP_HIGH)
		flags |= ALLOC_HIGH;
	if ((p = get_page_from_zones(order, classzone, mt, flags)))
		return p;
	/* the per-CPU lists may hold what a higher order needs */
	drain_pcp_pages();
	if ((p = get_page_from_zones(order, classzone, mt, flags)))
		return p;
	/* a reclaiming task (PF_MEMALLOC) never reclaims again, shrinkers
	 * included (no recursion); it may take the reserves instead, to finish
	 * the reclaim that frees more */
	if (current_in_memalloc())
		return get_page_from_zones(order, classzone, mt, flags | ALLOC_NO_WATERMARKS);
	/* caches that can give memory back (empty slabs, ...) */
	if (run_shrinkers(gfp, order) && (p = get_page_from_zones(order, classzone, mt, flags)))
		return p;
	if (!(gfp & __GFP_DIRECT_RECLAIM))
		return NULL;
	/* the free memory may be there in pieces: compact before reclaiming */
	if ((p = direct_compact(gfp, order, classzone, mt, flags)))
		return p;
	for (unsigned attempt = 0, stalls = 0, ooms = 0; attempt < RECLAIM_MAX_ATTEMPTS && ooms < 4; attempt++) {
		s64 before = zones_margin(classzone, flags);
		u64 freed = reclaim_hooks.direct_reclaim ? reclaim_hooks.direct_reclaim(gfp, order) : 0;
		bool retry;

		if ((p = get_page_from_zones(order, classzone, mt, flags)))
			return p;
		if (freed && (p = direct_compact(gfp, order, classzone, mt, flags))) /* reclaim made room to compact */
			return p;
		if (gfp & __GFP_NORETRY) { /* a few passes, then fail: the caller has a fallback */
			if (freed && attempt + 1 < RECLAIM_NORETRY_PASSES)
				continue;
			break;
		}
		/* progress is a zone it may use coming nearer its mark: pages
		 * freed in a lowmem zone behind the reserve it keeps from this
		 * allocation count too, as enough of them lift it over */
		if (freed && zones_margin(classzone, flags) > before) {
			stalls = 0;
			continue;
		}
		if (freed && ++stalls < RECLAIM_MAX_STALLS)
			continue;
		stalls = 0;
		if (!reclaim_hooks.out_of_memory)
			break;
		/* the lists may have refilled meanwhile: give them back before killing */
		drain_pcp_pages();
		if ((p = get_page_from_zones(order, classzone, mt, flags)))
			return p;
		ooms++;
		psi_memstall_enter(); /* the OOM kill is a memory stall too */
		retry = reclaim_hooks.out_of_memory(gfp, order);
		psi_memstall_leave();
		if (!retry)
			break;
	}
	return NULL;
}

/* Everything but a hit on a per-CPU list: the zones' lists, the slow path, the failure. */
static __attribute__((noinline)) struct page *alloc_pages_slow(gfp_t gfp, unsigned order)
{
	int classzone = gfp_zone_fast(gfp), mt = gfp_migratetype(gfp);
	unsigned flags = WMARK_LOW | (mt == MIGRATE_MOVABLE ? ALLOC_CMA : 0);
	struct page *p;

	if (unlikely(*current_alloc_flags & PF_MEMALLOC_NOCMA)) /* cma_alloc's migration targets (mm/cma.c) */
		flags &= ~ALLOC_CMA;

	if (classzone < 0 || order > MAX_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			warn_alloc(gfp, order, classzone < 0 ? "invalid GFP zone combination" : "order too large");
		return NULL;
	}
	p = get_page_from_zones(order, classzone, mt, flags);
	if (!p)
		p = alloc_slowpath(gfp, order, classzone, mt, flags);
	if (!p) {
		unsigned long f = arch_irq_save();

		zones[classzone].stats.alloc_fail++;
		arch_irq_restore(f);
		if (!(gfp & __GFP_NOWARN))
			warn_alloc(gfp, order, NULL);
		return NULL;
	}
	prep_new_page(p, order, gfp);
	return p;
}

struct page *alloc_pages(gfp_t gfp, unsigned order)
{
	int classzone = gfp_zone_fast(gfp), mt = gfp_migratetype(gfp);
	unsigned flags = WMARK_LOW;
	struct page *p;

	if (unlikely(order > PAGE_ALLOC_COSTLY_ORDER || classzone < 0))
		return alloc_pages_slow(gfp, order);
	if (mt == MIGRATE_MOVABLE) {
		if (unlikely(*current_alloc_flags & PF_MEMALLOC_NOCMA)) /* cma_alloc's migration targets (mm/cma.c) */
			return alloc_pages_slow(gfp, order);
		flags |= ALLOC_CMA;
	}
	p = alloc_pcp_fast(classzone, order, mt, flags);
	if (unlikely(!p))
		return alloc_pages_slow(gfp, order);
	if (unlikely(page_poison_used || (gfp & __GFP_ZERO)))
		return prep_new_page_slow(p, order, gfp); /* a tail call: no frame to save */
	p->refcount = 1; /* prep_new_page() less the contents; a listed head has its order */
	if ((gfp & __GFP_COMP) && order)
		p->flags |= 1u << PG_head;
	return p;
}

/* ---- freeing ------------------------------------------------------------- */

/* A bad free's report: which of free_pages_prepare()'s checks failed. */
static __attribute__((noinline, cold)) void bad_free(struct page *p, unsigned order)
{
	if (p->refcount != 1)
		bad_page(p, "refcount is not 1 when freed (double free?)");
	else if (p->flags & ((1u << PG_buddy) | (1u << PG_pcp) | (1u << PG_reserved)))
		bad_page(p, "freeing a free or reserved page");
	else if (p->order != order)
		bad_page(p, "freed with a different order than it was allocated with");
}

/* Hardening switched on: poison or zero the freed block. */
static __attribute__((noinline)) void free_pages_debug(struct page *p, unsigned order)
{
	if (page_alloc_debug.poison)
		page_poison_used = true;
	for (u64 i = 0; i < (1ULL << order); i++) {
		if (page_alloc_debug.poison)
			poison_page(&p[i]);
		else
			clear_highpage(&p[i]);
	}
}

static inline bool free_pages_prepare(struct page *p, unsigned order)
{
	if (unlikely(p->refcount != 1 || (p->flags & ((1u << PG_buddy) | (1u << PG_pcp) | (1u << PG_reserved))) ||
		     p->order != order)) {
		bad_free(p, order);
		return false;
	}
	p->refcount = 0;
	p->flags &= ~((1u << PG_head) | (1u << PG_cma_alloc));
	if (unlikely(page_alloc_debug_on()))
		free_pages_debug(p, order);
	return true;
}

/* Everything but a clean free to a per-CPU list: hardening on, a large
 * order, a CMA or isolated pageblock (checks already passed). */
static __attribute__((noinline)) void free_pages_slow(struct page *p, unsigned order)
{
	struct zone *z = page_zone(p);
	u64 pfn = page_to_pfn(p);
	int mt = pageblock_migratetype(z, pfn);
	unsigned long f;

	free_pages_prepare(p, order);
	/* CMA and isolated pages go straight back to the buddy lists: CmaFree
	 * stays exact and cma_alloc finds them without a drain */
	if (order <= PAGE_ALLOC_COSTLY_ORDER && mt < MIGRATE_PCPTYPES) {
		f = arch_irq_save();
		pcp_push(z, p, order, mt);
		arch_irq_restore(f);
		return;
	}
	f = spin_lock_irqsave(&z->lock);
	free_one_block(z, p, pfn, order, mt);
	spin_unlock_irqrestore(&z->lock, f);
}

/* IRQs masked by f's save: drain a batch from z's lists, then restore f. */
static __attribute__((noinline)) void pcp_drain_irqrestore(struct zone *z, unsigned long f)
{
	pcp_drain(z, PCP_BATCH);
	arch_irq_restore(f);
}

/*
 * The fast path is free_pages_prepare() and pcp_push() written out so that
 * the flags word is stored once and every call is a tail call (no stack
 * frame): hardening, large orders and CMA/isolated pageblocks go to
 * free_pages_slow().
 */
void free_pages(struct page *p, unsigned order)
{
	struct per_cpu_pages *pcp;
	struct list_head *l;
	struct zone *z;
	unsigned long f;
	u32 flags, count;
	int mt;

	if (unlikely(!p))
		return;
	flags = p->flags;
	if (unlikely(p->refcount != 1 || (flags & ((1u << PG_buddy) | (1u << PG_pcp) | (1u << PG_reserved))) ||
		     p->order != order))
		return bad_free(p, order);
	if (unlikely(order > PAGE_ALLOC_COSTLY_ORDER || page_alloc_debug_on()))
		return free_pages_slow(p, order);
	z = page_zone(p);
	/* z as a plain register from here: the list's address is an add from
	 * it, not the zone index multiplied out again */
	__asm__("" : "+r"(z));
	mt = pageblock_migratetype(z, page_to_pfn(p));
	if (unlikely(mt >= MIGRATE_PCPTYPES))
		return free_pages_slow(p, order);
	pcp = &z->pcp;
	l = &pcp->lists[order * MIGRATE_PCPTYPES + (unsigned)mt];
	p->refcount = 0;
	p->flags = (flags & ~((1u << PG_head) | (1u << PG_cma_alloc))) | (1u << PG_pcp);
	f = arch_irq_save();
	list_add(&p->lru, l);
	count = pcp->count + (1u << order);
	pcp->count = count;
	if (unlikely(count > PCP_HIGH))
		return pcp_drain_irqrestore(z, f);
	arch_irq_restore(f);
}

void free_pages_to_buddy(struct page *p, unsigned order)
{
	struct zone *z = page_zone(p);
	u64 pfn = page_to_pfn(p);
	unsigned long f = spin_lock_irqsave(&z->lock);

	free_one_block(z, p, pfn, order, pageblock_migratetype(z, pfn));
	spin_unlock_irqrestore(&z->lock, f);
}

void *get_free_pages(gfp_t gfp, unsigned order)
{
	struct page *p = alloc_pages(gfp & ~__GFP_HIGHMEM, order); /* it returns an address */

	return p ? page_address(p) : NULL;
}

void put_free_pages(void *addr, unsigned order)
{
	if (addr)
		free_pages(virt_to_page(addr), order);
}

u64 nr_free_pages(void)
{
	u64 n = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		n += zones[i].nr_free + zones[i].pcp.count;
	return n;
}

u64 nr_free_cma_pages(void)
{
	u64 n = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		n += zones[i].nr_free_cma;
	return n;
}

u64 nr_managed_pages(void)
{
	u64 n = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		n += zones[i].managed_pages;
	return n;
}
