/*
 * memblock: the boot-time physical memory map and early allocator, used
 * before the page allocator exists (for the page array and the kernel's
 * page tables). Two sorted region lists: "memory" (RAM from the DTB) and
 * "reserved" (the image, the DTB, /reserved-memory, early allocations),
 * each reservation with a name for the boot memory map.
 *
 * Locking: boot is single threaded; no locks.
 * Errors: -ENOSPC when a region table is full, -EINVAL for empty or
 * wrapping ranges; allocation returns 0 on failure.
 */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include <types.h>

#define MEMBLOCK_MAX_REGIONS 64

struct memblock_region {
	phys_addr_t base;
	u64 size;
	const char *name; /* reservations only */
};

struct memblock_type {
	unsigned cnt;
	struct memblock_region r[MEMBLOCK_MAX_REGIONS];
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
	phys_addr_t alloc_limit; /* allocations end below this (0: no limit) */
	phys_addr_t lowmem_limit; /* end of the linearly mapped RAM (0: all RAM); allocations stay below */
	bool retired;            /* the page allocator owns free memory now */
};

extern struct memblock memblock;

/* Forget everything (host tests, and once at boot). */
void memblock_reset(void);
/* Add RAM; overlapping/adjacent regions merge. */
int memblock_add(phys_addr_t base, u64 size);
/* Reserve [base, base+size) under name; overlaps with other reservations merge
 * only when the names are equal. Reserving outside RAM is allowed (recorded). */
int memblock_reserve(phys_addr_t base, u64 size, const char *name);
/* Allocate size bytes aligned to align, top-down, from free RAM below
 * the limit; reserved under name. Returns the PA or 0. Memory is not zeroed. */
phys_addr_t memblock_alloc(u64 size, u64 align, const char *name);
/* Like memblock_alloc, but only from [min, max). */
phys_addr_t memblock_alloc_range(u64 size, u64 align, phys_addr_t min, phys_addr_t max, const char *name);
/* Hand-over to the page allocator: later memblock allocations fail (and warn). */
void memblock_retire(void);
/* Only allocate below limit (e.g. what the boot tables map). */
void memblock_set_alloc_limit(phys_addr_t limit);
/* End of lowmem: RAM at and above limit is highmem (no linear map, never
 * handed out by memblock). 0: all RAM is lowmem. Boot, before kmap_build. */
void memblock_set_lowmem_limit(phys_addr_t limit);
/* The end of lowmem: the limit set, or the end of RAM. */
phys_addr_t memblock_lowmem_end(void);
/* Total RAM, and the bytes of RAM that are reserved. */
u64 memblock_phys_mem_size(void);
u64 memblock_reserved_size(void);
/* Whether [base, base+size) lies entirely in RAM. */
bool memblock_is_memory(phys_addr_t base, u64 size);
/* Call fn for every free (RAM minus reserved) range, in address order. */
void memblock_for_each_free(void (*fn)(void *arg, phys_addr_t base, u64 size), void *arg);
/* Print the boot memory map. */
void memblock_dump(void);

#endif
