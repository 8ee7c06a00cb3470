/*
 * AArch64's calls into firmware and the debugger, for platform/common/psci.c:
 * a PSCI call by SMC or HVC (SMC64/SMC32 function IDs in x0, arguments in
 * x1..x3, result in x0) and a semihosting call (HLT #0xF000, operation in
 * x0, argument block pointer in x1).
 */
#ifndef ARCH_FIRMWARE_H
#define ARCH_FIRMWARE_H

#include <types.h>

/* SYS_EXIT takes a block {reason, status} on AArch64. */
#define SEMIHOST_EXIT_OP 0x18

static inline unsigned long arch_psci_call(bool smc, unsigned long fn, unsigned long a1, unsigned long a2,
					   unsigned long a3)
{
	register unsigned long x0 __asm__("x0") = fn;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;

	if (smc)
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
	return x0;
}

/* Without -semihosting, HLT is an undefined instruction at EL1. */
static inline unsigned long arch_semihost_call(unsigned long op, uintptr_t arg)
{
	register unsigned long x0 __asm__("x0") = op;
	register unsigned long x1 __asm__("x1") = arg;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

#endif
