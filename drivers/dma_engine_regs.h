/*
 * The register interface of the simulated DMA engine: everything the
 * driver (drivers/dma_engine.c) and the hardware model
 * (drivers/dma_engine_model.c) share, and nothing else. The driver never
 * looks inside the model; it reads and writes registers through
 * dma_readl()/dma_writel(), as it would MMIO, and exchanges descriptors
 * (include/drivers/dma_engine.h) through memory.
 *
 * Terminology:
 *   engine      one board.cfg DMA<i> entry: a register block, channels,
 *               an address width (addr_bits) and a bus offset
 *   channel     an independent descriptor ring with its own registers
 *   bus address what the engine drives on the bus; phys = bus + bus_offset,
 *               and only bus addresses below 2^addr_bits exist for it
 *   HEAD        the doorbell: index of the slot after the last descriptor
 *               the driver has written (driver-owned)
 *   TAIL        index of the next descriptor the engine will execute
 *               (engine-owned, read-only)
 *
 * Register map (byte offsets in the engine's block; every register 32 bits):
 *
 *   0x000  ID           RO   [7:0] addr_bits, [15:8] channels,
 *                            [31:16] DMA_ID_MAGIC
 *   0x004  IRQ_SUMMARY  RO   bit c: channel c's IRQ_STATUS is not zero
 *   0x100 + 0x40 * c    channel c:
 *     +0x00 CTRL         RW  bit 0 ENABLE. Setting it latches RING_BASE and
 *                            RING_SIZE, resets HEAD = TAIL = 0 and clears
 *                            STATUS; clearing it stops the channel.
 *                            bit 1 PAUSE: doorbells are recorded but nothing
 *                            executes until it is cleared (the self-test's
 *                            stalled engine).
 *     +0x04 STATUS       RO  bit 0 BUSY (TAIL != HEAD), bit 1 HALTED (a
 *                            ring fetch failed; re-enable to restart)
 *     +0x08 RING_BASE_LO RW  bus address of slot 0, 8-byte aligned
 *     +0x0c RING_BASE_HI RW  (both only while the channel is disabled)
 *     +0x10 RING_SIZE    RW  slots in the ring, 2..DMA_RING_MAX_SLOTS
 *     +0x14 HEAD         RW  doorbell; ignored while disabled or if
 *                            >= RING_SIZE
 *     +0x18 TAIL         RO
 *     +0x1c IRQ_STATUS   W1C bit 0 DONE (a DMA_DESC_IRQ descriptor
 *                            finished), bit 1 ERROR (a descriptor failed:
 *                            always interrupts), bit 2 HALT (ring fetch
 *                            failed)
 *
 * The ring (memory at RING_BASE, as the engine sees it):
 *
 *      slot 0   slot 1                         slot RING_SIZE-1
 *     +--------+--------+--------+--------+-- ... --+--------+
 *     | done   | done   | queued | queued |  free   |  free  |
 *     +--------+--------+--------+--------+-- ... --+--------+
 *                       ^ TAIL            ^ HEAD
 *                         engine executes   driver writes here, then
 *                         from here         moves HEAD past it (doorbell)
 *
 *   TAIL == HEAD: empty. The driver keeps one slot free, so a ring of
 *   RING_SIZE slots holds RING_SIZE - 1 queued descriptors.
 *
 * Doorbell timing: writing HEAD does not execute anything. It marks the
 * channel busy and raises SGI DMA_MODEL_SGI; the model's handler for that
 * SGI plays the device (walks TAIL..HEAD, copies, writes the status back
 * into each descriptor, advances TAIL), sets the channel's IRQ_STATUS bits
 * and raises the engine's SPI (board.cfg DMA<i>_IRQ). Both are real GIC
 * interrupts: with IRQs enabled the SPI is taken right after the SGI.
 */
#ifndef DRIVERS_DMA_ENGINE_REGS_H
#define DRIVERS_DMA_ENGINE_REGS_H

#include <types.h>

/* The software-generated interrupt reserved for the engine model. */
#define DMA_MODEL_SGI 14

#define DMA_MAX_CHANNELS 16 /* Kconfig DMA<i>_CHANNELS allows 1..16 */
#define DMA_RING_MAX_SLOTS 4096
#define DMA_RING_ALIGN 8 /* descriptors hold 64-bit fields */
#define DMA_ID_MAGIC 0xd3a0u

#define DMA_REG_ID 0x000
#define DMA_REG_IRQ_SUMMARY 0x004
#define DMA_CH_BASE(c) (0x100u + 0x40u * (c))
#define DMA_CH_CTRL 0x00
#define DMA_CH_STATUS 0x04
#define DMA_CH_RING_BASE_LO 0x08
#define DMA_CH_RING_BASE_HI 0x0c
#define DMA_CH_RING_SIZE 0x10
#define DMA_CH_HEAD 0x14
#define DMA_CH_TAIL 0x18
#define DMA_CH_IRQ_STATUS 0x1c
#define DMA_CH_REG(c, r) (DMA_CH_BASE(c) + (r))

#define DMA_ID_ADDR_BITS(id) ((id) & 0xffu)
#define DMA_ID_CHANNELS(id) (((id) >> 8) & 0xffu)
#define DMA_ID_IS_VALID(id) (((id) >> 16) == DMA_ID_MAGIC)

#define DMA_CTRL_ENABLE BIT(0)
#define DMA_CTRL_PAUSE BIT(1)
#define DMA_STATUS_BUSY BIT(0)
#define DMA_STATUS_HALTED BIT(1)
#define DMA_IRQ_DONE BIT(0)
#define DMA_IRQ_ERROR BIT(1)
#define DMA_IRQ_HALT BIT(2)

struct dma_hw; /* one engine's register block (owned by the model) */

/* Instantiate the engines of board.cfg and claim DMA_MODEL_SGI; idempotent.
 * Returns the number of engines, or a negative errno (-EBUSY: SGI taken). */
int dma_model_init(void);
/* The register block of engine index (board.cfg order), or NULL. */
struct dma_hw *dma_hw_get(unsigned index);
/* Read a register (unknown offsets read 0). Any context. */
u32 dma_readl(struct dma_hw *hw, u32 reg);
/* Write a register; ordered after the CPU's earlier memory writes (like
 * Linux's writel), so descriptors are visible before the doorbell. Any
 * context. Writes to read-only or unknown offsets are ignored. */
void dma_writel(struct dma_hw *hw, u32 reg, u32 val);

#endif
