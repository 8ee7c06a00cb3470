/*
 * Writes /proc/meminfo, /proc/vmstat and /proc/swaps as Pagoda prints them,
 * from a known state built with the real mm code on the host fixture board
 * (test/host/mm_fixture.c): the page allocator, slab (a reclaimable cache
 * for SReclaimable), the LRU lists (active, inactive, mlocked pages), the
 * vm_stat/vm_events counters and, until mm/swap.c is merged, the swap
 * double's device state. test/procps/check_procps.py runs Debian's procps
 * free and vmstat on these files and compares what they print with them.
 *
 * Usage: dump_reports DIR   (writes DIR/meminfo, DIR/vmstat, DIR/swaps)
 */
#include <host.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../host/mm_fixture.h"
#include "../host/swap_double.h"

#define NR_USER_PAGES 300

static void write_report(const char *dir, const char *name, void (*show)(FILE *))
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	show(f);
	if (fclose(f)) {
		perror(path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	static struct page *user[NR_USER_PAGES];
	struct kmem_cache *dentry;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	fix_mm_setup(false, false);
	kmem_cache_init("");
	swap_double_reset();
	vmstat_meminfo_register();
	swap_meminfo_register();

	/* 300 user pages on the LRU lists: 100 anon, 150 file, 50 mlocked
	 * (lru_add puts new pages on the inactive lists; reclaim activates) */
	for (unsigned i = 0; i < NR_USER_PAGES; i++) {
		bool anon = i < 100;

		user[i] = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		if (!user[i])
			return 1;
		if (i >= 250)
			page_set_flag(user[i], PG_mlocked);
		lru_add(user[i], anon);
	}
	mod_vm_stat(NR_ANON_MAPPED, 100);
	mod_vm_stat(NR_FILE_PAGES, 150 + 20); /* 20 swap-cache pages, as mm/swap.c counts them */
	mod_vm_stat(NR_SWAPCACHE, 20);
	mod_vm_stat(NR_FILE_MAPPED, 120);
	mod_vm_stat(NR_BUFFERS, 6);
	mod_vm_stat(NR_MLOCK, 50);
	/* reclaimable slab: 2000 objects of 512 bytes */
	dentry = kmem_cache_create("dentry", 512, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	for (unsigned i = 0; dentry && i < 2000; i++)
		if (!kmem_cache_alloc(dentry, GFP_KERNEL))
			return 1;
	/* swap: a 64 MiB zram0 with 1234 slots in use; paging/swap events */
	swap_double_info.nr_slots = 16384;
	swap_double_info.inuse_slots = 1234;
	count_vm_events(PGPGIN, 81920);
	count_vm_events(PGPGOUT, 40960);
	count_vm_events(PSWPIN, 4321);
	count_vm_events(PSWPOUT, 5678);
	count_vm_events(PGFAULT, 99999);
	count_vm_events(PGMAJFAULT, 4400);

	write_report(argv[1], "meminfo", show_meminfo);
	write_report(argv[1], "vmstat", show_vmstat);
	write_report(argv[1], "swaps", show_swaps);
	fix_mm_teardown();
	return 0;
}
