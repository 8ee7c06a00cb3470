/*
 * Highmem: RAM the kernel's linear map does not cover (ZONE_HIGHMEM: above
 * PHYS_OFFSET + LINEAR_MAP_SIZE, or the top highmem=SIZE of RAM). Such a
 * page has no kernel address; the kernel touches it through a temporary
 * mapping:
 *
 *   kmap(p) / kunmap(p)            persistent: one of LAST_PKMAP slots at
 *                                  PKMAP_BASE, counted per page; may sleep
 *                                  (waits when every slot is in use); task
 *                                  context only
 *   kmap_local_page(p) / kunmap_local(addr)
 *                                  one of FIX_KMAP_SLOTS slots at
 *                                  FIXADDR_START, a stack: unmap in reverse
 *                                  order; never sleeps, any context (an
 *                                  interrupt handler maps on top and must
 *                                  unmap before it returns); do not sleep
 *                                  while holding one
 *
 * For a lowmem page every call is page_address(p) and maps nothing, so a
 * board without highmem pays a compare and a branch.
 */
#ifndef MM_HIGHMEM_H
#define MM_HIGHMEM_H

#include <mm/mmzone.h>
#include <mm/page_alloc.h>
#include <types.h>

static inline bool PageHighMem(const struct page *p) { return p->zone == ZONE_HIGHMEM; }

void *kmap_high(struct page *p);
void kunmap_high(struct page *p);
void *kmap_local_high(struct page *p);
void kunmap_local_high(const void *addr);
extern unsigned kmap_local_depth; /* kmap_local mappings held now (this CPU) */

/* Map p for the kernel (persistent); returns its address. May sleep. */
static inline void *kmap(struct page *p) { return PageHighMem(p) ? kmap_high(p) : page_address(p); }
/* Drop one kmap(p). */
static inline void kunmap(struct page *p)
{
	if (PageHighMem(p))
		kunmap_high(p);
}
/* Map p on this CPU's kmap_local stack; returns its address. Never sleeps. */
static inline void *kmap_local_page(struct page *p) { return PageHighMem(p) ? kmap_local_high(p) : page_address(p); }
/* Unmap the newest kmap_local mapping, whose address (any byte of the page) is addr. */
static inline void kunmap_local(const void *addr)
{
	if (kmap_local_depth)
		kunmap_local_high(addr);
}

/* No slot in use (mm_init; the slots' entries must be invalid already). */
void highmem_init(void);
/* kmap and kmap_local mappings held now (leak tests: back to 0 when done). */
unsigned kmap_active(void);

/* Zero a page / copy a whole page, whatever zone it is in. */
void clear_highpage(struct page *p);
void copy_highpage(struct page *dst, struct page *src);
/* Copy len bytes to / from p at offset (offset + len <= PAGE_SIZE). */
void memcpy_to_page(struct page *p, size_t offset, const void *src, size_t len);
void memcpy_from_page(void *dst, struct page *p, size_t offset, size_t len);

/* Counters for the kmap window (the ktest and /proc/vmstat-style reports). */
struct kmap_stats {
	u64 kmap_calls, kmap_local_calls;
	u64 pkmap_flushes; /* lazy flushes of the whole persistent window */
	u64 pkmap_waits;   /* kmap() found every slot in use and slept */
	unsigned pkmap_high; /* most persistent slots in use at once */
};
extern struct kmap_stats kmap_stats;

/*
 * Sleeping for a free slot: installed by the kernel (kernel/highmem_wait.c);
 * wait(ready) sleeps until ready() (evaluated in the caller's context),
 * wake() is called when a slot is freed. Without hooks kmap panics when
 * the window is full.
 */
struct highmem_hooks {
	void (*wait)(bool (*ready)(void));
	void (*wake)(void);
};
extern struct highmem_hooks highmem_hooks;

/*
 * The slots' mappings, implemented by mm/kmap.c (PTEs in kernel_pgt,
 * tables preallocated at boot) and by platform/host/phys.c on the host.
 * kmap_slot_set: map the slot at va (invalid before) to pa; returns the
 * address to use. kmap_slot_clear: make it invalid (no TLB flush).
 * kmap_slots_flush: invalidate the TLB for [start, end).
 */
void *kmap_slot_set(vaddr_t va, phys_addr_t pa);
void kmap_slot_clear(vaddr_t va);
void kmap_slots_flush(vaddr_t start, vaddr_t end);

/*
 * The lowmem/highmem boundary from the platform and highmem=SIZE (the
 * top SIZE bytes of RAM become highmem; 0: only what LINEAR_MAP_SIZE
 * leaves out). Sets memblock's lowmem limit (so early allocations and
 * the linear map stay below it). Boot, after RAM is known, before
 * kmap_build. Returns 0, or -EINVAL after printing why (highmem= that
 * leaves less than HIGHMEM_MIN_LOWMEM of lowmem, or the kernel image).
 */
#define HIGHMEM_MIN_LOWMEM (32ULL << 20)
int highmem_set_boundary(u64 highmem_bytes);
/* Parse highmem=SIZE (K/M/G suffix); 0 and *bytes set, or -EINVAL. */
int highmem_parse(const char *s, u64 *bytes);

#endif
