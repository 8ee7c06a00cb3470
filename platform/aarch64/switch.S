/*
 * Kernel-stack switching between tasks (include/arch/context.h).
 *
 * struct cpu_context: x19..x28, fp, sp, pc (13 x 8 bytes). Only the
 * callee-saved registers survive a call, so a switch is a function call
 * that returns on another stack. FP/SIMD: an app's registers are in its
 * user frame except while its fault fast path runs (fpsimd_live_frame,
 * platform/aarch64/fpsimd.c; FP/SIMD trapped at EL1 meanwhile); if so they
 * are saved into that frame here before anyone else can run, the pointer
 * cleared and the trap lifted (the owner's exit path then restores them
 * from the frame). Kernel code keeps no FP/SIMD
 * state across a switch (kernel_neon sections do not schedule).
 */
#include <arch/asm.h>
#include "fpsimd_asm.h"

	.text
/* struct cpu_context *arch_context_switch(prev, next) */
FUNC(arch_context_switch)
	adrp	x9, fpsimd_live_frame
	ldr	x10, [x9, :lo12:fpsimd_live_frame]
	cbnz	x10, 2f
1:	mov	x9, sp
	stp	x19, x20, [x0, #16 * 0]
	stp	x21, x22, [x0, #16 * 1]
	stp	x23, x24, [x0, #16 * 2]
	stp	x25, x26, [x0, #16 * 3]
	stp	x27, x28, [x0, #16 * 4]
	stp	x29, x9, [x0, #16 * 5]
	str	x30, [x0, #16 * 6]
	ldp	x19, x20, [x1, #16 * 0]
	ldp	x21, x22, [x1, #16 * 1]
	ldp	x23, x24, [x1, #16 * 2]
	ldp	x25, x26, [x1, #16 * 3]
	ldp	x27, x28, [x1, #16 * 4]
	ldp	x29, x9, [x1, #16 * 5]
	ldr	x30, [x1, #16 * 6]
	mov	sp, x9
	ret
2:	str	xzr, [x9, :lo12:fpsimd_live_frame]
	fpsimd_trap_off x11
	add	x10, x10, #UF_FP
	fpsimd_save x10, x11, x12
	b	1b
ENDFUNC(arch_context_switch)

/* First run of a kernel thread: x19 = fn, x20 = arg (arch_context_init). */
FUNC(task_entry_trampoline)
	mov	x29, xzr
	mov	x0, x20
	blr	x19
	b	.			/* fn must not return */
ENDFUNC(task_entry_trampoline)
