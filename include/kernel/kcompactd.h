/*
 * kcompactd0 (kernel/kcompactd.c): proactive compaction in the
 * background. Every KCOMPACTD_PERIOD_MS it reads the fragmentation score
 * (include/mm/compaction.h); above the start mark that
 * vm.compaction_proactiveness sets it compacts zone by zone (yielding
 * between them) until the score is at the stop mark. A run that does not
 * lower the score defers the next checks (16 periods, as Linux). With
 * proactiveness 0 it only sleeps.
 */
#ifndef KERNEL_KCOMPACTD_H
#define KERNEL_KCOMPACTD_H

#include <types.h>

#define KCOMPACTD_PERIOD_MS 500
#define KCOMPACTD_DEFER_PERIODS 16

/* Start kcompactd0. 0 or -ENOMEM. */
int kcompactd_init(void);
/* Proactive passes completed (a pass: the score was above the start mark;
 * counted when every zone that wanted compaction has had it). */
extern u64 kcompactd_runs;

#endif
