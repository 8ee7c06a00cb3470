/*
 * The allocation context of the running task, as Linux's PF_MEMALLOC:
 * a task that is reclaiming memory sets PF_MEMALLOC, and the page
 * allocator's slow path then never calls direct reclaim (or the OOM hook)
 * for it, so reclaim cannot recurse into itself.
 *
 * The flags word belongs to the task (struct task's alloc_flags); the
 * scheduler points current_alloc_flags at the running task's word on every
 * switch (and at a boot word before tasks exist), so mm/ needs nothing
 * from kernel/. Only the running task changes its own word: no locking.
 */
#ifndef MM_MEMALLOC_H
#define MM_MEMALLOC_H

#include <types.h>

#define PF_MEMALLOC 0x1u /* reclaiming: allocate without reclaiming again */
#define PF_MEMALLOC_NOCMA 0x2u /* cma_alloc migrating: movable allocations stay out of CMA */

/* The running task's flags word (never NULL; mm/page_alloc.c). */
extern unsigned *current_alloc_flags;

/* Set PF_MEMALLOC for the running task; returns what to pass to
 * memalloc_restore() (nests). */
static inline unsigned memalloc_save(void)
{
	unsigned old = *current_alloc_flags & PF_MEMALLOC;

	*current_alloc_flags |= PF_MEMALLOC;
	return old;
}

/* Undo the matching memalloc_save(). */
static inline void memalloc_restore(unsigned saved)
{
	*current_alloc_flags = (*current_alloc_flags & ~PF_MEMALLOC) | saved;
}

/* Keep the running task's movable allocations out of CMA pageblocks (Linux's
 * PF_MEMALLOC_NOCMA); returns what to pass to memalloc_nocma_restore(). */
static inline unsigned memalloc_nocma_save(void)
{
	unsigned old = *current_alloc_flags & PF_MEMALLOC_NOCMA;

	*current_alloc_flags |= PF_MEMALLOC_NOCMA;
	return old;
}

/* Undo the matching memalloc_nocma_save(). */
static inline void memalloc_nocma_restore(unsigned saved)
{
	*current_alloc_flags = (*current_alloc_flags & ~PF_MEMALLOC_NOCMA) | saved;
}

/* Whether the running task is reclaiming (PF_MEMALLOC). */
static inline bool current_in_memalloc(void)
{
	return *current_alloc_flags & PF_MEMALLOC;
}

#endif
