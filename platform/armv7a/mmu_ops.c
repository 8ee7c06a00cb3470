/*
 * The arch MMU contract on ARMv7-A (LPAE): descriptor stores, TLB and
 * cache maintenance by VA through CP15 (the encoding is shared:
 * platform/common/long_desc.c), and page clearing/copying.
 *
 * The TLB operations are the inner-shareable ("IS") forms, which stay
 * right when SMP arrives; by-MVA ones invalidate walk-cache entries too.
 * Branch predictors are invalidated with the TLB where a mapping of code
 * may have changed (ARMv7 does not do it for us).
 */
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <string.h>

/* One 64-bit store (STRD is single-copy atomic on LPAE cores): the table
 * walker never sees half a descriptor. */
void arch_pte_write(pte_t *ptep, pte_t pte)
{
	__asm__ volatile("strd %Q1, %R1, [%0]" ::"r"(ptep), "r"(pte) : "memory");
	dsb(ishst); /* visible to the table walker before any TLB maintenance or access */
	isb();
}

void arch_tlb_flush_kernel_va(vaddr_t va)
{
	dsb(ishst);
	write_cp15(0, c8, c3, 3, va & ~0xfffUL); /* TLBIMVAAIS: every ASID */
	write_cp15(0, c7, c1, 6, 0);             /* BPIALLIS */
	dsb(ish);
	isb();
}

void arch_tlb_flush_user_va(unsigned asid, vaddr_t va)
{
	dsb(ishst);
	write_cp15(0, c8, c3, 1, (va & ~0xfffUL) | (asid & 0xff)); /* TLBIMVAIS */
	write_cp15(0, c7, c1, 6, 0);
	dsb(ish);
	isb();
}

void arch_tlb_flush_all(void)
{
	dsb(ishst);
	write_cp15(0, c8, c3, 0, 0); /* TLBIALLIS */
	write_cp15(0, c7, c1, 6, 0);
	dsb(ish);
	isb();
}

void arch_tlb_flush_asid(unsigned asid)
{
	dsb(ishst);
	write_cp15(0, c8, c3, 2, asid & 0xff); /* TLBIASIDIS */
	write_cp15(0, c7, c1, 6, 0);
	dsb(ish);
	isb();
}

/* CTR.DminLine / IminLine: log2 of the line size in words */
static size_t dcache_line(void) { return 4u << ((read_cp15(0, c0, c0, 1) >> 16) & 0xf); }
static size_t icache_line(void) { return 4u << (read_cp15(0, c0, c0, 1) & 0xf); }

void arch_dcache_clean_range(vaddr_t va, size_t size)
{
	size_t line = dcache_line();

	for (vaddr_t p = va & ~(line - 1); p < va + size; p += line)
		write_cp15(0, c7, c10, 1, p); /* DCCMVAC */
	dsb(sy);
}

void arch_dcache_inval_range(vaddr_t va, size_t size)
{
	size_t line = dcache_line();

	for (vaddr_t p = va & ~(line - 1); p < va + size; p += line)
		write_cp15(0, c7, c6, 1, p); /* DCIMVAC */
	dsb(sy);
}

void arch_dcache_clean_inval_range(vaddr_t va, size_t size)
{
	size_t line = dcache_line();

	for (vaddr_t p = va & ~(line - 1); p < va + size; p += line)
		write_cp15(0, c7, c14, 1, p); /* DCCIMVAC */
	dsb(sy);
}

void arch_icache_sync_range(vaddr_t va, size_t size)
{
	size_t line = icache_line();

	arch_dcache_clean_range(va, size); /* to the point of unification is enough; PoC is safe */
	for (vaddr_t p = va & ~(line - 1); p < va + size; p += line)
		write_cp15(0, c7, c5, 1, p); /* ICIMVAU */
	write_cp15(0, c7, c1, 6, 0);         /* BPIALLIS */
	dsb(ish);
	isb();
}

/* No DC ZVA on ARMv7-A: the library's word loops (lib/string.c). */
void arch_clear_page(void *va) { memset(va, 0, 4096); }
void arch_copy_page(void *dst, const void *src) { memcpy(dst, src, 4096); }

/* The LPAE walker never sets the access flag: the fault path does. */
bool arch_hw_access_flag(void) { return false; }
