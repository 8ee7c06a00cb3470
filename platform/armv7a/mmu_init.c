/*
 * Installing the kernel's final tables on ARMv7-A and describing the
 * regime. arch_replace_ttbr1 (ttbr.S) runs through its identity alias
 * in the boot TTBR0 table, because while TTBR1 changes nothing in the
 * top GiB may be fetched or touched.
 */
#include <arch/layout.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <stdio.h>

void arch_replace_ttbr1(u32 root_lo, u32 root_hi);

void arch_mmu_install_kernel(phys_addr_t root)
{
	void (*replace)(u32, u32) = (void (*)(u32, u32))((uintptr_t)arch_replace_ttbr1 - PV_OFFSET);

	replace((u32)root, (u32)(root >> 32));
	/* W^X in hardware: any writable mapping is execute-never */
	write_sctlr(read_sctlr() | SCTLR_WXN);
	isb();
	/* TTBR0 (the identity map) is no longer needed: no walks until apps */
	write_ttbcr(read_ttbcr() | TTBCR_EPD0);
	isb();
	arch_tlb_flush_all();
}

void arch_mmu_describe(char *buf, size_t len)
{
	u32 ttbcr = read_ttbcr(), sctlr = read_sctlr();

	snprintf(buf, len, "LPAE, 3 levels (kernel from level 2), 32-bit VA (3G/1G), 4K granule, 40-bit PA, 8-bit ASID, "
		 "WXN %s, access flag software, TTBR0 walks %s",
		 sctlr & SCTLR_WXN ? "on" : "off", ttbcr & TTBCR_EPD0 ? "off" : "on");
}
