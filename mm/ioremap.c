/*
 * ioremap: device registers mapped Device-nGnRE, execute-never, in the
 * vmalloc window, each area followed by an unmapped guard page.
 *
 * For now the window is handed out by a bump pointer and iounmap()
 * unmaps without recycling the VA; the vmalloc allocator (issue 4) will
 * take over the window with reuse. Mapping RAM this way is refused: a
 * Device alias of Normal memory would break the attribute rules.
 */
#include <arch/layout.h>
#include <mm/ioremap.h>
#include <mm/kmap.h>
#include <mm/memblock.h>
#include <stdio.h>

static u64 next_va = VMALLOC_START;

struct io_area {
	u64 va, size;
};
static struct io_area areas[32];

void *ioremap(phys_addr_t pa, size_t size)
{
	phys_addr_t base = ALIGN_DOWN(pa, SZ_4K);
	u64 len = ALIGN_UP(pa + size, SZ_4K) - base;
	u64 va = next_va;
	unsigned slot;

	if (!size || memblock_is_memory(base, 1) || memblock_is_memory(base + len - 1, 1))
		return NULL;
	for (slot = 0; slot < ARRAY_SIZE(areas) && areas[slot].size; slot++)
		;
	if (slot == ARRAY_SIZE(areas) || len + SZ_4K > VMALLOC_END - va)
		return NULL;
	if (pgt_map(&kernel_pgt, va, base, len, MMU_KERNEL_IO))
		return NULL;
	next_va += len + SZ_4K; /* guard page */
	areas[slot] = (struct io_area){ va, len };
	return (void *)(uintptr_t)(va + (pa - base));
}

void iounmap(void *addr)
{
	u64 va = ALIGN_DOWN((u64)(uintptr_t)addr, SZ_4K);

	for (unsigned i = 0; i < ARRAY_SIZE(areas); i++) {
		if (areas[i].size && areas[i].va == va) {
			pgt_unmap(&kernel_pgt, va, areas[i].size);
			areas[i].size = 0;
			return;
		}
	}
}
