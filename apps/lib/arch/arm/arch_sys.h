/*
 * ARM (ARMv7-A, USR mode) part of apps/lib/sys.h: the system-call trap
 * as Linux EABI (`svc #0`, number in r7, arguments in r0..r5, result in
 * r0; platform/armv7a/include/arch/frame.h reads them) and the virtual
 * counter (the kernel lets USR read it: CNTKCTL.PL0VCTEN).
 *
 * r7 is Thumb code's frame pointer, which GCC may refuse to hand to an
 * asm: the trap saves and sets it itself.
 */
#ifndef APPS_ARCH_SYS_H
#define APPS_ARCH_SYS_H

#include <stdint.h>

/* The raw trap: up to six arguments. */
static inline long sys_call6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r0 __asm__("r0") = a;
	register long r1 __asm__("r1") = b;
	register long r2 __asm__("r2") = c;
	register long r3 __asm__("r3") = d;
	register long r4 __asm__("r4") = e;
	register long r5 __asm__("r5") = f;
	register long r6 __asm__("r6") = n;

	__asm__ volatile("push {r7}\n\tmov r7, r6\n\tsvc #0\n\tpop {r7}"
			 : "+r"(r0)
			 : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6)
			 : "memory");
	return r0;
}

/* The virtual counter (CNTVCT), read after every earlier instruction. */
static inline uint64_t read_cntvct(void)
{
	uint32_t lo, hi;

	__asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* The counter's frequency in Hz (CNTFRQ). */
static inline uint64_t read_cntfrq(void)
{
	uint32_t v;

	__asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
	return v;
}

#endif
