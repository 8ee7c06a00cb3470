/*
 * ARMv7-A's calls into firmware and the debugger, for platform/common/psci.c:
 * a PSCI call by SMC or HVC (SMC32 function IDs in r0, arguments in r1..r3,
 * result in r0) and a semihosting call (SVC 0xAB: the kernel runs in Thumb
 * state; operation in r0, argument block pointer in r1).
 */
#ifndef ARCH_FIRMWARE_H
#define ARCH_FIRMWARE_H

#include <types.h>

/* AArch32's SYS_EXIT takes no status: SYS_EXIT_EXTENDED takes {reason, status}. */
#define SEMIHOST_EXIT_OP 0x20

static inline unsigned long arch_psci_call(bool smc, unsigned long fn, unsigned long a1, unsigned long a2,
					   unsigned long a3)
{
	register unsigned long r0 __asm__("r0") = fn;
	register unsigned long r1 __asm__("r1") = a1;
	register unsigned long r2 __asm__("r2") = a2;
	register unsigned long r3 __asm__("r3") = a3;

	if (smc)
		__asm__ volatile(".arch_extension sec\n\tsmc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)::"memory");
	else
		__asm__ volatile(".arch_extension virt\n\thvc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)::"memory");
	return r0;
}

/* Without -semihosting this is a real SVC: lr_svc is the return address then. */
static inline unsigned long arch_semihost_call(unsigned long op, uintptr_t arg)
{
	register unsigned long r0 __asm__("r0") = op;
	register unsigned long r1 __asm__("r1") = arg;

	__asm__ volatile("svc #0xab" : "+r"(r0) : "r"(r1) : "memory", "lr", "cc");
	return r0;
}

#endif
