/*
 * The simulated address-limited DMA engines (one per board.cfg engine):
 * memory-to-memory copy engines with channels, descriptor rings in
 * coherent memory, a doorbell, and a completion interrupt through the GIC.
 *
 * Hardware model (drivers/dma_engine_model.c) and driver
 * (drivers/dma_engine.c) talk only through the engine's registers and the
 * descriptors in memory, as a real driver and device do:
 *
 *   descriptor (40 bytes, in a ring the driver allocates coherently):
 *     src, dst   bus addresses
 *     len        bytes
 *     flags      DMA_DESC_IRQ (interrupt when done), DMA_DESC_CHAIN (the
 *                next descriptor continues the same transfer)
 *     status     written by the engine: DONE, or BUS_ERROR with the
 *                offending bus address in err_addr
 *
 * An address the engine cannot drive (beyond its address bits) stops that
 * descriptor with BUS_ERROR before a single byte moves. A failed
 * descriptor ends its chain: the engine marks the chain's later
 * descriptors SKIPPED without executing them, and the transfer is -EIO.
 * Details: docs/dma-engine.md.
 */
#ifndef DRIVERS_DMA_ENGINE_H
#define DRIVERS_DMA_ENGINE_H

#include <dma/mapping.h>
#include <types.h>

struct dma_desc {
	u64 src;       /* bus address */
	u64 dst;       /* bus address */
	u32 len;
	u32 flags;
	u32 status;    /* written by the engine */
	u32 _pad;
	u64 err_addr;  /* bus address that failed (BUS_ERROR) */
};

#define DMA_DESC_IRQ (1u << 0)
#define DMA_DESC_CHAIN (1u << 1)

/* BAD_DESC: len 0 or reserved flags set. SKIPPED: not executed because an
 * earlier descriptor of its chain failed. */
enum dma_desc_status {
	DMA_ST_PENDING = 0,
	DMA_ST_DONE = 1,
	DMA_ST_BUS_ERROR = 2,
	DMA_ST_BAD_DESC = 3,
	DMA_ST_SKIPPED = 4,
};

/* transfers: finished (either way); errors: those of them that failed;
 * bytes: bytes actually copied; interrupts: completion interrupts taken. */
struct dma_chan_stats {
	u64 transfers, bytes, errors, interrupts;
};

struct dma_engine;

/* Create the engines of board.cfg (after irq_init, timer_init and the slab
 * allocator); idempotent. Returns the number of engines, or a negative errno. */
int dma_engines_init(void);
unsigned dma_engine_count(void);
struct dma_engine *dma_engine_get(unsigned index);
struct dma_engine *dma_engine_by_name(const char *name);
const char *dma_engine_name(const struct dma_engine *e);
unsigned dma_engine_addr_bits(const struct dma_engine *e);
unsigned dma_engine_channels(const struct dma_engine *e);
/* The DMA-API device of the engine (masks from its address bits). */
struct device *dma_engine_device(struct dma_engine *e);

/*
 * Submit a transfer of n segments (src[i] -> dst[i], len[i], bus
 * addresses) on channel ch as one descriptor chain, ring the doorbell and
 * wait for its completion interrupt. Returns 0, -EIO on a bus error (the
 * failing bus address in *err_addr if not NULL), -EINVAL for bad
 * arguments (no engine, ch out of range, n = 0 or more than the ring
 * holds, a zero length, NULL arrays), -EBUSY if the ring is full,
 * -ETIMEDOUT if no interrupt came within a second. Call with IRQs enabled,
 * never from interrupt context (it sleeps in wfi until the interrupt).
 */
int dma_engine_copy_sg(struct dma_engine *e, unsigned ch, const dma_addr_t *dst, const dma_addr_t *src,
		       const u32 *len, unsigned n, u64 *err_addr);
static inline int dma_engine_copy(struct dma_engine *e, unsigned ch, dma_addr_t dst, dma_addr_t src, u32 len,
				  u64 *err_addr)
{
	return dma_engine_copy_sg(e, ch, &dst, &src, &len, 1, err_addr);
}

/*
 * Asynchronous form: queue the chain and ring the doorbell without waiting.
 * irq: ask for a completion interrupt (errors always interrupt). Returns
 * 0, -EINVAL or -EBUSY as above. Any context (takes the channel lock).
 */
int dma_engine_submit_sg(struct dma_engine *e, unsigned ch, const dma_addr_t *dst, const dma_addr_t *src,
			 const u32 *len, unsigned n, bool irq);
/* Wait until every transfer queued on ch has finished. Returns 0 if all
 * those queued with dma_engine_submit_sg since the last drain succeeded,
 * else -EIO (the first failing bus address in *err_addr); -EINVAL,
 * -ETIMEDOUT. Same context rules as dma_engine_copy_sg. */
int dma_engine_drain(struct dma_engine *e, unsigned ch, u64 *err_addr);
/* Descriptors one channel can hold queued (a transfer of n segments uses n). */
unsigned dma_engine_ring_capacity(const struct dma_engine *e);

/* A copy of channel ch's statistics (zeros for a bad channel). */
void dma_engine_chan_stats(const struct dma_engine *e, unsigned ch, struct dma_chan_stats *out);
/* Print the per-channel statistics of every engine. */
void dma_engines_report(void *file /* FILE * */);

#endif
