/*
 * Page migration: one user page to a new frame (contracts in
 * include/mm/migrate.h). The steps, for a page of any movable kind:
 *
 *   1. isolate    PG_lru checked first (slab pages reuse page->mapping and
 *                 page->lru, so nothing else is read before it), then the
 *                 page leaves whichever LRU list it is on, unevictable
 *                 included: PG_isolated + the isolator's reference
 *   2. check      refcount == mapcount + cache ref + isolation ref, else a
 *                 pin (DMA, the kernel, a fault in progress): refused
 *   3. allocate   the caller's new_page_t gives the target frame
 *   4. copy       4 KiB, old -> new
 *   5. move       the address_space slot (page cache, shmem) or the swap
 *                 cache index; every PTE through the reverse map
 *                 (rmap_move: same permissions, young/dirty, break-before-
 *                 make + TLB invalidate by ASID); mapping/index, flags
 *                 (PG_swapbacked, PG_swapcache + private, PG_mlocked,
 *                 PG_referenced, PG_active, PG_dirty), mapcount and
 *                 refcount as a whole
 *   6. putback    the new page onto the list the old one was on
 *   7. free       the old frame
 *
 * Steps 1-3 can fail; each failure undoes what came before (the page goes
 * back to its list) and changes nothing else. Steps 4-7 cannot fail: a
 * PTE that already maps a page changes in place without a table
 * allocation. Nothing is counted twice: NR_* counters, per-mm rss, the
 * LRU counts and Mlocked describe the page, not its frame, so they stay.
 *
 * Owners, as the rest of mm sees them:
 *
 *   kind          mapping              references            cache slot
 *   anon          anon_vma | ANON      one per PTE           -
 *   swap cache    anon_vma | ANON      one per PTE           cache_pfn[slot] (mm/swap.c)
 *   page cache    address_space        PTEs + the cache's    as->pages[index]
 *   shmem         address_space        PTEs + the cache's    as->pages[index]
 *
 * Concurrency. One CPU and a kernel that is not preempted: between step 1
 * and step 7 nothing else runs (no allocation here may reclaim into this
 * page - it is isolated and reclaim only takes pages from the lists - and
 * nothing here schedules), so no fault can see the page half moved. With
 * several CPUs another CPU could fault on, write to or unmap the page
 * meanwhile: Linux then first replaces every PTE by a migration entry (a
 * non-present swap-type entry naming the old frame) under the page lock,
 * copies, and replaces the entries by the new frame; a fault that meets a
 * migration entry waits on the page lock and retries, and a write cannot
 * land in the old frame after the copy. That needs a page lock and a new
 * swap type in the fault path; it is not built (one CPU today).
 *
 * Counters: pgmigrate_success, pgmigrate_fail (Linux's names).
 */
#include <errno.h>
#include <lib/panic.h>
#include <mm/highmem.h>
#include <mm/filemap.h>
#include <mm/migrate.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <mm/swap.h>
#include <mm/vmstat.h>

/* The state that belongs to the page's contents and owners, not its frame. */
#define MOVED_FLAGS ((1u << PG_active) | (1u << PG_referenced) | (1u << PG_dirty) | (1u << PG_swapbacked) | \
		     (1u << PG_mlocked))

static const char *const reason_names[NR_MIGRATE_REASONS] = {
	[MR_COMPACTION] = "compaction",
	[MR_SYSCALL] = "syscall",
	[MR_CONTIG_RANGE] = "contig_range",
};

const char *migrate_reason_name(enum migrate_reason why)
{
	return (unsigned)why < NR_MIGRATE_REASONS ? reason_names[why] : "?";
}

struct page *migrate_alloc_gfp(struct page *old, unsigned long gfp)
{
	(void)old;
	return alloc_page((gfp_t)gfp);
}

int migrate_isolate(struct page *page, const char **reason)
{
	if (!PAGE_FLAG(page, PG_lru)) { /* before anything else: slab pages reuse mapping */
		*reason = PAGE_FLAG(page, PG_isolated) ? "isolated already (reclaim or another migration)"
						       : "not on an LRU list (free, slab or kernel page)";
		return -EBUSY;
	}
	if (!lru_isolate_movable(page)) {
		*reason = "not on an LRU list";
		return -EBUSY;
	}
	return 0;
}

/* Move isolated page old to new (fresh, order 0): steps 4-7, which cannot fail. */
static void move_to(struct page *old, struct page *new)
{
	bool file = page_file_mapping(old) != NULL;
	unsigned moved;

	copy_highpage(new, old);
	new->mapping = old->mapping;
	new->index = old->index;
	new->flags |= old->flags & MOVED_FLAGS;
	if (PAGE_FLAG(old, PG_swapcache))
		swap_cache_move(old, new);
	if (file)
		filemap_replace_page(old, new);
	moved = rmap_move(old, new); /* walks old's owners: mapping still set */
	BUG_ON(moved != (unsigned)old->mapcount); /* a mapping the rmap does not know: an mm bug */
	new->mapcount = old->mapcount;
	new->refcount = old->refcount; /* PTEs', the cache's and the isolation's */
	page_set_flag(new, PG_isolated);

	old->flags &= ~(MOVED_FLAGS | (1u << PG_isolated));
	old->mapping = NULL;
	old->index = 0;
	old->mapcount = 0;
	old->refcount = 1;
	free_page(old);
	lru_putback(new, PAGE_FLAG(new, PG_active)); /* its list; drops the isolation's reference */
}

/* Move one isolated page; on failure it goes back to its list. */
static int migrate_isolated(struct page *page, new_page_t get_new, unsigned long private, const char **reason)
{
	struct page *new = NULL;
	int rc = -EBUSY;

	*reason = migrate_pin_reason(page, 1); /* 1: the isolation's */
	if (!*reason) {
		new = get_new(page, private);
		rc = -ENOMEM;
		*reason = "no memory for the new frame";
	}
	if (new) {
		move_to(page, new);
		count_vm_event(PGMIGRATE_SUCCESS);
		*reason = NULL;
		return 0;
	}
	lru_putback(page, PAGE_FLAG(page, PG_active));
	count_vm_event(PGMIGRATE_FAIL);
	return rc;
}

int migrate_page(struct page *page, new_page_t get_new, unsigned long private, enum migrate_reason why,
		 const char **reason)
{
	const char *r = NULL;
	int rc;

	(void)why; /* one path for every reason today; callers log it */
	rc = migrate_isolate(page, &r);
	if (rc)
		count_vm_event(PGMIGRATE_FAIL);
	else
		rc = migrate_isolated(page, get_new, private, &r);
	if (reason)
		*reason = rc ? r : NULL;
	return rc;
}

unsigned migrate_pages(struct list_head *from, new_page_t get_new, unsigned long private,
		       enum migrate_reason why, unsigned *nr_failed)
{
	unsigned moved = 0, failed = 0;
	const char *r;

	(void)why;
	while (!list_empty(from)) {
		struct page *p = list_first_entry(from, struct page, lru);

		list_del(&p->lru);
		if (migrate_isolated(p, get_new, private, &r))
			failed++;
		else
			moved++;
	}
	if (nr_failed)
		*nr_failed = failed;
	return moved;
}
