/*
 * The DMA mapping API, as Linux drivers know it. A device sees memory at
 * bus addresses: bus = phys - bus_offset, and it can only generate the
 * addresses its masks allow. The API hands drivers bus addresses the
 * device can reach (bouncing through swiotlb when a buffer is out of
 * reach) and does the cache maintenance a non-coherent master needs:
 *
 *   dma_map_single(TO_DEVICE)      clean the CPU cache to memory
 *   dma_map_single(FROM_DEVICE)    invalidate (the device will write)
 *   dma_unmap_single(FROM_DEVICE)  invalidate again (speculative fills)
 *   dma_sync_*_for_cpu/for_device  the same at hand-over points
 *
 * Coherent memory (dma_alloc_coherent) is mapped non-cacheable for the
 * CPU, comes from a zone the device reaches, and from CMA when large and
 * the device uses CMA.
 *
 * Errors: dma_map_* return DMA_MAPPING_ERROR (test with
 * dma_mapping_error()), dma_map_sg returns 0; allocation returns NULL.
 * Never a partial mapping, never a corrupted bounce pool.
 * Locking: maps, unmaps and syncs are callable from any context (swiotlb
 * has its own lock); dma_alloc_coherent/dma_free_coherent from process
 * context only (they vmap the buffer). Details: docs/dma.md.
 */
#ifndef DMA_MAPPING_H
#define DMA_MAPPING_H

#include <mm/gfp.h>
#include <mm/page.h>
#include <types.h>

enum dma_data_direction { DMA_BIDIRECTIONAL = 0, DMA_TO_DEVICE = 1, DMA_FROM_DEVICE = 2, DMA_NONE = 3 };

#define DMA_MAPPING_ERROR (~(dma_addr_t)0)
/* (the "& 63" keeps clang's shift-count warning quiet for DMA_BIT_MASK(64),
 * whose shift is never evaluated) */
#define DMA_BIT_MASK(n) ((n) >= 64 ? ~0ULL : (1ULL << ((n) & 63)) - 1)

/* Per-device counters (reported by the DMA demo and tests; what each one
 * counts: include/dma/direct.h). */
struct dma_dev_stats {
	u64 maps, unmaps, bounced, bounce_bytes, map_errors, coherent_allocs, coherent_bytes;
};

struct device {
	const char *name;
	u64 dma_mask;          /* highest bus address for streaming mappings */
	u64 coherent_dma_mask; /* highest bus address for coherent memory */
	u64 bus_offset;        /* bus = phys - bus_offset */
	bool uses_cma;         /* large coherent buffers come from CMA */
	bool coherent;         /* hardware-coherent master: no cache maintenance */
	struct dma_dev_stats stats;
};

/* Translate between CPU physical and device bus addresses. */
static inline dma_addr_t phys_to_dma(const struct device *d, phys_addr_t pa) { return pa - d->bus_offset; }
static inline phys_addr_t dma_to_phys(const struct device *d, dma_addr_t da) { return da + d->bus_offset; }
/* Whether the device can reach [pa, pa+size) with mask (size: a bus range,
 * may exceed what a pointer can address, e.g. a zone above 4 GiB on LPAE). */
bool dma_capable(const struct device *d, phys_addr_t pa, u64 size, u64 mask);

void *dma_alloc_coherent(struct device *d, size_t size, dma_addr_t *handle, gfp_t gfp);
void dma_free_coherent(struct device *d, size_t size, void *cpu_addr, dma_addr_t handle);

dma_addr_t dma_map_single(struct device *d, void *ptr, size_t size, enum dma_data_direction dir);
void dma_unmap_single(struct device *d, dma_addr_t addr, size_t size, enum dma_data_direction dir);
dma_addr_t dma_map_page(struct device *d, struct page *page, size_t offset, size_t size,
			enum dma_data_direction dir);
void dma_unmap_page(struct device *d, dma_addr_t addr, size_t size, enum dma_data_direction dir);

void dma_sync_single_for_cpu(struct device *d, dma_addr_t addr, size_t size, enum dma_data_direction dir);
void dma_sync_single_for_device(struct device *d, dma_addr_t addr, size_t size, enum dma_data_direction dir);

struct scatterlist {
	struct page *page;
	unsigned offset;       /* into page */
	unsigned length;
	dma_addr_t dma_address; /* filled by dma_map_sg */
	unsigned dma_length;
};

/* Returns the number of entries mapped (nents; no merging), or 0 on error
 * (then nothing stays mapped). */
int dma_map_sg(struct device *d, struct scatterlist *sg, int nents, enum dma_data_direction dir);
void dma_unmap_sg(struct device *d, struct scatterlist *sg, int nents, enum dma_data_direction dir);
void dma_sync_sg_for_cpu(struct device *d, struct scatterlist *sg, int nents, enum dma_data_direction dir);
void dma_sync_sg_for_device(struct device *d, struct scatterlist *sg, int nents, enum dma_data_direction dir);

static inline int dma_mapping_error(const struct device *d, dma_addr_t a)
{
	(void)d;
	return a == DMA_MAPPING_ERROR;
}

#endif
