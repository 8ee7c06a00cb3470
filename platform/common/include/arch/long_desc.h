/*
 * Long-descriptor translation table bits, 4 KiB granule: AArch64's
 * stage-1 format (ARM ARM D8.3) and ARMv7-A LPAE's (B3.6) agree on every
 * bit Pagoda uses; they differ only in the output address width, which
 * the platform's arch/pte_bits.h sets (PTE_OA_BITS: 48 or 40) before
 * including this. Shared by platform/common/long_desc.c.
 *
 *  63  59 58 55 54  53  52   51..48  47.......12  11  10  9:8  7:6  5  4:2   1:0
 * +------+-----+---+---+----+------+------------+---+---+-----+----+---+-----+----+
 * |table | SW  |UXN|PXN|Cont|  res |  address   |nG |AF | SH  | AP | NS|AttrI|type|
 * | attrs|     |   |   |    |      |            |   |   |     |    |   |     |    |
 * +------+-----+---+---+----+------+------------+---+---+-----+----+---+-----+----+
 * type: 0b01 block (L1, L2), 0b11 table (L0-L2) or page (L3), bit0=0 invalid.
 * The address field ends at bit PTE_OA_BITS - 1 (47 on AArch64, 39 on LPAE).
 * Table attrs (tables only): 63 NSTable, 62:61 APTable, 60 UXNTable, 59 PXNTable.
 * AP[2:1] (bits 7:6): 00 EL1 RW, 01 EL1+EL0 RW, 10 EL1 RO, 11 EL1+EL0 RO
 * (ARMv7-A: PL1 for EL1, PL0 for EL0). Bit 54 is UXN on AArch64 but XN,
 * for every level, on ARMv7-A: kernel code sets the platform's
 * PTE_KERNEL_EXEC_XN (UXN on AArch64, nothing on ARMv7-A).
 * AttrIndx selects a MAIR byte: 0 Normal WB, 1 Device-nGnRE, 2 Normal NC,
 * 3 Device-nGnRnE (MAIR_EL1 / MAIR0 is programmed in start.S to match).
 * AF (bit 10): the access flag. Leaves are made with AF set (young);
 * reclaim clears it (old) and the next access takes an access-flag fault
 * that sets it again (or the hardware sets it, with TCR_EL1.HA).
 * Bit 55 (software, ignored by the walker): dirty, set by arch_pte_mkdirty.
 *
 * Swap entries: a descriptor with bit 0 clear is ignored by the walker,
 * so the kernel keeps a swapped-out page's location in it. bits 1:0 = 0b10
 * mark a swap entry (an all-zero entry is "none"; any other non-zero
 * invalid entry is unknown and never made by this kernel):
 *
 *  63   58 57                                          8 7          2  1   0
 * +-------+---------------------------------------------+------------+---+---+
 * | 0     |            offset (50 bits)                 | type (6)   | 1 | 0 |
 * +-------+---------------------------------------------+------------+---+---+
 *
 * The same encoding at every level, but the generic code only stores swap
 * entries in level-3 (4 KiB page) slots.
 */
#ifndef ARCH_LONG_DESC_H
#define ARCH_LONG_DESC_H

#include <types.h>

#define PTE_VALID BIT(0)
#define PTE_TYPE_MASK 3ULL
#define PTE_TYPE_BLOCK 1ULL
#define PTE_TYPE_TABLE 3ULL /* also "page" at level 3 */
#define PTE_ATTRIDX(i) ((u64)(i) << 2)
#define PTE_ATTRIDX_MASK (7ULL << 2)
#define PTE_AP_EL0 BIT(6)
#define PTE_AP_RDONLY BIT(7)
#define PTE_SH_INNER (3ULL << 8)
#define PTE_AF BIT(10)
#define PTE_NG BIT(11)
#define PTE_PXN BIT(53)
#define PTE_UXN BIT(54)
#define PTE_ADDR_MASK GENMASK(PTE_OA_BITS - 1, 12)
#define PTE_SW_DIRTY BIT(55)

#define PTE_SWP_MARK 2ULL /* bits 1:0 = 0b10 */
#define PTE_SWP_TYPE_SHIFT 2
#define PTE_SWP_TYPE_BITS 6
#define PTE_SWP_OFFSET_SHIFT 8
#define PTE_SWP_OFFSET_BITS 50

#define PTE_PXNTABLE BIT(59)
#define PTE_UXNTABLE BIT(60)
#define PTE_APTABLE_NOEL0 BIT(61)
#define PTE_APTABLE_RDONLY BIT(62)

#define MAIR_IDX_NORMAL 0
#define MAIR_IDX_DEVICE 1
#define MAIR_IDX_NORMAL_NC 2
#define MAIR_IDX_DEVICE_STRICT 3

/*
 * The pure bit tests and edits of the arch contract (include/arch/mmu.h
 * documents them), inline: the fault and unmap paths call them for every
 * entry. arch_pte_mk_leaf, arch_pte_attrs and the swap encoders stay in
 * long_desc.c.
 */
typedef u64 pte_t;

static inline bool arch_pte_is_valid(pte_t pte) { return pte & PTE_VALID; }
/* level < 3 (PT_LEAF_LEVEL): a level-3 "table" type is a page */
static inline bool arch_pte_is_table(pte_t pte, int level)
{
	return level < 3 && (pte & PTE_TYPE_MASK) == PTE_TYPE_TABLE;
}
static inline phys_addr_t arch_pte_addr(pte_t pte) { return pte & PTE_ADDR_MASK; }
static inline pte_t arch_pte_mk_table(phys_addr_t table_pa) { return (table_pa & PTE_ADDR_MASK) | PTE_TYPE_TABLE; }
static inline bool arch_pte_is_young(pte_t pte) { return pte & PTE_AF; }
static inline pte_t arch_pte_mkyoung(pte_t pte) { return pte | PTE_AF; }
static inline pte_t arch_pte_mkold(pte_t pte) { return pte & ~PTE_AF; }
static inline bool arch_pte_is_dirty(pte_t pte) { return pte & PTE_SW_DIRTY; }
static inline pte_t arch_pte_mkdirty(pte_t pte) { return pte | PTE_SW_DIRTY; }
static inline pte_t arch_pte_mkclean(pte_t pte) { return pte & ~PTE_SW_DIRTY; }
static inline bool arch_pte_same_but_state(pte_t old, pte_t new)
{
	return ((old ^ new) & ~(PTE_AF | PTE_SW_DIRTY)) == 0;
}
static inline bool arch_pte_is_swap(pte_t pte) { return (pte & PTE_TYPE_MASK) == PTE_SWP_MARK; }

/* Level-3 leaf templates (the leaf of pa 0) by attribute index, filled on
 * first use by long_desc_page_tmpl_fill (long_desc.c): a leaf's address
 * bits and its attribute bits never overlap, so a page's leaf is the
 * template | pa. A racing fill stores the same value. */
#define LONG_DESC_ATTR_INDEX(attrs) (((attrs) & 0x1fu) | (((attrs) >> 3) & 0x60u)) /* R W X USER NG, MT */
extern pte_t long_desc_page_tmpl[128];
pte_t long_desc_page_tmpl_fill(unsigned attrs);
static inline pte_t arch_pte_mk_page(phys_addr_t pa, unsigned attrs)
{
	pte_t t = long_desc_page_tmpl[LONG_DESC_ATTR_INDEX(attrs)];

	if (__builtin_expect(!t, 0))
		t = long_desc_page_tmpl_fill(attrs);
	return t | (pa & PTE_ADDR_MASK);
}

#endif
