/*
 * Streaming DMA mappings: dma_map_single/page/sg, their unmaps and syncs,
 * the cache maintenance a non-coherent device needs, and the choice
 * between handing the device the buffer itself or a swiotlb bounce copy.
 * Contracts: include/dma/mapping.h (drivers), include/dma/direct.h
 * (policy, diagnostics); design notes: docs/dma.md. Coherent memory is
 * in dma/coherent.c, the bounce pool in dma/swiotlb.c.
 *
 * Terminology
 *   bus address   what the device puts on the bus: phys - bus_offset.
 *   reachable     dma_capable(): every byte's bus address is <= the mask
 *                 (and the buffer is not below bus_offset).
 *   direct map    the handle is the buffer's own bus address.
 *   bounced map   the handle points at a copy in the swiotlb pool.
 *
 *   dma_map_single(ptr)         linear-map address? -- no --> DMA_MAPPING_ERROR + report
 *        | yes, pa = virt_to_phys(ptr)
 *   reachable by dma_mask? --- yes --> cache op for dir on pa ----> phys_to_dma(pa)
 *        | no
 *   swiotlb_map(pa) (copy in) --> cache op for dir on the slots --> phys_to_dma(slots)
 *        | pool full / too large / no pool / pool out of reach
 *   DMA_MAPPING_ERROR (map_errors++)
 *
 * unmap and sync_for_cpu do the reverse: invalidate what the device
 * wrote (FROM_DEVICE, BIDIRECTIONAL), then copy a bounce back.
 *
 * Locking: none here; per-device counters are updated with interrupts
 * masked (one CPU), swiotlb takes its own lock. Callable from any context.
 *
 * Errors: maps return DMA_MAPPING_ERROR (dma_map_sg: 0, with nothing left
 * mapped); misuse (bad direction, zero size, a pointer outside the linear
 * map, an unmap of something never mapped) is also reported through
 * dma_api_report(); unmaps and syncs return nothing and, on misuse, do
 * nothing.
 */
#include <arch/irqflags.h>
#include <arch/mmu.h>
#include <arch/phys.h>
#include <dma/direct.h>
#include <dma/swiotlb.h>
#include <lib/panic.h>
#include <mm/highmem.h>
#include <mm/memblock.h>
#include <mm/mmzone.h>
#include <mm/vmalloc.h>
#include <stdarg.h>
#include <stdio.h>

#define ULL(x) ((unsigned long long)(x))

u64 dma_api_errors;

void dma_api_report(const struct device *d, const char *fn, const char *fmt, ...)
{
	unsigned long f = arch_irq_save();
	va_list ap;

	dma_api_errors++;
	arch_irq_restore(f);
	printf("DMA-API: %s: %s: ", d && d->name ? d->name : "(no device)", fn);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	dump_stack();
}

static void stat_add(u64 *counter, u64 v)
{
	unsigned long f = arch_irq_save();

	*counter += v;
	arch_irq_restore(f);
}

void dma_dev_report(FILE *f, const struct device *d)
{
	struct dma_dev_stats s;
	unsigned long fl = arch_irq_save();

	s = d->stats;
	arch_irq_restore(fl);
	fprintf(f, "%s: maps %llu unmaps %llu bounced %llu bounce_bytes %llu map_errors %llu coherent_allocs %llu"
		" coherent_bytes %llu\n", d->name ? d->name : "?", ULL(s.maps), ULL(s.unmaps), ULL(s.bounced),
		ULL(s.bounce_bytes), ULL(s.map_errors), ULL(s.coherent_allocs), ULL(s.coherent_bytes));
}

/* ---- reach and zones -------------------------------------------------------- */

bool dma_capable(const struct device *d, phys_addr_t pa, u64 size, u64 mask)
{
	phys_addr_t last = pa + (size ? size - 1 : 0);

	if (last < pa || pa < d->bus_offset)
		return false;
	return last - d->bus_offset <= mask;
}

int dma_zone_for_mask(const struct device *d, u64 mask)
{
	int best = -1;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zn = &zones[z];

		if (!zone_populated(zn))
			continue;
		if (!dma_capable(d, pfn_to_phys(zn->start_pfn), (zn->end_pfn - zn->start_pfn) << PAGE_SHIFT, mask))
			break;
		best = z;
	}
	return best;
}

gfp_t dma_zone_gfp(int zone)
{
	return zone == ZONE_DMA ? __GFP_DMA : zone == ZONE_DMA32 ? __GFP_DMA32 : 0;
}

/* ---- cache maintenance ------------------------------------------------------ */

/* Invalidate [va, va + size); partial DMA_MINALIGN granules at the edges
 * are cleaned and invalidated so that their bytes outside the buffer
 * (another object's live data) reach memory instead of being dropped. */
static void inval_edges(vaddr_t va, size_t size)
{
	vaddr_t a = ALIGN_DOWN(va, DMA_MINALIGN), b = ALIGN_UP(va + size, DMA_MINALIGN);

	if (a != va) {
		arch_dcache_clean_inval_range(a, DMA_MINALIGN);
		a += DMA_MINALIGN;
	}
	if (b != va + size && b - DMA_MINALIGN >= a) {
		arch_dcache_clean_inval_range(b - DMA_MINALIGN, DMA_MINALIGN);
		b -= DMA_MINALIGN;
	}
	if (b > a)
		arch_dcache_inval_range(a, b - a);
}

static void sync_for_device(vaddr_t va, size_t size, enum dma_data_direction dir)
{
	if (dir == DMA_TO_DEVICE)
		arch_dcache_clean_range(va, size);
	else if (dir == DMA_FROM_DEVICE)
		inval_edges(va, size);
	else
		arch_dcache_clean_inval_range(va, size);
}

static void sync_for_cpu(vaddr_t va, size_t size, enum dma_data_direction dir)
{
	if (dir != DMA_TO_DEVICE)
		inval_edges(va, size);
}

/* Run op on [pa, pa + size) through the linear map, or page by page through
 * kmap_local for highmem (the data caches are PIPT: any alias will do; the
 * edges inside the range are page-aligned, so inval_edges sees only the
 * buffer's own). */
static void cache_op_pa(phys_addr_t pa, size_t size, enum dma_data_direction dir,
			void (*op)(vaddr_t, size_t, enum dma_data_direction))
{
	if (pa + size <= memblock_lowmem_end() || !pfn_valid(phys_to_pfn(pa))) {
		op((vaddr_t)phys_to_virt(pa), size, dir);
		return;
	}
	while (size) {
		size_t off = pa & (PAGE_SIZE - 1), c = MIN(size, PAGE_SIZE - off);
		u8 *va = kmap_local_page(pfn_to_page(phys_to_pfn(pa)));

		op((vaddr_t)(va + off), c, dir);
		kunmap_local(va);
		pa += c, size -= c;
	}
}

void dma_cache_sync_for_device(phys_addr_t pa, size_t size, enum dma_data_direction dir)
{
	cache_op_pa(pa, size, dir, sync_for_device);
}

void dma_cache_sync_for_cpu(phys_addr_t pa, size_t size, enum dma_data_direction dir)
{
	cache_op_pa(pa, size, dir, sync_for_cpu);
}

/* ---- argument checks -------------------------------------------------------- */

static bool valid_dir(enum dma_data_direction dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE || dir == DMA_FROM_DEVICE;
}

/* [pa, pa + size) is RAM with struct pages (what a map may hand out). */
static bool ram_range(phys_addr_t pa, size_t size)
{
	return pa + size - 1 >= pa && pfn_valid(phys_to_pfn(pa)) && pfn_valid(phys_to_pfn(pa + size - 1));
}

/* Common checks of every map/unmap/sync; reports and returns false on misuse. */
static bool check_args(struct device *d, const char *fn, size_t size, enum dma_data_direction dir)
{
	if (!d) {
		dma_api_report(d, fn, "no device");
		return false;
	}
	if (!valid_dir(dir)) {
		dma_api_report(d, fn, "invalid direction %d (DMA_NONE cannot be mapped)", (int)dir);
		return false;
	}
	if (!size) {
		dma_api_report(d, fn, "zero size");
		return false;
	}
	return true;
}

/* ---- map and unmap ---------------------------------------------------------- */

static dma_addr_t map_error(struct device *d)
{
	stat_add(&d->stats.map_errors, 1);
	return DMA_MAPPING_ERROR;
}

/* Map [pa, pa + size) (RAM, checked) for d: directly or through swiotlb. */
static dma_addr_t map_phys(struct device *d, phys_addr_t pa, size_t size, enum dma_data_direction dir)
{
	phys_addr_t pool, tlb;
	u64 pool_bytes;

	if (dma_capable(d, pa, size, d->dma_mask)) {
		if (!d->coherent)
			dma_cache_sync_for_device(pa, size, dir);
		stat_add(&d->stats.maps, 1);
		return phys_to_dma(d, pa);
	}
	swiotlb_pool_range(&pool, &pool_bytes);
	if (pool_bytes && !dma_capable(d, pool, pool_bytes, d->dma_mask)) {
		printf("DMA: %s: cannot bounce [mem %#llx +%#llx]: the swiotlb pool is out of the device's reach too"
		       " (mask %#llx, bus offset %#llx)\n", d->name ? d->name : "?", ULL(pa), ULL(size),
		       ULL(d->dma_mask), ULL(d->bus_offset));
		return map_error(d);
	}
	tlb = swiotlb_map(pa, size, dir); /* prints why when it fails */
	if (tlb == SWIOTLB_MAP_ERROR)
		return map_error(d);
	if (!d->coherent)
		dma_cache_sync_for_device(tlb, size, dir);
	stat_add(&d->stats.maps, 1);
	stat_add(&d->stats.bounced, 1);
	stat_add(&d->stats.bounce_bytes, size);
	return phys_to_dma(d, tlb);
}

dma_addr_t dma_map_single(struct device *d, void *ptr, size_t size, enum dma_data_direction dir)
{
	uintptr_t p = (uintptr_t)ptr, last = p + size - 1;

	if (!check_args(d, "dma_map_single", size, dir))
		return d ? map_error(d) : DMA_MAPPING_ERROR;
	if (!ptr || last < p || !virt_addr_valid(ptr) || !virt_addr_valid((const void *)last)) {
		dma_api_report(d, "dma_map_single", "%p (+%llu) is %s", ptr, ULL(size),
			       is_vmalloc_addr(ptr) ? "a vmalloc address: not physically contiguous, map its pages"
						    : "not a linear-map (kmalloc or page) address");
		return map_error(d);
	}
	if (!ram_range(virt_to_phys(ptr), size)) {
		dma_api_report(d, "dma_map_single", "%p (+%llu) is not RAM", ptr, ULL(size));
		return map_error(d);
	}
	return map_phys(d, virt_to_phys(ptr), size, dir);
}

static dma_addr_t map_page(struct device *d, const char *fn, struct page *page, size_t offset, size_t size,
			   enum dma_data_direction dir)
{
	phys_addr_t pa;

	if (!check_args(d, fn, size, dir))
		return d ? map_error(d) : DMA_MAPPING_ERROR;
	if (!page || !pfn_valid(page_to_pfn(page))) {
		dma_api_report(d, fn, "no page");
		return map_error(d);
	}
	pa = page_to_phys(page) + offset;
	if (pa < page_to_phys(page) || !ram_range(pa, size)) {
		dma_api_report(d, fn, "offset %llu + %llu bytes run past RAM", ULL(offset), ULL(size));
		return map_error(d);
	}
	return map_phys(d, pa, size, dir);
}

dma_addr_t dma_map_page(struct device *d, struct page *page, size_t offset, size_t size,
			enum dma_data_direction dir)
{
	return map_page(d, "dma_map_page", page, offset, size, dir);
}

static void unmap(struct device *d, const char *fn, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	phys_addr_t pa;
	struct swiotlb_mapping m;

	if (!check_args(d, fn, size, dir))
		return;
	if (addr == DMA_MAPPING_ERROR) {
		dma_api_report(d, fn, "DMA_MAPPING_ERROR is not a mapping");
		return;
	}
	pa = dma_to_phys(d, addr);
	if (is_swiotlb_buffer(pa)) {
		if (!swiotlb_find(pa, &m) || m.start != pa) {
			swiotlb_unmap(pa, size, dir); /* refuses and reports */
			return;
		}
		if (!d->coherent)
			dma_cache_sync_for_cpu(m.start, m.size, m.dir);
		if (swiotlb_unmap(pa, size, dir)) /* raced with another unmap: reported */
			return;
		stat_add(&d->stats.unmaps, 1);
		if (m.dir != DMA_TO_DEVICE)
			stat_add(&d->stats.bounce_bytes, m.size);
		return;
	}
	if (!ram_range(pa, size)) {
		dma_api_report(d, fn, "handle %#llx (+%llu) is not a mapping of RAM", ULL(addr), ULL(size));
		return;
	}
	if (!d->coherent)
		dma_cache_sync_for_cpu(pa, size, dir);
	stat_add(&d->stats.unmaps, 1);
}

void dma_unmap_single(struct device *d, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	unmap(d, "dma_unmap_single", addr, size, dir);
}

void dma_unmap_page(struct device *d, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	unmap(d, "dma_unmap_page", addr, size, dir);
}

/* ---- syncs -------------------------------------------------------------------- */

/* The physical range behind a sync of [addr, addr + size), or false after a report. */
static bool sync_range(struct device *d, const char *fn, dma_addr_t addr, size_t size, enum dma_data_direction dir,
		       phys_addr_t *pa)
{
	if (!check_args(d, fn, size, dir))
		return false;
	*pa = dma_to_phys(d, addr);
	if (addr == DMA_MAPPING_ERROR || (!is_swiotlb_buffer(*pa) && !ram_range(*pa, size))) {
		dma_api_report(d, fn, "handle %#llx (+%llu) is not a mapping of RAM", ULL(addr), ULL(size));
		return false;
	}
	return true;
}

void dma_sync_single_for_cpu(struct device *d, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	struct swiotlb_mapping m;
	phys_addr_t pa;

	if (!sync_range(d, "dma_sync_single_for_cpu", addr, size, dir, &pa))
		return;
	if (is_swiotlb_buffer(pa)) {
		if (!swiotlb_find(pa, &m) || pa + size > m.start + m.size) {
			swiotlb_sync_for_cpu(pa, size, dir); /* reports */
			return;
		}
		if (!d->coherent)
			dma_cache_sync_for_cpu(pa, size, dir);
		if (!swiotlb_sync_for_cpu(pa, size, dir) && dir != DMA_TO_DEVICE)
			stat_add(&d->stats.bounce_bytes, size);
		return;
	}
	if (!d->coherent)
		dma_cache_sync_for_cpu(pa, size, dir);
}

void dma_sync_single_for_device(struct device *d, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	phys_addr_t pa;

	if (!sync_range(d, "dma_sync_single_for_device", addr, size, dir, &pa))
		return;
	if (is_swiotlb_buffer(pa)) {
		if (swiotlb_sync_for_device(pa, size, dir)) /* reports */
			return;
		stat_add(&d->stats.bounce_bytes, size);
	}
	if (!d->coherent)
		dma_cache_sync_for_device(pa, size, dir);
}

/* ---- scatter lists ------------------------------------------------------------ */

int dma_map_sg(struct device *d, struct scatterlist *sg, int nents, enum dma_data_direction dir)
{
	if (!sg || nents <= 0) {
		dma_api_report(d, "dma_map_sg", "no entries (%d)", nents);
		if (d)
			map_error(d);
		return 0;
	}
	for (int i = 0; i < nents; i++) {
		sg[i].dma_address = map_page(d, "dma_map_sg", sg[i].page, sg[i].offset, sg[i].length, dir);
		sg[i].dma_length = sg[i].length;
		if (sg[i].dma_address == DMA_MAPPING_ERROR) {
			for (int j = 0; j < i; j++)
				unmap(d, "dma_map_sg", sg[j].dma_address, sg[j].dma_length, dir);
			for (int j = 0; j < nents; j++)
				sg[j].dma_address = DMA_MAPPING_ERROR;
			return 0;
		}
	}
	return nents;
}

void dma_unmap_sg(struct device *d, struct scatterlist *sg, int nents, enum dma_data_direction dir)
{
	for (int i = 0; sg && i < nents; i++)
		unmap(d, "dma_unmap_sg", sg[i].dma_address, sg[i].dma_length, dir);
}

void dma_sync_sg_for_cpu(struct device *d, struct scatterlist *sg, int nents, enum dma_data_direction dir)
{
	for (int i = 0; sg && i < nents; i++)
		dma_sync_single_for_cpu(d, sg[i].dma_address, sg[i].dma_length, dir);
}

void dma_sync_sg_for_device(struct device *d, struct scatterlist *sg, int nents, enum dma_data_direction dir)
{
	for (int i = 0; sg && i < nents; i++)
		dma_sync_single_for_device(d, sg[i].dma_address, sg[i].dma_length, dir);
}
