/*
 * Physical <-> kernel virtual addresses for the target: lowmem RAM is
 * linearly mapped at PAGE_OFFSET + (PA - PHYS_OFFSET) (see arch/layout.h);
 * a highmem PA has no linear address (the access faults: kmap it). Host builds shadow
 * this header with platform/host/include/arch/phys.h.
 */
#ifndef ARCH_PHYS_H
#define ARCH_PHYS_H

#include <arch/layout.h>
#include <types.h>

static inline void *phys_to_virt(phys_addr_t pa) { return (void *)(uintptr_t)(PAGE_OFFSET + (pa - PHYS_OFFSET)); }
static inline phys_addr_t virt_to_phys(const void *va) { return (phys_addr_t)((uintptr_t)va - PAGE_OFFSET) + PHYS_OFFSET; }
/* Whether va lies in the linear map (so virt_to_phys means something). */
static inline bool virt_addr_valid(const void *va)
{
	return (uintptr_t)va >= PAGE_OFFSET && (uintptr_t)va - PAGE_OFFSET < LINEAR_MAP_SIZE;
}

#endif
