/*
 * Boot entry on ARMv7-A (LPAE). QEMU's -kernel loads this ELF at
 * KERNEL_PHYS and enters _start_phys in SVC mode (or HYP with
 * -M virt,virtualization=on), ARM state, MMU and caches off.
 *
 * Only what must happen before C can run at its linked address:
 *   1. park secondary CPUs; leave HYP for SVC; mask interrupts; VFP on;
 *   2. clear BSS;
 *   3. boot tables (long descriptors): TTBR0 gets a level-1 table with
 *      a 1 GiB identity block of the image's GiB (to turn the MMU on);
 *      TTBR1 a level-2 table with 2 MiB blocks mapping BOOT_MAP_SIZE of
 *      RAM from PHYS_OFFSET at PAGE_OFFSET (the image, the DTB at RAM_BASE,
 *      early allocations) and one Device block at EARLY_IO_BASE for the
 *      console (arch/layout.h);
 *   4. MAIR0/1, TTBCR (EAE, T0SZ=0, T1SZ=2), TTBR0/1, SCTLR (M, C, I, Z),
 *      jump high, stacks for SVC and the IRQ/ABT/UND modes (whose
 *      vectors move to SVC at once), VBAR, then boot_main(r0 at entry).
 */
#include <arch/layout.h>
#include <arch/asm.h>
#include <arch/exception.h>

/* long descriptors: low word attributes; XN/PXN are bits 54/53 = high word bits 22/21 */
#define D_BLOCK		1
#define D_ATTRIDX(i)	((i) << 2)
#define D_SH_INNER	(3 << 8)
#define D_AF		(1 << 10)
#define D_HI_XN		((1 << 22) | (1 << 21))
#define BOOT_NORMAL	(D_BLOCK | D_ATTRIDX(0) | D_SH_INNER | D_AF)
#define BOOT_DEVICE	(D_BLOCK | D_ATTRIDX(1) | D_AF)

/* MAIR0: 0 Normal WB RW-alloc, 1 Device-nGnRE, 2 Normal NC, 3 Device-nGnRnE */
#define MAIR0_VALUE	0x004404ff
/* TTBCR: EAE, T0SZ=0, T1SZ=2, both walks inner/outer WBWA inner-shareable */
#define TTBCR_VALUE	((1 << 31) | (2 << 16) | (1 << 8) | (1 << 10) | (3 << 12) | \
			 (1 << 24) | (1 << 26) | (3 << 28))
/* SCTLR: M, C, Z, I; A clear (unaligned accesses allowed), V clear (VBAR), TE clear (ARM vectors) */
#define SCTLR_SET	((1 << 0) | (1 << 2) | (1 << 11) | (1 << 12))
#define SCTLR_CLEAR	((1 << 1) | (1 << 13) | (1 << 28) | (1 << 29) | (1 << 30))

#define MODE_STACK	256	/* per exception mode: the vectors use 8 bytes of it */

	.syntax unified
	.arm
	.arch_extension virt
	.arch_extension sec
	.fpu	neon
	.section .text.boot, "ax"
FUNC(_start)
	mov	r10, r0			/* DTB pointer if a loader passed one */
	isb
	mrrc	p15, 1, r8, r9, c14	/* boot timing: CNTVCT at entry */
	mrc	p15, 0, r1, c0, c0, 5	/* MPIDR: Aff0..2 */
	ldr	r2, =0xffffff
	tst	r1, r2
	bne	park

	mrs	r1, cpsr
	and	r1, r1, #PSR_MODE_MASK
	cmp	r1, #PSR_MODE_HYP
	bne	1f
	/* HYP -> SVC: EL1 may use the physical counter and timer (CNTHCTL.PL1PCTEN/PL1PCEN) */
	mrc	p15, 4, r1, c14, c1, 0
	orr	r1, r1, #3
	mcr	p15, 4, r1, c14, c1, 0
	mov	r1, #0
	mov	r2, #0
	mcrr	p15, 4, r1, r2, c14	/* CNTVOFF = 0 */
	mov	r1, #(PSR_MODE_SVC | PSR_A | PSR_I | PSR_F)
	msr	spsr_cxsf, r1		/* SPSR_hyp: in HYP, as the current SPSR */
	adr	r1, 1f
	msr	elr_hyp, r1
	eret
1:	cpsid	aif
	/* VFP/NEON on (CPACR cp10/cp11, FPEXC.EN): newlib's routines may use them;
	 * the kernel's own code is built -mgeneral-regs-only */
	mrc	p15, 0, r1, c1, c0, 2
	orr	r1, r1, #(0xf << 20)
	mcr	p15, 0, r1, c1, c0, 2
	isb
	mov	r1, #(1 << 30)
	vmsr	fpexc, r1

	/* BSS (physical addresses: the MMU is off) */
	phys_addr r1, __bss_start, r3
	phys_addr r2, __bss_end, r3
	mov	r4, #0
	mov	r5, #0
2:	cmp	r1, r2
	strdlo	r4, r5, [r1], #8
	blo	2b
	phys_addr r1, boot_counter_entry, r3
	strd	r8, r9, [r1]

	/* TTBR0: identity block of the image's GiB */
	phys_addr r0, boot_l1, r3
	ldr	r1, =(KERNEL_PHYS & 0xc0000000)
	ldr	r7, =BOOT_NORMAL
	orr	r2, r1, r7
	mov	r3, #0
	lsr	r4, r1, #30
	add	r4, r0, r4, lsl #3
	strd	r2, r3, [r4]
	/* TTBR1: BOOT_MAP_SIZE of RAM from PHYS_OFFSET (the image, the DTB and
	 * memblock's early allocations), at PAGE_OFFSET */
	phys_addr r0, boot_l2, r3
	ldr	r1, =PHYS_OFFSET
	mov	r5, #(BOOT_MAP_SIZE >> 21)
	mov	r4, r0
3:	orr	r2, r1, r7
	mov	r3, #0
	strd	r2, r3, [r4], #8
	add	r1, r1, #0x200000
	subs	r5, r5, #1
	bne	3b
	/* the console's 2 MiB Device block at EARLY_IO_BASE */
	ldr	r1, =(CONFIG_UART_BASE & ~0x1fffff)
	ldr	r2, =BOOT_DEVICE
	orr	r2, r2, r1
	ldr	r3, =D_HI_XN
	ldr	r4, =((EARLY_IO_BASE - PAGE_OFFSET) >> 21)
	add	r4, r0, r4, lsl #3
	strd	r2, r3, [r4]
	dsb	sy

	ldr	r1, =MAIR0_VALUE
	mcr	p15, 0, r1, c10, c2, 0
	mov	r1, #0
	mcr	p15, 0, r1, c10, c2, 1	/* MAIR1 */
	ldr	r1, =TTBCR_VALUE
	mcr	p15, 0, r1, c2, c0, 2
	phys_addr r2, boot_l1, r3
	mov	r3, #0
	mcrr	p15, 0, r2, r3, c2	/* TTBR0, ASID 0 */
	phys_addr r2, boot_l2, r3
	mov	r3, #0
	mcrr	p15, 1, r2, r3, c2	/* TTBR1 */
	isb
	mcr	p15, 0, r1, c8, c7, 0	/* TLBIALL */
	mcr	p15, 0, r1, c7, c5, 0	/* ICIALLU */
	dsb	sy
	isb
	mrc	p15, 0, r1, c1, c0, 0
	ldr	r2, =SCTLR_CLEAR
	bic	r1, r1, r2
	ldr	r2, =SCTLR_SET
	orr	r1, r1, r2
	mcr	p15, 0, r1, c1, c0, 0
	isb
	mrrc	p15, 1, r8, r9, c14	/* boot timing: MMU and caches on */
	ldr	pc, =high
high:
	ldr	r1, =boot_counter_mmu_on
	strd	r8, r9, [r1]
	/* a small stack for each exception mode, then SVC's boot stack */
	ldr	r1, =mode_stacks
	cps	#PSR_MODE_IRQ
	add	sp, r1, #MODE_STACK
	cps	#PSR_MODE_ABT
	add	sp, r1, #(2 * MODE_STACK)
	cps	#PSR_MODE_UND
	add	sp, r1, #(3 * MODE_STACK)
	cps	#PSR_MODE_FIQ
	add	sp, r1, #(4 * MODE_STACK)
	cps	#PSR_MODE_SVC
	ldr	sp, =__boot_stack_top
	ldr	r1, =vectors
	mcr	p15, 0, r1, c12, c0, 0	/* VBAR */
	isb
	mov	fp, #0			/* end of the frame chain */
	mov	r7, #0
	mov	lr, #0
	bl	stack_guard_init
	mov	r0, r10			/* boot_main(phys_addr_t dtb): a 64-bit argument in r0, r1 */
	mov	r1, #0
	bl	boot_main
	b	park
ENDFUNC(_start)

FUNC(park)
	wfe
	b	park
ENDFUNC(park)

	.section .bss, "aw", %nobits
	.balign 8
	.global boot_counter_entry, boot_counter_mmu_on
boot_counter_entry:	.quad 0
boot_counter_mmu_on:	.quad 0
mode_stacks:		.space 4 * MODE_STACK

	.section .bss.pgtable, "aw", %nobits
	.balign 4096
	.global boot_l1, boot_l2
boot_l1:	.space 4096
boot_l2:	.space 4096
