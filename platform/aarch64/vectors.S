/*
 * Exception vectors: all 16 entries. Each saves a struct exc_frame
 * (platform/aarch64/include/arch/exception.h) on the current stack and calls
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
#include "fpsimd_asm.h"

#define FRAME	288	/* EXC_FRAME_SIZE */
#define UFRAME	832	/* USER_FRAME_SIZE: exc_frame, tpidr_el0, pad, fpsr, fpcr, q0-q31 */
#define UF_TPIDR 288

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
	mov	x0, sp
	fpsimd_save x0, x1, x2
	add	x0, sp, #FPFRAME + 16
	mov	x1, #\kind
	bl	exception_entry
	mov	x0, sp
	fpsimd_restore x0, x1, x2
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
	fpsimd_save x0, x1, x2
.endm

.macro el0_handler kind
handler_\kind:
	el0_save_gprs
	.if \kind == 8
	/* system calls and page faults take a fast path that leaves FP/SIMD alone */
	lsr	x0, x24, #26		/* x24 = ESR (save_frame) */
	cmp	x0, #0x15		/* SVC from AArch64 */
	b.eq	el0_svc_fast
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
	/* handler 4 (EL1h synchronous): below, with the FP/SIMD trap */
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
 * A page fault or a system call from EL0: the kernel is built
 * general-registers-only, so the app's FP/SIMD registers stay live in the
 * CPU, and fpsimd_live_frame (platform/aarch64/fpsimd.c) says so. Whoever
 * needs the registers meanwhile (a library routine using SIMD traps into
 * fpsimd_access_trap, kernel_neon_begin, a context switch) saves them
 * into this frame and clears the pointer. On the way back: still ours ->
 * the registers are live, return without restoring (or save them now if
 * a reschedule or kill is due: user_fault_fast / user_syscall_fast
 * returned 1); cleared -> they are in the frame, take the restoring exit.
 */
el0_svc_fast:
	add	x0, sp, #16
	adrp	x1, fpsimd_live_frame
	str	x0, [x1, :lo12:fpsimd_live_frame]
	fpsimd_trap_on
	bl	user_syscall_fast
	b	el0_fast_exit
el0_fault_fast:
	add	x0, sp, #16
	adrp	x1, fpsimd_live_frame
	str	x0, [x1, :lo12:fpsimd_live_frame]
	fpsimd_trap_on
	bl	user_fault_fast
el0_fast_exit:
	adrp	x1, fpsimd_live_frame	/* interrupts are masked again */
	ldr	x2, [x1, :lo12:fpsimd_live_frame]
	str	xzr, [x1, :lo12:fpsimd_live_frame]
	add	x3, sp, #16
	cmp	x2, x3
	b.ne	1f			/* saved meanwhile: in the frame */
	fpsimd_trap_off x4
	cbz	x0, ret_to_user_nofp
	el0_save_fp
	bl	user_exit_work
	b	ret_to_user
1:	cbz	x0, ret_to_user
	bl	user_exit_work
	b	ret_to_user

/*
 * Synchronous exceptions from EL1. An FP/SIMD access trap (EC 0x07) means
 * kernel code touched FP/SIMD registers while an app's were live (the
 * fault fast path disables FP/SIMD at EL1 meanwhile): save the app's
 * registers into its frame, allow FP/SIMD again and retry the
 * instruction. Everything else goes to exception_entry.
 */
handler_4:
	save_frame 1
	lsr	x0, x24, #26		/* x24 = ESR (save_frame) */
	cmp	x0, #0x07
	b.ne	2f
	bl	fpsimd_access_trap
	restore_frame 1
2:	add	x0, sp, #16
	mov	x1, #4
	bl	exception_entry
	restore_frame 1

/* void arch_fpsimd_save(void *area): FPSR, FPCR, q0-q31 to area (528 bytes). */
FUNC(arch_fpsimd_save)
	fpsimd_save x0, x1, x2
	ret
ENDFUNC(arch_fpsimd_save)

/* void arch_fpsimd_fill_for_test(unsigned byte): every byte of v0-v31. */
FUNC(arch_fpsimd_fill_for_test)
	dup	v0.16b, w0
	.irp	n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	mov	v\n\().16b, v0.16b
	.endr
	ret
ENDFUNC(arch_fpsimd_fill_for_test)

/* Return to EL0 through the user frame above sp + 16 (interrupts masked).
 * Also the first entry of a new app (arch_context_init_user). */
FUNC(ret_to_user)
	add	x0, sp, #16 + UF_FP
	fpsimd_restore x0, x1, x2
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
