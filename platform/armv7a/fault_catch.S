/*
 * fault_catch_call(fc, fn, arg) and its landing (include/arch/fault.h):
 * r4-r11, sp and lr go into fc->saved (as 32-bit words), fn(arg) runs;
 * a fault while it runs resumes in fault_catch_landing(fc)
 * (exception.c), which returns 1 from fault_catch_call.
 */
#include <arch/asm.h>

	.syntax unified
	.arm
	.text
FUNC(fault_catch_call)
	stmia	r0, {r4-r11}
	str	sp, [r0, #32]
	str	lr, [r0, #36]
	ldr	r3, =fault_catch_active
	str	r0, [r3]
	mov	r4, r0
	mov	r0, r2
	blx	r1
	ldr	r3, =fault_catch_active
	mov	r0, #0
	str	r0, [r3]
	ldr	lr, [r4, #36]
	ldmia	r4, {r4-r11}
	bx	lr
ENDFUNC(fault_catch_call)

FUNC(fault_catch_landing)
	ldr	sp, [r0, #32]
	ldr	lr, [r0, #36]
	ldmia	r0, {r4-r11}
	mov	r0, #1
	bx	lr
ENDFUNC(fault_catch_landing)
