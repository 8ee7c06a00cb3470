/*
 * vmalloc: virtually contiguous kernel memory in the vmalloc window
 * [VMALLOC_START, VMALLOC_END) of the kernel's table (platform/aarch64/include/arch/layout.h).
 *
 *   vmalloc/vzalloc  pages from the page allocator, mapped 4 KiB at a time,
 *                    Normal write-back RW, execute-never
 *   vmap             caller's pages mapped in order with the caller's attrs
 *   ioremap          device registers (include/mm/ioremap.h)
 *
 * Every area is followed by one unmapped guard page that is part of the
 * area (as in Linux): a run off the end of an area faults instead of
 * landing in the next one.
 *
 *   VMALLOC_START                                                 VMALLOC_END
 *   | area 0       |g| area 1 |g|    (free)    | area 2           |g|  (free) |
 *   |<- size (guard included) ->|
 *
 * Errors: allocation functions return NULL (a message says why); freeing
 * an address that is not the start of an area of the right kind prints a
 * report (the address, the nearest area, a call trace) and changes nothing.
 * Context: process context (boot, tasks); not from interrupt handlers.
 * Locking: every function takes the vmalloc locks itself and returns with
 * none held (the rules are at the top of mm/vmalloc_area.c).
 */
#ifndef MM_VMALLOC_H
#define MM_VMALLOC_H

#include <lib/list.h>
#include <mm/gfp.h>
#include <mm/pgtable.h>
#include <stdio.h>
#include <types.h>

struct page;

/* vm_area.flags: what the area is (one of the first three). */
#define VM_IOREMAP 0x1u /* ioremap(): device memory, no struct pages */
#define VM_ALLOC 0x2u   /* vmalloc(): owns its pages */
#define VM_MAP 0x4u     /* vmap(): the caller owns the pages */

#define VM_INLINE_PAGES 4 /* pages[] of vmallocs this small live in the descriptor */

/* A vmalloc area; descriptors come from a boot pool, then from pages. */
struct vm_area {
	struct list_head list; /* private: the window's areas, sorted by address */
	u64 addr;              /* first byte (page aligned) */
	u64 size;              /* bytes, the guard page included */
	unsigned flags;        /* VM_* */
	unsigned nr_pages;     /* VM_ALLOC: pages owned (Linux: 0 for vmap) */
	phys_addr_t phys;      /* VM_IOREMAP: page-aligned PA mapped at addr */
	struct page **pages;   /* VM_ALLOC: the pages in VA order */
	const void *caller;    /* return address of the vmalloc/vmap/ioremap call */
	struct page *inline_pages[VM_INLINE_PAGES]; /* private */
};

/* Allocate size bytes (rounded up to pages) of virtually contiguous RW
 * memory; pages need not be physically contiguous. NULL on failure. */
void *vmalloc(size_t size);
/* vmalloc() with the memory zeroed. */
void *vzalloc(size_t size);
/* A kernel stack of size bytes (rounded to a power of two of pages),
 * physically contiguous, mapped at an odd multiple of its size with at
 * least size bytes unmapped below (guard). Returns its lowest address or
 * NULL. */
void *vmalloc_stack(size_t size);
/* Free what vmalloc_stack(size) returned. */
void vfree_stack(void *base, size_t size);
/* Unmap and free what vmalloc/vzalloc returned. NULL is ignored; any other
 * address that is not a vmalloc area's start is reported and left alone. */
void vfree(const void *addr);

/* Map count pages contiguously with MMU_* attrs prot (kernel only: no
 * MMU_USER, not writable and executable). The caller keeps owning the
 * pages. Returns the VA of pages[0], or NULL. */
void *vmap(struct page **pages, unsigned count, unsigned prot);
/* Undo vmap() (the pages are not freed); bad addresses are reported. */
void vunmap(const void *addr);

/* The page mapped at a vmalloc/vmap address (any byte of it), or NULL
 * (not mapped, a guard page, ioremap'ed device memory). */
struct page *vmalloc_to_page(const void *addr);
/* Whether addr lies in the vmalloc window. */
bool is_vmalloc_addr(const void *addr);
/* A buffer of size bytes from kmalloc if it has one at once (no hard retry,
 * no warning above a page), else from vmalloc (mm/kvmalloc.c); NULL if
 * neither. Free it with kvfree (NULL is ignored). */
void *kvmalloc(size_t size, gfp_t gfp);
void kvfree(const void *p);
/* The area containing addr (guard page included), or NULL. The pointer is
 * valid until the area is freed; do not modify it. */
struct vm_area *find_vm_area(const void *addr);
/* Copy of the first area whose start is >= from into *copy (its list
 * member cleared); false when there is none. For reports: walk with
 * from = copy->addr + copy->size. */
bool vmalloc_next_area(u64 from, struct vm_area *copy);

/* The window's totals, in bytes. */
struct vmalloc_info {
	u64 total;         /* size of the window (meminfo's VmallocTotal) */
	u64 used;          /* mapped by vmalloc and vmap areas, guard pages and
			      ioremap not included (meminfo's VmallocUsed) */
	u64 area_bytes;    /* sum of all areas' sizes, guard pages included
			      (what vmallocinfo's sizes add up to) */
	u64 largest_chunk; /* largest free range (meminfo's VmallocChunk) */
	u64 nr_areas;
	u64 nr_pages;      /* pages owned by vmalloc areas */
};
/* Fill vi from one consistent look at the area list. */
void get_vmalloc_info(struct vmalloc_info *vi);
/* meminfo's VmallocUsed in bytes: mapped by vmalloc and vmap areas. */
u64 vmalloc_used_bytes(void);

/* /proc/vmallocinfo: one line per area, by address (mm/vmalloc_report.c):
 * "0x<start>-0x<end> <size> 0x<caller> [pages=N] [phys=0x<pa>] <type>" */
void show_vmallocinfo(FILE *f);
/* One vmallocinfo line for a (used by the bad-free report too). */
void show_vm_area(FILE *f, const struct vm_area *a);

/* Reports of bad vfree/vunmap/iounmap calls since boot. */
extern u64 vmalloc_bad_free_reports;

/*
 * Use pt's range [start, end) (page aligned, inside pt) as the window and
 * forget every area and descriptor page: for host tests, which run the
 * allocator on a host table. Without it the window is the kernel's
 * (kernel_pgt, VMALLOC_START..VMALLOC_END), usable as soon as kmap_build()
 * has made the table. Returns 0 or -EINVAL (also for a window a pointer
 * cannot address: areas are handed out as pointers).
 */
int vmalloc_init(struct pgtable *pt, u64 start, u64 end);

/*
 * Private to mm/vmalloc*.c: the window's primitives (mm/vmalloc_area.c)
 * that mm/vmalloc.c builds vmalloc, vmap and ioremap from.
 */
/* List an area of size bytes plus its guard page, aligned to align
 * (flags, phys and caller recorded); NULL with a message if no room. */
struct vm_area *vm_area_reserve(u64 size, u64 align, unsigned flags, phys_addr_t phys, const void *caller);
/* Record that a vmalloc area now owns its nr pages (for the totals). */
void vm_area_publish_pages(struct vm_area *a, unsigned nr);
/* Take the area starting at va, of a kind in type, out of use for fn
 * ("vfree"...); or report why not (bad-free report) and return NULL. */
struct vm_area *vm_area_claim(u64 va, unsigned type, const char *fn);
/* Unlist a (unmapped, pages freed) and recycle its descriptor. */
void vm_area_release(struct vm_area *a);
/* pgt_map/pgt_unmap/pgt_query on the window's table, under its lock;
 * unmapping a range this code mapped cannot fail (asserted). */
int vm_window_map(u64 va, phys_addr_t pa, u64 size, unsigned attrs);
void vm_window_unmap(u64 va, u64 size);
int vm_window_query(u64 va, phys_addr_t *pa);
/* Size of the window in pages. */
u64 vm_window_pages(void);
/* Register the meminfo provider of VmallocTotal/Used/Chunk (mm/report.h);
 * called when the first area is made, at boot. Idempotent. */
void vmalloc_meminfo_register(void);

#endif
