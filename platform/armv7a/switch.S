/*
 * Kernel-stack switching on ARMv7-A (include/arch/context.h): the
 * callee-saved r4-r11, sp and the return address of a task switched out.
 */
#include <arch/asm.h>

	.syntax unified
	.arm
	.text
/* struct cpu_context *arch_context_switch(prev, next): returns prev on next's stack */
FUNC(arch_context_switch)
	stmia	r0, {r4-r11}
	str	sp, [r0, #32]
	str	lr, [r0, #36]
	ldmia	r1, {r4-r11}
	ldr	sp, [r1, #32]
	ldr	lr, [r1, #36]
	bx	lr
ENDFUNC(arch_context_switch)

/* a new kernel task's first switch: fn (r4) called with arg (r5); fn never returns */
FUNC(task_entry)
	mov	r0, r5
	mov	fp, #0
	mov	lr, #0
	blx	r4
	udf	#0
ENDFUNC(task_entry)
