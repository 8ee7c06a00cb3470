/*
 * Host-side simulation of the platform, for unit tests and fuzzers:
 * a RAM arena, a page allocator over it for tests, and the arch MMU
 * contract with a recording TLB that checks break-before-make.
 */
#ifndef PLATFORM_HOST_H
#define PLATFORM_HOST_H

#include <types.h>

/* Create (or recreate) the RAM arena [base, base+size). Returns 0. */
int host_phys_init(phys_addr_t base, u64 size);
void host_phys_exit(void);

/* A trivial page allocator over the arena for tests: zeroed pages. */
phys_addr_t host_page_alloc(void *ctx);
void host_page_free(void *ctx, phys_addr_t pa);
u64 host_pages_in_use(void);
/* Make the next n allocations succeed and every later one fail (-1: never fail). */
void host_page_fail_after(long n);

struct host_mmu_stats {
	u64 pte_writes;
	u64 tlb_flushes;
	u64 bbm_violations; /* valid entry overwritten by another valid one,
			       or re-validated before a TLB flush */
};
extern struct host_mmu_stats host_mmu;
void host_mmu_reset(void);

#endif
