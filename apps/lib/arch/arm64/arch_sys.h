/*
 * AArch64 part of apps/lib/sys.h: the system-call trap (`svc #0`, number
 * in x8, arguments in x0..x5, result in x0) and the virtual counter (the
 * kernel lets EL0 read it: CNTKCTL_EL1.EL0VCTEN).
 */
#ifndef APPS_ARCH_SYS_H
#define APPS_ARCH_SYS_H

#include <stdint.h>

/* The raw trap: up to six arguments. */
static inline long sys_call6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}

/* The virtual counter, read after every earlier instruction. */
static inline uint64_t read_cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

/* The counter's frequency in Hz. */
static inline uint64_t read_cntfrq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

#endif
