/*
 * ZONE_HIGHMEM and kmap on the host: the fixture board (192 MiB) with its
 * top 64 MiB made highmem, as highmem=64M does on the target. Above
 * host_lowmem_end platform/host's phys_to_virt asserts, so every path
 * that touched a highmem page without kmap would abort this test.
 *
 *  - zones: DMA, DMA32, Normal end at the boundary, HighMem has the rest;
 *    memblock (page array, pageblock maps) and CMA stay below it;
 *  - highmem= parsing and its errors;
 *  - fallback HIGHMEM -> NORMAL -> DMA32 -> DMA; GFP_KERNEL never highmem;
 *  - kmap: one slot per page, counted; lazy flush; all slots in use ->
 *    the wait hook, then the freed slot is reused;
 *  - kmap_local: a stack, nested (an "interrupt" mapping on top), every
 *    unmap flushes its slot; clear/copy_highpage, memcpy_to/from_page;
 *  - an app whose pages are all highmem: zero-fill, file fill, COW,
 *    uaccess, swap to zram and back byte-exact; kmap_active() back to 0.
 */
#include <arch/phys.h>
#include <errno.h>
#include <host.h>
#include <mm/filemap.h>
#include <mm/highmem.h>
#include <mm/memblock.h>
#include <mm/memory.h>
#include <mm/mm_init.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/swap.h>
#include <mm/uaccess.h>
#include <mm/vma.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "page_pattern.h"
#include "user_fixture.h"

#define HIGH_BYTES (64ULL << 20)
#define LOW_END (FIX_RAM_BASE + FIX_RAM_SIZE - HIGH_BYTES)
#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define BASE 0x400000ULL
#define FBASE 0x800000ULL

static int setup(void **state)
{
	(void)state;
	fix_highmem_bytes = HIGH_BYTES;
	fix_user_setup();
	kmap_stats = (struct kmap_stats){ 0 };
	highmem_hooks = (struct highmem_hooks){ 0 };
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(kmap_active(), 0); /* every case gives its mappings back */
	assert_int_equal(host_mmu.bbm_violations, 0);
	fix_mm_teardown();
	fix_highmem_bytes = 0;
	return 0;
}

static struct page *high_page(void)
{
	struct page *p = alloc_page(GFP_HIGHUSER_MOVABLE);

	assert_non_null(p);
	assert_true(PageHighMem(p));
	return p;
}

/* ---- zones ----------------------------------------------------------------- */

static void zones_split_at_the_boundary(void **state)
{
	(void)state;
	assert_int_equal(memblock_lowmem_end(), LOW_END);
	assert_int_equal(host_lowmem_end, LOW_END);
	assert_int_equal(pfn_to_phys(zones[ZONE_NORMAL].end_pfn), LOW_END);
	assert_int_equal(pfn_to_phys(zones[ZONE_HIGHMEM].start_pfn), LOW_END);
	assert_int_equal(pfn_to_phys(zones[ZONE_HIGHMEM].end_pfn), FIX_RAM_BASE + FIX_RAM_SIZE);
	assert_string_equal(zones[ZONE_HIGHMEM].name, "HighMem");
	assert_int_equal(zones[ZONE_HIGHMEM].managed_pages, HIGH_BYTES / PAGE_SIZE); /* nothing reserved up there */
	assert_int_equal(nr_zone_types(), MAX_NR_ZONES);
	/* early allocations (page array) and CMA stay in lowmem */
	assert_true(virt_to_phys(mem_map) < LOW_END);
	assert_true(cma_base + cma_size <= LOW_END);
	for (unsigned i = 0; i < memblock.reserved.cnt; i++)
		assert_true(memblock.reserved.r[i].base + memblock.reserved.r[i].size <= LOW_END);
	/* HighMem's watermarks are Linux's small fixed ones: min 32 pages here */
	assert_int_equal(zones[ZONE_HIGHMEM].watermark[WMARK_MIN], 32);
}

static void highmem_sizes_parse_and_bad_ones_are_refused(void **state)
{
	u64 b = 1;

	(void)state;
	assert_int_equal(highmem_parse("64M", &b), 0);
	assert_int_equal(b, 64ULL << 20);
	assert_int_equal(highmem_parse("1G", &b), 0);
	assert_int_equal(b, 1ULL << 30);
	assert_int_equal(highmem_parse("4096k", &b), 0);
	assert_int_equal(b, 4ULL << 20);
	assert_int_equal(highmem_parse("12Q", &b), -EINVAL);
	assert_int_equal(highmem_parse("M", &b), -EINVAL);
	assert_int_equal(highmem_parse("", &b), -EINVAL);
	assert_int_equal(b, 4ULL << 20); /* unchanged by the errors */
	/* all of RAM, or leaving less than HIGHMEM_MIN_LOWMEM: refused, boundary kept */
	assert_int_equal(highmem_set_boundary(FIX_RAM_SIZE), -EINVAL);
	assert_int_equal(highmem_set_boundary(FIX_RAM_SIZE - HIGHMEM_MIN_LOWMEM + PAGE_SIZE), -EINVAL);
	assert_int_equal(memblock_lowmem_end(), LOW_END);
}

/* ---- the allocator ------------------------------------------------------------ */

static void fallback_highmem_normal_dma32_dma(void **state)
{
	LIST_HEAD(held);
	struct page *p, *n;
	u64 count[MAX_NR_ZONES] = { 0 }, first[MAX_NR_ZONES] = { 0 }, seq = 0;

	(void)state;
	/* GFP_KERNEL never gets a highmem page, even with lowmem exhausted */
	while ((p = alloc_page(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY))) {
		assert_false(PageHighMem(p));
		list_add(&p->lru, &held);
	}
	assert_true(zone_populated(&zones[ZONE_HIGHMEM]));
	assert_true(zones[ZONE_HIGHMEM].nr_free > zones[ZONE_HIGHMEM].managed_pages / 2);
	list_for_each_entry_safe(p, n, &held, lru) {
		list_del(&p->lru);
		free_page(p);
	}
	/* GFP_HIGHUSER_MOVABLE: HighMem first, then downwards (a zone may serve
	 * again later: the slow path goes down to min where the fast path
	 * stopped at low, but a lower zone is never reached before a higher one) */
	while ((p = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN | __GFP_NORETRY))) {
		if (!count[p->zone]++)
			first[p->zone] = ++seq;
		list_add(&p->lru, &held);
	}
	assert_int_equal(first[ZONE_HIGHMEM], 1);
	assert_int_equal(first[ZONE_NORMAL], 2);
	assert_int_equal(first[ZONE_DMA32], 3);
	assert_int_equal(first[ZONE_DMA], 4);
	assert_true(count[ZONE_HIGHMEM] >= zones[ZONE_HIGHMEM].managed_pages - 2 * zones[ZONE_HIGHMEM].watermark[WMARK_HIGH]);
	list_for_each_entry_safe(p, n, &held, lru) {
		list_del(&p->lru);
		free_page(p);
	}
	/* a DMA modifier wins over __GFP_HIGHMEM */
	assert_int_equal(gfp_zone(GFP_HIGHUSER_MOVABLE | __GFP_DMA32), ZONE_DMA32);
	assert_int_equal(gfp_zone(GFP_HIGHUSER), ZONE_HIGHMEM);
	assert_int_equal(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
}

static void meminfo_has_high_and_low_lines(void **state)
{
	struct meminfo mi;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	meminfo_read(&mi);
	assert_int_equal(mi.high_total, HIGH_BYTES >> 10);
	assert_int_equal(mi.high_total + mi.low_total, mi.mem_total);
	assert_int_equal(mi.high_free + mi.low_free, mi.mem_free);
	show_meminfo(f);
	fclose(f);
	/* Linux's names and order: after Mlocked, before SwapTotal */
	assert_non_null(strstr(buf, "Mlocked:               0 kB\nHighTotal:         65536 kB\nHighFree:  "));
	assert_non_null(strstr(buf, "\nLowTotal: "));
	assert_true(strstr(buf, "LowFree:") < strstr(buf, "SwapTotal:"));
	free(buf);
}

/* ---- kmap ------------------------------------------------------------------ */

static void kmap_counts_per_page_and_lowmem_maps_nothing(void **state)
{
	struct page *h = high_page(), *l = alloc_page(GFP_KERNEL);
	u64 sets = host_kmap_sets;
	void *a, *b;

	(void)state;
	assert_ptr_equal(kmap(l), page_address(l)); /* lowmem: the linear map */
	kunmap(l);
	assert_int_equal(host_kmap_sets, sets);
	assert_int_equal(kmap_active(), 0);
	a = kmap(h);
	b = kmap(h);
	assert_ptr_equal(a, b); /* one slot per page */
	assert_int_equal(host_kmap_sets, sets + 1);
	assert_int_equal(kmap_active(), 2);
	assert_int_equal(h->pkmap != 0, 1);
	memset(a, 0x77, PAGE_SIZE);
	kunmap(h);
	assert_int_equal(kmap_active(), 1);
	kunmap(h);
	assert_int_equal(kmap_active(), 0);
	/* lazy: the slot still maps the page, so mapping it again costs no entry */
	a = kmap(h);
	assert_int_equal(host_kmap_sets, sets + 1);
	assert_int_equal(((u8 *)a)[4095], 0x77);
	kunmap(h);
	free_page(h);
	free_page(l);
}

static struct page *waiting_for[LAST_PKMAP + 1];
static unsigned waits;

/* The wait hook: "another task" gives one slot back while kmap sleeps. */
static void give_one_back(bool (*ready)(void))
{
	assert_false(ready()); /* really full */
	waits++;
	kunmap(waiting_for[7]);
	assert_true(ready());
}

static void slots_exhausted_wait_then_reuse(void **state)
{
	u64 flushes;
	unsigned slot7;
	void *va;

	(void)state;
	for (unsigned i = 0; i <= LAST_PKMAP; i++)
		waiting_for[i] = high_page();
	for (unsigned i = 0; i < LAST_PKMAP; i++)
		kmap(waiting_for[i]);
	assert_int_equal(kmap_active(), LAST_PKMAP);
	assert_int_equal(kmap_stats.pkmap_high, LAST_PKMAP);
	highmem_hooks.wait = give_one_back;
	flushes = kmap_stats.pkmap_flushes;
	slot7 = waiting_for[7]->pkmap;
	va = kmap(waiting_for[LAST_PKMAP]);
	assert_int_equal(waits, 1);
	assert_int_equal(kmap_stats.pkmap_waits, 1);
	/* the freed slot was cleared by the lazy flush of the whole window, then reused */
	assert_int_equal(kmap_stats.pkmap_flushes, flushes + 1);
	assert_int_equal(waiting_for[7]->pkmap, 0);
	assert_int_equal(waiting_for[LAST_PKMAP]->pkmap, slot7);
	memset(va, 1, PAGE_SIZE);
	for (unsigned i = 0; i <= LAST_PKMAP; i++) {
		if (i != 7)
			kunmap(waiting_for[i]);
		free_page(waiting_for[i]);
	}
}

static void kmap_local_nests_like_a_stack(void **state)
{
	struct page *a = high_page(), *b = high_page(), *c = high_page(), *l = alloc_page(GFP_KERNEL);
	u64 flushes = host_kmap_flushes;
	u8 *va, *vb, *vc, *vl;

	(void)state;
	va = kmap_local_page(a);
	memset(va, 0xaa, PAGE_SIZE);
	vl = kmap_local_page(l); /* lowmem in between: no slot */
	assert_ptr_equal(vl, page_address(l));
	assert_int_equal(kmap_local_depth, 1);
	vb = kmap_local_page(b);
	assert_int_equal(kmap_local_depth, 2);
	/* an "interrupt" maps on top, uses it, unmaps before returning */
	vc = kmap_local_page(c);
	memset(vc, 0xcc, PAGE_SIZE);
	kunmap_local(vc + 100); /* any byte of the page */
	assert_int_equal(kmap_local_depth, 2);
	memset(vb, 0xbb, PAGE_SIZE);
	kunmap_local(vb);
	kunmap_local(vl);
	assert_int_equal(va[0], 0xaa); /* the outer mapping survived */
	kunmap_local(va);
	assert_int_equal(kmap_local_depth, 0);
	assert_int_equal(host_kmap_flushes, flushes + 3); /* one immediate flush per unmap */
	/* the data went to the frames */
	va = kmap_local_page(c);
	assert_int_equal(va[PAGE_SIZE - 1], 0xcc);
	kunmap_local(va);
	free_page(a), free_page(b), free_page(c), free_page(l);
}

static void clear_copy_and_memcpy_on_highmem(void **state)
{
	struct page *h = high_page(), *h2 = high_page(), *l = alloc_page(GFP_KERNEL);
	u64 w[PAGE_SIZE / 8], r[PAGE_SIZE / 8];

	(void)state;
	semi_page(w, 3);
	memcpy_to_page(h, 0, w, PAGE_SIZE);
	copy_highpage(l, h); /* highmem -> lowmem */
	assert_memory_equal(page_address(l), w, PAGE_SIZE);
	copy_highpage(h2, h); /* highmem -> highmem */
	memcpy_from_page(r, h2, 0, PAGE_SIZE);
	assert_memory_equal(r, w, PAGE_SIZE);
	memcpy_from_page(r, h2, 4000, 96);
	assert_memory_equal(r, (u8 *)w + 4000, 96);
	clear_highpage(h2);
	memcpy_from_page(r, h2, 0, PAGE_SIZE);
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		assert_int_equal(r[i], 0);
	free_page(h), free_page(h2), free_page(l);
}

/* ---- an app in highmem ---------------------------------------------------------- */

static int file_readpage(struct address_space *as, u64 index, void *dst)
{
	(void)as;
	memset(dst, 0x40 + (int)index, PAGE_SIZE);
	return 0;
}
static const struct address_space_ops file_ops = { .readpage = file_readpage };

static struct page *page_at(struct mm_struct *mm, u64 va)
{
	phys_addr_t pa;

	return pgt_query(&mm->pgt, va, &pa, NULL, NULL) ? NULL : pfn_to_page(phys_to_pfn(pa));
}

static void fault_ok(struct mm_struct *mm, u64 va, unsigned access, enum fault_kind want)
{
	struct fault_info fi;

	assert_int_equal(handle_mm_fault(mm, va, access | FAULT_USER, &fi), 0);
	if (fi.kind != want)
		fail_msg("fault at %#llx: %s, expected %s", (unsigned long long)va, fault_kind_name(fi.kind),
			 fault_kind_name(want));
}

static void app_pages_in_highmem_fault_cow_swap(void **state)
{
	const u64 n = 32;
	struct address_space file;
	struct mm_struct *mm;
	struct vm_area_struct *v, *fv;
	u64 w[PAGE_SIZE / 8];
	char s[8];

	(void)state;
	assert_int_equal(swap_init(), 0);
	assert_int_equal(swap_reinit(8ull << 20, 0), 0);
	assert_int_equal(address_space_init(&file, "/apps/data", 4 * PAGE_SIZE, &file_ops, NULL, 9), 0);
	mm = mm_create();
	assert_non_null(mm);
	mm->pgt.asid = 1;
	v = vma_alloc(mm, BASE, BASE + n * PAGE_SIZE, RW, NULL, 0, NULL);
	assert_int_equal(vma_link(mm, v), 0);
	fv = vma_alloc(mm, FBASE, FBASE + 4 * PAGE_SIZE, RW, &file, 0, NULL);
	assert_int_equal(vma_link(mm, fv), 0);

	/* anon: zero-filled highmem pages, written through the app's "stores" (copy_to_user) */
	for (u64 i = 0; i < n; i++) {
		fault_ok(mm, BASE + i * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_ANON);
		assert_true(PageHighMem(page_at(mm, BASE + i * PAGE_SIZE)));
		memcpy_from_page(w, page_at(mm, BASE + i * PAGE_SIZE), 0, PAGE_SIZE);
		for (unsigned k = 0; k < PAGE_SIZE / 8; k++)
			assert_int_equal(w[k], 0);
		semi_page(w, i);
		assert_int_equal(copy_to_user(mm, BASE + i * PAGE_SIZE, w, PAGE_SIZE), 0);
	}
	/* file: the page cache is filled in highmem; a write COWs it into another highmem page */
	fault_ok(mm, FBASE + PAGE_SIZE, FAULT_READ, FAULT_KIND_FILE_READ);
	assert_true(PageHighMem(page_at(mm, FBASE + PAGE_SIZE)));
	fault_ok(mm, FBASE + PAGE_SIZE, FAULT_WRITE, FAULT_KIND_COW);
	assert_true(PageHighMem(page_at(mm, FBASE + PAGE_SIZE)));
	assert_int_equal(copy_from_user(mm, s, FBASE + PAGE_SIZE + 5, sizeof(s)), 0);
	assert_memory_equal(s, "\x41\x41\x41\x41\x41\x41\x41\x41", sizeof(s));
	assert_int_equal(copy_to_user(mm, FBASE + PAGE_SIZE, "cow", 4), 0);
	assert_int_equal(strncpy_from_user(mm, s, FBASE + PAGE_SIZE, sizeof(s)), 3);
	assert_string_equal(s, "cow");

	/* out to zram and back, byte-exact */
	assert_int_equal(madvise_pageout_range(v, BASE, BASE + n * PAGE_SIZE), n);
	assert_int_equal(mm->rss[MM_SWAPENTS], n);
	for (u64 i = 0; i < n; i++) {
		u64 r[PAGE_SIZE / 8];

		fault_ok(mm, BASE + i * PAGE_SIZE, FAULT_READ, FAULT_KIND_SWAP);
		assert_true(PageHighMem(page_at(mm, BASE + i * PAGE_SIZE)));
		semi_page(w, i);
		assert_int_equal(copy_from_user(mm, r, BASE + i * PAGE_SIZE, PAGE_SIZE), 0);
		assert_memory_equal(r, w, PAGE_SIZE);
	}
	assert_int_equal(kmap_active(), 0);
	mm_destroy(mm);
	address_space_put(&file);
	assert_int_equal(swap_reinit(0, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(zones_split_at_the_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(highmem_sizes_parse_and_bad_ones_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(fallback_highmem_normal_dma32_dma, setup, teardown),
		cmocka_unit_test_setup_teardown(meminfo_has_high_and_low_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(kmap_counts_per_page_and_lowmem_maps_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(slots_exhausted_wait_then_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(kmap_local_nests_like_a_stack, setup, teardown),
		cmocka_unit_test_setup_teardown(clear_copy_and_memcpy_on_highmem, setup, teardown),
		cmocka_unit_test_setup_teardown(app_pages_in_highmem_fault_cow_swap, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
