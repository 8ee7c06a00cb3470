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

/* The lowest address of RAM the DTB's /memory nodes describe: 0, or -ENODEV. */
int fdt_ram_base(const void *fdt, phys_addr_t *base);

/*
 * Check that RAM can hold what board.cfg asks for (CMA, swiotlb, the
 * zram pool limit, min_free_kbytes, the page array, the image). Prints
 * the budget; returns 0, or -ENOMEM with the shortfall explained.
 */
int bootmem_check_budget(void);

#endif
