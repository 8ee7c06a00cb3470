/*
 * Whose FP/SIMD registers are in the CPU (include/arch/fpsimd.h).
 *
 *   fpsimd_live_frame  the user frame of the app whose registers are live
 *                      and not saved (set by the vectors' fault fast path,
 *                      cleared by it on exit, or by whoever saves them:
 *                      arch_fpsimd_preserve_current, arch_context_switch)
 *   neon_depth         nesting of kernel_neon sections
 *
 * While fpsimd_live_frame is set, FP/SIMD instructions at EL1 trap
 * (CPACR_EL1.FPEN = 0): kernel code that forgot kernel_neon_begin (a
 * printf, a snprintf in a debug check) lands in fpsimd_access_trap, which
 * saves the app's registers first. So nothing can clobber them unseen.
 *
 * Both are per CPU (one CPU today: plain variables); they are changed
 * with interrupts masked, since an interrupt handler may save too.
 */
#include <arch/context.h>
#include <arch/fpsimd.h>
#include <arch/irqflags.h>
#include <arch/sysreg.h>

#define CPACR_FPEN_ON (3u << 20) /* as start.S sets CPACR_EL1 */

struct user_frame *fpsimd_live_frame; /* vectors.S, switch.S */
u64 fpsimd_trap_count;
static unsigned neon_depth;

/* FPSR, FPCR, q0-q31 to area (vectors.S). */
void arch_fpsimd_save(void *area);

void arch_fpsimd_preserve_current(void)
{
	unsigned long flags = arch_irq_save();
	struct user_frame *uf = fpsimd_live_frame;

	if (uf) {
		write_sysreg(cpacr_el1, CPACR_FPEN_ON); /* lift the trap first */
		isb();
		arch_fpsimd_save(&uf->fpsr);
		fpsimd_live_frame = NULL;
	}
	arch_irq_restore(flags);
}

/* vectors.S: an FP/SIMD access at EL1 trapped (exception masked state). */
void fpsimd_access_trap(void);
void fpsimd_access_trap(void)
{
	if (!fpsimd_live_frame) { /* not ours to save: just allow FP/SIMD */
		write_sysreg(cpacr_el1, CPACR_FPEN_ON);
		isb();
		return;
	}
	fpsimd_trap_count++;
	arch_fpsimd_preserve_current();
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

bool arch_fpsimd_lazy(void) { return true; }

bool kernel_neon_busy(void)
{
	return neon_depth != 0;
}
