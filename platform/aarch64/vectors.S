/*
 * Exception vectors: all 16 entries. Each saves a struct exc_frame
 * (include/arch/exception.h) on the current stack and calls
 * exception_entry(frame, kind); on return the frame (possibly edited,
 * e.g. to recover from an expected fault) is restored and we eret.
 *
 * Entries taken from EL1 with SP_EL1 first check that SP is still inside
 * a kernel stack: kernel stacks start at an odd multiple of KSTACK_SIZE,
 * so bit KSTACK_SHIFT of a valid SP is 1; if it is 0 the stack has run
 * into its guard page and we switch to the overflow stack to report it
 * (otherwise saving the frame would fault again, forever).
 */
#include <arch/layout.h>
#include <arch/asm.h>

#define FRAME	288	/* EXC_FRAME_SIZE */
#define UFRAME	832	/* USER_FRAME_SIZE: exc_frame, tpidr_el0, pad, fpsr, fpcr, q0-q31 */
#define UF_TPIDR 288
#define UF_FP	304

.macro save_frame el
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	.if \el == 0
	mrs	x21, sp_el0
	.else
	add	x21, sp, #FRAME
	.endif
	stp	x30, x21, [sp, #16 * 15]
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x22, x23, [sp, #16 * 16]
	mrs	x24, esr_el1
	mrs	x25, far_el1
	stp	x24, x25, [sp, #16 * 17]
	/* a frame record so backtraces walk through the exception */
	stp	x29, x22, [sp, #-16]!
	mov	x29, sp
.endm

.macro restore_frame el, size=FRAME
	add	sp, sp, #16
	ldp	x22, x23, [sp, #16 * 16]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	.if \el == 0
	ldr	x21, [sp, #8 * 31]
	msr	sp_el0, x21
	.endif
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #16 * 15]
	add	sp, sp, #\size
	eret
.endm

/* One 128-byte slot: make room, check the stack (EL1h only), branch out. */
.macro vslot kind, el, check
	.balign 128
	.if \el == 0 && \kind < 10
	sub	sp, sp, #UFRAME
	.else
	sub	sp, sp, #FRAME
	.endif
	.if \check
	add	sp, sp, x0		/* sp = sp' + x0 */
	sub	x0, sp, x0		/* x0 = sp' */
	tbz	x0, #KSTACK_SHIFT, stack_overflow
	sub	x0, sp, x0		/* x0 = original x0 */
	sub	sp, sp, x0		/* sp = sp' */
	.endif
	b	handler_\kind
.endm

.macro handler kind, el
handler_\kind:
	save_frame \el
	add	x0, sp, #16
	mov	x1, #\kind
	bl	exception_entry
	restore_frame \el
.endm

/*
 * FP/SIMD state at [base]: FPSR, FPCR, then q0..q31 (528 bytes, the layout
 * of the IRQ frame's FP area and of struct user_frame's). x1, x2 scratch.
 */
.macro fpsimd_save base
	mrs	x1, fpsr
	mrs	x2, fpcr
	stp	x1, x2, [\base]
	stp	q0, q1, [\base, #16 + 32 * 0]
	stp	q2, q3, [\base, #16 + 32 * 1]
	stp	q4, q5, [\base, #16 + 32 * 2]
	stp	q6, q7, [\base, #16 + 32 * 3]
	stp	q8, q9, [\base, #16 + 32 * 4]
	stp	q10, q11, [\base, #16 + 32 * 5]
	stp	q12, q13, [\base, #16 + 32 * 6]
	stp	q14, q15, [\base, #16 + 32 * 7]
	stp	q16, q17, [\base, #16 + 32 * 8]
	stp	q18, q19, [\base, #16 + 32 * 9]
	stp	q20, q21, [\base, #16 + 32 * 10]
	stp	q22, q23, [\base, #16 + 32 * 11]
	stp	q24, q25, [\base, #16 + 32 * 12]
	stp	q26, q27, [\base, #16 + 32 * 13]
	stp	q28, q29, [\base, #16 + 32 * 14]
	stp	q30, q31, [\base, #16 + 32 * 15]
.endm

.macro fpsimd_restore base
	ldp	x1, x2, [\base]
	msr	fpsr, x1
	msr	fpcr, x2
	ldp	q0, q1, [\base, #16 + 32 * 0]
	ldp	q2, q3, [\base, #16 + 32 * 1]
	ldp	q4, q5, [\base, #16 + 32 * 2]
	ldp	q6, q7, [\base, #16 + 32 * 3]
	ldp	q8, q9, [\base, #16 + 32 * 4]
	ldp	q10, q11, [\base, #16 + 32 * 5]
	ldp	q12, q13, [\base, #16 + 32 * 6]
	ldp	q14, q15, [\base, #16 + 32 * 7]
	ldp	q16, q17, [\base, #16 + 32 * 8]
	ldp	q18, q19, [\base, #16 + 32 * 9]
	ldp	q20, q21, [\base, #16 + 32 * 10]
	ldp	q22, q23, [\base, #16 + 32 * 11]
	ldp	q24, q25, [\base, #16 + 32 * 12]
	ldp	q26, q27, [\base, #16 + 32 * 13]
	ldp	q28, q29, [\base, #16 + 32 * 14]
	ldp	q30, q31, [\base, #16 + 32 * 15]
.endm

/*
 * IRQs also save the FP/SIMD registers: the kernel's own code is built
 * -mgeneral-regs-only, but the libraries it links (picolibc's printf,
 * libfdt, LZ4) use SIMD registers, and an interrupt handler calling them
 * must not corrupt the code it interrupted. 32 x 16 bytes + FPSR/FPCR.
 */
#define FPFRAME	528
.macro handler_irq kind, el
handler_\kind:
	save_frame \el
	sub	sp, sp, #FPFRAME
	fpsimd_save sp
	add	x0, sp, #FPFRAME + 16
	mov	x1, #\kind
	bl	exception_entry
	fpsimd_restore sp
	add	sp, sp, #FPFRAME
	restore_frame \el
.endm

/*
 * Entries from an app (EL0, AArch64): SP_EL1 is the top of the task's
 * kernel stack, where the whole user frame goes (include/arch/context.h):
 * general registers, SP_EL0, ELR/SPSR/ESR/FAR, the app's TPIDR_EL0 (its
 * TLS; the kernel's own TLS pointer lives in TPIDR_EL1 and is installed in
 * TPIDR_EL0 while in the kernel, for picolibc) and the FP/SIMD registers
 * (the kernel's libraries may use them, and a task may be switched out).
 * user_exception() handles the exception and everything due before the
 * return (reschedule, kill); ret_to_user restores the frame and erets.
 */
.macro el0_save_gprs
	save_frame 0
	mrs	x0, tpidr_el0
	str	x0, [sp, #16 + UF_TPIDR]
	mrs	x0, tpidr_el1
	msr	tpidr_el0, x0
	str	xzr, [sp]		/* the kernel backtrace ends at the app */
.endm

.macro el0_save_fp
	add	x0, sp, #16 + UF_FP
	fpsimd_save x0
.endm

.macro el0_handler kind
handler_\kind:
	el0_save_gprs
	.if \kind == 8
	/* page faults take a fast path that leaves FP/SIMD alone */
	lsr	x0, x24, #26		/* x24 = ESR (save_frame) */
	cmp	x0, #0x24		/* data abort from EL0 */
	b.eq	el0_fault_fast
	cmp	x0, #0x20		/* instruction abort from EL0 */
	b.eq	el0_fault_fast
	.endif
	el0_save_fp
	add	x0, sp, #16
	mov	x1, #\kind
	bl	user_exception
	b	ret_to_user
.endm


	.section .text.vectors, "ax"
	.balign 2048
FUNC(vectors)
	vslot 0, 1, 0
	vslot 1, 1, 0
	vslot 2, 1, 0
	vslot 3, 1, 0
	vslot 4, 1, 1
	vslot 5, 1, 1
	vslot 6, 1, 1
	vslot 7, 1, 1
	vslot 8, 0, 0
	vslot 9, 0, 0
	vslot 10, 0, 0
	vslot 11, 0, 0
	vslot 12, 0, 0
	vslot 13, 0, 0
	vslot 14, 0, 0
	vslot 15, 0, 0
ENDFUNC(vectors)

	.text
	handler 0, 1
	handler 1, 1
	handler 2, 1
	handler 3, 1
	handler 4, 1
	handler_irq 5, 1
	handler 6, 1
	handler 7, 1
	el0_handler 8
	el0_handler 9
	handler 10, 0
	handler 11, 0
	handler 12, 0
	handler 13, 0
	handler 14, 0
	handler 15, 0


/*
 * A page fault from EL0: the fault path is general-registers-only and
 * prints nothing when it succeeds, so the app's FP/SIMD registers stay
 * live in the CPU. user_fault_fast() returns 0 to go straight back, or 1
 * if something is due first (reschedule, kill): then the FP/SIMD
 * registers are saved like on any other entry and the normal exit runs.
 */
el0_fault_fast:
	add	x0, sp, #16
	bl	user_fault_fast
	cbz	x0, ret_to_user_nofp
	el0_save_fp
	bl	user_exit_work
	b	ret_to_user

/* Return to EL0 through the user frame above sp + 16 (interrupts masked).
 * Also the first entry of a new app (arch_context_init_user). */
FUNC(ret_to_user)
	add	x0, sp, #16 + UF_FP
	fpsimd_restore x0
ret_to_user_nofp:
	ldr	x0, [sp, #16 + UF_TPIDR]
	msr	tpidr_el0, x0
	restore_frame 0, UFRAME
ENDFUNC(ret_to_user)

/*
 * The kernel stack overflowed: x0 still holds the faulting context's
 * x0 + sp' trick state; sp = sp' + x0 (see vslot). Recover sp' and x0,
 * move to the overflow stack, save what we can and report.
 */
stack_overflow:
	/* here: sp = sp' + x0orig, x0 = sp'. Fatal path: TPIDRRO_EL0 and
	 * TPIDR_EL1 are used as scratch and not restored. */
	msr	tpidr_el1, x0		/* stash sp' */
	sub	x0, sp, x0		/* x0 = x0orig */
	msr	tpidrro_el0, x0		/* stash x0orig */
	ldr	x0, =__overflow_stack_top
	mov	sp, x0
	sub	sp, sp, #FRAME
	mrs	x0, tpidrro_el0
	save_frame 1
	mrs	x21, tpidr_el1		/* the SP at the exception: sp' + FRAME */
	add	x21, x21, #FRAME
	str	x21, [sp, #16 + 8 * 31]
	add	x0, sp, #16
	bl	kernel_stack_overflow
	b	park
