/*
 * The kernel's virtual address layout (AArch64, 4 KiB granule).
 * Usable from C, assembler and the linker script.
 *
 *   0x0000_0000_0000_0000  +--------------------------+  TTBR0: apps (EL0),
 *                          |  user space, per-app ASID|  walks disabled
 *                          |  (identity map at boot)  |  until apps exist
 *   2^VA_BITS              +--------------------------+
 *                          |  (non-canonical hole)    |
 *   PAGE_OFFSET            +--------------------------+  TTBR1: kernel
 *   = ~0 << VA_BITS        |  linear map: PAGE_OFFSET |
 *                          |  + PA for all RAM; the   |
 *                          |  kernel image lives here |
 *                          |  at PAGE_OFFSET+KERNEL_PA|
 *   VMALLOC_START          +--------------------------+
 *   = PAGE_OFFSET +        |  vmalloc / ioremap window|
 *     2^(VA_BITS-1)        |  (guard page after each) |
 *   VMALLOC_END            +--------------------------+
 *   = ~0 - 1 GiB + 1       |  unused (512 MiB)        |
 *   PKMAP_BASE             +--------------------------+
 *                          |  kmap(): LAST_PKMAP pages|
 *   FIXADDR_START          +--------------------------+
 *                          |  kmap_local: FIX_KMAP_   |
 *                          |  SLOTS pages             |
 *   ~0                     +--------------------------+  (rest unused)
 *
 * The linear map covers RAM from PHYS_OFFSET up to LINEAR_MAP_SIZE (or
 * less with highmem=); RAM above it is ZONE_HIGHMEM, reached through the
 * kmap windows only (include/mm/highmem.h).
 *
 * With VA_BITS=48 the walk has 4 levels (L0..L3), with 39 it has 3
 * (L1..L3); the kernel code never assumes which.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#include <generated/board.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (UL(1) << PAGE_SHIFT)

#define VA_BITS CONFIG_VA_BITS
/* the two halves' widths (the contract: ARMv7-A's differ, 32 and 30) */
#define USER_VA_BITS VA_BITS
#define KERNEL_VA_BITS VA_BITS
#define PGTABLE_LEVELS ((VA_BITS - 4) / 9) /* 48 -> 4, 39 -> 3 */

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##ULL
#endif

#define PAGE_OFFSET (UL(0xffffffffffffffff) << VA_BITS)
#define PHYS_OFFSET UL(0) /* the PA that PAGE_OFFSET maps */
#define LINEAR_MAP_SIZE (UL(1) << (VA_BITS - 1))
#define VMALLOC_START (PAGE_OFFSET + LINEAR_MAP_SIZE)
#define VMALLOC_END (UL(0xffffffffffffffff) - UL(0x3fffffff)) /* last GiB: kmap windows, rest unused */
#define PKMAP_BASE (VMALLOC_END + UL(0x20000000)) /* one L3 table: 2 MiB aligned */
#define LAST_PKMAP 512
#define FIXADDR_START (PKMAP_BASE + UL(0x200000))
#define FIX_KMAP_SLOTS 16 /* kmap_local slots per CPU */
/* a kernel VA range nothing maps (2 MiB aligned): the mmu suite maps and faults there */
#define UNUSED_VA_START VMALLOC_END
#define UNUSED_VA_SIZE (PKMAP_BASE - VMALLOC_END)

#define KERNEL_PHYS (CONFIG_RAM_BASE + CONFIG_KERNEL_OFFSET)
#define KERNEL_VIRT (PAGE_OFFSET + KERNEL_PHYS)
/* RAM the boot tables map (start.S: the image's GiB): memblock allocates
 * below BOOT_MAP_END until the kernel's own tables are in (kernel/main.c) */
#define BOOT_MAP_END ((((KERNEL_PHYS) >> 30) + UL(1)) << 30) /* 64-bit: 2 GiB and up */
/* The console's VA from the first instruction on (start.S maps it). */
#define UART_VIRT (PAGE_OFFSET + CONFIG_UART_BASE)

#include <arch/kstack.h> /* KSTACK_SIZE, KSTACK_SHIFT */

#endif
