/*
 * Per-mm statistics and the maps/smaps/smaps_rollup reports
 * (mm/mm_report.c), on an mm whose tables are built directly: table pages
 * from the page allocator, pages mapped with pgt_map, page->mapcount and
 * page->mapping set by hand (no fault path involved), VMAs from mm/vma.c.
 * Checked: Rss/Pss/USS/Shared/Private for mapcounts 1, 2 and 3, PSS kept
 * with its PSS_SHIFT fraction until printed, the zero page left out,
 * dirty = anon or PG_dirty, and the exact text of every report (written
 * out here as literals, not rebuilt with the report's formats).
 */
#include <arch/phys.h>
#include <host.h>
#include <mm/memory.h>
#include <mm/mm_report.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <mm/slab.h>
#include <mm/vma.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm_fixture.h"
#include "swap_double.h"

#define PG 4096ULL
#define ONE_PAGE_PSS (PG << PSS_SHIFT) /* a page mapped once */
#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define RX (VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define PTE_RW (MMU_READ | MMU_WRITE | MMU_USER | MMU_NG)
#define PTE_RO (MMU_READ | MMU_USER | MMU_NG)

static struct mm_struct mm;
static struct anon_vma av;
static struct address_space img, shm;
#define MAX_TEST_PAGES 16
static struct page *pages[MAX_TEST_PAGES]; /* freed by teardown */
static unsigned nr_pages;

static phys_addr_t table_alloc(void *ctx)
{
	struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);

	(void)ctx;
	return p ? page_to_phys(p) : 0;
}

static void table_free(void *ctx, phys_addr_t pa)
{
	(void)ctx;
	free_pages(pfn_to_page(phys_to_pfn(pa)), 0);
}

static void file_init(struct address_space *as, const char *name, u32 ino, bool shmem)
{
	*as = (struct address_space){ .name = name, .size = 64 * PG, .nr_slots = 64, .ino = ino, .refs = 1,
				      .shmem = shmem };
	INIT_LIST_HEAD(&as->i_mmap);
}

static int setup(void **state)
{
	(void)state;
	fix_mm_setup(false, false);
	kmem_cache_init("");
	vma_cache_init();
	memory_init_user();
	host_mmu_reset();
	memset(&mm, 0, sizeof(mm));
	INIT_LIST_HEAD(&mm.vma_list);
	mm.vma_tree = RB_ROOT;
	assert_int_equal(pgt_init(&mm.pgt, 0, VA_BITS, table_alloc, table_free, NULL), 0);
	mm.pgt.user = true;
	INIT_LIST_HEAD(&av.vmas);
	file_init(&img, "/apps/demo", 2, false);
	file_init(&shm, "/dev/zero (deleted)", 5, true);
	nr_pages = 0;
	swap_double_reset();
	return 0;
}

static int teardown(void **state)
{
	struct vm_area_struct *v, *n;

	(void)state;
	list_for_each_entry_safe(v, n, &mm.vma_list, list) {
		vma_unlink(&mm, v);
		vma_free(v);
	}
	assert_int_equal(img.refs, 1);
	pgt_destroy(&mm.pgt);
	while (nr_pages) {
		struct page *p = pages[--nr_pages];

		p->mapcount = 0;
		p->mapping = NULL;
		p->flags &= ~(1u << PG_dirty);
		free_pages(p, 0);
	}
	assert_int_equal(host_mmu.bbm_violations, 0);
	fix_mm_teardown();
	return 0;
}

/* ---- building an mm by hand ---------------------------------------------- */

static struct vm_area_struct *add_vma(u64 start, u64 end, u64 flags, struct address_space *file, u64 pgoff,
				      const char *name)
{
	struct vm_area_struct *v = vma_alloc(&mm, start, end, flags, file, pgoff, name);

	assert_non_null(v);
	assert_int_equal(vma_link(&mm, v), 0);
	return v;
}

/* A page with the given mapcount: anon (mapping = the anon_vma) or in as. */
static struct page *new_page(int mapcount, struct address_space *as)
{
	struct page *p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);

	assert_non_null(p);
	assert_true(nr_pages < MAX_TEST_PAGES);
	pages[nr_pages++] = p;
	p->mapcount = mapcount;
	p->mapping = as ? (void *)as : (void *)((uintptr_t)&av | PAGE_MAPPING_ANON);
	return p;
}

static void map(u64 va, struct page *p, unsigned attrs)
{
	assert_int_equal(pgt_map(&mm.pgt, va, page_to_phys(p), PG, attrs), 0);
}

static void usage_of(struct vm_area_struct *v, struct mem_usage *u)
{
	memset(u, 0, sizeof(*u));
	vma_usage(v, u);
}

/* Run a report into a string (freed by the caller). */
static char *capture(void (*show)(FILE *, struct mm_struct *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	show(f, &mm);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* ---- arithmetic ------------------------------------------------------------ */

static void pss_of_mapcount_1_2_3(void **state)
{
	static const u64 want_pss[4] = { 0, 16777216, 8388608, 5592405 }; /* (4096 << 12) / mapcount */

	(void)state;
	for (int mc = 1; mc <= 3; mc++) {
		u64 start = 0x10000000ULL + (u64)mc * 0x100000;
		struct vm_area_struct *v = add_vma(start, start + 2 * PG, RW, NULL, 0, NULL);
		struct mem_usage u;

		map(start, new_page(mc, NULL), PTE_RW);
		usage_of(v, &u);
		assert_int_equal(u.size, 2 * PG);
		assert_int_equal(u.rss, PG);
		assert_int_equal(u.pss, want_pss[mc]);
		assert_int_equal(u.pss, ONE_PAGE_PSS / (u64)mc);
		assert_int_equal(u.uss, mc == 1 ? PG : 0);
		assert_int_equal(u.private_dirty, mc == 1 ? PG : 0); /* anon: dirty */
		assert_int_equal(u.shared_dirty, mc == 1 ? 0 : PG);
		assert_int_equal(u.private_clean + u.shared_clean, 0);
		assert_int_equal(u.anonymous, PG);
		assert_int_equal(u.referenced, PG);
		assert_int_equal(u.swap + u.locked, 0);
	}
}

static void zero_page_is_not_counted(void **state)
{
	struct vm_area_struct *v = add_vma(0x405000, 0x409000, RW | VM_HEAP, NULL, 0, NULL);
	struct mem_usage u;

	(void)state;
	assert_non_null(zero_page);
	map(0x405000, new_page(1, NULL), PTE_RW);
	map(0x406000, new_page(2, NULL), PTE_RW);
	map(0x407000, new_page(3, NULL), PTE_RW);
	map(0x408000, zero_page, PTE_RO);
	usage_of(v, &u);
	assert_int_equal(u.size, 4 * PG);
	assert_int_equal(u.rss, 3 * PG);
	assert_int_equal(u.pss, 16777216 + 8388608 + 5592405);
	assert_int_equal(u.uss, PG);
	assert_int_equal(u.private_dirty, PG);
	assert_int_equal(u.shared_dirty, 2 * PG);
	assert_int_equal(u.anonymous, 3 * PG);
}

/*
 * PSS adds per page with the PSS_SHIFT fraction kept. One page with
 * mapcount 3 mapped 1027 times: 1027 * 4096 / 3 = 1402197.33 bytes =
 * 1369.33 kB, printed 1369; rounding each page down to whole bytes first
 * (1365) would print 1368.
 */
static void pss_fraction_is_kept(void **state)
{
	const u64 n = 1027;
	struct vm_area_struct *v = add_vma(0x20000000, 0x20000000 + n * PG, RW, NULL, 0, NULL);
	struct page *p = new_page(3, NULL);
	struct mem_usage u;
	char *s;

	(void)state;
	for (u64 i = 0; i < n; i++)
		map(0x20000000 + i * PG, p, PTE_RW);
	usage_of(v, &u);
	assert_int_equal(u.rss, n * PG);
	assert_int_equal(u.pss, n * 5592405);
	assert_int_equal(u.pss >> (PSS_SHIFT + 10), 1369);
	assert_int_equal(n * (PG / 3) / 1024, 1368); /* what dropping the fraction would give */
	s = capture(show_smaps);
	assert_non_null(strstr(s, "\nPss:                1369 kB\n"));
	free(s);
	s = capture(show_smaps_rollup);
	assert_non_null(strstr(s, "\nPss:                1369 kB\nPss_Anon:           1369 kB\n"));
	free(s);
}

/* File pages are clean unless PG_dirty; a COW copy in a private file VMA is anon. */
static void file_pages_clean_unless_dirty(void **state)
{
	struct vm_area_struct *v = add_vma(0x400000, 0x404000, RW, &img, 0, NULL);
	struct page *d = new_page(1, &img);
	struct mem_usage u;

	(void)state;
	map(0x400000, new_page(1, &img), PTE_RO);
	map(0x401000, new_page(2, &img), PTE_RO);
	page_set_flag(d, PG_dirty);
	map(0x402000, d, PTE_RO);
	map(0x403000, new_page(1, NULL), PTE_RW); /* the COW copy */
	usage_of(v, &u);
	assert_int_equal(u.rss, 4 * PG);
	assert_int_equal(u.private_clean, PG);
	assert_int_equal(u.shared_clean, PG);
	assert_int_equal(u.private_dirty, 2 * PG);
	assert_int_equal(u.shared_dirty, 0);
	assert_int_equal(u.anonymous, PG);
	assert_int_equal(u.uss, 3 * PG);
	assert_int_equal(u.pss, 3 * ONE_PAGE_PSS + ONE_PAGE_PSS / 2);
}

/* ---- the demo mm of the report tests ------------------------------------- */

/*
 *   text   00400000-00403000 r-xp  file pages, mapcount 1, 2, 3, clean
 *   data   00403000-00405000 rw-p  file page (1, clean) + COW anon page (1)
 *   heap   00405000-00409000 rw-p  anon 1, 2, 3 + the zero page
 *   shmem  7fb0000000-+2 pages rw-s  one shmem page, mapcount 2, PG_dirty
 *   locked 7fb0010000-+1 page rw-p VM_LOCKED anon, mapcount 2 (no name)
 *   stack  7fbfffe000-7fc0000000   anon 1 at the top page
 */
static void build_demo(void)
{
	struct page *shp = new_page(2, &shm);

	add_vma(0x400000, 0x403000, RX, &img, 0, NULL);
	map(0x400000, new_page(1, &img), PTE_RO | MMU_EXEC);
	map(0x401000, new_page(2, &img), PTE_RO | MMU_EXEC);
	map(0x402000, new_page(3, &img), PTE_RO | MMU_EXEC);
	add_vma(0x403000, 0x405000, RW, &img, 3, NULL);
	map(0x403000, new_page(1, &img), PTE_RO);
	map(0x404000, new_page(1, NULL), PTE_RW);
	add_vma(0x405000, 0x409000, RW | VM_HEAP, NULL, 0, NULL);
	map(0x405000, new_page(1, NULL), PTE_RW);
	map(0x406000, new_page(2, NULL), PTE_RW);
	map(0x407000, new_page(3, NULL), PTE_RW);
	map(0x408000, zero_page, PTE_RO);
	add_vma(0x7fb0000000, 0x7fb0002000, RW | VM_SHARED, &shm, 0, NULL);
	page_set_flag(shp, PG_dirty);
	map(0x7fb0000000, shp, PTE_RW);
	add_vma(0x7fb0010000, 0x7fb0011000, RW | VM_LOCKED, NULL, 0, NULL);
	map(0x7fb0010000, new_page(2, NULL), PTE_RW);
	add_vma(0x7fbfffe000, 0x7fc0000000, RW | VM_GROWSDOWN, NULL, 0, "[stack]");
	map(0x7fbffff000, new_page(1, NULL), PTE_RW);
}

static void maps_lines_are_linux(void **state)
{
	char *s;

	(void)state;
	build_demo();
	s = capture(show_maps);
	assert_string_equal(s,
		"00400000-00403000 r-xp 00000000 00:00 2                                  /apps/demo\n"
		"00403000-00405000 rw-p 00003000 00:00 2                                  /apps/demo\n"
		"00405000-00409000 rw-p 00000000 00:00 0                                  [heap]\n"
		"7fb0000000-7fb0002000 rw-s 00000000 00:00 5                              /dev/zero (deleted)\n"
		"7fb0010000-7fb0011000 rw-p 00000000 00:00 0 \n"
		"7fbfffe000-7fc0000000 rw-p 00000000 00:00 0                              [stack]\n");
	/* the rule behind the literals: names start at offset 73 (Linux's
	 * seq_setwidth(25 + 6 * sizeof(void *) - 1) then one blank) */
	assert_int_equal(strstr(s, "/apps/demo") - s, 73);
	free(s);
}

static void smaps_text_is_linux(void **state)
{
	struct vm_area_struct *v, *n;
	char *s;

	(void)state;
	build_demo();
	/* keep text and heap: their two blocks, complete */
	list_for_each_entry_safe(v, n, &mm.vma_list, list) {
		if (v->start != 0x400000 && v->start != 0x405000) {
			vma_unlink(&mm, v);
			vma_free(v);
		}
	}
	s = capture(show_smaps);
	assert_string_equal(s,
		"00400000-00403000 r-xp 00000000 00:00 2                                  /apps/demo\n"
		"Size:                 12 kB\n"
		"KernelPageSize:        4 kB\n"
		"MMUPageSize:           4 kB\n"
		"Rss:                  12 kB\n"
		"Pss:                   7 kB\n"
		"Shared_Clean:          8 kB\n"
		"Shared_Dirty:          0 kB\n"
		"Private_Clean:         4 kB\n"
		"Private_Dirty:         0 kB\n"
		"Referenced:           12 kB\n"
		"Anonymous:             0 kB\n"
		"LazyFree:              0 kB\n"
		"AnonHugePages:         0 kB\n"
		"ShmemPmdMapped:        0 kB\n"
		"FilePmdMapped:         0 kB\n"
		"Shared_Hugetlb:        0 kB\n"
		"Private_Hugetlb:       0 kB\n"
		"Swap:                  0 kB\n"
		"SwapPss:               0 kB\n"
		"Locked:                0 kB\n"
		"THPeligible:    0\n"
		"VmFlags: rd ex mr mw me \n"
		"00405000-00409000 rw-p 00000000 00:00 0                                  [heap]\n"
		"Size:                 16 kB\n"
		"KernelPageSize:        4 kB\n"
		"MMUPageSize:           4 kB\n"
		"Rss:                  12 kB\n"
		"Pss:                   7 kB\n"
		"Shared_Clean:          0 kB\n"
		"Shared_Dirty:          8 kB\n"
		"Private_Clean:         0 kB\n"
		"Private_Dirty:         4 kB\n"
		"Referenced:           12 kB\n"
		"Anonymous:            12 kB\n"
		"LazyFree:              0 kB\n"
		"AnonHugePages:         0 kB\n"
		"ShmemPmdMapped:        0 kB\n"
		"FilePmdMapped:         0 kB\n"
		"Shared_Hugetlb:        0 kB\n"
		"Private_Hugetlb:       0 kB\n"
		"Swap:                  0 kB\n"
		"SwapPss:               0 kB\n"
		"Locked:                0 kB\n"
		"THPeligible:    0\n"
		"VmFlags: rd wr mr mw me ac \n");
	free(s);
}

static void smaps_locked_shared_and_flags(void **state)
{
	char *s, *blk;

	(void)state;
	build_demo();
	s = capture(show_smaps);
	/* locked: Linux's Locked is the PSS of the locked VMA's pages */
	blk = strstr(s, "7fb0010000-7fb0011000 rw-p 00000000 00:00 0 \n");
	assert_non_null(blk);
	assert_non_null(strstr(blk, "Pss:                   2 kB\n"));
	assert_non_null(strstr(blk, "Locked:                2 kB\nTHPeligible:    0\nVmFlags: rd wr mr mw me lo ac \n"));
	/* shared mapping: "sh" and "ms", not accounted */
	blk = strstr(s, "/dev/zero (deleted)\n");
	assert_non_null(blk);
	assert_non_null(strstr(blk, "Shared_Dirty:          4 kB\n"));
	assert_non_null(strstr(blk, "VmFlags: rd wr sh mr mw me ms \n"));
	/* stack */
	blk = strstr(s, "[stack]\n");
	assert_non_null(blk);
	assert_non_null(strstr(blk, "Size:                  8 kB\n"));
	assert_non_null(strstr(blk, "VmFlags: rd wr mr mw me gd ac \n"));
	free(s);
}

/*
 * Totals (kB; pss in bytes << 12):
 *   rss 12 + 8 + 12 + 4 + 4 + 4 = 44
 *   pss 2 * 30758229 (text, heap) + 3 * 16777216 (data x2, stack)
 *       + 2 * 8388608 (shmem, locked) = 128625322 -> 31402 B -> 30 kB
 *   anon 16777216 + 30758229 + 8388608 + 16777216 = 72701269 -> 17 kB
 *   file 30758229 + 16777216 = 47535445 -> 11 kB;  shmem 8388608 -> 2 kB
 */
static void smaps_rollup_is_linux(void **state)
{
	struct mem_usage u, again;
	char *s;

	(void)state;
	build_demo();
	s = capture(show_smaps_rollup);
	assert_string_equal(s,
		"00400000-7fc0000000 ---p 00000000 00:00 0                                [rollup]\n"
		"Rss:                  44 kB\n"
		"Pss:                  30 kB\n"
		"Pss_Anon:             17 kB\n"
		"Pss_File:             11 kB\n"
		"Pss_Shmem:             2 kB\n"
		"Shared_Clean:          8 kB\n"
		"Shared_Dirty:         16 kB\n"
		"Private_Clean:         8 kB\n"
		"Private_Dirty:        12 kB\n"
		"Referenced:           44 kB\n"
		"Anonymous:            24 kB\n"
		"LazyFree:              0 kB\n"
		"AnonHugePages:         0 kB\n"
		"ShmemPmdMapped:        0 kB\n"
		"FilePmdMapped:         0 kB\n"
		"Shared_Hugetlb:        0 kB\n"
		"Private_Hugetlb:       0 kB\n"
		"Swap:                  0 kB\n"
		"SwapPss:               0 kB\n"
		"Locked:                2 kB\n");
	free(s);
	/* mm_usage: the same sums, in bytes, and it adds to what u holds */
	memset(&u, 0, sizeof(u));
	mm_usage(&mm, &u);
	assert_int_equal(u.size, (3 + 2 + 4 + 2 + 1 + 2) * PG);
	assert_int_equal(u.rss, 44 * 1024);
	assert_int_equal(u.pss, 128625322);
	assert_int_equal(u.uss, 5 * PG);
	assert_int_equal(u.locked, PG);
	assert_int_equal(u.shared_clean + u.shared_dirty + u.private_clean + u.private_dirty, u.rss);
	again = u;
	mm_usage(&mm, &again);
	assert_int_equal(again.pss, 2 * u.pss);
	assert_int_equal(again.rss, 2 * u.rss);
}

static void empty_mm_reports_nothing(void **state)
{
	char *s;

	(void)state;
	s = capture(show_smaps_rollup);
	assert_string_equal(s, "");
	free(s);
	s = capture(show_maps);
	assert_string_equal(s, "");
	free(s);
}

/* ---- swap entries ---------------------------------------------------------- */

/* A VMA of one resident page and three swap PTEs whose slots are held by
 * 1, 2 and 3 swap PTEs: Swap counts each entry, SwapPss its share. */
static struct vm_area_struct *build_swapped(void)
{
	struct vm_area_struct *v = add_vma(0x20000000, 0x20000000 + 5 * PG, RW, NULL, 0, NULL);

	map(0x20000000, new_page(1, NULL), PTE_RW);
	for (unsigned i = 1; i <= 3; i++) {
		swap_double_count[10 + i] = i;
		assert_int_equal(set_swap_pte(v, 0x20000000 + i * PG, 0, 10 + i), 0);
	}
	return v;
}

static void swap_and_swap_pss_of_swap_ptes(void **state)
{
	struct vm_area_struct *v;
	struct mem_usage u;
	char *s;

	(void)state;
	v = build_swapped();
	usage_of(v, &u);
	assert_int_equal(u.rss, PG); /* swap entries are not resident */
	assert_int_equal(u.pss, ONE_PAGE_PSS);
	assert_int_equal(u.swap, 3 * PG);
	assert_int_equal(u.swap_pss, 16777216 + 8388608 + 5592405); /* (4096 << 12) / 1, 2, 3 */
	assert_int_equal(mm.rss[MM_SWAPENTS], 3);
	s = capture(show_smaps_rollup);
	/* 12 kB of swap; SwapPss 30758229 >> 12 = 7509 bytes: 7 kB, truncated as Pss */
	assert_non_null(strstr(s, "\nPss:                   4 kB\n"));
	assert_non_null(strstr(s, "\nSwap:                 12 kB\nSwapPss:               7 kB\nLocked:"));
	free(s);
	s = capture(show_smaps);
	assert_non_null(strstr(s, "\nSwap:                 12 kB\nSwapPss:               7 kB\nLocked:"));
	free(s);
}

static void show_status_memory_lines(FILE *f, struct mm_struct *m) { show_mm_status(f, m); }

static void status_vm_lines_with_vmswap(void **state)
{
	char *s, want[512];

	(void)state;
	build_swapped();
	mm.total_vm = 5;
	mm.rss[MM_ANONPAGES] = 1;
	mm.start_code = 0x400000;
	mm.end_code = 0x401800; /* two pages of text */
	s = capture(show_status_memory_lines);
	snprintf(want, sizeof(want),
		 "VmSize:\t      20 kB\n"
		 "VmLck:\t       0 kB\n"
		 "VmHWM:\t       4 kB\n"
		 "VmRSS:\t       4 kB\n"
		 "RssAnon:\t       4 kB\n"
		 "RssFile:\t       0 kB\n"
		 "RssShmem:\t       0 kB\n"
		 "VmExe:\t       8 kB\n"
		 "VmLib:\t       0 kB\n"
		 "VmPTE:\t%8llu kB\n"
		 "VmSwap:\t      12 kB\n",
		 (unsigned long long)(mm.pgt.nr_tables - 1) * 4);
	assert_string_equal(s, want);
	assert_true(mm.pgt.nr_tables >= 4); /* root + 3 levels down to the PTE table */
	free(s);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(pss_of_mapcount_1_2_3),
		T(zero_page_is_not_counted),
		T(pss_fraction_is_kept),
		T(file_pages_clean_unless_dirty),
		T(maps_lines_are_linux),
		T(smaps_text_is_linux),
		T(smaps_locked_shared_and_flags),
		T(smaps_rollup_is_linux),
		T(empty_mm_reports_nothing),
		T(swap_and_swap_pss_of_swap_ptes),
		T(status_vm_lines_with_vmswap),
	};

	return cmocka_run_group_tests_name("pss", tests, NULL, NULL);
}
