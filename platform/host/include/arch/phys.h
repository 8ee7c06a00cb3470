/*
 * Host build: "physical memory" is a malloc'd arena (platform/host/phys.c)
 * that pretends to start at host_ram_base. Its part at and above
 * host_lowmem_end (set by tests of highmem) has no "linear map":
 * phys_to_virt asserts on it; the kmap slots (platform/host/phys.c) hand
 * out its arena address instead. Shadows include/arch/phys.h
 * because the host build puts platform/host/include first on the path.
 */
#ifndef ARCH_PHYS_H
#define ARCH_PHYS_H

#include <assert.h>
#include <types.h>

extern u8 *host_ram;
extern phys_addr_t host_ram_base;
extern u64 host_ram_size;
extern phys_addr_t host_lowmem_end; /* highmem from here (host_phys_init: the end of the arena) */

static inline void *phys_to_virt(phys_addr_t pa)
{
	assert(pa >= host_ram_base && pa - host_ram_base < host_ram_size);
	assert(pa < host_lowmem_end); /* a highmem page: kmap it */
	return host_ram + (pa - host_ram_base);
}

static inline phys_addr_t virt_to_phys(const void *va)
{
	assert((const u8 *)va >= host_ram && (u64)((const u8 *)va - host_ram) < host_ram_size);
	return host_ram_base + (phys_addr_t)((const u8 *)va - host_ram);
}

static inline bool virt_addr_valid(const void *va)
{
	return (const u8 *)va >= host_ram && (u64)((const u8 *)va - host_ram) < host_ram_size;
}

#endif
