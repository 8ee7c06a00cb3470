/*
 * cma_alloc: take a physically contiguous, aligned range back from the
 * CMA region, moving the movable pages that borrowed it elsewhere.
 *
 *   CMA region  [  4 MiB  ][  4 MiB  ][  4 MiB  ]   (MAX_ORDER windows)
 *   request                  [=====]                count frames, aligned
 *   window                 [  4 MiB  ]              isolated while it is emptied
 *
 * For each aligned candidate [start, start + count):
 *
 *   1. scan     each page once: free (inside a free block, found from
 *               its aligned ancestors: a refcount of 0 alone may be the
 *               tail of an allocated block), or in use and movable (on an
 *               LRU list, no reference beyond its mappings and page cache -
 *               the rule mm/migrate.c applies), else the first page that
 *               cannot move; nothing is changed, and the next candidate
 *               starts at the first aligned pfn past that page
 *   2. isolate  the candidate's MAX_ORDER windows become MIGRATE_ISOLATE:
 *               their free blocks leave the CMA lists (NR_FREE and CmaFree
 *               drop) and every page freed there meanwhile stays isolated,
 *               so nothing new is allocated in the range
 *   3. migrate  each in-use page with migrate_page() to a frame outside
 *               CMA (PF_MEMALLOC_NOCMA, no OOM kill: __GFP_NORETRY), through
 *               cma_hooks.migrate (mm/cma_migrate.c, installed at boot)
 *   4. take     every page of the range checked free under the zone lock,
 *               the windows go back to MIGRATE_CMA and the range's free
 *               blocks are taken (the rest of the windows is listed again)
 *
 * A page that step 3 cannot move (pinned meanwhile, no memory) undoes
 * step 2 (pageblock types and free lists as before; the pages moved
 * already stay at their new frames, their data and owners intact) and the
 * search goes on past it. Each pfn is scanned once by step 1 (candidates
 * start past the page that stopped the previous one), so a search past N
 * busy pages costs O(N), not O(N x candidates).
 *
 * When no candidate works the call fails with the first page that stopped
 * one: its pfn, its owner (anon of pid N, page cache or shmem of a file,
 * slab, kernel) and why it cannot move. cma_stats counts the calls.
 *
 * Locking: the zone lock around steps 2 and 4 and their undo; step 3 runs
 * with no lock held (mm/migrate.c: one CPU, no preemption). Process
 * context only (the migration allocates and may reclaim).
 */
#include <errno.h>
#include <mm/cma.h>
#include <mm/memalloc.h>
#include <mm/migrate.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/page_debug.h>
#include <mm/rmap.h>
#include <stdio.h>

#include "internal.h"

struct cma_stats cma_stats;
struct cma_hooks cma_hooks;

/* The page that stopped a candidate, and why. */
struct cma_busy {
	struct page *page;
	const char *why;
};

/* Why an in-use page cannot move (NULL: it can), without changing it. */
static const char *cannot_move(const struct page *p)
{
	if (PAGE_FLAG(p, PG_cma_alloc))
		return "taken by cma_alloc already";
	if (PAGE_FLAG(p, PG_reserved))
		return "reserved";
	if (!PAGE_FLAG(p, PG_lru)) /* before mapping: slab pages reuse it */
		return PAGE_FLAG(p, PG_isolated) ? "isolated by reclaim or another migration"
						 : "not on an LRU list (kernel, slab or DMA buffer)";
	return migrate_pin_reason(p, 0);
}

/* The head of the free block that holds pfn, or NULL if pfn is not free.
 * A page with refcount 0 may also be the tail of an allocated block. */
static struct page *free_block_of(u64 pfn)
{
	for (unsigned o = 0; o <= MAX_ORDER; o++) {
		struct page *h = pfn_to_page(pfn & ~((1ULL << o) - 1));

		if (PAGE_FLAG(h, PG_buddy))
			return h->order >= o ? h : NULL;
	}
	return NULL;
}

/* Step 1: the first page of [start, end) that cannot move, or 0 if none. */
static u64 scan_range(u64 start, u64 end, struct cma_busy *busy)
{
	for (u64 pfn = start; pfn < end;) {
		struct page *p = pfn_to_page(pfn), *h = p->refcount ? NULL : free_block_of(pfn);

		if (h) {
			pfn = page_to_pfn(h) + (1ULL << h->order); /* past the free block */
			continue;
		}
		busy->why = p->refcount ? cannot_move(p) : "part of a block allocated as a whole (kernel)";
		if (busy->why) {
			busy->page = p;
			return pfn;
		}
		pfn++;
	}
	return 0;
}

/* Zone lock held: the first page of [start, end) not in a free block,
 * walking the free blocks from the window's start; NULL if none. */
static struct page *first_busy_locked(u64 win, u64 start, u64 end)
{
	for (u64 pfn = win; pfn < end;) {
		struct page *p = pfn_to_page(pfn);

		if (PAGE_FLAG(p, PG_buddy)) {
			pfn += 1ULL << p->order;
			continue;
		}
		if (pfn >= start)
			return p;
		pfn++;
	}
	return NULL;
}

/* Zone lock held: the windows' pageblocks to type mt, their free blocks to mt's lists. */
static void set_windows_locked(struct zone *z, u64 win, u64 win_end, int mt)
{
	move_free_blocks_locked(z, win, win_end, mt);
}

/* Zone lock held, [start, end) free: hand out the range, list the rest of the windows. */
static void take_range_locked(struct zone *z, u64 win, u64 win_end, u64 start, u64 end)
{
	struct list_head taken = LIST_HEAD_INIT(taken);
	struct page *p, *n;

	for (u64 pfn = win; pfn < win_end;) {
		p = pfn_to_page(pfn);
		if (!PAGE_FLAG(p, PG_buddy)) {
			pfn++;
			continue;
		}
		pfn += 1ULL << p->order;
		del_free_block_locked(z, p);
		list_add_tail(&p->lru, &taken);
	}
	list_for_each_entry_safe(p, n, &taken, lru) {
		u64 first = page_to_pfn(p), blk = 1ULL << p->order;

		list_del(&p->lru);
		for (u64 pfn = first; pfn < first + blk; pfn++) {
			struct page *pg = pfn_to_page(pfn);

			if (pfn >= start && pfn < end) {
				pg->refcount = 1;
				pg->order = 0; /* released page by page */
				pg->flags |= 1u << PG_cma_alloc;
				if (PAGE_FLAG(pg, PG_poisoned))
					check_page_poison(pg);
			} else {
				free_block_locked(z, pg, 0, MIGRATE_CMA);
			}
		}
	}
}

/* Step 3, windows isolated: move every in-use page of [start, end) out. 0,
 * or the pfn of the page that did not move. */
static u64 empty_range(u64 start, u64 end, struct cma_busy *busy)
{
	for (u64 pfn = start; pfn < end;) {
		struct page *p = pfn_to_page(pfn), *h = p->refcount ? NULL : free_block_of(pfn);
		int rc = -EBUSY;

		if (h) {
			pfn = page_to_pfn(h) + (1ULL << h->order);
			continue;
		}
		busy->why = "part of a block allocated as a whole (kernel)";
		if (p->refcount) {
			busy->why = "page migration is not built in";
			if (cma_hooks.migrate)
				rc = cma_hooks.migrate(p, &busy->why);
		}
		if (rc) {
			busy->page = p;
			return pfn;
		}
		pfn++; /* moved: the old frame is free and isolated now */
	}
	return 0;
}

/* Steps 2-4 for one candidate whose scan passed. 0, or the pfn that stopped it. */
static u64 try_range(u64 start, u64 end, struct cma_busy *busy)
{
	u64 win = ALIGN_DOWN(start, MAX_ORDER_PAGES), win_end = ALIGN_UP(end, MAX_ORDER_PAGES);
	struct zone *z = page_zone(pfn_to_page(start));
	unsigned long f = spin_lock_irqsave(&z->lock);
	u64 bad;

	for (u64 pb = win; pb < win_end; pb += PAGEBLOCK_PAGES) {
		if (pageblock_migratetype(z, pb) != MIGRATE_CMA) { /* another cma_alloc has it isolated */
			spin_unlock_irqrestore(&z->lock, f);
			busy->page = pfn_to_page(pb);
			busy->why = "its pageblock is isolated by another cma_alloc";
			return MAX(pb, start);
		}
	}
	set_windows_locked(z, win, win_end, MIGRATE_ISOLATE);
	spin_unlock_irqrestore(&z->lock, f);

	bad = empty_range(start, end, busy);

	f = spin_lock_irqsave(&z->lock);
	if (!bad) { /* every page free now? (the zone lock keeps the answer valid) */
		struct page *b = first_busy_locked(win, start, end);

		if (b) {
			busy->page = b;
			busy->why = "in use again after its migration";
			bad = page_to_pfn(b);
		}
	}
	set_windows_locked(z, win, win_end, MIGRATE_CMA);
	if (!bad)
		take_range_locked(z, win, win_end, start, end);
	spin_unlock_irqrestore(&z->lock, f);
	return bad;
}

/* "anon of pid N", "page cache of /apps/x", "slab", "kernel", ... */
static void describe_owner(struct page *p, char *buf, size_t n)
{
	if (PAGE_FLAG(p, PG_slab) || PAGE_FLAG(p, PG_slab_tail))
		snprintf(buf, n, "slab");
	else if (PAGE_FLAG(p, PG_cma_alloc))
		snprintf(buf, n, "cma_alloc");
	else if (!PAGE_FLAG(p, PG_lru) && !PAGE_FLAG(p, PG_isolated))
		snprintf(buf, n, "kernel");
	else if (cma_hooks.owner)
		cma_hooks.owner(p, buf, n);
	else
		snprintf(buf, n, "user page");
}

static void report_failure(u64 count, unsigned align_order, const struct cma_busy *b)
{
	char owner[96];

	if (!b->page) {
		cma_stats.fail_nospace++;
		printf("cma: alloc of %llu pages (align order %u) failed: no aligned range that large\n",
		       (unsigned long long)count, align_order);
		return;
	}
	cma_stats.fail_busy++;
	cma_stats.last_busy_pfn = page_to_pfn(b->page);
	describe_owner(b->page, owner, sizeof(owner));
	printf("cma: alloc of %llu pages (align order %u) failed: pfn %#llx (%s, refcount %d, mapcount %d)"
	       " cannot move: %s\n", (unsigned long long)count, align_order,
	       (unsigned long long)page_to_pfn(b->page), owner, (int)b->page->refcount, (int)b->page->mapcount,
	       b->why);
}

struct page *cma_alloc(u64 count, unsigned align_order)
{
	u64 base = phys_to_pfn(cma_base), limit = base + cma_size / PAGE_SIZE;
	u64 align = 1ULL << align_order;
	struct cma_busy first = { 0 };
	struct page *got = NULL;
	unsigned saved;

	if (!count || !cma_size || count > cma_size / PAGE_SIZE || align_order > 63)
		return NULL;
	drain_pcp_pages(); /* borrowed pages parked on per-CPU lists are free */
	saved = memalloc_nocma_save();
	for (u64 start = ALIGN_UP(base, align); start >= base && start + count <= limit;) {
		struct cma_busy b = { 0 };
		u64 bad = scan_range(start, start + count, &b);

		if (!bad)
			bad = try_range(start, start + count, &b);
		if (!bad) {
			got = pfn_to_page(start);
			break;
		}
		if (!first.page)
			first = b;
		start = ALIGN_UP(bad + 1, align); /* the next candidate starts past it */
	}
	memalloc_nocma_restore(saved);
	if (!got) {
		report_failure(count, align_order, &first);
		return NULL;
	}
	cma_stats.allocs++;
	cma_stats.alloc_pages += count;
	return got;
}

bool cma_release(struct page *first, u64 count)
{
	u64 pfn = page_to_pfn(first);

	if (!cma_size || pfn < phys_to_pfn(cma_base) || pfn + count > phys_to_pfn(cma_base + cma_size)) {
		bad_page(first, "cma_release of a range outside the CMA region");
		return false;
	}
	for (u64 i = 0; i < count; i++) {
		if (!PAGE_FLAG(&first[i], PG_cma_alloc) || first[i].refcount != 1) {
			bad_page(&first[i], "cma_release of a page cma_alloc did not hand out");
			return false;
		}
	}
	for (u64 i = 0; i < count; i++)
		free_pages(&first[i], 0);
	cma_stats.releases++;
	return true;
}
