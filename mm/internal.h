/* mm-internal helpers shared by page_alloc.c, mm_init.c and cma.c. */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <mm/mmzone.h>

#define MAX_ORDER_PAGES (1ULL << MAX_ORDER)

/* Hand a free block to the buddy lists, merging; no checks, no poisoning
 * (boot hand-over, pages coming back from cma_alloc's isolation). */
void free_pages_to_buddy(struct page *p, unsigned order);
/* Zone lock held: move the free blocks that start in [start, end) to mt's
 * lists and set those pageblocks' type. */
void move_free_blocks_locked(struct zone *z, u64 start_pfn, u64 end_pfn, int mt);
/* Zone lock held: take a free block off its list (accounting included). */
void del_free_block_locked(struct zone *z, struct page *p);
/* Zone lock held: list a free block on mt's lists, merging with free buddies. */
void free_block_locked(struct zone *z, struct page *p, unsigned order, int mt);

#endif
