/* The CPU services of include/arch/cpu.h on AArch64. */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>

u64 arch_counter(void)
{
	isb(); /* not read early, ahead of the code it measures */
	return read_sysreg(cntvct_el0);
}

void arch_wait_for_interrupt(void) { wfi(); }

void arch_exec_undefined(void) { __asm__ volatile(".inst 0x00000000" /* UDF #0 */); }

void arch_dma_wmb(void) { dmb(oshst); }

/* TPIDR_EL1 holds the kernel's TPIDR_EL0 while an app runs (vectors.S). */
void arch_save_kernel_tls(void) { write_sysreg(tpidr_el1, read_sysreg(tpidr_el0)); }

void (*arch_write_return_stub(void *buf))(void)
{
	*(volatile u32 *)buf = 0xd65f03c0; /* ret */
	arch_icache_sync_range((vaddr_t)buf, 4);
	return (void (*)(void))buf;
}
