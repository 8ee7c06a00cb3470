/*
 * fault_catch_call(fc, fn, arg) and its landing pad; see
 * include/arch/fault.h. The exception handler "returns" to
 * fault_catch_landing with x0 = fc, which restores the callee-saved
 * registers and SP saved here and makes fault_catch_call return 1.
 */
#include <arch/asm.h>

FUNC(fault_catch_call)
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x3, sp
	str	x3, [x0, #96]
	adr_l	x3, fault_catch_active
	str	x0, [x3]
	mov	x19, x0
	mov	x0, x2
	blr	x1
	adr_l	x3, fault_catch_active
	str	xzr, [x3]
	mov	x1, x19
	ldp	x19, x20, [x1, #0]
	ldp	x29, x30, [x1, #80]
	mov	x0, #0
	ret
ENDFUNC(fault_catch_call)

FUNC(fault_catch_landing)
	ldp	x19, x20, [x0, #0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x30, [x0, #80]
	ldr	x1, [x0, #96]
	mov	sp, x1
	mov	x0, #1
	ret
ENDFUNC(fault_catch_landing)

/*
 * Test support (include/arch/fault.h). fault_catch_check_regs(fc, fn, arg,
 * rc): x19..x28 hold 0x19..0x28 across fault_catch_call(fc, fn, arg);
 * returns bit i set if x(19+i) changed, bit 10 for x29, bit 31 for SP.
 */
FUNC(fault_catch_check_regs)
	stp	x29, x30, [sp, #-112]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	str	x3, [sp, #96]
	mov	x19, #0x19
	mov	x20, #0x20
	mov	x21, #0x21
	mov	x22, #0x22
	mov	x23, #0x23
	mov	x24, #0x24
	mov	x25, #0x25
	mov	x26, #0x26
	mov	x27, #0x27
	mov	x28, #0x28
	bl	fault_catch_call
	mov	x5, x0			/* fault_catch_call's result */
	mov	x0, #0
	.irp	n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28
	cmp	x\n, #0x\n
	cset	x1, ne
	orr	x0, x0, x1, lsl #(\n - 19)
	.endr
	mov	x1, sp
	cmp	x1, x29
	cset	x1, ne
	orr	x0, x0, x1, lsl #31
	mov	sp, x29			/* x29 itself is checked by the frame it restores */
	ldr	x3, [sp, #96]
	str	w5, [x3]
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #112
	ret
ENDFUNC(fault_catch_check_regs)

/* fault_catch_clobber_load(p): every callee-saved register and SP changed,
 * as in a function deep in a call chain, then a load from p. */
FUNC(fault_catch_clobber_load)
	.irp	n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28
	mov	x\n, #0x11\n
	.endr
	mov	x29, #0x1129
	sub	sp, sp, #256
	ldr	x1, [x0]
	add	sp, sp, #256
	ret
ENDFUNC(fault_catch_clobber_load)
