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
#include <mm/mmzone.h>
#include <mm/page_alloc.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>

static struct wait_queue_head kswapd_wait = WAIT_QUEUE_HEAD_INIT(kswapd_wait);
static volatile bool kswapd_woken;
/* The highest zone an allocation that woke kswapd could use, since kswapd
 * last took it (-1: none); Linux's kswapd_highest_zoneidx. */
static int kswapd_classzone = -1;
u64 kswapd_runs;

static void wake_kswapd(struct zone *z, unsigned order)
{
	int idx = (int)(z - zones), cur = __atomic_load_n(&kswapd_classzone, __ATOMIC_RELAXED);

	(void)order;
	while (idx > cur && !__atomic_compare_exchange_n(&kswapd_classzone, &cur, idx, false, __ATOMIC_RELEASE,
							 __ATOMIC_RELAXED))
		;
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
		int classzone;

		wait_event(kswapd_wait, kswapd_woken || kthread_should_stop());
		kswapd_woken = false;
		/* balance for what the wakers need: a GFP_KERNEL shortage is not
		 * over because HighMem has pages (-1: a wake with no zone) */
		classzone = __atomic_exchange_n(&kswapd_classzone, -1, __ATOMIC_ACQUIRE);
		if (classzone < 0)
			classzone = MAX_NR_ZONES - 1;
		if (!kswapd_needed(classzone))
			continue;
		kswapd_runs++;
		count_vm_event(PAGEOUTRUN);
		while (kswapd_needed(classzone) && !kthread_should_stop() && kswapd_balance(classzone))
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
