/*
 * On-target tests of the simulated DMA engines (include/drivers/dma_engine.h,
 * docs/dma-engine.md), suite "dma_engine", on every engine and channel of
 * the board:
 *  - copies between buffers in every zone an engine reaches are byte-exact
 *    (random data, odd lengths, unaligned offsets); a buffer it cannot reach
 *    gets -EIO with the first unreachable bus address, and the destination
 *    is untouched;
 *  - the out-of-range canary: a destination just beyond 2^addr_bits whose
 *    low bits alias a canary page is refused, the canary stays intact;
 *  - addresses that are not RAM are bus errors too;
 *  - scatter-gather chains land where they should; an error in the middle
 *    segment stops the chain (the first segment landed, the last did not);
 *  - one completion interrupt per transfer asked for (irq_count), none
 *    for transfers that did not ask, always one for an error; the
 *    statistics match what the test did;
 *  - channels are independent; bad arguments are -EINVAL; a full ring is
 *    -EBUSY (queued with IRQs masked, so the engine cannot drain it);
 *  - a stalled engine (CTRL.PAUSE through the register interface) gives
 *    -ETIMEDOUT after the deadline, not a hang, and the late completion is
 *    still accounted for (this case costs one second).
 *
 * Terminology: bus address = phys - bus_offset (the engine's view);
 * "reach" = bus addresses below 2^addr_bits. Buffers come from
 * alloc_pages in a given zone (ZONE_NORMAL only exists with RAM above
 * 4 GiB: its cases are skipped otherwise) and are addressed raw with
 * phys_to_dma(), not through the DMA API, so that unreachable addresses
 * really reach the engine. The engine reports each refused descriptor on
 * the console; those lines are expected in the log.
 */
#include <arch/irq.h>
#include <arch/mmu.h>
#include <arch/irqflags.h>
#include <arch/timer.h>
#include <drivers/dma_engine.h>
#include <kernel/ktest.h>
#include <lib/errno.h>
#include <lib/random.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../drivers/dma_engine_regs.h" /* CTRL.PAUSE, to stall an engine */

#define BUF_ORDER 2 /* 16 KiB buffers */
#define BUF_SIZE (PAGE_SIZE << BUF_ORDER)
#define FILL 0x5a   /* what destinations hold before a copy */
#define MAX_SEGS 128

static int init_rc;

struct buf {
	struct page *pg;
	u8 *va;
	phys_addr_t pa;
};

static const char *const zone_label[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "HighMem" };

/* A BUF_SIZE buffer in exactly zone z (false if the zone cannot give one);
 * a HighMem one is reached through vmap (it has no linear address). */
static bool buf_alloc(struct buf *b, int z)
{
	static const gfp_t gfp[MAX_NR_ZONES] = { GFP_KERNEL | __GFP_DMA, GFP_KERNEL | __GFP_DMA32, GFP_KERNEL,
						 GFP_KERNEL | __GFP_HIGHMEM };
	struct page *pages[1u << BUF_ORDER];

	b->pg = zone_populated(&zones[z]) ? alloc_pages(gfp[z] | __GFP_NOWARN, BUF_ORDER) : NULL;
	if (b->pg && b->pg->zone != z) {
		free_pages(b->pg, BUF_ORDER);
		b->pg = NULL;
	}
	if (!b->pg)
		return false;
	b->pa = page_to_phys(b->pg);
	if (z != ZONE_HIGHMEM) {
		b->va = page_address(b->pg);
		return true;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(pages); i++)
		pages[i] = b->pg + i;
	b->va = vmap(pages, ARRAY_SIZE(pages), MMU_KERNEL_RW);
	if (!b->va) {
		free_pages(b->pg, BUF_ORDER);
		b->pg = NULL;
	}
	return b->va != NULL;
}

static void buf_free(struct buf *b)
{
	if (b->pg && b->pg->zone == ZONE_HIGHMEM)
		vunmap(b->va);
	if (b->pg)
		free_pages(b->pg, BUF_ORDER);
	b->pg = NULL;
}

static void fill_random(u8 *p, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		u64 r = random_u64();

		memcpy(p + i, &r, MIN((size_t)8, n - i));
	}
}

/* Whether p[from, to) all hold byte v. */
static bool all_bytes(const u8 *p, size_t from, size_t to, u8 v)
{
	for (size_t i = from; i < to; i++)
		if (p[i] != v)
			return false;
	return true;
}

static dma_addr_t bus_of(struct dma_engine *e, phys_addr_t pa) { return phys_to_dma(dma_engine_device(e), pa); }

/* The highest bus address the engine can drive. */
static u64 bus_mask(struct dma_engine *e) { return DMA_BIT_MASK(dma_engine_addr_bits(e)); }

/* The first bus address of [bus, bus + len) beyond the engine's width, or 0 if none. */
static u64 first_beyond(struct dma_engine *e, u64 bus, u64 len)
{
	u64 mask = bus_mask(e);

	if (bus > mask)
		return bus;
	return len - 1 > mask - bus ? mask + 1 : 0;
}

static bool reaches(struct dma_engine *e, phys_addr_t pa, u64 len)
{
	return pa >= dma_engine_device(e)->bus_offset && !first_beyond(e, bus_of(e, pa), len);
}

static void ram_span(phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_type *m = &memblock.memory;

	*start = m->r[0].base;
	*end = m->r[m->cnt - 1].base + m->r[m->cnt - 1].size;
}

/* The engine's completion SPI, from board.cfg. */
static unsigned engine_irq(const struct dma_engine *e)
{
	struct mm_board b;

	mm_board_from_config(&b);
	for (unsigned i = 0; i < b.nr_engines; i++)
		if (dma_engine_get(i) == e)
			return b.engines[i].irq;
	return 0;
}

static struct dma_chan_stats stats_of(struct dma_engine *e, unsigned ch)
{
	struct dma_chan_stats s;

	dma_engine_chan_stats(e, ch, &s);
	return s;
}

static int suite_init(void)
{
	init_rc = dma_engines_init(); /* idempotent: a no-op once kernel/main.c calls it */
	return 0;                     /* failures are reported by the first case, not skipped */
}

/* ------------------------------------------------------------------ cases */

static void engines_match_board_cfg(struct ktest *t)
{
	struct mm_board b;

	mm_board_from_config(&b);
	KT_ASSERT_EQ(t, init_rc, b.nr_engines);
	KT_EXPECT_EQ(t, dma_engines_init(), b.nr_engines); /* idempotent */
	KT_ASSERT_EQ(t, dma_engine_count(), b.nr_engines);
	for (unsigned i = 0; i < b.nr_engines; i++) {
		struct dma_engine *e = dma_engine_get(i);
		struct device *d = dma_engine_device(e);

		KT_EXPECT(t, !strcmp(dma_engine_name(e), b.engines[i].name));
		KT_EXPECT(t, dma_engine_by_name(b.engines[i].name) == e);
		KT_EXPECT_EQ(t, dma_engine_addr_bits(e), b.engines[i].addr_bits);
		KT_EXPECT_EQ(t, dma_engine_channels(e), b.engines[i].channels);
		KT_EXPECT_EQ(t, d->dma_mask, DMA_BIT_MASK(b.engines[i].addr_bits));
		KT_EXPECT_EQ(t, d->coherent_dma_mask, DMA_BIT_MASK(b.engines[i].addr_bits));
		KT_EXPECT_EQ(t, d->bus_offset, b.engines[i].bus_offset);
		KT_EXPECT_EQ(t, d->uses_cma, b.engines[i].uses_cma);
		KT_EXPECT(t, dma_engine_ring_capacity(e) >= 16);
	}
	KT_EXPECT(t, dma_engine_get(b.nr_engines) == NULL);
	KT_EXPECT(t, dma_engine_by_name("no-such-engine") == NULL);
}

struct copy_case {
	u32 len, soff, doff;
};

static const struct copy_case copy_cases[] = {
	{ 1, 0, 0 },        { 7, 1, 3 },      { 8, 8, 0 },       { 13, 5, 4091 },
	{ 4095, 3, 1 },     { 4096, 0, 4096 }, { 5003, 4093, 7 }, { 12289, 17, 3 },
};

/* One copy src+soff -> dst+doff of len on e/ch; checks the outcome either way. */
static void check_copy(struct ktest *t, struct dma_engine *e, unsigned ch, struct buf *src, struct buf *dst,
		       const struct copy_case *c)
{
	dma_addr_t sbus = bus_of(e, src->pa) + c->soff, dbus = bus_of(e, dst->pa) + c->doff;
	bool ok = reaches(e, src->pa + c->soff, c->len) && reaches(e, dst->pa + c->doff, c->len);
	u64 err = 0;
	int rc;

	fill_random(src->va, BUF_SIZE);
	memset(dst->va, FILL, BUF_SIZE);
	rc = dma_engine_copy(e, ch, dbus, sbus, c->len, &err);
	if (ok) {
		if (!KT_EXPECT_EQ(t, rc, 0) ||
		    !KT_EXPECT(t, !memcmp(dst->va + c->doff, src->va + c->soff, c->len)) ||
		    !KT_EXPECT(t, all_bytes(dst->va, 0, c->doff, FILL)) ||
		    !KT_EXPECT(t, all_bytes(dst->va, c->doff + c->len, BUF_SIZE, FILL)))
			printf("    # %s ch%u: len %u src %#llx dst %#llx\n", dma_engine_name(e), ch, c->len,
			       (unsigned long long)sbus, (unsigned long long)dbus);
		return;
	}
	/* the source is checked first; the error names the first bad byte */
	KT_EXPECT_EQ(t, rc, -EIO);
	KT_EXPECT_EQ(t, err, first_beyond(e, sbus, c->len) ?: first_beyond(e, dbus, c->len));
	KT_EXPECT(t, all_bytes(dst->va, 0, BUF_SIZE, FILL));
}

static void copies_exact_in_every_reachable_zone(struct ktest *t)
{
	unsigned pairs = 0, refused = 0;

	for (unsigned i = 0; i < dma_engine_count(); i++) {
		struct dma_engine *e = dma_engine_get(i);

		for (int zs = 0; zs < MAX_NR_ZONES; zs++) {
			for (int zd = 0; zd < MAX_NR_ZONES; zd++) {
				struct buf src = { 0 }, dst = { 0 };

				if (buf_alloc(&src, zs) && buf_alloc(&dst, zd)) {
					bool ok = reaches(e, src.pa, BUF_SIZE) && reaches(e, dst.pa, BUF_SIZE);

					for (unsigned ch = 0; ch < dma_engine_channels(e); ch++) {
						/* an unreachable pair: one case per channel is enough */
						for (unsigned k = 0; k < (ok ? ARRAY_SIZE(copy_cases) : 1); k++)
							check_copy(t, e, ch, &src, &dst, &copy_cases[ok ? k : 5]);
					}
					pairs++;
					refused += !ok;
					printf("    # %s: %s -> %s %s\n", dma_engine_name(e), zone_label[zs], zone_label[zd],
					       ok ? "byte-exact" : "refused (-EIO), destination untouched");
				}
				buf_free(&src);
				buf_free(&dst);
			}
		}
	}
	KT_EXPECT(t, pairs >= 4);
	/* ZONE_DMA is the narrowest engine's reach: it cannot reach the zones above */
	if (zone_populated(&zones[ZONE_DMA32]) || zone_populated(&zones[ZONE_NORMAL]))
		KT_EXPECT(t, refused >= 1);
}

/* A source straddling 2^addr_bits: err_addr is the limit itself, nothing is written. */
static void straddling_the_limit_is_refused(struct ktest *t)
{
	struct buf dst = { 0 };

	KT_ASSERT(t, buf_alloc(&dst, ZONE_DMA));
	for (unsigned i = 0; i < dma_engine_count(); i++) {
		struct dma_engine *e = dma_engine_get(i);
		u64 limit = bus_mask(e) + 1, err = 0;

		if (dma_engine_addr_bits(e) >= 64)
			continue;
		memset(dst.va, FILL, BUF_SIZE);
		KT_EXPECT_EQ(t, dma_engine_copy(e, 0, bus_of(e, dst.pa), limit - 16, 64, &err), -EIO);
		KT_EXPECT_EQ(t, err, limit);
		KT_EXPECT(t, all_bytes(dst.va, 0, BUF_SIZE, FILL));
	}
	buf_free(&dst);
}

/*
 * The canary: a destination bus address just beyond 2^addr_bits whose low
 * addr_bits are a canary page's. Hardware that dropped the high bits would
 * write the canary; the engine must refuse before writing anything.
 */
static void out_of_range_canary_survives(struct ktest *t)
{
	struct buf canary = { 0 }, src = { 0 };
	u8 *saved = malloc(BUF_SIZE);
	unsigned tested = 0;

	KT_ASSERT(t, saved != NULL);
	KT_ASSERT(t, buf_alloc(&canary, ZONE_DMA) && buf_alloc(&src, ZONE_DMA));
	for (unsigned i = 0; i < dma_engine_count(); i++) {
		struct dma_engine *e = dma_engine_get(i);
		unsigned bits = dma_engine_addr_bits(e);

		if (bits >= 64 || !reaches(e, canary.pa, BUF_SIZE))
			continue;
		for (unsigned ch = 0; ch < dma_engine_channels(e); ch++) {
			u64 alias = bus_of(e, canary.pa) + (1ULL << bits), err = 0;
			struct dma_chan_stats s0 = stats_of(e, ch), s1;

			KT_EXPECT_EQ(t, alias & bus_mask(e), bus_of(e, canary.pa));
			fill_random(canary.va, BUF_SIZE);
			memcpy(saved, canary.va, BUF_SIZE);
			fill_random(src.va, BUF_SIZE);
			KT_EXPECT_EQ(t, dma_engine_copy(e, ch, alias, bus_of(e, src.pa), BUF_SIZE, &err), -EIO);
			KT_EXPECT_EQ(t, err, alias);
			KT_EXPECT(t, !memcmp(canary.va, saved, BUF_SIZE));
			s1 = stats_of(e, ch);
			KT_EXPECT_EQ(t, s1.errors - s0.errors, 1);
			KT_EXPECT_EQ(t, s1.bytes - s0.bytes, 0);
			tested++;
		}
	}
	buf_free(&canary);
	buf_free(&src);
	free(saved);
	if (!tested)
		ktest_skip(t, "every engine is 64-bit: no address beyond one");
}

/* Bus addresses inside the width whose physical address is not RAM. */
static void not_ram_is_a_bus_error(struct ktest *t)
{
	struct buf dst = { 0 };
	phys_addr_t ram_start, ram_end;
	unsigned tested = 0;

	ram_span(&ram_start, &ram_end);
	KT_ASSERT(t, buf_alloc(&dst, ZONE_DMA));
	for (unsigned i = 0; i < dma_engine_count(); i++) {
		struct dma_engine *e = dma_engine_get(i);
		u64 off = dma_engine_device(e)->bus_offset, mask = bus_mask(e), err = 0;
		dma_addr_t d = bus_of(e, dst.pa);

		memset(dst.va, FILL, BUF_SIZE);
		if (ram_start - off >= 64 && ram_start - off - 1 <= mask && ram_start >= off) {
			u64 below = ram_start - off - 16; /* 16 bytes before RAM, 48 in it */

			KT_EXPECT_EQ(t, dma_engine_copy(e, 0, d, below, 64, &err), -EIO);
			KT_EXPECT_EQ(t, err, below);
			tested++;
		}
		if (ram_end - off + 48 <= mask) {
			u64 end = ram_end - off; /* 16 bytes of RAM, then none */

			KT_EXPECT_EQ(t, dma_engine_copy(e, 0, d, end - 16, 64, &err), -EIO);
			KT_EXPECT_EQ(t, err, end);
			KT_EXPECT_EQ(t, dma_engine_copy(e, 0, end + 4096, d, 64, &err), -EIO);
			KT_EXPECT_EQ(t, err, end + 4096);
			tested++;
		}
		KT_EXPECT(t, all_bytes(dst.va, 0, BUF_SIZE, FILL));
	}
	buf_free(&dst);
	if (!tested)
		ktest_skip(t, "no engine reaches an address around RAM");
}

struct seg {
	u32 soff, doff, len;
};

/* Five segments: across page boundaries, one byte, 4097 bytes; gaps between them. */
static const struct seg segs[] = {
	{ 0, 100, 10 }, { 4000, 3000, 200 }, { 9000, 0, 1 }, { 50, 8000, 4097 }, { 12000, 14000, 333 },
};

static void sg_chain_lands_where_it_should(struct ktest *t)
{
	struct buf src = { 0 }, dst = { 0 };
	u8 *want = malloc(BUF_SIZE);

	KT_ASSERT(t, want != NULL);
	KT_ASSERT(t, buf_alloc(&src, ZONE_DMA) && buf_alloc(&dst, ZONE_DMA));
	for (unsigned i = 0; i < dma_engine_count(); i++) {
		struct dma_engine *e = dma_engine_get(i);

		for (unsigned ch = 0; ch < dma_engine_channels(e); ch++) {
			dma_addr_t sa[ARRAY_SIZE(segs)], da[ARRAY_SIZE(segs)];
			u32 len[ARRAY_SIZE(segs)];
			struct dma_chan_stats s0 = stats_of(e, ch), s1;
			u64 bytes = 0, irqs = irq_count(engine_irq(e));

			fill_random(src.va, BUF_SIZE);
			memset(dst.va, FILL, BUF_SIZE);
			memset(want, FILL, BUF_SIZE);
			for (unsigned k = 0; k < ARRAY_SIZE(segs); k++) {
				sa[k] = bus_of(e, src.pa) + segs[k].soff;
				da[k] = bus_of(e, dst.pa) + segs[k].doff;
				len[k] = segs[k].len;
				memcpy(want + segs[k].doff, src.va + segs[k].soff, segs[k].len);
				bytes += segs[k].len;
			}
			KT_EXPECT_EQ(t, dma_engine_copy_sg(e, ch, da, sa, len, ARRAY_SIZE(segs), NULL), 0);
			KT_EXPECT(t, !memcmp(dst.va, want, BUF_SIZE));
			s1 = stats_of(e, ch);
			KT_EXPECT_EQ(t, s1.transfers - s0.transfers, 1); /* one chain, one transfer */
			KT_EXPECT_EQ(t, s1.bytes - s0.bytes, bytes);
			KT_EXPECT_EQ(t, s1.errors - s0.errors, 0);
			KT_EXPECT_EQ(t, irq_count(engine_irq(e)) - irqs, 1);
		}
	}
	buf_free(&src);
	buf_free(&dst);
	free(want);
}

static void error_mid_chain_stops_it(struct ktest *t)
{
	struct buf src = { 0 }, dst = { 0 };

	KT_ASSERT(t, buf_alloc(&src, ZONE_DMA) && buf_alloc(&dst, ZONE_DMA));
	for (unsigned i = 0; i < dma_engine_count(); i++) {
		struct dma_engine *e = dma_engine_get(i);
		unsigned bits = dma_engine_addr_bits(e);

		if (bits >= 64)
			continue;
		for (unsigned ch = 0; ch < dma_engine_channels(e); ch++) {
			dma_addr_t s = bus_of(e, src.pa), d = bus_of(e, dst.pa);
			/* segment 2 aims just beyond the width, aliasing dst + 4096 */
			dma_addr_t sa[3] = { s, s + 4096, s + 8192 };
			dma_addr_t da[3] = { d, d + 4096 + (1ULL << bits), d + 8192 };
			u32 len[3] = { 1000, 1000, 1000 };
			struct dma_chan_stats s0 = stats_of(e, ch), s1;
			u64 err = 0, irqs = irq_count(engine_irq(e));

			fill_random(src.va, BUF_SIZE);
			memset(dst.va, FILL, BUF_SIZE);
			KT_EXPECT_EQ(t, dma_engine_copy_sg(e, ch, da, sa, len, 3, &err), -EIO);
			KT_EXPECT_EQ(t, err, da[1]);
			KT_EXPECT(t, !memcmp(dst.va, src.va, 1000));          /* segment 1 ran */
			KT_EXPECT(t, all_bytes(dst.va, 1000, BUF_SIZE, FILL)); /* 2 refused, 3 skipped */
			s1 = stats_of(e, ch);
			KT_EXPECT_EQ(t, s1.transfers - s0.transfers, 1);
			KT_EXPECT_EQ(t, s1.errors - s0.errors, 1);
			KT_EXPECT_EQ(t, s1.bytes - s0.bytes, 1000);
			KT_EXPECT_EQ(t, irq_count(engine_irq(e)) - irqs, 1);
			/* the channel goes on with the next transfer */
			KT_EXPECT_EQ(t, dma_engine_copy(e, ch, d + 8192, s + 8192, 1000, NULL), 0);
			KT_EXPECT(t, !memcmp(dst.va + 8192, src.va + 8192, 1000));
		}
	}
	buf_free(&src);
	buf_free(&dst);
}

/*
 * Interrupts: each synchronous transfer asks for one and gets exactly one;
 * transfers queued without DMA_DESC_IRQ get none; an error interrupts
 * anyway. Statistics follow every step.
 */
static void interrupts_and_stats_match(struct ktest *t)
{
	struct buf src = { 0 }, dst = { 0 };

	KT_ASSERT(t, buf_alloc(&src, ZONE_DMA) && buf_alloc(&dst, ZONE_DMA));
	fill_random(src.va, BUF_SIZE);
	for (unsigned i = 0; i < dma_engine_count(); i++) {
		struct dma_engine *e = dma_engine_get(i);
		unsigned irq = engine_irq(e);
		bool narrow = dma_engine_addr_bits(e) < 64;

		for (unsigned ch = 0; ch < dma_engine_channels(e); ch++) {
			dma_addr_t s = bus_of(e, src.pa), d = bus_of(e, dst.pa);
			dma_addr_t beyond = narrow ? bus_mask(e) + 1 : 0;
			struct dma_chan_stats s0 = stats_of(e, ch), s1;
			u64 irq0 = irq_count(irq), bytes = 0, err = 0;
			unsigned sync = 0, errors = 0;

			for (u32 len = 100; len <= 300; len += 100, sync++) {
				KT_EXPECT_EQ(t, dma_engine_copy(e, ch, d + len * 10, s, len, NULL), 0);
				bytes += len;
			}
			if (narrow) {
				KT_EXPECT_EQ(t, dma_engine_copy(e, ch, beyond, s, 64, NULL), -EIO);
				sync++, errors++;
			}
			KT_EXPECT_EQ(t, irq_count(irq) - irq0, sync);
			s1 = stats_of(e, ch);
			KT_EXPECT_EQ(t, s1.transfers - s0.transfers, sync);
			KT_EXPECT_EQ(t, s1.errors - s0.errors, errors);
			KT_EXPECT_EQ(t, s1.bytes - s0.bytes, bytes);
			KT_EXPECT_EQ(t, s1.interrupts - s0.interrupts, sync);

			/* three queued without an interrupt: none comes */
			irq0 = irq_count(irq);
			for (u32 k = 0; k < 3; k++) {
				u32 len = 512;
				dma_addr_t dk = d + 4096 + k * 512, sk = s + k * 512;

				KT_EXPECT_EQ(t, dma_engine_submit_sg(e, ch, &dk, &sk, &len, 1, false), 0);
			}
			KT_EXPECT_EQ(t, dma_engine_drain(e, ch, &err), 0);
			KT_EXPECT_EQ(t, irq_count(irq) - irq0, 0);
			KT_EXPECT(t, !memcmp(dst.va + 4096, src.va, 1536));
			s0 = s1;
			s1 = stats_of(e, ch);
			KT_EXPECT_EQ(t, s1.transfers - s0.transfers, 3);
			KT_EXPECT_EQ(t, s1.bytes - s0.bytes, 1536);
			KT_EXPECT_EQ(t, s1.interrupts - s0.interrupts, 0);

			/* an error without DMA_DESC_IRQ still interrupts, and drain reports it */
			if (narrow) {
				u32 len = 64;

				irq0 = irq_count(irq);
				KT_EXPECT_EQ(t, dma_engine_submit_sg(e, ch, &beyond, &s, &len, 1, false), 0);
				KT_EXPECT_EQ(t, dma_engine_drain(e, ch, &err), -EIO);
				KT_EXPECT_EQ(t, err, beyond);
				KT_EXPECT_EQ(t, irq_count(irq) - irq0, 1);
				KT_EXPECT_EQ(t, dma_engine_drain(e, ch, &err), 0); /* the error was reported once */
			}
		}
	}
	buf_free(&src);
	buf_free(&dst);
}

/* Every channel queued at once (IRQs masked); one fails, the others do not notice. */
static void channels_are_independent(struct ktest *t)
{
	struct buf src = { 0 }, dst = { 0 };

	KT_ASSERT(t, buf_alloc(&src, ZONE_DMA) && buf_alloc(&dst, ZONE_DMA));
	for (unsigned i = 0; i < dma_engine_count(); i++) {
		struct dma_engine *e = dma_engine_get(i);
		unsigned nch = dma_engine_channels(e), bad = nch - 1;
		u32 len = (u32)(BUF_SIZE / nch);
		dma_addr_t s = bus_of(e, src.pa), d = bus_of(e, dst.pa);
		bool narrow = dma_engine_addr_bits(e) < 64;
		unsigned long daif;

		fill_random(src.va, BUF_SIZE);
		memset(dst.va, FILL, BUF_SIZE);
		daif = arch_irq_save();
		for (unsigned ch = 0; ch < nch; ch++) {
			dma_addr_t dc = d + ch * len, sc = s + ch * len;

			if (narrow && ch == bad && nch > 1)
				dc = bus_mask(e) + 1;
			KT_EXPECT_EQ(t, dma_engine_submit_sg(e, ch, &dc, &sc, &len, 1, true), 0);
		}
		arch_irq_restore(daif);
		for (unsigned ch = 0; ch < nch; ch++) {
			u64 err = 0;
			bool fails = narrow && ch == bad && nch > 1;

			KT_EXPECT_EQ(t, dma_engine_drain(e, ch, &err), fails ? -EIO : 0);
			if (fails)
				KT_EXPECT(t, all_bytes(dst.va, ch * len, (ch + 1) * len, FILL));
			else
				KT_EXPECT(t, !memcmp(dst.va + ch * len, src.va + ch * len, len));
		}
	}
	buf_free(&src);
	buf_free(&dst);
}

static void bad_arguments_are_einval(struct ktest *t)
{
	static dma_addr_t sa[MAX_SEGS], da[MAX_SEGS];
	static u32 len[MAX_SEGS];
	struct buf b = { 0 };

	KT_ASSERT(t, buf_alloc(&b, ZONE_DMA));
	for (unsigned i = 0; i < dma_engine_count(); i++) {
		struct dma_engine *e = dma_engine_get(i);
		unsigned nch = dma_engine_channels(e), cap = dma_engine_ring_capacity(e);
		struct dma_chan_stats s0 = stats_of(e, 0), s1;
		u64 irq0 = irq_count(engine_irq(e));

		KT_ASSERT(t, cap + 1 <= MAX_SEGS);
		for (unsigned k = 0; k < MAX_SEGS; k++) {
			sa[k] = bus_of(e, b.pa) + k;
			da[k] = bus_of(e, b.pa) + 8192 + k;
			len[k] = 1;
		}
		KT_EXPECT_EQ(t, dma_engine_copy(e, nch, da[0], sa[0], 1, NULL), -EINVAL);
		KT_EXPECT_EQ(t, dma_engine_copy(e, ~0u, da[0], sa[0], 1, NULL), -EINVAL);
		KT_EXPECT_EQ(t, dma_engine_copy(e, 0, da[0], sa[0], 0, NULL), -EINVAL);
		KT_EXPECT_EQ(t, dma_engine_copy(NULL, 0, da[0], sa[0], 1, NULL), -EINVAL);
		KT_EXPECT_EQ(t, dma_engine_copy_sg(e, 0, da, sa, len, 0, NULL), -EINVAL);
		KT_EXPECT_EQ(t, dma_engine_copy_sg(e, 0, NULL, sa, len, 1, NULL), -EINVAL);
		KT_EXPECT_EQ(t, dma_engine_copy_sg(e, 0, da, NULL, len, 1, NULL), -EINVAL);
		KT_EXPECT_EQ(t, dma_engine_copy_sg(e, 0, da, sa, NULL, 1, NULL), -EINVAL);
		KT_EXPECT_EQ(t, dma_engine_copy_sg(e, 0, da, sa, len, cap + 1, NULL), -EINVAL); /* never fits */
		len[2] = 0;
		KT_EXPECT_EQ(t, dma_engine_copy_sg(e, 0, da, sa, len, 4, NULL), -EINVAL); /* a zero in the chain */
		len[2] = 1;
		KT_EXPECT_EQ(t, dma_engine_submit_sg(e, nch, da, sa, len, 1, true), -EINVAL);
		KT_EXPECT_EQ(t, dma_engine_drain(e, nch, NULL), -EINVAL);
		/* nothing reached the engine */
		s1 = stats_of(e, 0);
		KT_EXPECT_EQ(t, s1.transfers, s0.transfers);
		KT_EXPECT_EQ(t, irq_count(engine_irq(e)), irq0);
		stats_of(e, nch); /* a bad channel reads as zeros, no crash */
	}
	buf_free(&b);
}

/*
 * A full ring: with IRQs masked the engine's SGI cannot run, so queued
 * transfers stay queued. Exactly ring-capacity one-descriptor transfers
 * fit; the next is -EBUSY; once IRQs are back everything completes.
 */
static void full_ring_is_ebusy(struct ktest *t)
{
	struct buf src = { 0 }, dst = { 0 };

	KT_ASSERT(t, buf_alloc(&src, ZONE_DMA) && buf_alloc(&dst, ZONE_DMA));
	for (unsigned i = 0; i < dma_engine_count(); i++) {
		struct dma_engine *e = dma_engine_get(i);
		unsigned cap = dma_engine_ring_capacity(e), ch = dma_engine_channels(e) - 1, queued = 0;
		dma_addr_t s = bus_of(e, src.pa), d = bus_of(e, dst.pa), two_s[2] = { s, s }, two_d[2] = { d, d };
		u32 len = 16, two_len[2] = { 16, 16 };
		struct dma_chan_stats s0 = stats_of(e, ch), s1;
		u64 irq0 = irq_count(engine_irq(e));
		unsigned long daif;

		KT_ASSERT(t, cap * len <= BUF_SIZE);
		fill_random(src.va, BUF_SIZE);
		memset(dst.va, FILL, BUF_SIZE);
		daif = arch_irq_save();
		for (unsigned k = 0; k < cap; k++) {
			dma_addr_t dk = d + k * len, sk = s + k * len;

			/* only the last asks for an interrupt */
			queued += dma_engine_submit_sg(e, ch, &dk, &sk, &len, 1, k == cap - 1) == 0;
		}
		KT_EXPECT_EQ(t, dma_engine_submit_sg(e, ch, &d, &s, &len, 1, true), -EBUSY);
		arch_irq_restore(daif);
		KT_EXPECT_EQ(t, queued, cap);
		KT_EXPECT_EQ(t, dma_engine_drain(e, ch, NULL), 0);
		KT_EXPECT(t, !memcmp(dst.va, src.va, cap * len));
		KT_EXPECT(t, all_bytes(dst.va, cap * len, BUF_SIZE, FILL));
		KT_EXPECT_EQ(t, irq_count(engine_irq(e)) - irq0, 1);
		s1 = stats_of(e, ch);
		KT_EXPECT_EQ(t, s1.transfers - s0.transfers, cap);
		KT_EXPECT_EQ(t, s1.bytes - s0.bytes, (u64)cap * len);

		/* one slot left: a chain of two does not fit, a single descriptor does */
		daif = arch_irq_save();
		queued = 0;
		for (unsigned k = 0; k < cap - 1; k++)
			queued += dma_engine_submit_sg(e, ch, &d, &s, &len, 1, false) == 0;
		KT_EXPECT_EQ(t, dma_engine_submit_sg(e, ch, two_d, two_s, two_len, 2, true), -EBUSY);
		KT_EXPECT_EQ(t, dma_engine_submit_sg(e, ch, &d, &s, &len, 1, true), 0);
		arch_irq_restore(daif);
		KT_EXPECT_EQ(t, queued, cap - 1);
		KT_EXPECT_EQ(t, dma_engine_drain(e, ch, NULL), 0);
		/* and the ring is usable again, wrapped around */
		KT_EXPECT_EQ(t, dma_engine_copy_sg(e, ch, two_d, two_s, two_len, 2, NULL), 0);
	}
	buf_free(&src);
	buf_free(&dst);
}

/*
 * A stalled engine: the wait ends with -ETIMEDOUT at its deadline (1 s,
 * slept in wfi), nothing is copied; when the engine resumes, the late
 * transfer completes without a waiter and drain sees it.
 */
static void stalled_engine_times_out(struct ktest *t)
{
	struct dma_engine *e = dma_engine_get(0);
	unsigned ch = 0, ctrl = DMA_CH_REG(ch, DMA_CH_CTRL);
	struct dma_hw *hw = dma_hw_get(0);
	struct buf src = { 0 }, dst = { 0 };
	struct dma_chan_stats s0, s1;
	u64 t0, waited;

	KT_ASSERT(t, e && hw);
	KT_ASSERT(t, buf_alloc(&src, ZONE_DMA) && buf_alloc(&dst, ZONE_DMA));
	fill_random(src.va, BUF_SIZE);
	memset(dst.va, FILL, BUF_SIZE);
	s0 = stats_of(e, ch);
	dma_writel(hw, ctrl, DMA_CTRL_ENABLE | DMA_CTRL_PAUSE);
	t0 = timer_now_ns();
	KT_EXPECT_EQ(t, dma_engine_copy(e, ch, bus_of(e, dst.pa), bus_of(e, src.pa), 4096, NULL), -ETIMEDOUT);
	waited = timer_now_ns() - t0;
	printf("    # gave up after %llu ms\n", (unsigned long long)(waited / 1000000));
	KT_EXPECT(t, waited >= 1000000000ULL && waited < 5000000000ULL);
	KT_EXPECT(t, all_bytes(dst.va, 0, BUF_SIZE, FILL));
	KT_EXPECT_EQ(t, stats_of(e, ch).transfers, s0.transfers);
	dma_writel(hw, ctrl, DMA_CTRL_ENABLE); /* resume */
	KT_EXPECT_EQ(t, dma_engine_drain(e, ch, NULL), 0);
	KT_EXPECT(t, !memcmp(dst.va, src.va, 4096));
	s1 = stats_of(e, ch);
	KT_EXPECT_EQ(t, s1.transfers - s0.transfers, 1);
	KT_EXPECT_EQ(t, s1.bytes - s0.bytes, 4096);
	/* and the channel works normally again */
	KT_EXPECT_EQ(t, dma_engine_copy(e, ch, bus_of(e, dst.pa) + 8192, bus_of(e, src.pa), 100, NULL), 0);
	buf_free(&src);
	buf_free(&dst);
}

/* dma_engines_report: a header and one line per channel with its counters. */
static void report_lists_every_channel(struct ktest *t)
{
	size_t size = 8192, n;
	char *text = malloc(size), *line;
	unsigned lines = 0, want = 0, matched = 0;
	FILE *f;

	KT_ASSERT(t, text != NULL);
	f = fmemopen(text, size, "w");
	KT_ASSERT(t, f != NULL);
	dma_engines_report(f);
	n = (size_t)ftell(f);
	fclose(f);
	text[MIN(n, size - 1)] = 0;
	for (unsigned i = 0; i < dma_engine_count(); i++)
		want += dma_engine_channels(dma_engine_get(i));
	for (line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		char name[32];
		unsigned bits, irq, ch, queued;
		unsigned long long off, tr, by, er, in;
		struct dma_engine *e;
		struct dma_chan_stats s;

		if (sscanf(line + 1, "%31s %u %llx %u %u %llu %llu %llu %llu %u", name, &bits, &off, &irq, &ch, &tr, &by,
			   &er, &in, &queued) != 10)
			continue;
		lines++;
		e = dma_engine_by_name(name);
		if (!KT_EXPECT(t, e != NULL))
			continue;
		s = stats_of(e, ch);
		matched += bits == dma_engine_addr_bits(e) && off == dma_engine_device(e)->bus_offset &&
			   tr == s.transfers && by == s.bytes && er == s.errors && in == s.interrupts && queued == 0;
	}
	KT_EXPECT_EQ(t, lines, want);
	KT_EXPECT_EQ(t, matched, want);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		printf("    # %s\n", line);
	free(text);
}

static const struct ktest_case dma_engine_cases[] = {
	KTEST_CASE(engines_match_board_cfg),
	KTEST_CASE(copies_exact_in_every_reachable_zone),
	KTEST_CASE(straddling_the_limit_is_refused),
	KTEST_CASE(out_of_range_canary_survives),
	KTEST_CASE(not_ram_is_a_bus_error),
	KTEST_CASE(sg_chain_lands_where_it_should),
	KTEST_CASE(error_mid_chain_stops_it),
	KTEST_CASE(interrupts_and_stats_match),
	KTEST_CASE(channels_are_independent),
	KTEST_CASE(bad_arguments_are_einval),
	KTEST_CASE(full_ring_is_ebusy),
	KTEST_CASE(stalled_engine_times_out),
	KTEST_CASE(report_lists_every_channel),
	{ 0 },
};
KTEST_SUITE_INIT(dma_engine, dma_engine_cases, suite_init);
