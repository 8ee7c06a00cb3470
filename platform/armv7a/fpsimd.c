/*
 * The FP/SIMD contract (include/arch/fpsimd.h) on ARMv7-A, for now: apps
 * are built -mgeneral-regs-only and their VFP/NEON registers are not
 * saved across switches yet (not yet: an app that uses VFP can see
 * another's values), so a kernel_neon section only counts its nesting.
 */
#include <arch/fpsimd.h>
#include <lib/panic.h>

static unsigned neon_depth;
u64 fpsimd_trap_count; /* no lazy trap on ARMv7-A yet: stays 0 */

void arch_fpsimd_preserve_current(void) {}
void kernel_neon_begin(void) { neon_depth++; }
void kernel_neon_end(void)
{
	BUG_ON(!neon_depth);
	neon_depth--;
}
bool kernel_neon_busy(void) { return neon_depth != 0; }

void arch_fpsimd_fill_for_test(unsigned byte)
{
	BUG_ON(!neon_depth);
	__asm__ volatile(".fpu neon\n\tvdup.8 q0, %0\n\tvmov q1, q0\n\tvmov q2, q0\n\tvmov q3, q0\n\t"
			 "vmov q4, q0\n\tvmov q5, q0\n\tvmov q6, q0\n\tvmov q7, q0\n\tvmov q8, q0\n\tvmov q9, q0\n\t"
			 "vmov q10, q0\n\tvmov q11, q0\n\tvmov q12, q0\n\tvmov q13, q0\n\tvmov q14, q0\n\tvmov q15, q0"
			 ::"r"(byte) : "memory");
}
