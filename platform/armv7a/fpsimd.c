/*
 * The FP/SIMD contract (include/arch/fpsimd.h) on ARMv7-A: EAGER.
 *
 * An app's VFP/NEON registers (d0-d31, FPSCR; FPEXC.EN stays on from
 * start.S, so no access ever traps) are stored in its user frame by
 * vectors.S on every exception from USR mode and loaded back on every
 * return to USR (arch/frame.h). While the kernel runs, the app's values
 * are therefore never only in the CPU: the kernel may use VFP/NEON freely
 * (newlib's routines, liblz4, a forgotten printf), a context switch needs
 * to save nothing, and there is never anything for a trap to preserve:
 * fpsimd_trap_count stays 0 and arch_fpsimd_lazy() is false. The price is
 * 264 bytes stored and loaded per exception from USR (about 70
 * instructions), which AArch64's lazy scheme avoids on the fault path.
 * kernel_neon sections only count their nesting (schedule() checks it).
 */
#include <arch/fpsimd.h>
#include <lib/panic.h>

static unsigned neon_depth;
u64 fpsimd_trap_count; /* eager saving: nothing ever traps */

bool arch_fpsimd_lazy(void) { return false; }

void arch_fpsimd_preserve_current(void) {} /* already in the frame */
void kernel_neon_begin(void) { neon_depth++; }
void kernel_neon_end(void)
{
	BUG_ON(!neon_depth);
	neon_depth--;
}
bool kernel_neon_busy(void) { return neon_depth != 0; }

void arch_fpsimd_fill_for_test(unsigned byte)
{
	__asm__ volatile(".fpu neon\n\tvdup.8 q0, %0\n\tvmov q1, q0\n\tvmov q2, q0\n\tvmov q3, q0\n\t"
			 "vmov q4, q0\n\tvmov q5, q0\n\tvmov q6, q0\n\tvmov q7, q0\n\tvmov q8, q0\n\tvmov q9, q0\n\t"
			 "vmov q10, q0\n\tvmov q11, q0\n\tvmov q12, q0\n\tvmov q13, q0\n\tvmov q14, q0\n\tvmov q15, q0\n\t"
			 "vmsr fpscr, %1"
			 ::"r"(byte), "r"(0x03c00000u) : "memory");
}
