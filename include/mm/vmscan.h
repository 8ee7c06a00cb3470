/*
 * Reclaim (mm/vmscan.c): take memory back from user pages when the page
 * allocator runs short, Linux's split LRU on one node.
 *
 *   kswapd (kernel/kswapd.c) woken below a zone's low watermark, reclaims
 *          until every zone is above its high watermark (pgscan/pgsteal_kswapd)
 *   direct reclaim: an allocation that may reclaim and still fails
 *          reclaims in its own context (allocstall, pgscan/pgsteal_direct)
 *   madvise(MADV_COLD) deactivates, madvise(MADV_PAGEOUT) reclaims now
 *
 * Anonymous pages go to swap (mm/swap.c, zram); clean file pages are
 * dropped and read again from the app image on their next fault; mlocked
 * pages are never touched; slab shrinkers run as part of every pass.
 * vm_swappiness (0..200, Linux's meaning) balances anon against file.
 */
#ifndef MM_VMSCAN_H
#define MM_VMSCAN_H

#include <mm/gfp.h>
#include <mm/mm_types.h>
#include <types.h>

/* Linux's vm.swappiness: 0 = file pages only while there are any, 100 =
 * equal cost, 200 = anon only. Board default CONFIG_SWAPPINESS. */
extern unsigned vm_swappiness;
/* Set it with range check: 0 or -EINVAL. */
int set_swappiness(long v);

/* Boot: install the page allocator's reclaim hooks. */
void reclaim_init(void);

/* Reclaim at least nr pages if it can (kswapd = true: counted as kswapd's).
 * Returns the pages freed. Never called with a lock held; recursion is
 * prevented with PF_MEMALLOC. */
u64 shrink_memory(u64 nr, bool kswapd);
/* Whether some zone is below its high watermark (kswapd has work). */
bool reclaim_needed(void);
/* The same for an allocation of gfp: no zone it may use is at its high
 * watermark above the reserve it keeps from gfp (with highmem, GFP_KERNEL
 * needs lowmem even when HighMem is balanced). */
bool reclaim_needed_for(gfp_t gfp);
/* Whether kswapd has work for allocations whose highest zone is classzone
 * (Linux's pgdat_balanced: no zone up to it at its high watermark). */
bool kswapd_needed(int classzone);
/* One batch of kswapd's work for classzone: reclaim towards the high
 * watermark (at most 256 pages; lowmem pages only below ZONE_HIGHMEM).
 * Returns the pages freed (0: balanced, or nothing to take). */
u64 kswapd_balance(int classzone);

/* MADV_COLD: move the pages of [start, end) of vma to the inactive lists. */
void madvise_cold_range(struct vm_area_struct *vma, u64 start, u64 end);
/* MADV_PAGEOUT: reclaim the pages of [start, end) of vma now (anon to swap,
 * clean file pages dropped; pages others map too are left). Pages freed. */
u64 madvise_pageout_range(struct vm_area_struct *vma, u64 start, u64 end);

#endif
