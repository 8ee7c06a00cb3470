/*
 * Reverse map (mm/rmap.c): from a physical page to every (mm, VA) that maps
 * it, for reclaim (unmap before swap-out), CMA migration (move then remap)
 * and the reports. Linux's object-based scheme:
 *
 *   anon page:  page->mapping = anon_vma | PAGE_MAPPING_ANON,
 *               page->index = VA >> PAGE_SHIFT;
 *               the VMAs on anon_vma->vmas that cover that VA
 *   file page:  page->mapping = address_space, page->index = file page;
 *               the VMAs on as->i_mmap whose pgoff range covers it,
 *               at VA = vma->start + (index - vma->pgoff) * PAGE_SIZE
 *
 * A candidate (vma, VA) is reported only if the PTE there really maps the
 * page (private file VMAs may hold a COW copy instead).
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include <mm/mm_types.h>
#include <mm/page.h>

static inline bool page_is_anon(const struct page *p)
{
	return ((uintptr_t)p->mapping & PAGE_MAPPING_ANON) != 0;
}
static inline struct anon_vma *page_anon_vma(const struct page *p)
{
	return page_is_anon(p) ? (struct anon_vma *)((uintptr_t)p->mapping & ~PAGE_MAPPING_ANON) : NULL;
}
static inline struct address_space *page_file_mapping(const struct page *p)
{
	return page_is_anon(p) ? NULL : (struct address_space *)p->mapping;
}

/* Ensure vma has an anon_vma (first anon page). 0 or -ENOMEM. */
int anon_vma_prepare(struct vm_area_struct *vma);
/* A new anon page mapped at va in vma: set mapping/index, mapcount = 1. */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, u64 va);
/* A file (page cache) or zero-less shared page gains one mapping. */
void page_add_file_rmap(struct page *page);
/* One mapping of page goes away (mapcount--; anon pages forget their
 * mapping when the last one goes). */
void page_remove_rmap(struct page *page);

/* Called for each (vma, va) mapping page; return false to stop the walk. */
typedef bool (*rmap_visit_fn)(struct page *page, struct vm_area_struct *vma, u64 va, void *arg);
/* Visit every mapping of page. Returns how many were visited. */
unsigned rmap_walk(struct page *page, rmap_visit_fn fn, void *arg);
/* Unmap page from every mm that maps it (reclaim): each PTE becomes a swap
 * entry for the page's slot if it is in the swap cache, else none; table
 * pages stay. Stops at a VM_LOCKED mapping. The caller holds a reference.
 * Returns the mappings removed; page->mapcount is 0 afterwards if all went. */
unsigned try_to_unmap(struct page *page);
/* Migration: repoint every PTE that maps page at new (same permissions,
 * young and dirty state; break-before-make, TLB flushed by ASID), mlocked
 * mappings included. page's mapping/index must still describe it; the
 * caller moves mapcount/refcount. Returns the PTEs moved. */
unsigned rmap_move(struct page *page, struct page *new);
/* How many of page's PTEs were young (accessed), making them old (TLB
 * flushed). *locked: a VM_LOCKED VMA maps it; *exec: an executable one
 * does. Either pointer may be NULL. */
unsigned page_referenced(struct page *page, bool *locked, bool *exec);

#endif
