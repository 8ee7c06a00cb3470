/*
 * Per-address-space statistics and reports (mm/mm_report.c), in the formats
 * of Linux's /proc/<pid>/maps and smaps.
 *
 * PSS: each resident page counts PAGE_SIZE / mapcount; summed with 12 extra
 * fraction bits (Linux's PSS_SHIFT) and truncated to kB at the end. USS:
 * pages mapped only here (mapcount 1). The zero page is not counted (as in
 * Linux, it is not a "normal" page).
 */
#ifndef MM_MM_REPORT_H
#define MM_MM_REPORT_H

#include <mm/mm_types.h>
#include <stdio.h>

#define PSS_SHIFT 12

/* Memory of one VMA or one mm, in bytes (pss in bytes << PSS_SHIFT). */
struct mem_usage {
	u64 size;          /* VSS */
	u64 rss;
	u64 pss;           /* << PSS_SHIFT */
	u64 uss;           /* private: mapcount == 1 */
	u64 shared_clean, shared_dirty, private_clean, private_dirty;
	u64 referenced;    /* PTE access flag (or young) set: all resident for now */
	u64 anonymous;
	u64 swap;          /* swap PTEs, PAGE_SIZE each */
	u64 swap_pss;      /* << PSS_SHIFT: each swap PTE's share of its slot */
	u64 locked;        /* resident pages in VM_LOCKED VMAs */
};

/* Walk vma's page table range and add to u. */
void vma_usage(struct vm_area_struct *vma, struct mem_usage *u);
/* Sum over every VMA of mm. */
void mm_usage(struct mm_struct *mm, struct mem_usage *u);

/* One maps line of vma (also used by the kill report). */
void show_map_vma(FILE *f, const struct vm_area_struct *vma);
/* /proc/<pid>/maps: "start-end perms offset 00:00 ino   name". */
void show_maps(FILE *f, struct mm_struct *mm);
/* /proc/<pid>/smaps: each maps line then Size/KernelPageSize/MMUPageSize/
 * Rss/Pss/Shared_Clean/Shared_Dirty/Private_Clean/Private_Dirty/Referenced/
 * Anonymous/LazyFree/AnonHugePages/ShmemPmdMapped/Shared_Hugetlb/
 * Private_Hugetlb/Swap/SwapPss/Locked/VmFlags lines. */
void show_smaps(FILE *f, struct mm_struct *mm);
/* smaps_rollup: one line of totals. */
void show_smaps_rollup(FILE *f, struct mm_struct *mm);
/* The memory lines of /proc/<pid>/status (Linux's task_mem()) that Pagoda
 * counts, in Linux's order: VmSize VmLck VmHWM VmRSS RssAnon RssFile
 * RssShmem VmExe VmLib VmPTE VmSwap ("VmSwap:\t%8llu kB", swap PTEs). */
void show_mm_status(FILE *f, const struct mm_struct *mm);

#endif
