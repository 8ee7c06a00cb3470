/*
 * The LRU lists of user pages (include/mm/vmstat.h), Linux's split:
 *
 *   LRU_INACTIVE_ANON  LRU_ACTIVE_ANON    PG_swapbacked: anon and shmem pages
 *   LRU_INACTIVE_FILE  LRU_ACTIVE_FILE    other page-cache pages
 *   LRU_UNEVICTABLE                       PG_mlocked pages of either kind
 *
 * One global set of lists (one memory node, no memory cgroups), linked
 * through page->lru. A page on a list has PG_lru; PG_active says which of
 * the pair it is on; PG_swapbacked says which pair, as Linux's
 * page_is_file_lru(): lru_add() sets it for anon pages, and the page
 * cache sets it on shmem pages (their only copy is in RAM, so they are
 * reclaimed like anon ones, to swap). Which list a page is on is
 * therefore always a function of its flags:
 *
 *   PG_mlocked ? UNEVICTABLE : (swapbacked ? ANON : FILE) + PG_active
 *
 * with one exception that lru_update_mlock() exists to close: the caller
 * changes PG_mlocked first, then calls it to move the page across. So it
 * must be called exactly once per change of PG_mlocked on an LRU page
 * (there is no PG_unevictable to tell "already moved" from "not yet").
 * The Mlocked counter (NR_MLOCK) belongs to whoever sets PG_mlocked, not
 * to this file.
 *
 * Entry: new pages go to the head of the inactive list of their kind.
 * Reclaim (issue 7) will take from the tails, promote referenced pages to
 * the active list and demote from the active tail, with helpers added
 * here on top of add_to()/del_from(). lru_count[] is always equal to the
 * lists' lengths.
 *
 * Locking: lru_lock (interrupts masked) protects the lists, lru_count[]
 * and the PG_lru/PG_active bits of pages on them; every function here
 * takes it, so callers need no lock for the LRU itself. It nests inside
 * the page table and rmap locks and outside zone->lock (the order table at
 * the top of mm/rmap.c). Reclaim (kswapd and direct reclaim) will isolate
 * pages from the tails under it and work on them with it dropped.
 */
#include <lib/panic.h>
#include <lib/spinlock.h>
#include <mm/vmstat.h>

static spinlock_t lru_lock = SPINLOCK_INIT;

static struct list_head lru_lists[NR_LRU_LISTS] = {
	[LRU_INACTIVE_ANON] = LIST_HEAD_INIT(lru_lists[LRU_INACTIVE_ANON]),
	[LRU_ACTIVE_ANON] = LIST_HEAD_INIT(lru_lists[LRU_ACTIVE_ANON]),
	[LRU_INACTIVE_FILE] = LIST_HEAD_INIT(lru_lists[LRU_INACTIVE_FILE]),
	[LRU_ACTIVE_FILE] = LIST_HEAD_INIT(lru_lists[LRU_ACTIVE_FILE]),
	[LRU_UNEVICTABLE] = LIST_HEAD_INIT(lru_lists[LRU_UNEVICTABLE]),
};
u64 lru_count[NR_LRU_LISTS];

/* The evictable list for the page's kind and PG_active, ignoring PG_mlocked. */
static enum lru_list evictable_lru(const struct page *page)
{
	unsigned base = PAGE_FLAG(page, PG_swapbacked) ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;

	return (enum lru_list)(base + PAGE_FLAG(page, PG_active));
}

/* The list the flags say the page belongs on. */
static enum lru_list page_lru(const struct page *page)
{
	return PAGE_FLAG(page, PG_mlocked) ? LRU_UNEVICTABLE : evictable_lru(page);
}

static void add_to(struct page *page, enum lru_list lru)
{
	list_add(&page->lru, &lru_lists[lru]);
	lru_count[lru]++;
}

static void del_from(struct page *page, enum lru_list lru)
{
	BUG_ON(lru_count[lru] == 0);
	list_del(&page->lru);
	lru_count[lru]--;
}

void lru_add(struct page *page, bool anon)
{
	unsigned long f;

	BUG_ON(PAGE_FLAG(page, PG_lru) || PAGE_FLAG(page, PG_buddy) || PAGE_FLAG(page, PG_pcp));
	f = spin_lock_irqsave(&lru_lock);
	if (anon)
		page_set_flag(page, PG_swapbacked);
	page_clear_flag(page, PG_active);
	page_set_flag(page, PG_lru);
	add_to(page, page_lru(page));
	spin_unlock_irqrestore(&lru_lock, f);
}

void lru_del(struct page *page)
{
	unsigned long f = spin_lock_irqsave(&lru_lock);

	BUG_ON(!PAGE_FLAG(page, PG_lru));
	del_from(page, page_lru(page));
	page_clear_flag(page, PG_lru);
	page_clear_flag(page, PG_active);
	spin_unlock_irqrestore(&lru_lock, f);
}

/* Move the page between its evictable list and the unevictable one (lru_lock held). */
static void update_mlock_locked(struct page *page)
{
	if (PAGE_FLAG(page, PG_mlocked)) {
		/* just locked: it was on its evictable list; Linux also forgets
		 * PG_active here, so it comes back inactive when unlocked */
		del_from(page, evictable_lru(page));
		page_clear_flag(page, PG_active);
		add_to(page, LRU_UNEVICTABLE);
	} else {
		del_from(page, LRU_UNEVICTABLE);
		add_to(page, evictable_lru(page));
	}
}

void lru_update_mlock(struct page *page)
{
	unsigned long f = spin_lock_irqsave(&lru_lock);

	if (PAGE_FLAG(page, PG_lru)) /* else: not on a list yet, lru_add() will look at PG_mlocked */
		update_mlock_locked(page);
	spin_unlock_irqrestore(&lru_lock, f);
}

/* ---- reclaim's side (mm/vmscan.c) --------------------------------------- */

/* Take page off list lru into the caller's hands (lru_lock held). */
static void isolate_locked(struct page *page, enum lru_list lru)
{
	del_from(page, lru);
	page_clear_flag(page, PG_lru);
	page_set_flag(page, PG_isolated);
	page->refcount++; /* the isolator's reference */
}

unsigned lru_isolate(enum lru_list lru, unsigned nr, struct list_head *dst)
{
	unsigned long f = spin_lock_irqsave(&lru_lock);
	unsigned n = 0;

	while (n < nr && !list_empty(&lru_lists[lru])) {
		struct page *page = list_last_entry(&lru_lists[lru], struct page, lru);

		isolate_locked(page, lru);
		list_add_tail(&page->lru, dst);
		n++;
	}
	spin_unlock_irqrestore(&lru_lock, f);
	return n;
}

bool lru_isolate_page(struct page *page)
{
	unsigned long f = spin_lock_irqsave(&lru_lock);
	bool ok = PAGE_FLAG(page, PG_lru) && !PAGE_FLAG(page, PG_mlocked);

	if (ok)
		isolate_locked(page, page_lru(page));
	spin_unlock_irqrestore(&lru_lock, f);
	return ok;
}

bool lru_isolate_movable(struct page *page)
{
	unsigned long f = spin_lock_irqsave(&lru_lock);
	bool ok = PAGE_FLAG(page, PG_lru);

	if (ok)
		isolate_locked(page, page_lru(page));
	spin_unlock_irqrestore(&lru_lock, f);
	return ok;
}

void lru_putback(struct page *page, bool active)
{
	unsigned long f = spin_lock_irqsave(&lru_lock);

	BUG_ON(!PAGE_FLAG(page, PG_isolated) || PAGE_FLAG(page, PG_lru) || page->refcount < 2);
	page_clear_flag(page, PG_isolated);
	if (active)
		page_set_flag(page, PG_active);
	else
		page_clear_flag(page, PG_active);
	page_set_flag(page, PG_lru);
	add_to(page, page_lru(page));
	page->refcount--; /* the isolator's; the page's owners still hold theirs */
	spin_unlock_irqrestore(&lru_lock, f);
}

void lru_deactivate(struct page *page)
{
	unsigned long f = spin_lock_irqsave(&lru_lock);

	if (PAGE_FLAG(page, PG_lru) && !PAGE_FLAG(page, PG_mlocked)) {
		del_from(page, page_lru(page));
		page_clear_flag(page, PG_active);
		page_clear_flag(page, PG_referenced);
		add_to(page, page_lru(page));
	}
	spin_unlock_irqrestore(&lru_lock, f);
}
