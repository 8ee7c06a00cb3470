/*
 * On-target tests of the DMA mapping API (dma/) on the board's own
 * engines, RAM and swiotlb pool (suite dma_mapping). The device is
 * simulated by the test itself -- it reads and writes at the bus address
 * it was given, through phys_to_virt(dma_to_phys(handle)) -- except in
 * the last case, where the simulated engine (drivers/dma_engine*.c)
 * moves the bytes:
 *  - a kmalloc'd buffer beyond the narrowest engine's reach (in ZONE_DMA32
 *    or ZONE_NORMAL, whichever the board has) mapped for that engine's
 *    device is bounced: the handle lies in the swiotlb pool, inside the
 *    device's reach, and data round trips for each direction;
 *  - a buffer the device reaches is mapped directly (handle = phys - offset);
 *  - a coherent buffer of 8 MiB (or the whole CMA region if smaller) for
 *    a CMA-using engine's device comes from CMA, is mapped Normal-NC and
 *    usable by CPU and device alike;
 *  - exhausting the pool returns DMA_MAPPING_ERROR and every live mapping
 *    keeps its data;
 *  - per-device and swiotlb counters follow;
 *  - the narrowest engine copies between two buffers beyond its reach when
 *    they are mapped through the API (bounced), and reports a bus error
 *    for the raw, unmapped address.
 * The engines, their widths and which of them use CMA come from the board
 * (mm_board_from_config, the runtime engines): any count, any widths.
 * If the kernel has not set up the pool yet, the suite does it with
 * CONFIG_SWIOTLB_SIZE_KB, as boot does.
 */
#include <arch/mmu.h>
#include <arch/phys.h>
#include <dma/direct.h>
#include <dma/mapping.h>
#include <dma/swiotlb.h>
#include <drivers/dma_engine.h>
#include <generated/board.h>
#include <errno.h>
#include <kernel/ktest.h>
#include <mm/cma.h>
#include <mm/kmap.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <string.h>

#define CHUNK (64 * 1024)

static void fill(u8 *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 13);
}

static bool filled(const u8 *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (u8)(seed + i * 13))
			return false;
	return true;
}

/* Free pages, with empty slabs (the buffer's record) given back. */
static u64 free_pages_now(void)
{
	kmem_cache_shrink_all();
	drain_pcp_pages();
	return nr_free_pages();
}

/* What the device sees at bus address h. */
static u8 *dev_view(const struct device *d, dma_addr_t h) { return phys_to_virt(dma_to_phys(d, h)); }

/* A DMA-API device for board engine i (as the engine driver makes it). */
static void engine_device(struct device *d, const struct mm_dma_engine *e)
{
	*d = (struct device){
		.name = e->name,
		.dma_mask = DMA_BIT_MASK(e->addr_bits),
		.coherent_dma_mask = DMA_BIT_MASK(e->addr_bits),
		.bus_offset = e->bus_offset,
		.uses_cma = e->uses_cma,
	};
}

/* The narrowest engine's device (NULL if the board has no engine). */
static struct device *narrowest_device(void)
{
	static struct device d;
	struct mm_board b;
	unsigned best = 0;

	mm_board_from_config(&b);
	if (!b.nr_engines)
		return NULL;
	for (unsigned i = 1; i < b.nr_engines; i++)
		if (b.engines[i].addr_bits < b.engines[best].addr_bits)
			best = i;
	engine_device(&d, &b.engines[best]);
	return &d;
}

static struct device *cma_device(void)
{
	static struct device d;
	struct mm_board b;

	mm_board_from_config(&b);
	for (unsigned i = 0; i < b.nr_engines; i++) {
		if (b.engines[i].uses_cma) {
			engine_device(&d, &b.engines[i]);
			return &d;
		}
	}
	return NULL;
}

/* A kmalloc'd buffer of len bytes beyond d's reach (NULL if all RAM is in reach). */
static u8 *far_buffer(const struct device *d, size_t len)
{
	u8 *p = kmalloc(len, GFP_KERNEL); /* the highest populated zone first */

	if (p && dma_capable(d, virt_to_phys(p), len, d->dma_mask)) {
		kfree(p);
		return NULL;
	}
	return p;
}

static int suite_init(void)
{
	if (!swiotlb_active())
		return swiotlb_init((u64)CONFIG_SWIOTLB_SIZE_KB * 1024) ? 1 : 0;
	return 0;
}

static void bounced_buffer_round_trips(struct ktest *t)
{
	struct device *d = narrowest_device();
	static const enum dma_data_direction dirs[] = { DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL };
	struct swiotlb_stats s0, s1;
	size_t size = 12000;
	u8 *buf;

	if (!d) {
		ktest_skip(t, "board has no DMA engine");
		return;
	}
	buf = far_buffer(d, 16384);
	if (!buf) {
		ktest_skip(t, "no memory beyond the narrowest engine's reach");
		return;
	}
	d->stats = (struct dma_dev_stats){ 0 };
	swiotlb_get_stats(&s0);
	for (unsigned k = 0; k < ARRAY_SIZE(dirs); k++) {
		enum dma_data_direction dir = dirs[k];
		dma_addr_t h;
		phys_addr_t pa;

		fill(buf, size, (u8)(k * 3));
		h = dma_map_single(d, buf, size, dir);
		KT_ASSERT(t, !dma_mapping_error(d, h));
		pa = dma_to_phys(d, h);
		KT_EXPECT(t, is_swiotlb_buffer(pa));
		KT_EXPECT(t, dma_capable(d, pa, size, d->dma_mask));
		KT_EXPECT_EQ(t, pa % PAGE_SIZE, 0);
		KT_EXPECT(t, filled(dev_view(d, h), size, (u8)(k * 3))); /* copied in (every direction) */
		fill(dev_view(d, h), size, (u8)(k * 3 + 1));             /* the device writes */
		if (dir != DMA_TO_DEVICE) {
			dma_sync_single_for_cpu(d, h, size, dir);
			KT_EXPECT(t, filled(buf, size, (u8)(k * 3 + 1)));
			fill(buf, size, (u8)(k * 3 + 2));                /* the CPU answers */
			dma_sync_single_for_device(d, h, size, dir);
			KT_EXPECT(t, filled(dev_view(d, h), size, (u8)(k * 3 + 2)));
			fill(dev_view(d, h), size, (u8)(k * 3 + 1));
		}
		dma_unmap_single(d, h, size, dir);
		/* TO_DEVICE never copies back; the others deliver the device's data */
		KT_EXPECT(t, filled(buf, size, (u8)(k * 3 + (dir == DMA_TO_DEVICE ? 0 : 1))));
	}
	swiotlb_get_stats(&s1);
	KT_EXPECT_EQ(t, d->stats.maps, 3);
	KT_EXPECT_EQ(t, d->stats.unmaps, 3);
	KT_EXPECT_EQ(t, d->stats.bounced, 3);
	KT_EXPECT_EQ(t, s1.mapped - s0.mapped, 3);
	KT_EXPECT_EQ(t, s1.used, s0.used);
	KT_EXPECT_EQ(t, s1.bytes_in - s0.bytes_in, 5 * size);   /* 3 maps + 2 syncs for device */
	KT_EXPECT_EQ(t, s1.bytes_out - s0.bytes_out, 4 * size); /* 2 syncs for cpu + 2 unmaps */
	kfree(buf);
}

static void reachable_buffer_is_mapped_directly(struct ktest *t)
{
	struct device *d = narrowest_device();
	u8 *buf;
	dma_addr_t h;

	if (!d) {
		ktest_skip(t, "board has no DMA engine");
		return;
	}
	buf = get_free_pages(GFP_KERNEL | GFP_DMA, 1);
	KT_ASSERT(t, buf != NULL);
	d->stats = (struct dma_dev_stats){ 0 };
	fill(buf, 5000, 7);
	h = dma_map_single(d, buf + 100, 5000, DMA_BIDIRECTIONAL);
	KT_EXPECT_EQ(t, h, virt_to_phys(buf + 100) - d->bus_offset);
	KT_EXPECT(t, !is_swiotlb_buffer(dma_to_phys(d, h)));
	fill(dev_view(d, h), 5000, 8);
	dma_unmap_single(d, h, 5000, DMA_BIDIRECTIONAL);
	KT_EXPECT(t, filled(buf + 100, 5000, 8));
	KT_EXPECT_EQ(t, d->stats.bounced, 0);
	put_free_pages(buf, 1);
}

static void coherent_buffer_comes_from_cma(struct ktest *t)
{
	struct device *d = cma_device();
	u64 size = MIN(8ULL << 20, cma_size), allocs = cma_stats.allocs, free0;
	phys_addr_t pa, qpa;
	unsigned attrs;
	int level;
	dma_addr_t h;
	u8 *va;

	if (!d || size < DMA_CMA_THRESHOLD) {
		ktest_skip(t, "no engine uses CMA");
		return;
	}
	printf("    # %s: %llu MiB coherent buffer\n", d->name, (unsigned long long)(size >> 20));
	free0 = free_pages_now();
	va = dma_alloc_coherent(d, size, &h, GFP_KERNEL);
	KT_ASSERT(t, va != NULL);
	pa = dma_to_phys(d, h);
	KT_EXPECT(t, pa >= cma_base && pa + size <= cma_base + cma_size);
	KT_EXPECT(t, dma_capable(d, pa, size, d->coherent_dma_mask));
	KT_EXPECT_EQ(t, cma_stats.allocs, allocs + 1);
	KT_EXPECT(t, is_vmalloc_addr(va));
	KT_EXPECT_EQ(t, pgt_query(&kernel_pgt, (u64)(uintptr_t)va, &qpa, &attrs, &level), 0);
	KT_EXPECT_EQ(t, qpa, pa);
	KT_EXPECT_EQ(t, attrs & MMU_MT_MASK, MMU_MT_NORMAL_NC);
	KT_EXPECT(t, vmalloc_to_page(va + size - 1) == pfn_to_page(phys_to_pfn(pa + size - 1)));
	KT_EXPECT_EQ(t, va[0] | va[size / 2] | va[size - 1], 0); /* zeroed */
	/* the CPU writes through the NC alias, the "device" reads memory, and back */
	va[0] = 0x11;
	va[size - 1] = 0x22;
	KT_EXPECT_EQ(t, dev_view(d, h)[0], 0x11);
	KT_EXPECT_EQ(t, dev_view(d, h)[size - 1], 0x22);
	dev_view(d, h)[size / 2] = 0x33;
	arch_dcache_clean_range((vaddr_t)dev_view(d, h) + size / 2, 1); /* what a device write would be */
	KT_EXPECT_EQ(t, va[size / 2], 0x33);
	KT_EXPECT_EQ(t, d->stats.coherent_bytes, size);
	dma_free_coherent(d, size, va, h);
	KT_EXPECT_EQ(t, d->stats.coherent_bytes, 0);
	KT_EXPECT_EQ(t, free_pages_now(), free0);
}

static void exhaustion_keeps_every_mapping(struct ktest *t)
{
	struct device *d = narrowest_device();
	struct swiotlb_stats s;
	phys_addr_t base;
	u64 bytes, n, mapped = 0, fail_full, errors;
	u8 **buf;
	dma_addr_t *h;
	bool ok = true;

	if (!d) {
		ktest_skip(t, "board has no DMA engine");
		return;
	}
	swiotlb_pool_range(&base, &bytes);
	swiotlb_get_stats(&s);
	KT_ASSERT(t, bytes && s.used == 0);
	n = bytes / CHUNK;
	buf = kcalloc(n + 1, sizeof(*buf), GFP_KERNEL);
	h = kcalloc(n + 1, sizeof(*h), GFP_KERNEL);
	KT_ASSERT(t, buf && h);
	for (u64 i = 0; i <= n; i++) {
		buf[i] = far_buffer(d, CHUNK);
		if (!buf[i]) {
			ok = false;
			break;
		}
		fill(buf[i], CHUNK, (u8)i);
	}
	if (ok) {
		for (; mapped < n; mapped++) {
			h[mapped] = dma_map_single(d, buf[mapped], CHUNK, DMA_BIDIRECTIONAL);
			if (dma_mapping_error(d, h[mapped]))
				break;
		}
		KT_EXPECT_EQ(t, mapped, n);
		swiotlb_get_stats(&s);
		KT_EXPECT_EQ(t, s.used, s.nslabs);
		fail_full = s.fail_full;
		errors = d->stats.map_errors;
		h[n] = dma_map_single(d, buf[n], CHUNK, DMA_BIDIRECTIONAL);
		KT_EXPECT(t, dma_mapping_error(d, h[n]));
		KT_EXPECT(t, dma_mapping_error(d, dma_map_single(d, buf[n], 1, DMA_TO_DEVICE)));
		swiotlb_get_stats(&s);
		KT_EXPECT_EQ(t, s.fail_full, fail_full + 2);
		KT_EXPECT_EQ(t, d->stats.map_errors, errors + 2);
		for (u64 i = 0; i < mapped; i++) {
			KT_EXPECT(t, filled(dev_view(d, h[i]), CHUNK, (u8)i));
			fill(dev_view(d, h[i]), CHUNK, (u8)(i + 77));
		}
		for (u64 i = 0; i < mapped; i++) {
			dma_unmap_single(d, h[i], CHUNK, DMA_BIDIRECTIONAL);
			KT_EXPECT(t, filled(buf[i], CHUNK, (u8)(i + 77)));
		}
		KT_EXPECT(t, filled(buf[n], CHUNK, (u8)n));
		swiotlb_get_stats(&s);
		KT_EXPECT_EQ(t, s.used, 0);
	} else {
		ktest_skip(t, "no memory beyond the narrowest engine's reach");
	}
	for (u64 i = 0; i <= n; i++)
		kfree(buf[i]);
	kfree(buf);
	kfree(h);
}

static void stats_and_report(struct ktest *t)
{
	struct device *d = narrowest_device();
	struct swiotlb_stats s;
	u8 *buf;
	dma_addr_t h;

	if (!d) {
		ktest_skip(t, "board has no DMA engine");
		return;
	}
	buf = far_buffer(d, 20000);
	if (!buf) {
		ktest_skip(t, "no memory beyond the narrowest engine's reach");
		return;
	}
	d->stats = (struct dma_dev_stats){ 0 };
	h = dma_map_single(d, buf, 20000, DMA_FROM_DEVICE);
	KT_ASSERT(t, !dma_mapping_error(d, h));
	swiotlb_get_stats(&s);
	KT_EXPECT_EQ(t, s.used, 10);
	KT_EXPECT_EQ(t, s.live, 1);
	KT_EXPECT(t, s.hiwater >= 10);
	swiotlb_report(stdout);
	dma_unmap_single(d, h, 20000, DMA_FROM_DEVICE);
	dma_dev_report(stdout, d);
	KT_EXPECT_EQ(t, d->stats.bounce_bytes, 40000);
	KT_EXPECT_EQ(t, d->stats.maps, 1);
	KT_EXPECT_EQ(t, d->stats.unmaps, 1);
	kfree(buf);
}

static void engine_copies_through_the_bounce_pool(struct ktest *t)
{
	struct dma_engine *e;
	struct device *d;
	size_t len = 24000;
	dma_addr_t s, dst;
	u64 err = 0;
	u8 *a, *b;
	int rc;

	if (!dma_engine_count() && dma_engines_init() <= 0) {
		ktest_skip(t, "no DMA engines (dma_engines_init)");
		return;
	}
	e = dma_engine_get(0);
	for (unsigned i = 1; i < dma_engine_count(); i++)
		if (dma_engine_addr_bits(dma_engine_get(i)) < dma_engine_addr_bits(e))
			e = dma_engine_get(i);
	d = dma_engine_device(e);
	a = far_buffer(d, len);
	b = far_buffer(d, len);
	if (!a || !b) {
		kfree(a);
		kfree(b);
		ktest_skip(t, "no memory beyond the narrowest engine's reach");
		return;
	}
	KT_EXPECT(t, page_zone(virt_to_page(a)) - zones != ZONE_DMA); /* ZONE_DMA is the narrowest reach */
	fill(a, len, 21);
	memset(b, 0, len);
	/* the raw address is beyond the engine's bits: a bus error, nothing moves */
	rc = dma_engine_copy(e, 0, phys_to_dma(d, virt_to_phys(b)), phys_to_dma(d, virt_to_phys(a)), (u32)len, &err);
	KT_EXPECT_EQ(t, rc, -EIO);
	KT_EXPECT(t, err == phys_to_dma(d, virt_to_phys(a)) || err == phys_to_dma(d, virt_to_phys(b)));
	/* through the mapping API both ends are bounced and the copy works */
	s = dma_map_single(d, a, len, DMA_TO_DEVICE);
	dst = dma_map_single(d, b, len, DMA_FROM_DEVICE);
	KT_ASSERT(t, !dma_mapping_error(d, s) && !dma_mapping_error(d, dst));
	KT_EXPECT(t, is_swiotlb_buffer(dma_to_phys(d, s)) && is_swiotlb_buffer(dma_to_phys(d, dst)));
	rc = dma_engine_copy(e, 0, dst, s, (u32)len, &err);
	KT_EXPECT_EQ(t, rc, 0);
	dma_unmap_single(d, s, len, DMA_TO_DEVICE);
	dma_unmap_single(d, dst, len, DMA_FROM_DEVICE);
	KT_EXPECT(t, filled(b, len, 21));
	kfree(a);
	kfree(b);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(bounced_buffer_round_trips),
	KTEST_CASE(reachable_buffer_is_mapped_directly),
	KTEST_CASE(coherent_buffer_comes_from_cma),
	KTEST_CASE(exhaustion_keeps_every_mapping),
	KTEST_CASE(stats_and_report),
	KTEST_CASE(engine_copies_through_the_bounce_pool),
	{ 0 },
};
KTEST_SUITE_INIT(dma_mapping, cases, suite_init);
