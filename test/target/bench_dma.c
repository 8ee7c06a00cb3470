/*
 * On-target benchmark of the simulated DMA engines through the DMA mapping
 * API, run by `make bench` after bench_page_alloc() (firmware booted with
 * "bench").
 *
 * Under QEMU's -icount shift=0,sleep=off one instruction is 1 ns of
 * virtual time, so the figures are instruction counts and repeat exactly.
 * Each transfer is: dma_map_single(src, TO_DEVICE), dma_map_single(dst,
 * FROM_DEVICE), dma_engine_copy() on channel 0 (doorbell, the model's SGI,
 * the completion SPI, the wait), dma_unmap_single() of both. The three
 * phases are timed separately; the totals give MB/s of virtual time and
 * instructions per KiB. Interrupts stay enabled (the copy waits for its
 * completion interrupt), so the 100 Hz timer tick is included, as in any
 * driver's real cost.
 *
 *   direct:  buffers in ZONE_DMA (dma24) or ZONE_DMA32 (dma32): no bounce,
 *            the map/unmap cost is cache maintenance and bookkeeping
 *   bounced: buffers in the highest zone (ZONE_DMA32, or ZONE_NORMAL with
 *            RAM above 4 GiB), beyond dma24's 24 bits: both are
 *            bounced through swiotlb (copied in at map, the destination
 *            copied back at unmap)
 *
 * The destination is checked once per engine and size (after a warm-up
 * transfer into a cleared buffer) and the bounce/no-bounce decision is
 * checked on the handles. Output:
 *   bench: dma24 direct    4 KiB: 123.45 MB/s, 8100.00 instructions/KiB (map 12, copy 34, unmap 5 instructions/transfer; 256 transfers)
 *   bench: dma24 bounced/direct 4 KiB: 2.50x time
 */
#include <arch/irqflags.h>
#include <arch/mmu.h>
#include <arch/cpu.h>
#include <arch/timer.h>
#include <dma/mapping.h>
#include <dma/swiotlb.h>
#include <drivers/dma_engine.h>
#include <mm/gfp.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <stdio.h>
#include <string.h>

void bench_dma(void);

#define BENCH_BYTES (4u << 20) /* moved per engine and size */
#define NSIZES 3

static const unsigned sizes[NSIZES] = { 4096, 65536, 262144 };

struct phase {
	u64 map, copy, unmap; /* counter ticks, summed over the transfers */
	u64 n;                /* transfers */
};

static inline u64 counter(void)
{
	return arch_counter();
}

static inline void sink(const void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

static u64 ticks_to_ns(u64 ticks) { return ticks * 1000000000ULL / timer_freq(); }

static const char *fmt_centi(char *buf, u64 c)
{
	snprintf(buf, 24, "%llu.%02llu", (unsigned long long)(c / 100), (unsigned long long)(c % 100));
	return buf;
}

static unsigned order_of(unsigned bytes)
{
	unsigned o = 0;

	while ((PAGE_SIZE << o) < bytes)
		o++;
	return o;
}

static void fill(u8 *p, unsigned n, unsigned seed)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (u8)(i * 7 + seed + (i >> 8));
}

static bool filled(const u8 *p, unsigned n, unsigned seed)
{
	for (unsigned i = 0; i < n; i++)
		if (p[i] != (u8)(i * 7 + seed + (i >> 8)))
			return false;
	return true;
}

/* One timed transfer src -> dst (n bytes) through the mapping API; 0 or a negative errno. */
static int transfer(struct dma_engine *e, struct device *d, u8 *src, u8 *dst, unsigned n, int expect_bounce,
		    struct phase *ph)
{
	u64 t0, t1, t2, t3, err = 0;
	dma_addr_t s, t;
	int rc;

	t0 = counter();
	s = dma_map_single(d, src, n, DMA_TO_DEVICE);
	t = dma_map_single(d, dst, n, DMA_FROM_DEVICE);
	t1 = counter();
	if (dma_mapping_error(d, s) || dma_mapping_error(d, t)) {
		if (!dma_mapping_error(d, s))
			dma_unmap_single(d, s, n, DMA_TO_DEVICE);
		if (!dma_mapping_error(d, t))
			dma_unmap_single(d, t, n, DMA_FROM_DEVICE);
		return -1;
	}
	if (expect_bounce >= 0 && (is_swiotlb_buffer(dma_to_phys(d, s)) != (bool)expect_bounce ||
				   is_swiotlb_buffer(dma_to_phys(d, t)) != (bool)expect_bounce))
		rc = -2;
	else
		rc = dma_engine_copy(e, 0, t, s, n, &err);
	t2 = counter();
	dma_unmap_single(d, s, n, DMA_TO_DEVICE);
	dma_unmap_single(d, t, n, DMA_FROM_DEVICE);
	t3 = counter();
	if (ph) {
		ph->map += t1 - t0;
		ph->copy += t2 - t1;
		ph->unmap += t3 - t2;
		ph->n++;
	}
	return rc;
}

/* Run one engine/buffer-zone case at one size; *total gets the ticks per transfer x 100 (0 on failure). */
static void run_case(const char *ename, const char *kind, gfp_t zone, int expect_bounce, unsigned size, u64 *total)
{
	struct dma_engine *e = dma_engine_by_name(ename);
	unsigned order = order_of(size), iters = BENCH_BYTES / size;
	struct device *d;
	struct phase ph = { 0 };
	char a[24], b[24], c[24], m[24], u[24];
	u8 *src, *dst;
	u64 ticks, ns, bytes;
	int rc;

	*total = 0;
	if (!e) {
		printf("bench: dma %s: no engine named %s on this board\n", ename, ename);
		return;
	}
	d = dma_engine_device(e);
	src = get_free_pages(GFP_KERNEL | zone, order);
	dst = get_free_pages(GFP_KERNEL | zone, order);
	if (!src || !dst) {
		printf("bench: %s %s %u KiB: no memory\n", ename, kind, size / 1024);
		goto out;
	}
	fill(src, size, size / 1024);
	memset(dst, 0, size);
	rc = transfer(e, d, src, dst, size, expect_bounce, NULL); /* warm-up, and the check */
	if (rc || !filled(dst, size, size / 1024)) {
		printf("bench: %s %s %u KiB: FAILED (%s, rc %d)\n", ename, kind, size / 1024,
		       rc == -2 ? (expect_bounce ? "not bounced" : "bounced") : rc ? "transfer failed" : "wrong data", rc);
		goto out;
	}
	for (unsigned i = 0; i < iters; i++)
		if (transfer(e, d, src, dst, size, expect_bounce, &ph)) {
			printf("bench: %s %s %u KiB: transfer %u FAILED\n", ename, kind, size / 1024, i);
			goto out;
		}
	ticks = ph.map + ph.copy + ph.unmap;
	ns = ticks_to_ns(ticks);
	bytes = (u64)size * ph.n;
	printf("bench: %s %-7s %3u KiB: %s MB/s, %s instructions/KiB (map %s, copy %s, unmap %s instructions/transfer; %llu transfers)\n",
	       ename, kind, size / 1024, fmt_centi(a, bytes * 100000 / ns), fmt_centi(b, ns * 100 * 1024 / bytes),
	       fmt_centi(m, ticks_to_ns(ph.map) * 100 / ph.n), fmt_centi(c, ticks_to_ns(ph.copy) * 100 / ph.n),
	       fmt_centi(u, ticks_to_ns(ph.unmap) * 100 / ph.n), (unsigned long long)ph.n);
	*total = ns * 100 / ph.n;
out:
	if (src)
		put_free_pages(src, order);
	if (dst)
		put_free_pages(dst, order);
}

/* Reference figures for the interpretation: the CPU copying and cleaning the same bytes. */
static void cpu_reference(unsigned size)
{
	unsigned order = order_of(size), iters = BENCH_BYTES / size;
	u8 *a = get_free_pages(GFP_KERNEL | GFP_DMA32, order), *b = get_free_pages(GFP_KERNEL | GFP_DMA32, order);
	unsigned long flags;
	u64 t0, cp, cl, in;
	char x[24], y[24], z[24];

	if (!a || !b)
		goto out;
	fill(a, size, 1);
	flags = arch_irq_save();
	t0 = counter();
	for (unsigned i = 0; i < iters; i++) {
		memcpy(b, a, size);
		sink(b);
	}
	cp = counter() - t0;
	t0 = counter();
	for (unsigned i = 0; i < iters; i++)
		arch_dcache_clean_range((vaddr_t)a, size);
	cl = counter() - t0;
	t0 = counter();
	for (unsigned i = 0; i < iters; i++)
		arch_dcache_inval_range((vaddr_t)b, size);
	in = counter() - t0;
	arch_irq_restore(flags);
	printf("bench: CPU %3u KiB: memcpy %s, dcache clean %s, dcache invalidate %s instructions/KiB\n", size / 1024,
	       fmt_centi(x, ticks_to_ns(cp) * 100 * 1024 / ((u64)size * iters)),
	       fmt_centi(y, ticks_to_ns(cl) * 100 * 1024 / ((u64)size * iters)),
	       fmt_centi(z, ticks_to_ns(in) * 100 * 1024 / ((u64)size * iters)));
out:
	if (a)
		put_free_pages(a, order);
	if (b)
		put_free_pages(b, order);
}

/* A 64-byte direct transfer: the fixed cost (map/unmap of 64 bytes, doorbell, SGI, model, SPI, wait). */
static void small_transfer(void)
{
	struct dma_engine *e = dma_engine_by_name("dma24");
	struct phase ph = { 0 };
	u8 *src, *dst;
	char a[24], b[24], c[24];
	bool ok = true;

	if (!e)
		return;
	src = get_free_pages(GFP_KERNEL | GFP_DMA, 0);
	dst = get_free_pages(GFP_KERNEL | GFP_DMA, 0);
	if (src && dst) {
		struct device *d = dma_engine_device(e);

		fill(src, 64, 3);
		memset(dst, 0, 64);
		ok = !transfer(e, d, src, dst, 64, 0, NULL) && filled(dst, 64, 3);
		for (unsigned i = 0; ok && i < 1000; i++)
			ok = !transfer(e, d, src, dst, 64, 0, &ph);
		if (ok)
			printf("bench: dma24 direct 64 bytes (fixed cost): map %s, copy %s, unmap %s instructions/transfer\n",
			       fmt_centi(a, ticks_to_ns(ph.map) * 100 / ph.n), fmt_centi(b, ticks_to_ns(ph.copy) * 100 / ph.n),
			       fmt_centi(c, ticks_to_ns(ph.unmap) * 100 / ph.n));
		else
			printf("bench: dma24 direct 64 bytes: FAILED\n");
	}
	if (src)
		put_free_pages(src, 0);
	if (dst)
		put_free_pages(dst, 0);
}

void bench_dma(void)
{
	u64 free0, direct[NSIZES], bounced[NSIZES], d32[NSIZES];
	struct swiotlb_stats st;
	char a[24], b[24];

	drain_pcp_pages();
	free0 = nr_free_pages();
	if (!dma_engine_count()) {
		printf("bench: dma: no DMA engines\n");
		return;
	}
	printf("bench: DMA engines through the mapping API, %u bytes moved per case, counter %llu Hz\n", BENCH_BYTES,
	       (unsigned long long)timer_freq());
	small_transfer();
	for (unsigned i = 0; i < NSIZES; i++) {
		run_case("dma24", "direct", GFP_DMA, 0, sizes[i], &direct[i]);
		run_case("dma24", "bounced", 0, 1, sizes[i], &bounced[i]); /* the highest zone */
		run_case("dma32", "direct", GFP_DMA32, 0, sizes[i], &d32[i]);
		cpu_reference(sizes[i]);
	}
	for (unsigned i = 0; i < NSIZES; i++)
		if (direct[i] && bounced[i])
			printf("bench: dma24 bounced/direct %3u KiB: %s x time (dma32 direct/dma24 direct %s x)\n",
			       sizes[i] / 1024, fmt_centi(a, bounced[i] * 100 / direct[i]),
			       fmt_centi(b, d32[i] ? d32[i] * 100 / direct[i] : 0));
	swiotlb_get_stats(&st);
	if (st.used || st.live)
		printf("bench: swiotlb: %llu slots in %llu mappings still in use\n", (unsigned long long)st.used,
		       (unsigned long long)st.live);
	drain_pcp_pages();
	if (nr_free_pages() != free0)
		printf("bench: dma: %llu free pages at the end, %llu at the start (pcp drained)\n",
		       (unsigned long long)nr_free_pages(), (unsigned long long)free0);
}
