/*
 * The MMU probe (include/arch/mmu_probe.h) on AArch64: AT S1E1R/S1E1W
 * and PAR_EL1; the model walks TTBR1_EL1's tables with SCTLR_EL1.WXN.
 */
#include <arch/layout.h>
#include <arch/mmu_probe.h>
#include <arch/sysreg.h>
#include <arch/irqflags.h>

bool arch_mmu_probe(vaddr_t va, bool write, phys_addr_t *pa)
{
	unsigned long flags = arch_irq_save(); /* PAR_EL1 is not saved across an interrupt */
	u64 par;

	if (write)
		__asm__ volatile("at s1e1w, %0" ::"r"(va));
	else
		__asm__ volatile("at s1e1r, %0" ::"r"(va));
	isb();
	par = read_sysreg(par_el1);
	arch_irq_restore(flags);
	if (par & 1)
		return false;
	*pa = (par & GENMASK(47, 12)) | (va & 0xfff);
	return true;
}

bool arch_mmu_wxn(void) { return read_sysreg(sctlr_el1) & SCTLR_WXN; }

bool arch_walk_kernel(vaddr_t va, struct walk_result *r)
{
	phys_addr_t root = read_sysreg(ttbr1_el1) & GENMASK(47, 1);

	return arm64_walk(root, KERNEL_VA_BITS, true, arch_mmu_wxn(), va, r);
}
