/*
 * The page level of user address spaces: the fault handler and the
 * shared zero page. The range operations mm/mmap.c builds on (zap,
 * protect, populate, readahead, mlock) are in mm/memory_range.c, the
 * helpers both use in mm/memory_internal.h. Contracts in
 * include/mm/memory.h.
 *
 * Terminology
 *   own page   a page this mm may write in place, so its PTE gets
 *              MMU_WRITE when the VMA is writable: an anon page it maps
 *              exclusively (mapcount 1), or any page of a shared VMA
 *              (shared file, shmem). Everything else is mapped read-only.
 *   COW        copy-on-write: a write to a page that is not our own (the
 *              zero page, a page-cache page under a private file VMA, an
 *              anon page mapped more than once) gets a private anon copy.
 *   REUSE      a write to a read-only PTE of an own page: only the PTE's
 *              permission changes (an exclusive anon page, or a shared
 *              page whose PTE was left read-only).
 *
 * A fault: one vma_lookup, one pgt_walk_pte giving the PTE slot and struct pte_state, then
 * fault_classify() (pure) decides, and the kind is carried out:
 *
 *   kind          PTE before     PTE after                  page accounting
 *   ZERO          none           zero page, RO              none (never counted)
 *   ANON          none           new zeroed page            +ref +anon rmap +rss anon, LRU
 *   COW           none/RO        new anon copy              as ANON; the old page
 *                                                          -ref -rmap -rss
 *   REUSE         RO             same page, RW              none
 *   FILE_CACHED   none           page-cache page (RW only   +ref +file rmap +rss file
 *   FILE_READ                    in a shared VMA)           (FILE_READ: readpage ran)
 *   SHMEM         none           shmem page                 as FILE_*, rss shmem (SWAP,
 *                                                          major, if its object held a
 *                                                          swap entry: read back, slot freed)
 *   SWAP          swap entry     page read back by the      as ANON; -swap entry (the
 *                                swap backend (major)       backend's slot freed)
 *   ACCESSED      allows it, old same page, young           none
 *   SPURIOUS      allows it      re-derived if stale;       none
 *                                TLB entry invalidated
 *
 * Swap entries (non-present, non-zero PTEs) are never "none": a fault on
 * one asks the registered swap backend (struct swap_ops) for the page;
 * with no backend, or an entry the arch does not decode as swap, it is
 * SWAPERR (SIGBUS) - a swapped-out page never comes back zero-filled.
 * zap_page_range hands each swap entry to the backend's swap_free.
 *
 * Old PTEs. Reclaim clears the access flag (pgt_test_and_clear_young);
 * the next access takes an access-flag fault on a PTE that otherwise
 * allows it: ACCESSED sets the flag again (in place, no break-before-make)
 * and is a minor fault, not a spurious one.
 *
 * Spurious faults. The PTE already allows the access, so the CPU faulted
 * on something the PTE does not show. On ARMv8 with one CPU and every PTE
 * change flushed by this kernel, the legitimate cases are a permission
 * that was stale when the fault was taken (re-derived from the VMA here)
 * and a stale TLB entry (e.g. a permission upgrade the TLB still holds the
 * old form of): one TLB invalidate of the page cures both, and the access
 * is retried. Anything else cannot make progress by retrying - a PTE the
 * hardware reads differently than fault_classify does (W+X under
 * SCTLR_EL1.WXN is not executable), a broken descriptor - so SPURIOUS_MAX
 * spurious faults in a row at the same page with the same PTE become
 * NOPROGRESS: the app is killed with a report instead of looping.
 * mm->spurious_* keeps the streak; any other fault of the mm ends it.
 *
 * fault_classify cannot see the page cache, so an absent file page
 * classifies as FILE_CACHED and becomes FILE_READ (major) if
 * filemap_get_page had to read it, or SIGBUS past the end of the file.
 * COW of an absent private file page reads the source the same way (a
 * major COW).
 *
 * PTE permissions (memory.h): every user PTE has MMU_USER | MMU_NG |
 * MMU_MT_NORMAL and MMU_READ (the AArch64 encoding cannot deny EL0 reads
 * of a user page, so any accessible VMA is readable, as on Linux/arm64
 * without exec-only support); MMU_EXEC from VM_EXEC; MMU_WRITE for own
 * pages of VM_WRITE VMAs. A PROT_NONE VMA gets no PTEs from faults; when
 * mprotect takes a populated range to PROT_NONE, change_protection keeps
 * its pages mapped without MMU_USER (EL0 cannot touch them, the data
 * survives a later mprotect back), as Linux keeps PROT_NONE PTEs.
 *
 * Page references: each PTE holds one reference (the zero page none);
 * the page cache holds one per cached page (mm/filemap.c). An anon page
 * is freed when its last PTE goes. Every PTE change goes through
 * mm/pgtable.c on mm->pgt, which does break-before-make and the TLB
 * flush by ASID (pgt.live, pgt.user).
 *
 * Locking: none of its own (see mm_types.h): one CPU and a kernel that is
 * not preempted, and the caller (a syscall, or the fault vector of the
 * task that owns the mm) is the only user of the mm.
 */
#include <arch/phys.h>
#include <errno.h>
#include <lib/panic.h>
#include <mm/highmem.h>
#include <mm/budget.h>
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <mm/slab.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <string.h>

#include "memory_internal.h"

struct page *zero_page;
u64 fault_kind_count[NR_FAULT_KINDS];

#define USER_PAGE_FLAGS ((1u << PG_lru) | (1u << PG_active) | (1u << PG_referenced) | (1u << PG_dirty) | \
			 (1u << PG_swapbacked) | (1u << PG_mlocked))

static const char *const kind_names[NR_FAULT_KINDS] = {
	[FAULT_KIND_ZERO] = "zero-page",     [FAULT_KIND_ANON] = "anon",
	[FAULT_KIND_COW] = "cow",            [FAULT_KIND_REUSE] = "reuse",
	[FAULT_KIND_FILE_CACHED] = "file-cached", [FAULT_KIND_FILE_READ] = "file-read",
	[FAULT_KIND_SHMEM] = "shmem",        [FAULT_KIND_SPURIOUS] = "spurious",
	[FAULT_KIND_MAPERR] = "maperr",      [FAULT_KIND_ACCERR] = "accerr",
	[FAULT_KIND_GUARD] = "stack-guard",  [FAULT_KIND_SIGBUS] = "sigbus",
	[FAULT_KIND_OOM] = "oom",           [FAULT_KIND_NOPROGRESS] = "no-progress",
	[FAULT_KIND_SWAP] = "swap-in",      [FAULT_KIND_ACCESSED] = "accessed",
	[FAULT_KIND_SWAPERR] = "swap-error",
};

const struct swap_ops *swap_backend;

void swap_ops_register(const struct swap_ops *ops) { swap_backend = ops; }
const struct swap_ops *swap_ops_current(void) { return swap_backend; }

const char *fault_kind_name(enum fault_kind k)
{
	return (unsigned)k < NR_FAULT_KINDS ? kind_names[k] : "?";
}

/* pgfault for /proc/vmstat: every fault the handler classified (Linux
 * counts each entry to handle_mm_fault), summed here instead of counted
 * twice on the fast path. */
static u64 faults_total(void)
{
	u64 n = 0;

	for (int k = 0; k < NR_FAULT_KINDS; k++)
		n += fault_kind_count[k];
	return n;
}

void memory_init_user(void)
{
	vm_fault_total = faults_total;
	/* Host tests rebuild RAM between cases: always take a fresh page. */
	zero_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!zero_page)
		panic("memory_init_user: no memory for the zero page");
	/* an allocated page the kernel holds forever (refcount 1): the fault
	 * and zap paths never put it; it counts as used memory */
}

/* ---- classification ------------------------------------------------------ */

/* fault_classify, inlined into do_fault (the public one is for the host tests and the no-VMA case). */
static inline __attribute__((always_inline)) enum fault_kind classify(const struct vm_area_struct *vma, bool guard,
								     const struct pte_state *pte, unsigned access)
{
	bool write = access & FAULT_WRITE;

	if (guard)
		return FAULT_KIND_GUARD;
	if (!vma)
		return FAULT_KIND_MAPERR;
	if (!(vma->flags & VM_PROT_MASK) || (write && !(vma->flags & VM_WRITE)) ||
	    ((access & FAULT_EXEC) && !(vma->flags & VM_EXEC)))
		return FAULT_KIND_ACCERR;
	if (pte->swap)
		return FAULT_KIND_SWAP;
	if (pte->present) {
		if (!write || pte->writable) /* also: an exec bit left stale */
			return pte->young ? FAULT_KIND_SPURIOUS : FAULT_KIND_ACCESSED;
		if (pte->zero_page)
			return FAULT_KIND_COW;
		if ((vma->flags & VM_SHARED) || pte->exclusive)
			return FAULT_KIND_REUSE;
		return FAULT_KIND_COW;
	}
	if (vma->file) {
		if (write && !(vma->flags & VM_SHARED))
			return FAULT_KIND_COW;
		return vma->file->shmem ? FAULT_KIND_SHMEM : FAULT_KIND_FILE_CACHED;
	}
	return write ? FAULT_KIND_ANON : FAULT_KIND_ZERO;
}

enum fault_kind fault_classify(const struct vm_area_struct *vma, bool guard, const struct pte_state *pte,
			       unsigned access)
{
	return classify(vma, guard, pte, access);
}

/* ---- pages and accounting ------------------------------------------------ */

unsigned user_prot(const struct vm_area_struct *vma, bool own)
{
	unsigned a = MMU_READ | MMU_NG | MMU_MT_NORMAL;

	if (!(vma->flags & VM_PROT_MASK))
		return a; /* PROT_NONE: kept for the data, no EL0 access */
	a |= MMU_USER;
	if (vma->flags & VM_EXEC)
		a |= MMU_EXEC;
	if (own && (vma->flags & VM_WRITE))
		a |= MMU_WRITE;
	return a;
}

bool page_own(const struct vm_area_struct *vma, const struct page *p)
{
	if (p == zero_page || PAGE_FLAG(p, PG_swapcache))
		return false; /* a swap-cache page stays read-only: its stored copy must stay valid */
	return (vma->flags & VM_SHARED) || (page_is_anon(p) && p->mapcount == 1);
}

static enum mm_counter page_counter(const struct page *p)
{
	const struct address_space *as = page_file_mapping(p);

	if (!as)
		return MM_ANONPAGES;
	return as->shmem ? MM_SHMEMPAGES : MM_FILEPAGES;
}

static void rss_inc(struct mm_struct *mm, enum mm_counter c)
{
	u64 rss;

	mm->rss[c]++;
	rss = mm_rss(mm);
	if (rss > mm->hiwater_rss)
		mm->hiwater_rss = rss;
}

void mlock_page(struct page *p)
{
	if (PAGE_FLAG(p, PG_mlocked))
		return;
	page_set_flag(p, PG_mlocked);
	mod_vm_stat(NR_MLOCK, 1);
	if (PAGE_FLAG(p, PG_lru))
		lru_update_mlock(p);
}

void munlock_page(struct page *p)
{
	if (!PAGE_FLAG(p, PG_mlocked))
		return;
	page_clear_flag(p, PG_mlocked);
	mod_vm_stat(NR_MLOCK, -1);
	if (PAGE_FLAG(p, PG_lru))
		lru_update_mlock(p);
}

/* The page leaves the swap cache (it is about to turn writable or be freed). */
static void swap_cache_drop(struct page *p)
{
	if (PAGE_FLAG(p, PG_swapcache))
		swap_backend->cache_drop(p);
}

void put_user_page(struct page *p)
{
	if (p->refcount > 1) {
		p->refcount--;
		return;
	}
	swap_cache_drop(p);
	if (PAGE_FLAG(p, PG_lru))
		lru_del(p);
	if (PAGE_FLAG(p, PG_mlocked))
		mod_vm_stat(NR_MLOCK, -1);
	p->flags &= ~USER_PAGE_FLAGS;
	p->mapping = NULL;
	p->index = 0;
	free_page(p);
}

/* A new anon page is now mapped at va: rmap, mlock, LRU, rss. */
static void add_anon_page(struct mm_struct *mm, struct vm_area_struct *vma, struct page *p, u64 va)
{
	page_add_new_anon_rmap(p, vma, va);
	if (vma->flags & VM_LOCKED) {
		page_set_flag(p, PG_mlocked); /* before lru_add: onto the unevictable list */
		mod_vm_stat(NR_MLOCK, 1);
	}
	lru_add(p, true);
	rss_inc(mm, MM_ANONPAGES);
}

/* One PTE of p in mm is gone (already cleared and flushed). */
void release_page(struct mm_struct *mm, struct page *p)
{
	enum mm_counter c;

	if (p == zero_page)
		return;
	c = page_counter(p); /* before the rmap forgets an anon page's mapping */
	page_remove_rmap(p);
	mm->rss[c]--;
	if (!p->mapcount)
		munlock_page(p);
	put_user_page(p);
}

/* A new page must be visible to instruction fetch before an exec mapping. */
static void sync_exec(const struct vm_area_struct *vma, struct page *p)
{
	if (unlikely(vma->flags & VM_EXEC)) {
		void *va = kmap_local_page(p); /* any alias will do: the caches are PIPT for data */

		arch_icache_sync_range((vaddr_t)va, PAGE_SIZE);
		kunmap_local(va);
	}
}

/* ---- the fault kinds ----------------------------------------------------- */

struct fault_ctx {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	u64 va;               /* page aligned */
	struct page *page;    /* mapped there now, or NULL */
	unsigned attrs;       /* of the present PTE */
	pte_t *ptep;          /* the level-3 entry for va (one walk per fault) */
};

/* Point the fault's PTE at pa with attrs (break-before-make if it was valid).
 * ptep stays valid across the allocation or read in between: nothing else
 * runs in the kernel meanwhile, and no one frees this mm's tables. */
/* Make the tables down to the fault's PTE if they are missing: only once
 * the fault is sure to map something, so that a refused fault (SIGBUS, a
 * failed read, no memory) changes nothing. 0 or -ENOMEM. */
static int ensure_pte(struct fault_ctx *f)
{
	if (!f->ptep)
		f->ptep = pgt_walk_pte(&f->mm->pgt, f->va, true);
	return f->ptep ? 0 : -ENOMEM;
}

/* The zero page's leaf with attrs: encoded once per attrs (the last one kept:
 * apps map their zero pages with one or two kinds of VMA). */
static pte_t zero_pte(unsigned attrs)
{
	static const struct page *cached_page; /* the host tests make a new zero page per test */
	static unsigned cached_attrs;
	static pte_t cached;

	if (unlikely(attrs != cached_attrs || zero_page != cached_page)) {
		cached = arch_pte_mk_leaf(page_to_phys(zero_page), PT_LEAF_LEVEL, attrs);
		cached_attrs = attrs;
		cached_page = zero_page;
	}
	return cached;
}

static void set_pte(struct fault_ctx *f, phys_addr_t pa, unsigned attrs)
{
	pgt_set_pte(&f->mm->pgt, f->ptep, f->va, arch_pte_mk_page(pa, attrs));
}

static int do_anon(struct fault_ctx *f)
{
	struct page *p;
	int rc = anon_vma_prepare(f->vma);

	if (rc)
		return rc;
	/* cleared here, not with __GFP_ZERO: the allocator's per-CPU fast path
	 * serves the page and the clearing is one call (poison checks, when on,
	 * still run in the allocator's slow path) */
	p = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!p)
		return -ENOMEM;
	if (ensure_pte(f)) {
		free_page(p);
		return -ENOMEM;
	}
	clear_highpage(p);
	sync_exec(f->vma, p);
	set_pte(f, page_to_phys(p), user_prot(f->vma, true));
	add_anon_page(f->mm, f->vma, p, f->va);
	return 0;
}

static int do_cow(struct fault_ctx *f, struct fault_info *fi)
{
	struct page *src = f->page, *new;
	int rc;

	if (!src) { /* absent page of a private file VMA: the cached copy */
		src = filemap_get_page(f->vma->file, file_index(f->vma, f->va), &fi->major, &rc);
		if (!src)
			return rc;
	} else if (src != zero_page) {
		src->refcount++; /* pinned: reclaim (in the allocation below) skips it */
	}
	rc = anon_vma_prepare(f->vma);
	if (rc)
		goto out;
	new = alloc_page(GFP_HIGHUSER_MOVABLE | (src == zero_page ? __GFP_ZERO : 0));
	if (!new) {
		rc = -ENOMEM;
		goto out;
	}
	if (src != zero_page)
		copy_highpage(new, src);
	if (ensure_pte(f)) {
		free_page(new);
		rc = -ENOMEM;
		goto out;
	}
	sync_exec(f->vma, new);
	set_pte(f, page_to_phys(new), user_prot(f->vma, true));
	add_anon_page(f->mm, f->vma, new, f->va);
	if (f->page)
		release_page(f->mm, f->page);
out:
	if (src != zero_page)
		put_user_page(src); /* filemap_get_page's reference, or the pin */
	return rc;
}

static int do_file(struct fault_ctx *f, struct fault_info *fi, enum fault_kind *kind)
{
	struct address_space *as = f->vma->file;
	struct page *p;
	int rc;

	p = filemap_get_page(as, file_index(f->vma, f->va), &fi->major, &rc);
	if (!p)
		return rc;
	if (ensure_pte(f)) {
		put_user_page(p);
		return -ENOMEM;
	}
	set_pte(f, page_to_phys(p), user_prot(f->vma, f->vma->flags & VM_SHARED));
	page_add_file_rmap(p); /* the reference taken above is the PTE's */
	if (f->vma->flags & VM_LOCKED)
		mlock_page(p);
	rss_inc(f->mm, as->shmem ? MM_SHMEMPAGES : MM_FILEPAGES);
	if (fi->major) /* read in: from the file, or a shmem page from swap */
		*kind = as->shmem ? FAULT_KIND_SWAP : FAULT_KIND_FILE_READ;
	return 0;
}

/* A swap entry: a new page filled by the swap backend replaces it. */
static int do_swap(struct fault_ctx *f, struct fault_info *fi)
{
	const struct swap_ops *ops = swap_backend;
	pte_t e = *f->ptep;
	struct page *p;
	int rc;

	if (!ops || !arch_pte_is_swap(e))
		return -EIO;
	rc = anon_vma_prepare(f->vma);
	if (rc)
		return rc;
	p = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!p)
		return -ENOMEM;
	BUG_ON(*f->ptep != e); /* reclaim never touches swap entries */
	fi->major = true;
	rc = ops->swap_in(arch_pte_swap_type(e), arch_pte_swap_offset(e), p, fi->access & FAULT_WRITE);
	if (rc) {
		free_page(p);
		return rc == -ENOMEM ? rc : -EIO;
	}
	sync_exec(f->vma, p);
	/* writable unless the backend kept it in its swap cache (read fault) */
	set_pte(f, page_to_phys(p), user_prot(f->vma, !PAGE_FLAG(p, PG_swapcache)));
	add_anon_page(f->mm, f->vma, p, f->va);
	f->mm->rss[MM_SWAPENTS]--;
	ops->swap_free(arch_pte_swap_type(e), arch_pte_swap_offset(e));
	return 0;
}

/* The PTE allows the access but is old: make it young (attributes
 * refreshed too if they went stale, as do_spurious does). */
static void do_accessed(struct fault_ctx *f)
{
	unsigned want = user_prot(f->vma, f->attrs & MMU_WRITE);

	if (want != f->attrs)
		set_pte(f, page_to_phys(f->page), want); /* a new leaf is young */
	else
		pgt_set_pte(&f->mm->pgt, f->ptep, f->va, arch_pte_mkyoung(*f->ptep));
}

/* The PTE allows the access: an attribute gone stale is refreshed, else
 * the page's TLB entry is invalidated for one retry; *kind becomes
 * NOPROGRESS when that has not helped (the file's header). */
static void do_spurious(struct fault_ctx *f, enum fault_kind *kind)
{
	struct mm_struct *mm = f->mm;
	unsigned want = user_prot(f->vma, f->attrs & MMU_WRITE);
	pte_t pte = *f->ptep;

	if (want != f->attrs) {
		set_pte(f, page_to_phys(f->page), want); /* progress: the PTE changed (and was flushed) */
		mm->spurious_count = 0;
		return;
	}
	if (mm->spurious_count && mm->spurious_va == f->va && mm->spurious_pte == pte) {
		if (++mm->spurious_count >= SPURIOUS_MAX) {
			mm->spurious_count = 0;
			*kind = FAULT_KIND_NOPROGRESS;
			return;
		}
	} else {
		mm->spurious_va = f->va;
		mm->spurious_pte = pte;
		mm->spurious_count = 1;
	}
	if (mm->pgt.live)
		arch_tlb_flush_user_va(mm->pgt.asid, f->va);
}

static inline __attribute__((always_inline)) int fault_result(struct mm_struct *mm, struct fault_info *fi,
							     enum fault_kind kind, int rc)
{
	if (rc == -ENOMEM)
		kind = FAULT_KIND_OOM;
	else if (rc == -EIO)
		kind = kind == FAULT_KIND_SWAP ? FAULT_KIND_SWAPERR : FAULT_KIND_SIGBUS;
	else
		BUG_ON(rc); /* pgtable refused a change the walk said was fine */
	fi->kind = kind;
	fault_kind_count[kind]++;
	switch (kind) {
	case FAULT_KIND_MAPERR:
	case FAULT_KIND_GUARD: return -EFAULT;
	case FAULT_KIND_ACCERR: return -EACCES;
	case FAULT_KIND_SIGBUS:
	case FAULT_KIND_SWAPERR: return -EIO;
	case FAULT_KIND_OOM: return -ENOMEM;
	case FAULT_KIND_NOPROGRESS: return -EFAULT;
	default: break;
	}
	if (fi->major) {
		mm->maj_flt++;
		count_vm_event(PGMAJFAULT);
	} else {
		mm->min_flt++;
	}
	return 0;
}

/* Whether a fault of this kind adds a page to the mm's resident + swap
 * (include/mm/budget.h's table): a COW that replaces a mapped page does not. */
static bool fault_adds_page(enum fault_kind kind, const struct pte_state *pte)
{
	switch (kind) {
	case FAULT_KIND_ANON:
	case FAULT_KIND_FILE_CACHED:
	case FAULT_KIND_SHMEM: return true;
	case FAULT_KIND_COW: return !pte->present || pte->zero_page;
	default: return false;
	}
}

/* 0 if the fault may add its page under mm's budget (no budget, or a
 * kind that adds none, or room), 1 if the budget's reclaim made room (the
 * caller looks again), or -ENOMEM (over it: the budget OOM ran). */
static inline int budget_gate(struct mm_struct *mm, enum fault_kind kind, const struct pte_state *pte)
{
	if (likely(!mm->budget.limit) || !fault_adds_page(kind, pte))
		return 0;
	return mem_budget_charge(mm, GFP_HIGHUSER_MOVABLE);
}

/* The fault at addr inside vma (found by the caller). */
int do_fault(struct mm_struct *mm, struct vm_area_struct *vma, u64 addr, unsigned access, struct fault_info *fi)
{
	struct fault_ctx f = { mm, vma, addr & ~(PAGE_SIZE - 1), NULL, 0, NULL };
	struct pte_state pte = { 0 };
	enum fault_kind kind;
	int rc = 0;

	fi->vma = vma;
	f.ptep = pgt_walk_pte(&mm->pgt, f.va, false);
	if (f.ptep && arch_pte_is_valid(*f.ptep)) {
		f.attrs = arch_pte_attrs(*f.ptep);
		f.page = pa_to_page(arch_pte_addr(*f.ptep));
		pte.present = true;
		pte.young = arch_pte_is_young(*f.ptep);
		pte.writable = f.attrs & MMU_WRITE;
		pte.executable = f.attrs & MMU_EXEC;
		pte.zero_page = f.page == zero_page;
		pte.exclusive = page_is_anon(f.page) && f.page->mapcount == 1;
	} else if (f.ptep && *f.ptep) {
		pte.swap = true;
	}
	kind = classify(vma, false, &pte, access);
	if (likely(kind != FAULT_KIND_SPURIOUS))
		mm->spurious_count = 0; /* progress of some kind ends a spurious streak */
	switch (kind) {
	case FAULT_KIND_ZERO:
		if (!(rc = ensure_pte(&f)))
			pgt_set_pte(&mm->pgt, f.ptep, f.va, zero_pte(user_prot(vma, false)));
		break;
	case FAULT_KIND_ANON:
		if (unlikely((rc = budget_gate(mm, kind, &pte))))
			goto over_budget;
		rc = do_anon(&f);
		break;
	case FAULT_KIND_COW:
		if (unlikely((rc = budget_gate(mm, kind, &pte))))
			goto over_budget;
		rc = do_cow(&f, fi);
		break;
	case FAULT_KIND_REUSE:
		swap_cache_drop(f.page); /* written: its stored copy is stale from now on */
		set_pte(&f, page_to_phys(f.page), user_prot(vma, true));
		break;
	case FAULT_KIND_FILE_CACHED:
	case FAULT_KIND_SHMEM:
		if (unlikely((rc = budget_gate(mm, kind, &pte))))
			goto over_budget;
		rc = do_file(&f, fi, &kind);
		break;
	case FAULT_KIND_SWAP: rc = do_swap(&f, fi); break;
	case FAULT_KIND_ACCESSED: do_accessed(&f); break;
	case FAULT_KIND_SPURIOUS: do_spurious(&f, &kind); break;
	default: break; /* ACCERR */
	}
	return fault_result(mm, fi, kind, rc);
over_budget:
	if (rc == 1) /* the budget's reclaim changed this mm's PTEs: look again (it fits now) */
		return do_fault(mm, vma, addr, access, fi);
	return fault_result(mm, fi, kind, rc);
}

int handle_mm_fault(struct mm_struct *mm, u64 addr, unsigned access, struct fault_info *fi)
{
	struct vm_area_struct *vma = NULL, *next;
	bool guard;

	*fi = (struct fault_info){ .addr = addr, .access = access };
	if (likely(addr >= USER_VA_START && addr < USER_VA_END))
		vma = vma_lookup(mm, addr);
	if (likely(vma))
		return do_fault(mm, vma, addr, access, fi);
	/* no VMA: the stack's guard page is the page just below it */
	next = addr < USER_VA_END ? find_vma(mm, addr) : NULL;
	guard = next && (next->flags & VM_GROWSDOWN) && addr >= next->start - PAGE_SIZE;
	fi->vma = guard ? next : NULL;
	return fault_result(mm, fi, fault_classify(NULL, guard, &(struct pte_state){ 0 }, access), 0);
}

/* ---- range operations ---------------------------------------------------- */
