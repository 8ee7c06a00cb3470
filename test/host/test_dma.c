/*
 * The DMA mapping API and swiotlb (every file of dma/) on the fixture board
 * (test/host/mm_fixture.c: RAM 0x40000000 + 192 MiB; ZONE_DMA the first
 * 16 MiB, DMA32 up to 64 MiB with 16 MiB of CMA, Normal above), with the
 * page allocator, slab, vmalloc over a live host table, and a 1 MiB
 * swiotlb pool from ZONE_DMA. Devices are plain structs whose masks and
 * bus offsets make parts of that RAM unreachable:
 *  - mask -> zone for 24/26/27/28/31/32/64-bit masks and offsets that
 *    reach all, part or none of RAM; dma_capable at its edges;
 *  - coherent buffers: reachable, zeroed, mapped Normal-NC in the vmalloc
 *    window over exactly their pages, the linear alias cleaned+invalidated;
 *    from CMA when large and the device uses CMA; a coherent device gets
 *    the linear address; impossible requests fail cleanly; bad frees are
 *    reported and free nothing;
 *  - streaming maps: direct when reachable (handle = phys - offset) with
 *    the cache operation each direction needs, edges included (counted by
 *    platform/host/mmu.c); bounced otherwise: TO_DEVICE copies in at map,
 *    FROM_DEVICE copies out at sync_for_cpu/unmap (and a partial device
 *    write keeps the rest of the original), BIDIRECTIONAL both, DMA_NONE
 *    refused; vmalloc and stack pointers refused;
 *  - swiotlb slots: first fit, page alignment for >= 4 KiB, reuse, no
 *    overlap under a random workload; exhaustion fails with
 *    DMA_MAPPING_ERROR and every live mapping keeps its data; bad unmaps
 *    reported; pools above 4 MiB from adjacent MAX_ORDER blocks;
 *  - scatter lists with bounced and direct entries, all-or-nothing;
 *  - statistics and reports.
 * Every test ends with no mapping, no coherent buffer, and every page
 * back (the teardown checks).
 */
#include <arch/layout.h>
#include <arch/phys.h>
#include <arch/pte_bits.h>
#include <arch/walk.h>
#include <dma/direct.h>
#include <dma/mapping.h>
#include <dma/swiotlb.h>
#include <errno.h>
#include <host.h>
#include <mm/cma.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kernel_window.h"
#include "mm_fixture.h"

struct pgtable kernel_pgt;

#define POOL_BYTES (1ULL << 20)
#define POOL_SLOTS (POOL_BYTES / IO_TLB_SIZE)
#define MiB(x) ((u64)(x) << 20)
#define KiB(x) ((u64)(x) << 10)

static u64 free_before_pool;
static u64 api_errors0;

/* ---- devices -------------------------------------------------------------------- */

#define DEVICE(n, bits, offset, cma) \
	{ .name = n, .dma_mask = DMA_BIT_MASK(bits), .coherent_dma_mask = DMA_BIT_MASK(bits), \
	  .bus_offset = offset, .uses_cma = cma }

static struct device dev24, dev26, dev32, dev64;
static const struct device dev24_init = DEVICE("dev24", 24, FIX_RAM_BASE, false);  /* ZONE_DMA */
static const struct device dev26_init = DEVICE("dev26", 26, FIX_RAM_BASE, true);   /* up to DMA32, CMA */
static const struct device dev32_init = DEVICE("dev32", 32, 0, false);             /* everything */
static const struct device dev64_init = DEVICE("dev64", 64, 0, true);

/* ---- fixture -------------------------------------------------------------------- */

static phys_addr_t table_alloc(void *ctx)
{
	struct page *p;

	(void)ctx;
	p = alloc_page(GFP_KERNEL | __GFP_ZERO);
	return p ? page_to_phys(p) : 0;
}

static void table_free(void *ctx, phys_addr_t pa)
{
	(void)ctx;
	free_page(pfn_to_page(phys_to_pfn(pa)));
}

static u64 free_pages_now(void)
{
	kmem_cache_shrink_all();
	drain_pcp_pages();
	return nr_free_pages();
}


static int setup(void **state)
{
	(void)state;
	swiotlb_forget();
	dma_coherent_forget();
	kw_reserve();
	fix_mm_setup(false, false);
	assert_int_equal(pgt_init(&kernel_pgt, KW_PAGE_OFFSET, KW_VA_BITS, table_alloc, table_free, NULL), 0);
	kernel_pgt.live = true;
	assert_int_equal(vmalloc_init(&kernel_pgt, KW_VMALLOC_START, KW_VMALLOC_END), 0);
	kmem_cache_init("");
	dev24 = dev24_init;
	dev26 = dev26_init;
	dev32 = dev32_init;
	dev64 = dev64_init;
	free_before_pool = free_pages_now();
	assert_int_equal(swiotlb_init(POOL_BYTES), 0);
	api_errors0 = dma_api_errors;
	host_mmu_reset();
	return 0;
}

static int teardown(void **state)
{
	struct swiotlb_stats s;
	u64 bytes;

	(void)state;
	swiotlb_get_stats(&s);
	assert_int_equal(s.used, 0);
	assert_int_equal(s.live, 0);
	assert_int_equal(dma_coherent_live(&bytes), 0);
	assert_int_equal(bytes, 0);
	assert_int_equal(host_mmu.bbm_violations, 0);
	assert_int_equal(vmalloc_used_bytes(), 0);
	swiotlb_exit();
	assert_int_equal(free_pages_now(), free_before_pool); /* pool, slot map, buffers, tables: all back */
	pgt_destroy(&kernel_pgt);
	fix_mm_teardown();
	return 0;
}

/* ---- helpers ------------------------------------------------------------------------ */

/* What the device sees at bus address h (it writes/reads RAM there). */
static u8 *dev_view(const struct device *d, dma_addr_t h) { return phys_to_virt(dma_to_phys(d, h)); }

static bool in_pool(phys_addr_t pa)
{
	phys_addr_t base;
	u64 bytes;

	swiotlb_pool_range(&base, &bytes);
	return pa >= base && pa < base + bytes;
}

static phys_addr_t pool_base(void)
{
	phys_addr_t base;
	u64 bytes;

	swiotlb_pool_range(&base, &bytes);
	return base;
}

/* A zeroed 2^order block from zone (ZONE_*), as a linear-map pointer. */
static u8 *zone_buf(int zone, unsigned order)
{
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO | dma_zone_gfp(zone), order);

	assert_non_null(p);
	assert_int_equal(p->zone, zone);
	return page_address(p);
}

static void free_buf(u8 *p, unsigned order) { put_free_pages(p, order); }

static void fill(u8 *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 7);
}

static bool filled(const u8 *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (u8)(seed + i * 7))
			return false;
	return true;
}

static bool all_bytes(const u8 *p, size_t n, u8 v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* stdout capture (reports go to the console) */
static FILE *cap_file;
static int cap_saved = -1;

static void capture_begin(void)
{
	cap_file = tmpfile();
	assert_non_null(cap_file);
	fflush(stdout);
	cap_saved = dup(1);
	assert_true(cap_saved >= 0);
	assert_true(dup2(fileno(cap_file), 1) >= 0);
}

static void capture_end(char *buf, size_t len)
{
	size_t n;

	fflush(stdout);
	assert_true(dup2(cap_saved, 1) >= 0);
	close(cap_saved);
	rewind(cap_file);
	n = fread(buf, 1, len - 1, cap_file);
	buf[n] = 0;
	fclose(cap_file);
}

static const struct host_cache_call *cache_call(u64 i)
{
	assert_true(i < host_mmu.cache_calls);
	return &host_mmu.cache_log[i % HOST_CACHE_LOG];
}

static void expect_cache_call(u64 i, enum host_cache_op op, const void *va, size_t size)
{
	const struct host_cache_call *c = cache_call(i);

	assert_int_equal(c->op, op);
	assert_int_equal(c->va, (vaddr_t)va);
	assert_int_equal(c->size, size);
}

/* ---- reach and zones ---------------------------------------------------------------- */

static void masks_choose_zones(void **state)
{
	struct device d = DEVICE("d", 24, FIX_RAM_BASE, false);

	(void)state;
	assert_int_equal(dma_zone_for_mask(&dev24, dev24.dma_mask), ZONE_DMA);
	assert_int_equal(dma_zone_for_mask(&dev26, dev26.dma_mask), ZONE_DMA32);
	assert_int_equal(dma_zone_for_mask(&dev32, dev32.dma_mask), ZONE_NORMAL);
	assert_int_equal(dma_zone_for_mask(&dev64, dev64.dma_mask), ZONE_NORMAL);
	/* 27 bits from RAM's base reach 128 MiB: all of DMA32 (64 MiB), not Normal (192) */
	assert_int_equal(dma_zone_for_mask(&d, DMA_BIT_MASK(27)), ZONE_DMA32);
	assert_int_equal(dma_zone_for_mask(&d, DMA_BIT_MASK(28)), ZONE_NORMAL);
	/* the mask is a bus address: 31 bits from 0 reach below 2 GiB (all of RAM), 30 bits none */
	d.bus_offset = 0;
	assert_int_equal(dma_zone_for_mask(&d, DMA_BIT_MASK(31)), ZONE_NORMAL);
	assert_int_equal(dma_zone_for_mask(&d, DMA_BIT_MASK(30)), -1);
	assert_int_equal(dma_zone_for_mask(&d, DMA_BIT_MASK(24)), -1);
	/* an offset that reaches only the first 8 MiB: not even ZONE_DMA entirely */
	d.bus_offset = FIX_RAM_BASE - MiB(8);
	assert_int_equal(dma_zone_for_mask(&d, DMA_BIT_MASK(24)), -1);
	/* an offset above RAM's base: its first frames are below bus address 0 */
	d.bus_offset = FIX_RAM_BASE + MiB(1);
	assert_int_equal(dma_zone_for_mask(&d, DMA_BIT_MASK(64)), -1);
	/* a 25-bit mask from 4 MiB below RAM: reaches 28 MiB of RAM, so ZONE_DMA only */
	d.bus_offset = FIX_RAM_BASE - MiB(4);
	assert_int_equal(dma_zone_for_mask(&d, DMA_BIT_MASK(25)), ZONE_DMA);

	assert_int_equal(dma_zone_gfp(ZONE_DMA), __GFP_DMA);
	assert_int_equal(dma_zone_gfp(ZONE_DMA32), __GFP_DMA32);
	assert_int_equal(dma_zone_gfp(ZONE_NORMAL), 0);
}

static void dma_capable_at_the_edges(void **state)
{
	(void)state;
	assert_true(dma_capable(&dev24, FIX_RAM_BASE, 1, dev24.dma_mask));
	assert_true(dma_capable(&dev24, FIX_DMA_END - 1, 1, dev24.dma_mask));
	assert_true(dma_capable(&dev24, FIX_RAM_BASE, MiB(16), dev24.dma_mask));
	assert_false(dma_capable(&dev24, FIX_DMA_END - 1, 2, dev24.dma_mask));
	assert_false(dma_capable(&dev24, FIX_DMA_END, 1, dev24.dma_mask));
	assert_false(dma_capable(&dev24, FIX_RAM_BASE - 1, 1, dev24.dma_mask)); /* below bus address 0 */
	assert_false(dma_capable(&dev64, ~0ULL - 10, 100, dev64.dma_mask));     /* wraps */
	assert_true(dma_capable(&dev64, ~0ULL - 99, 100, dev64.dma_mask));
	/* ranges of 4 GiB and more (a zone on an LPAE board): never cut to 32 bits */
	assert_true(dma_capable(&dev32, 0, 1ULL << 32, dev32.dma_mask));
	assert_false(dma_capable(&dev32, FIX_RAM_BASE, 1ULL << 32, dev32.dma_mask));
	assert_false(dma_capable(&dev32, 0, (1ULL << 32) + 1, dev32.dma_mask));
	assert_true(dma_capable(&dev64, FIX_RAM_BASE, 1ULL << 32, dev64.dma_mask));
	assert_int_equal(phys_to_dma(&dev24, FIX_RAM_BASE + 0x1234), 0x1234);
	assert_int_equal(dma_to_phys(&dev24, 0x1234), FIX_RAM_BASE + 0x1234);
	assert_true(dma_mapping_error(&dev24, DMA_MAPPING_ERROR));
	assert_false(dma_mapping_error(&dev24, 0));
}

/* ---- coherent ------------------------------------------------------------------------ */

static void coherent_buffers_are_reachable_nc_and_zeroed(void **state)
{
	static const struct { struct device *d; size_t size; } cases[] = {
		{ &dev24, 100 }, { &dev24, PAGE_SIZE + 100 }, { &dev24, 3 * PAGE_SIZE }, { &dev24, KiB(128) },
		{ &dev26, KiB(32) }, { &dev32, 5 * PAGE_SIZE }, { &dev64, PAGE_SIZE },
	};

	(void)state;
	for (unsigned c = 0; c < ARRAY_SIZE(cases); c++) {
		struct device *d = cases[c].d;
		size_t size = cases[c].size;
		u64 npages = (size + PAGE_SIZE - 1) / PAGE_SIZE, calls0 = host_mmu.cache_calls;
		dma_addr_t h = 0;
		u8 *va = dma_alloc_coherent(d, size, &h, GFP_KERNEL);
		phys_addr_t pa = dma_to_phys(d, h);
		struct vm_area *a;

		assert_non_null(va);
		assert_true(dma_capable(d, pa, size, d->coherent_dma_mask));
		assert_int_equal(pa % PAGE_SIZE, 0);
		assert_false(pa >= cma_base && pa < cma_base + cma_size); /* small, or a non-CMA device */
		assert_true(all_bytes(phys_to_virt(pa), npages * PAGE_SIZE, 0));
		/* one clean+invalidate of the linear alias, before the NC alias exists */
		assert_int_equal(host_mmu.cache_calls, calls0 + 1);
		expect_cache_call(calls0, HOST_DC_CLEAN_INVAL, phys_to_virt(pa), npages * PAGE_SIZE);
		/* the NC alias: a vmap area of exactly those pages, Normal-NC, RW, XN */
		assert_true(is_vmalloc_addr(va));
		a = find_vm_area(va);
		assert_non_null(a);
		assert_int_equal(a->flags, VM_MAP);
		assert_int_equal(a->size, (npages + 1) * PAGE_SIZE);
		for (u64 i = 0; i < npages; i++) {
			struct walk_result r;

			assert_ptr_equal(vmalloc_to_page(va + i * PAGE_SIZE), pfn_to_page(phys_to_pfn(pa) + i));
			assert_true(arm64_walk(kernel_pgt.root, KW_VA_BITS, true, true, kw_walk_va((uintptr_t)va + i * PAGE_SIZE), &r));
			assert_int_equal(r.attr_index, MAIR_IDX_NORMAL_NC);
			assert_true(r.el1_write);
			assert_false(r.el1_exec);
		}
		assert_int_equal(d->stats.coherent_allocs, 1);
		assert_int_equal(d->stats.coherent_bytes, size);
		dma_free_coherent(d, size, va, h);
		assert_int_equal(d->stats.coherent_bytes, 0);
		d->stats = (struct dma_dev_stats){ 0 };
	}
	assert_int_equal(dma_api_errors, api_errors0);
}

static void large_coherent_buffers_come_from_cma(void **state)
{
	u64 allocs0 = cma_stats.allocs, free_cma0;
	size_t sizes[] = { KiB(64), KiB(100), MiB(1), MiB(8) };
	dma_addr_t h[ARRAY_SIZE(sizes)];
	void *va[ARRAY_SIZE(sizes)];

	(void)state;
	assert_true(cma_size == MiB(16));
	drain_pcp_pages();
	free_cma0 = nr_free_cma_pages();
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		phys_addr_t pa;
		u64 npages = sizes[i] / PAGE_SIZE;
		unsigned order = 0;

		while ((1ULL << order) < npages)
			order++;
		va[i] = dma_alloc_coherent(&dev26, sizes[i], &h[i], GFP_KERNEL);
		assert_non_null(va[i]);
		pa = dma_to_phys(&dev26, h[i]);
		assert_true(pa >= cma_base && pa + sizes[i] <= cma_base + cma_size);
		assert_true(dma_capable(&dev26, pa, sizes[i], dev26.coherent_dma_mask));
		assert_int_equal(pa % (PAGE_SIZE << MIN(order, DMA_CMA_MAX_ALIGN_ORDER)), 0);
		assert_true(all_bytes(phys_to_virt(pa), sizes[i], 0));
		assert_ptr_equal(vmalloc_to_page((u8 *)va[i] + sizes[i] - 1),
				 pfn_to_page(phys_to_pfn(pa + sizes[i] - 1)));
	}
	assert_int_equal(cma_stats.allocs, allocs0 + ARRAY_SIZE(sizes));
	/* 8 MiB needs order 11: beyond the buddy allocator, so a non-CMA device fails cleanly */
	{
		dma_addr_t hh = 1;
		char out[512];

		capture_begin();
		assert_null(dma_alloc_coherent(&dev24, MiB(8), &hh, GFP_KERNEL));
		capture_end(out, sizeof(out));
		assert_int_equal(hh, DMA_MAPPING_ERROR);
		assert_non_null(strstr(out, "DMA: dev24: dma_alloc_coherent(8388608 bytes) failed"));
	}
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++)
		dma_free_coherent(&dev26, sizes[i], va[i], h[i]);
	drain_pcp_pages();
	assert_int_equal(nr_free_cma_pages(), free_cma0);
	assert_int_equal(dma_api_errors, api_errors0);
}

static void coherent_device_gets_the_linear_map(void **state)
{
	struct device d = DEVICE("coh", 32, 0, false);
	dma_addr_t h;
	u8 *va;

	(void)state;
	d.coherent = true;
	va = dma_alloc_coherent(&d, 3000, &h, GFP_KERNEL);
	assert_non_null(va);
	assert_ptr_equal(va, phys_to_virt(dma_to_phys(&d, h)));
	assert_int_equal(host_mmu.cache_calls, 0);
	va[2999] = 1;
	dma_free_coherent(&d, 3000, va, h);
}

static void impossible_coherent_requests_fail_cleanly(void **state)
{
	struct device none = DEVICE("none", 24, 0, false);       /* reaches no RAM */
	struct device part = DEVICE("part", 24, FIX_RAM_BASE - MiB(15), false); /* the first 1 MiB: firmware */
	dma_addr_t h = 0;
	char out[1024];

	(void)state;
	capture_begin();
	assert_null(dma_alloc_coherent(&none, 100, &h, GFP_KERNEL));
	assert_null(dma_alloc_coherent(&part, 100, &h, GFP_KERNEL));
	assert_null(dma_alloc_coherent(&dev24, 0, &h, GFP_KERNEL));
	assert_null(dma_alloc_coherent(&dev24, 100, NULL, GFP_KERNEL));
	capture_end(out, sizeof(out));
	assert_int_equal(h, DMA_MAPPING_ERROR);
	assert_non_null(strstr(out, "DMA: none: dma_alloc_coherent(100 bytes) failed: no free memory below coherent mask"
				    " 0xffffff (bus offset 0)"));
	assert_non_null(strstr(out, "DMA: part: dma_alloc_coherent(100 bytes) failed"));
	assert_non_null(strstr(out, "DMA-API: dev24: dma_alloc_coherent: bad arguments"));
	assert_int_equal(dma_api_errors, api_errors0 + 2);
	assert_int_equal(none.stats.coherent_allocs + part.stats.coherent_allocs, 0);
}

static void bad_coherent_frees_are_reported_and_free_nothing(void **state)
{
	dma_addr_t h;
	u8 *va = dma_alloc_coherent(&dev24, 5000, &h, GFP_KERNEL);
	u8 *alias = phys_to_virt(dma_to_phys(&dev24, h));
	u64 free0;
	char out[4096];

	(void)state;
	assert_non_null(va);
	drain_pcp_pages();
	free0 = nr_free_pages();
	fill(alias, 5000, 3);
	capture_begin();
	dma_free_coherent(&dev24, 4096, va, h);           /* wrong size */
	dma_free_coherent(&dev24, 5000, va, h + 4096);    /* wrong handle */
	dma_free_coherent(&dev26, 5000, va, h);           /* wrong device */
	dma_free_coherent(&dev24, 5000, va + 16, h);      /* not the start */
	dma_free_coherent(&dev24, 5000, alias, h);        /* the linear alias */
	capture_end(out, sizeof(out));
	assert_int_equal(dma_api_errors, api_errors0 + 5);
	assert_non_null(strstr(out, "DMA-API: dev24: dma_free_coherent: "));
	assert_non_null(strstr(out, "size differs from the allocation's; nothing freed"));
	assert_non_null(strstr(out, "handle differs from the allocation's; nothing freed"));
	assert_non_null(strstr(out, "DMA-API: dev26: dma_free_coherent: "));
	assert_non_null(strstr(out, "allocated for another device; nothing freed"));
	assert_non_null(strstr(out, "not allocated by dma_alloc_coherent, or freed already; nothing freed"));
	assert_non_null(strstr(out, "DMA-API: allocated: device dev24, size 5000, handle "));
	/* nothing was freed: same free pages, the buffer and its mapping intact */
	drain_pcp_pages();
	assert_int_equal(nr_free_pages(), free0);
	assert_true(filled(alias, 5000, 3));
	assert_ptr_equal(vmalloc_to_page(va), pfn_to_page(phys_to_pfn(dma_to_phys(&dev24, h))));
	assert_int_equal(dma_coherent_live(NULL), 1);
	dma_free_coherent(&dev24, 5000, va, h);
	/* a second free is reported */
	capture_begin();
	dma_free_coherent(&dev24, 5000, va, h);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "freed already"));
	assert_int_equal(dma_api_errors, api_errors0 + 6);
	dma_free_coherent(&dev24, 5000, NULL, h); /* NULL: ignored */
	assert_int_equal(dma_api_errors, api_errors0 + 6);
}

/* ---- streaming: direct maps and cache maintenance ---------------------------------------- */

static void direct_maps_do_the_cache_op_of_their_direction(void **state)
{
	u8 *buf = zone_buf(ZONE_DMA, 1);
	u8 *p = buf + 256; /* 128-aligned */
	size_t size = 1024;
	dma_addr_t h;

	(void)state;
	h = dma_map_single(&dev24, p, size, DMA_TO_DEVICE);
	assert_int_equal(h, virt_to_phys(p) - FIX_RAM_BASE);
	assert_int_equal(host_mmu.cache_calls, 1);
	expect_cache_call(0, HOST_DC_CLEAN, p, size);
	dma_unmap_single(&dev24, h, size, DMA_TO_DEVICE);
	assert_int_equal(host_mmu.cache_calls, 1); /* nothing to do for the CPU */

	h = dma_map_single(&dev24, p, size, DMA_FROM_DEVICE);
	assert_int_equal(host_mmu.cache_calls, 2);
	expect_cache_call(1, HOST_DC_INVAL, p, size);
	dma_sync_single_for_cpu(&dev24, h, size, DMA_FROM_DEVICE);
	expect_cache_call(2, HOST_DC_INVAL, p, size);
	dma_sync_single_for_device(&dev24, h, size, DMA_FROM_DEVICE);
	expect_cache_call(3, HOST_DC_INVAL, p, size);
	dma_unmap_single(&dev24, h, size, DMA_FROM_DEVICE);
	assert_int_equal(host_mmu.cache_calls, 5);
	expect_cache_call(4, HOST_DC_INVAL, p, size);

	h = dma_map_single(&dev24, p, size, DMA_BIDIRECTIONAL);
	expect_cache_call(5, HOST_DC_CLEAN_INVAL, p, size);
	dma_unmap_single(&dev24, h, size, DMA_BIDIRECTIONAL);
	expect_cache_call(6, HOST_DC_INVAL, p, size);
	assert_int_equal(host_mmu.cache_calls, 7);

	h = dma_map_page(&dev24, virt_to_page(buf), PAGE_SIZE + 128, 512, DMA_TO_DEVICE);
	assert_int_equal(h, virt_to_phys(buf) + PAGE_SIZE + 128 - FIX_RAM_BASE);
	expect_cache_call(7, HOST_DC_CLEAN, buf + PAGE_SIZE + 128, 512);
	dma_sync_single_for_device(&dev24, h, 512, DMA_TO_DEVICE);
	expect_cache_call(8, HOST_DC_CLEAN, buf + PAGE_SIZE + 128, 512);
	dma_sync_single_for_cpu(&dev24, h, 512, DMA_TO_DEVICE);
	assert_int_equal(host_mmu.cache_calls, 9);
	dma_unmap_page(&dev24, h, 512, DMA_TO_DEVICE);

	assert_int_equal(dev24.stats.maps, 4);
	assert_int_equal(dev24.stats.unmaps, 4);
	assert_int_equal(dev24.stats.bounced, 0);
	free_buf(buf, 1);
}

static void invalidation_keeps_the_neighbours_of_unaligned_edges(void **state)
{
	u8 *buf = zone_buf(ZONE_DMA, 0);
	dma_addr_t h;

	(void)state;
	/* [8, 308): partial granules at both ends */
	h = dma_map_single(&dev24, buf + 8, 300, DMA_FROM_DEVICE);
	assert_int_equal(host_mmu.cache_calls, 3);
	expect_cache_call(0, HOST_DC_CLEAN_INVAL, buf, DMA_MINALIGN);
	expect_cache_call(1, HOST_DC_CLEAN_INVAL, buf + 256, DMA_MINALIGN);
	expect_cache_call(2, HOST_DC_INVAL, buf + 128, 128);
	dma_unmap_single(&dev24, h, 300, DMA_FROM_DEVICE);
	assert_int_equal(host_mmu.cache_calls, 6);
	expect_cache_call(3, HOST_DC_CLEAN_INVAL, buf, DMA_MINALIGN);
	expect_cache_call(4, HOST_DC_CLEAN_INVAL, buf + 256, DMA_MINALIGN);
	expect_cache_call(5, HOST_DC_INVAL, buf + 128, 128);
	host_mmu_reset();

	/* inside one granule: that granule cleaned+invalidated, nothing else */
	h = dma_map_single(&dev24, buf + 8, 16, DMA_FROM_DEVICE);
	assert_int_equal(host_mmu.cache_calls, 1);
	expect_cache_call(0, HOST_DC_CLEAN_INVAL, buf, DMA_MINALIGN);
	dma_unmap_single(&dev24, h, 16, DMA_FROM_DEVICE);
	host_mmu_reset();

	/* unaligned start, aligned end */
	h = dma_map_single(&dev24, buf + 8, 248, DMA_FROM_DEVICE);
	assert_int_equal(host_mmu.cache_calls, 2);
	expect_cache_call(0, HOST_DC_CLEAN_INVAL, buf, DMA_MINALIGN);
	expect_cache_call(1, HOST_DC_INVAL, buf + 128, 128);
	dma_unmap_single(&dev24, h, 248, DMA_FROM_DEVICE);
	host_mmu_reset();

	/* aligned start, unaligned end */
	h = dma_map_single(&dev24, buf + 128, 200, DMA_FROM_DEVICE);
	assert_int_equal(host_mmu.cache_calls, 2);
	expect_cache_call(0, HOST_DC_CLEAN_INVAL, buf + 256, DMA_MINALIGN);
	expect_cache_call(1, HOST_DC_INVAL, buf + 128, 128);
	dma_unmap_single(&dev24, h, 200, DMA_FROM_DEVICE);
	host_mmu_reset();

	/* whole granules: one invalidate */
	h = dma_map_single(&dev24, buf, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_int_equal(host_mmu.cache_calls, 1);
	expect_cache_call(0, HOST_DC_INVAL, buf, PAGE_SIZE);
	dma_unmap_single(&dev24, h, PAGE_SIZE, DMA_FROM_DEVICE);
	free_buf(buf, 0);
}

static void coherent_devices_skip_cache_maintenance(void **state)
{
	struct device d = DEVICE("coh24", 24, FIX_RAM_BASE, false);
	u8 *low = zone_buf(ZONE_DMA, 0), *high = zone_buf(ZONE_NORMAL, 0);
	dma_addr_t a, b;

	(void)state;
	d.coherent = true;
	fill(high, 64, 9);
	a = dma_map_single(&d, low, 64, DMA_BIDIRECTIONAL);
	b = dma_map_single(&d, high, 64, DMA_BIDIRECTIONAL);
	assert_false(dma_mapping_error(&d, a) || dma_mapping_error(&d, b));
	assert_true(in_pool(dma_to_phys(&d, b)));
	assert_true(filled(dev_view(&d, b), 64, 9));
	dma_sync_single_for_cpu(&d, a, 64, DMA_BIDIRECTIONAL);
	dma_sync_single_for_device(&d, b, 64, DMA_BIDIRECTIONAL);
	dma_unmap_single(&d, a, 64, DMA_BIDIRECTIONAL);
	dma_unmap_single(&d, b, 64, DMA_BIDIRECTIONAL);
	assert_int_equal(host_mmu.cache_calls, 0);
	free_buf(low, 0);
	free_buf(high, 0);
}

/* ---- streaming: bounces ------------------------------------------------------------------ */

static void to_device_copies_in_at_map_only(void **state)
{
	u8 *buf = zone_buf(ZONE_NORMAL, 1);
	size_t size = 5000;
	dma_addr_t h;
	u8 *dv;

	(void)state;
	fill(buf, size, 1);
	h = dma_map_single(&dev24, buf, size, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(&dev24, h));
	assert_true(in_pool(dma_to_phys(&dev24, h)));
	assert_true(dma_capable(&dev24, dma_to_phys(&dev24, h), size, dev24.dma_mask));
	assert_int_equal(dma_to_phys(&dev24, h) % PAGE_SIZE, 0); /* >= a page: page aligned */
	dv = dev_view(&dev24, h);
	assert_true(filled(dv, size, 1));
	/* the slots were cleaned for the device (not the original) */
	assert_int_equal(host_mmu.cache_calls, 1);
	expect_cache_call(0, HOST_DC_CLEAN, dv, size);
	/* the CPU updates the buffer and hands it over again: copied on sync_for_device */
	fill(buf, size, 2);
	assert_true(filled(dv, size, 1));
	dma_sync_single_for_device(&dev24, h, size, DMA_TO_DEVICE);
	assert_true(filled(dv, size, 2));
	/* whatever the device does to a TO_DEVICE buffer never reaches the CPU's */
	memset(dv, 0xee, size);
	dma_sync_single_for_cpu(&dev24, h, size, DMA_TO_DEVICE);
	dma_unmap_single(&dev24, h, size, DMA_TO_DEVICE);
	assert_true(filled(buf, size, 2));
	assert_int_equal(dev24.stats.bounced, 1);
	assert_int_equal(dev24.stats.bounce_bytes, 2 * size);
	free_buf(buf, 1);
}

static void from_device_copies_out_at_sync_for_cpu_and_unmap(void **state)
{
	u8 *buf = zone_buf(ZONE_DMA32, 0);
	size_t size = 3000;
	struct swiotlb_stats s0, s1;
	dma_addr_t h;
	u8 *dv;

	(void)state;
	swiotlb_get_stats(&s0);
	fill(buf, size, 5);
	h = dma_map_single(&dev24, buf, size, DMA_FROM_DEVICE);
	assert_true(in_pool(dma_to_phys(&dev24, h)));
	dv = dev_view(&dev24, h);
	/* copied in anyway: a partial device write must not expose stale pool bytes */
	assert_true(filled(dv, size, 5));
	expect_cache_call(0, HOST_DC_CLEAN_INVAL, dv + 2944, 128); /* the partial last granule */
	expect_cache_call(1, HOST_DC_INVAL, dv, 2944);             /* the whole ones */
	fill(dv, size, 6);                                       /* the device writes */
	assert_true(filled(buf, size, 5));                       /* not visible yet */
	dma_sync_single_for_cpu(&dev24, h, size, DMA_FROM_DEVICE);
	assert_true(filled(buf, size, 6));
	dma_sync_single_for_device(&dev24, h, size, DMA_FROM_DEVICE);
	fill(dv, 1000, 7);                                       /* a partial write */
	dma_unmap_single(&dev24, h, size, DMA_FROM_DEVICE);
	assert_true(filled(buf, 1000, 7));
	for (size_t i = 1000; i < size; i++)
		assert_int_equal(buf[i], (u8)(6 + i * 7));       /* the rest kept */
	swiotlb_get_stats(&s1);
	assert_int_equal(s1.mapped - s0.mapped, 1);
	assert_int_equal(s1.unmapped - s0.unmapped, 1);
	assert_int_equal(s1.bytes_in - s0.bytes_in, 2 * size);   /* map + sync_for_device */
	assert_int_equal(s1.bytes_out - s0.bytes_out, 2 * size); /* sync_for_cpu + unmap */
	free_buf(buf, 0);
}

static void bidirectional_copies_both_ways(void **state)
{
	u8 *buf = zone_buf(ZONE_NORMAL, 0);
	dma_addr_t h;
	u8 *dv;

	(void)state;
	fill(buf, 2048, 11);
	h = dma_map_single(&dev24, buf, 2048, DMA_BIDIRECTIONAL);
	dv = dev_view(&dev24, h);
	assert_true(filled(dv, 2048, 11));
	expect_cache_call(0, HOST_DC_CLEAN_INVAL, dv, 2048);
	for (size_t i = 0; i < 2048; i++)
		dv[i] ^= 0xff;
	dma_unmap_single(&dev24, h, 2048, DMA_BIDIRECTIONAL);
	expect_cache_call(1, HOST_DC_INVAL, dv, 2048);
	for (size_t i = 0; i < 2048; i++)
		assert_int_equal(buf[i], (u8)((11 + i * 7) ^ 0xff));
	free_buf(buf, 0);
}

static void partial_syncs_copy_only_their_range(void **state)
{
	u8 *buf = zone_buf(ZONE_NORMAL, 1);
	size_t size = 6000;
	dma_addr_t h;
	u8 *dv;
	char out[2048];

	(void)state;
	memset(buf, 0, size);
	h = dma_map_single(&dev24, buf, size, DMA_FROM_DEVICE);
	dv = dev_view(&dev24, h);
	memset(dv, 0x77, size);
	dma_sync_single_for_cpu(&dev24, h + 4100, 200, DMA_FROM_DEVICE); /* in the mapping's third slot */
	for (size_t i = 0; i < size; i++)
		assert_int_equal(buf[i], i >= 4100 && i < 4300 ? 0x77 : 0);
	/* past the mapping's end: refused, reported, nothing copied */
	capture_begin();
	dma_sync_single_for_cpu(&dev24, h + 5900, 200, DMA_FROM_DEVICE);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "runs past the end of its bounce mapping"));
	assert_int_equal(buf[5950], 0);
	dma_unmap_single(&dev24, h, size, DMA_FROM_DEVICE);
	assert_true(all_bytes(buf, size, 0x77));
	free_buf(buf, 1);
}

static void bad_directions_and_pointers_are_refused(void **state)
{
	u8 *buf = zone_buf(ZONE_DMA, 0);
	u8 *v = vmalloc(PAGE_SIZE);
	u8 stack_buf[64];
	struct scatterlist sg = { .page = virt_to_page(buf), .offset = 0, .length = 64 };
	char out[4096];

	(void)state;
	capture_begin();
	assert_true(dma_mapping_error(&dev24, dma_map_single(&dev24, buf, 64, DMA_NONE)));
	assert_true(dma_mapping_error(&dev24, dma_map_single(&dev24, buf, 64, (enum dma_data_direction)7)));
	assert_true(dma_mapping_error(&dev24, dma_map_page(&dev24, virt_to_page(buf), 0, 64, DMA_NONE)));
	assert_int_equal(dma_map_sg(&dev24, &sg, 1, DMA_NONE), 0);
	assert_true(dma_mapping_error(&dev24, dma_map_single(&dev24, buf, 0, DMA_TO_DEVICE)));
	assert_true(dma_mapping_error(&dev24, dma_map_single(&dev24, v, 64, DMA_TO_DEVICE)));
	assert_true(dma_mapping_error(&dev24, dma_map_single(&dev24, stack_buf, 64, DMA_TO_DEVICE)));
	assert_true(dma_mapping_error(&dev24, dma_map_single(&dev24, NULL, 64, DMA_TO_DEVICE)));
	assert_true(dma_mapping_error(&dev24, dma_map_page(&dev24, virt_to_page(buf), PAGE_SIZE, FIX_RAM_SIZE,
							    DMA_TO_DEVICE)));
	dma_unmap_single(&dev24, 0x1000, 64, DMA_NONE);
	dma_sync_single_for_cpu(&dev24, 0x1000, 64, DMA_NONE);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "DMA-API: dev24: dma_map_single: invalid direction 3 (DMA_NONE cannot be mapped)"));
	assert_non_null(strstr(out, "DMA-API: dev24: dma_map_single: invalid direction 7"));
	assert_non_null(strstr(out, "DMA-API: dev24: dma_map_page: invalid direction 3"));
	assert_non_null(strstr(out, "DMA-API: dev24: dma_map_sg: invalid direction 3"));
	assert_non_null(strstr(out, "DMA-API: dev24: dma_map_single: zero size"));
	assert_non_null(strstr(out, "is a vmalloc address: not physically contiguous, map its pages"));
	assert_non_null(strstr(out, "is not a linear-map (kmalloc or page) address"));
	assert_non_null(strstr(out, "run past RAM"));
	assert_non_null(strstr(out, "DMA-API: dev24: dma_unmap_single: invalid direction 3"));
	assert_non_null(strstr(out, "DMA-API: dev24: dma_sync_single_for_cpu: invalid direction 3"));
	assert_int_equal(dma_api_errors, api_errors0 + 11);
	assert_int_equal(dev24.stats.map_errors, 9);
	assert_int_equal(dev24.stats.maps, 0);
	assert_int_equal(host_mmu.cache_calls, 0);
	vfree(v);
	free_buf(buf, 0);
}

static void bad_unmaps_are_reported_and_change_nothing(void **state)
{
	u8 *buf = zone_buf(ZONE_NORMAL, 1);
	struct swiotlb_stats s;
	dma_addr_t h;
	char out[4096];

	(void)state;
	fill(buf, 6000, 1);
	h = dma_map_single(&dev24, buf, 6000, DMA_BIDIRECTIONAL);
	capture_begin();
	dma_unmap_single(&dev24, h + 2048, 4000, DMA_BIDIRECTIONAL);    /* inside, not the start */
	dma_unmap_single(&dev24, h + PAGE_SIZE * 4, 100, DMA_TO_DEVICE); /* free slots */
	dma_unmap_single(&dev24, DMA_MAPPING_ERROR, 100, DMA_TO_DEVICE);
	dma_unmap_single(&dev24, 0xfff00000ULL, 100, DMA_TO_DEVICE);     /* not RAM at all */
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "swiotlb: bad swiotlb_unmap("));
	assert_non_null(strstr(out, "not the start of its bounce mapping"));
	assert_non_null(strstr(out, "not a live bounce mapping"));
	assert_non_null(strstr(out, "DMA-API: dev24: dma_unmap_single: DMA_MAPPING_ERROR is not a mapping"));
	assert_non_null(strstr(out, "is not a mapping of RAM"));
	swiotlb_get_stats(&s);
	assert_int_equal(s.live, 1);
	assert_int_equal(s.bad_calls, 2);
	assert_true(filled(dev_view(&dev24, h), 6000, 1));
	assert_int_equal(dev24.stats.unmaps, 0);
	/* a wrong size is reported, and the map's own size and direction are used */
	memset(dev_view(&dev24, h), 0x42, 6000);
	capture_begin();
	dma_unmap_single(&dev24, h, 10, DMA_TO_DEVICE);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "size or direction differs from the map's (the map's are used)"));
	assert_true(all_bytes(buf, 6000, 0x42));
	swiotlb_get_stats(&s);
	assert_int_equal(s.live, 0);
	assert_int_equal(s.used, 0);
	assert_int_equal(dev24.stats.unmaps, 1);
	free_buf(buf, 1);
}

/* ---- swiotlb slots ------------------------------------------------------------------------ */

static void slots_are_first_fit_aligned_and_reused(void **state)
{
	u8 *buf = zone_buf(ZONE_NORMAL, 2);
	phys_addr_t base = pool_base();
	struct swiotlb_stats s;
	dma_addr_t a, b, c, d, e, c2;

	(void)state;
	a = dma_map_single(&dev24, buf, 100, DMA_TO_DEVICE);           /* 1 slot: 0 */
	b = dma_map_single(&dev24, buf, 5000, DMA_TO_DEVICE);          /* 3 slots, page aligned: 2..4 */
	c = dma_map_single(&dev24, buf, 2048, DMA_TO_DEVICE);          /* 1 slot: the hole at 1 */
	d = dma_map_single(&dev24, buf, 4096, DMA_TO_DEVICE);          /* 2 slots, page aligned: 6..7 */
	assert_int_equal(dma_to_phys(&dev24, a), base);
	assert_int_equal(dma_to_phys(&dev24, b), base + 2 * IO_TLB_SIZE);
	assert_int_equal(dma_to_phys(&dev24, c), base + 1 * IO_TLB_SIZE);
	assert_int_equal(dma_to_phys(&dev24, d), base + 6 * IO_TLB_SIZE);
	swiotlb_get_stats(&s);
	assert_int_equal(s.used, 7);
	assert_int_equal(s.live, 4);
	dma_unmap_single(&dev24, b, 5000, DMA_TO_DEVICE);
	e = dma_map_single(&dev24, buf, 3000, DMA_TO_DEVICE);          /* 2 slots, slot aligned: 2..3 */
	assert_int_equal(dma_to_phys(&dev24, e), base + 2 * IO_TLB_SIZE);
	b = dma_map_single(&dev24, buf, 2049, DMA_TO_DEVICE);          /* 2 slots: the hole 4..5 */
	assert_int_equal(dma_to_phys(&dev24, b), base + 4 * IO_TLB_SIZE);
	c2 = dma_map_single(&dev24, buf, 4097, DMA_TO_DEVICE);         /* 3 slots from a page: 8..10 */
	assert_int_equal(dma_to_phys(&dev24, c2), base + 8 * IO_TLB_SIZE);
	dma_unmap_single(&dev24, c2, 4097, DMA_TO_DEVICE);
	dma_unmap_single(&dev24, a, 100, DMA_TO_DEVICE);
	dma_unmap_single(&dev24, b, 2049, DMA_TO_DEVICE);
	dma_unmap_single(&dev24, c, 2048, DMA_TO_DEVICE);
	dma_unmap_single(&dev24, d, 4096, DMA_TO_DEVICE);
	dma_unmap_single(&dev24, e, 3000, DMA_TO_DEVICE);
	/* all free again: the whole pool is one run */
	a = dma_map_single(&dev24, buf, 100, DMA_TO_DEVICE);
	assert_int_equal(dma_to_phys(&dev24, a), base);
	dma_unmap_single(&dev24, a, 100, DMA_TO_DEVICE);
	swiotlb_get_stats(&s);
	assert_int_equal(s.used, 0);
	assert_int_equal(s.hiwater, 11);
	assert_int_equal(s.mapped, 8);
	assert_int_equal(s.unmapped, 8);
	free_buf(buf, 2);
}

static u64 rnd_state = 88172645463325252ULL;
static u64 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void random_bounces_never_overlap_and_keep_their_data(void **state)
{
	enum { N = 64 };
	struct { dma_addr_t h; size_t size; u8 seed; bool live; } m[N] = { { 0 } };
	u8 *buf = zone_buf(ZONE_NORMAL, 6); /* 256 KiB of sources */
	struct swiotlb_stats s;
	char out[64];

	(void)state;
	capture_begin(); /* "buffer is full" lines */
	for (unsigned step = 0; step < 4000; step++) {
		unsigned i = (unsigned)(rnd() % N);
		u64 slots = 0;

		if (m[i].live) {
			assert_true(filled(dev_view(&dev24, m[i].h), m[i].size, m[i].seed));
			dma_unmap_single(&dev24, m[i].h, m[i].size, DMA_TO_DEVICE);
			m[i].live = false;
		} else {
			size_t size = 1 + (size_t)(rnd() % (rnd() % 2 ? 3000 : KiB(128)));
			size_t off = (size_t)(rnd() % (KiB(256) - size));
			phys_addr_t pa;

			m[i].seed = (u8)rnd();
			fill(buf + off, size, m[i].seed);
			m[i].h = dma_map_single(&dev24, buf + off, size, DMA_TO_DEVICE);
			if (dma_mapping_error(&dev24, m[i].h))
				continue; /* full: fine, checked elsewhere */
			m[i].size = size;
			m[i].live = true;
			pa = dma_to_phys(&dev24, m[i].h);
			assert_true(in_pool(pa));
			assert_int_equal(pa % (size >= PAGE_SIZE ? PAGE_SIZE : IO_TLB_SIZE), 0);
			for (unsigned j = 0; j < N; j++) {
				phys_addr_t q = dma_to_phys(&dev24, m[j].h);

				if (j == i || !m[j].live)
					continue;
				assert_true(pa + size <= q || q + m[j].size <= pa);
			}
		}
		for (unsigned j = 0; j < N; j++)
			if (m[j].live)
				slots += (m[j].size + IO_TLB_SIZE - 1) / IO_TLB_SIZE;
		swiotlb_get_stats(&s);
		assert_int_equal(s.used, slots);
	}
	capture_end(out, sizeof(out));
	assert_true(s.fail_full > 0); /* the workload does fill the pool */
	for (unsigned j = 0; j < N; j++)
		if (m[j].live)
			dma_unmap_single(&dev24, m[j].h, m[j].size, DMA_TO_DEVICE);
	free_buf(buf, 6);
}

static void exhaustion_fails_cleanly_and_keeps_every_mapping(void **state)
{
	enum { N = POOL_BYTES / KiB(64) };
	u8 *buf[N + 1], *big = zone_buf(ZONE_NORMAL, 9);
	dma_addr_t h[N + 1];
	struct swiotlb_stats s;
	char out[1024];

	(void)state;
	for (unsigned i = 0; i <= N; i++) {
		buf[i] = zone_buf(ZONE_NORMAL, 4);
		fill(buf[i], KiB(64), (u8)i);
	}
	for (unsigned i = 0; i < N; i++) {
		h[i] = dma_map_single(&dev24, buf[i], KiB(64), DMA_BIDIRECTIONAL);
		assert_false(dma_mapping_error(&dev24, h[i]));
	}
	swiotlb_get_stats(&s);
	assert_int_equal(s.used, POOL_SLOTS);
	capture_begin();
	h[N] = dma_map_single(&dev24, buf[N], KiB(64), DMA_BIDIRECTIONAL);
	assert_true(dma_mapping_error(&dev24, h[N]));
	assert_true(dma_mapping_error(&dev24, dma_map_single(&dev24, buf[N], 1, DMA_TO_DEVICE)));
	assert_true(dma_mapping_error(&dev24, dma_map_single(&dev24, big, MiB(2), DMA_TO_DEVICE)));
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "swiotlb: buffer is full (65536 bytes, 32 slots needed), 512 of 512 slots in use"));
	assert_non_null(strstr(out, "swiotlb: 2097152 bytes are larger than the pool (1024 KiB)"));
	swiotlb_get_stats(&s);
	assert_int_equal(s.fail_full, 2);
	assert_int_equal(s.fail_size, 1);
	assert_int_equal(s.used, POOL_SLOTS);
	assert_int_equal(dev24.stats.map_errors, 3);
	assert_int_equal(dma_api_errors, api_errors0); /* a full pool is not misuse */
	/* every live mapping still holds its own data; the device's writes come back */
	for (unsigned i = 0; i < N; i++) {
		assert_true(filled(dev_view(&dev24, h[i]), KiB(64), (u8)i));
		fill(dev_view(&dev24, h[i]), KiB(64), (u8)(i + 100));
	}
	for (unsigned i = 0; i < N; i++) {
		dma_unmap_single(&dev24, h[i], KiB(64), DMA_BIDIRECTIONAL);
		assert_true(filled(buf[i], KiB(64), (u8)(i + 100)));
	}
	assert_true(filled(buf[N], KiB(64), (u8)N)); /* the failed map wrote nothing */
	for (unsigned i = 0; i <= N; i++)
		free_buf(buf[i], 4);
	/* and the pool works again, as one run as large as itself */
	h[0] = dma_map_single(&dev24, big, POOL_BYTES, DMA_TO_DEVICE);
	assert_int_equal(dma_to_phys(&dev24, h[0]), pool_base());
	dma_unmap_single(&dev24, h[0], POOL_BYTES, DMA_TO_DEVICE);
	free_buf(big, 9);
}

/* ---- scatter lists ------------------------------------------------------------------------ */

static void sg_bounces_only_what_is_out_of_reach(void **state)
{
	u8 *low = zone_buf(ZONE_DMA, 1), *mid = zone_buf(ZONE_DMA32, 0), *high = zone_buf(ZONE_NORMAL, 1);
	struct scatterlist sg[4] = {
		{ .page = virt_to_page(low), .offset = 100, .length = 3000 },
		{ .page = virt_to_page(high), .offset = 0, .length = 2 * PAGE_SIZE },
		{ .page = virt_to_page(low) + 1, .offset = 0, .length = 512 },
		{ .page = virt_to_page(mid), .offset = 1024, .length = 1000 },
	};
	bool bounced[4] = { false, true, false, true };

	(void)state;
	for (int i = 0; i < 4; i++)
		fill((u8 *)page_address(sg[i].page) + sg[i].offset, sg[i].length, (u8)(i * 40));
	assert_int_equal(dma_map_sg(&dev24, sg, 4, DMA_BIDIRECTIONAL), 4);
	for (int i = 0; i < 4; i++) {
		phys_addr_t pa = dma_to_phys(&dev24, sg[i].dma_address);

		assert_int_equal(sg[i].dma_length, sg[i].length);
		assert_int_equal(in_pool(pa), bounced[i]);
		if (!bounced[i])
			assert_int_equal(pa, page_to_phys(sg[i].page) + sg[i].offset);
		assert_true(dma_capable(&dev24, pa, sg[i].length, dev24.dma_mask));
		assert_true(filled(dev_view(&dev24, sg[i].dma_address), sg[i].length, (u8)(i * 40)));
		fill(dev_view(&dev24, sg[i].dma_address), sg[i].length, (u8)(i * 40 + 1)); /* the device */
	}
	assert_int_equal(dev24.stats.bounced, 2);
	dma_sync_sg_for_cpu(&dev24, sg, 4, DMA_BIDIRECTIONAL);
	for (int i = 0; i < 4; i++)
		assert_true(filled((u8 *)page_address(sg[i].page) + sg[i].offset, sg[i].length, (u8)(i * 40 + 1)));
	for (int i = 0; i < 4; i++)
		fill((u8 *)page_address(sg[i].page) + sg[i].offset, sg[i].length, (u8)(i * 40 + 2)); /* the CPU */
	dma_sync_sg_for_device(&dev24, sg, 4, DMA_BIDIRECTIONAL);
	for (int i = 0; i < 4; i++)
		assert_true(filled(dev_view(&dev24, sg[i].dma_address), sg[i].length, (u8)(i * 40 + 2)));
	dma_unmap_sg(&dev24, sg, 4, DMA_BIDIRECTIONAL);
	assert_int_equal(dev24.stats.maps, 4);
	assert_int_equal(dev24.stats.unmaps, 4);
	free_buf(low, 1);
	free_buf(mid, 0);
	free_buf(high, 1);
}

static void sg_is_all_or_nothing(void **state)
{
	u8 *low = zone_buf(ZONE_DMA, 0), *high = zone_buf(ZONE_NORMAL, 9); /* 2 MiB */
	u8 *filler = zone_buf(ZONE_NORMAL, 8);
	struct scatterlist sg[3] = {
		{ .page = virt_to_page(low), .offset = 0, .length = PAGE_SIZE },
		{ .page = virt_to_page(high), .offset = 0, .length = KiB(16) },
		{ .page = virt_to_page(high) + 8, .offset = 0, .length = KiB(16) },
	};
	struct swiotlb_stats s0, s1;
	dma_addr_t big;
	char out[1024];

	(void)state;
	/* leave 24 KiB of the pool: the second entry fits, the third does not */
	big = dma_map_single(&dev24, filler, POOL_BYTES - KiB(24), DMA_TO_DEVICE);
	assert_false(dma_mapping_error(&dev24, big));
	swiotlb_get_stats(&s0);
	capture_begin();
	assert_int_equal(dma_map_sg(&dev24, sg, 3, DMA_FROM_DEVICE), 0);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "swiotlb: buffer is full"));
	swiotlb_get_stats(&s1);
	assert_int_equal(s1.used, s0.used);     /* the second entry's slots are back */
	assert_int_equal(s1.live, s0.live);
	for (int i = 0; i < 3; i++)
		assert_int_equal(sg[i].dma_address, DMA_MAPPING_ERROR);
	assert_int_equal(dev24.stats.maps - dev24.stats.unmaps, 1); /* only `big` */
	assert_int_equal(dev24.stats.map_errors, 1);
	dma_unmap_single(&dev24, big, POOL_BYTES - KiB(24), DMA_TO_DEVICE);
	/* with room it works, and bad arguments are refused */
	assert_int_equal(dma_map_sg(&dev24, sg, 3, DMA_FROM_DEVICE), 3);
	dma_unmap_sg(&dev24, sg, 3, DMA_FROM_DEVICE);
	capture_begin();
	assert_int_equal(dma_map_sg(&dev24, sg, 0, DMA_FROM_DEVICE), 0);
	assert_int_equal(dma_map_sg(&dev24, NULL, 2, DMA_FROM_DEVICE), 0);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "DMA-API: dev24: dma_map_sg: no entries (0)"));
	free_buf(low, 0);
	free_buf(high, 9);
	free_buf(filler, 8);
}

/* ---- pools -------------------------------------------------------------------------------- */

static void pools_come_from_zone_dma(void **state)
{
	phys_addr_t base;
	u64 bytes, free0;
	char out[2048];

	(void)state;
	swiotlb_pool_range(&base, &bytes);
	assert_int_equal(bytes, POOL_BYTES);
	assert_true(base >= FIX_RAM_BASE && base + bytes <= FIX_DMA_END);
	assert_int_equal(swiotlb_init(POOL_BYTES), -EBUSY);
	assert_int_equal(swiotlb_init_range(base, bytes), -EBUSY);
	swiotlb_exit();
	assert_false(swiotlb_active());
	free0 = free_pages_now();
	assert_int_equal(free0, free_before_pool);

	capture_begin();
	/* 6 MiB: two adjacent MAX_ORDER blocks (ZONE_DMA has three free ones) */
	assert_int_equal(swiotlb_init(MiB(6)), 0);
	swiotlb_pool_range(&base, &bytes);
	assert_int_equal(bytes, MiB(8));
	assert_true(base >= FIX_RAM_BASE && base + bytes <= FIX_DMA_END);
	assert_int_equal(base % MiB(4), 0);
	swiotlb_exit();
	assert_int_equal(free_pages_now(), free0);
	/* 16 MiB cannot be found in a 16 MiB zone that holds the firmware */
	assert_int_equal(swiotlb_init(MiB(16)), -ENOMEM);
	assert_int_equal(free_pages_now(), free0);
	assert_int_equal(swiotlb_init(MiB(1024)), -EINVAL);
	assert_int_equal(swiotlb_init(1000), -EINVAL);
	/* not a power of two pages: rounded up, and said so */
	assert_int_equal(swiotlb_init(KiB(1000)), 0);
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "software IO TLB: mapped [mem 0x"));
	assert_non_null(strstr(out, "] (8192 KiB, 4096 slots of 2048 bytes, zone DMA)"));
	assert_non_null(strstr(out, "swiotlb: no 16 MiB of physically contiguous memory in zone DMA (largest run found: 12 MiB)"));
	assert_non_null(strstr(out, "swiotlb: bad pool size 1073741824 bytes"));
	assert_non_null(strstr(out, "software IO TLB: 1000 KiB asked for, rounded up to whole buddy blocks (1024 KiB)"));
	swiotlb_pool_range(&base, &bytes);
	assert_int_equal(bytes, KiB(1024));
	swiotlb_exit();
	assert_int_equal(free_pages_now(), free0);

	/* a caller's range (host tests, carve-outs) */
	{
		u8 *mem = zone_buf(ZONE_DMA, 4);
		u8 *src = zone_buf(ZONE_NORMAL, 0);
		dma_addr_t h;

		capture_begin();
		assert_int_equal(swiotlb_init_range(virt_to_phys(mem) + 2048, KiB(32)), -EINVAL);
		assert_int_equal(swiotlb_init_range(virt_to_phys(mem), 3000), -EINVAL);
		capture_end(out, sizeof(out));
		assert_non_null(strstr(out, "swiotlb: bad pool"));
		assert_int_equal(swiotlb_init_range(virt_to_phys(mem), KiB(64)), 0);
		fill(src, 100, 4);
		h = dma_map_single(&dev24, src, 100, DMA_TO_DEVICE);
		assert_int_equal(dma_to_phys(&dev24, h), virt_to_phys(mem));
		assert_true(filled(mem, 100, 4));
		dma_unmap_single(&dev24, h, 100, DMA_TO_DEVICE);
		swiotlb_exit(); /* the memory is the caller's: not freed */
		free_buf(mem, 4);
		free_buf(src, 0);
	}
	/* no pool: a bounce fails with a reason */
	{
		u8 *src = zone_buf(ZONE_NORMAL, 0);

		capture_begin();
		assert_true(dma_mapping_error(&dev24, dma_map_single(&dev24, src, 100, DMA_TO_DEVICE)));
		capture_end(out, sizeof(out));
		assert_non_null(strstr(out, "swiotlb: no bounce pool (swiotlb_init was not called)"));
		free_buf(src, 0);
	}
	assert_int_equal(free_pages_now(), free0);
	assert_int_equal(swiotlb_init(POOL_BYTES), 0); /* for the teardown */
}

static void a_pool_out_of_reach_is_not_used(void **state)
{
	struct device far = DEVICE("far", 24, FIX_RAM_BASE + MiB(256), false); /* reaches no RAM at all */
	u8 *src = zone_buf(ZONE_NORMAL, 0);
	char out[1024];

	(void)state;
	capture_begin();
	assert_true(dma_mapping_error(&far, dma_map_single(&far, src, 64, DMA_TO_DEVICE)));
	capture_end(out, sizeof(out));
	assert_non_null(strstr(out, "DMA: far: cannot bounce"));
	assert_non_null(strstr(out, "the swiotlb pool is out of the device's reach too"));
	assert_int_equal(far.stats.map_errors, 1);
	free_buf(src, 0);
}

/* ---- reports -------------------------------------------------------------------------------- */

static void stats_and_reports(void **state)
{
	u8 *buf = zone_buf(ZONE_NORMAL, 0);
	dma_addr_t h, c;
	void *cv;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	unsigned long long v;

	(void)state;
	h = dma_map_single(&dev24, buf, 3000, DMA_BIDIRECTIONAL);
	cv = dma_alloc_coherent(&dev24, 8192, &c, GFP_KERNEL);
	f = open_memstream(&text, &len);
	swiotlb_report(f);
	dma_dev_report(f, &dev24);
	fclose(f);
	assert_non_null(strstr(text, "software IO TLB: [mem 0x"));
	assert_non_null(strstr(text, "] 1024 KiB, slots of 2048 bytes\n"));
	assert_non_null(strstr(text, "io_tlb_nslabs:           512\n"));
	assert_non_null(strstr(text, "io_tlb_used:               2\n"));
	assert_non_null(strstr(text, "io_tlb_hiwater:            2\n"));
	assert_non_null(strstr(text, "live_mappings:             1\n"));
	assert_non_null(strstr(text, "bytes_in:               3000\n"));
	assert_int_equal(sscanf(strstr(text, "bounced:"), "bounced: %llu", &v), 1);
	assert_int_equal(v, 1);
	assert_non_null(strstr(text, "dev24: maps 1 unmaps 0 bounced 1 bounce_bytes 3000 map_errors 0 coherent_allocs 1"
				     " coherent_bytes 8192\n"));
	free(text);
	dma_unmap_single(&dev24, h, 3000, DMA_BIDIRECTIONAL);
	dma_free_coherent(&dev24, 8192, cv, c);
	assert_int_equal(dev24.stats.bounce_bytes, 6000);
	assert_int_equal(dev24.stats.coherent_bytes, 0);
	assert_int_equal(dev24.stats.coherent_allocs, 1);
	free_buf(buf, 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(masks_choose_zones),
		T(dma_capable_at_the_edges),
		T(coherent_buffers_are_reachable_nc_and_zeroed),
		T(large_coherent_buffers_come_from_cma),
		T(coherent_device_gets_the_linear_map),
		T(impossible_coherent_requests_fail_cleanly),
		T(bad_coherent_frees_are_reported_and_free_nothing),
		T(direct_maps_do_the_cache_op_of_their_direction),
		T(invalidation_keeps_the_neighbours_of_unaligned_edges),
		T(coherent_devices_skip_cache_maintenance),
		T(to_device_copies_in_at_map_only),
		T(from_device_copies_out_at_sync_for_cpu_and_unmap),
		T(bidirectional_copies_both_ways),
		T(partial_syncs_copy_only_their_range),
		T(bad_directions_and_pointers_are_refused),
		T(bad_unmaps_are_reported_and_change_nothing),
		T(slots_are_first_fit_aligned_and_reused),
		T(random_bounces_never_overlap_and_keep_their_data),
		T(exhaustion_fails_cleanly_and_keeps_every_mapping),
		T(sg_bounces_only_what_is_out_of_reach),
		T(sg_is_all_or_nothing),
		T(pools_come_from_zone_dma),
		T(a_pool_out_of_reach_is_not_used),
		T(stats_and_reports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
