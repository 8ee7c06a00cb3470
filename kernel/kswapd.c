/*
 * kswapd0: background reclaim (include/kernel/kswapd.h).
 *
 * The wake-up may come from any allocation, in an interrupt handler too:
 * it only sets a flag and wakes the wait queue. kswapd runs with
 * PF_MEMALLOC for its whole life (as Linux's does), so its own
 * allocations never enter direct reclaim and may use the reserves. It is
 * a cooperative kernel thread: between batches it yields, so apps keep
 * running while it works; an allocation that cannot wait for it reclaims
 * directly.
 */
#include <errno.h>
#include <kernel/kswapd.h>
#include <kernel/kthread.h>
#include <kernel/lmk.h>
#include <kernel/wait.h>
#include <mm/memalloc.h>
#include <mm/page_alloc.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>

static struct wait_queue_head kswapd_wait = WAIT_QUEUE_HEAD_INIT(kswapd_wait);
static volatile bool kswapd_woken;
u64 kswapd_runs;

static void wake_kswapd(struct zone *z, unsigned order)
{
	(void)z;
	(void)order;
	lmk_wake(); /* it looks whether an app should die before reclaim has to swap it */
	if (kswapd_woken)
		return;
	kswapd_woken = true;
	wake_up(&kswapd_wait);
}

static int kswapd(void *arg)
{
	(void)arg;
	memalloc_save();
	while (!kthread_should_stop()) {
		wait_event(kswapd_wait, kswapd_woken || kthread_should_stop());
		kswapd_woken = false;
		if (!reclaim_needed())
			continue;
		kswapd_runs++;
		count_vm_event(PAGEOUTRUN);
		while (reclaim_needed() && !kthread_should_stop() && kswapd_balance())
			task_yield();
	}
	return 0;
}

int kswapd_init(void)
{
	if (!kthread_create(kswapd, NULL, "kswapd0"))
		return -ENOMEM;
	reclaim_hooks.wake_kswapd = wake_kswapd;
	return 0;
}
