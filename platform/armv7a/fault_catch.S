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

/*
 * Test support (include/arch/fault.h). fault_catch_check_regs(fc, fn, arg,
 * rc): r4..r11 hold 0xa4..0xab across fault_catch_call(fc, fn, arg);
 * returns bit i set if r(4+i) changed, bit 31 for SP.
 */
FUNC(fault_catch_check_regs)
	push	{r3-r11, lr}		@ r3 (rc) at [sp]
	ldr	ip, =check_regs_sp
	str	sp, [ip]
	mov	r4, #0xa4
	mov	r5, #0xa5
	mov	r6, #0xa6
	mov	r7, #0xa7
	mov	r8, #0xa8
	mov	r9, #0xa9
	mov	r10, #0xaa
	mov	r11, #0xab
	bl	fault_catch_call
	mov	r1, #0
	ldr	ip, =check_regs_sp
	ldr	ip, [ip]
	cmp	sp, ip
	orrne	r1, r1, #0x80000000
	mov	sp, ip
	cmp	r4, #0xa4
	orrne	r1, r1, #1
	cmp	r5, #0xa5
	orrne	r1, r1, #2
	cmp	r6, #0xa6
	orrne	r1, r1, #4
	cmp	r7, #0xa7
	orrne	r1, r1, #8
	cmp	r8, #0xa8
	orrne	r1, r1, #16
	cmp	r9, #0xa9
	orrne	r1, r1, #32
	cmp	r10, #0xaa
	orrne	r1, r1, #64
	cmp	r11, #0xab
	orrne	r1, r1, #128
	ldr	r3, [sp]
	str	r0, [r3]
	mov	r0, r1
	pop	{r3-r11, pc}
ENDFUNC(fault_catch_check_regs)

/* fault_catch_clobber_load(p): every callee-saved register and SP changed,
 * as in a function deep in a call chain, then a load from p. */
FUNC(fault_catch_clobber_load)
	movw	r4, #0x1104
	movw	r5, #0x1105
	movw	r6, #0x1106
	movw	r7, #0x1107
	movw	r8, #0x1108
	movw	r9, #0x1109
	movw	r10, #0x110a
	movw	r11, #0x110b
	sub	sp, sp, #256
	ldr	r1, [r0]
	add	sp, sp, #256
	bx	lr
ENDFUNC(fault_catch_clobber_load)

	.bss
	.align	2
check_regs_sp:
	.space	4
