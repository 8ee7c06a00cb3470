/*
 * Memory reports in Linux's /proc formats: buddyinfo, pagetypeinfo,
 * zoneinfo and meminfo, printed to any stdio stream (the console's stdout
 * on the target, a memory stream in host tests). Field names, widths and
 * order are Linux's, so that people's eyes and scripts carry over; the
 * numbers are Pagoda's (mm/report.c says where each comes from).
 *
 * Locking: every report takes each zone's lock (IRQs masked) only while
 * it copies that zone's counters or counts its free lists, and prints
 * afterwards. Callers must not hold a zone lock. Zones are copied one
 * after the other, not at one instant (as in Linux).
 */
#ifndef MM_REPORT_H
#define MM_REPORT_H

#include <stdio.h>
#include <types.h>

/* /proc/buddyinfo: free blocks per order, one line per populated zone. */
void show_buddyinfo(FILE *f);
/* /proc/pagetypeinfo: free blocks per migratetype and order, then the
 * number of pageblocks of each migratetype, per populated zone. */
void show_pagetypeinfo(FILE *f);
/* /proc/zoneinfo: watermarks, sizes, lowmem protection, counters and the
 * per-CPU list of every zone (empty zones: sizes and protection only). */
void show_zoneinfo(FILE *f);
/* /proc/meminfo: the lines of struct meminfo, in Linux's order. */
void show_meminfo(FILE *f);
/* /proc/vmstat: "name value" lines in Linux 6.1's order for the counters
 * Pagoda keeps (mm/vmstat_report.c lists them). Takes each zone lock. */
void show_vmstat(FILE *f);

/* mm/swap_report.c (/proc/swaps itself: show_swaps() in include/mm/swap.h).
 * Register SwapTotal/SwapFree (from swap_get_info) as a meminfo provider
 * (boot; once only, later calls do nothing). */
void swap_meminfo_register(void);
/* /sys/block/zram0/mm_stat and io_stat of the swap device; nothing when
 * there is no swap device. */
void show_zram_mm_stat(FILE *f);
void show_zram_io_stat(FILE *f);
/* "$ cat /proc/swaps" and, with a swap device, its mm_stat and io_stat,
 * each under a "$ cat ..." line (the demo and report dumps). */
void show_swap_reports(FILE *f);

/*
 * The values behind show_meminfo(), in kB. The zones' lines are filled
 * here; other subsystems register a provider that fills theirs (so this
 * file depends on none of them). A new line: a field here, a row in
 * mm/report.c's meminfo_lines[] where Linux prints it, and a provider.
 */
struct meminfo {
	u64 mem_total;     /* pages managed by the buddy allocator */
	u64 mem_free;      /* free pages: buddy lists + per-CPU lists */
	u64 mem_available; /* mem_free - high watermarks + reclaimable slab, >= 0 */
	/* user memory (mm/vmstat.c, mm/lru.c) */
	u64 buffers;       /* block-device metadata pages (NR_BUFFERS) */
	u64 cached;        /* page cache, shmem included, buffers not (Linux's) */
	u64 swap_cached;   /* swap-cache pages (NR_SWAPCACHE) */
	u64 active;        /* active(anon) + active(file) */
	u64 inactive;      /* inactive(anon) + inactive(file) */
	u64 active_anon;   /* the LRU lists' lengths (anon: shmem included, as in Linux) */
	u64 inactive_anon;
	u64 active_file;
	u64 inactive_file;
	u64 unevictable;   /* LRU_UNEVICTABLE (mlocked pages) */
	u64 mlocked;       /* PG_mlocked pages (NR_MLOCK) */
	u64 high_total;    /* ZONE_HIGHMEM managed / free (shown only when highmem exists) */
	u64 high_free;
	u64 low_total;     /* the other zones' managed / free */
	u64 low_free;
	u64 swap_total;    /* slots of the swap device (mm/swap_report.c) */
	u64 swap_free;     /* of them, held by no swap PTE and not the swap cache */
	u64 dirty;         /* dirty page cache waiting for writeback (none: read-only image) */
	u64 writeback;     /* under writeback (none) */
	u64 anon_pages;    /* anon pages mapped by some mm (NR_ANON_MAPPED) */
	u64 mapped;        /* page-cache pages mapped by some mm (NR_FILE_MAPPED) */
	u64 shmem;         /* shmem pages (NR_SHMEM) */
	/* kernel memory */
	u64 kreclaimable;  /* reclaimable kernel memory (= sreclaimable for now) */
	u64 slab;          /* sreclaimable + sunreclaim */
	u64 sreclaimable;  /* slab pages of SLAB_RECLAIM_ACCOUNT caches */
	u64 sunreclaim;    /* other slab pages, plus kmalloc > 8 KiB */
	u64 kernel_stack;  /* kernel stacks */
	u64 page_tables;   /* translation-table pages: the kernel's and the apps' */
	u64 commit_limit;  /* overcommit mode 2's limit (mm/commit.c) */
	u64 committed_as;  /* private writable mappings charged (mm/commit.c) */
	u64 vmalloc_total; /* size of the vmalloc window */
	u64 vmalloc_used;  /* mapped by vmalloc/vmap (not ioremap) */
	u64 vmalloc_chunk; /* largest free hole in the window */
	u64 cma_total;     /* pages in MIGRATE_CMA pageblocks */
	u64 cma_free;      /* of them, free on the buddy lists */
};

/* A subsystem that contributes meminfo lines. */
struct meminfo_provider {
	void (*fill)(struct meminfo *mi);
	struct meminfo_provider *next;
};
/* Register p (boot/init time; providers are never removed). */
void meminfo_add_provider(struct meminfo_provider *p);

/* Fill mi from the zones (takes each zone lock in turn) and the providers. */
void meminfo_read(struct meminfo *mi);

/* Print one meminfo line, "Name:" padded to 16 then kB right-aligned in 8
 * ("MemTotal:        8029180 kB"), for reports that extend meminfo. */
void meminfo_line(FILE *f, const char *name, u64 kb);

#endif
