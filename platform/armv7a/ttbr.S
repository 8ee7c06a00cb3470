/*
 * arch_replace_ttbr1(root_lo, root_hi): switch the kernel's tables (break
 * before make for the whole top GiB). Called through its identity-map
 * alias (mmu_init.c), ARM state: TTBR1 walks are off (TTBCR.EPD1) and
 * the TLB empty before the new root goes in.
 */
#include <arch/asm.h>

	.syntax unified
	.arm
	.text
FUNC(arch_replace_ttbr1)
	mrc	p15, 0, r2, c2, c0, 2	/* TTBCR */
	orr	r3, r2, #(1 << 23)	/* EPD1 */
	mcr	p15, 0, r3, c2, c0, 2
	isb
	mcr	p15, 0, r0, c8, c7, 0	/* TLBIALL */
	dsb	nsh
	isb
	mcrr	p15, 1, r0, r1, c2	/* TTBR1 */
	isb
	mcr	p15, 0, r2, c2, c0, 2
	isb
	mcr	p15, 0, r0, c8, c7, 0
	mcr	p15, 0, r0, c7, c5, 6	/* BPIALL */
	dsb	nsh
	isb
	bx	lr
ENDFUNC(arch_replace_ttbr1)
