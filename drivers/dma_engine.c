/*
 * Driver for the simulated address-limited DMA engines (contract:
 * include/drivers/dma_engine.h; registers and the ring picture:
 * drivers/dma_engine_regs.h; the device itself: dma_engine_model.c;
 * design notes: docs/dma-engine.md).
 *
 * Terminology: engine, channel, bus address, slot, HEAD and TAIL as in
 * dma_engine_regs.h. A "transfer" is one chain: the descriptors of one
 * dma_engine_copy_sg()/submit_sg() call, all but the last with
 * DMA_DESC_CHAIN. "Reaping" is the driver reading back the descriptors
 * the engine has finished (reap .. TAIL) and accounting for them.
 *
 * Per channel, driver-side indices into the ring (RING_SIZE slots):
 *
 *     reap            TAIL (register)         head (== HEAD register)
 *      |  finished,    |   queued, engine       |  free (one slot is
 *      v  not reaped   v   not there yet        v  always kept free)
 *   ...[====done=====][=======queued=========][.......free.......]...
 *
 *   queued + not reaped = (head - reap) mod RING_SIZE <= RING_SIZE - 1
 *
 * The waiter of a synchronous transfer is recorded at the slot of the
 * transfer's last descriptor; reaping that slot fills in its result and
 * sets its done flag. Transfers without a waiter (submit_sg) fold their
 * result into the channel's "async" result, which dma_engine_drain()
 * returns and clears.
 *
 * Waiting: the caller masks IRQs, reaps, checks its flag and executes wfi
 * with IRQs still masked (a pending interrupt wakes wfi even when masked,
 * so an interrupt between the check and wfi is not lost), then unmasks:
 * the model's SGI and the engine's SPI are taken there. A deadline from
 * timer_now_ns() turns a dead engine into -ETIMEDOUT. Hence: callable
 * only with IRQs enabled, never from interrupt context.
 *
 * Locking: one spinlock per channel (IRQs masked) protects that
 * channel's ring, its indices, waiters, results and statistics, and
 * orders the writes of its HEAD register. The SPI handler takes the locks
 * of the channels it reaps, one at a time. Channel locks are leaves: no
 * other lock is taken under them (the register accessors mask IRQs only;
 * printing a bus error happens under the lock, IRQs masked, as any
 * interrupt-context printf). Engine-level data (registers, config) is
 * written once at init. _locked functions expect the channel lock held.
 */
#include <arch/irq.h>
#include <arch/irqflags.h>
#include <arch/cpu.h>
#include <arch/timer.h>
#include <drivers/dma_engine.h>
#include <lib/errno.h>
#include <lib/spinlock.h>
#include <mm/mm_init.h>
#include <mm/slab.h>
#include <stdio.h>
#include <string.h>

#include "dma_engine_regs.h"

#define RING_BYTES PAGE_SIZE
#define RING_SLOTS (RING_BYTES / sizeof(struct dma_desc)) /* one page: 102 slots */
#define WAIT_NS 1000000000ULL                             /* a transfer's deadline: 1 s */

_Static_assert(RING_SLOTS >= 2 && RING_SLOTS <= DMA_RING_MAX_SLOTS, "ring size the engine accepts");

/* A synchronous transfer's result, on the waiter's stack. */
struct dma_waiter {
	volatile bool done;
	int result;
	u64 err_addr;
	unsigned slot; /* of the transfer's last descriptor */
};

struct dma_chan {
	spinlock_t lock;
	struct dma_desc *ring;  /* CPU address of slot 0 */
	dma_addr_t ring_bus;    /* its bus address */
	unsigned head, reap;    /* see the picture above */
	struct dma_waiter *waiter[RING_SLOTS];
	/* the transfer being reaped, up to its last descriptor */
	int cur_result;
	u64 cur_err_addr, cur_bytes;
	/* transfers without a waiter, since the last drain */
	int async_result;
	u64 async_err_addr;
	struct dma_chan_stats stats;
};

struct dma_engine {
	struct device dev;
	struct mm_dma_engine cfg;
	struct dma_hw *hw;
	struct dma_chan *chan; /* cfg.channels of them */
};

static struct dma_engine engines[MM_MAX_DMA_ENGINES];
static unsigned nr_engines;
static bool init_done;
static int init_result;

#define ULL(x) ((unsigned long long)(x))

/* ---- reaping (SPI handler and waiters) --------------------------------------- */

/* Console report of a failed descriptor (the engine wrote nothing for it). */
static void report_failure_locked(const struct dma_engine *e, unsigned ch, const struct dma_desc *d, unsigned slot)
{
	if (d->status == DMA_ST_BAD_DESC) {
		printf("%s ch%u: bad descriptor in slot %u (len %u, flags %#x); descriptor stopped, nothing written\n",
		       e->cfg.name, ch, slot, d->len, d->flags);
	} else if (e->cfg.addr_bits < 64 && d->err_addr >> e->cfg.addr_bits) {
		printf("%s ch%u: bus error at bus address %#llx (beyond the engine's %u address bits); "
		       "descriptor stopped, nothing written\n",
		       e->cfg.name, ch, ULL(d->err_addr), e->cfg.addr_bits);
	} else {
		printf("%s ch%u: bus error at bus address %#llx (physical %#llx is not RAM); "
		       "descriptor stopped, nothing written\n",
		       e->cfg.name, ch, ULL(d->err_addr), ULL(dma_to_phys(&e->dev, d->err_addr)));
	}
}

/* End of a transfer: statistics, then its waiter or the async result. */
static void finish_transfer_locked(struct dma_chan *c, unsigned slot)
{
	struct dma_waiter *w = c->waiter[slot];

	c->stats.transfers++;
	c->stats.bytes += c->cur_bytes;
	if (c->cur_result)
		c->stats.errors++;
	if (w) {
		w->result = c->cur_result;
		w->err_addr = c->cur_err_addr;
		c->waiter[slot] = NULL;
		WRITE_ONCE(w->done, true);
	} else if (c->cur_result && !c->async_result) {
		c->async_result = c->cur_result;
		c->async_err_addr = c->cur_err_addr;
	}
	c->cur_result = 0;
	c->cur_err_addr = 0;
	c->cur_bytes = 0;
}

/* Account for every descriptor the engine has finished (reap .. TAIL). */
static void reap_locked(struct dma_engine *e, unsigned ch)
{
	struct dma_chan *c = &e->chan[ch];
	unsigned tail = dma_readl(e->hw, DMA_CH_REG(ch, DMA_CH_TAIL));

	while (c->reap != tail) {
		const struct dma_desc *d = &c->ring[c->reap];
		u32 status = READ_ONCE(d->status);

		if (status == DMA_ST_DONE) {
			c->cur_bytes += d->len;
		} else if (status != DMA_ST_SKIPPED && !c->cur_result) {
			c->cur_result = -EIO;
			c->cur_err_addr = status == DMA_ST_BUS_ERROR ? d->err_addr : 0;
			report_failure_locked(e, ch, d, c->reap);
		}
		if (!(d->flags & DMA_DESC_CHAIN))
			finish_transfer_locked(c, c->reap);
		c->reap = (c->reap + 1) % RING_SLOTS;
	}
}

/* The engine's SPI (IRQs masked): ack, reap, wake waiters (they poll done). */
static void dma_engine_isr(unsigned intid, void *arg)
{
	struct dma_engine *e = arg;
	u32 summary = dma_readl(e->hw, DMA_REG_IRQ_SUMMARY);

	(void)intid;
	for (unsigned ch = 0; ch < e->cfg.channels; ch++) {
		struct dma_chan *c = &e->chan[ch];
		unsigned long flags;
		u32 st;

		if (!(summary & BIT(ch)))
			continue;
		flags = spin_lock_irqsave(&c->lock);
		st = dma_readl(e->hw, DMA_CH_REG(ch, DMA_CH_IRQ_STATUS));
		dma_writel(e->hw, DMA_CH_REG(ch, DMA_CH_IRQ_STATUS), st);
		c->stats.interrupts++;
		reap_locked(e, ch);
		if (st & DMA_IRQ_HALT)
			printf("%s ch%u: ring at bus address %#llx unreachable; channel halted\n", e->cfg.name, ch,
			       ULL(c->ring_bus));
		spin_unlock_irqrestore(&c->lock, flags);
	}
}

/* ---- submission ------------------------------------------------------------------ */

static bool chan_ok(const struct dma_engine *e, unsigned ch) { return e && e->hw && ch < e->cfg.channels; }

/* Write the chain into the ring and ring the doorbell; -EINVAL/-EBUSY. */
static int submit(struct dma_engine *e, unsigned ch, const dma_addr_t *dst, const dma_addr_t *src, const u32 *len,
		  unsigned n, bool irq, struct dma_waiter *w)
{
	struct dma_chan *c;
	unsigned long flags;
	unsigned used, slot;

	if (!chan_ok(e, ch) || !dst || !src || !len || !n || n > RING_SLOTS - 1)
		return -EINVAL;
	for (unsigned i = 0; i < n; i++)
		if (!len[i])
			return -EINVAL;
	c = &e->chan[ch];
	flags = spin_lock_irqsave(&c->lock);
	reap_locked(e, ch); /* finished transfers nobody reaped yet (no interrupt asked) */
	used = (c->head + RING_SLOTS - c->reap) % RING_SLOTS;
	if (n > RING_SLOTS - 1 - used) {
		spin_unlock_irqrestore(&c->lock, flags);
		return -EBUSY;
	}
	for (unsigned i = 0; i < n; i++) {
		struct dma_desc *d = &c->ring[(c->head + i) % RING_SLOTS];
		bool last = i == n - 1;

		d->src = src[i];
		d->dst = dst[i];
		d->len = len[i];
		d->flags = (last ? 0 : DMA_DESC_CHAIN) | (last && irq ? DMA_DESC_IRQ : 0);
		d->status = DMA_ST_PENDING;
		d->_pad = 0;
		d->err_addr = 0;
	}
	slot = (c->head + n - 1) % RING_SLOTS;
	c->waiter[slot] = w;
	if (w)
		w->slot = slot;
	c->head = (c->head + n) % RING_SLOTS;
	dma_writel(e->hw, DMA_CH_REG(ch, DMA_CH_HEAD), c->head); /* the doorbell */
	spin_unlock_irqrestore(&c->lock, flags);
	return 0;
}

/*
 * Sleep until done(c, arg) holds or the deadline passes (see "Waiting"
 * above). Returns true if done. On time-out, gone(c, arg) runs under the
 * lock to forget the waiter.
 */
static bool wait_chan(struct dma_engine *e, unsigned ch, bool (*done)(struct dma_chan *, void *),
		      void (*gone)(struct dma_chan *, void *), void *arg)
{
	struct dma_chan *c = &e->chan[ch];
	u64 deadline = timer_now_ns() + WAIT_NS;

	BUG_ON(arch_irqs_disabled()); /* IRQs masked: the interrupt could never come */
	for (;;) {
		unsigned long daif = arch_irq_save(), flags;
		bool ok, late;

		flags = spin_lock_irqsave(&c->lock);
		reap_locked(e, ch);
		ok = done(c, arg);
		late = !ok && timer_now_ns() > deadline;
		if (late && gone)
			gone(c, arg);
		spin_unlock_irqrestore(&c->lock, flags);
		if (ok || late) {
			arch_irq_restore(daif);
			return ok;
		}
		arch_wait_for_interrupt(); /* IRQs masked: a pending interrupt still ends it */
		arch_irq_restore(daif);
	}
}

static bool waiter_done(struct dma_chan *c, void *arg)
{
	(void)c;
	return ((struct dma_waiter *)arg)->done;
}

static void waiter_gone(struct dma_chan *c, void *arg)
{
	struct dma_waiter *w = arg;

	c->waiter[w->slot] = NULL; /* a late completion counts as async */
}

static bool chan_idle(struct dma_chan *c, void *arg)
{
	(void)arg;
	return c->reap == c->head;
}

/* Process context, IRQs enabled: see include/drivers/dma_engine.h. */
int dma_engine_copy_sg(struct dma_engine *e, unsigned ch, const dma_addr_t *dst, const dma_addr_t *src,
		       const u32 *len, unsigned n, u64 *err_addr)
{
	struct dma_waiter w = { 0 };
	int rc = submit(e, ch, dst, src, len, n, true, &w);

	if (rc)
		return rc;
	if (!wait_chan(e, ch, waiter_done, waiter_gone, &w)) {
		printf("%s ch%u: transfer timed out (no completion within %llu ms)\n", e->cfg.name, ch,
		       ULL(WAIT_NS / 1000000));
		return -ETIMEDOUT;
	}
	if (w.result && err_addr)
		*err_addr = w.err_addr;
	return w.result;
}

/* Any context: see include/drivers/dma_engine.h. */
int dma_engine_submit_sg(struct dma_engine *e, unsigned ch, const dma_addr_t *dst, const dma_addr_t *src,
			 const u32 *len, unsigned n, bool irq)
{
	return submit(e, ch, dst, src, len, n, irq, NULL);
}

/* Process context, IRQs enabled: see include/drivers/dma_engine.h. */
int dma_engine_drain(struct dma_engine *e, unsigned ch, u64 *err_addr)
{
	struct dma_chan *c;
	unsigned long flags;
	int rc;

	if (!chan_ok(e, ch))
		return -EINVAL;
	if (!wait_chan(e, ch, chan_idle, NULL, NULL))
		return -ETIMEDOUT;
	c = &e->chan[ch];
	flags = spin_lock_irqsave(&c->lock);
	rc = c->async_result;
	if (rc && err_addr)
		*err_addr = c->async_err_addr;
	c->async_result = 0;
	c->async_err_addr = 0;
	spin_unlock_irqrestore(&c->lock, flags);
	return rc;
}

/* ---- set-up ------------------------------------------------------------------------- */

/* The ring of one channel: coherent memory the engine reaches. */
static int chan_setup(struct dma_engine *e, unsigned ch)
{
	struct dma_chan *c = &e->chan[ch];

	/* zeroed, below the engine's coherent mask, mapped non-cacheable */
	c->ring = dma_alloc_coherent(&e->dev, RING_BYTES, &c->ring_bus, GFP_KERNEL);
	if (!c->ring)
		return -ENOMEM;

	dma_writel(e->hw, DMA_CH_REG(ch, DMA_CH_CTRL), 0);
	dma_writel(e->hw, DMA_CH_REG(ch, DMA_CH_RING_BASE_LO), (u32)c->ring_bus);
	dma_writel(e->hw, DMA_CH_REG(ch, DMA_CH_RING_BASE_HI), (u32)(c->ring_bus >> 32));
	dma_writel(e->hw, DMA_CH_REG(ch, DMA_CH_RING_SIZE), RING_SLOTS);
	dma_writel(e->hw, DMA_CH_REG(ch, DMA_CH_CTRL), DMA_CTRL_ENABLE);
	if (dma_readl(e->hw, DMA_CH_REG(ch, DMA_CH_STATUS)) & DMA_STATUS_HALTED) {
		printf("%s ch%u: the engine refuses its ring at bus address %#llx\n", e->cfg.name, ch,
		       ULL(c->ring_bus));
		return -EIO;
	}
	return 0;
}

/* One engine: its device, registers checked against board.cfg, rings, SPI. */
static int engine_setup(struct dma_engine *e, const struct mm_dma_engine *cfg, unsigned index)
{
	u32 id;
	int rc;

	e->cfg = *cfg;
	e->dev = (struct device){
		.name = cfg->name,
		.dma_mask = DMA_BIT_MASK(cfg->addr_bits),
		.coherent_dma_mask = DMA_BIT_MASK(cfg->addr_bits),
		.bus_offset = cfg->bus_offset,
		.uses_cma = cfg->uses_cma,
		.coherent = false,
	};
	e->hw = dma_hw_get(index);
	id = e->hw ? dma_readl(e->hw, DMA_REG_ID) : 0;
	if (!DMA_ID_IS_VALID(id) || DMA_ID_ADDR_BITS(id) != cfg->addr_bits || DMA_ID_CHANNELS(id) != cfg->channels) {
		printf("dma: engine %u (%s): the hardware (id %#x) does not match board.cfg (%u bits, %u channels)\n",
		       index, cfg->name, id, cfg->addr_bits, cfg->channels);
		e->hw = NULL;
		return -ENODEV;
	}
	e->chan = kcalloc(cfg->channels, sizeof(*e->chan), GFP_KERNEL);
	if (!e->chan)
		return -ENOMEM;
	for (unsigned ch = 0; ch < cfg->channels; ch++) {
		rc = chan_setup(e, ch);
		if (rc)
			return rc;
	}
	rc = irq_request(cfg->irq, dma_engine_isr, e);
	if (rc)
		printf("dma: %s: cannot request its interrupt %u: %d\n", cfg->name, cfg->irq, rc);
	return rc;
}

/* One boot line: what the engine reaches and how it signals. */
static void engine_describe(const struct dma_engine *e)
{
	u64 lo = e->cfg.bus_offset, last = lo + DMA_BIT_MASK(e->cfg.addr_bits);

	if (last < lo) /* a 64-bit engine with a bus offset: clipped to what 64 bits hold */
		last = ~0ULL;
	printf("DMA: %s: %u-bit engine, bus offset 0x%llx, reaches [mem 0x%016llx-0x%016llx], %u channels x %u "
	       "descriptors, IRQ %u\n",
	       e->cfg.name, e->cfg.addr_bits, ULL(e->cfg.bus_offset), ULL(lo), ULL(last), e->cfg.channels,
	       (unsigned)(RING_SLOTS - 1), e->cfg.irq);
}

/* board.cfg's CONFIG_DMA<index>_IRQ against the GIC and the DTB's devices:
 * 0, or -EINVAL with the option, the reason and a line that would work printed. */
static int engine_check_irq(const struct mm_board *b, unsigned index)
{
	char why[160], unused[160];
	unsigned irq = b->engines[index].irq, ok;

	if (!irq_check_spi(irq, why, sizeof(why)))
		return 0;
	for (ok = IRQ_FIRST_SPI; ok < IRQ_MAX_INTID; ok++) {
		bool other = false;

		for (unsigned i = 0; i < b->nr_engines; i++)
			other |= i != index && b->engines[i].irq == ok;
		if (!other && !irq_check_spi(ok, unused, sizeof(unused)))
			break;
	}
	printf("dma: engine %u (%s): CONFIG_DMA%u_IRQ=%u cannot be used: %s;\n"
	       "dma: set CONFIG_DMA%u_IRQ to a free SPI, e.g. %u\n",
	       index, b->engines[index].name, index, irq, why, index, ok);
	return -EINVAL;
}

/* Boot, after irq_init/timer_init/kmem_cache_init: see include/drivers/dma_engine.h. */
int dma_engines_init(void)
{
	struct mm_board b;
	int rc;

	if (init_done)
		return init_result;
	init_done = true;
	rc = dma_model_init();
	if (rc < 0)
		return init_result = rc;
	mm_board_from_config(&b);
	for (unsigned i = 0; i < b.nr_engines; i++) {
		rc = engine_check_irq(&b, i);
		if (!rc)
			rc = engine_setup(&engines[i], &b.engines[i], i);
		if (rc) {
			engines[i].hw = NULL; /* unusable: every call on it returns -EINVAL */
			return init_result = rc;
		}
		nr_engines = i + 1;
		engine_describe(&engines[i]);
	}
	return init_result = (int)nr_engines;
}

/* ---- queries and the report ------------------------------------------------------ */

unsigned dma_engine_count(void) { return nr_engines; }
struct dma_engine *dma_engine_get(unsigned index) { return index < nr_engines ? &engines[index] : NULL; }
const char *dma_engine_name(const struct dma_engine *e) { return e->cfg.name; }
unsigned dma_engine_addr_bits(const struct dma_engine *e) { return e->cfg.addr_bits; }
unsigned dma_engine_channels(const struct dma_engine *e) { return e->cfg.channels; }
struct device *dma_engine_device(struct dma_engine *e) { return &e->dev; }
unsigned dma_engine_ring_capacity(const struct dma_engine *e) { return e ? RING_SLOTS - 1 : 0; }

struct dma_engine *dma_engine_by_name(const char *name)
{
	for (unsigned i = 0; i < nr_engines; i++)
		if (name && !strcmp(engines[i].cfg.name, name))
			return &engines[i];
	return NULL;
}

/* Any context (channel lock): see include/drivers/dma_engine.h. */
void dma_engine_chan_stats(const struct dma_engine *e, unsigned ch, struct dma_chan_stats *out)
{
	unsigned long flags;
	struct dma_chan *c;

	memset(out, 0, sizeof(*out));
	if (!chan_ok(e, ch))
		return;
	c = &e->chan[ch];
	flags = spin_lock_irqsave(&c->lock);
	*out = c->stats;
	spin_unlock_irqrestore(&c->lock, flags);
}

/* Any context: one line per channel, copied under its lock, printed after. */
void dma_engines_report(void *file)
{
	FILE *f = file ? file : stdout;

	fprintf(f, "%-8s %4s %12s %4s %3s %10s %14s %7s %10s %6s\n", "engine", "bits", "bus_offset", "irq", "ch",
		"transfers", "bytes", "errors", "interrupts", "queued");
	for (unsigned i = 0; i < nr_engines; i++) {
		struct dma_engine *e = &engines[i];

		for (unsigned ch = 0; ch < e->cfg.channels; ch++) {
			struct dma_chan *c = &e->chan[ch];
			struct dma_chan_stats s;
			unsigned long flags = spin_lock_irqsave(&c->lock);
			unsigned queued = (c->head + RING_SLOTS - c->reap) % RING_SLOTS;

			s = c->stats;
			spin_unlock_irqrestore(&c->lock, flags);
			fprintf(f, "%-8s %4u 0x%010llx %4u %3u %10llu %14llu %7llu %10llu %6u\n", e->cfg.name,
				e->cfg.addr_bits, ULL(e->cfg.bus_offset), e->cfg.irq, ch, ULL(s.transfers),
				ULL(s.bytes), ULL(s.errors), ULL(s.interrupts), queued);
		}
	}
}
