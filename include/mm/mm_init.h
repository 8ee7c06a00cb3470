/*
 * Bringing up physical memory management from memblock: the page array,
 * zones from the DMA engines, the CMA region, watermarks, and handing
 * free memory to the buddy allocator. The board is described by a plain
 * struct so that host tests can build any board they like; on the target
 * it comes from board.cfg (mm_board_from_config()).
 */
#ifndef MM_MM_INIT_H
#define MM_MM_INIT_H

#include <types.h>

#define MM_MAX_DMA_ENGINES 4

struct mm_dma_engine {
	const char *name;
	unsigned addr_bits;
	u64 bus_offset; /* bus = phys - bus_offset */
	unsigned channels;
	bool uses_cma;
	unsigned irq; /* completion interrupt (GIC INTID) */
};

struct mm_board {
	unsigned nr_engines;
	struct mm_dma_engine engines[MM_MAX_DMA_ENGINES];
	u64 cma_bytes, cma_align;
	u64 min_free_kbytes;
	bool page_poisoning, init_on_free;
};

/* The board from board.cfg. */
void mm_board_from_config(struct mm_board *b);

/*
 * Set up zones, the page array, CMA and the buddy allocator from memblock
 * (after the kernel map is live). Prints the zone layout. Returns 0, or a
 * negative errno after printing why (e.g. an engine that reaches no RAM).
 */
int mm_init(const struct mm_board *b);

/* vm.min_free_kbytes: get it; set it and recompute every zone's
 * watermarks and lowmem reserves (takes each zone lock). 0..half of the
 * managed memory (Pagoda's bound: more would leave nothing to allocate),
 * else -EINVAL with nothing changed. */
u64 get_min_free_kbytes(void);
int set_min_free_kbytes(long kb);

/* Physical range a DMA engine reaches: [*lo, *hi) clipped to what 64 bits hold. */
void dma_engine_reach(const struct mm_dma_engine *e, phys_addr_t *lo, phys_addr_t *hi);

/* The CMA region chosen by mm_init: [cma_base, cma_base + cma_size). */
extern phys_addr_t cma_base;
extern u64 cma_size;

#endif
