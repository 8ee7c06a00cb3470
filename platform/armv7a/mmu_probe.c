/*
 * The MMU probe (include/arch/mmu_probe.h) on ARMv7-A LPAE: ATS1CPR/
 * ATS1CPW and the 64-bit PAR; the model walks TTBR1's tables (the top
 * GiB, T1SZ=2) with SCTLR.WXN and UWXN.
 */
#include <arch/layout.h>
#include <arch/mmu_probe.h>
#include <arch/sysreg.h>
#include <arch/irqflags.h>

bool arch_mmu_probe(vaddr_t va, bool write, phys_addr_t *pa)
{
	unsigned long flags = arch_irq_save(); /* PAR is not saved across an interrupt */
	u64 par;

	if (write)
		write_cp15(0, c7, c8, 1, va); /* ATS1CPW */
	else
		write_cp15(0, c7, c8, 0, va); /* ATS1CPR */
	isb();
	par = read_cp15_64(0, c7);
	arch_irq_restore(flags);
	if (par & 1)
		return false;
	*pa = (par & 0xfffffff000ULL) | (va & 0xfff); /* long-descriptor PAR: PA[39:12] */
	return true;
}

bool arch_mmu_wxn(void) { return read_sctlr() & SCTLR_WXN; }

bool arch_walk_kernel(vaddr_t va, struct walk_result *r)
{
	u32 sctlr = read_sctlr();
	phys_addr_t root = read_ttbr1() & 0xffffffffe0ULL; /* BADDR; ASID in [55:48] */

	return lpae_walk(root, KERNEL_VA_BITS, true, sctlr & SCTLR_WXN, sctlr & SCTLR_UWXN, (u32)va, r);
}
