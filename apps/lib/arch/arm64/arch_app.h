/*
 * AArch64 machine-level pieces of the apps that test the CPU itself
 * (jit: generated code; fpstress: the FP/SIMD registers).
 */
#ifndef APPS_ARCH_APP_H
#define APPS_ARCH_APP_H

#include <stddef.h>
#include <stdint.h>

#define MOV_W0(imm) (0x52800000u | ((uint32_t)(imm) << 5)) /* movz w0, #imm16 */
#define RET 0xd65f03c0u

/* Clean the data cache and invalidate the instruction cache over
 * [p, p + len) to the point of unification, by the line sizes in CTR_EL0
 * (EL0 may: SCTLR_EL1.UCI; without it the first DC CVAU is SIGILL). */
static inline void sync_icache(void *p, size_t len)
{
	uint64_t ctr, dline, iline, a;
	uintptr_t start = (uintptr_t)p, end = start + len;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	dline = 4u << ((ctr >> 16) & 0xf);
	iline = 4u << (ctr & 0xf);
	for (a = start & ~(dline - 1); a < end; a += dline)
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish" : : : "memory");
	for (a = start & ~(iline - 1); a < end; a += iline)
		__asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish\n\tisb" : : : "memory");
}

/* Write "return n" (n < 65536) at code, make it fetchable; the function to call. */
static inline unsigned (*jit_emit_return(uint32_t *code, unsigned n))(void)
{
	code[0] = MOV_W0(n);
	code[1] = RET;
	sync_icache(code, 2 * sizeof(*code));
	return (unsigned (*)(void))(uintptr_t)code;
}

/* The FP/SIMD registers fpstress checks: v0-v31 (16 bytes each), FPSR, FPCR. */
#define FP_NREGS 32
#include "fpstate.h"

/* wildptr: the firmware image (TTBR1), a RET, a word of BRK #0s. */
#define APP_KERNEL_ADDR 0xffff000040200000UL
#define APP_RET_INSN 0xd65f03c0u
#define APP_TRAP_WORD 0xd4200000d4200000UL

/* sysfuzz: the end of user space, the start of the kernel's. */
#define APP_USER_TOP (1UL << 39)
#define APP_KERNEL_BASE 0xffff000040000000UL

#endif
