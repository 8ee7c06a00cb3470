/* Boot-time memory discovery and the check of board.cfg against RAM. */
#ifndef KERNEL_BOOTMEM_H
#define KERNEL_BOOTMEM_H

#include <types.h>

/*
 * Fill memblock from the DTB: /memory nodes, the memreserve block,
 * /reserved-memory children; reserve the DTB itself (at dtb_pa) and the
 * kernel image. Returns 0 or a negative errno with a message printed.
 */
int fdt_memory_scan(const void *fdt, phys_addr_t dtb_pa);

/* Entry index of node's "reg" (in its parent's cells): 0, or -ENOENT. */
int fdt_node_reg(const void *fdt, int node, int index, u64 *addr, u64 *size);
/* The same when the caller knows node's parent (libfdt finds a parent by
 * walking the tree from its start: ~100,000 instructions on QEMU's DTB). */
int fdt_node_reg_in(const void *fdt, int parent, int node, int index, u64 *addr, u64 *size);

/* The lowest address of RAM the DTB's /memory nodes describe: 0, or -ENODEV. */
int fdt_ram_base(const void *fdt, phys_addr_t *base);

/*
 * Check that RAM can hold what board.cfg asks for (CMA, swiotlb, the
 * zram pool limit, min_free_kbytes, the page array, the image). Prints
 * the budget; returns 0, or -ENOMEM with the shortfall explained.
 */
int bootmem_check_budget(void);

struct mm_board;
/*
 * After mm_init, before swiotlb_init: check that the zone the narrowest
 * DMA engine reaches can hold the swiotlb pool and that engine's rings.
 * Returns 0, or -ENOMEM with the options to change (CONFIG_DMA<n>_ADDR_BITS,
 * CONFIG_SWIOTLB_SIZE_KB) and values that fit printed.
 */
int bootmem_check_dma_zone(const struct mm_board *b);

#endif
