/*
 * What mm/memory.c (the fault handler) and mm/memory_range.c (the range
 * operations) share; nothing else includes it.
 */
#ifndef MM_MEMORY_INTERNAL_H
#define MM_MEMORY_INTERNAL_H

#include <arch/phys.h>
#include <mm/memory.h>
#include <mm/page_alloc.h>

extern const struct swap_ops *swap_backend; /* swap_ops_register() */

static inline struct page *pa_to_page(phys_addr_t pa) { return pfn_to_page(phys_to_pfn(pa)); }
/* The page-cache index of va in a file VMA. */
static inline u64 file_index(const struct vm_area_struct *vma, u64 va)
{
	return vma->pgoff + ((va - vma->start) >> PAGE_SHIFT);
}
/* The PTE permissions of a page of vma (own: see memory.c's terms). */
unsigned user_prot(const struct vm_area_struct *vma, bool own);
/* Whether p is an own page of vma. */
bool page_own(const struct vm_area_struct *vma, const struct page *p);
void mlock_page(struct page *p);
void munlock_page(struct page *p);
/* One PTE of p in mm is gone (already cleared and flushed): rmap, rss, LRU, the reference. */
void release_page(struct mm_struct *mm, struct page *p);
/* One fault at addr of vma (handle_mm_fault after its VMA lookup). */
int do_fault(struct mm_struct *mm, struct vm_area_struct *vma, u64 addr, unsigned access, struct fault_info *fi);

#endif
