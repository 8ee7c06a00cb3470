/*
 * The memory state that must come back when every app is gone, for the
 * on-target suites that run apps (test_apps, test_reclaim, test_oom):
 * settled first, so that it does not depend on what ran before.
 */
#ifndef TEST_TARGET_MEM_STATE_H
#define TEST_TARGET_MEM_STATE_H

#include <types.h>

struct mem_state {
	u64 free;           /* buddy free pages, per-CPU lists drained */
	s64 cache;          /* page cache pages (NR_FILE_PAGES) */
	u64 slab;           /* slab bytes, empty slabs shrunk */
	u64 zram_orig;      /* mm_stat orig_data_size (bytes) */
	u64 zram_mem_used;  /* mm_stat mem_used_total */
	u64 swap_inuse;     /* swap slots in use */
	u64 swap_cached;    /* swap-cache pages */
};

/* Drop the app image's clean page-cache pages that nothing maps: a known
 * state of the cache that does not depend on what ran before. */
void drop_app_cache(void);
/* Settle (drop that cache, compact zram so an empty store gives its tables
 * back, drain the per-CPU lists, shrink empty slabs) and measure. */
struct mem_state mem_state_settled(void);
struct ktest;
/* A suite's last case: settle, print start and end, and expect the free
 * pages and slab bytes of start (every page the suite used came back). */
struct mem_state expect_every_page_returns(struct ktest *t, const struct mem_state *start);

#endif
