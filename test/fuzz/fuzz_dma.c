/*
 * libFuzzer target for the DMA mapping API and swiotlb (dma/mapping.c,
 * dma/coherent.c, dma/swiotlb.c, with the real page allocator, slab and
 * vmalloc underneath, on platform/host's RAM arena).
 *
 * Board: RAM [0x40000000, +32 MiB); a 23-bit engine (ZONE_DMA: 8 MiB) and
 * a 24-bit CMA engine (DMA32 up to 16 MiB, 4 MiB of CMA), Normal above.
 * Devices: d23 (23 bits), d24 (24 bits, CMA), d64 (everything, CMA),
 * d23c (23 bits, hardware coherent), d22 (the first 2 MiB of RAM only:
 * the bounce pool is usually out of its reach too).
 *
 * Each input is one boot and one workload:
 *
 *   byte 0      pool size: 64, 128, 256 or 1024 KiB (from ZONE_DMA)
 *   then ops    one opcode byte + operands (bytes, u16 little endian):
 *     MAP       slot, device, dir (0..2, 3 = DMA_NONE: refused), api
 *               (single/page), zone, offset, length, seed
 *     MAP_SG    slot, device, dir, entries 1..4, each zone/offset/length
 *     UNMAP     slot (dma_unmap_single/page, or dma_unmap_sg)
 *     DEV_WRITE slot, entry, offset, length, seed (the device writes its
 *               view; FROM_DEVICE/BIDIRECTIONAL, while the device owns it)
 *     SYNC_CPU  slot (whole mapping, while the device owns it)
 *     CPU_WRITE slot, entry, offset, length, seed (TO_DEVICE/BIDIRECTIONAL,
 *               while the CPU owns it)
 *     SYNC_DEV  slot (while the CPU owns it)
 *     COH       buffer, device, size class and size: allocate (or free if live)
 *     BAD       a wrong-size coherent free, an unmap of a pool slot that
 *               is no mapping's start, or a map with DMA_NONE
 *     CYCLE     slot, device, dir/zone/keep, offset, length: map, device
 *               write, sync_for_cpu, CPU write, sync_for_device, unmap
 *               (unless keep) -- a driver's whole hand-over in one op
 * Operations that do not apply to a slot's state are skipped.
 *
 * The model: every mapping entry owns a 16 KiB slice of a CPU buffer in
 * the zone it asked for, and the harness keeps what the CPU buffer and
 * the device's view must hold; a reference first-fit slot allocator
 * predicts the exact bounce slots. Checked after each operation:
 *  - a map is direct iff the device reaches the buffer (handle = phys -
 *    offset), otherwise it lands exactly on the model's slots, or fails
 *    when the model finds no room (dma_map_sg: nothing stays mapped);
 *  - the device's view equals the CPU's data at map and sync_for_device;
 *    the CPU's buffer equals the device's writes at sync_for_cpu and unmap
 *    (FROM_DEVICE, BIDIRECTIONAL) and its own data for TO_DEVICE;
 *  - swiotlb's slots in use and live mappings equal the model's (never
 *    over-committed); a hardware-coherent device causes no cache call;
 *  - coherent buffers are reachable, zeroed, mapped over their own pages,
 *    from CMA when large for a CMA device (unless CMA was full), and keep
 *    the pattern written into them until freed; bad calls are reported
 *    (counted) and change nothing;
 *  - at the end everything is released: no slot in use, no coherent
 *    buffer, no vmalloc area, and every page back.
 * A violation prints one line on stderr and traps.
 *
 * Reproduce: build/board/fuzz/fuzz_dma <crash-file>  (PAGODA_FUZZ_TRACE=1
 * prints every operation on stderr).
 */
#include <arch/layout.h>
#include <arch/phys.h>
#include <dma/direct.h>
#include <dma/mapping.h>
#include <dma/swiotlb.h>
#include <host.h>
#include <mm/cma.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BASE 0x40000000ULL
#define ARENA_SIZE (32ULL << 20)
#define MiB(x) ((u64)(x) << 20)
#define KiB(x) ((u64)(x) << 10)

#define MAX_LIVE 12    /* streaming mappings (single or sg) at once */
#define MAX_SEGS 4     /* entries of an sg mapping */
#define SLICE KiB(16)  /* CPU buffer per entry */
#define REGION_ORDER 8 /* 1 MiB per zone holds MAX_LIVE * MAX_SEGS slices */
#define MAX_COH 8
#define NR_DEVS 5

#define FUZZ_NAME "fuzz_dma"
#include "fuzz_check.h"

struct pgtable kernel_pgt;

static const struct mm_board board = {
	.nr_engines = 2,
	.engines = {
		{ .name = "dma23", .addr_bits = 23, .bus_offset = ARENA_BASE, .channels = 1 },
		{ .name = "dma24", .addr_bits = 24, .bus_offset = ARENA_BASE, .channels = 1, .uses_cma = true },
	},
	.cma_bytes = MiB(4), .cma_align = MiB(4), .min_free_kbytes = 256,
};

#define DEV(n, bits, off, cma, coh) \
	{ .name = n, .dma_mask = DMA_BIT_MASK(bits), .coherent_dma_mask = DMA_BIT_MASK(bits), \
	  .bus_offset = off, .uses_cma = cma, .coherent = coh }
static const struct device dev_init[NR_DEVS] = {
	DEV("d23", 23, ARENA_BASE, false, false),
	DEV("d24", 24, ARENA_BASE, true, false),
	DEV("d64", 64, 0, true, false),
	DEV("d23c", 23, ARENA_BASE, false, true),
	DEV("d22", 22, ARENA_BASE - MiB(2), false, false),
};
static struct device devs[NR_DEVS];

/* ---- the model ---------------------------------------------------------------------- */

enum owner { OWN_DEVICE, OWN_CPU };

struct seg {
	u8 *cpu;          /* the CPU buffer (linear map) */
	u32 len;
	dma_addr_t handle;
	bool bounced;
	u64 slot, nslots; /* model slots when bounced */
	u8 cpu_model[SLICE], dev_model[SLICE];
};

struct mapping {
	bool live, sg, page_api;
	struct device *dev;
	enum dma_data_direction dir;
	enum owner owner;
	bool cpu_dirty;
	unsigned nseg;
	struct seg seg[MAX_SEGS];
	struct scatterlist sgl[MAX_SEGS];
};

struct coh {
	bool live;
	struct device *dev;
	void *va;
	dma_addr_t handle;
	size_t size;
	u8 seed;
};

static struct mapping maps[MAX_LIVE];
static struct coh cohs[MAX_COH];
#define NR_LOW_ZONES ZONE_HIGHMEM /* buffers with a kernel address: DMA, DMA32, Normal */
static u8 *region[NR_LOW_ZONES];
static u8 *slot_used;          /* the reference slot map */
static u64 nslabs, model_used, model_live;
static phys_addr_t pool_base;
static u64 pool_bytes;
static u64 free_at_start;
static bool trace;

#define T(...)                                         \
	do {                                           \
		if (trace)                             \
			fprintf(stderr, __VA_ARGS__); \
	} while (0)

static u8 *slice(unsigned zone, unsigned slot, unsigned seg)
{
	return region[zone] + ((u64)slot * MAX_SEGS + seg) * SLICE;
}

static void pattern(u8 *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)(seed ^ (i * 29) ^ (i >> 8));
}

/* First fit over the reference slot map, as documented in dma/swiotlb.c. */
static s64 model_find(u64 n, u64 stride)
{
	for (u64 i = 0; i + n <= nslabs; i += stride) {
		u64 j = 0;

		while (j < n && !slot_used[i + j])
			j++;
		if (j == n)
			return (s64)i;
	}
	return -1;
}

static void model_take(u64 i, u64 n, bool used)
{
	for (u64 j = i; j < i + n; j++) {
		CHECK(slot_used[j] != used, "model slot %llu already %d", (unsigned long long)j, used);
		slot_used[j] = used;
	}
	model_used = used ? model_used + n : model_used - n;
	model_live = used ? model_live + 1 : model_live - 1;
}

static void check_pool(void)
{
	struct swiotlb_stats s;

	swiotlb_get_stats(&s);
	CHECK(s.used == model_used, "slots in use %llu, model %llu", (unsigned long long)s.used,
	      (unsigned long long)model_used);
	CHECK(s.live == model_live, "live mappings %llu, model %llu", (unsigned long long)s.live,
	      (unsigned long long)model_live);
	CHECK(s.used <= s.nslabs, "pool over-committed");
}

static u8 *dev_view(const struct seg *s, const struct device *d) { return phys_to_virt(dma_to_phys(d, s->handle)); }

/* ---- boot and teardown ---------------------------------------------------------------- */

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

static void boot(unsigned pool_choice)
{
	static const u64 pools[] = { KiB(64), KiB(128), KiB(256), KiB(1024) };

	swiotlb_forget();
	dma_coherent_forget();
	memblock_reset(); /* the arena is made once (LLVMFuzzerInitialize) and reused */
	memblock_add(ARENA_BASE, ARENA_SIZE);
	memblock_reserve(ARENA_BASE, MiB(1), "firmware");
	CHECK(mm_init(&board) == 0, "mm_init");
	CHECK(pgt_init(&kernel_pgt, PAGE_OFFSET, VA_BITS, table_alloc, table_free, NULL) == 0, "pgt_init");
	kernel_pgt.live = true;
	CHECK(vmalloc_init(&kernel_pgt, VMALLOC_START, VMALLOC_END) == 0, "vmalloc_init");
	kmem_cache_init("");
	host_mmu_reset();
	for (unsigned i = 0; i < NR_DEVS; i++)
		devs[i] = dev_init[i];
	memset(maps, 0, sizeof(maps));
	memset(cohs, 0, sizeof(cohs));
	free_at_start = free_pages_now();
	for (int z = 0; z < NR_LOW_ZONES; z++) {
		struct page *p = alloc_pages(GFP_KERNEL | dma_zone_gfp(z), REGION_ORDER);

		CHECK(p && p->zone == z, "region in zone %d", z);
		region[z] = page_address(p);
	}
	CHECK(swiotlb_init(pools[pool_choice % 4]) == 0, "swiotlb_init");
	swiotlb_pool_range(&pool_base, &pool_bytes);
	nslabs = pool_bytes / IO_TLB_SIZE;
	CHECK(pool_base >= ARENA_BASE && pool_base + pool_bytes <= ARENA_BASE + MiB(8), "pool outside ZONE_DMA");
	free(slot_used);
	slot_used = calloc(nslabs, 1);
	model_used = model_live = 0;
	T("boot: pool [%#llx +%llu KiB]\n", (unsigned long long)pool_base, (unsigned long long)(pool_bytes >> 10));
}

/* ---- streaming maps -------------------------------------------------------------------- */

/* Predict one entry: direct, bounced at a model slot, or no room (false). */
static bool predict(struct mapping *m, struct seg *s)
{
	phys_addr_t pa = virt_to_phys(s->cpu);
	u64 n = (s->len + IO_TLB_SIZE - 1) / IO_TLB_SIZE;
	s64 i;

	s->bounced = !dma_capable(m->dev, pa, s->len, m->dev->dma_mask);
	if (!s->bounced)
		return true;
	if (!dma_capable(m->dev, pool_base, pool_bytes, m->dev->dma_mask))
		return false;
	i = model_find(n, s->len >= PAGE_SIZE ? PAGE_SIZE / IO_TLB_SIZE : 1);
	if (i < 0)
		return false;
	s->slot = (u64)i;
	s->nslots = n;
	return true;
}

/* After a successful map of entry s: the handle is what the model says, and
 * the device sees the CPU's data. */
static void check_mapped(struct mapping *m, struct seg *s)
{
	phys_addr_t want = s->bounced ? pool_base + s->slot * IO_TLB_SIZE : virt_to_phys(s->cpu);

	CHECK(s->handle == phys_to_dma(m->dev, want), "%s: handle %#llx, expected phys %#llx", m->dev->name,
	      (unsigned long long)s->handle, (unsigned long long)want);
	CHECK(dma_capable(m->dev, dma_to_phys(m->dev, s->handle), s->len, m->dev->dma_mask), "handle out of reach");
	CHECK(!memcmp(dev_view(s, m->dev), s->cpu_model, s->len), "device view differs from the CPU's data at map");
	memcpy(s->dev_model, s->cpu_model, s->len);
}

static void prepare_seg(struct mapping *m, unsigned slot, unsigned k, unsigned zone, unsigned off, unsigned len,
			u8 seed)
{
	struct seg *s = &m->seg[k];

	off %= SLICE;
	len = 1 + len % (unsigned)(SLICE - off);
	s->cpu = slice(zone % NR_LOW_ZONES, slot, k) + off;
	s->len = len;
	pattern(s->cpu, len, (u8)(seed + k));
	memcpy(s->cpu_model, s->cpu, len);
}

static void do_map(unsigned slot, unsigned dev, unsigned dir, unsigned api, unsigned zone, unsigned off,
		   unsigned len, u8 seed)
{
	struct mapping *m = &maps[slot];
	struct seg *s = &m->seg[0];
	u64 errs = dma_api_errors, calls = host_mmu.cache_calls, merr;
	bool fits;

	m->dev = &devs[dev % NR_DEVS];
	merr = m->dev->stats.map_errors;
	prepare_seg(m, slot, 0, zone, off, len, seed);
	T("map slot %u %s dir %u api %u zone %u pa %#llx len %u\n", slot, m->dev->name, dir % 4, api & 1,
	  zone % NR_LOW_ZONES, (unsigned long long)virt_to_phys(s->cpu), s->len);
	if (dir % 4 == DMA_NONE) {
		dma_addr_t h = dma_map_single(m->dev, s->cpu, s->len, DMA_NONE);

		CHECK(h == DMA_MAPPING_ERROR && dma_api_errors == errs + 1, "DMA_NONE mapped");
		CHECK(m->dev->stats.map_errors == merr + 1, "DMA_NONE not counted");
		return;
	}
	m->dir = (enum dma_data_direction)(dir % 3);
	fits = predict(m, s);
	if (api & 1)
		s->handle = dma_map_page(m->dev, virt_to_page(s->cpu), (size_t)((uintptr_t)s->cpu % PAGE_SIZE), s->len,
					 m->dir);
	else
		s->handle = dma_map_single(m->dev, s->cpu, s->len, m->dir);
	CHECK(dma_api_errors == errs, "a valid map reported misuse");
	if (!fits) {
		CHECK(dma_mapping_error(m->dev, s->handle), "mapped although the model found no room");
		CHECK(m->dev->stats.map_errors == merr + 1, "map error not counted");
		check_pool();
		return;
	}
	CHECK(!dma_mapping_error(m->dev, s->handle), "map failed although the model found room");
	if (s->bounced)
		model_take(s->slot, s->nslots, true);
	check_mapped(m, s);
	CHECK(m->dev->coherent ? host_mmu.cache_calls == calls : host_mmu.cache_calls > calls,
	      "cache maintenance for a %scoherent device", m->dev->coherent ? "" : "non-");
	m->live = true;
	m->sg = false;
	m->page_api = api & 1;
	m->nseg = 1;
	m->owner = OWN_DEVICE;
	m->cpu_dirty = false;
	check_pool();
}

static void do_map_sg(unsigned slot, unsigned dev, unsigned dir, unsigned nseg, const unsigned *zone,
		      const unsigned *off, const unsigned *len, u8 seed)
{
	struct mapping *m = &maps[slot];
	bool fits = true;
	unsigned k;
	int rc;

	m->dev = &devs[dev % NR_DEVS];
	m->dir = (enum dma_data_direction)(dir % 3);
	m->nseg = 1 + nseg % MAX_SEGS;
	T("map_sg slot %u %s dir %u entries %u\n", slot, m->dev->name, m->dir, m->nseg);
	/* predict entry by entry, holding the model's slots as the real code does */
	for (k = 0; k < m->nseg; k++) {
		struct seg *s = &m->seg[k];

		prepare_seg(m, slot, k, zone[k], off[k], len[k], seed);
		m->sgl[k] = (struct scatterlist){ .page = virt_to_page(s->cpu),
						  .offset = (unsigned)((uintptr_t)s->cpu % PAGE_SIZE), .length = s->len };
		if (!predict(m, s)) {
			fits = false;
			break;
		}
		if (s->bounced)
			model_take(s->slot, s->nslots, true);
	}
	for (unsigned j = 0; j < k; j++) /* back to the state before: the call decides */
		if (m->seg[j].bounced)
			model_take(m->seg[j].slot, m->seg[j].nslots, false);
	rc = dma_map_sg(m->dev, m->sgl, (int)m->nseg, m->dir);
	if (!fits) {
		CHECK(rc == 0, "dma_map_sg mapped although the model found no room");
		for (unsigned j = 0; j < m->nseg; j++)
			CHECK(m->sgl[j].dma_address == DMA_MAPPING_ERROR, "entry %u left mapped", j);
		check_pool();
		return;
	}
	CHECK(rc == (int)m->nseg, "dma_map_sg returned %d for %u entries", rc, m->nseg);
	for (k = 0; k < m->nseg; k++) {
		struct seg *s = &m->seg[k];

		CHECK(m->sgl[k].dma_length == s->len, "dma_length");
		s->handle = m->sgl[k].dma_address;
		if (s->bounced)
			model_take(s->slot, s->nslots, true);
		check_mapped(m, s);
	}
	m->live = true;
	m->sg = true;
	m->owner = OWN_DEVICE;
	m->cpu_dirty = false;
	check_pool();
}

/* The CPU's buffer after sync_for_cpu/unmap: the device's data, or its own for TO_DEVICE. */
static void check_cpu_side(struct mapping *m)
{
	for (unsigned k = 0; k < m->nseg; k++) {
		struct seg *s = &m->seg[k];

		if (m->dir != DMA_TO_DEVICE)
			memcpy(s->cpu_model, s->dev_model, s->len);
		CHECK(!memcmp(s->cpu, s->cpu_model, s->len), "%s entry %u: CPU buffer differs after sync/unmap (dir %d,"
		      " %s)", m->dev->name, k, m->dir, s->bounced ? "bounced" : "direct");
	}
}

static void do_sync_for_device(struct mapping *m)
{
	T("sync_for_device %s\n", m->dev->name);
	if (m->sg) {
		dma_sync_sg_for_device(m->dev, m->sgl, (int)m->nseg, m->dir);
	} else {
		dma_sync_single_for_device(m->dev, m->seg[0].handle, m->seg[0].len, m->dir);
	}
	for (unsigned k = 0; k < m->nseg; k++) {
		struct seg *s = &m->seg[k];

		memcpy(s->dev_model, s->cpu_model, s->len);
		CHECK(!memcmp(dev_view(s, m->dev), s->dev_model, s->len), "device view differs after sync_for_device");
	}
	m->owner = OWN_DEVICE;
	m->cpu_dirty = false;
}

static void do_sync_for_cpu(struct mapping *m)
{
	T("sync_for_cpu %s\n", m->dev->name);
	if (m->sg)
		dma_sync_sg_for_cpu(m->dev, m->sgl, (int)m->nseg, m->dir);
	else
		dma_sync_single_for_cpu(m->dev, m->seg[0].handle, m->seg[0].len, m->dir);
	check_cpu_side(m);
	m->owner = OWN_CPU;
}

static void do_unmap(struct mapping *m)
{
	u64 errs = dma_api_errors;

	if (m->owner == OWN_CPU && m->cpu_dirty && m->dir == DMA_BIDIRECTIONAL)
		do_sync_for_device(m); /* the CPU's writes go to the device before it lets go */
	T("unmap %s (%u entries)\n", m->dev->name, m->nseg);
	if (m->sg)
		dma_unmap_sg(m->dev, m->sgl, (int)m->nseg, m->dir);
	else if (m->page_api)
		dma_unmap_page(m->dev, m->seg[0].handle, m->seg[0].len, m->dir);
	else
		dma_unmap_single(m->dev, m->seg[0].handle, m->seg[0].len, m->dir);
	CHECK(dma_api_errors == errs, "a valid unmap reported misuse");
	if (m->owner == OWN_DEVICE || m->dir != DMA_TO_DEVICE)
		check_cpu_side(m);
	else
		for (unsigned k = 0; k < m->nseg; k++)
			CHECK(!memcmp(m->seg[k].cpu, m->seg[k].cpu_model, m->seg[k].len), "TO_DEVICE unmap changed the CPU's data");
	for (unsigned k = 0; k < m->nseg; k++)
		if (m->seg[k].bounced)
			model_take(m->seg[k].slot, m->seg[k].nslots, false);
	m->live = false;
	check_pool();
}

static void do_write(struct mapping *m, bool device, unsigned k, unsigned off, unsigned len, u8 seed)
{
	struct seg *s = &m->seg[k % m->nseg];

	off %= s->len;
	len = 1 + len % (s->len - off);
	T("%s write %s entry %u [%u +%u]\n", device ? "device" : "cpu", m->dev->name, k % m->nseg, off, len);
	if (device) {
		pattern(dev_view(s, m->dev) + off, len, seed);
		pattern(s->dev_model + off, len, seed);
	} else {
		pattern(s->cpu + off, len, seed);
		pattern(s->cpu_model + off, len, seed);
		m->cpu_dirty = true;
	}
}

/* ---- coherent --------------------------------------------------------------------------- */

static void do_coherent(unsigned c, unsigned dev, unsigned cls, unsigned sz, u8 seed)
{
	struct coh *b = &cohs[c];
	u64 allocs = cma_stats.allocs, cma_fails = cma_stats.fail_nospace + cma_stats.fail_busy;
	size_t size;
	phys_addr_t pa;
	u64 npages;

	if (b->live) {
		u8 *alias = phys_to_virt(dma_to_phys(b->dev, b->handle));
		u64 errs = dma_api_errors;

		T("coherent free %s %zu\n", b->dev->name, b->size);
		for (size_t i = 0; i < b->size; i++)
			CHECK(alias[i] == (u8)(b->seed + i), "coherent buffer changed under its owner at +%zu", i);
		dma_free_coherent(b->dev, b->size, b->va, b->handle);
		CHECK(dma_api_errors == errs, "a valid coherent free reported misuse");
		b->live = false;
		return;
	}
	b->dev = &devs[dev % NR_DEVS];
	size = cls % 4 == 0 ? 1 + sz % PAGE_SIZE : cls % 4 == 3 ? 1 + (sz << 5) % MiB(2) : 1 + sz % KiB(256);
	T("coherent alloc %s %zu\n", b->dev->name, size);
	b->va = dma_alloc_coherent(b->dev, size, &b->handle, (cls & 4) ? GFP_KERNEL | __GFP_NOWARN : GFP_KERNEL);
	if (!b->va) {
		CHECK(b->handle == DMA_MAPPING_ERROR, "failed alloc left a handle");
		return;
	}
	pa = dma_to_phys(b->dev, b->handle);
	npages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	CHECK(dma_capable(b->dev, pa, size, b->dev->coherent_dma_mask), "coherent buffer out of reach");
	CHECK(pa % PAGE_SIZE == 0, "coherent buffer not page aligned");
	if (b->dev->uses_cma && size >= DMA_CMA_THRESHOLD && cma_size)
		CHECK((pa >= cma_base && pa + size <= cma_base + cma_size && cma_stats.allocs == allocs + 1) ||
			      cma_stats.fail_nospace + cma_stats.fail_busy == cma_fails + 1,
		      "large buffer for a CMA device not from CMA, and cma_alloc did not fail");
	else
		CHECK(!(pa >= cma_base && pa < cma_base + cma_size), "CMA used for a small or non-CMA buffer");
	for (u64 i = 0; i < npages; i++) {
		u8 *alias = phys_to_virt(pa + i * PAGE_SIZE);

		for (size_t j = 0; j < PAGE_SIZE; j++)
			CHECK(alias[j] == 0, "coherent buffer not zeroed");
		if (b->dev->coherent)
			CHECK(b->va == phys_to_virt(pa), "a coherent device gets the linear address");
		else
			CHECK(vmalloc_to_page((u8 *)b->va + i * PAGE_SIZE) == pfn_to_page(phys_to_pfn(pa) + i),
			      "NC alias does not map the buffer's pages");
	}
	b->size = size;
	b->seed = seed;
	for (size_t i = 0; i < size; i++)
		((u8 *)phys_to_virt(pa))[i] = (u8)(seed + i);
	b->live = true;
}

/* ---- misuse ------------------------------------------------------------------------------- */

static void do_bad(unsigned kind, unsigned arg)
{
	u64 errs = dma_api_errors;
	struct swiotlb_stats s0, s1;

	swiotlb_get_stats(&s0);
	switch (kind % 3) {
	case 0: {
		struct coh *b = &cohs[arg % MAX_COH];

		if (!b->live)
			return;
		T("bad coherent free (size %zu + 1)\n", b->size);
		dma_free_coherent(b->dev, b->size + 1, b->va, b->handle);
		CHECK(dma_api_errors == errs + 1, "wrong-size coherent free not reported");
		break;
	}
	case 1: {
		u64 i = arg % nslabs;
		bool head = false;

		for (unsigned k = 0; k < MAX_LIVE; k++)
			for (unsigned j = 0; maps[k].live && j < maps[k].nseg; j++)
				head |= maps[k].seg[j].bounced && maps[k].seg[j].slot == i;
		if (head)
			return;
		T("bad unmap of slot %llu\n", (unsigned long long)i);
		dma_unmap_single(&devs[2], pool_base + i * IO_TLB_SIZE, 64, DMA_FROM_DEVICE); /* d64: bus = phys */
		swiotlb_get_stats(&s1);
		CHECK(s1.bad_calls == s0.bad_calls + 1, "bad unmap not refused");
		break;
	}
	default: {
		u8 *p = slice(0, 0, 0);

		T("map DMA_NONE\n");
		CHECK(dma_mapping_error(&devs[0], dma_map_single(&devs[0], p, 64, DMA_NONE)), "DMA_NONE mapped");
		CHECK(dma_api_errors == errs + 1, "DMA_NONE not reported");
		break;
	}
	}
	check_pool();
}

/* ---- driver ----------------------------------------------------------------------------- */

struct input {
	const u8 *p;
	size_t n;
};

static bool get(struct input *in, unsigned bytes, unsigned *v)
{
	if (in->n < bytes)
		return false;
	*v = in->p[0] | (bytes > 1 ? (unsigned)in->p[1] << 8 : 0);
	in->p += bytes;
	in->n -= bytes;
	return true;
}

enum { OP_MAP, OP_MAP_SG, OP_UNMAP, OP_DEV_WRITE, OP_SYNC_CPU, OP_CPU_WRITE, OP_SYNC_DEV, OP_COH, OP_BAD, OP_CYCLE,
       NR_OPS };

/* A driver's whole hand-over cycle on one slot: map, the device writes,
 * sync_for_cpu, the CPU writes, sync_for_device, and unmap unless keep. */
static void do_cycle(unsigned slot, unsigned dev, unsigned dir, unsigned zone, unsigned off, unsigned len, u8 seed,
		     bool keep)
{
	struct mapping *m = &maps[slot];

	do_map(slot, dev, dir % 3, dir >> 2, zone, off, len, seed);
	if (!m->live)
		return;
	if (m->dir != DMA_TO_DEVICE)
		do_write(m, true, 0, len >> 3, len * 7, (u8)(seed + 1));
	do_sync_for_cpu(m);
	if (m->dir != DMA_FROM_DEVICE)
		do_write(m, false, 0, off * 3, len >> 2, (u8)(seed + 2));
	do_sync_for_device(m);
	if (!keep)
		do_unmap(m);
}

static void finish(void)
{
	u64 bytes;

	for (unsigned i = 0; i < MAX_LIVE; i++)
		if (maps[i].live)
			do_unmap(&maps[i]);
	for (unsigned i = 0; i < MAX_COH; i++)
		if (cohs[i].live)
			do_coherent(i, 0, 0, 0, 0);
	check_pool();
	CHECK(model_used == 0, "model slots left");
	CHECK(dma_coherent_live(&bytes) == 0 && bytes == 0, "coherent buffers left");
	CHECK(vmalloc_used_bytes() == 0, "vmalloc areas left");
	CHECK(host_mmu.bbm_violations == 0, "break-before-make violated");
	swiotlb_exit();
	for (int z = 0; z < NR_LOW_ZONES; z++)
		free_pages(virt_to_page(region[z]), REGION_ORDER);
	CHECK(free_pages_now() == free_at_start, "pages not conserved: %llu free, %llu at start",
	      (unsigned long long)free_pages_now(), (unsigned long long)free_at_start);
	pgt_destroy(&kernel_pgt);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	host_phys_init(ARENA_BASE, ARENA_SIZE);
	trace = getenv("PAGODA_FUZZ_TRACE") != NULL;
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	unsigned op, a, b, c, d, e, f, g, h;

	if (!get(&in, 1, &a))
		return 0;
	boot(a);
	while (get(&in, 1, &op)) {
		struct mapping *m;

		if (!get(&in, 1, &a))
			break;
		m = &maps[a % MAX_LIVE];
		switch (op % NR_OPS) {
		case OP_MAP:
			if (!get(&in, 1, &b) || !get(&in, 1, &c) || !get(&in, 1, &d) || !get(&in, 2, &e) ||
			    !get(&in, 2, &f) || !get(&in, 1, &g))
				goto out;
			if (m->live)
				do_unmap(m);
			else
				do_map(a % MAX_LIVE, b, c, c >> 2, d, e, f, (u8)g);
			break;
		case OP_MAP_SG: {
			unsigned zone[MAX_SEGS], off[MAX_SEGS], len[MAX_SEGS];

			if (!get(&in, 1, &b) || !get(&in, 1, &c) || !get(&in, 1, &d))
				goto out;
			for (unsigned k = 0; k < MAX_SEGS; k++)
				if (!get(&in, 1, &zone[k]) || !get(&in, 2, &off[k]) || !get(&in, 2, &len[k]))
					goto out;
			if (m->live)
				do_unmap(m);
			else
				do_map_sg(a % MAX_LIVE, b, c, d, zone, off, len, (u8)(b ^ d));
			break;
		}
		case OP_UNMAP:
			if (m->live)
				do_unmap(m);
			break;
		case OP_DEV_WRITE:
		case OP_CPU_WRITE:
			if (!get(&in, 1, &b) || !get(&in, 2, &c) || !get(&in, 2, &d) || !get(&in, 1, &e))
				goto out;
			if (!m->live)
				break;
			if (op % NR_OPS == OP_DEV_WRITE && m->owner == OWN_DEVICE && m->dir != DMA_TO_DEVICE)
				do_write(m, true, b, c, d, (u8)e);
			if (op % NR_OPS == OP_CPU_WRITE && m->owner == OWN_CPU && m->dir != DMA_FROM_DEVICE)
				do_write(m, false, b, c, d, (u8)e);
			break;
		case OP_SYNC_CPU:
			if (m->live && m->owner == OWN_DEVICE)
				do_sync_for_cpu(m);
			break;
		case OP_SYNC_DEV:
			if (m->live && m->owner == OWN_CPU)
				do_sync_for_device(m);
			break;
		case OP_COH:
			if (!get(&in, 1, &b) || !get(&in, 1, &c) || !get(&in, 2, &d) || !get(&in, 1, &h))
				goto out;
			do_coherent(a % MAX_COH, b, c, d, (u8)h);
			break;
		case OP_BAD:
			if (!get(&in, 2, &b))
				goto out;
			do_bad(a, b);
			break;
		case OP_CYCLE:
			if (!get(&in, 1, &b) || !get(&in, 1, &c) || !get(&in, 2, &e) || !get(&in, 2, &f))
				goto out;
			if (m->live)
				do_unmap(m);
			else
				do_cycle(a % MAX_LIVE, b, c, c >> 3, e, f, (u8)(b + c), c & 0x80);
			break;
		}
	}
out:
	finish();
	return 0;
}
