/* A small board for host tests of the page allocator. */
#ifndef TEST_MM_FIXTURE_H
#define TEST_MM_FIXTURE_H

#include <mm/mm_init.h>

/*
 * RAM [0x40000000, +192 MiB) with a 24-bit engine (DMA: first 16 MiB), a
 * 26-bit engine that uses CMA (DMA32: up to 64 MiB) and Normal above;
 * 16 MiB of CMA; min_free_kbytes 1024.
 */
#define FIX_RAM_BASE 0x40000000ULL
#define FIX_RAM_SIZE (192ULL << 20)
#define FIX_DMA_END (FIX_RAM_BASE + (16ULL << 20))
#define FIX_DMA32_END (FIX_RAM_BASE + (64ULL << 20))

extern struct mm_board fix_board;
/* The top this many bytes of RAM become ZONE_HIGHMEM in the next setup (as
 * highmem= does on the target): host phys_to_virt then asserts on them. 0: none. */
extern u64 fix_highmem_bytes;
/* (Re)build memblock and mm on a fresh arena; reserved: 1 MiB at the base. */
void fix_mm_setup(bool poison, bool init_on_free);
void fix_mm_teardown(void);

#endif
