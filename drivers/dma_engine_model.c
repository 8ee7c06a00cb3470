/*
 * The hardware model of the simulated DMA engines: what QEMU would
 * implement if virt had such a device. One model instance per board.cfg
 * engine (name, addr_bits, bus_offset, channels, irq); the driver sees
 * only its registers (drivers/dma_engine_regs.h, which also draws the
 * ring) and the descriptors in memory.
 *
 * Terminology: bus address, HEAD, TAIL, slot as in dma_engine_regs.h;
 * "reach" is what the engine can address: bus [0, 2^addr_bits), i.e.
 * phys [bus_offset, bus_offset + 2^addr_bits), and of that only RAM
 * answers (memblock's memory map; anything else is a bus error, like an
 * access to a hole of the interconnect).
 *
 * How the device runs:
 *
 *   dma_writel(HEAD)  --> channel marked pending, irq_raise(DMA_MODEL_SGI)
 *                         (also when CTRL.PAUSE is cleared with work queued)
 *   SGI handler       --> for each pending channel (enabled, not paused,
 *                         not halted), TAIL..HEAD:
 *                           fetch the descriptor at RING_BASE + 40 * TAIL
 *                             (a bus address: checked and translated too;
 *                              a failed fetch halts the channel)
 *                           check: len != 0, no reserved flags (BAD_DESC);
 *                             src and dst ranges inside the reach and RAM
 *                             (BUS_ERROR, err_addr = first bad bus address;
 *                              checked before a single byte moves)
 *                           copy (memmove semantics) through the linear map
 *                             (HighMem page by page through kmap_local)
 *                           write status/err_addr back, TAIL++
 *                         IRQ_STATUS |= DONE (DMA_DESC_IRQ) / ERROR (failure)
 *                     --> irq_raise(engine SPI) if IRQ_STATUS gained bits
 *
 * Chains: a descriptor with DMA_DESC_CHAIN continues into the next slot.
 * Once a descriptor of a chain fails, the engine marks the chain's later
 * descriptors SKIPPED (nothing executed) up to and including the one
 * without DMA_DESC_CHAIN; the state survives an empty ring, so a chain
 * split over two doorbells behaves the same.
 *
 * Memory: the model reads and writes through the kernel's linear map
 * (cacheable). A bus master sees memory at the point of coherency, while
 * the driver may write descriptors through a non-cacheable alias, so the
 * model cleans and invalidates the lines it touches (before reading a
 * descriptor, after writing one or a destination). Under QEMU, which has
 * no caches, this changes nothing; it keeps the model honest on silicon.
 *
 * Locking: no lock. The model's state changes only with IRQs masked on
 * the one CPU: in the register accessors (which mask IRQs, so a register
 * access is atomic like a bus transaction) and in the SGI handler. SMP
 * would need a per-engine lock here.
 */
#include <arch/irq.h>
#include <arch/irqflags.h>
#include <arch/mmu.h>
#include <arch/phys.h>
#include <arch/cpu.h>
#include <drivers/dma_engine.h>
#include <lib/errno.h>
#include <mm/highmem.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <stdio.h>
#include <string.h>

#include "dma_engine_regs.h"

#define DESC_SIZE sizeof(struct dma_desc)
#define DESC_KNOWN_FLAGS (DMA_DESC_IRQ | DMA_DESC_CHAIN)

_Static_assert(sizeof(struct dma_desc) == 40, "the descriptor layout is the hardware's: 40 bytes");

struct hw_chan {
	u32 ctrl, status, irq_status;
	u32 ring_size, head, tail;
	u64 ring_base;               /* latched when enabled */
	u64 ring_base_reg;           /* RING_BASE_LO/HI as written */
	u32 ring_size_reg;
	bool chain_failed;           /* skipping the rest of a failed chain */
};

struct dma_hw {
	struct mm_dma_engine cfg;
	u32 pending;                 /* channels whose doorbell rang */
	struct hw_chan ch[DMA_MAX_CHANNELS];
};

static struct dma_hw hws[MM_MAX_DMA_ENGINES];
static unsigned nr_hws;
static bool model_up;

/* ---- the bus: reach and translation ---------------------------------------- */

/* First address of [pa, last] (inclusive) that is not RAM, or false if all is. */
static bool first_non_ram(phys_addr_t pa, phys_addr_t last, phys_addr_t *bad)
{
	const struct memblock_type *m = &memblock.memory;
	phys_addr_t cur = pa;

	/* regions are sorted and merged: one pass moves cur to the end of RAM around it */
	for (unsigned i = 0; i < m->cnt; i++) {
		const struct memblock_region *r = &m->r[i];

		if (cur >= r->base && cur - r->base < r->size) {
			if (r->size - (cur - r->base) > last - cur)
				return false; /* the rest of the range lies in this region */
			cur = r->base + r->size;
		}
	}
	*bad = cur;
	return true;
}

/*
 * Translate the bus range [bus, bus + len) (len > 0) to physical. Returns
 * true with *pa, or false with the first bus address the engine cannot
 * reach (beyond addr_bits, past the top of physical space, or not RAM).
 */
static bool bus_translate(const struct dma_hw *hw, u64 bus, u64 len, phys_addr_t *pa, u64 *bad)
{
	u64 off = hw->cfg.bus_offset, last = bus + len - 1;
	phys_addr_t plast, pbad;

	if (last < bus) { /* wraps past 2^64 */
		*bad = bus;
		return false;
	}
	if (hw->cfg.addr_bits < 64) {
		u64 limit = 1ULL << hw->cfg.addr_bits;

		if (bus >= limit || last >= limit) {
			*bad = bus >= limit ? bus : limit;
			return false;
		}
	}
	/* phys = bus + offset must not wrap either */
	if (off && last >= -off) {
		*bad = bus >= -off ? bus : -off;
		return false;
	}
	*pa = bus + off;
	plast = last + off;
	if (first_non_ram(*pa, plast, &pbad)) {
		*bad = pbad - off;
		return false;
	}
	return true;
}

/* ---- memory as the bus master sees it (the point of coherency) ------------ */

/* The kernel address of bus-reachable RAM byte pa and how many bytes from it
 * (at most len) one mapping covers: the linear map for lowmem, one page
 * through kmap_local_page for HighMem (bus_unmap it). */
static u8 *bus_map(phys_addr_t pa, size_t *len)
{
	phys_addr_t low_end = memblock_lowmem_end();

	if (pa < low_end) {
		*len = MIN(*len, (size_t)(low_end - pa));
		return phys_to_virt(pa);
	}
	*len = MIN(*len, (size_t)(PAGE_SIZE - (pa & (PAGE_SIZE - 1))));
	return (u8 *)kmap_local_page(pfn_to_page(phys_to_pfn(pa))) + (pa & (PAGE_SIZE - 1));
}

static void bus_unmap(phys_addr_t pa, u8 *va)
{
	if (pa >= memblock_lowmem_end())
		kunmap_local(va);
}

static void bus_read(phys_addr_t pa, void *dst, size_t len)
{
	for (size_t n; len; pa += n, dst = (u8 *)dst + n, len -= n) {
		u8 *va;

		n = len;
		va = bus_map(pa, &n);
		arch_dcache_clean_inval_range((vaddr_t)va, n);
		memcpy(dst, va, n);
		bus_unmap(pa, va);
	}
}

static void bus_write(phys_addr_t pa, const void *src, size_t len)
{
	for (size_t n; len; pa += n, src = (const u8 *)src + n, len -= n) {
		u8 *va;

		n = len;
		va = bus_map(pa, &n);
		memcpy(va, src, n);
		arch_dcache_clean_inval_range((vaddr_t)va, n);
		bus_unmap(pa, va);
	}
}

static void bus_write_desc(phys_addr_t pa, const struct dma_desc *d) { bus_write(pa, d, DESC_SIZE); }

/* memmove semantics: in chunks through a bounce buffer, from the end when
 * the destination overlaps the source from above. */
static void bus_copy(phys_addr_t dst, phys_addr_t src, size_t len)
{
	u8 bounce[128];
	bool backward = dst > src && dst - src < len;

	if (dst + len <= memblock_lowmem_end() && src + len <= memblock_lowmem_end()) {
		memmove(phys_to_virt(dst), phys_to_virt(src), len);
		arch_dcache_clean_inval_range((vaddr_t)phys_to_virt(dst), len);
		return;
	}
	while (len) {
		size_t n = MIN(len, sizeof(bounce));
		phys_addr_t off = backward ? len - n : 0;

		bus_read(src + off, bounce, n);
		bus_write(dst + off, bounce, n);
		if (!backward)
			src += n, dst += n;
		len -= n;
	}
}

/* ---- the device ---------------------------------------------------------------- */

/* Execute one descriptor (already fetched); fills status and err_addr. */
static void exec_desc(const struct dma_hw *hw, struct hw_chan *c, struct dma_desc *d)
{
	phys_addr_t spa, dpa;
	u64 bad;

	d->err_addr = 0;
	if (c->chain_failed) {
		d->status = DMA_ST_SKIPPED;
	} else if (!d->len || (d->flags & ~DESC_KNOWN_FLAGS)) {
		d->status = DMA_ST_BAD_DESC;
	} else if (!bus_translate(hw, d->src, d->len, &spa, &bad) || !bus_translate(hw, d->dst, d->len, &dpa, &bad)) {
		d->status = DMA_ST_BUS_ERROR;
		d->err_addr = bad;
	} else {
		bus_copy(dpa, spa, d->len);
		d->status = DMA_ST_DONE;
	}
	if (d->status != DMA_ST_DONE && d->status != DMA_ST_SKIPPED)
		c->irq_status |= DMA_IRQ_ERROR;
	if (d->flags & DMA_DESC_IRQ)
		c->irq_status |= DMA_IRQ_DONE;
	/* the chain ends here, or (on failure) the rest of it is skipped */
	c->chain_failed = (d->status != DMA_ST_DONE) && (d->flags & DMA_DESC_CHAIN);
}

/* Walk channel ch from TAIL to HEAD (IRQs masked). */
static void run_channel(struct dma_hw *hw, unsigned ch)
{
	struct hw_chan *c = &hw->ch[ch];

	while ((c->ctrl & (DMA_CTRL_ENABLE | DMA_CTRL_PAUSE)) == DMA_CTRL_ENABLE && !(c->status & DMA_STATUS_HALTED) &&
	       c->tail != c->head) {
		u64 slot_bus = c->ring_base + (u64)c->tail * DESC_SIZE, bad;
		phys_addr_t slot_pa;
		struct dma_desc d;

		if (!bus_translate(hw, slot_bus, DESC_SIZE, &slot_pa, &bad)) {
			c->status |= DMA_STATUS_HALTED;
			c->irq_status |= DMA_IRQ_HALT;
			break;
		}
		bus_read(slot_pa, &d, DESC_SIZE);
		exec_desc(hw, c, &d);
		bus_write_desc(slot_pa, &d);
		c->tail = (c->tail + 1) % c->ring_size;
	}
	if (c->tail == c->head)
		c->status &= ~DMA_STATUS_BUSY;
}

/* DMA_MODEL_SGI: play every engine whose doorbell rang (IRQs masked). */
static void model_sgi(unsigned intid, void *arg)
{
	(void)intid;
	(void)arg;
	for (unsigned i = 0; i < nr_hws; i++) {
		struct dma_hw *hw = &hws[i];
		u32 pending = hw->pending;
		bool raise = false;

		hw->pending = 0;
		for (unsigned ch = 0; ch < hw->cfg.channels; ch++) {
			u32 before = hw->ch[ch].irq_status;

			if (!(pending & BIT(ch)))
				continue;
			run_channel(hw, ch);
			raise |= (hw->ch[ch].irq_status & ~before) != 0;
		}
		if (raise)
			irq_raise(hw->cfg.irq);
	}
}

/* ---- registers ------------------------------------------------------------------- */

static u32 chan_read(const struct hw_chan *c, u32 r)
{
	switch (r) {
	case DMA_CH_CTRL: return c->ctrl;
	case DMA_CH_STATUS: return c->status;
	case DMA_CH_RING_BASE_LO: return (u32)c->ring_base_reg;
	case DMA_CH_RING_BASE_HI: return (u32)(c->ring_base_reg >> 32);
	case DMA_CH_RING_SIZE: return c->ring_size_reg;
	case DMA_CH_HEAD: return c->head;
	case DMA_CH_TAIL: return c->tail;
	case DMA_CH_IRQ_STATUS: return c->irq_status;
	default: return 0;
	}
}

static void chan_enable(struct hw_chan *c, bool on)
{
	if (!on) {
		c->ctrl = 0;
		c->status &= ~DMA_STATUS_BUSY;
		return;
	}
	c->ring_base = c->ring_base_reg;
	c->ring_size = c->ring_size_reg;
	c->head = c->tail = 0;
	c->status = 0;
	c->chain_failed = false;
	c->ctrl = DMA_CTRL_ENABLE;
	/* a ring the engine cannot use halts the channel at once */
	if (c->ring_size < 2 || c->ring_size > DMA_RING_MAX_SLOTS || !IS_ALIGNED(c->ring_base, DMA_RING_ALIGN))
		c->status = DMA_STATUS_HALTED;
}

/* The channel has work: let the SGI handler run it. */
static void kick(struct dma_hw *hw, unsigned ch)
{
	struct hw_chan *c = &hw->ch[ch];

	if (c->head == c->tail)
		return;
	c->status |= DMA_STATUS_BUSY;
	hw->pending |= BIT(ch);
	irq_raise(DMA_MODEL_SGI);
}

static void chan_write(struct dma_hw *hw, unsigned ch, u32 r, u32 v)
{
	struct hw_chan *c = &hw->ch[ch];
	bool enabled = c->ctrl & DMA_CTRL_ENABLE;

	switch (r) {
	case DMA_CH_CTRL:
		if ((v & DMA_CTRL_ENABLE) != enabled)
			chan_enable(c, v & DMA_CTRL_ENABLE);
		if (c->ctrl & DMA_CTRL_ENABLE) {
			bool resume = (c->ctrl & DMA_CTRL_PAUSE) && !(v & DMA_CTRL_PAUSE);

			c->ctrl = DMA_CTRL_ENABLE | (v & DMA_CTRL_PAUSE);
			if (resume)
				kick(hw, ch);
		}
		break;
	case DMA_CH_RING_BASE_LO:
		if (!enabled)
			c->ring_base_reg = (c->ring_base_reg & GENMASK(63, 32)) | v;
		break;
	case DMA_CH_RING_BASE_HI:
		if (!enabled)
			c->ring_base_reg = (c->ring_base_reg & GENMASK(31, 0)) | (u64)v << 32;
		break;
	case DMA_CH_RING_SIZE:
		if (!enabled)
			c->ring_size_reg = v;
		break;
	case DMA_CH_HEAD:
		if (!enabled || v >= c->ring_size || (c->status & DMA_STATUS_HALTED))
			break;
		c->head = v;
		kick(hw, ch);
		break;
	case DMA_CH_IRQ_STATUS:
		c->irq_status &= ~v;
		break;
	default:
		break;
	}
}

/* Any context: see dma_engine_regs.h. */
u32 dma_readl(struct dma_hw *hw, u32 reg)
{
	unsigned long flags = arch_irq_save();
	u32 v = 0;

	if (reg == DMA_REG_ID) {
		v = DMA_ID_MAGIC << 16 | hw->cfg.channels << 8 | hw->cfg.addr_bits;
	} else if (reg == DMA_REG_IRQ_SUMMARY) {
		for (unsigned ch = 0; ch < hw->cfg.channels; ch++)
			v |= hw->ch[ch].irq_status ? BIT(ch) : 0;
	} else if (reg >= DMA_CH_BASE(0) && reg < DMA_CH_BASE(hw->cfg.channels)) {
		v = chan_read(&hw->ch[(reg - DMA_CH_BASE(0)) / 0x40], (reg - DMA_CH_BASE(0)) % 0x40);
	}
	arch_irq_restore(flags);
	return v;
}

/* Any context: see dma_engine_regs.h. */
void dma_writel(struct dma_hw *hw, u32 reg, u32 val)
{
	unsigned long flags;

	arch_dma_wmb(); /* earlier stores (descriptors) reach memory first, as writel() */
	flags = arch_irq_save();
	if (reg >= DMA_CH_BASE(0) && reg < DMA_CH_BASE(hw->cfg.channels))
		chan_write(hw, (reg - DMA_CH_BASE(0)) / 0x40, (reg - DMA_CH_BASE(0)) % 0x40, val);
	arch_irq_restore(flags);
}

/* Any context: see dma_engine_regs.h. */
struct dma_hw *dma_hw_get(unsigned index) { return index < nr_hws ? &hws[index] : NULL; }

/* Boot, after irq_init: see dma_engine_regs.h. */
int dma_model_init(void)
{
	struct mm_board b;
	int rc;

	if (model_up)
		return (int)nr_hws;
	mm_board_from_config(&b);
	for (unsigned i = 0; i < b.nr_engines; i++) {
		if (b.engines[i].channels > DMA_MAX_CHANNELS) {
			printf("dma model: %s has %u channels, the model has at most %u\n", b.engines[i].name,
			       b.engines[i].channels, DMA_MAX_CHANNELS);
			return -EINVAL;
		}
	}
	rc = irq_request(DMA_MODEL_SGI, model_sgi, NULL);
	if (rc) {
		printf("dma model: cannot claim SGI %u for the engine model: %d\n", DMA_MODEL_SGI, rc);
		return rc;
	}
	for (unsigned i = 0; i < b.nr_engines; i++) {
		memset(&hws[i], 0, sizeof(hws[i]));
		hws[i].cfg = b.engines[i];
	}
	nr_hws = b.nr_engines;
	model_up = true;
	return (int)nr_hws;
}
