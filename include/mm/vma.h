/*
 * The VMA set of one mm: an rbtree keyed by start for lookup plus a
 * list sorted by start for ordered walks (mm/vma.c). VMAs never overlap.
 *
 * These functions only manage the set and the VMA structs (allocated from
 * a slab cache); they never touch page tables. mm/mmap.c builds the
 * system calls on them.
 * Errors: -ENOMEM (no memory for a VMA struct), -EINVAL (bad range).
 */
#ifndef MM_VMA_H
#define MM_VMA_H

#include <mm/mm_types.h>

/* Create the slab cache for VMAs and anon_vmas (boot; host tests call it once). */
void vma_cache_init(void);

/* A new VMA [start, end) with flags, not in any mm yet; file gets a
 * reference (address_space.refs++). NULL on -ENOMEM. */
struct vm_area_struct *vma_alloc(struct mm_struct *mm, u64 start, u64 end, u64 flags,
				 struct address_space *file, u64 pgoff, const char *name);
/* Free a VMA that is in no mm: drops its file and anon_vma references. */
void vma_free(struct vm_area_struct *vma);

/* Insert into mm's set (must not overlap: -EEXIST) and link it to its
 * file's i_mmap. Updates total_vm/locked_vm. */
int vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
/* Remove from mm's set and from i_mmap / anon_vma lists (not freed). */
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);

/* The VMA containing addr, or NULL. O(log n), with a one-entry cache. */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, u64 addr);
/* The first VMA with end > addr (containing addr or above it), or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, u64 addr);
/* Neighbours in address order, or NULL. */
struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma);
struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *vma);

/* Split vma at addr (page aligned, strictly inside): vma keeps [start, addr),
 * the new VMA (returned, linked) gets [addr, end) with pgoff advanced and the
 * same anon_vma. NULL on -ENOMEM (vma unchanged). */
struct vm_area_struct *vma_split(struct mm_struct *mm, struct vm_area_struct *vma, u64 addr);
/* Merge vma with its neighbours where they touch and are compatible (same
 * flags, same file with contiguous pgoff, compatible anon_vma, same name).
 * Returns the surviving VMA. */
struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *vma);

/* Lowest-to-highest search for a free gap of len bytes in [lo, hi), top-down:
 * the highest gap start <= hi - len. 0 if none. */
u64 vma_find_gap_topdown(struct mm_struct *mm, u64 len, u64 lo, u64 hi);

/* Check the tree/list invariants of mm (tests, debug): 0 or -1 with a message. */
int vma_check(struct mm_struct *mm);

#define for_each_vma(mm, v) list_for_each_entry(v, &(mm)->vma_list, list)

#endif
