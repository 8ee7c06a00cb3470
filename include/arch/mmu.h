/*
 * The arch contract for memory management: the ONLY way mm/ reaches the
 * CPU's MMU. Implemented by platform/aarch64 (pte.c, mmu_ops.c) and, for
 * host builds, by platform/host (same descriptor format, simulated TLB).
 *
 * Terminology (ARM's): a translation table has 512 entries ("PTEs" here,
 * whatever the level). Levels are numbered as the architecture does:
 * the leaf level is 3; the top level is 4 - levels (0 for 48-bit VAs,
 * 1 for 39-bit). An entry is invalid, a table (points to the next
 * level), or a leaf: a block (levels 1, 2) or a page (level 3).
 *
 *   level:      0        1         2        3
 *   maps:    512 GiB   1 GiB     2 MiB    4 KiB
 *   leaf?      no      block     block    page
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <types.h>

typedef u64 pte_t;

/* The platform's descriptor bits, with the contract's pure bit tests and
 * edits as static inline functions (the fault and unmap paths run them per
 * entry): arch_pte_is_valid, _is_table, _addr, _mk_table, _is_young,
 * _mkyoung, _mkold, _is_dirty, _mkdirty, _mkclean, _same_but_state,
 * _is_swap, and arch_pte_mk_page (a level-3 leaf from a per-attributes
 * template). */
#include <arch/pte_bits.h>

/* Architecture-neutral attributes of a mapping. */
#define MMU_READ BIT(0)
#define MMU_WRITE BIT(1)
#define MMU_EXEC BIT(2)
#define MMU_USER BIT(3)   /* EL0 may access (with the same R/W/X) */
#define MMU_NG BIT(4)     /* not global: tagged with the ASID */
#define MMU_MT_SHIFT 8
#define MMU_MT_NORMAL (0u << MMU_MT_SHIFT)    /* write-back cacheable */
#define MMU_MT_NORMAL_NC (1u << MMU_MT_SHIFT) /* non-cacheable (DMA coherent) */
#define MMU_MT_DEVICE (2u << MMU_MT_SHIFT)    /* Device-nGnRE (MMIO) */
#define MMU_MT_DEVICE_STRICT (3u << MMU_MT_SHIFT) /* Device-nGnRnE */
#define MMU_MT_MASK (3u << MMU_MT_SHIFT)

#define MMU_KERNEL_RW (MMU_READ | MMU_WRITE)
#define MMU_KERNEL_RX (MMU_READ | MMU_EXEC)
#define MMU_KERNEL_RO (MMU_READ)
#define MMU_KERNEL_IO (MMU_READ | MMU_WRITE | MMU_MT_DEVICE)

#define PT_ENTRIES 512
#define PT_LEAF_LEVEL 3

/* VA bits translated by one entry at level: 39, 30, 21, 12. */
static inline unsigned pt_level_shift(int level) { return 12 + 9 * (3 - level); }
/* Top level of a walk for va_bits (4 KiB granule): 48 -> 0, 39 -> 1. */
static inline int pt_top_level(unsigned va_bits) { return 4 - (int)((va_bits - 4) / 9); }

/* Whether a leaf (block or page) may be placed at level. */
bool arch_pte_leaf_allowed(int level);
/* Encode an entry pointing to the next-level table at table_pa:
 * arch_pte_mk_table (inline, below). */
/* Encode a leaf at level mapping pa (aligned to the level) with attrs. */
pte_t arch_pte_mk_leaf(phys_addr_t pa, int level, unsigned attrs);
/* The same for a page (level 3), by table (the fault path's): inline, below. */
/* arch_pte_is_valid(pte); arch_pte_is_table(pte, level): valid and pointing
 * to a next-level table (never true at level 3); arch_pte_addr(pte): the
 * output address (table or leaf). Inline, below. */
/* Attributes of a leaf, decoded back to MMU_* flags (never the young or
 * dirty state below: attributes compare equal whatever the access history). */
unsigned arch_pte_attrs(pte_t pte);

/*
 * Access state of a valid leaf (Zephyr's arch_page_info_get ACCESSED and
 * DIRTY). A leaf is made young. Clearing young on a live entry needs no
 * break-before-make, but a TLB invalidate of the VA afterwards (the
 * generic code does it, pgt_test_and_clear_young); setting it needs
 * neither (the TLB never holds an entry that faults on the access flag).
 * Dirty is a software bit for now (hardware DBM is not enabled).
 * Where the CPU has FEAT_HAFDBS (QEMU's -cpu max), the kernel turns on
 * TCR_EL1.HA and the table walker sets the access flag itself: no
 * access-flag fault is taken; on Cortex-A53/A72 the fault path sets it
 * (FAULT_KIND_ACCESSED). Reclaim works the same either way.
 */
/* Whether the table walker sets the access flag in hardware. */
bool arch_hw_access_flag(void);
/* arch_pte_is_young, _mkyoung, _mkold, _is_dirty, _mkdirty, _mkclean(pte)
 * and arch_pte_same_but_state(old, new): whether old -> new changes only
 * the access state above (a write the table walker may see without
 * break-before-make; both valid). Inline, below. */

/*
 * Swap entries: a non-valid entry that records where a page went
 * (encoding: platform/common/include/arch/long_desc.h). 0 is "none" and never a swap
 * entry. type < 1 << ARCH_SWP_TYPE_BITS, offset < 1 << ARCH_SWP_OFFSET_BITS
 * (asserted by the caller; arch_pte_mk_swap masks).
 */
#define ARCH_SWP_TYPE_BITS 6
#define ARCH_SWP_OFFSET_BITS 50
pte_t arch_pte_mk_swap(unsigned type, u64 offset);
/* arch_pte_is_swap(pte): inline, below. */
unsigned arch_pte_swap_type(pte_t pte);
u64 arch_pte_swap_offset(pte_t pte);

/* Store an entry so that the table walker observes it (barrier). */
void arch_pte_write(pte_t *ptep, pte_t pte);
/* Invalidate TLB entries (all levels, walk caches too) for a kernel VA. */
void arch_tlb_flush_kernel_va(vaddr_t va);
/* Invalidate TLB entries for a user VA tagged with asid. */
void arch_tlb_flush_user_va(unsigned asid, vaddr_t va);
/* Invalidate the whole TLB (inner shareable broadcast). */
void arch_tlb_flush_all(void);
/* Invalidate TLB entries of one ASID. */
void arch_tlb_flush_asid(unsigned asid);

/*
 * Replace the kernel's (TTBR1) tables with root, with break-before-make
 * for the whole half; then enforce W^X (SCTLR.WXN) and leave TTBR0
 * walks disabled until apps exist. Boot only, interrupts masked.
 */
void arch_mmu_install_kernel(phys_addr_t root);
/* A one-line summary of the translation regime for the boot log. */
void arch_mmu_describe(char *buf, size_t len);

/* Data cache maintenance by VA over [va, va+size) to the point of coherency. */
void arch_dcache_clean_range(vaddr_t va, size_t size);
void arch_dcache_inval_range(vaddr_t va, size_t size);
void arch_dcache_clean_inval_range(vaddr_t va, size_t size);
/* Zero the 4 KiB page at va / copy the page at src to dst (page aligned,
 * Normal memory): the fastest way the CPU has (DC ZVA, load/store pairs). */
void arch_clear_page(void *va);
void arch_copy_page(void *dst, const void *src);
/* Make instructions written to [va, va+size) visible to instruction fetch. */
void arch_icache_sync_range(vaddr_t va, size_t size);

#endif
