/*
 * The kernel half the host tests give their kernel_pgt and vmalloc window.
 * A 64-bit build uses the board's (include/arch/layout.h, AArch64: 48-bit
 * VA). A 32-bit build cannot: vmalloc hands areas out as pointers, so it
 * uses a 32-bit kernel half as ARMv7-A LPAE has (TTBR1 from 0xC000_0000,
 * 30 VA bits, walks start at level 2) with a vmalloc window of ARMv7-A's
 * size (224 MiB) placed at 0xD000_0000 rather than 0xF000_0000, where a
 * 32-bit host process has its libraries. kw_reserve() keeps host memory
 * out of the window, so that no host pointer aliases a vmalloc address.
 */
#ifndef TEST_KERNEL_WINDOW_H
#define TEST_KERNEL_WINDOW_H

#include <arch/layout.h>
#include <assert.h>
#include <host.h>
#include <stdint.h>
#include <types.h>

#define KW_PTR32 (UINTPTR_MAX == UINT32_MAX)
#define KW_PAGE_OFFSET (KW_PTR32 ? 0xc0000000ULL : PAGE_OFFSET)
#define KW_VA_BITS (KW_PTR32 ? 30u : VA_BITS)
#define KW_VMALLOC_START (KW_PTR32 ? 0xd0000000ULL : VMALLOC_START)
#define KW_VMALLOC_END (KW_PTR32 ? 0xde000000ULL : VMALLOC_END)
/* an address of the linear map, below the window */
#define KW_LINEAR_VA (KW_PAGE_OFFSET + 0x100000ULL)

/* va as arm64_walk() (the AArch64 TTBR1 check: bits above KW_VA_BITS all
 * ones) must see it: LPAE's TTBR1 checks VA[31:30] = 11 of a 32-bit VA,
 * which is the same check on the VA sign-extended from bit 31. */
static inline u64 kw_walk_va(u64 va) { return KW_PTR32 ? va | ~0ULL << 32 : va; }

/* Reserve the window in the host (once, before the first arena). */
static inline void kw_reserve(void)
{
	static bool done;

	if (!done) {
		int rc = host_va_reserve(KW_VMALLOC_START, KW_VMALLOC_END);

		assert(rc == 0 && "host memory already in the simulated vmalloc window");
		done = true;
	}
}

#endif
