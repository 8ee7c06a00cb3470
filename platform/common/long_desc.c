/*
 * Long-descriptor encoding for the generic page-table code (the contract
 * in include/arch/mmu.h; bit layout in platform/common/include/arch/
 * long_desc.h): AArch64 and ARMv7-A LPAE share it, the output address
 * width coming from the platform's arch/pte_bits.h. Pure functions on
 * values: also compiled into the host tests.
 *
 * Policy encoded here:
 *  - leaves are always inner shareable with AF set (no access-flag faults
 *    for kernel mappings; the reclaim work will clear AF on user pages);
 *  - no EXEC means both PXN and UXN (XN); EXEC without USER means
 *    PTE_KERNEL_EXEC_XN only (kernel code: UXN on AArch64, nothing on
 *    ARMv7-A, whose bit 54 is XN at every level); EXEC with USER means
 *    PXN (the kernel never runs app code);
 *  - USER leaves are readable at EL0 with the same write permission;
 *  - young = AF, dirty = software bit 55; swap entries are invalid
 *    descriptors tagged 0b10 in bits 1:0 (picture in pte_bits.h).
 */
#include <arch/mmu.h>
#include <arch/pte_bits.h>

static const u64 mt_to_attridx[4] = {
	[MMU_MT_NORMAL >> MMU_MT_SHIFT] = MAIR_IDX_NORMAL,
	[MMU_MT_NORMAL_NC >> MMU_MT_SHIFT] = MAIR_IDX_NORMAL_NC,
	[MMU_MT_DEVICE >> MMU_MT_SHIFT] = MAIR_IDX_DEVICE,
	[MMU_MT_DEVICE_STRICT >> MMU_MT_SHIFT] = MAIR_IDX_DEVICE_STRICT,
};

_Static_assert(ARCH_SWP_TYPE_BITS == PTE_SWP_TYPE_BITS && ARCH_SWP_OFFSET_BITS == PTE_SWP_OFFSET_BITS &&
		       PTE_SWP_OFFSET_SHIFT + PTE_SWP_OFFSET_BITS <= 58,
	       "swap entry layout (pte_bits.h) and contract (mmu.h) disagree");

bool arch_pte_leaf_allowed(int level) { return level >= 1 && level <= 3; }

pte_t arch_pte_mk_leaf(phys_addr_t pa, int level, unsigned attrs)
{
	pte_t pte = (pa & PTE_ADDR_MASK) | PTE_AF;
	unsigned mt = (attrs & MMU_MT_MASK) >> MMU_MT_SHIFT;

	pte |= level == PT_LEAF_LEVEL ? PTE_TYPE_TABLE : PTE_TYPE_BLOCK;
	pte |= PTE_ATTRIDX(mt_to_attridx[mt]);
	if (mt == (MMU_MT_NORMAL >> MMU_MT_SHIFT) || mt == (MMU_MT_NORMAL_NC >> MMU_MT_SHIFT))
		pte |= PTE_SH_INNER;
	if (!(attrs & MMU_WRITE))
		pte |= PTE_AP_RDONLY;
	if (attrs & MMU_USER)
		pte |= PTE_AP_EL0;
	if (attrs & MMU_NG)
		pte |= PTE_NG;
	if (!(attrs & MMU_EXEC))
		pte |= PTE_PXN | PTE_UXN;
	else if (attrs & MMU_USER)
		pte |= PTE_PXN;
	else
		pte |= PTE_KERNEL_EXEC_XN;
	return pte;
}

pte_t long_desc_page_tmpl[128];

pte_t long_desc_page_tmpl_fill(unsigned attrs)
{
	pte_t t = arch_pte_mk_leaf(0, PT_LEAF_LEVEL, attrs);

	__atomic_store_n(&long_desc_page_tmpl[LONG_DESC_ATTR_INDEX(attrs)], t, __ATOMIC_RELAXED);
	return t;
}

unsigned arch_pte_attrs(pte_t pte)
{
	unsigned attrs = MMU_READ;
	unsigned idx = (pte & PTE_ATTRIDX_MASK) >> 2;

	for (unsigned mt = 0; mt < ARRAY_SIZE(mt_to_attridx); mt++)
		if (mt_to_attridx[mt] == idx)
			attrs |= mt << MMU_MT_SHIFT;
	if (!(pte & PTE_AP_RDONLY))
		attrs |= MMU_WRITE;
	if (pte & PTE_AP_EL0)
		attrs |= MMU_USER;
	if (pte & PTE_NG)
		attrs |= MMU_NG;
	if ((attrs & MMU_USER) ? !(pte & PTE_UXN) : !(pte & PTE_PXN))
		attrs |= MMU_EXEC;
	return attrs;
}

pte_t arch_pte_mk_swap(unsigned type, u64 offset)
{
	return PTE_SWP_MARK | ((u64)(type & ((1u << PTE_SWP_TYPE_BITS) - 1)) << PTE_SWP_TYPE_SHIFT) |
	       ((offset & ((1ULL << PTE_SWP_OFFSET_BITS) - 1)) << PTE_SWP_OFFSET_SHIFT);
}

unsigned arch_pte_swap_type(pte_t pte)
{
	return (pte >> PTE_SWP_TYPE_SHIFT) & ((1u << PTE_SWP_TYPE_BITS) - 1);
}

u64 arch_pte_swap_offset(pte_t pte)
{
	return (pte >> PTE_SWP_OFFSET_SHIFT) & ((1ULL << PTE_SWP_OFFSET_BITS) - 1);
}
