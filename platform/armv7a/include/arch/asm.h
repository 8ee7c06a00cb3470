/* Assembler helpers for platform/armv7a/*.S (ARM state). */
#ifndef ARCH_ASM_H
#define ARCH_ASM_H

#ifdef __ASSEMBLER__
#define FUNC(name) .global name; .type name, %function; name:
#define ENDFUNC(name) .size name, . - name

/* Physical address of a linked (virtual) symbol, with the MMU still off. */
.macro phys_addr reg, sym, tmp
	ldr	\reg, =\sym
	ldr	\tmp, =PV_OFFSET
	sub	\reg, \reg, \tmp
.endm
#endif

#endif
