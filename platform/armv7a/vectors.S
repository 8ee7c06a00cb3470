/*
 * The exception vectors (VBAR, ARM state). Every exception moves to SVC
 * mode at once (SRSDB pushes the return address and SPSR onto the SVC
 * stack), saves a struct exc_frame (arch/exception.h) below them and
 * calls exception_entry(frame, kind) with IRQs masked; if that returns,
 * the frame is restored (RFE). The exception modes' own stacks are never
 * used.
 *
 * Return addresses (ARM ARM B1.8.3), the same in ARM and Thumb state
 * except for UNDEF and SVC, whose LR is the next instruction:
 *   DABT  lr - 8 is the faulting instruction (retried)
 *   PABT  lr - 4
 *   IRQ   lr - 4 is where to resume
 *
 * Kernel exceptions only for now: from USR mode the frame would need the
 * banked sp/lr (stmia {sp, lr}^), which the app entry (not yet) adds.
 */
#include <arch/asm.h>
#include <arch/exception.h>

	.syntax unified
	.arm
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

/* entry: lr already adjusted to the return address; kind; fsr/far readers */
.macro exc_entry kind, adjust, fsr_op2, far_op2
	.if \adjust
	sub	lr, lr, #\adjust
	.endif
	srsdb	sp!, #PSR_MODE_SVC
	cps	#PSR_MODE_SVC
	sub	sp, sp, #(EXC_FRAME_SIZE - 8)
	stmia	sp, {r0-r12}
	add	r0, sp, #EXC_FRAME_SIZE
	str	r0, [sp, #EXC_OFF_SP]
	str	lr, [sp, #EXC_OFF_SP + 4]
	.if \fsr_op2 >= 0
	mrc	p15, 0, r1, c5, c0, \fsr_op2
	mrc	p15, 0, r2, c6, c0, \far_op2
	.else
	mov	r1, #0
	mov	r2, #0
	.endif
	mov	r3, #\kind
	add	r0, sp, #EXC_OFF_FSR
	stmia	r0, {r1-r3}
	mov	r0, sp
	mov	r1, #\kind
	/* keep the C stack 8-byte aligned (the frame is 80 bytes) */
	bl	exception_entry
	ldmia	sp, {r0-r12}
	ldr	lr, [sp, #EXC_OFF_SP + 4]
	add	sp, sp, #EXC_OFF_PC
	rfeia	sp!
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
	exc_entry EXC_DABT, 8, 0, 0	/* DFSR, DFAR */
vec_irq:
	exc_entry EXC_IRQ, 4, -1, -1
vec_fiq:
	exc_entry EXC_FIQ, 4, -1, -1
