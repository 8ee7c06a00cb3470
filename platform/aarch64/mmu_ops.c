/*
 * The arch MMU contract on AArch64: descriptor stores, TLB maintenance
 * and cache maintenance by VA (the encoding itself is in pte.c).
 *
 * TLBI by VA uses the non-"last level" forms so that walk-cache entries
 * of removed tables go too; "IS" forms broadcast to the inner shareable
 * domain so they stay right when SMP arrives.
 */
#include <arch/mmu.h>
#include <arch/sysreg.h>

void arch_pte_write(pte_t *ptep, pte_t pte)
{
	WRITE_ONCE(*ptep, pte);
	dsb(ishst); /* visible to the table walker before any TLBI/access */
	isb();
}

void arch_tlb_flush_kernel_va(vaddr_t va)
{
	dsb(ishst);
	__asm__ volatile("tlbi vaae1is, %0" ::"r"((va >> 12) & GENMASK(43, 0)) : "memory");
	dsb(ish);
	isb();
}

void arch_tlb_flush_user_va(unsigned asid, vaddr_t va)
{
	u64 arg = ((va >> 12) & GENMASK(43, 0)) | ((u64)asid << 48);

	dsb(ishst);
	__asm__ volatile("tlbi vae1is, %0" ::"r"(arg) : "memory");
	dsb(ish);
	isb();
}

void arch_tlb_flush_all(void)
{
	dsb(ishst);
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	isb();
}

void arch_tlb_flush_asid(unsigned asid)
{
	dsb(ishst);
	__asm__ volatile("tlbi aside1is, %0" ::"r"((u64)asid << 48) : "memory");
	dsb(ish);
	isb();
}

static size_t dcache_line(void)
{
	return 4u << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

static size_t icache_line(void)
{
	return 4u << (read_sysreg(ctr_el0) & 0xf);
}

#define DCACHE_OP(name, insn)                                             \
	void name(vaddr_t va, size_t size)                                \
	{                                                                 \
		size_t line = dcache_line();                              \
		for (vaddr_t p = va & ~(line - 1); p < va + size; p += line) \
			__asm__ volatile(insn ", %0" ::"r"(p) : "memory"); \
		dsb(sy);                                                  \
	}

DCACHE_OP(arch_dcache_clean_range, "dc cvac")
DCACHE_OP(arch_dcache_inval_range, "dc ivac")
DCACHE_OP(arch_dcache_clean_inval_range, "dc civac")

/* insn on every line of [va, va + size), four lines an iteration (a
 * page-sized sync is the file fault's biggest cost after the read). */
#define LINE_LOOP(insn, va, size, line)                                                                    \
	do {                                                                                               \
		vaddr_t p_ = (va) & ~((vaddr_t)(line) - 1), e_ = (va) + (size);                            \
		for (; p_ + 3 * (line) < e_; p_ += 4 * (line))                                               \
			__asm__ volatile(insn ", %0\n\t" insn ", %1\n\t" insn ", %2\n\t" insn ", %3" ::"r"(p_), \
					 "r"(p_ + (line)), "r"(p_ + 2 * (line)), "r"(p_ + 3 * (line))          \
					 : "memory");                                                     \
		for (; p_ < e_; p_ += (line))                                                              \
			__asm__ volatile(insn ", %0" ::"r"(p_) : "memory");                                \
	} while (0)

void arch_icache_sync_range(vaddr_t va, size_t size)
{
	size_t dline = dcache_line(), iline = icache_line();

	/* clean to the point of unification is enough; PoC is safe */
	LINE_LOOP("dc cvac", va, size, dline);
	dsb(ish);
	LINE_LOOP("ic ivau", va, size, iline);
	dsb(ish);
	isb();
}
