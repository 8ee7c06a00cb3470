/*
 * The kernel half the host tests give their kernel_pgt and vmalloc window.
 * A 64-bit build uses the board's (include/arch/layout.h, AArch64: 48-bit
 * VA). A 32-bit build cannot: vmalloc hands areas out as pointers, so it
 * uses the ARMv7-A LPAE kernel half instead, the 3G/1G split (TTBR1 from
 * 0xC000_0000, 30 VA bits, walks start at level 2; vmalloc window
 * 0xF000_0000..0xFE00_0000), which is what a 32-bit kernel has.
 */
#ifndef TEST_KERNEL_WINDOW_H
#define TEST_KERNEL_WINDOW_H

#include <arch/layout.h>
#include <stdint.h>
#include <types.h>

#define KW_PTR32 (UINTPTR_MAX == UINT32_MAX)
#define KW_PAGE_OFFSET (KW_PTR32 ? 0xc0000000ULL : PAGE_OFFSET)
#define KW_VA_BITS (KW_PTR32 ? 30u : VA_BITS)
#define KW_VMALLOC_START (KW_PTR32 ? 0xf0000000ULL : VMALLOC_START)
#define KW_VMALLOC_END (KW_PTR32 ? 0xfe000000ULL : VMALLOC_END)
/* an address of the linear map, below the window */
#define KW_LINEAR_VA (KW_PAGE_OFFSET + 0x100000ULL)

/* va as arm64_walk() (the AArch64 TTBR1 check: bits above KW_VA_BITS all
 * ones) must see it: LPAE's TTBR1 checks VA[31:30] = 11 of a 32-bit VA,
 * which is the same check on the VA sign-extended from bit 31. */
static inline u64 kw_walk_va(u64 va) { return KW_PTR32 ? va | ~0ULL << 32 : va; }

#endif
