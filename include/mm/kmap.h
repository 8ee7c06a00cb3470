/*
 * The kernel's address space (TTBR1): the linear map of all RAM with the
 * image mapped W^X, and the vmalloc/ioremap window. See arch/layout.h.
 */
#ifndef MM_KMAP_H
#define MM_KMAP_H

#include <mm/pgtable.h>

extern struct pgtable kernel_pgt;

/*
 * Build the kernel tables from memblock (not yet live): RAM as RW+XN with
 * the largest blocks possible, the image as text RX, rodata R+XN,
 * data/bss RW+XN, and the boot stack's guard page left unmapped.
 * Table pages come from memblock. Returns 0 or a negative errno.
 */
int kmap_build(void);
/* Install the tables built by kmap_build() (arch switch) and mark them live. */
void kmap_install(void);
/* After mm_init: new table pages come from (and go back to) the page allocator. */
void kmap_use_page_allocator(void);
/* Print the kernel tables like Linux's /sys/kernel/debug/kernel_page_tables. */
void kmap_dump(void);

#endif
