/*
 * Installing the kernel's final tables and describing the regime.
 * arch_replace_ttbr1 (start.S) runs through its identity-map alias in
 * TTBR0, because while TTBR1 changes nothing in the high half may be
 * fetched or touched.
 */
#include <arch/mmu.h>
#include <arch/phys.h>
#include <arch/sysreg.h>
#include <stdio.h>

void arch_replace_ttbr1(phys_addr_t root);

void arch_mmu_install_kernel(phys_addr_t root)
{
	void (*replace)(phys_addr_t) = (void (*)(phys_addr_t))(uintptr_t)virt_to_phys((void *)arch_replace_ttbr1);
	u64 tcr;

	replace(root);
	/* W^X in hardware: any writable mapping is execute-never */
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_WXN);
	isb();
	/* TTBR0 (the identity map) is no longer needed: no walks until apps */
	tcr = read_sysreg(tcr_el1) | TCR_EPD0;
	if (((read_sysreg(id_aa64mmfr0_el1) >> 4) & 0xf) == 2)
		tcr |= TCR_AS; /* 16-bit ASIDs */
	if (read_sysreg(id_aa64mmfr1_el1) & 0xf)
		tcr |= TCR_HA; /* FEAT_HAFDBS: the walker sets the access flag itself */
	write_sysreg(tcr_el1, tcr);
	isb();
	arch_tlb_flush_all();
}

bool arch_hw_access_flag(void) { return (read_sysreg(tcr_el1) & TCR_HA) != 0; }

void arch_mmu_describe(char *buf, size_t len)
{
	static const unsigned pa_bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	u64 tcr = read_sysreg(tcr_el1), sctlr = read_sysreg(sctlr_el1);
	unsigned t1sz = (tcr >> 16) & 0x3f, ips = (tcr >> TCR_IPS_SHIFT) & 7;
	unsigned va = 64 - t1sz;

	snprintf(buf, len, "%u levels, %u-bit VA, 4K granule, %u-bit PA, %u-bit ASID, WXN %s, access flag %s, TTBR0 walks %s",
		 (va - 4) / 9, va, ips < 7 ? pa_bits[ips] : 0, tcr & TCR_AS ? 16 : 8, sctlr & SCTLR_WXN ? "on" : "off",
		 tcr & TCR_HA ? "hardware" : "software", tcr & TCR_EPD0 ? "off" : "on");
}
