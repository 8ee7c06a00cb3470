/*
 * kcompactd0: proactive compaction (include/kernel/kcompactd.h).
 *
 *   every 500 ms:  score = fragmentation_score()          0..100
 *                  score > start mark (110 - proactiveness, at most 100)?
 *                    each zone above the stop mark (100 - proactiveness):
 *                      compact_zone_order(zone, -1, COMPACT_PROACTIVE)
 *                      (it stops once the zone's score is at the mark)
 *                    score not lower afterwards: skip 16 periods
 *
 * A zone too short of free memory to move pages into (free below its high
 * watermark plus a pageblock) is left alone: reclaim, not compaction, is
 * what it needs, and kswapd does that. kcompactd runs with PF_MEMALLOC
 * cleared (compaction allocates nothing but the free pages it isolates).
 * It is cooperative: it yields between zones.
 */
#include <errno.h>
#include <kernel/kcompactd.h>
#include <kernel/kthread.h>
#include <mm/compaction.h>
#include <mm/vmstat.h>

u64 kcompactd_runs;

static bool zone_wants_compaction(struct zone *z)
{
	return zone_populated(z) && z->nr_free >= z->watermark[WMARK_HIGH] + PAGEBLOCK_PAGES &&
	       fragmentation_score_zone(z) > compaction_score_wmark(true);
}

/* One proactive pass; whether the score went down. */
static bool proactive_compact(void)
{
	unsigned before = fragmentation_score();

	count_vm_event(KCOMPACTD_WAKE);
	for (int i = 0; i < MAX_NR_ZONES && !kthread_should_stop(); i++) {
		if (!zone_wants_compaction(&zones[i]))
			continue;
		compact_zone_order(&zones[i], -1, COMPACT_PROACTIVE, MIGRATE_MOVABLE, NULL);
		task_yield();
	}
	kcompactd_runs++; /* a whole pass: every zone that wanted it is done */
	return fragmentation_score() < before;
}

static int kcompactd(void *arg)
{
	unsigned defer = 0;

	(void)arg;
	while (!kthread_should_stop()) {
		task_sleep_ns((u64)KCOMPACTD_PERIOD_MS * 1000000u);
		if (kthread_should_stop() || !sysctl_compaction_proactiveness)
			continue;
		if (defer) {
			defer--;
			continue;
		}
		if (fragmentation_score() > compaction_score_wmark(false) && !proactive_compact())
			defer = KCOMPACTD_DEFER_PERIODS;
	}
	return 0;
}

int kcompactd_init(void)
{
	return kthread_create(kcompactd, NULL, "kcompactd0") ? 0 : -ENOMEM;
}
