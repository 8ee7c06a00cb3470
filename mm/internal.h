/* mm-internal helpers shared by page_alloc.c, pcp.c, mm_init.c and cma.c. */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <mm/mmzone.h>

#define MAX_ORDER_PAGES (1ULL << MAX_ORDER)

/* Hand a free block to the buddy lists, merging; no checks, no poisoning
 * (boot hand-over, pages coming back from cma_alloc's isolation). */
void free_pages_to_buddy(struct page *p, unsigned order);
/* Zone lock held: move the free blocks that start in [start, end) to mt's
 * lists and set those pageblocks' type. To MIGRATE_ISOLATE, the blocks of
 * those pageblocks on this CPU's per-CPU lists go back to the buddy first. */
void move_free_blocks_locked(struct zone *z, u64 start_pfn, u64 end_pfn, int mt);
/* Zone lock held: take a free block off its list (accounting included). */
void del_free_block_locked(struct zone *z, struct page *p);
/* Zone lock held: list a free block on mt's lists, merging with free buddies. */
void free_block_locked(struct zone *z, struct page *p, unsigned order, int mt);

/* ---- per-CPU lists (mm/pcp.c) ---------------------------------------------
 *
 * Orders 0..PAGE_ALLOC_COSTLY_ORDER, one list per order and migratetype
 * below MIGRATE_PCPTYPES. A block on a list has PG_pcp and its order in
 * ->order on its head; pcp.count counts pages. Counting convention: the
 * pages are free but not in zone->nr_free nor in free_area (buddyinfo);
 * nr_free_pages() and MemFree add pcp.count, zoneinfo shows it as the
 * pageset's count; the watermark checks use zone->nr_free alone (pages
 * parked on a list are not headroom). CMA pages only reach the movable
 * lists by a refill that may use CMA; a freed CMA or isolated page goes
 * straight to the buddy lists, and isolating a pageblock drains its pages
 * from the lists (move_free_blocks_locked), so an isolated page is never
 * handed out from a list.
 *
 * Locking: the lists and count belong to one CPU and are touched with
 * IRQs masked on it; refill and drain take zone->lock inside that
 * (order: IRQs masked -> zone->lock).
 */

/* Alloc flags (page_alloc.c's) a refill passes back to rmqueue_locked(). */
#define ALLOC_WMARK_MASK 3u /* index into zone->watermark */
#define ALLOC_HIGH 0x10u    /* __GFP_HIGH: half of min may be used */
#define ALLOC_CMA 0x20u     /* may take CMA pageblocks */
#define ALLOC_NO_WATERMARKS 0x40u /* a reclaiming task (PF_MEMALLOC): the reserves too */

/* Zone lock held: a block of order for mt under alloc flags (CMA, fallback), or NULL. */
struct page *rmqueue_locked(struct zone *z, unsigned order, int mt, unsigned alloc_flags);
/* Without stealing another migratetype's pageblocks (NULL instead): the
 * smallest free block of order lo or above on the lists rmqueue_locked
 * tries first, taken whole up to order hi (bigger ones split down to hi);
 * its order in *got (a per-CPU refill's fragments-first bulk take;
 * rmqueue_locked is it with lo = hi, then the fallback). */
struct page *rmqueue_bulk_locked(struct zone *z, unsigned lo, unsigned hi, int mt, unsigned alloc_flags,
				 unsigned *got);

static inline struct list_head *pcp_list(struct zone *z, unsigned order, int mt)
{
	return &z->pcp.lists[order * MIGRATE_PCPTYPES + (unsigned)mt];
}

/* Blocks of order one refill or drain step moves: PCP_BATCH pages' worth, at least one. */
static inline u64 pcp_batch_blocks(unsigned order) { return (PCP_BATCH >> order) ? (PCP_BATCH >> order) : 1; }

/* IRQs masked: fill list (order, mt) with up to a batch of blocks, never
 * more pages than headroom + 2^order - 1 (the pages the zone has above
 * the request's watermark, as watermark_ok() computes it: taking them all
 * leaves nr_free at the mark), nor past PCP_HIGH (draining the other
 * lists first if even one block would not fit). Returns the blocks added. */
u64 pcp_refill(struct zone *z, unsigned order, int mt, unsigned alloc_flags, u64 headroom);
/* IRQs masked: give at least pages pages (or all) back to the buddy
 * lists, coldest block first, round-robin over the lists. */
void pcp_drain(struct zone *z, u64 pages);
/* Zone lock held (IRQs masked): give back the listed blocks in pageblocks [start, end). */
void pcp_drain_range_locked(struct zone *z, u64 start_pfn, u64 end_pfn);

/* IRQs masked, list not empty: take its first (hottest) block. */
static inline struct page *pcp_pop(struct zone *z, struct list_head *l, unsigned order)
{
	struct page *p = list_first_entry(l, struct page, lru);
	struct list_head *next = p->lru.next;

	/* list_del() of the first entry, whose prev is l; the link is the new owner's */
	l->next = next;
	next->prev = l;
	p->flags &= ~(1u << PG_pcp);
	z->pcp.count -= 1u << order;
	return p;
}

/* IRQs masked: list a freed block (->order already order) first; drain a batch above PCP_HIGH. */
static inline void pcp_push(struct zone *z, struct page *p, unsigned order, int mt)
{
	p->flags |= 1u << PG_pcp;
	list_add(&p->lru, pcp_list(z, order, mt));
	z->pcp.count += 1u << order;
	if (unlikely(z->pcp.count > PCP_HIGH))
		pcp_drain(z, PCP_BATCH);
}

#endif
