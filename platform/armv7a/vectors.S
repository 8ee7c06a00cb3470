/*
 * The exception vectors (VBAR, ARM state). Every exception moves to SVC
 * mode at once (SRSDB pushes the return address and SPSR onto the SVC
 * stack) and saves a struct user_frame there (arch/frame.h: the app's
 * TLS register, then struct exc_frame), whichever mode it came from:
 *
 *   from SVC (the kernel)  exception_entry(&frame->regs, kind), and the
 *                          frame is restored (RFE) if it returns;
 *   from USR (an app)      the SVC stack was empty (the task's kernel
 *                          stack top), so the frame is the task's user
 *                          frame; sp/lr are the app's banked ones, the
 *                          app's d0-d31 and FPSCR are saved in it too
 *                          (and loaded back on the return to USR), and
 *                          exception_entry goes to kernel/entry.c.
 *
 * Return addresses (ARM ARM B1.8.3), the same in ARM and Thumb state
 * except for UNDEF and SVC, whose LR is the next instruction:
 *   DABT  lr - 8 is the faulting instruction (retried)
 *   PABT  lr - 4
 *   IRQ   lr - 4 is where to resume
 */
#include <arch/asm.h>
#include <arch/exception.h>
#include <arch/layout.h>

#define UF_REGS 272	/* offsetof(struct user_frame, regs): arch/frame.h */
#define UF_VFP 8	/* offsetof(struct user_frame, vfp) */

	.syntax unified
	.arm
	.fpu	neon
	.section .text.vectors, "ax"
	.balign 32
	.global vectors
vectors:
	b	vec_reset
	b	vec_undef
	b	vec_svc
	b	vec_pabt
	b	vec_dabt
	b	vec_reset		/* HYP trap: never taken in SVC */
	b	vec_irq
	b	vec_fiq

/* entry: return address adjust, kind, the FSR/FAR registers (op2) or -1 */
.macro exc_entry kind, adjust, fsr_op2, far_op2
	.if \adjust
	sub	lr, lr, #\adjust
	.endif
	srsdb	sp!, #PSR_MODE_SVC
	cps	#PSR_MODE_SVC
	sub	sp, sp, #(EXC_FRAME_SIZE - 8)
	stmia	sp, {r0-r12}
	mov	r0, sp			/* r0: &frame->regs from here on */
	sub	sp, sp, #UF_REGS
	.if \fsr_op2 >= 0
	mrc	p15, 0, r1, c5, c0, \fsr_op2
	mrc	p15, 0, r2, c6, c0, \far_op2
	.else
	mov	r1, #0
	mov	r2, #0
	.endif
	mov	r3, #\kind
	b	exc_common
.endm

vec_reset:
	exc_entry 0, 0, -1, -1
vec_undef:
	exc_entry EXC_UNDEF, 0, -1, -1
vec_svc:
	exc_entry EXC_SVC, 0, -1, -1
vec_pabt:
	exc_entry EXC_PABT, 4, 1, 2	/* IFSR, IFAR */
vec_dabt:
	/* A kernel stack overflow: an abort from SVC whose sp cannot take a
	 * frame. Kernel stacks start at an odd multiple of KSTACK_SIZE
	 * (kernel.lds, vmalloc_stack), so bit KSTACK_SHIFT of a usable sp is
	 * 1; if the frame would cross it, SVC moves to the overflow stack
	 * (saving the frame would fault again, forever) and the sp it had is
	 * kept for the report. r0, r1 are saved on the ABT mode's stack
	 * (IRQs stay masked while SVC's sp is looked at). */
	stmdb	sp!, {r0, r1}
	mrs	r0, spsr
	and	r0, r0, #PSR_MODE_MASK
	cmp	r0, #PSR_MODE_SVC
	bne	1f
	cps	#PSR_MODE_SVC		/* SVC's sp (no banked MRS without EL2) */
	sub	r1, sp, #(EXC_FRAME_SIZE + UF_REGS)
	tst	r1, #(1 << KSTACK_SHIFT)
	bne	2f
	ldr	r1, =kernel_stack_overflow_sp
	str	sp, [r1]
	ldr	sp, =__overflow_stack_top
2:	cps	#PSR_MODE_ABT
1:	ldmia	sp!, {r0, r1}
	exc_entry EXC_DABT, 8, 0, 0	/* DFSR, DFAR */
vec_irq:
	exc_entry EXC_IRQ, 4, -1, -1
vec_fiq:
	exc_entry EXC_FIQ, 4, -1, -1

/* r0 &regs (r0-r12 saved), r1 fsr, r2 far, r3 kind; sp = the user frame */
exc_common:
	add	r12, r0, #EXC_OFF_FSR
	stmia	r12, {r1-r3}
	ldr	r1, [r0, #(EXC_OFF_PC + 4)]	/* the interrupted CPSR */
	and	r1, r1, #PSR_MODE_MASK
	cmp	r1, #PSR_MODE_USR
	add	r12, r0, #EXC_OFF_SP
	beq	1f
	add	r1, r0, #EXC_FRAME_SIZE	/* the kernel's sp before the exception */
	stmia	r12, {r1, lr}
	b	2f
1:	stmia	r12, {sp, lr}^		/* the app's banked sp, lr */
	mrc	p15, 0, r1, c13, c0, 2	/* TPIDRURW: the app's TLS */
	str	r1, [sp]
	add	r12, sp, #UF_VFP	/* the app's VFP/NEON registers, eagerly */
	vstmia	r12!, {d0-d15}
	vstmia	r12!, {d16-d31}
	vmrs	r1, fpscr
	str	r1, [r12]
2:	mov	r1, r3
	/* AAPCS: sp 8-byte aligned at the call (a kernel exception may come
	 * mid-function with sp 4 mod 8); r5 is callee-saved, also across a switch */
	mov	r5, sp
	bic	sp, sp, #7
	bl	exception_entry
	mov	sp, r5
	/* fall through */

/* sp: a struct user_frame to return to (also a new app's first entry) */
	.global exc_return
exc_return:
	add	r0, sp, #UF_REGS
	ldr	r1, [r0, #(EXC_OFF_PC + 4)]
	and	r1, r1, #PSR_MODE_MASK
	cmp	r1, #PSR_MODE_USR
	add	r12, r0, #EXC_OFF_SP
	bne	1f
	ldmia	r12, {sp, lr}^
	ldr	r1, [sp]
	mcr	p15, 0, r1, c13, c0, 2
	add	r12, sp, #UF_VFP	/* the app's VFP/NEON registers back */
	vldmia	r12!, {d0-d15}
	vldmia	r12!, {d16-d31}
	ldr	r1, [r12]
	vmsr	fpscr, r1
	b	2f
1:	ldr	lr, [r12, #4]		/* the kernel's lr */
2:	ldmia	r0, {r0-r12}
	add	sp, sp, #(UF_REGS + EXC_OFF_PC)
	rfeia	sp!
