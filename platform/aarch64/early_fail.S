/*
 * Boot failures found before C can run: a report through semihosting
 * (the emulator's console, no device needed: it works at any exception
 * level with the MMU off), then a stop with a failure status.
 *
 *   early_fail(x0 = message, x1 = value or -1, x2 = second message or 0)
 *       prints "<message>[0x<value><second message>]" and never returns.
 *
 * Without semihosting (QEMU without -semihosting) the HLT is undefined:
 * early_vectors step over any synchronous exception, so the report is
 * lost but the stop still happens (PSCI SYSTEM_OFF at EL1/EL2, else the
 * CPU parks).
 */
#include <arch/asm.h>
#include <arch/layout.h>

#define SYS_WRITEC	0x03
#define SYS_WRITE0	0x04
#define SYS_EXIT	0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define PSCI_SYSTEM_OFF	0x84000008
#define EARLY_REPORTING	0xea5	/* x28 while early_fail reports */

	.section .text.boot, "ax"
/* x0 message, x1 value (-1: none), x2 message after the value (0: none) */
FUNC(early_fail)
	mov	x28, #EARLY_REPORTING
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	adr	x0, early_vectors
	mrs	x1, CurrentEL
	cmp	x1, #(3 << 2)
	b.eq	1f
	cmp	x1, #(2 << 2)
	b.eq	2f
	msr	vbar_el1, x0
	b	3f
1:	msr	vbar_el3, x0
	b	3f
2:	msr	vbar_el2, x0
3:	isb
	mov	x0, x19
	bl	semi_puts
	cmn	x20, #1
	b.eq	4f
	mov	x0, x20
	bl	semi_puthex
	cbz	x21, 4f
	mov	x0, x21
	bl	semi_puts
4:	adr	x0, nl
	bl	semi_puts
	/* SYS_EXIT with status 1 (block: reason, subcode) */
	adr	x1, exit_block
	mov	x0, #SYS_EXIT
	hlt	#0xf000
	mrs	x1, CurrentEL
	cmp	x1, #(3 << 2)
	b.eq	5f
	ldr	x0, =PSCI_SYSTEM_OFF
	hvc	#0
5:	wfe
	b	5b
ENDFUNC(early_fail)

/* x0: NUL-terminated string */
semi_puts:
	mov	x1, x0
	mov	x0, #SYS_WRITE0
	hlt	#0xf000
	ret

/* x0: value, printed as 0x%x (no leading zeros) */
semi_puthex:
	mov	x22, x30
	mov	x23, x0
	adr	x0, hexpfx
	bl	semi_puts
	mov	x24, #60		/* shift of the current nibble */
	mov	x25, #0			/* a non-zero nibble was printed */
1:	lsr	x0, x23, x24
	and	x0, x0, #0xf
	orr	x25, x25, x0
	cbnz	x25, 2f
	cbnz	x24, 4f			/* skip leading zeros, keep the last */
2:	cmp	x0, #10
	add	x2, x0, #'0'
	add	x3, x0, #('a' - 10)
	csel	x0, x2, x3, lo
	adr	x1, hexbuf
	strb	w0, [x1]
	mov	x0, #SYS_WRITEC
	hlt	#0xf000
4:	subs	x24, x24, #4
	b.ge	1b
	ret	x22

	.balign 16
exit_block:	.quad ADP_STOPPED_APPLICATION_EXIT, 1
hexpfx:		.asciz "0x"
nl:		.asciz "\n"
	.balign 8
/* SYS_WRITEC takes a pointer to the character; with the MMU off the
 * image's text is writable (it is RAM), so this byte lives here. */
hexbuf:		.byte 0
	.balign 4

/*
 * Exceptions before the kernel's vectors. While early_fail reports
 * (x28 = EARLY_REPORTING) a synchronous exception can only be an
 * unanswered HLT: step over it. Any other one is a fault of the boot
 * itself (typically the image or its BSS beyond RAM): report it.
 */
	.balign 2048
	.global early_vectors
early_vectors:
	.rept 16
	b	early_exception
	.balign 128
	.endr

early_exception:
	mrs	x9, CurrentEL
	cmp	x28, #EARLY_REPORTING
	b.ne	early_fault
	cmp	x9, #(3 << 2)
	b.eq	1f
	cmp	x9, #(2 << 2)
	b.eq	2f
	mrs	x9, elr_el1
	add	x9, x9, #4
	msr	elr_el1, x9
	eret
1:	mrs	x9, elr_el3
	add	x9, x9, #4
	msr	elr_el3, x9
	eret
2:	mrs	x9, elr_el2
	add	x9, x9, #4
	msr	elr_el2, x9
	eret

early_fault:
	adr	x0, msg_fault
	mrs	x1, far_el1
	adr	x2, msg_fault2
	b	early_fail

#define STR_(x) #x
#define STR(x) STR_(x)
msg_fault:
	.asciz "\nPagoda: boot failed: exception before the MMU was on, address "
msg_fault2:
	.asciz ": the image (at CONFIG_RAM_BASE " STR(CONFIG_RAM_BASE) " +\n  CONFIG_KERNEL_OFFSET " STR(CONFIG_KERNEL_OFFSET) ") does not fit in RAM? Check both against the\n  machine's RAM (the device tree's /memory; QEMU virt: 0x40000000 + the -m size)."
	.balign 4
