/*
 * What `make run` shows after boot, until the console shell exists: a
 * short walk through the page allocator, then every report.
 */
#include <drivers/dma_engine.h>
#include <mm/cma.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <string.h>
#include <kernel/demo.h>
#include <stdio.h>

static void where(const char *what, const struct page *p, unsigned order)
{
	phys_addr_t pa = page_to_phys(p);

	printf("  %-34s -> [mem %#011llx-%#011llx] zone %-6s %s\n", what, (unsigned long long)pa,
	       (unsigned long long)(pa + (PAGE_SIZE << order) - 1), zones[p->zone].name,
	       migratetype_names[pageblock_migratetype(page_zone(p), page_to_pfn(p))]);
}

static void page_allocator_demo(void)
{
	u64 cma_bytes = MIN(8ULL << 20, cma_size), cma_pages = cma_bytes / PAGE_SIZE;
	struct page *dma, *kern, *mov, *cma = NULL, *big[8];
	unsigned nbig = 0;

	printf("\nPage allocator demo:\n");
	dma = alloc_pages(GFP_KERNEL | __GFP_DMA, 2);
	kern = alloc_pages(GFP_KERNEL, 0);
	mov = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	if (cma_pages) /* 8 MiB, or the whole region if it is smaller */
		cma = cma_alloc(cma_pages, MIN(9u, (unsigned)__builtin_ctzll(cma_pages)));
	if (dma)
		where("alloc_pages(GFP_KERNEL|GFP_DMA, 2)", dma, 2);
	if (kern)
		where("alloc_pages(GFP_KERNEL, 0)", kern, 0);
	if (mov)
		where("alloc_pages(GFP_HIGHUSER_MOVABLE, 4)", mov, 4);
	if (cma) {
		char what[40];

		snprintf(what, sizeof(what), "cma_alloc(%llu MiB)", (unsigned long long)(cma_bytes >> 20));
		printf("  %-34s -> [mem %#011llx-%#011llx] CMA region\n", what, (unsigned long long)page_to_phys(cma),
		       (unsigned long long)(page_to_phys(cma) + cma_bytes - 1));
	}
	printf("  order-10 GFP_DMA blocks until ZONE_DMA (%llu MiB) runs out; the failure is reported:\n",
	       (unsigned long long)(pfn_to_phys(zones[ZONE_DMA].end_pfn - zones[ZONE_DMA].start_pfn) >> 20));
	while (nbig < ARRAY_SIZE(big) && (big[nbig] = alloc_pages(GFP_KERNEL | __GFP_DMA, MAX_ORDER)))
		nbig++;
	printf("  got %u order-10 blocks from ZONE_DMA\n", nbig);
	printf("\n$ cat /proc/meminfo   (while the demo holds its memory)\n");
	show_meminfo(stdout);
	while (nbig)
		free_pages(big[--nbig], MAX_ORDER);
	if (cma)
		cma_release(cma, cma_pages);
	if (mov)
		free_pages(mov, 4);
	if (kern)
		free_pages(kern, 0);
	if (dma)
		free_pages(dma, 2);
	printf("  all freed\n");
}

struct demo_object {
	u64 id;
	char name[120];
};

static void slab_demo(void)
{
	struct kmem_cache *c = kmem_cache_create("demo_object", sizeof(struct demo_object), 0, SLAB_HWCACHE_ALIGN, NULL);
	struct demo_object *objs[100];
	void *small[50], *big, *v;

	printf("\nSlab and vmalloc demo: 100 demo_objects, 50 kmallocs of 1..400 bytes, a 20 KiB kmalloc,"
	       " a 1 MiB vmalloc\n");
	for (int i = 0; i < 100; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		objs[i]->id = (u64)i;
		strcpy(objs[i]->name, "demo");
	}
	for (int i = 0; i < 50; i++)
		small[i] = kmalloc(1 + (size_t)i * 8, GFP_KERNEL);
	big = kmalloc(20 * 1024, GFP_KERNEL);
	v = vmalloc(1 << 20);
	printf("\n$ cat /proc/slabinfo\n");
	show_slabinfo(stdout);
	printf("\n$ slabtop -o\n");
	show_slabtop(stdout, 20);
	printf("\n$ cat /proc/vmallocinfo\n");
	show_vmallocinfo(stdout);
	printf("\n$ cat /proc/meminfo   (while the demo holds its memory)\n");
	show_meminfo(stdout);
	vfree(v);
	kfree(big);
	for (int i = 0; i < 50; i++)
		kfree(small[i]);
	for (int i = 0; i < 100; i++)
		kmem_cache_free(c, objs[i]);
	kmem_cache_destroy(c);
}

/* The board's narrowest DMA engine (NULL if it has none). */
static struct dma_engine *narrowest_engine(void)
{
	struct dma_engine *e = dma_engine_get(0);

	for (unsigned i = 1; i < dma_engine_count(); i++)
		if (dma_engine_addr_bits(dma_engine_get(i)) < dma_engine_addr_bits(e))
			e = dma_engine_get(i);
	return e;
}

/* The narrowest DMA engine: a copy, a copy beyond its reach (unless it is 64-bit), the report. */
static void dma_engine_demo(void)
{
	struct dma_engine *e = narrowest_engine();
	struct page *src = alloc_page(GFP_KERNEL | __GFP_DMA), *dst = alloc_page(GFP_KERNEL | __GFP_DMA);
	dma_addr_t s, d, beyond;
	u64 err = 0;
	int rc;

	if (!e || !src || !dst)
		goto out;
	s = phys_to_dma(dma_engine_device(e), page_to_phys(src));
	d = phys_to_dma(dma_engine_device(e), page_to_phys(dst));
	memset(page_address(src), 0xab, PAGE_SIZE);
	memset(page_address(dst), 0, PAGE_SIZE);
	printf("\nDMA engine demo (%s, %u address bits):\n", dma_engine_name(e), dma_engine_addr_bits(e));
	rc = dma_engine_copy(e, 0, d, s, PAGE_SIZE, NULL);
	printf("  copy 4 KiB bus %#llx -> %#llx: %d, %s\n", (unsigned long long)s, (unsigned long long)d, rc,
	       !memcmp(page_address(src), page_address(dst), PAGE_SIZE) ? "identical" : "DIFFERENT");
	if (dma_engine_addr_bits(e) >= 64) {
		printf("  (a 64-bit engine: no bus address lies beyond its reach)\n");
		goto report;
	}
	beyond = d + (1ULL << dma_engine_addr_bits(e)); /* its low bits alias dst */
	memset(page_address(dst), 0, PAGE_SIZE);
	rc = dma_engine_copy(e, 0, beyond, s, PAGE_SIZE, &err);
	printf("  copy 4 KiB bus %#llx -> %#llx: %d (err_addr %#llx), the alias %s\n", (unsigned long long)s,
	       (unsigned long long)beyond, rc, (unsigned long long)err,
	       ((const char *)page_address(dst))[0] == 0 ? "untouched" : "WRITTEN");
report:
	dma_engines_report(stdout);
out:
	if (src)
		free_page(src);
	if (dst)
		free_page(dst);
}

void demo_run(void)
{
	page_allocator_demo();
	slab_demo();
	dma_engine_demo();
	apps_demo();
	swap_demo();
	oom_demo();
	cma_demo();
	compact_demo();
	printf("\n$ cat /proc/meminfo\n");
	show_meminfo(stdout);
	show_swap_reports(stdout);
	printf("\n$ cat /proc/buddyinfo\n");
	show_buddyinfo(stdout);
	printf("\n$ cat /proc/pagetypeinfo\n");
	show_pagetypeinfo(stdout);
	printf("\n$ cat /proc/zoneinfo\n");
	show_zoneinfo(stdout);
	printf("\n");
}
