/*
 * The vmalloc window: its areas, their descriptors and the VA allocator,
 * and the page-table primitives every kind of area uses. The kinds
 * themselves (vmalloc, vmap, ioremap) are in mm/vmalloc.c, the reports in
 * mm/vmalloc_report.c; contracts in include/mm/vmalloc.h.
 *
 * Terminology
 *   window   [start, end) of one page table handed to this allocator: the
 *            kernel's [VMALLOC_START, VMALLOC_END) of kernel_pgt, or a host
 *            table in tests (vmalloc_init()).
 *   area     a range of the window in use (struct vm_area). Its size
 *            includes the guard page at its end, which is never mapped.
 *   gap      free VA between two areas, or between an area and an edge.
 *   hint     the area placed by the last allocation; every gap below it is
 *            at most hole_below bytes (an upper bound, never too small).
 *
 *   start                                                              end
 *   |[ area ][g]| gap |[ area      ][g]|[ area ][g]|       gap          |
 *                                                 ^ hint
 *
 * VA allocation is first fit over one list of areas sorted by address. A
 * request larger than hole_below cannot fit below the hint, so the search
 * starts there (a run of allocations costs O(1) each); a smaller one
 * rescans from the window's start and recomputes hole_below. Freeing an
 * area at or below the hint moves the hint to the area before it, which
 * keeps the bound true (the new gap lies above the new hint). Gaps skipped
 * for alignment count with their full size, so the bound holds for any
 * alignment. (Linux used this free_vmap_cache/cached_hole_size scheme
 * before its augmented rbtree.) Lookups by address walk the list, from
 * the hint when the address lies above it.
 *
 * Descriptors: the areas made before the page allocator exists (the
 * console, early ioremaps) use a static pool of VM_BOOT_AREAS; further
 * descriptors come a page at a time from the page allocator, and a page
 * goes back when its last descriptor is freed. No kmalloc.
 *
 * Locking
 *   vmap_area_lock  the area list, the hint, the descriptor blocks and the
 *                   counters. Never held across the page allocator or a
 *                   page-table change.
 *   vmap_pt_lock    the window's part of the page table: every pgt_map,
 *                   pgt_unmap and pgt_query of the window. pgt_map takes
 *                   table pages from the page allocator under it, so the
 *                   zone lock nests inside it.
 * The two are never held together; both mask interrupts. An area is
 * listed before it is mapped and unmapped before it is unlisted, so a VA
 * is never mapped twice; an area being freed carries VM_FREEING so that a
 * second free of it is reported, not repeated. Nothing else may change the
 * kernel table inside the window.
 */
#include <arch/layout.h>
#include <errno.h>
#include <lib/panic.h>
#include <lib/spinlock.h>
#include <mm/kmap.h>
#include <mm/page_alloc.h>
#include <mm/vmalloc.h>
#include <string.h>

#define ULL(x) ((unsigned long long)(x))

#define VM_FREEING 0x80000000u /* vfree/vunmap/iounmap in progress */
#define VM_BOOT_AREAS 32

/* A block of descriptors: the static boot pool, or the head of a page. */
struct vm_desc_block {
	struct list_head link; /* page blocks: on vs.desc_pages */
	struct list_head free; /* recycled descriptors (through vm_area.list) */
	struct vm_area *slots;
	unsigned capacity, next_unused, nr_used;
};

static struct vm_area boot_slots[VM_BOOT_AREAS];
static struct vm_desc_block boot_block = {
	.free = LIST_HEAD_INIT(boot_block.free),
	.slots = boot_slots,
	.capacity = VM_BOOT_AREAS,
};

/* The window and its areas (vmap_area_lock; pt, start, end are fixed). */
static struct {
	struct pgtable *pt;
	u64 start, end;
	struct list_head areas; /* sorted by address */
	struct vm_area *hint;   /* NULL: search from start */
	u64 hole_below;
	u64 area_bytes, used, nr_areas, nr_pages;
	struct list_head desc_pages;
} vs = {
	.pt = &kernel_pgt,
	.start = VMALLOC_START,
	.end = VMALLOC_END,
	.areas = LIST_HEAD_INIT(vs.areas),
	.desc_pages = LIST_HEAD_INIT(vs.desc_pages),
};

static spinlock_t vmap_area_lock = SPINLOCK_INIT;
static spinlock_t vmap_pt_lock = SPINLOCK_INIT;

u64 vmalloc_bad_free_reports;

/* ---- descriptors (vmap_area_lock) ------------------------------------------ */

static struct vm_area *block_take(struct vm_desc_block *b)
{
	struct vm_area *a;

	if (!list_empty(&b->free)) {
		a = list_first_entry(&b->free, struct vm_area, list);
		list_del(&a->list);
	} else if (b->next_unused < b->capacity) {
		a = &b->slots[b->next_unused++];
	} else {
		return NULL;
	}
	b->nr_used++;
	memset(a, 0, sizeof(*a));
	return a;
}

static struct vm_desc_block *block_of(const struct vm_area *a)
{
	if (a >= boot_slots && a < boot_slots + VM_BOOT_AREAS)
		return &boot_block;
	return (struct vm_desc_block *)ALIGN_DOWN((uintptr_t)a, PAGE_SIZE);
}

static struct vm_area *desc_get_locked(void)
{
	struct vm_desc_block *b;
	struct vm_area *a = block_take(&boot_block);

	if (a)
		return a;
	list_for_each_entry(b, &vs.desc_pages, link)
		if ((a = block_take(b)))
			return a;
	return NULL;
}

/* Recycle a; returns the page of a block it left empty (unlinked) for the
 * caller to free after unlocking, or NULL. */
static void *desc_put_locked(struct vm_area *a)
{
	struct vm_desc_block *b = block_of(a);

	list_add(&a->list, &b->free);
	if (--b->nr_used || b == &boot_block)
		return NULL;
	list_del(&b->link);
	return b;
}

static void desc_page_add_locked(void *page)
{
	struct vm_desc_block *b = page;
	uintptr_t first = ALIGN_UP((uintptr_t)(b + 1), _Alignof(struct vm_area));

	INIT_LIST_HEAD(&b->free);
	b->slots = (struct vm_area *)first;
	b->capacity = (unsigned)((PAGE_SIZE - (first - (uintptr_t)b)) / sizeof(struct vm_area));
	b->next_unused = b->nr_used = 0;
	list_add_tail(&b->link, &vs.desc_pages);
}

static void desc_page_free(void *blk)
{
	if (blk)
		free_page(virt_to_page(blk));
}

/* ---- the area list (vmap_area_lock) ---------------------------------------- */

static struct vm_area *area_after(const struct vm_area *prev)
{
	const struct list_head *n = prev ? prev->list.next : vs.areas.next;

	return n == &vs.areas ? NULL : list_entry(n, struct vm_area, list);
}

/* First fit: list a at the lowest align-aligned address where size bytes
 * are free. Returns 0 or -ENOSPC. */
static int insert_area_locked(struct vm_area *a, u64 size, u64 align)
{
	struct vm_area *prev = vs.hint, *next;

	if (!prev || size <= vs.hole_below) {
		prev = NULL;
		vs.hole_below = 0;
	}
	for (;; prev = next) {
		u64 lo = prev ? prev->addr + prev->size : vs.start, hi, addr;

		next = area_after(prev);
		hi = next ? next->addr : vs.end;
		addr = ALIGN_UP(lo, align);
		if (addr >= lo && addr <= hi && hi - addr >= size) {
			vs.hole_below = MAX(vs.hole_below, addr - lo);
			a->addr = addr;
			a->size = size;
			list_add(&a->list, prev ? &prev->list : &vs.areas);
			vs.hint = a;
			vs.area_bytes += size;
			if (a->flags & (VM_ALLOC | VM_MAP))
				vs.used += size - PAGE_SIZE;
			vs.nr_areas++;
			return 0;
		}
		vs.hole_below = MAX(vs.hole_below, hi - lo);
		if (!next)
			return -ENOSPC;
	}
}

static void remove_area_locked(struct vm_area *a)
{
	if (vs.hint && a->addr <= vs.hint->addr) {
		const struct list_head *p = a->list.prev;

		vs.hint = p == &vs.areas ? NULL : list_entry(p, struct vm_area, list);
	}
	list_del(&a->list);
	vs.area_bytes -= a->size;
	if (a->flags & (VM_ALLOC | VM_MAP))
		vs.used -= a->size - PAGE_SIZE;
	vs.nr_areas--;
	vs.nr_pages -= a->nr_pages;
}

/* The area containing va (guard page included), or NULL. */
static struct vm_area *area_containing_locked(u64 va)
{
	const struct list_head *pos = vs.hint && va >= vs.hint->addr ? &vs.hint->list : vs.areas.next;

	for (; pos != &vs.areas; pos = pos->next) {
		struct vm_area *a = list_entry(pos, struct vm_area, list);

		if (va < a->addr)
			return NULL;
		if (va - a->addr < a->size)
			return a;
	}
	return NULL;
}

/* The area closest to va (containing it, or the nearest edge), or NULL. */
static struct vm_area *area_nearest_locked(u64 va)
{
	struct vm_area *a, *best = NULL;
	u64 best_d = ~0ULL;

	list_for_each_entry(a, &vs.areas, list) {
		u64 d = va < a->addr ? a->addr - va : va - a->addr < a->size ? 0 : va - (a->addr + a->size - 1);

		if (d < best_d) {
			best = a;
			best_d = d;
		}
	}
	return best;
}

/* ---- reserving, releasing, claiming ---------------------------------------- */

struct vm_area *vm_area_reserve(u64 size, u64 align, unsigned flags, phys_addr_t phys, const void *caller)
{
	struct vm_area *a;
	unsigned long f;
	void *empty = NULL;
	int rc;

	if (!vs.pt->root) {
		printf("vmalloc: no page table for the window yet\n");
		return NULL;
	}
	vmalloc_meminfo_register();
	f = spin_lock_irqsave(&vmap_area_lock);
	while (!(a = desc_get_locked())) {
		struct page *pg;

		spin_unlock_irqrestore(&vmap_area_lock, f);
		pg = nr_managed_pages() ? alloc_page(GFP_KERNEL | __GFP_ZERO) : NULL;
		if (!pg) {
			printf("vmalloc: no memory for area descriptors (boot pool of %d used up)\n", VM_BOOT_AREAS);
			return NULL;
		}
		f = spin_lock_irqsave(&vmap_area_lock);
		desc_page_add_locked(page_address(pg));
	}
	a->flags = flags;
	a->phys = phys;
	a->caller = caller;
	rc = insert_area_locked(a, size + PAGE_SIZE, align);
	if (rc)
		empty = desc_put_locked(a);
	spin_unlock_irqrestore(&vmap_area_lock, f);
	if (!rc)
		return a;
	desc_page_free(empty);
	printf("vmalloc: allocation failure: %llu bytes: no free range in the window [%#llx-%#llx)\n", ULL(size),
	       ULL(vs.start), ULL(vs.end));
	return NULL;
}

void vm_area_publish_pages(struct vm_area *a, unsigned nr)
{
	unsigned long f = spin_lock_irqsave(&vmap_area_lock);

	a->nr_pages = nr;
	vs.nr_pages += nr;
	spin_unlock_irqrestore(&vmap_area_lock, f);
}

void vm_area_release(struct vm_area *a)
{
	unsigned long f = spin_lock_irqsave(&vmap_area_lock);
	void *empty;

	remove_area_locked(a);
	empty = desc_put_locked(a);
	spin_unlock_irqrestore(&vmap_area_lock, f);
	desc_page_free(empty);
}

static const char *type_name(unsigned flags)
{
	return flags & VM_IOREMAP ? "ioremap" : flags & VM_ALLOC ? "vmalloc" : "vmap";
}

struct vm_area *vm_area_claim(u64 va, unsigned type, const char *fn)
{
	unsigned long f = spin_lock_irqsave(&vmap_area_lock);
	bool in_window = va >= vs.start && va < vs.end;
	struct vm_area *a = area_containing_locked(va), *near = NULL, copy;
	char why[80];

	if (!in_window)
		snprintf(why, sizeof(why), "not in the vmalloc window [%#llx-%#llx)", ULL(vs.start), ULL(vs.end));
	else if (!a)
		snprintf(why, sizeof(why), "no area there (freed already?)");
	else if (a->addr != va)
		snprintf(why, sizeof(why), "not the start of an area");
	else if (a->flags & VM_FREEING)
		snprintf(why, sizeof(why), "area is already being freed");
	else if (!(a->flags & type))
		snprintf(why, sizeof(why), "%s area", type_name(a->flags));
	else
		why[0] = 0;
	if (!why[0]) {
		a->flags |= VM_FREEING;
		spin_unlock_irqrestore(&vmap_area_lock, f);
		return a;
	}
	if (in_window && (near = area_nearest_locked(va)))
		copy = *near;
	vmalloc_bad_free_reports++;
	spin_unlock_irqrestore(&vmap_area_lock, f);

	printf("vmalloc: bad %s(%#llx): %s\n", fn, ULL(va), why);
	if (near) {
		printf("vmalloc: nearest area: ");
		copy.flags &= ~VM_FREEING;
		show_vm_area(stdout, &copy);
	}
	dump_stack();
	return NULL;
}

/* ---- page tables (vmap_pt_lock) -------------------------------------------- */

int vm_window_map(u64 va, phys_addr_t pa, u64 size, unsigned attrs)
{
	unsigned long f = spin_lock_irqsave(&vmap_pt_lock);
	int rc = pgt_map(vs.pt, va, pa, size, attrs);

	spin_unlock_irqrestore(&vmap_pt_lock, f);
	return rc;
}

void vm_window_unmap(u64 va, u64 size)
{
	unsigned long f = spin_lock_irqsave(&vmap_pt_lock);
	int rc = pgt_unmap(vs.pt, va, size);

	spin_unlock_irqrestore(&vmap_pt_lock, f);
	BUG_ON(rc); /* whole areas mapped by mm/vmalloc.c: no block to split */
}

int vm_window_query(u64 va, phys_addr_t *pa)
{
	unsigned long f = spin_lock_irqsave(&vmap_pt_lock);
	int rc = pgt_query(vs.pt, va, pa, NULL, NULL);

	spin_unlock_irqrestore(&vmap_pt_lock, f);
	return rc;
}

u64 vm_window_pages(void) { return (vs.end - vs.start) >> PAGE_SHIFT; }

/* ---- lookups and totals ----------------------------------------------------- */

bool is_vmalloc_addr(const void *addr)
{
	u64 va = (u64)(uintptr_t)addr;

	return va >= vs.start && va < vs.end;
}

struct vm_area *find_vm_area(const void *addr)
{
	unsigned long f = spin_lock_irqsave(&vmap_area_lock);
	struct vm_area *a = area_containing_locked((u64)(uintptr_t)addr);

	spin_unlock_irqrestore(&vmap_area_lock, f);
	return a;
}

bool vmalloc_next_area(u64 from, struct vm_area *copy)
{
	unsigned long f = spin_lock_irqsave(&vmap_area_lock);
	const struct list_head *pos = vs.hint && from >= vs.hint->addr ? &vs.hint->list : vs.areas.next;
	bool found = false;

	for (; pos != &vs.areas; pos = pos->next) {
		const struct vm_area *a = list_entry(pos, struct vm_area, list);

		if (a->addr >= from) {
			*copy = *a;
			if (a->pages == a->inline_pages)
				copy->pages = copy->inline_pages;
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&vmap_area_lock, f);
	if (found) {
		copy->list.next = copy->list.prev = NULL;
		copy->flags &= ~VM_FREEING;
	}
	return found;
}

void get_vmalloc_info(struct vmalloc_info *vi)
{
	unsigned long f = spin_lock_irqsave(&vmap_area_lock);
	u64 prev_end = vs.start, largest = 0;
	const struct vm_area *a;

	list_for_each_entry(a, &vs.areas, list) {
		largest = MAX(largest, a->addr - prev_end);
		prev_end = a->addr + a->size;
	}
	vi->largest_chunk = MAX(largest, vs.end - prev_end);
	vi->total = vs.end - vs.start;
	vi->used = vs.used;
	vi->area_bytes = vs.area_bytes;
	vi->nr_areas = vs.nr_areas;
	vi->nr_pages = vs.nr_pages;
	spin_unlock_irqrestore(&vmap_area_lock, f);
}

u64 vmalloc_used_bytes(void)
{
	unsigned long f = spin_lock_irqsave(&vmap_area_lock);
	u64 used = vs.used;

	spin_unlock_irqrestore(&vmap_area_lock, f);
	return used;
}

int vmalloc_init(struct pgtable *pt, u64 start, u64 end)
{
	unsigned long f;

	if (!pt || !pt->root || start >= end || !IS_ALIGNED(start, PAGE_SIZE) || !IS_ALIGNED(end, PAGE_SIZE) ||
	    start < pt->va_base || end - 1 - pt->va_base > (1ULL << pt->va_bits) - 1 || end - 1 > UINTPTR_MAX)
		return -EINVAL;
	f = spin_lock_irqsave(&vmap_area_lock);
	vs.pt = pt;
	vs.start = start;
	vs.end = end;
	INIT_LIST_HEAD(&vs.areas);
	INIT_LIST_HEAD(&vs.desc_pages);
	vs.hint = NULL;
	vs.hole_below = vs.area_bytes = vs.used = vs.nr_areas = vs.nr_pages = 0;
	INIT_LIST_HEAD(&boot_block.free);
	boot_block.next_unused = boot_block.nr_used = 0;
	spin_unlock_irqrestore(&vmap_area_lock, f);
	return 0;
}
