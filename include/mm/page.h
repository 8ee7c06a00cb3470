/*
 * struct page: one per 4 KiB frame of RAM, in one array (mem_map) that
 * covers [first RAM frame, last RAM frame]; holes are PG_reserved.
 *
 *   offset  size  field      meaning
 *   0       4     flags      PG_* bits below
 *   4       1     order      order of a free block's head (PG_buddy, PG_pcp)
 *   5       1     zone       zone index (enum zone_type)
 *   6       2     pkmap      persistent kmap slot + 1 of a highmem page
 *                            (mm/highmem.c), 0 if it has none;
 *                   slab_owner of a slab's head (always lowmem): which CPU
 *                            holds it (mm/slab_internal.h); 0 on every
 *                            other lowmem page
 *   8       4     refcount   users of the page; 0 when free
 *   12      4     mapcount   PTEs mapping it (rmap, issue 6); 0 if none
 *   16      16    lru        free-list link (PG_buddy), per-CPU list link
 *                            (PG_pcp), later the LRU/slab list link
 *   32      8     private    PG_buddy: the free list's migratetype;
 *                            PG_swapcache: its swap slot; slab freelist
 *   40      8     mapping    rmap anchor (anon_vma / file mapping / slab cache)
 *   48      8     index      offset in mapping / VA for anonymous rmap
 *                 = 56 bytes (PAGE_ARRAY_BYTES_PER_PAGE is the budget, 64)
 *
 * With 32-bit pointers (ARMv7-A, the -m32 host tests) lru is 8 bytes and
 * private and mapping 4 each: lru at 16, private 24, mapping 28, index 32
 * (8-aligned either way) = 40 bytes.
 */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <arch/layout.h>
#include <lib/list.h>
#include <types.h>

/* Budget per frame, used by the boot RAM check; asserted against sizeof(struct page). */
#define PAGE_ARRAY_BYTES_PER_PAGE 64

enum page_flag_bits {
	PG_reserved,  /* never given to the allocator (hole, image, firmware) */
	PG_buddy,     /* head of a free block in a buddy free list */
	PG_pcp,       /* head of a free block on a per-CPU list (order in ->order) */
	PG_poisoned,  /* free and filled with PAGE_POISON (hardening) */
	PG_head,      /* head of a compound (multi-page) allocation */
	PG_slab,      /* used by the slab allocator (issue 4) */
	PG_lru,       /* on an LRU list (reclaim) */
	PG_active,
	PG_referenced,
	PG_dirty,
	PG_swapbacked,
	PG_mlocked,
	PG_locked,
	PG_cma_alloc, /* taken by cma_alloc() */
	PG_slab_tail, /* non-head page of a slab: private points to the head */
	PG_large_kmalloc, /* head of a kmalloc larger than KMALLOC_MAX_CACHE_SIZE */
	PG_swapcache, /* in the swap cache: private = its swap slot (include/mm/swap.h) */
	PG_isolated,  /* taken off its LRU list by reclaim, being worked on */
	PG_pgtable,   /* a translation table page (user or kernel; mm/mmap.c, mm/kmap.c) */
	PG_zspage,    /* owned by zram's object store (mm/zpool.c): objects, tables, reserve */
};

struct page {
	u32 flags;
	u8 order;
	u8 zone;
	union {
		u16 pkmap;
		u16 slab_owner;
	};
	s32 refcount;
	s32 mapcount;
	struct list_head lru;
	uintptr_t private;
	void *mapping;
	u64 index;
};

#define PAGE_FLAG(p, bit) (((p)->flags >> (bit)) & 1u)
static inline void page_set_flag(struct page *p, unsigned bit) { p->flags |= 1u << bit; }
static inline void page_clear_flag(struct page *p, unsigned bit) { p->flags &= ~(1u << bit); }

extern struct page *mem_map;     /* the page array */
extern u64 mem_map_base_pfn;     /* pfn of mem_map[0] */
extern u64 mem_map_nr;           /* entries in mem_map */

static inline u64 phys_to_pfn(phys_addr_t pa) { return pa >> PAGE_SHIFT; }
static inline phys_addr_t pfn_to_phys(u64 pfn) { return pfn << PAGE_SHIFT; }
static inline bool pfn_valid(u64 pfn) { return pfn - mem_map_base_pfn < mem_map_nr; }
static inline struct page *pfn_to_page(u64 pfn) { return mem_map + (pfn - mem_map_base_pfn); }
static inline u64 page_to_pfn(const struct page *p) { return mem_map_base_pfn + (u64)(p - mem_map); }

/*
 * The frames of mem_map that lowmem's linear map covers, by linear address:
 * the nr pages from linear page number pfn0 (va >> PAGE_SHIFT) are RAM
 * with a struct page and a linear address (set with mem_map by mm_init).
 * linear_page() is the hot paths' address -> page lookup (kfree,
 * kmem_cache_free): one shift, one subtract and one compare answer "is
 * this a lowmem linear address with a struct page" (NULL, the zero-size
 * pointer and vmalloc/kmap/highmem addresses all fail it).
 */
struct linear_pages {
	uintptr_t pfn0;   /* linear address of mem_map[0]'s frame >> PAGE_SHIFT */
	uintptr_t nr;     /* frames the linear map reaches from there over mem_map */
	struct page *map; /* = mem_map */
};
extern struct linear_pages linear_pages;

/* Whether va is such an address; if so *page is its struct page. */
static inline bool linear_page_lookup(const void *va, struct page **page)
{
	uintptr_t i = ((uintptr_t)va >> PAGE_SHIFT) - linear_pages.pfn0;

	/* (formed in integers: for an address out of range it is garbage,
	 * and pointer arithmetic out of bounds would be undefined) */
	*page = (struct page *)((uintptr_t)linear_pages.map + i * sizeof(struct page));
	return i < linear_pages.nr;
}

static inline struct page *linear_page(const void *va)
{
	struct page *p;

	return linear_page_lookup(va, &p) ? p : NULL;
}
static inline phys_addr_t page_to_phys(const struct page *p) { return pfn_to_phys(page_to_pfn(p)); }

#endif
