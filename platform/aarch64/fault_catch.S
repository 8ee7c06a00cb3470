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
