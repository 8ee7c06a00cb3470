/* The CPU services of include/arch/cpu.h on ARMv7-A. */
#include <arch/cpu.h>
#include <arch/sysreg.h>

u64 arch_counter(void)
{
	isb(); /* not read early, ahead of the code it measures */
	return read_cntvct();
}

void arch_wait_for_interrupt(void) { wfi(); }

void arch_exec_undefined(void) { __asm__ volatile("udf #0" /* permanently undefined, Thumb and ARM */); }

void arch_dma_wmb(void) { dmb(oshst); }

/* TPIDRPRW holds the kernel's thread pointer (TPIDRURO/URW are the app's). */
void arch_save_kernel_tls(void) { write_tpidrprw(read_tpidrurw()); }
