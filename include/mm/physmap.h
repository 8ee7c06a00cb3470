/*
 * The physical memory map (mm/physmap_report.c): every frame of the page
 * array by zone, migratetype of its pageblock and owner, in runs of frames
 * that share all three. /sys/kernel/debug/pagoda/physmap prints it:
 *
 *   pfn frames zone migratetype owner
 *   0x40000 256 DMA Unmovable reserved
 *   0x40100 1536 DMA Unmovable free
 *   ...
 *
 * one line per run: first pfn (hex), frames (decimal), zone name ("-"
 * outside every zone), pageblock migratetype as pagetypeinfo names it
 * ("-" outside every zone) and the owner, one of physmap_owner_names.
 * The runs are in pfn order and cover the page array once.
 *
 * Locking: each zone's span is walked under its lock (IRQs masked) and
 * its runs are printed then: print to a memory stream (the /proc tree's
 * sink), not to a slow device. Callers must not hold a zone lock.
 */
#ifndef MM_PHYSMAP_H
#define MM_PHYSMAP_H

#include <stdio.h>
#include <mm/page.h>

enum physmap_owner {
	PHYS_FREE,      /* buddy lists or per-CPU lists (MemFree) */
	PHYS_RESERVED,  /* PG_reserved: holes, image, DTB, memblock allocations */
	PHYS_KERNEL,    /* allocated, none of the below (kmalloc large, vmalloc, DMA, stacks) */
	PHYS_SLAB,      /* slab pages */
	PHYS_PAGETABLE, /* translation tables (PG_pgtable) */
	PHYS_ANON,      /* anonymous pages of apps, swap cache included */
	PHYS_FILE,      /* page cache of the app image */
	PHYS_SHMEM,     /* shared anonymous memory (shmem objects) */
	PHYS_ZRAM,      /* zram's object store (PG_zspage) */
	PHYS_CMA_ALLOC, /* taken by cma_alloc() */
	PHYS_NR_OWNERS
};

extern const char *const physmap_owner_names[PHYS_NR_OWNERS];

/* One run of frames with the same zone, migratetype and owner. */
struct physmap_run {
	u64 pfn, nr;
	int zone;        /* enum zone_type, -1 outside every zone */
	int migratetype; /* enum migratetype, -1 outside every zone */
	enum physmap_owner owner;
};

/* Owner of an allocated-or-reserved frame from its struct page alone
 * (free: only a buddy head or a per-CPU page says so; physmap_walk knows
 * the frames a free block spans). Zone lock held for a stable answer. */
enum physmap_owner physmap_page_owner(const struct page *p);

/* Call fn for each run, in pfn order, covering the page array once. */
void physmap_walk(void (*fn)(void *arg, const struct physmap_run *r), void *arg);

/* The report described above. */
void show_physmap(FILE *f);

#endif
