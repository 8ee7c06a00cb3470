/*
 * The DMA API's policy knobs and diagnostics, beyond what drivers use
 * (include/dma/mapping.h): how a device's mask becomes a zone, the cache
 * maintenance by direction, the misuse reports, coherent-buffer
 * bookkeeping, and a per-device report. Used by dma/ (all files), the demo and the
 * tests. Design notes: docs/dma.md.
 *
 * Per-device counters (struct dma_dev_stats in struct device):
 *   maps, unmaps       streaming mappings made / undone (an sg entry is one)
 *   bounced            of the maps, those that went through swiotlb
 *   bounce_bytes       bytes copied by swiotlb for the device, both ways,
 *                      syncs included
 *   map_errors         maps that returned DMA_MAPPING_ERROR (and failed sg
 *                      entries), whatever the reason
 *   coherent_allocs    dma_alloc_coherent successes since boot
 *   coherent_bytes     coherent bytes held now (allocs add, frees subtract)
 * They are updated with interrupts masked (one CPU today).
 */
#ifndef DMA_DIRECT_H
#define DMA_DIRECT_H

#include <dma/mapping.h>
#include <stdio.h>
#include <types.h>

/* Coherent buffers of at least this many bytes come from CMA when the
 * device uses CMA and reaches the CMA region (smaller ones would only
 * fragment it; Linux's default is "any size > 1 page" with a per-device
 * area, Pagoda keeps small buffers on the buddy lists). */
#define DMA_CMA_THRESHOLD (64 * 1024)
/* CMA alignment of a coherent buffer: its size's order, at most this
 * (Linux's CONFIG_CMA_ALIGNMENT: 2^8 pages, 1 MiB). */
#define DMA_CMA_MAX_ALIGN_ORDER 8
/* Granule of the cache maintenance at a buffer's unaligned edges: a
 * multiple of every AArch64 data cache line and writeback granule in use
 * (Linux's ARCH_DMA_MINALIGN on arm64). */
#define DMA_MINALIGN 128

/*
 * The highest zone whose pages, together with every lower populated
 * zone's, the device reaches with mask (an allocation in it may fall back
 * downwards). -1 if not even the lowest populated zone is entirely
 * reachable. Zones follow the board's engines; see docs/dma.md.
 */
int dma_zone_for_mask(const struct device *d, u64 mask);
/* The GFP zone modifier that selects zone as the highest allowed. */
gfp_t dma_zone_gfp(int zone);

/*
 * Cache maintenance of [pa, pa + size) through its linear-map alias, for a
 * non-coherent device (callers skip it when d->coherent):
 *   for_device  TO_DEVICE: clean; FROM_DEVICE: invalidate, with
 *               clean+invalidate of the DMA_MINALIGN granules at unaligned
 *               edges (their other bytes may be someone else's live data);
 *               BIDIRECTIONAL: clean+invalidate
 *   for_cpu     FROM_DEVICE, BIDIRECTIONAL: invalidate (edges as above);
 *               TO_DEVICE: nothing
 */
void dma_cache_sync_for_device(phys_addr_t pa, size_t size, enum dma_data_direction dir);
void dma_cache_sync_for_cpu(phys_addr_t pa, size_t size, enum dma_data_direction dir);

/* Misuse of the API (bad direction, a vmalloc pointer, a bad free or
 * unmap): "DMA-API: <device>: <function>: <reason>" and a call trace,
 * counted here. The call itself then fails or does nothing. */
extern u64 dma_api_errors;
void dma_api_report(const struct device *d, const char *fn, const char *fmt, ...) __printf(3, 4);

/* Coherent buffers alive now (all devices), and their bytes. */
u64 dma_coherent_live(u64 *bytes);
/* Forget every coherent buffer without freeing (host tests whose RAM
 * arena was rebuilt underneath them). */
void dma_coherent_forget(void);

/* One line of the device's counters:
 * "dma24: maps 3 unmaps 3 bounced 1 bounce_bytes 8192 map_errors 0 coherent_allocs 1 coherent_bytes 4096" */
void dma_dev_report(FILE *f, const struct device *d);

#endif
