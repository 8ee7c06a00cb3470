/*
 * Host-side simulation of the platform, for unit tests and fuzzers:
 * a RAM arena, a page allocator over it for tests, and the arch MMU
 * contract with a recording TLB that checks break-before-make.
 */
#ifndef PLATFORM_HOST_H
#define PLATFORM_HOST_H

#include <types.h>

/* Create (or recreate) the RAM arena [base, base+size). Returns 0; aborts
 * with a message if size does not fit the host process (32-bit builds). */
int host_phys_init(phys_addr_t base, u64 size);
void host_phys_exit(void);

/* Keep the host from placing anything (the arena, malloc) in the simulated
 * kernel VA range [start, end), so that no host pointer aliases it and
 * virt_addr_valid() never mistakes one of its addresses for RAM: 0, or
 * -EEXIST if host memory is there already. Call before host_phys_init.
 * Needs nothing for a range a pointer cannot hold or in the upper half of
 * a 64-bit space (the host kernel's). */
int host_va_reserve(u64 start, u64 end);

/* A trivial page allocator over the arena for tests: zeroed pages. */
phys_addr_t host_page_alloc(void *ctx);
void host_page_free(void *ctx, phys_addr_t pa);
u64 host_pages_in_use(void);
/* The kmap slots (include/mm/highmem.h): mappings made, and TLB flushes asked for. */
extern u64 host_kmap_sets, host_kmap_flushes;
/* Make the next n allocations succeed and every later one fail (-1: never fail). */
void host_page_fail_after(long n);

/* Cache maintenance calls, as recorded (the host has nothing to maintain). */
enum host_cache_op { HOST_DC_CLEAN = 1, HOST_DC_INVAL, HOST_DC_CLEAN_INVAL, HOST_IC_SYNC };
struct host_cache_call {
	enum host_cache_op op;
	vaddr_t va;
	size_t size;
};
#define HOST_CACHE_LOG 64 /* the last calls, in a ring */

struct host_mmu_stats {
	u64 pte_writes;
	u64 tlb_flushes;
	u64 unflushed;      /* valid entries made invalid since the last TLB flush */
	u64 bbm_violations; /* valid entry overwritten by another valid one,
			       or re-validated before a TLB flush */
	u64 dc_clean, dc_inval, dc_clean_inval, ic_sync; /* calls of each kind */
	u64 dc_clean_bytes, dc_inval_bytes, dc_clean_inval_bytes;
	u64 cache_calls; /* all four kinds; call i is cache_log[i % HOST_CACHE_LOG] */
	struct host_cache_call cache_log[HOST_CACHE_LOG];
};
extern struct host_mmu_stats host_mmu;
void host_mmu_reset(void);

#endif
