/*
 * Contiguous Memory Allocator: the CMA region's pageblocks lend their
 * pages to movable allocations while nobody needs them contiguously;
 * cma_alloc() takes a physically contiguous, aligned range back.
 *
 * Pages that borrowed the range (apps' anon, page cache, shmem on LRU
 * lists) are migrated out of CMA first (mm/cma.c explains the steps); a
 * page that cannot move (pinned, slab, kernel) makes its range fail and
 * the search go on past it. When no range works, cma_alloc() fails with
 * the pfn, owner and reason on the console, and nothing is lost.
 *
 * Locking: none held by the caller (takes the CMA zone's lock; migration
 * runs unlocked). Process context. Errors: NULL (+ a reason).
 */
#ifndef MM_CMA_H
#define MM_CMA_H

#include <mm/mm_types.h>
#include <mm/page.h>
#include <stddef.h>

/* Allocate count contiguous frames from CMA, the first aligned to
 * 2^align_order frames, migrating borrowed pages out. Returns the first
 * page (each page refcount 1), or NULL with the reason printed. */
struct page *cma_alloc(u64 count, unsigned align_order);
/* Give back what cma_alloc() returned. Returns false (and reports) if
 * the range did not come from cma_alloc. */
bool cma_release(struct page *first, u64 count);

struct cma_stats {
	u64 allocs, alloc_pages, releases, fail_busy, fail_nospace;
	u64 last_busy_pfn; /* the pfn the last failure named (fail_busy) */
};
extern struct cma_stats cma_stats;

/*
 * What cma_alloc needs from the rest of mm, installed at boot so that the
 * page allocator's core (mm/cma.c) links without the fault path:
 * cma_migrate_init() (mm/cma_migrate.c) sets migrate and owner; the
 * kernel sets mm_pid. Without migrate a page in use stops its range.
 */
struct cma_hooks {
	/* Move in-use page out of CMA. 0, or a negative errno with *why. */
	int (*migrate)(struct page *page, const char **why);
	/* Write who owns page ("anon of pid N", "page cache of /apps/x"). */
	void (*owner)(struct page *page, char *buf, size_t n);
	/* The pid of the task that owns mm (for owner). */
	int (*mm_pid)(const struct mm_struct *mm);
};
extern struct cma_hooks cma_hooks;

/* Install migration and owner naming into cma_hooks (mm/cma_migrate.c). */
void cma_migrate_init(void);

#endif
