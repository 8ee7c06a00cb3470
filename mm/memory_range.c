/*
 * The range operations mm/mmap.c builds on, over the mapped pages of a
 * VMA a window at a time: zap, file unmap, swap PTEs, protect, populate
 * (with its undo log), readahead, mlock. The fault handler they share
 * helpers with is mm/memory.c (terms, PTE permissions and page references
 * at its top); contracts in include/mm/memory.h.
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

/*
 * The mapped pages of a range, a window at a time: the table may change
 * between windows (not during a walk). A 2 MiB pre-pass skips empty
 * space cheaply; a window holds SCAN_PAGES pages so that it fits on the
 * kernel stack.
 */
#define SCAN_PAGES 32

struct scan {
	unsigned n;
	u64 va[SCAN_PAGES];
	phys_addr_t pa[SCAN_PAGES];
	unsigned attrs[SCAN_PAGES];
	pte_t swp[SCAN_PAGES]; /* the swap entry at va[i], or 0 for a page (with_swap scans) */
};

static void scan_leaf(void *arg, u64 va, phys_addr_t pa, u64 size, int level, unsigned attrs)
{
	struct scan *s = arg;

	(void)level;
	for (u64 off = 0; off < size && s->n < SCAN_PAGES; off += PAGE_SIZE) {
		s->va[s->n] = va + off;
		s->pa[s->n] = pa + off;
		s->swp[s->n] = 0;
		s->attrs[s->n++] = attrs;
	}
}

static void scan_swap(void *arg, u64 va, pte_t pte, int level)
{
	struct scan *s = arg;

	BUG_ON(level != PT_LEAF_LEVEL); /* user tables hold swap entries in page slots only */
	if (s->n < SCAN_PAGES) {
		s->va[s->n] = va;
		s->pa[s->n] = 0;
		s->attrs[s->n] = 0;
		s->swp[s->n++] = pte;
	}
}

static void any_swap(void *arg, u64 va, pte_t pte, int level)
{
	(void)va, (void)pte, (void)level;
	*(bool *)arg = true;
}

static void any_leaf(void *arg, u64 va, phys_addr_t pa, u64 size, int level, unsigned attrs)
{
	(void)va, (void)pa, (void)size, (void)level, (void)attrs;
	*(bool *)arg = true;
}

typedef void (*scan_fn)(struct vm_area_struct *vma, struct scan *s, void *arg);

/* fn on the mapped pages of [start, end) - and its swap entries if with_swap. */
static void for_each_mapped(struct vm_area_struct *vma, u64 start, u64 end, bool with_swap, scan_fn fn, void *arg)
{
	const struct pgtable *pt = &vma->mm->pgt;
	struct scan s;

	for (u64 va = start; va < end;) {
		u64 wend = MIN(ALIGN_DOWN(va, SZ_2M) + SZ_2M, end);
		bool any = false;

		pgt_for_each_entry(pt, va, wend - 1, any_leaf, with_swap ? any_swap : NULL, &any);
		for (; any && va < wend; va = MIN(va + SCAN_PAGES * PAGE_SIZE, wend)) {
			s.n = 0;
			pgt_for_each_entry(pt, va, MIN(va + SCAN_PAGES * PAGE_SIZE, wend) - 1, scan_leaf,
					   with_swap ? scan_swap : NULL, &s);
			if (s.n)
				fn(vma, &s, arg);
		}
		va = wend;
	}
}

/* pgt_zap's batch, its TLB entries already flushed: drop each page (rmap,
 * rss, LRU, free) or swap slot. */
static void zap_release(void *arg, const u64 *va, const pte_t *pte, unsigned n)
{
	struct mm_struct *mm = arg;

	(void)va;
	for (unsigned i = 0; i < n; i++) {
		if (arch_pte_is_valid(pte[i])) {
			release_page(mm, pa_to_page(arch_pte_addr(pte[i])));
			continue;
		}
		mm->rss[MM_SWAPENTS]--;
		if (swap_backend && arch_pte_is_swap(pte[i]))
			swap_backend->swap_free(arch_pte_swap_type(pte[i]), arch_pte_swap_offset(pte[i]));
	}
}

void zap_page_range_gap(struct vm_area_struct *vma, u64 start, u64 end, u64 floor, u64 ceiling)
{
	struct pgt_gather g; /* not zeroed: pgt_zap fills what it hands on */

	g.release = zap_release;
	g.arg = vma->mm;
	if (start < end)
		BUG_ON(pgt_zap(&vma->mm->pgt, start, end - start, floor, ceiling - 1, &g)); /* 4 KiB leaves only */
}

void zap_page_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	zap_page_range_gap(vma, start, end, start, end);
}

struct file_unmap {
	u64 left;      /* pages still wanted */
	u64 done;
	bool old_only; /* skip (and age) young PTEs */
};

static void file_unmap_scan(struct vm_area_struct *vma, struct scan *s, void *arg)
{
	struct file_unmap *u = arg;

	for (unsigned i = 0; i < s->n && u->left; i++) {
		struct page *p = pa_to_page(s->pa[i]);
		const struct address_space *as = page_file_mapping(p);

		if (p == zero_page || !as || as->shmem)
			continue; /* anon (COW copies) and shmem count whether resident or swapped */
		if (u->old_only && pgt_test_and_clear_young(&vma->mm->pgt, s->va[i]))
			continue; /* used since the last look: a second chance */
		BUG_ON(pgt_unmap(&vma->mm->pgt, s->va[i], PAGE_SIZE));
		release_page(vma->mm, p); /* the cache keeps its own reference */
		u->left--;
		u->done++;
	}
}

u64 unmap_file_pages(struct vm_area_struct *vma, u64 nr, bool old_only)
{
	struct file_unmap u = { nr, 0, old_only };

	if (!vma->file || vma->file->shmem || (vma->flags & (VM_LOCKED | VM_LOCKING)))
		return 0;
	for_each_mapped(vma, vma->start, vma->end, false, file_unmap_scan, &u);
	return u.done;
}

int set_swap_pte(struct vm_area_struct *vma, u64 va, unsigned type, u64 offset)
{
	pte_t *ptep = pgt_walk_pte(&vma->mm->pgt, va, true);

	if (!ptep)
		return -ENOMEM;
	if (*ptep)
		return -EEXIST;
	pgt_set_pte(&vma->mm->pgt, ptep, va, arch_pte_mk_swap(type, offset));
	vma->mm->rss[MM_SWAPENTS]++;
	return 0;
}

static void protect_scan(struct vm_area_struct *vma, struct scan *s, void *arg)
{
	(void)arg;
	for (unsigned i = 0; i < s->n; i++) {
		unsigned want = user_prot(vma, page_own(vma, pa_to_page(s->pa[i])));

		if (want != s->attrs[i] && pgt_protect(&vma->mm->pgt, s->va[i], PAGE_SIZE, want))
			BUG_ON(1); /* a present 4 KiB leaf cannot fail */
	}
}

void change_protection(struct vm_area_struct *vma, u64 start, u64 end)
{
	for_each_mapped(vma, start, end, false, protect_scan, NULL);
}

/* Add [va, va + PAGE_SIZE) to log (extending its last run if adjacent).
 * 0 or -ENOMEM (the log could not grow). */
static int log_page(struct populate_log *log, u64 va)
{
	struct populate_run *r = log->n ? &log->runs[log->n - 1] : NULL;

	if (r && r->end == va) {
		r->end += PAGE_SIZE;
		return 0;
	}
	if (log->n == log->cap) {
		struct populate_run *bigger = kmalloc(2 * log->cap * sizeof(*bigger), GFP_KERNEL);

		if (!bigger)
			return -ENOMEM;
		memcpy(bigger, log->runs, log->n * sizeof(*bigger));
		if (log->runs != log->inline_runs)
			kfree(log->runs);
		log->runs = bigger;
		log->cap *= 2;
	}
	log->runs[log->n++] = (struct populate_run){ va, va + PAGE_SIZE };
	return 0;
}

/* Something is at va: a page, or a swap entry (populate never logs a
 * swap-in for undo: the data was the app's before). */
static bool pte_used(struct mm_struct *mm, u64 va)
{
	pte_t *ptep = pgt_walk_pte(&mm->pgt, va, false);

	return ptep && *ptep;
}

int populate_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	return populate_range_logged(vma, start, end, NULL);
}

void populate_log_end(struct mm_struct *mm, struct populate_log *log, bool undo)
{
	for (unsigned i = 0; undo && i < log->n; i++) {
		struct vm_area_struct *v = vma_lookup(mm, log->runs[i].start);

		BUG_ON(!v || log->runs[i].end > v->end); /* the VMAs changed since */
		zap_page_range(v, log->runs[i].start, log->runs[i].end);
	}
	if (log->runs != log->inline_runs)
		kfree(log->runs);
	log->runs = log->inline_runs;
	log->n = 0;
	log->cap = ARRAY_SIZE(log->inline_runs);
}

int populate_range_logged(struct vm_area_struct *vma, u64 start, u64 end, struct populate_log *log)
{
	unsigned access = (vma->flags & VM_WRITE) ? FAULT_WRITE : FAULT_READ;
	struct fault_info fi;

	if (!(vma->flags & VM_PROT_MASK))
		return 0;
	if (vma->file) { /* pages past the end of the file stay unmapped (SIGBUS on access) */
		u64 slots = vma->file->nr_slots > vma->pgoff ? vma->file->nr_slots - vma->pgoff : 0;

		end = MIN(end, vma->start + MIN(slots, (vma->end - vma->start) >> PAGE_SHIFT) * PAGE_SIZE);
	}
	for (u64 va = start; va < end; va += PAGE_SIZE) {
		bool fresh = log && !pte_used(vma->mm, va);
		int rc;

		fi.major = false; /* do_fault sets it only when it reads */
		rc = do_fault(vma->mm, vma, va, access, &fi);

		if (!rc && fresh)
			rc = log_page(log, va); /* unlogged, the page is still undone: */
		if (rc) {
			if (fresh && pte_used(vma->mm, va))
				zap_page_range(vma, va, va + PAGE_SIZE); /* ... here */
			return rc;
		}
	}
	return 0;
}

int readahead_range(struct vm_area_struct *vma, u64 start, u64 end)
{
	struct address_space *as = vma->file;

	if (!as)
		return 0;
	for (u64 va = start; va < end; va += PAGE_SIZE) {
		u64 index = file_index(vma, va);
		bool major;
		int rc;
		struct page *p;

		if (index >= as->nr_slots)
			break;
		if (filemap_find_page(as, index))
			continue;
		p = filemap_get_page(as, index, &major, &rc);
		if (!p)
			return rc;
		put_user_page(p); /* the cache keeps its own reference */
	}
	return 0;
}

struct lock_check {
	struct vm_area_struct *vma;
	bool locked;
};

static bool locked_elsewhere(struct page *p, struct vm_area_struct *v, u64 va, void *arg)
{
	struct lock_check *c = arg;

	(void)p, (void)va;
	if (v != c->vma && (v->flags & VM_LOCKED))
		c->locked = true;
	return !c->locked;
}

/* Whether a VM_LOCKED VMA other than vma maps p (then it stays mlocked). */
static bool locked_by_other(struct vm_area_struct *vma, struct page *p)
{
	struct lock_check c = { vma, false };

	if (p->mapcount > 1)
		rmap_walk(p, locked_elsewhere, &c);
	return c.locked;
}

static void mlock_scan(struct vm_area_struct *vma, struct scan *s, void *arg)
{
	bool lock = *(bool *)arg;

	for (unsigned i = 0; i < s->n; i++) {
		struct page *p = pa_to_page(s->pa[i]);

		if (p == zero_page)
			continue;
		if (lock)
			mlock_page(p);
		else if (!locked_by_other(vma, p))
			munlock_page(p);
	}
}

void mlock_range(struct vm_area_struct *vma, u64 start, u64 end, bool lock)
{
	for_each_mapped(vma, start, end, false, mlock_scan, &lock);
}
