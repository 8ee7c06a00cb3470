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

/*
 * The values behind show_meminfo(), in kB. A later subsystem adds its
 * line by adding a field here, filling it in meminfo_read() and listing
 * it in mm/report.c's meminfo_lines[] where Linux prints it.
 */
struct meminfo {
	u64 mem_total;     /* pages managed by the buddy allocator */
	u64 mem_free;      /* free pages: buddy lists + per-CPU lists */
	u64 mem_available; /* mem_free - sum of the zones' high watermarks, >= 0 */
	u64 cma_total;     /* pages in MIGRATE_CMA pageblocks */
	u64 cma_free;      /* of them, free on the buddy lists */
};

/* Fill mi from the zones (takes each zone lock in turn). */
void meminfo_read(struct meminfo *mi);

/* Print one meminfo line, "Name:" padded to 16 then kB right-aligned in 8
 * ("MemTotal:        8029180 kB"), for reports that extend meminfo. */
void meminfo_line(FILE *f, const char *name, u64 kb);

#endif
