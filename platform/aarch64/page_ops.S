/*
 * Whole-page clear and copy (include/arch/mmu.h): the page-fault paths
 * zero and copy 4 KiB pages, so these are the hottest loops of demand
 * paging. Clear uses DC ZVA (one instruction zeroes a block, 64 bytes on
 * Cortex-A53/A72) when DCZID_EL0 allows it, 8 blocks a loop iteration;
 * copy moves 64 bytes per iteration with load/store pairs. General
 * registers only.
 */
#include <arch/asm.h>

	.text
/* void arch_clear_page(void *va): va page aligned */
FUNC(arch_clear_page)
	mrs	x1, dczid_el0
	tbnz	x1, #4, 2f		/* DZP: DC ZVA prohibited */
	and	x1, x1, #0xf
	mov	x2, #4
	lsl	x2, x2, x1		/* block size in bytes */
	add	x3, x0, #4096
	cmp	x2, #512
	b.hi	1f			/* fewer than 8 blocks a page */
4:	.rept	8			/* 8 blocks an iteration: 2.25 instructions a block */
	dc	zva, x0
	add	x0, x0, x2
	.endr
	cmp	x0, x3
	b.ne	4b
	ret
1:	dc	zva, x0
	add	x0, x0, x2
	cmp	x0, x3
	b.ne	1b
	ret
2:	add	x3, x0, #4096
3:	stp	xzr, xzr, [x0]
	stp	xzr, xzr, [x0, #16]
	stp	xzr, xzr, [x0, #32]
	stp	xzr, xzr, [x0, #48]
	add	x0, x0, #64
	cmp	x0, x3
	b.ne	3b
	ret
ENDFUNC(arch_clear_page)

/* void arch_copy_page(void *dst, const void *src): both page aligned */
FUNC(arch_copy_page)
	add	x9, x1, #4096
1:	ldp	x2, x3, [x1]
	ldp	x4, x5, [x1, #16]
	ldp	x6, x7, [x1, #32]
	ldp	x10, x11, [x1, #48]
	stp	x2, x3, [x0]
	stp	x4, x5, [x0, #16]
	stp	x6, x7, [x0, #32]
	stp	x10, x11, [x0, #48]
	add	x1, x1, #64
	add	x0, x0, #64
	cmp	x1, x9
	b.ne	1b
	ret
ENDFUNC(arch_copy_page)
