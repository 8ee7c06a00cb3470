/* Assembler helpers for platform/aarch64/*.S */
#ifndef ARCH_ASM_H
#define ARCH_ASM_H

#ifdef __ASSEMBLER__
/* PC-relative address of a symbol: correct before and after the MMU is on. */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

#define FUNC(name) .global name; .type name, %function; name:
#define ENDFUNC(name) .size name, . - name
#endif

#endif
