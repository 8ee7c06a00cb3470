/*
 * The kernel's virtual address layout on ARMv7-A with LPAE (3G/1G split,
 * 4 KiB pages). Usable from C, assembler and the linker script.
 *
 *   0x0000_0000  +-------------------------+  TTBR0 (TTBCR.T0SZ=0): apps,
 *                |  user space, per-app    |  level-1 root (4 entries, 3
 *                |  ASID (8 bits)          |  used); identity map at boot
 *   0xC000_0000  +-------------------------+  TTBR1 (T1SZ=2): the kernel,
 *   PAGE_OFFSET  |  lowmem linear map:     |  walk starts at level 2
 *                |  PAGE_OFFSET + (pa -    |  (512 x 2 MiB)
 *                |  PHYS_OFFSET), 768 MiB  |
 *   0xF000_0000  +-------------------------+
 *                |  vmalloc / ioremap      |
 *   0xFE00_0000  +-------------------------+
 *                |  PKMAP: kmap() slots    |  512 pages, one L3 table
 *   0xFE20_0000  +-------------------------+
 *                |  FIXMAP: kmap_local ... |
 *   0xFE40_0000  +-------------------------+
 *                |  unused                 |
 *   0xFFE0_0000  +-------------------------+
 *                |  EARLY_IO: the boot     |  one 2 MiB Device block in the
 *                |  console (boot tables)  |  boot tables only
 *   0xFFFF_FFFF  +-------------------------+
 *
 * PHYS_OFFSET is CONFIG_RAM_BASE: RAM beyond its first LINEAR_MAP_SIZE
 * bytes is highmem (include/mm/highmem.h).
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#include <generated/board.h>

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL_(x) x##UL
#define UL(x) UL_(x) /* expands x first: UL(CONFIG_RAM_BASE) */
#endif

#define PAGE_SHIFT 12
#define PAGE_SIZE (UL(1) << PAGE_SHIFT)

#define VA_BITS CONFIG_VA_BITS   /* 32: the apps' half (TTBR0) */
#define USER_VA_BITS 32
#define KERNEL_VA_BITS 30        /* TTBR1: the top GiB */

#define PAGE_OFFSET UL(0xC0000000)
#define PHYS_OFFSET UL(CONFIG_RAM_BASE)
#define LINEAR_MAP_SIZE UL(0x30000000)
#define VMALLOC_START UL(0xF0000000)
#define VMALLOC_END UL(0xFE000000)
#define PKMAP_BASE UL(0xFE000000)
#define LAST_PKMAP 512
#define FIXADDR_START UL(0xFE200000)
#define FIX_KMAP_SLOTS 16
#define EARLY_IO_BASE UL(0xFFE00000)
/* a kernel VA range nothing maps (2 MiB aligned): the mmu suite maps and faults there */
#define UNUSED_VA_START UL(0xFE400000)
#define UNUSED_VA_SIZE (EARLY_IO_BASE - UNUSED_VA_START)

/* The console's VA from the MMU's first instruction on (start.S maps it). */
#define UART_VIRT (EARLY_IO_BASE + (CONFIG_UART_BASE & UL(0x1fffff)))

#define KERNEL_PHYS (CONFIG_RAM_BASE + CONFIG_KERNEL_OFFSET)
#define KERNEL_VIRT (PAGE_OFFSET + CONFIG_KERNEL_OFFSET)
/* RAM the boot tables map (start.S): memblock allocates below
 * BOOT_MAP_END until the kernel's own tables are in (kernel/main.c) */
#define BOOT_MAP_SIZE UL(0x4000000)
#define BOOT_MAP_END (PHYS_OFFSET + BOOT_MAP_SIZE)

/* virtual - physical of the linear map */
#define PV_OFFSET (PAGE_OFFSET - PHYS_OFFSET)

#include <arch/kstack.h> /* KSTACK_SIZE, KSTACK_SHIFT */

#endif
