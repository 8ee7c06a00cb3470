/*
 * The kernel's tables (TTBR1). Built once at boot from memblock, then
 * installed; afterwards only the vmalloc/ioremap window and the kmap
 * slots change.
 *
 *   PAGE_OFFSET + lowmem: [ RW NX ....... | text RX | rodata ro NX | data RW NX | guard | stack RW NX | RW NX ... ]
 *                                          ^ KERNEL_VIRT                                                ^ _end
 *   PKMAP_BASE, FIXADDR_START: one level-3 table each, made here so that
 *   kmap_slot_set never allocates; their entries are the kmap slots
 *   (mm/highmem.c). Highmem (RAM at and above memblock_lowmem_end()) is
 *   not mapped at all.
 */
#include <arch/layout.h>
#include <arch/phys.h>
#include <errno.h>
#include <mm/highmem.h>
#include <mm/kmap.h>
#include <mm/memblock.h>
#include <mm/page_alloc.h>
#include <mm/ptdump.h>
#include <mm/report.h>
#include <lib/panic.h>
#include <stdio.h>
#include <string.h>

struct pgtable kernel_pgt;

extern char _text[], _etext[], _erodata[], __stack_guard[], __boot_stack[], _end[];

static phys_addr_t boot_table_alloc(void *ctx)
{
	phys_addr_t pa = memblock_alloc(SZ_4K, SZ_4K, "page tables");

	(void)ctx;
	if (pa)
		memset(phys_to_virt(pa), 0, SZ_4K);
	return pa;
}

static phys_addr_t page_table_alloc(void *ctx)
{
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);

	(void)ctx;
	if (!p)
		return 0;
	page_set_flag(p, PG_pgtable);
	return page_to_phys(p);
}

static void page_table_free(void *ctx, phys_addr_t pa)
{
	struct page *p = pfn_to_page(phys_to_pfn(pa));

	(void)ctx;
	page_clear_flag(p, PG_pgtable);
	free_pages(p, 0);
}

static void kmap_meminfo(struct meminfo *mi) { mi->page_tables += kernel_pgt.nr_tables * (PAGE_SIZE >> 10); }

static struct meminfo_provider kmap_provider = { .fill = kmap_meminfo };

void kmap_use_page_allocator(void)
{
	meminfo_add_provider(&kmap_provider);
	kernel_pgt.alloc_table = page_table_alloc;
	kernel_pgt.free_table = page_table_free;
}

static int map_linear(phys_addr_t start, phys_addr_t end, unsigned attrs)
{
	end = MIN(end, memblock_lowmem_end());
	if (end <= start)
		return 0;
	return pgt_map(&kernel_pgt, PAGE_OFFSET + (start - PHYS_OFFSET), start, end - start, attrs);
}

static pte_t *pkmap_ptes, *fixmap_ptes; /* the level-3 tables of the two kmap windows */

static pte_t *slot_pte(vaddr_t va)
{
	if (va >= FIXADDR_START && va < FIXADDR_START + FIX_KMAP_SLOTS * PAGE_SIZE)
		return &fixmap_ptes[(va - FIXADDR_START) >> PAGE_SHIFT];
	if (va >= PKMAP_BASE && va < PKMAP_BASE + LAST_PKMAP * PAGE_SIZE)
		return &pkmap_ptes[(va - PKMAP_BASE) >> PAGE_SHIFT];
	panic("kmap: %#llx is no kmap slot", (unsigned long long)va);
}

void *kmap_slot_set(vaddr_t va, phys_addr_t pa)
{
	arch_pte_write(slot_pte(va), arch_pte_mk_leaf(pa, PT_LEAF_LEVEL, MMU_KERNEL_RW));
	return (void *)(uintptr_t)va;
}

void kmap_slot_clear(vaddr_t va) { arch_pte_write(slot_pte(va), 0); }

void kmap_slots_flush(vaddr_t start, vaddr_t end)
{
	if (end - start > 32 * PAGE_SIZE) {
		arch_tlb_flush_all();
		return;
	}
	for (vaddr_t va = start; va < end; va += PAGE_SIZE)
		arch_tlb_flush_kernel_va(va);
}

static int map_image(void)
{
	static const struct {
		const char *from, *to;
		unsigned attrs;
	} parts[] = {
		{ _text, _etext, MMU_KERNEL_RX },
		{ _etext, _erodata, MMU_KERNEL_RO },
		{ _erodata, __stack_guard, MMU_KERNEL_RW },
		/* [__stack_guard, __boot_stack): unmapped guard page */
		{ __boot_stack, _end, MMU_KERNEL_RW },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(parts); i++) {
		int rc = map_linear(virt_to_phys(parts[i].from), virt_to_phys(parts[i].to), parts[i].attrs);

		if (rc)
			return rc;
	}
	return 0;
}

int kmap_build(void)
{
	phys_addr_t img_start = virt_to_phys(_text), img_end = virt_to_phys(_end);
	int rc = pgt_init(&kernel_pgt, PAGE_OFFSET, VA_BITS, boot_table_alloc, NULL, NULL);

	if (rc)
		return rc;
	for (unsigned i = 0; i < memblock.memory.cnt; i++) {
		phys_addr_t s = memblock.memory.r[i].base, e = s + memblock.memory.r[i].size;

		if (img_start >= s && img_end <= e) {
			rc = map_linear(s, img_start, MMU_KERNEL_RW);
			rc = rc ? rc : map_image();
			rc = rc ? rc : map_linear(img_end, e, MMU_KERNEL_RW);
		} else {
			rc = map_linear(s, e, MMU_KERNEL_RW);
		}
		if (rc)
			return rc;
	}
	_Static_assert(LAST_PKMAP <= PT_ENTRIES && FIX_KMAP_SLOTS <= PT_ENTRIES, "a kmap window is one table");
	_Static_assert(PKMAP_BASE % (PT_ENTRIES * PAGE_SIZE) == 0 && FIXADDR_START % (PT_ENTRIES * PAGE_SIZE) == 0,
		       "a kmap window starts a table");
	pkmap_ptes = pgt_walk_pte(&kernel_pgt, PKMAP_BASE, true);
	fixmap_ptes = pgt_walk_pte(&kernel_pgt, FIXADDR_START, true);
	return pkmap_ptes && fixmap_ptes ? 0 : -ENOMEM;
}

void kmap_install(void)
{
	arch_mmu_install_kernel(kernel_pgt.root);
	kernel_pgt.live = true;
}

void kmap_dump(void)
{
	const struct ptdump_marker markers[] = {
		{ PAGE_OFFSET, "Linear Mapping start" },
		{ (u64)_text, "Kernel image: text" },
		{ (u64)_etext, "Kernel image: rodata" },
		{ (u64)_erodata, "Kernel image: data, bss, boot stack (guard page unmapped)" },
		{ (u64)_end, "Kernel image end" },
		{ VMALLOC_START, "vmalloc() area" },
		{ VMALLOC_END, "vmalloc() end" },
		{ PKMAP_BASE, "Persistent kmap() area" },
		{ FIXADDR_START, "Fixmap area (kmap_local)" },
		{ FIXADDR_START + FIX_KMAP_SLOTS * PAGE_SIZE, "Fixmap end" },
		{ 0, NULL },
	};

	printf("Kernel page tables (TTBR1, %llu table pages):\n", (unsigned long long)kernel_pgt.nr_tables);
	ptdump(&kernel_pgt, PAGE_OFFSET, ~0ULL, markers);
}
