/*
 * The reverse map: from a page to the (mm, VA) pairs that map it, object
 * based as in Linux (see include/mm/rmap.h for the two anchors).
 *
 *   anon page ──mapping──> anon_vma ──vmas──> vma, vma (split halves)
 *              index = VA >> PAGE_SHIFT      VA must lie in [start, end)
 *   file page ──mapping──> address_space ──i_mmap──> vma, vma, ...
 *              index = file page             VA = start + (index - pgoff) pages
 *
 * A candidate is a mapping only if the PTE at its VA maps this very page:
 * under a private file VMA the PTE may hold a COW copy, and an anon VMA
 * may not have faulted that VA in.
 *
 * The mapped-page counters live here because only the rmap sees the
 * transitions: NR_ANON_MAPPED counts anon pages with a mapping (new anon
 * rmap / last unmap), NR_FILE_MAPPED page-cache pages whose mapcount goes
 * 0 -> 1 and 1 -> 0.
 *
 * anon_vma objects are kzalloc'd here and linked to their first VMA
 * (refs 1); mm/vma.c links split halves (refs++), unlinks and drops the
 * reference in vma_free, and kfree()s the anon_vma when refs reach 0.
 *
 * Lock ordering in mm (the one table for mm/, dma/ and the kernel's use of
 * them; a file's own "Locking:" paragraph says what its lock protects).
 * Every lock is a spinlock_t (include/lib/spinlock.h): interrupts masked
 * plus a held flag that catches recursion; SMP turns it into a ticket lock
 * without changing callers, so the order below is what keeps SMP deadlock
 * free. Read "A -> B" as "B may be taken while A is held, never the other
 * way round". Locks marked (planned) do not exist yet: today their data is
 * serialised by one CPU and a kernel that is not preempted (tasks switch
 * only in schedule(), called from syscalls and on the way back to EL0)
 * and interrupt handlers never touch it; each comes with the code that
 * makes it needed (SMP). Reclaim (mm/vmscan.c) and kswapd run in task
 * context only, between two tasks' kernel work or inside an allocation,
 * and finish every page they isolate before they return or yield.
 *
 *   mm->mmap_lock (planned: a sleeping rw lock; the VMA tree, brk, the
 *   |              mm's counters; held by faults (read), mmap/munmap (write))
 *   |-> anon_vma->lock / mapping->i_mmap_lock (planned: the rmap lists
 *   |   |           walked here; reclaim enters at this level through a
 *   |   |           page it has isolated from the LRU, never holding the
 *   |   |           mmap_lock of the mms it finds)
 *   |   |-> the page table lock of an mm (planned: one per mm; PTE changes,
 *   |       |       table allocation and freeing, swap entries)
 *   |       |-> swap_lock (mm/swap.c: swap_map, the swap-cache index,
 *   |       |           PG_swapcache; never held across zram or LZ4)
 *   |       |-> zram->lock -> zpool->lock (mm/zram.c, mm/zpool.c: a slot
 *   |       |           table, the object store; the store's page
 *   |       |           allocations cannot reclaim: GFP_NOWAIT or PF_MEMALLOC)
 *   |       |-> lru_lock (mm/lru.c: the LRU lists, lru_count[], PG_lru and
 *   |       |   |       PG_active of pages on them; reclaim holds it only to
 *   |       |   |       isolate and put back, never while it works on a page)
 *   |       |   |-> zone->lock (mm/page_alloc.c: free lists, pageblock
 *   |       |           types, the zone's counters); innermost: nothing
 *   |       |           is taken under it
 *   |       |-> kmem_cache->lock (mm/slab.c: a cache's slab lists; slabs
 *   |               grow and shrink with the lock dropped, so zone->lock
 *   |               is never taken under it)
 *   |-> slab_caches_lock (the list of caches; nothing nested)
 *   vmap_area_lock (mm/vmalloc_area.c: leaf, never held across the page
 *                   allocator or a table change)
 *   vmap_pt_lock -> zone->lock (table pages for the vmalloc window)
 *   coherent_lock, tlb_lock (dma/: leaves), sites_lock (slab debug: leaf)
 *   the scheduler's runqueue (kernel/sched.c: interrupts masked; no mm lock
 *                   is held across schedule(), and reclaim never sleeps with
 *                   any lock above held)
 *
 * Rules that follow: the page allocator may be called with any lock above
 * zone->lock held only with a gfp that cannot reclaim (GFP_ATOMIC/NOWAIT),
 * since reclaim takes the rmap and LRU locks; interrupt handlers take only
 * zone->lock, slab's cache locks and the DMA leaves (GFP_ATOMIC).
 */
#include <errno.h>
#include <lib/panic.h>
#include <mm/highmem.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/vmstat.h>

int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct anon_vma *av;

	if (likely(vma->anon_vma))
		return 0;
	av = kzalloc(sizeof(*av), GFP_KERNEL);
	if (!av)
		return -ENOMEM;
	INIT_LIST_HEAD(&av->vmas);
	list_add_tail(&vma->anon_link, &av->vmas);
	av->refs = 1;
	vma->anon_vma = av;
	return 0;
}

void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, u64 va)
{
	page->mapping = (void *)((uintptr_t)vma->anon_vma | PAGE_MAPPING_ANON);
	page->index = va >> PAGE_SHIFT;
	page->mapcount = 1;
	page_set_flag(page, PG_swapbacked);
	mod_vm_stat(NR_ANON_MAPPED, 1);
}

void page_add_file_rmap(struct page *page)
{
	if (page->mapcount++ == 0 && !page_is_anon(page))
		mod_vm_stat(NR_FILE_MAPPED, 1);
}

void page_remove_rmap(struct page *page)
{
	BUG_ON(page->mapcount <= 0);
	if (--page->mapcount)
		return;
	if (page_is_anon(page)) {
		mod_vm_stat(NR_ANON_MAPPED, -1);
		page->mapping = NULL;
	} else {
		mod_vm_stat(NR_FILE_MAPPED, -1);
	}
}

/* Whether the PTE at va of vma's mm maps page (user pages are mapped by
 * 4 KiB leaves only: the fault path's one-walk lookup is enough). */
static bool maps_page(const struct vm_area_struct *vma, u64 va, const struct page *page)
{
	const pte_t *ptep = pgt_walk_pte(&vma->mm->pgt, va, false);

	return ptep && arch_pte_is_valid(*ptep) && phys_to_pfn(arch_pte_addr(*ptep)) == page_to_pfn(page);
}

static unsigned walk_anon(struct page *page, struct anon_vma *av, rmap_visit_fn fn, void *arg)
{
	u64 va = page->index << PAGE_SHIFT;
	struct vm_area_struct *vma, *tmp;
	unsigned n = 0;

	list_for_each_entry_safe(vma, tmp, &av->vmas, anon_link) {
		if (va < vma->start || va >= vma->end || !maps_page(vma, va, page))
			continue;
		n++;
		if (fn && !fn(page, vma, va, arg))
			break;
	}
	return n;
}

static unsigned walk_file(struct page *page, struct address_space *as, rmap_visit_fn fn, void *arg)
{
	struct vm_area_struct *vma, *tmp;
	unsigned n = 0;

	list_for_each_entry_safe(vma, tmp, &as->i_mmap, shared_link) {
		u64 off = page->index - vma->pgoff; /* wraps when index < pgoff */
		u64 va;

		if (page->index < vma->pgoff || off >= (vma->end - vma->start) >> PAGE_SHIFT)
			continue;
		va = vma->start + (off << PAGE_SHIFT);
		if (!maps_page(vma, va, page))
			continue;
		n++;
		if (fn && !fn(page, vma, va, arg))
			break;
	}
	return n;
}

unsigned rmap_walk(struct page *page, rmap_visit_fn fn, void *arg)
{
	struct anon_vma *av = page_anon_vma(page);
	struct address_space *as;

	if (av)
		return walk_anon(page, av, fn, arg);
	as = page_file_mapping(page);
	return as ? walk_file(page, as, fn, arg) : 0;
}

/*
 * Replace the PTE of one mapping of page: a swap-cache anon page leaves a
 * swap entry for its slot (one more hold on it), any other page leaves
 * none. The table page stays (reclaim may run inside a fault of this very
 * mm, which holds a pointer into it). VM_LOCKED mappings stop the walk:
 * mlocked pages are never unmapped.
 */
static bool unmap_one(struct page *page, struct vm_area_struct *vma, u64 va, void *arg)
{
	struct mm_struct *mm = vma->mm;
	const struct address_space *as = page_file_mapping(page);
	enum mm_counter c = !as ? MM_ANONPAGES : as->shmem ? MM_SHMEMPAGES : MM_FILEPAGES;
	pte_t *ptep, e = 0;

	if (vma->flags & (VM_LOCKED | VM_LOCKING))
		return false; /* mlocked (or being locked): stays, and the page with it */
	ptep = pgt_walk_pte(&mm->pgt, va, false);
	BUG_ON(!ptep); /* maps_page() found the leaf */
	if (!as && PAGE_FLAG(page, PG_swapcache)) { /* anon: the PTE holds the slot (shmem: its object) */
		e = arch_pte_mk_swap(0, page->private);
		swap_dup(page->private);
		mm->rss[MM_SWAPENTS]++;
	}
	pgt_set_pte(&mm->pgt, ptep, va, e); /* break-before-make, TLB flushed by ASID */
	page_remove_rmap(page);
	mm->rss[c]--;
	BUG_ON(page->refcount < 2); /* the caller holds its own reference */
	page->refcount--;           /* the PTE's */
	++*(unsigned *)arg;
	return true;
}

unsigned try_to_unmap(struct page *page)
{
	unsigned removed = 0;

	rmap_walk(page, unmap_one, &removed);
	return removed;
}

struct remap {
	struct page *new;
	unsigned moved;
	bool icache_synced;
};

/*
 * Point one PTE of page at the new frame instead (migration): same
 * permissions, young and dirty state as before; break-before-make and the
 * TLB flush by ASID are pgt_set_pte's. Mappings, rss and the rmap
 * counters do not change: the caller moves mapcount and refcount as a
 * whole. VM_LOCKED mappings move too (Linux migrates mlocked pages).
 */
static bool remap_one(struct page *page, struct vm_area_struct *vma, u64 va, void *arg)
{
	struct remap *r = arg;
	pte_t *ptep = pgt_walk_pte(&vma->mm->pgt, va, false);
	pte_t old, e;

	(void)page;
	BUG_ON(!ptep); /* maps_page() found the leaf */
	old = *ptep;
	e = arch_pte_mk_leaf(page_to_phys(r->new), PT_LEAF_LEVEL, arch_pte_attrs(old));
	if (!arch_pte_is_young(old))
		e = arch_pte_mkold(e);
	if (arch_pte_is_dirty(old))
		e = arch_pte_mkdirty(e);
	if ((vma->flags & VM_EXEC) && !r->icache_synced) { /* fetchable before it is mapped */
		void *nva = kmap_local_page(r->new);

		arch_icache_sync_range((vaddr_t)nva, PAGE_SIZE);
		kunmap_local(nva);
		r->icache_synced = true;
	}
	pgt_set_pte(&vma->mm->pgt, ptep, va, e);
	r->moved++;
	return true;
}

unsigned rmap_move(struct page *page, struct page *new)
{
	struct remap r = { new, 0, false };

	rmap_walk(page, remap_one, &r);
	return r.moved;
}

struct referenced {
	unsigned young;
	bool locked;
	bool exec;
};

static bool referenced_one(struct page *page, struct vm_area_struct *vma, u64 va, void *arg)
{
	struct referenced *r = arg;

	(void)page;
	if (vma->flags & (VM_LOCKED | VM_LOCKING)) {
		r->locked = true;
		return false;
	}
	if (vma->flags & VM_EXEC)
		r->exec = true;
	if (pgt_test_and_clear_young(&vma->mm->pgt, va))
		r->young++;
	return true;
}

unsigned page_referenced(struct page *page, bool *locked, bool *exec)
{
	struct referenced r = { 0, false, false };

	rmap_walk(page, referenced_one, &r);
	if (locked)
		*locked = r.locked;
	if (exec)
		*exec = r.exec;
	return r.young;
}
