/*
 * The physical memory map's classification and walk (mm/physmap_report.c)
 * on the fixture board with the real page allocator:
 *  - each owner from the struct page fields its owner sets, one page at a
 *    time (flags and mapping set as slab, page tables, zram, the reverse
 *    map and the page cache set them);
 *  - the report's runs cover the page array once, in pfn order; its free
 *    frames (buddy blocks' every frame, per-CPU pages) equal the zones'
 *    free and per-CPU counts; the first run is the fixture's reserved MiB;
 *  - the printed report's header, first line and the CMA region's line.
 */
#include <host.h>
#include <mm/cma.h>
#include <mm/mm_types.h>
#include <mm/mmzone.h>
#include <mm/page_alloc.h>
#include <mm/physmap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm_fixture.h"

static int setup(void **state)
{
	(void)state;
	fix_mm_setup(false, false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fix_mm_teardown();
	return 0;
}

static void owner_from_page_fields(void **state)
{
	struct page *p = alloc_page(GFP_KERNEL);
	struct page saved;
	struct anon_vma av = { 0 };
	struct address_space file = { .name = "/apps/x" }, shm = { .name = "/dev/zero (deleted)", .shmem = true };

	(void)state;
	assert_non_null(p);
	saved = *p;
	assert_int_equal(physmap_page_owner(p), PHYS_KERNEL);
	page_set_flag(p, PG_slab);
	assert_int_equal(physmap_page_owner(p), PHYS_SLAB);
	p->flags = saved.flags | 1u << PG_slab_tail;
	assert_int_equal(physmap_page_owner(p), PHYS_SLAB);
	p->flags = saved.flags | 1u << PG_pgtable;
	assert_int_equal(physmap_page_owner(p), PHYS_PAGETABLE);
	p->flags = saved.flags | 1u << PG_zspage;
	p->mapping = (void *)&av; /* zspages point mapping at their pool: the flag decides */
	assert_int_equal(physmap_page_owner(p), PHYS_ZRAM);
	p->flags = saved.flags | 1u << PG_cma_alloc;
	assert_int_equal(physmap_page_owner(p), PHYS_CMA_ALLOC);
	p->flags = saved.flags;
	p->mapping = (void *)((uintptr_t)&av | PAGE_MAPPING_ANON);
	assert_int_equal(physmap_page_owner(p), PHYS_ANON);
	p->mapping = &file;
	assert_int_equal(physmap_page_owner(p), PHYS_FILE);
	p->mapping = &shm;
	assert_int_equal(physmap_page_owner(p), PHYS_SHMEM);
	p->mapping = NULL;
	p->flags = saved.flags | 1u << PG_swapcache;
	assert_int_equal(physmap_page_owner(p), PHYS_ANON);
	*p = saved;
	free_page(p);
	assert_int_equal(physmap_page_owner(p), PHYS_FREE); /* on the per-CPU list */
}

struct tally {
	u64 next, free, runs;
	struct physmap_run first;
};

static void count_run(void *arg, const struct physmap_run *r)
{
	struct tally *t = arg;

	if (!t->runs++)
		t->first = *r;
	assert_int_equal(r->pfn, t->next);
	assert_true(r->nr > 0);
	assert_true(r->owner < PHYS_NR_OWNERS);
	t->next = r->pfn + r->nr;
	if (r->owner == PHYS_FREE)
		t->free += r->nr;
}

static u64 zones_free(void)
{
	u64 n = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		n += zones[i].nr_free + zones[i].pcp.count;
	return n;
}

static void walk_covers_the_array_and_counts_free(void **state)
{
	struct tally t = { .next = mem_map_base_pfn };
	struct page *held[64];

	(void)state;
	for (int i = 0; i < 64; i++) /* some pages taken, some on the per-CPU list */
		assert_non_null(held[i] = alloc_page(GFP_KERNEL));
	for (int i = 0; i < 64; i += 2)
		free_page(held[i]);
	assert_true(zones[ZONE_NORMAL].pcp.count + zones[ZONE_DMA32].pcp.count > 0);
	physmap_walk(count_run, &t);
	assert_int_equal(t.next, mem_map_base_pfn + mem_map_nr);
	/* the frames inside free blocks (only their head is flagged) count too */
	assert_int_equal(t.free, zones_free());
	/* the fixture reserves the first MiB */
	assert_int_equal(t.first.pfn, FIX_RAM_BASE >> PAGE_SHIFT);
	assert_int_equal(t.first.owner, PHYS_RESERVED);
	assert_int_equal(t.first.nr, 256);
	for (int i = 1; i < 64; i += 2)
		free_page(held[i]);
}

static void report_lines(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char first[64];

	(void)state;
	show_physmap(f);
	fclose(f);
	assert_non_null(strstr(buf, "pfn frames zone migratetype owner\n"));
	snprintf(first, sizeof(first), "\n%#llx 256 DMA ", (unsigned long long)(FIX_RAM_BASE >> PAGE_SHIFT));
	assert_non_null(strstr(buf, first));
	assert_non_null(strstr(buf, " CMA free\n")); /* the fixture's CMA region, untouched */
	free(buf);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(owner_from_page_fields),
		T(walk_covers_the_array_and_counts_free),
		T(report_lines),
	};

	return cmocka_run_group_tests_name("physmap", tests, NULL, NULL);
}
