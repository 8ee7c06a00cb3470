/*
 * Reclaim: Linux's split LRU on one node (contracts in include/mm/vmscan.h).
 *
 * A pass (shrink_memory) runs at falling priority, 12 down to 0: at
 * priority p it scans (list size >> p) pages of each inactive list, split
 * between anon and file by swappiness, until it has freed what was asked.
 * Before each batch from an inactive list, the active list of that kind
 * is aged if the inactive one is "low" (Linux's inactive_is_low: inactive
 * * ratio < active, ratio = sqrt(10 * GiB of that kind), at least 1).
 *
 *   inactive tail ─┬─ young PTE (anon, or file seen twice) ──> active head  (pgactivate)
 *                  ├─ young PTE (file, first time) -> PG_referenced, inactive head (pgrotated)
 *                  ├─ mlocked / in use (extra references) ──> back, untouched
 *                  └─ old: anon ──> swap (mm/swap.c), PTEs become swap entries
 *                          file ──> PTEs cleared, dropped from the page cache
 *   active tail ──> AF cleared ──> inactive head (pgdeactivate), except
 *                   young executable file pages, which stay active
 *
 * Aging is the Access Flag: page_referenced() (mm/rmap.c) counts and
 * clears the young PTEs of a page, flushing each TLB entry by ASID; the
 * next access takes an access-flag fault that makes it young again
 * (mm/memory.c, FAULT_KIND_ACCESSED).
 *
 * A page is reclaimed only if nothing but its PTEs, its cache and the
 * isolation hold it (refcount == mapcount + cache + 1): a fault in
 * progress pins the page it works on, so reclaim running inside that
 * fault's allocation skips it. Unmapping keeps page-table pages (the
 * faulting context may hold a pointer into one).
 *
 * Anon pages need a free swap slot and room in zram: when add_to_swap()
 * says -ENOSPC the pass stops scanning anon (the page goes back active)
 * and goes on with file pages only. Shmem pages are not swapped yet: they
 * are rotated back to their active list.
 *
 * Counters (Linux's names, include/mm/vmstat.h): pgscan_kswapd/direct,
 * pgsteal_kswapd/direct, pgscan/pgsteal_anon/file, pgactivate,
 * pgdeactivate, pgrefill, pgrotated, allocstall, slabs_scanned (pages the
 * shrinkers freed), pageoutrun.
 *
 * Locking and recursion: lru_lock is taken only to isolate and put back;
 * pages are worked on with no lock held, and a batch is finished (every
 * page freed or put back) before reclaim returns, so nothing sleeps with
 * pages isolated. The reclaiming task runs with PF_MEMALLOC: the page
 * allocator never enters reclaim again from inside it, and lets it use
 * the reserves below the min watermark for zram's own pages.
 */
#include <errno.h>
#include <lib/panic.h>
#include <mm/filemap.h>
#include <mm/memalloc.h>
#include <mm/memory.h>
#include <mm/memstall.h>
#include <mm/mmzone.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <mm/shrinker.h>
#include <mm/swap.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>

#define SWAP_CLUSTER_MAX 32u
#define DEF_PRIORITY 12
#define KSWAPD_BATCH (8 * SWAP_CLUSTER_MAX) /* pages per kswapd_balance() call */

unsigned vm_swappiness = CONFIG_SWAPPINESS;

int set_swappiness(long v)
{
	if (v < 0 || v > 200)
		return -EINVAL;
	vm_swappiness = (unsigned)v;
	return 0;
}

struct scan_control {
	u64 nr_to_reclaim;
	u64 nr_reclaimed;
	bool kswapd;
	bool may_swap;      /* cleared when swap is full or absent */
	bool ignore_refs;   /* MADV_PAGEOUT: reclaim even if young */
	bool skip_cma;      /* for an allocation that cannot use CMA pageblocks */
	bool lowmem_only;   /* for an allocation that cannot use highmem: freeing
			       highmem pages does not help it (Linux's reclaim_idx) */
};

static void count_scan(const struct scan_control *sc, bool anon, u64 n)
{
	count_vm_events(sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, n);
	count_vm_events(anon ? PGSCAN_ANON : PGSCAN_FILE, n);
}

static void count_steal(const struct scan_control *sc, bool anon)
{
	count_vm_event(sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT);
	count_vm_event(anon ? PGSTEAL_ANON : PGSTEAL_FILE);
}

/* Whether swap can take more pages now. */
static bool swap_has_room(void)
{
	struct swap_info si;

	swap_get_info(&si);
	return si.inuse_slots < si.nr_slots;
}

/* ---- one page ------------------------------------------------------------- */

enum page_verdict { KEEP_INACTIVE, KEEP_ACTIVE, FREED };

/* References other than the PTEs, the cache and our isolation: a pin. */
static bool page_pinned(const struct page *p)
{
	s32 expected = p->mapcount + 1 + (page_file_mapping(p) ? 1 : 0);

	return p->refcount != expected;
}

/* Reclaim one isolated inactive page, or say where it goes back. */
static enum page_verdict shrink_page(struct page *p, struct scan_control *sc)
{
	bool anon = page_is_anon(p), locked = false;
	unsigned young;
	struct address_space *as = page_file_mapping(p);
	bool shmem = as && as->shmem;

	if (PAGE_FLAG(p, PG_mlocked) || (!anon && !as))
		return KEEP_INACTIVE; /* mlocked meanwhile: lru_putback puts it on unevictable */
	if (sc->lowmem_only && p->zone == ZONE_HIGHMEM)
		return KEEP_INACTIVE; /* a zone the allocation cannot use */
	if (page_pinned(p))
		return KEEP_ACTIVE;
	/* MADV_PAGEOUT ignores references (its VMAs are never locked: madvise
	 * skips those, and try_to_unmap stops at one anyway) */
	young = sc->ignore_refs ? 0 : page_referenced(p, &locked, NULL);
	if (locked)
		return KEEP_ACTIVE;
	if (young) {
		if (anon || PAGE_FLAG(p, PG_referenced) || young > 1) {
			count_vm_event(PGACTIVATE);
			return KEEP_ACTIVE;
		}
		page_set_flag(p, PG_referenced);
		count_vm_event(PGROTATED);
		return KEEP_INACTIVE;
	}
	if (anon || shmem) { /* the only copy of its data: to swap */
		int rc;

		if (!sc->may_swap)
			return KEEP_ACTIVE;
		rc = add_to_swap(p);
		if (rc) {
			if (rc == -ENOSPC)
				sc->may_swap = false; /* full or at its limit: stop swapping */
			return KEEP_ACTIVE;
		}
	}
	try_to_unmap(p);
	if (p->mapcount) { /* mlocked meanwhile: a swap-cache page must not stay mapped writable */
		if (anon || shmem)
			delete_from_swap_cache(p);
		return KEEP_ACTIVE;
	}
	if (anon) {
		delete_from_swap_cache(p); /* its PTEs now hold the slot */
	} else if (shmem) {
		u64 offset = p->private;

		if (!shmem_swapout(p)) { /* in use after all: its stored copy is dropped */
			delete_from_swap_cache(p);
			return KEEP_INACTIVE;
		}
		swap_dup(offset); /* the object's entry holds the slot */
		delete_from_swap_cache(p);
	} else if (!filemap_evict_page(p)) {
		return KEEP_INACTIVE;
	}
	page_clear_flag(p, PG_isolated);
	page_clear_flag(p, PG_referenced);
	put_user_page(p); /* the isolation's reference, the last */
	count_steal(sc, anon || shmem); /* shmem is swap-backed: counted as anon, as Linux does */
	return FREED;
}

/* Reclaim what it can of the isolated pages on list; the rest go back. */
static u64 shrink_page_list(struct list_head *list, struct scan_control *sc)
{
	u64 freed = 0;

	while (!list_empty(list)) {
		struct page *p = list_first_entry(list, struct page, lru);
		enum page_verdict v;

		list_del(&p->lru);
		v = shrink_page(p, sc);
		if (v == FREED)
			freed++;
		else
			lru_putback(p, v == KEEP_ACTIVE);
	}
	return freed;
}

/* ---- the lists ------------------------------------------------------------ */

static u64 int_sqrt(u64 x)
{
	u64 r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

static bool inactive_is_low(enum lru_list inactive)
{
	u64 in = lru_count[inactive], act = lru_count[inactive + 1];
	u64 gb = (in + act) >> (30 - PAGE_SHIFT);
	u64 ratio = gb ? int_sqrt(10 * gb) : 1;

	return in * ratio < act;
}

/* Age up to nr pages from the tail of the active list of inactive's kind. */
static void shrink_active_list(enum lru_list inactive, unsigned nr)
{
	LIST_HEAD(list);
	unsigned n = lru_isolate(inactive + 1, nr, &list);

	count_vm_events(PGREFILL, n);
	while (!list_empty(&list)) {
		struct page *p = list_first_entry(&list, struct page, lru);
		bool exec = false, active;

		list_del(&p->lru);
		active = page_referenced(p, NULL, &exec) && exec && !page_is_anon(p);
		if (!active)
			count_vm_event(PGDEACTIVATE);
		lru_putback(p, active);
	}
}

static u64 shrink_inactive_list(enum lru_list inactive, unsigned nr, struct scan_control *sc)
{
	LIST_HEAD(list);
	unsigned n;

	if (inactive_is_low(inactive))
		shrink_active_list(inactive, SWAP_CLUSTER_MAX);
	n = lru_isolate(inactive, nr, &list);
	count_scan(sc, inactive == LRU_INACTIVE_ANON, n);
	return shrink_page_list(&list, sc);
}

/*
 * How many pages of each kind to scan at priority: (all pages of the kind
 * >> priority), split by swappiness as Linux's get_scan_count does without
 * its cost feedback: anon weight swappiness, file weight 200 - swappiness
 * (so 0 takes anon only once no file page is left on the lists); anon only
 * when file is empty, file only when swap cannot take pages.
 */
static void scan_counts(const struct scan_control *sc, int priority, u64 *nr_anon, u64 *nr_file)
{
	u64 anon = lru_count[LRU_INACTIVE_ANON] + lru_count[LRU_ACTIVE_ANON];
	u64 file = lru_count[LRU_INACTIVE_FILE] + lru_count[LRU_ACTIVE_FILE];
	u64 ap = vm_swappiness, fp = 200 - vm_swappiness;

	if (!sc->may_swap || !anon)
		ap = 0, fp = 1;
	else if (!file)
		ap = 1, fp = 0;
	*nr_anon = ap ? (anon >> priority) * ap / (ap + fp) : 0;
	*nr_file = fp ? (file >> priority) * fp / (ap + fp) : 0;
	if (ap && !*nr_anon && anon)
		*nr_anon = MIN(anon, SWAP_CLUSTER_MAX) * ap / (ap + fp) + 1;
	if (fp && !*nr_file && file)
		*nr_file = MIN(file, SWAP_CLUSTER_MAX) * fp / (ap + fp) + 1;
}

static void shrink_lists(struct scan_control *sc)
{
	for (int prio = DEF_PRIORITY; prio >= 0 && sc->nr_reclaimed < sc->nr_to_reclaim; prio--) {
		u64 nr_anon, nr_file;

		scan_counts(sc, prio, &nr_anon, &nr_file);
		while ((nr_anon || nr_file) && sc->nr_reclaimed < sc->nr_to_reclaim) {
			unsigned a = (unsigned)MIN(nr_anon, SWAP_CLUSTER_MAX), f = (unsigned)MIN(nr_file, SWAP_CLUSTER_MAX);

			if (a && sc->may_swap)
				sc->nr_reclaimed += shrink_inactive_list(LRU_INACTIVE_ANON, a, sc);
			if (f)
				sc->nr_reclaimed += shrink_inactive_list(LRU_INACTIVE_FILE, f, sc);
			nr_anon = sc->may_swap ? nr_anon - a : 0;
			nr_file -= f;
		}
	}
}

static u64 do_shrink(u64 nr, bool kswapd, bool skip_cma, bool lowmem_only)
{
	struct scan_control sc = { .nr_to_reclaim = nr, .kswapd = kswapd, .may_swap = swap_has_room(),
				   .skip_cma = skip_cma, .lowmem_only = lowmem_only };
	unsigned saved = memalloc_save();
	u64 slab = run_shrinkers(GFP_KERNEL, 0);

	count_vm_events(SLABS_SCANNED, slab);
	sc.nr_reclaimed = slab;
	shrink_lists(&sc);
	memalloc_restore(saved);
	return sc.nr_reclaimed;
}

u64 shrink_memory(u64 nr, bool kswapd) { return do_shrink(nr, kswapd, false, false); }

/* ---- kswapd's side ---------------------------------------------------------- */

/* Pages zone z lacks to reach watermark w for an allocation whose highest
 * zone is classzone (0 if it has them): free pages outside CMA only (what
 * every allocation can use: an unmovable one fails below min even with
 * free CMA pages), against the mark plus the reserve z keeps from
 * allocations that could have used a higher zone. */
static u64 zone_deficit(const struct zone *z, enum zone_watermarks w, int classzone)
{
	u64 free = z->nr_free - z->nr_free_cma, mark = z->watermark[w] + z->lowmem_reserve[classzone];

	return free < mark ? mark - free : 0;
}

/* Linux's pgdat_balanced for order 0: some populated zone up to classzone
 * is at its high watermark for an allocation whose highest zone is
 * classzone (user pages come from any zone, so one is enough; the lower
 * zones count only above the reserve they keep from such allocations, or
 * an idle ZONE_DMA would always look balanced). The pages still missing,
 * or 0. */
static u64 balance_deficit(int classzone)
{
	u64 least = ~0ull;
	int top = -1;

	for (int i = 0; i < MAX_NR_ZONES && i <= classzone; i++)
		if (zone_populated(&zones[i]))
			top = i;
	for (int i = 0; i <= top; i++)
		if (zone_populated(&zones[i]))
			least = MIN(least, zone_deficit(&zones[i], WMARK_HIGH, top));
	return least == ~0ull ? 0 : least;
}

bool reclaim_needed(void) { return balance_deficit(MAX_NR_ZONES - 1) != 0; }

bool reclaim_needed_for(gfp_t gfp) { return gfp_zone(gfp) >= 0 && balance_deficit(gfp_zone(gfp)) != 0; }

bool kswapd_needed(int classzone) { return balance_deficit(classzone) != 0; }

u64 kswapd_balance(int classzone)
{
	u64 need = balance_deficit(classzone), freed;

	if (!need)
		return 0;
	/* below HighMem, only lowmem pages bring a usable zone nearer its mark */
	freed = do_shrink(MIN(MAX(need, SWAP_CLUSTER_MAX), KSWAPD_BATCH), true, true, classzone < ZONE_HIGHMEM);
	drain_pcp_pages(); /* the freed pages count towards the watermark */
	return freed;
}

/* The page allocator's direct-reclaim hook. */
static u64 direct_reclaim(gfp_t gfp, unsigned order)
{
	u64 freed;

	count_vm_event(ALLOCSTALL);
	psi_memstall_enter();
	/* pages freed in CMA pageblocks serve movable allocations only */
	freed = do_shrink(MAX(SWAP_CLUSTER_MAX, 1ull << order), false, gfp_migratetype(gfp) != MIGRATE_MOVABLE,
			  gfp_zone(gfp) != ZONE_HIGHMEM);
	drain_pcp_pages();
	psi_memstall_leave();
	return freed;
}

void reclaim_init(void) { reclaim_hooks.direct_reclaim = direct_reclaim; }

/* ---- madvise ----------------------------------------------------------------- */

struct madv_walk {
	struct vm_area_struct *vma;
	u64 start, end;
	bool pageout;
	struct list_head list;
};

/* The pages of a range (the caller's syscall, its own mm, no fault in
 * progress): one table walk per level-3 table (2 MiB), then the next
 * entry of the same table for each page. Nothing frees a table meanwhile. */
static void madvise_walk(struct madv_walk *w)
{
	const u64 table_span = (PAGE_SIZE / sizeof(pte_t)) * PAGE_SIZE;
	struct pgtable *pt = &w->vma->mm->pgt;
	pte_t *ptep = NULL;

	for (u64 va = w->start; va < w->end; va += PAGE_SIZE) {
		struct page *p;

		if (!ptep || !(va & (table_span - 1)))
			ptep = pgt_walk_pte(pt, va, false);
		else
			ptep++;
		if (!ptep) { /* no table here: on to the next one */
			va = (va | (table_span - 1)) + 1 - PAGE_SIZE;
			continue;
		}
		if (!arch_pte_is_valid(*ptep))
			continue;
		p = pfn_to_page(phys_to_pfn(arch_pte_addr(*ptep)));
		if (p == zero_page || !PAGE_FLAG(p, PG_lru))
			continue;
		if (!w->pageout) { /* as Linux: made old, so reclaim takes it on first sight */
			pgt_test_and_clear_young(pt, va);
			lru_deactivate(p);
			count_vm_event(PGDEACTIVATE);
		} else if (p->mapcount == 1 && lru_isolate_page(p)) {
			list_add_tail(&p->lru, &w->list); /* pages others map too are left, as Linux does */
		}
	}
}

void madvise_cold_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	struct madv_walk w = { vma, start, end, false, LIST_HEAD_INIT(w.list) };

	madvise_walk(&w);
}

u64 madvise_pageout_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	struct madv_walk w = { vma, start, end, true, LIST_HEAD_INIT(w.list) };
	struct scan_control sc = { .nr_to_reclaim = ~0ull, .may_swap = swap_has_room(), .ignore_refs = true };
	unsigned saved = memalloc_save();
	u64 freed;

	madvise_walk(&w);
	freed = shrink_page_list(&w.list, &sc);
	memalloc_restore(saved);
	return freed;
}
