/*
 * GFP ("get free pages") flags: where an allocation may come from and how
 * hard the allocator may try, as in Linux.
 *
 * Zone modifiers pick the highest zone allowed; the zonelist then falls
 * back downwards (HIGHMEM -> NORMAL -> DMA32 -> DMA), never upwards:
 *   __GFP_HIGHMEM HIGHMEM, NORMAL, DMA32, DMA (the caller kmaps the page:
 *                 it may have no kernel address, include/mm/highmem.h)
 *   (none)        NORMAL, DMA32, DMA (GFP_KERNEL: never a highmem page)
 *   __GFP_DMA32   DMA32, DMA
 *   __GFP_DMA     DMA only
 *   both          invalid: the allocation fails with a warning
 * __GFP_DMA or __GFP_DMA32 with __GFP_HIGHMEM: the DMA modifier wins
 * (Linux rejects the pair; here GFP_HIGHUSER_MOVABLE | __GFP_DMA32 asks
 * for a movable page a 32-bit engine reaches, which callers use).
 * Mobility modifiers pick the free lists (anti-fragmentation):
 *   __GFP_MOVABLE -> MIGRATE_MOVABLE (may also borrow CMA pageblocks)
 *   __GFP_RECLAIMABLE -> MIGRATE_RECLAIMABLE, otherwise UNMOVABLE.
 */
#ifndef MM_GFP_H
#define MM_GFP_H

typedef unsigned int gfp_t;

#define __GFP_DMA 0x01u
#define __GFP_DMA32 0x02u
#define __GFP_HIGHMEM 0x04u
#define __GFP_MOVABLE 0x08u
#define __GFP_RECLAIMABLE 0x10u
#define __GFP_HIGH 0x20u            /* may dip into the reserve below min (atomic) */
#define __GFP_DIRECT_RECLAIM 0x40u  /* may reclaim/sleep in the caller's context */
#define __GFP_KSWAPD_RECLAIM 0x80u  /* may wake background reclaim */
#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x200u
#define __GFP_NORETRY 0x400u
#define __GFP_COMP 0x800u           /* compound: head page records the order */
#define __GFP_BITS 12

#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_USER (GFP_KERNEL)
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)

/* Format flags as "GFP_KERNEL|__GFP_ZERO" into buf (for failure reports). */
const char *gfp_describe(gfp_t gfp, char *buf, unsigned len);

#endif
