/*
 * Coherent DMA memory: dma_alloc_coherent/dma_free_coherent (contracts in
 * include/dma/mapping.h, policy in include/dma/direct.h, design notes in
 * docs/dma.md).
 *
 * Terminology
 *   coherent buffer  memory the CPU and a device share without syncs: the
 *                    device reaches it with its coherent_dma_mask, and the
 *                    CPU maps it non-cacheable, so neither side ever sees
 *                    a stale cache line.
 *   linear alias     the buffer's address in the linear map (cacheable);
 *                    it stays mapped, so it is cleaned and invalidated once
 *                    before the non-cacheable alias is handed out, and
 *                    nothing writes through it afterwards (as in Linux).
 *   NC alias         the vmap of the buffer's pages with MMU_MT_NORMAL_NC in
 *                    the vmalloc window: what the CPU uses.
 *
 *   dma_alloc_coherent(d, size)
 *     uses_cma && size >= DMA_CMA_THRESHOLD && CMA region reachable?
 *        yes: cma_alloc(pages, min(order, 8))  --- fails --+
 *        no:                                               v
 *     alloc_pages(zone from coherent mask | __GFP_ZERO, order = ceil)
 *        reachable? no -> free, next lower zone (defensive)
 *     zero (CMA), clean+invalidate the linear alias, vmap NC (skipped for
 *     a hardware-coherent device: the linear address is returned),
 *     record {cpu_addr, pages, size, device}, handle = phys_to_dma(first page)
 *
 * A buddy buffer is the whole 2^order block (order = ceil(log2(pages)));
 * only the pages the size needs are mapped. The page allocator cannot
 * split a block today (Linux frees the tail with split_page).
 *
 * Every buffer is recorded, so dma_free_coherent can check its arguments:
 * an address that was never allocated (or is freed already), another
 * device, another size or another handle is reported and nothing is
 * freed (Linux's dma-debug does the same checks).
 *
 * Locking: coherent_lock (IRQs masked) protects the record list and its
 * totals; it is never held across vmap, the page allocator or kmalloc.
 * Context: process context only (vmap and vunmap are), any gfp.
 */
#include <arch/irqflags.h>
#include <arch/mmu.h>
#include <arch/phys.h>
#include <dma/direct.h>
#include <lib/list.h>
#include <lib/spinlock.h>
#include <mm/cma.h>
#include <mm/mm_init.h>
#include <mm/mmzone.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <string.h>

#define ULL(x) ((unsigned long long)(x))
/* gfp bits a caller may pass through; zone, mobility and compound are ours */
#define COHERENT_GFP_MASK (__GFP_HIGH | __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | __GFP_NOWARN | __GFP_NORETRY)

struct coherent_buf {
	struct list_head list;
	const struct device *dev;
	void *cpu_addr;
	struct page *page; /* first page */
	size_t size;       /* as asked for */
	u64 npages;        /* pages mapped (size rounded up) */
	unsigned order;    /* buddy block order (not CMA) */
	bool cma;          /* from cma_alloc */
	bool remapped;     /* cpu_addr is an NC vmap */
};

static struct list_head coherent_list = LIST_HEAD_INIT(coherent_list);
static spinlock_t coherent_lock = SPINLOCK_INIT;
static u64 live_bufs, live_bytes;

static bool use_cma(const struct device *d, size_t size)
{
	return d->uses_cma && size >= DMA_CMA_THRESHOLD && cma_size &&
	       dma_capable(d, cma_base, cma_size, d->coherent_dma_mask);
}

/* A 2^order block the device reaches with its coherent mask, zeroed; NULL if none. */
static struct page *alloc_reachable(const struct device *d, unsigned order, u64 bytes, gfp_t gfp)
{
	int z = dma_zone_for_mask(d, d->coherent_dma_mask);

	if (z < 0)
		z = ZONE_DMA; /* nothing is wholly reachable: try the lowest zone, checked below */
	for (;; z--) {
		struct page *p = alloc_pages((gfp & COHERENT_GFP_MASK) | __GFP_ZERO | dma_zone_gfp(z), order);

		if (!p)
			return NULL; /* lower zones were in this request's fallback already */
		if (dma_capable(d, page_to_phys(p), bytes, d->coherent_dma_mask))
			return p;
		free_pages(p, order);
		if (z == ZONE_DMA)
			return NULL;
	}
}

/* Map npages pages from first non-cacheable in the vmalloc window. */
static void *remap_nc(struct page *first, u64 npages, gfp_t gfp)
{
	struct page **pages;
	void *va;

	if (npages > UINT32_MAX)
		return NULL;
	pages = kmalloc(npages * sizeof(*pages), (gfp & COHERENT_GFP_MASK));
	if (!pages)
		return NULL;
	for (u64 i = 0; i < npages; i++)
		pages[i] = first + i;
	va = vmap(pages, (unsigned)npages, MMU_KERNEL_RW | MMU_MT_NORMAL_NC);
	kfree(pages);
	return va;
}

static void free_buf_pages(const struct coherent_buf *b)
{
	if (b->cma)
		cma_release(b->page, b->npages);
	else
		free_pages(b->page, b->order);
}

void *dma_alloc_coherent(struct device *d, size_t size, dma_addr_t *handle, gfp_t gfp)
{
	u64 npages = ((u64)size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	unsigned order = get_order(size);
	struct coherent_buf *b;
	unsigned long f;

	if (handle)
		*handle = DMA_MAPPING_ERROR;
	if (!d || !handle || !size || npages > (1ULL << 30)) {
		dma_api_report(d, "dma_alloc_coherent", "bad arguments (handle %p, size %llu)", (void *)handle,
			       ULL(size));
		return NULL;
	}
	b = kzalloc(sizeof(*b), gfp & COHERENT_GFP_MASK);
	if (!b)
		return NULL;
	b->dev = d;
	b->size = size;
	b->npages = npages;
	b->order = order;
	if (use_cma(d, size)) {
		b->page = cma_alloc(npages, MIN(order, DMA_CMA_MAX_ALIGN_ORDER)); /* prints why it fails */
		b->cma = b->page != NULL;
		if (b->page && !dma_capable(d, page_to_phys(b->page), npages * PAGE_SIZE, d->coherent_dma_mask)) {
			cma_release(b->page, npages); /* cannot happen: the region is reachable */
			b->page = NULL;
			b->cma = false;
		}
		if (b->page)
			memset(page_address(b->page), 0, npages * PAGE_SIZE);
	}
	if (!b->page && order <= MAX_ORDER)
		b->page = alloc_reachable(d, order, npages * PAGE_SIZE, gfp);
	if (!b->page) {
		if (!(gfp & __GFP_NOWARN))
			printf("DMA: %s: dma_alloc_coherent(%llu bytes) failed: no free memory below coherent mask %#llx"
			       " (bus offset %#llx)%s\n", d->name ? d->name : "?", ULL(size), ULL(d->coherent_dma_mask),
			       ULL(d->bus_offset), order > MAX_ORDER ? ", and larger than a buddy block" : "");
		kfree(b);
		return NULL;
	}
	if (d->coherent) {
		b->cpu_addr = page_address(b->page);
	} else {
		arch_dcache_clean_inval_range((vaddr_t)page_address(b->page), npages * PAGE_SIZE);
		b->cpu_addr = remap_nc(b->page, npages, gfp);
		b->remapped = true;
		if (!b->cpu_addr) {
			printf("DMA: %s: dma_alloc_coherent(%llu bytes): no room to map it non-cacheable\n",
			       d->name ? d->name : "?", ULL(size));
			free_buf_pages(b);
			kfree(b);
			return NULL;
		}
	}
	f = spin_lock_irqsave(&coherent_lock);
	list_add(&b->list, &coherent_list);
	live_bufs++;
	live_bytes += size;
	spin_unlock_irqrestore(&coherent_lock, f);
	f = arch_irq_save();
	d->stats.coherent_allocs++;
	d->stats.coherent_bytes += size;
	arch_irq_restore(f);
	*handle = phys_to_dma(d, page_to_phys(b->page));
	return b->cpu_addr;
}

static struct coherent_buf *find_locked(const void *cpu_addr)
{
	struct coherent_buf *b;

	list_for_each_entry(b, &coherent_list, list)
		if (b->cpu_addr == cpu_addr)
			return b;
	return NULL;
}

void dma_free_coherent(struct device *d, size_t size, void *cpu_addr, dma_addr_t handle)
{
	struct coherent_buf *b, copy;
	const char *why = NULL;
	unsigned long f;

	if (!cpu_addr)
		return;
	f = spin_lock_irqsave(&coherent_lock);
	b = find_locked(cpu_addr);
	if (b) {
		copy = *b;
		if (b->dev != d)
			why = "allocated for another device";
		else if (b->size != size)
			why = "size differs from the allocation's";
		else if (phys_to_dma(d, page_to_phys(b->page)) != handle)
			why = "handle differs from the allocation's";
	} else {
		why = "not allocated by dma_alloc_coherent, or freed already";
	}
	if (!why) {
		list_del(&b->list);
		live_bufs--;
		live_bytes -= size;
	}
	spin_unlock_irqrestore(&coherent_lock, f);
	if (why) {
		dma_api_report(d, "dma_free_coherent", "%p (size %llu, handle %#llx): %s; nothing freed", cpu_addr,
			       ULL(size), ULL(handle), why);
		if (b)
			printf("DMA-API: allocated: device %s, size %llu, handle %#llx\n",
			       copy.dev->name ? copy.dev->name : "?", ULL(copy.size),
			       ULL(phys_to_dma(copy.dev, page_to_phys(copy.page))));
		return;
	}
	if (b->remapped)
		vunmap(cpu_addr);
	free_buf_pages(b);
	f = arch_irq_save();
	d->stats.coherent_bytes -= size;
	arch_irq_restore(f);
	kfree(b);
}

u64 dma_coherent_live(u64 *bytes)
{
	unsigned long f = spin_lock_irqsave(&coherent_lock);
	u64 n = live_bufs;

	if (bytes)
		*bytes = live_bytes;
	spin_unlock_irqrestore(&coherent_lock, f);
	return n;
}

void dma_coherent_forget(void)
{
	unsigned long f = spin_lock_irqsave(&coherent_lock);

	INIT_LIST_HEAD(&coherent_list);
	live_bufs = live_bytes = 0;
	spin_unlock_irqrestore(&coherent_lock, f);
}
