/*
 * Boot entry. QEMU's -kernel loads this ELF at KERNEL_PHYS and enters
 * _start_phys at EL1 (or EL2 with virtualization=on) with the MMU off.
 *
 * This file does only what must happen before C can run at its linked
 * high-half address:
 *   1. park secondary CPUs (SMP bring-up comes later, via PSCI CPU_ON);
 *   2. drop from EL2 to EL1 if needed; enable FP/SIMD;
 *   3. clear BSS;
 *   4. build two tiny boot tables with 1 GiB blocks: an identity map of
 *      the image's GiB (TTBR0, read-only + executable: it is only used
 *      to turn the MMU on and to switch TTBR1 later) and a high-half map
 *      (TTBR1) of the GiBs of the image and of the DTB, plus a Device
 *      block for the early console;
 *   5. program MAIR/TCR, turn the MMU and caches on, jump high, set the
 *      boot stack and the vectors, and call boot_main(dtb).
 * The real kernel tables (W^X, page granular where needed) are built by
 * C code in platform/aarch64/mmu_init.c and installed with
 * arch_replace_ttbr1() below.
 */
#include <arch/layout.h>
#include <arch/asm.h>

#define PTE_TABLE	3
#define PTE_BLOCK	1
#define PTE_ATTRIDX(i)	((i) << 2)
#define PTE_RDONLY	(1 << 7)
#define PTE_SH_INNER	(3 << 8)
#define PTE_AF		(1 << 10)
#define PTE_PXN		(1 << 53)
#define PTE_UXN		(1 << 54)

/* MAIR: 0 Normal WB RW-alloc, 1 Device-nGnRE, 2 Normal NC, 3 Device-nGnRnE */
#define MAIR_VALUE	0x00000000004404ff
#define BOOT_NORMAL	(PTE_BLOCK | PTE_ATTRIDX(0) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define BOOT_IDMAP	(BOOT_NORMAL | PTE_RDONLY)
#define BOOT_DEVICE	(PTE_BLOCK | PTE_ATTRIDX(1) | PTE_AF | PTE_PXN | PTE_UXN)

/* TCR: T0SZ=T1SZ=64-VA_BITS, 4K granules, WBWA inner-shareable walks */
#define TCR_TXSZ	(64 - VA_BITS)
#define TCR_VALUE	(TCR_TXSZ | (1 << 8) | (1 << 10) | (3 << 12) | (0 << 14) | \
			 (TCR_TXSZ << 16) | (1 << 24) | (1 << 26) | (3 << 28) | (2 << 30))
/* SCTLR: RES1 bits of ARMv8.0 + M, C, SA, I (WXN is set once W^X tables are in) */
#define SCTLR_VALUE	(0x30d00800 | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 12))

.if (KERNEL_PHYS >> 30) == (CONFIG_UART_BASE >> 30)
.error "UART_BASE shares a GiB with the kernel image; the boot console map needs them apart"
.endif

	.section .text.boot, "ax"
FUNC(_start)
	mov	x19, x0			/* DTB pointer if a loader passed one */
	isb
	mrs	x20, cntvct_el0		/* boot timing: counter at entry */
	mrs	x1, mpidr_el1
	mov	x2, #0xffffff
	movk	x2, #0xff, lsl #32
	tst	x1, x2
	b.ne	park

	/* checks that need no memory: report (early_fail.S) instead of hanging */
	mrs	x1, CurrentEL
	cmp	x1, #(3 << 2)
	b.eq	entered_el3
	adr	x1, _start
	ldr	x2, =_start_phys
	cmp	x1, x2
	b.ne	loaded_elsewhere
	adr	x1, early_vectors	/* faults before the kernel's vectors: reported */
	msr	vbar_el1, x1
	isb

	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	1f
	bl	el2_to_el1
1:
	mov	x1, #(3 << 20)		/* CPACR_EL1.FPEN: no FP/SIMD traps */
	msr	cpacr_el1, x1
	isb

	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
2:	cmp	x1, x2
	b.hs	3f
	stp	xzr, xzr, [x1], #16
	b	2b
3:
	adr_l	x1, boot_counter_entry
	str	x20, [x1]
	/* identity map of the image's GiB (TTBR0) */
	adr_l	x0, boot_idmap
	adr_l	x1, boot_idmap_next
	adr_l	x2, _start
	mov	x3, x2
	ldr	x4, =BOOT_IDMAP
	bl	map_gib
	/* high-half map: image, DTB (RAM base), early console */
	adr_l	x0, boot_kmap
	adr_l	x1, boot_kmap_next
	ldr	x2, =KERNEL_VIRT
	adr_l	x3, _start
	ldr	x4, =BOOT_NORMAL
	bl	map_gib
	adr_l	x0, boot_kmap
	ldr	x2, =(PAGE_OFFSET + CONFIG_RAM_BASE)
	ldr	x3, =CONFIG_RAM_BASE
	bl	map_gib
	adr_l	x0, boot_kmap
	ldr	x2, =(PAGE_OFFSET + CONFIG_UART_BASE)
	ldr	x3, =CONFIG_UART_BASE
	ldr	x4, =BOOT_DEVICE
	bl	map_gib

	ldr	x1, =MAIR_VALUE
	msr	mair_el1, x1
	ldr	x1, =TCR_VALUE
	mrs	x2, id_aa64mmfr0_el1	/* IPS = PARange, at most 48 bits */
	and	x2, x2, #7
	cmp	x2, #5
	mov	x3, #5
	csel	x2, x2, x3, ls
	bfi	x1, x2, #32, #3
	msr	tcr_el1, x1
	adr_l	x1, boot_idmap
	msr	ttbr0_el1, x1
	adr_l	x1, boot_kmap
	msr	ttbr1_el1, x1
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x1, =SCTLR_VALUE
	msr	sctlr_el1, x1
	isb
	ic	iallu
	dsb	nsh
	isb
	mrs	x20, cntvct_el0		/* boot timing: MMU and caches on */

	ldr	x1, =high
	br	x1
high:
	ldr	x1, =boot_counter_mmu_on	/* (the identity map is read-only) */
	str	x20, [x1]
	ldr	x1, =__boot_stack_top
	mov	sp, x1
	ldr	x1, =vectors
	msr	vbar_el1, x1
	isb
	mov	x29, xzr		/* end of the frame-pointer chain */
	mov	x30, xzr
	bl	stack_guard_init
	mov	x0, x19
	bl	boot_main
	b	park
ENDFUNC(_start)

/* x0 root, x1 next-level table (4 levels only), x2 VA, x3 PA, x4 attrs */
map_gib:
.if PGTABLE_LEVELS == 4
	ubfx	x5, x2, #39, #9
	orr	x6, x1, #PTE_TABLE
	str	x6, [x0, x5, lsl #3]
	mov	x0, x1
.endif
	ubfx	x5, x2, #30, #9
	and	x6, x3, #~0x3fffffff
	orr	x6, x6, x4
	str	x6, [x0, x5, lsl #3]
	ret

entered_el3:
	adr	x0, msg_el3
	mov	x1, #-1
	b	early_fail

loaded_elsewhere:
	adr	x0, msg_loaded		/* x1: where it runs */
	adr	x2, msg_linked
	b	early_fail

el2_to_el1:
	mov	x1, #(1 << 31)		/* HCR_EL2.RW: EL1 is AArch64 */
	msr	hcr_el2, x1
	mrs	x1, cnthctl_el2		/* EL1 may use the physical timer */
	orr	x1, x1, #3
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #0x3c5		/* EL1h, DAIF masked */
	msr	spsr_el2, x1
	adr	x1, 1f
	msr	elr_el2, x1
	eret
1:	ret

#define STR_(x) #x
#define STR(x) STR_(x)
msg_el3:
	.asciz "\nPagoda: boot failed: entered at EL3 (QEMU -M virt,secure=on?). The firmware runs at EL1\n  and leaves EL2 by itself, but does not leave EL3: boot it at EL2 or EL1\n  (QEMU: -M virt without secure=on, or a secure firmware that drops to EL2)."
msg_loaded:
	.asciz "\nPagoda: boot failed: the image runs at "
msg_linked:
	.asciz " but board.cfg links it at CONFIG_RAM_BASE (" STR(CONFIG_RAM_BASE) ") +\n  CONFIG_KERNEL_OFFSET (" STR(CONFIG_KERNEL_OFFSET) "): load the ELF at its physical addresses\n  (QEMU -kernel does), or set CONFIG_RAM_BASE/CONFIG_KERNEL_OFFSET to where it is loaded."
	.balign 4

FUNC(park)
	wfe
	b	park
ENDFUNC(park)

/*
 * arch_replace_ttbr1(new_root_pa): switch the kernel's tables. Must be
 * called through its identity-map alias (see mmu_init.c): while TTBR1 is
 * being replaced nothing of the high half may be touched, so walks of
 * TTBR1 are disabled and the TLB emptied before the new root goes in
 * (break-before-make for the whole half).
 */
	.section .text.idmap, "ax"
FUNC(arch_replace_ttbr1)
	mrs	x2, tcr_el1
	orr	x3, x2, #(1 << 23)	/* EPD1 */
	msr	tcr_el1, x3
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	ttbr1_el1, x0
	isb
	msr	tcr_el1, x2
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ret
ENDFUNC(arch_replace_ttbr1)

	.section .bss, "aw", %nobits
	.balign 8
	.global boot_counter_entry, boot_counter_mmu_on
boot_counter_entry:	.quad 0
boot_counter_mmu_on:	.quad 0

	.section .bss.pgtable, "aw", %nobits
	.balign 4096
	.global boot_idmap, boot_kmap
boot_idmap:	.space 4096
boot_idmap_next: .space 4096
boot_kmap:	.space 4096
boot_kmap_next:	.space 4096
