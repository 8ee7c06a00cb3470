/*
 * kswapd0 (kernel/kswapd.c): the kernel thread of background reclaim. The
 * page allocator wakes it (reclaim_hooks.wake_kswapd) when an allocation
 * finds a zone below its low watermark; it reclaims (mm/vmscan.c,
 * kswapd_balance) until some zone the wakers could use (up to the highest
 * zone of their allocations, as Linux's kswapd_highest_zoneidx) is at its
 * high watermark again, yielding to the apps between batches, then sleeps.
 */
#ifndef KERNEL_KSWAPD_H
#define KERNEL_KSWAPD_H

#include <types.h>

/* Start kswapd0 and install the wake-up hook. 0 or -ENOMEM. */
int kswapd_init(void);
/* Times kswapd0 was woken and found work (tests, reports). */
extern u64 kswapd_runs;

#endif
