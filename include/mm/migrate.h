/*
 * Page migration (mm/migrate.c): move a movable user page - anonymous
 * (swap cache included), shmem or page cache, mapped or not, mlocked or
 * not - to another frame, invisibly to the apps that map it. cma_alloc
 * and compaction call it to empty a range of frames.
 *
 * A page that cannot move (not on an LRU list, pinned by an extra
 * reference) makes the call fail with a reason and nothing changed.
 *
 * Locking: none held by the caller; the page is isolated from its LRU
 * list (lru_lock inside) and worked on with no lock held, on one CPU with
 * no preemption (the file's header says what SMP would need).
 */
#ifndef MM_MIGRATE_H
#define MM_MIGRATE_H

#include <lib/list.h>
#include <mm/page.h>
#include <mm/rmap.h>
#include <types.h>

/* Why a page moves (Linux's enum migrate_reason, the ones used here). */
enum migrate_reason {
	MR_COMPACTION,    /* building free high-order blocks */
	MR_SYSCALL,       /* asked for by the kernel itself (self-tests, benchmarks) */
	MR_CONTIG_RANGE,  /* cma_alloc emptying a range */
	NR_MIGRATE_REASONS
};

/* Why a page on (or isolated from) an LRU list cannot move, NULL if it
 * can: it has no owner, or references beyond its mappings, its cache slot
 * and extra (the caller's own: 1 for an isolated page) - a pin by DMA or
 * the kernel. Reads nothing the page does not own: check PG_lru (or
 * PG_isolated) first, slab pages reuse page->mapping. */
static inline const char *migrate_pin_reason(const struct page *p, int extra)
{
	const struct address_space *as = page_file_mapping(p);

	if (!page_anon_vma(p) && !as)
		return "no owner (neither anonymous nor in a page cache)";
	if (p->refcount != p->mapcount + (as ? 1 : 0) + extra)
		return "pinned: references beyond its mappings and cache (DMA or the kernel holds it)";
	return NULL;
}

/* Gives the frame a page moves to (order 0, or NULL if there is none):
 * old is the page being moved, private the caller's argument. */
typedef struct page *(*new_page_t)(struct page *old, unsigned long private);

/* A new_page_t that allocates with the gfp flags passed as private. */
struct page *migrate_alloc_gfp(struct page *old, unsigned long gfp);

/* Take page off its LRU list for migration (PG_isolated, one more
 * reference). 0, or -EBUSY with *reason (not on an LRU list: free, slab,
 * kernel or isolated by someone else). */
int migrate_isolate(struct page *page, const char **reason);
/* Move page to a frame from get_new: isolate it, refuse it if pinned,
 * copy, repoint every PTE and its cache slot, move flags, LRU list and
 * references, free the old frame. 0; -EBUSY (not on an LRU list, pinned,
 * no owner) or -ENOMEM (get_new gave none), with *reason set and
 * nothing changed. pgmigrate_success / pgmigrate_fail count it. */
int migrate_page(struct page *page, new_page_t get_new, unsigned long private, enum migrate_reason why,
		 const char **reason);
/* Linux's list form: move every page of from (isolated by
 * migrate_isolate, linked through page->lru); pages that cannot move go
 * back to their LRU lists. from is empty afterwards. Returns how many
 * moved; *nr_failed (if not NULL) how many did not. */
unsigned migrate_pages(struct list_head *from, new_page_t get_new, unsigned long private,
		       enum migrate_reason why, unsigned *nr_failed);
/* "compaction", "syscall", "contig_range" (Linux's trace names). */
const char *migrate_reason_name(enum migrate_reason why);

#endif
