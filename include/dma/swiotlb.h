/*
 * swiotlb: the software I/O TLB, a pool of bounce buffers that every DMA
 * engine can reach. When a streaming mapping's buffer lies beyond what a
 * device can address, the DMA API (dma/mapping.c) maps a run of slots of
 * this pool instead, copies the buffer in, and gives the device the
 * slots' bus address; at unmap/sync_for_cpu the device's data is copied
 * back. Drivers never call this directly: it is the DMA API's back end.
 *
 *   pool (ZONE_DMA, physically contiguous, slots of IO_TLB_SIZE = 2 KiB):
 *   | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | ... |nslabs-1|
 *   |   [ map A: 3 slots]    [B: 1]  [ map C: 4 slots (page aligned) ]
 *
 * Terminology (Linux's): a *slot* (Linux: "slab") is IO_TLB_SIZE bytes;
 * a *mapping* is a run of contiguous slots holding one bounced buffer;
 * the *original* is the buffer the driver mapped; the *tlb address* is
 * the physical address of the mapping's first slot. Data is copied
 * between original and slots (memcpy through the linear map); cache
 * maintenance of the slots for the device is the caller's (dma/mapping.c).
 *
 * Errors: swiotlb_map() returns SWIOTLB_MAP_ERROR (pool full, too large,
 * no pool); bad unmaps/syncs (an address that is not a live mapping) are
 * reported and change nothing; init functions return a negative errno.
 * Locking: one spinlock (IRQs masked) protects the slot map and counters;
 * copies run outside it (a mapping's slots belong to their mapping). Any
 * context for map/unmap/sync; init/exit in process context.
 */
#ifndef DMA_SWIOTLB_H
#define DMA_SWIOTLB_H

#include <dma/mapping.h>
#include <stdio.h>
#include <types.h>

#define IO_TLB_SHIFT 11
#define IO_TLB_SIZE (1u << IO_TLB_SHIFT) /* 2 KiB per slot */
#define SWIOTLB_MAP_ERROR (~(phys_addr_t)0)
#define SWIOTLB_MAX_BYTES (512ULL << 20) /* its slot map fits one MAX_ORDER block */

/*
 * Allocate a pool of bytes (a multiple of 4 KiB, > 0) from the lowest
 * populated zone (ZONE_DMA: what the narrowest engine reaches), after the
 * page allocator exists. Up to 4 MiB (MAX_ORDER) it is one buddy block,
 * rounded up to a power of two pages (the rounding is used, not wasted,
 * and printed); above, several MAX_ORDER blocks that happen to be
 * physically adjacent, or -ENOMEM with the reason. Prints the pool.
 * Returns 0, -EINVAL (bad size), -EBUSY (a pool exists), -ENOMEM.
 */
int swiotlb_init(u64 bytes);
/*
 * Use [base, base + bytes) (RAM the caller owns, page aligned, a multiple
 * of IO_TLB_SIZE, at most SWIOTLB_MAX_BYTES) as the pool: for host tests and boards with a
 * carve-out. The slot map comes from the page allocator. Same returns.
 */
int swiotlb_init_range(phys_addr_t base, u64 bytes);
/* Free the pool (if swiotlb_init made it) and the slot map, forget
 * everything. Live mappings are a caller bug: reported, then dropped. */
void swiotlb_exit(void);
/* Forget the pool without freeing anything (host tests whose RAM arena
 * was rebuilt underneath it). */
void swiotlb_forget(void);

/* Whether a pool exists; the pool's range. */
bool swiotlb_active(void);
void swiotlb_pool_range(phys_addr_t *base, u64 *bytes);
/* Whether pa lies inside the pool (so a handle was bounced). */
bool is_swiotlb_buffer(phys_addr_t pa);

/*
 * Bounce [orig, orig + size): take a run of free slots (page aligned when
 * size >= PAGE_SIZE), remember orig, size and dir in them, and copy the
 * original in -- for every direction, as Linux does since 5.19: with
 * FROM_DEVICE a device that writes only part of the buffer must not make
 * stale pool bytes appear in the original at unmap. Returns the tlb
 * address or SWIOTLB_MAP_ERROR (counted; one line printed).
 */
phys_addr_t swiotlb_map(phys_addr_t orig, size_t size, enum dma_data_direction dir);
/*
 * Undo swiotlb_map(tlb): copy the slots back to the original for
 * FROM_DEVICE and BIDIRECTIONAL, free the slots. tlb must be a mapping's
 * first slot; a size or dir that differs from the map's is reported and
 * the recorded one used. Returns 0, or -EINVAL after a report.
 */
int swiotlb_unmap(phys_addr_t tlb, size_t size, enum dma_data_direction dir);
/*
 * Partial or whole syncs of a live mapping: [tlb, tlb + size) must lie in
 * one mapping (not necessarily at its start). for_cpu copies slots ->
 * original (FROM_DEVICE, BIDIRECTIONAL); for_device copies original ->
 * slots (every direction, for the reason above). Returns 0 or -EINVAL
 * after a report.
 */
int swiotlb_sync_for_cpu(phys_addr_t tlb, size_t size, enum dma_data_direction dir);
int swiotlb_sync_for_device(phys_addr_t tlb, size_t size, enum dma_data_direction dir);
/* A live mapping as swiotlb_map() recorded it. */
struct swiotlb_mapping {
	phys_addr_t start; /* tlb address of its first slot */
	phys_addr_t orig;  /* the original buffer */
	size_t size;       /* bytes mapped */
	enum dma_data_direction dir;
};
/* The live mapping containing tlb (any byte of it) into *m; false if none. */
bool swiotlb_find(phys_addr_t tlb, struct swiotlb_mapping *m);

struct swiotlb_stats {
	u64 nslabs;         /* slots in the pool (Linux's io_tlb_nslabs) */
	u64 used;           /* slots in use now (io_tlb_used) */
	u64 hiwater;        /* most slots ever in use at once (io_tlb_hiwater) */
	u64 live;           /* mappings now */
	u64 mapped;         /* mappings made since init (bounced maps) */
	u64 unmapped;       /* mappings undone */
	u64 bytes_in;       /* copied original -> slots */
	u64 bytes_out;      /* copied slots -> original */
	u64 fail_full;      /* no free run of slots large enough */
	u64 fail_size;      /* larger than the pool, or no pool */
	u64 bad_calls;      /* unmap/sync of something that is not a live mapping */
};
/* A consistent copy of the counters (taken under the lock). */
void swiotlb_get_stats(struct swiotlb_stats *s);
/* Print the pool and its counters, one "name: value" per line. */
void swiotlb_report(FILE *f);

#endif
