/* The CPU services of include/arch/cpu.h on ARMv7-A. */
#include <arch/cpu.h>
#include <arch/mmu.h>
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

/* The kernel is Thumb-2: a bx lr, entered with bit 0 of the address set. */
void (*arch_write_return_stub(void *buf))(void)
{
	volatile u16 *insn = buf;

	insn[0] = 0x4770; /* bx lr */
	insn[1] = 0xbf00; /* nop */
	arch_icache_sync_range((vaddr_t)buf, 4);
	return (void (*)(void))((uintptr_t)buf | 1);
}
