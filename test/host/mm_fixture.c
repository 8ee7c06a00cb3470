#include "mm_fixture.h"

#include <arch/phys.h>
#include <host.h>
#include <mm/highmem.h>
#include <mm/memblock.h>
#include <stdlib.h>

struct mm_board fix_board = {
	.nr_engines = 2,
	.engines = {
		{ "dma24", 24, FIX_RAM_BASE, 2, false, 200 },
		{ "dma26", 26, FIX_RAM_BASE, 2, true, 201 },
	},
	.cma_bytes = 16ULL << 20,
	.cma_align = 4ULL << 20,
	.min_free_kbytes = 1024,
};
u64 fix_highmem_bytes;

void fix_mm_setup(bool poison, bool init_on_free)
{
	host_phys_init(FIX_RAM_BASE, FIX_RAM_SIZE);
	memblock_reset();
	memblock_add(FIX_RAM_BASE, FIX_RAM_SIZE);
	memblock_reserve(FIX_RAM_BASE, 1ULL << 20, "firmware");
	if (highmem_set_boundary(fix_highmem_bytes))
		abort();
	host_lowmem_end = memblock_lowmem_end(); /* no "linear map" above it */
	fix_board.page_poisoning = poison;
	fix_board.init_on_free = init_on_free;
	if (mm_init(&fix_board))
		abort();
}

void fix_mm_teardown(void) { host_phys_exit(); }
