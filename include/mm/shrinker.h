/*
 * Shrinkers: caches that can give memory back when the page allocator
 * runs short (slab empty slabs now; zram and others later). The page
 * allocator's slow path runs them before direct reclaim.
 */
#ifndef MM_SHRINKER_H
#define MM_SHRINKER_H

#include <lib/list.h>
#include <mm/gfp.h>
#include <types.h>

struct shrinker {
	const char *name;
	u64 (*scan)(gfp_t gfp, unsigned order); /* returns pages freed */
	struct list_head list;
};

void register_shrinker(struct shrinker *s);
void unregister_shrinker(struct shrinker *s);
/* Run every shrinker; returns the pages they freed. */
u64 run_shrinkers(gfp_t gfp, unsigned order);

#endif
