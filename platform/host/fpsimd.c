/*
 * The FP/SIMD contract (include/arch/fpsimd.h) on the host: there are no
 * app registers to preserve, so a kernel_neon section only counts its
 * nesting (tests check that every begin has its end).
 */
#include <arch/fpsimd.h>
#include <lib/panic.h>

static unsigned neon_depth;
u64 fpsimd_trap_count;

void arch_fpsimd_preserve_current(void) {}
void kernel_neon_begin(void) { neon_depth++; }
void kernel_neon_end(void)
{
	BUG_ON(!neon_depth);
	neon_depth--;
}
bool kernel_neon_busy(void) { return neon_depth != 0; }
void arch_fpsimd_fill_for_test(unsigned byte) { (void)byte; }
