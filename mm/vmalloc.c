/*
 * vmalloc, vmap and ioremap on top of the window's areas (mm/vmalloc_area.c,
 * which also holds the locking rules). Contracts: include/mm/vmalloc.h and
 * include/mm/ioremap.h; design notes: docs/vmalloc.md.
 *
 *   vmalloc  reserve VA -> pages array, then order-0 pages (no lock held)
 *            -> map page by page, Normal RW execute-never -> publish
 *   vfree    claim (marks the area) -> unmap (pgt_unmap on the live kernel
 *            table invalidates the TLB for each entry) -> free the pages
 *            and the array -> unlist
 *   vmap     like vmalloc with the caller's pages, not freed by vunmap
 *   ioremap  one pgt_map of the whole range, Device-nGnRE execute-never
 *            (Normal-NC for ioremap_wc); VA aligned to 2 MiB / 1 GiB when
 *            the PA and size allow, so that pgt_map can use blocks
 *
 * Any failure undoes what was done and returns NULL with a message.
 *
 * Pages array of a vmalloc area: inline in the descriptor up to 4 pages,
 * else 2^order contiguous pages from the page allocator (order <= 10: one
 * area holds at most 512 Ki pages, 2 GiB). It cannot be vmalloc'ed as in
 * Linux: host tests cannot dereference window addresses.
 */
#include <arch/layout.h>
#include <arch/phys.h>
#include <errno.h>
#include <mm/ioremap.h>
#include <mm/memblock.h>
#include <mm/page_alloc.h>
#include <mm/vmalloc.h>
#include <stdio.h>

#define ULL(x) ((unsigned long long)(x))
#define PAGE_ARRAY_MAX_ORDER MAX_ORDER

/* Map pages[0..n) at va one 4 KiB page each; all or nothing. */
static int map_pages(u64 va, struct page **pages, u64 n, unsigned attrs)
{
	for (u64 i = 0; i < n; i++) {
		int rc = vm_window_map(va + i * PAGE_SIZE, page_to_phys(pages[i]), PAGE_SIZE, attrs);

		if (rc) {
			if (i)
				vm_window_unmap(va, i * PAGE_SIZE);
			return rc;
		}
	}
	return 0;
}

/* ---- vmalloc ---------------------------------------------------------------- */

static unsigned array_order(u64 nr) { return get_order(nr * sizeof(struct page *)); }

static int alloc_page_array(struct vm_area *a, u64 nr)
{
	struct page *pg;

	if (nr <= ARRAY_SIZE(a->inline_pages)) {
		a->pages = a->inline_pages;
		return 0;
	}
	pg = alloc_pages(GFP_KERNEL, array_order(nr));
	a->pages = pg ? page_address(pg) : NULL;
	return pg ? 0 : -ENOMEM;
}

/* Free the first n pages of a and its pages array (made for nr pages). */
static void free_area_pages(struct vm_area *a, u64 n, u64 nr)
{
	for (u64 i = 0; i < n; i++)
		free_page(a->pages[i]);
	if (a->pages && a->pages != a->inline_pages)
		free_pages(virt_to_page(a->pages), array_order(nr));
}

static void *vmalloc_gfp(size_t size, gfp_t gfp, const void *caller)
{
	u64 nr = ((u64)size + PAGE_SIZE - 1) >> PAGE_SHIFT, done = 0;
	struct vm_area *a;

	if (!size)
		return NULL;
	if (!nr_managed_pages()) {
		printf("vmalloc: %llu bytes: no page allocator yet\n", ULL(size));
		return NULL;
	}
	if (nr > vm_window_pages() || nr > (PAGE_SIZE << PAGE_ARRAY_MAX_ORDER) / sizeof(struct page *) ||
	    nr > nr_free_pages()) {
		printf("vmalloc: allocation failure: %llu bytes: larger than free memory or the window\n", ULL(size));
		return NULL;
	}
	a = vm_area_reserve(nr * PAGE_SIZE, PAGE_SIZE, VM_ALLOC, 0, caller);
	if (!a)
		return NULL;
	if (alloc_page_array(a, nr))
		goto fail;
	for (; done < nr; done++)
		if (!(a->pages[done] = alloc_page(gfp)))
			goto fail;
	if (map_pages(a->addr, a->pages, nr, MMU_KERNEL_RW))
		goto fail;
	vm_area_publish_pages(a, (unsigned)nr);
	return (void *)(uintptr_t)a->addr;
fail:
	printf("vmalloc: allocation failure: %llu bytes: out of pages\n", ULL(size));
	free_area_pages(a, done, nr);
	vm_area_release(a);
	return NULL;
}

void *vmalloc(size_t size) { return vmalloc_gfp(size, GFP_KERNEL, __builtin_return_address(0)); }

void *vzalloc(size_t size) { return vmalloc_gfp(size, GFP_KERNEL | __GFP_ZERO, __builtin_return_address(0)); }

void vfree(const void *addr)
{
	struct vm_area *a;

	if (!addr)
		return;
	a = vm_area_claim((u64)(uintptr_t)addr, VM_ALLOC, "vfree");
	if (!a)
		return;
	vm_window_unmap(a->addr, a->size - PAGE_SIZE);
	free_area_pages(a, a->nr_pages, a->nr_pages);
	vm_area_release(a);
}

/* ---- vmap ------------------------------------------------------------------- */

void *vmap(struct page **pages, unsigned count, unsigned prot)
{
	unsigned mt = prot & MMU_MT_MASK;
	struct vm_area *a;

	if (!pages || !count || count > vm_window_pages())
		return NULL;
	if ((prot & MMU_USER) || !(prot & MMU_READ) || ((prot & MMU_WRITE) && (prot & MMU_EXEC)) ||
	    (mt != MMU_MT_NORMAL && mt != MMU_MT_NORMAL_NC)) {
		printf("vmap: attributes %#x refused (kernel, not W+X, Normal memory only)\n", prot);
		return NULL;
	}
	for (unsigned i = 0; i < count; i++)
		if (!pages[i])
			return NULL;
	a = vm_area_reserve((u64)count * PAGE_SIZE, PAGE_SIZE, VM_MAP, 0, __builtin_return_address(0));
	if (!a)
		return NULL;
	if (map_pages(a->addr, pages, count, prot)) {
		printf("vmap: %u pages: no memory for page tables\n", count);
		vm_area_release(a);
		return NULL;
	}
	return (void *)(uintptr_t)a->addr;
}

void vunmap(const void *addr)
{
	struct vm_area *a;

	if (!addr)
		return;
	a = vm_area_claim((u64)(uintptr_t)addr, VM_MAP, "vunmap");
	if (!a)
		return;
	vm_window_unmap(a->addr, a->size - PAGE_SIZE);
	vm_area_release(a);
}

/* ---- ioremap ---------------------------------------------------------------- */

static bool overlaps_ram(phys_addr_t base, u64 len)
{
	for (unsigned i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.r[i];

		if (base < r->base + r->size && r->base < base + len)
			return true;
	}
	return false;
}

static void *ioremap_attrs(phys_addr_t pa, size_t size, unsigned attrs, const void *caller)
{
	phys_addr_t base = ALIGN_DOWN(pa, PAGE_SIZE), last = pa + size - 1;
	u64 len, align = PAGE_SIZE;
	struct vm_area *a;
	int rc;

	if (!size || last < pa || last >= BIT(52)) {
		printf("ioremap: bad range %#llx (+%#llx)\n", ULL(pa), ULL(size));
		return NULL;
	}
	len = ALIGN_DOWN(last, PAGE_SIZE) + PAGE_SIZE - base;
	if (overlaps_ram(base, len)) {
		printf("ioremap: [%#llx-%#llx] is RAM: refused\n", ULL(pa), ULL(last));
		return NULL;
	}
	if (len >= SZ_1G && IS_ALIGNED(base, SZ_1G))
		align = SZ_1G;
	else if (len >= SZ_2M && IS_ALIGNED(base, SZ_2M))
		align = SZ_2M; /* so that pgt_map can use blocks */
	a = vm_area_reserve(len, align, VM_IOREMAP, base, caller);
	if (!a)
		return NULL;
	rc = vm_window_map(a->addr, base, len, attrs);
	if (rc) {
		printf("ioremap: %#llx (+%#llx): cannot map (error %d)\n", ULL(pa), ULL(size), rc);
		vm_area_release(a);
		return NULL;
	}
	return (void *)(uintptr_t)(a->addr + (pa - base));
}

void *ioremap(phys_addr_t pa, size_t size)
{
	return ioremap_attrs(pa, size, MMU_KERNEL_IO, __builtin_return_address(0));
}

void *ioremap_wc(phys_addr_t pa, size_t size)
{
	return ioremap_attrs(pa, size, MMU_READ | MMU_WRITE | MMU_MT_NORMAL_NC, __builtin_return_address(0));
}

void iounmap(volatile void *addr)
{
	struct vm_area *a;

	if (!addr)
		return;
	a = vm_area_claim(ALIGN_DOWN((u64)(uintptr_t)addr, PAGE_SIZE), VM_IOREMAP, "iounmap");
	if (!a)
		return;
	vm_window_unmap(a->addr, a->size - PAGE_SIZE);
	vm_area_release(a);
}

/* ---- lookups ------------------------------------------------------------------ */

struct page *vmalloc_to_page(const void *addr)
{
	phys_addr_t pa;

	if (!is_vmalloc_addr(addr) || vm_window_query((u64)(uintptr_t)addr, &pa))
		return NULL;
	return pfn_valid(phys_to_pfn(pa)) ? pfn_to_page(phys_to_pfn(pa)) : NULL;
}

/* ---- kernel stacks ------------------------------------------------------------ */

/*
 * A task's kernel stack: 2^order contiguous pages mapped at an odd multiple
 * of their size, inside a VM_MAP area twice as large (the lower half and
 * the area's guard page stay unmapped). Any SP inside has bit log2(size)
 * set and one that overflows has it clear: the vectors' overflow check.
 */
void *vmalloc_stack(size_t size)
{
	unsigned order = get_order(size);
	struct page *pg;
	struct vm_area *a;

	size = PAGE_SIZE << order;
	pg = alloc_pages(GFP_KERNEL, order);
	if (!pg)
		return NULL;
	a = vm_area_reserve(2 * size, 2 * size, VM_MAP, 0, __builtin_return_address(0));
	if (!a) {
		free_pages(pg, order);
		return NULL;
	}
	if (vm_window_map(a->addr + size, page_to_phys(pg), size, MMU_KERNEL_RW)) {
		vm_area_release(a);
		free_pages(pg, order);
		return NULL;
	}
	return (void *)(uintptr_t)(a->addr + size);
}

void vfree_stack(void *base, size_t size)
{
	unsigned order = get_order(size);
	phys_addr_t pa;
	struct vm_area *a;

	size = PAGE_SIZE << order;
	if (vm_window_query((u64)(uintptr_t)base, &pa)) {
		printf("vfree_stack: %p is not a mapped kernel stack\n", base);
		return;
	}
	a = vm_area_claim((u64)(uintptr_t)base - size, VM_MAP, "vfree_stack");
	if (!a)
		return;
	vm_window_unmap((u64)(uintptr_t)base, size);
	free_pages(pfn_to_page(phys_to_pfn(pa)), order);
	vm_area_release(a);
}
