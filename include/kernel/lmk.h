/*
 * The low-memory killer (kernel/lmk.c, docs/lmk.md): a kernel thread,
 * lmkd, that kills the least important app before the system reaches the
 * OOM killer. Woken by kswapd's wake-up (the allocator's slow path) and
 * by the timer tick when free + reclaimable memory is below the highest
 * threshold or PSI "some avg10" is above CONFIG_LMK_PSI_SOME_AVG10, it
 * kills the highest-adj app of the eligible classes (largest RSS + swap
 * on a tie) with a one-line report, counts lmk_kill in /proc/vmstat and
 * waits until the victim's memory is back before it looks again.
 */
#ifndef KERNEL_LMK_H
#define KERNEL_LMK_H

#include <kernel/app_class.h>
#include <types.h>

/* Thresholds from board.cfg and, with CONFIG_LMK, the thread. Boot,
 * after kswapd; 0 or -ENOMEM. */
int lmk_init(void);
/* Wake lmkd to look (any context, interrupt handlers too). */
void lmk_wake(void);
/* Free + reclaimable memory as the killer sees it (kB): free pages and
 * file pages on the LRU lists. */
u64 lmk_avail_kb(void);
/* The thresholds in use / replace them (runtime, tests): 0, or -EINVAL
 * (a class at or below foreground given a threshold). */
void lmk_get_minfree(struct lmk_minfree *m);
int lmk_set_minfree(const struct lmk_minfree *m);
/* The PSI trigger (some avg10 in percent, 0 off): 0 or -EINVAL (> 100). */
int lmk_set_psi_threshold(unsigned pct);
unsigned lmk_get_psi_threshold(void);

/* Kills so far and the last ones' pids, oldest first (tests, reports). */
#define LMK_HISTORY 8
extern u64 lmk_kills;
extern int lmk_victims[LMK_HISTORY]; /* lmk_victims[(lmk_kills - 1) % LMK_HISTORY] is the last */
/* The last kill's report line. */
extern char lmk_last_report[256];

#endif
