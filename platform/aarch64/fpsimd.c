/*
 * Whose FP/SIMD registers are in the CPU (include/arch/fpsimd.h).
 *
 *   fpsimd_live_frame  the user frame of the app whose registers are live
 *                      and not saved (set by the vectors' fault fast path,
 *                      cleared by it on exit, or by whoever saves them:
 *                      arch_fpsimd_preserve_current, arch_context_switch)
 *   neon_depth         nesting of kernel_neon sections
 *
 * Both are per CPU (one CPU today: plain variables); they are changed
 * with interrupts masked, since an interrupt handler may save too.
 */
#include <arch/context.h>
#include <arch/fpsimd.h>
#include <arch/irqflags.h>

struct user_frame *fpsimd_live_frame; /* vectors.S, switch.S */
static unsigned neon_depth;

/* FPSR, FPCR, q0-q31 to area (vectors.S). */
void arch_fpsimd_save(void *area);

void arch_fpsimd_preserve_current(void)
{
	unsigned long flags = arch_irq_save();
	struct user_frame *uf = fpsimd_live_frame;

	if (uf) {
		arch_fpsimd_save(&uf->fpsr);
		fpsimd_live_frame = NULL;
	}
	arch_irq_restore(flags);
}

void kernel_neon_begin(void)
{
	unsigned long flags = arch_irq_save();

	arch_fpsimd_preserve_current();
	neon_depth++;
	arch_irq_restore(flags);
}

void kernel_neon_end(void)
{
	unsigned long flags = arch_irq_save();

	neon_depth--;
	arch_irq_restore(flags);
}

bool kernel_neon_busy(void)
{
	return neon_depth != 0;
}
