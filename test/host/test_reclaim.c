/*
 * Reclaim and swap on the host, with the real sources: mm/vmscan.c,
 * mm/swap.c, mm/zram.c, mm/zpool.c and liblz4 under the fault path
 * (mm/memory.c, rmap, lru, filemap) on live user page tables
 * (platform/host/mmu.c checks break-before-make on every write).
 *
 *  - MADV_PAGEOUT turns every PTE into a swap entry, and each page comes
 *    back byte for byte on its fault (major, swap-in); a read keeps the
 *    compressed copy (swap cache, mapped read-only) so that paging it out
 *    again compresses nothing; a write drops it;
 *  - aging: a young page on the inactive list is promoted, an old one is
 *    reclaimed; a page touched again after MADV_COLD survives the pass
 *    that takes its old neighbour;
 *  - clean file pages are dropped and read again (a workingset refault);
 *  - mlocked pages are never reclaimed;
 *  - swappiness 0 takes file pages only, 200 anon only;
 *  - zram full: swap-out stops cleanly, the rest stays mapped;
 *  - a flipped byte in a stored object: the fault fails (SWAPERR), the data
 *    is never handed over, and the slot is freed with the mapping;
 *  - every case ends with no slot in use and zram empty.
 */
#include <arch/phys.h>
#include <errno.h>
#include <host.h>
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/vma.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>
#include <mm/zram.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "user_fixture.h"
#include "page_pattern.h"

#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define RX (VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYEXEC)
#define BASE 0x400000ULL
#define FBASE 0x800000ULL
#define FILE_PAGES 16

static struct mm_struct *mm;
static struct address_space file;

static int file_readpage(struct address_space *as, u64 index, void *dst)
{
	(void)as;
	memset(dst, 0x40 + (int)index, PAGE_SIZE);
	return 0;
}
static const struct address_space_ops file_ops = { .readpage = file_readpage };

static int setup(void **state)
{
	(void)state;
	fix_user_setup();
	assert_int_equal(swap_init(), 0);
	assert_int_equal(swap_reinit(8ull << 20, 0), 0);
	vm_swappiness = 60;
	assert_int_equal(address_space_init(&file, "/apps/text", FILE_PAGES * PAGE_SIZE, &file_ops, NULL, 9), 0);
	mm = mm_create();
	assert_non_null(mm);
	mm->pgt.asid = 1;
	return 0;
}

static int teardown(void **state)
{
	struct swap_info si;

	(void)state;
	mm_destroy(mm);
	address_space_put(&file);
	swap_get_info(&si);
	assert_int_equal(si.inuse_slots, 0);
	assert_int_equal(si.cached, 0);
	assert_int_equal(swap_reinit(0, 0), 0);
	for (int i = 0; i < NR_VM_STAT_ITEMS; i++)
		if (vm_stat[i])
			fail_msg("vm_stat[%d] = %lld after teardown", i, (long long)vm_stat[i]);
	assert_int_equal(host_mmu.bbm_violations, 0);
	fix_mm_teardown();
	return 0;
}

static struct vm_area_struct *map(u64 start, u64 pages, u64 flags, struct address_space *as)
{
	struct vm_area_struct *v = vma_alloc(mm, start, start + pages * PAGE_SIZE, flags, as, 0, NULL);

	assert_non_null(v);
	assert_int_equal(vma_link(mm, v), 0);
	return v;
}

static int fault(u64 addr, unsigned access, enum fault_kind want)
{
	struct fault_info fi;
	int rc = handle_mm_fault(mm, addr, access | FAULT_USER, &fi);

	if (fi.kind != want)
		fail_msg("fault at %#llx: %s, expected %s", (unsigned long long)addr, fault_kind_name(fi.kind),
			 fault_kind_name(want));
	return rc;
}

static pte_t raw(u64 va)
{
	pte_t e = 0;

	pgt_query_entry(&mm->pgt, va, &e, NULL);
	return e;
}

static bool swapped(u64 va) { return arch_pte_is_swap(raw(va)); }

static struct page *page_at(u64 va)
{
	phys_addr_t pa;

	return pgt_query(&mm->pgt, va, &pa, NULL, NULL) ? NULL : pfn_to_page(phys_to_pfn(pa));
}

/* Write the page pattern into n anon pages at BASE. */
static struct vm_area_struct *fill_anon(u64 n)
{
	struct vm_area_struct *v = map(BASE, n, RW, NULL);

	for (u64 i = 0; i < n; i++) {
		assert_int_equal(fault(BASE + i * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_ANON), 0);
		semi_page(page_address(page_at(BASE + i * PAGE_SIZE)), i);
	}
	return v;
}

static bool pattern_ok(u64 i)
{
	u64 want[PAGE_SIZE / 8];

	semi_page(want, i);
	return memcmp(page_address(page_at(BASE + i * PAGE_SIZE)), want, PAGE_SIZE) == 0;
}

static u64 slots_in_use(void)
{
	struct swap_info si;

	swap_get_info(&si);
	return si.inuse_slots;
}

/* ---- cases ------------------------------------------------------------------ */

static void pageout_and_back_byte_exact(void **state)
{
	const u64 n = 64;
	struct vm_area_struct *v;
	struct zram_stats zs;

	(void)state;
	v = fill_anon(n);
	assert_int_equal(madvise_pageout_range(v, BASE, BASE + n * PAGE_SIZE), n);
	assert_int_equal(vm_events[PSWPOUT], n);
	assert_int_equal(mm->rss[MM_SWAPENTS], n);
	assert_int_equal(mm->rss[MM_ANONPAGES], 0);
	assert_int_equal(vm_stat[NR_ANON_MAPPED], 0);
	assert_int_equal(slots_in_use(), n);
	zram_get_stats(swap_zram(), &zs);
	assert_int_equal(zs.pages_stored, n);
	assert_true(zs.compr_data_size < n * PAGE_SIZE / 2); /* ~2.7:1 */
	for (u64 i = 0; i < n; i++)
		assert_true(swapped(BASE + i * PAGE_SIZE));

	/* reads: major faults, exact data, kept in the swap cache read-only */
	for (u64 i = 0; i < n; i++) {
		struct page *p;
		unsigned attrs = 0;

		assert_int_equal(fault(BASE + i * PAGE_SIZE, FAULT_READ, FAULT_KIND_SWAP), 0);
		assert_true(pattern_ok(i));
		p = page_at(BASE + i * PAGE_SIZE);
		assert_true(PAGE_FLAG(p, PG_swapcache));
		pgt_query(&mm->pgt, BASE + i * PAGE_SIZE, NULL, &attrs, NULL);
		assert_false(attrs & MMU_WRITE);
	}
	assert_int_equal(vm_events[PSWPIN], n);
	assert_int_equal(vm_events[PGMAJFAULT], n);
	assert_int_equal(vm_events[WORKINGSET_REFAULT_ANON], n);
	assert_int_equal(mm->rss[MM_SWAPENTS], 0);
	assert_int_equal(vm_stat[NR_SWAPCACHE], n);
	assert_int_equal(slots_in_use(), n); /* the copies stay */

	/* a write to page 0 drops its copy (reuse, no copy of the page) */
	assert_int_equal(fault(BASE, FAULT_WRITE, FAULT_KIND_REUSE), 0);
	assert_false(PAGE_FLAG(page_at(BASE), PG_swapcache));
	assert_int_equal(slots_in_use(), n - 1);

	/* out again: only the written page is compressed, the clean ones are dropped */
	assert_int_equal(madvise_pageout_range(v, BASE, BASE + n * PAGE_SIZE), n);
	assert_int_equal(vm_events[PSWPOUT], n + 1);
	assert_int_equal(vm_stat[NR_SWAPCACHE], 0);
	assert_int_equal(slots_in_use(), n);
	/* a write fault on a swap entry takes the page writable at once */
	assert_int_equal(fault(BASE + PAGE_SIZE, FAULT_WRITE, FAULT_KIND_SWAP), 0);
	assert_true(pattern_ok(1));
	assert_false(PAGE_FLAG(page_at(BASE + PAGE_SIZE), PG_swapcache));
	assert_int_equal(slots_in_use(), n - 1);
	/* munmap frees the rest of the slots (teardown checks none is left) */
	assert_int_equal(do_munmap(mm, BASE, n * PAGE_SIZE), 0);
	zram_get_stats(swap_zram(), &zs);
	assert_int_equal(zs.pages_stored, 0);
}

static void young_page_promoted_old_one_reclaimed(void **state)
{
	struct vm_area_struct *v;
	struct page *a, *b;

	(void)state;
	v = fill_anon(2);
	a = page_at(BASE);
	b = page_at(BASE + PAGE_SIZE);
	/* MADV_COLD makes both old and inactive; b first, so a is at the head and b the tail */
	madvise_cold_range(v, BASE + PAGE_SIZE, BASE + 2 * PAGE_SIZE);
	madvise_cold_range(v, BASE, BASE + PAGE_SIZE);
	assert_false(PAGE_FLAG(a, PG_active) || PAGE_FLAG(b, PG_active));
	/* b is touched again: an access-flag fault makes its PTE young */
	assert_int_equal(fault(BASE + PAGE_SIZE, FAULT_READ, FAULT_KIND_ACCESSED), 0);
	assert_int_equal(shrink_memory(1, false), 1);
	assert_true(swapped(BASE));                  /* a: old, taken */
	assert_ptr_equal(page_at(BASE + PAGE_SIZE), b); /* b: young, promoted */
	assert_true(PAGE_FLAG(b, PG_active));
	assert_int_equal(vm_events[PGACTIVATE], 1);
	assert_int_equal(vm_events[PGSTEAL_DIRECT], 1);
	assert_int_equal(vm_events[PGSTEAL_ANON], 1);
	assert_true(vm_events[PGSCAN_DIRECT] >= 2);
	/* b's flag was cleared by the scan: aged on the active list, demoted and
	 * taken by later passes unless touched again */
	assert_int_equal(shrink_memory(1, true), 1);
	assert_true(swapped(BASE + PAGE_SIZE));
	assert_true(vm_events[PGDEACTIVATE] + vm_events[PGREFILL] >= 1);
	assert_int_equal(vm_events[PGSTEAL_KSWAPD], 1);
	assert_int_equal(fault(BASE, FAULT_READ, FAULT_KIND_SWAP), 0);
	assert_true(pattern_ok(0));
	assert_int_equal(fault(BASE + PAGE_SIZE, FAULT_READ, FAULT_KIND_SWAP), 0);
	assert_true(pattern_ok(1));
}

static void clean_file_pages_dropped_and_reread(void **state)
{
	struct vm_area_struct *v;
	u8 *b;

	(void)state;
	v = map(FBASE, 4, RX, &file);
	for (u64 i = 0; i < 4; i++)
		assert_int_equal(fault(FBASE + i * PAGE_SIZE, FAULT_READ, FAULT_KIND_FILE_READ), 0);
	assert_int_equal(vm_stat[NR_FILE_PAGES], 4);
	madvise_cold_range(v, FBASE, FBASE + 4 * PAGE_SIZE);
	assert_int_equal(shrink_memory(4, false), 4);
	assert_int_equal(vm_stat[NR_FILE_PAGES], 0);
	assert_int_equal(vm_events[PGSTEAL_FILE], 4);
	assert_int_equal(mm->rss[MM_FILEPAGES], 0);
	assert_int_equal(mm->rss[MM_SWAPENTS], 0); /* file pages leave no swap entry */
	for (u64 i = 0; i < 4; i++) {
		assert_int_equal(raw(FBASE + i * PAGE_SIZE), 0);
		assert_int_equal(fault(FBASE + i * PAGE_SIZE, FAULT_READ, FAULT_KIND_FILE_READ), 0);
		b = page_address(page_at(FBASE + i * PAGE_SIZE));
		assert_int_equal(b[0], 0x40 + i);
		assert_int_equal(b[PAGE_SIZE - 1], 0x40 + i);
	}
	assert_int_equal(vm_events[WORKINGSET_REFAULT_FILE], 4);
}

static void mlocked_pages_never_reclaimed(void **state)
{
	struct vm_area_struct *v;

	(void)state;
	v = fill_anon(8);
	assert_int_equal(do_mlock(mm, BASE, 8 * PAGE_SIZE, true), 0);
	v = vma_lookup(mm, BASE);
	assert_int_equal(lru_count[LRU_UNEVICTABLE], 8);
	madvise_cold_range(v, BASE, BASE + 8 * PAGE_SIZE); /* skipped for a locked VMA by madvise; harmless here */
	assert_int_equal(madvise_pageout_range(v, BASE, BASE + 8 * PAGE_SIZE), 0);
	assert_int_equal(shrink_memory(8, false), 0);
	for (u64 i = 0; i < 8; i++) {
		assert_non_null(page_at(BASE + i * PAGE_SIZE));
		assert_true(pattern_ok(i));
	}
	assert_int_equal(vm_events[PSWPOUT], 0);
	assert_int_equal(do_mlock(mm, BASE, 8 * PAGE_SIZE, false), 0);
	assert_int_equal(lru_count[LRU_UNEVICTABLE], 0);
}

/* 8 cold anon and 8 cold file pages; reclaim 4 at the given swappiness. */
static void reclaim_mix(unsigned swappiness, u64 *anon_taken, u64 *file_taken)
{
	struct vm_area_struct *a = fill_anon(8), *f = map(FBASE, 8, RX, &file);

	for (u64 i = 0; i < 8; i++)
		assert_int_equal(fault(FBASE + i * PAGE_SIZE, FAULT_READ, FAULT_KIND_FILE_READ), 0);
	madvise_cold_range(a, BASE, BASE + 8 * PAGE_SIZE);
	madvise_cold_range(f, FBASE, FBASE + 8 * PAGE_SIZE);
	assert_int_equal(set_swappiness(swappiness), 0);
	assert_true(shrink_memory(4, false) >= 4);
	*anon_taken = vm_events[PGSTEAL_ANON];
	*file_taken = vm_events[PGSTEAL_FILE];
}

static void swappiness_zero_takes_file_only(void **state)
{
	u64 anon, file;

	(void)state;
	reclaim_mix(0, &anon, &file);
	assert_int_equal(anon, 0);
	assert_true(file >= 4);
}

static void swappiness_200_takes_anon_only(void **state)
{
	u64 anon, file;

	(void)state;
	reclaim_mix(200, &anon, &file);
	assert_true(anon >= 4);
	assert_int_equal(file, 0);
	assert_int_equal(set_swappiness(201), -EINVAL);
	assert_int_equal(set_swappiness(-1), -EINVAL);
	assert_int_equal(vm_swappiness, 200);
}

static void full_swap_stops_cleanly(void **state)
{
	struct vm_area_struct *v;
	u64 out;

	(void)state;
	assert_int_equal(swap_reinit(8 * PAGE_SIZE, 0), 0); /* 8 slots */
	v = fill_anon(16);
	out = madvise_pageout_range(v, BASE, BASE + 16 * PAGE_SIZE);
	assert_int_equal(out, 8);
	assert_int_equal(slots_in_use(), 8);
	assert_int_equal(mm->rss[MM_SWAPENTS] + mm->rss[MM_ANONPAGES], 16);
	assert_int_equal(shrink_memory(8, false), 0); /* nothing else to take */
	for (u64 i = 0; i < 16; i++) {
		if (swapped(BASE + i * PAGE_SIZE))
			assert_int_equal(fault(BASE + i * PAGE_SIZE, FAULT_READ, FAULT_KIND_SWAP), 0);
		assert_true(pattern_ok(i));
	}
}

static void corrupted_object_never_handed_over(void **state)
{
	struct vm_area_struct *v;
	struct fault_info fi;
	u64 off;

	(void)state;
	v = fill_anon(2);
	assert_int_equal(madvise_pageout_range(v, BASE, BASE + 2 * PAGE_SIZE), 2);
	off = arch_pte_swap_offset(raw(BASE));
	assert_int_equal(zram_test_corrupt(swap_zram(), off, 100), 0);
	assert_int_equal(handle_mm_fault(mm, BASE, FAULT_READ | FAULT_USER, &fi), -EIO);
	assert_int_equal(fi.kind, FAULT_KIND_SWAPERR);
	assert_true(swapped(BASE)); /* nothing mapped: the app gets SIGBUS */
	assert_int_equal(fault(BASE + PAGE_SIZE, FAULT_READ, FAULT_KIND_SWAP), 0);
	assert_true(pattern_ok(1));
	assert_int_equal(do_munmap(mm, BASE, 2 * PAGE_SIZE), 0); /* frees the bad slot too */
}

/* n shmem pages (a MAP_SHARED anonymous region, as mmap makes it) at
 * BASE, written with the page pattern; the object in *as. */
static struct vm_area_struct *fill_shmem(u64 n, struct address_space **as)
{
	struct address_space *shm = shmem_create(n * PAGE_SIZE);
	struct vm_area_struct *v;

	assert_non_null(shm);
	v = map(BASE, n, RW | VM_SHARED, shm);
	address_space_put(shm); /* the VMA holds the only reference */
	for (u64 i = 0; i < n; i++) {
		assert_int_equal(fault(BASE + i * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_SHMEM), 0);
		semi_page(page_address(page_at(BASE + i * PAGE_SIZE)), i);
	}
	*as = shm;
	return v;
}

/* Shmem pages go to swap like anon ones: the object holds the swap
 * entries (the PTEs are gone), every page comes back byte for byte on its
 * fault (a major one, SWAP) and its slot is freed; freeing the region
 * while pages are out frees their slots. */
static void shmem_pageout_and_back(void **state)
{
	const u64 n = 32;
	struct address_space *shm;
	struct vm_area_struct *v;
	struct zram_stats zs;

	(void)state;
	v = fill_shmem(n, &shm);
	assert_int_equal(vm_stat[NR_SHMEM], n);
	assert_int_equal(mm->rss[MM_SHMEMPAGES], n);
	assert_int_equal(madvise_pageout_range(v, BASE, BASE + n * PAGE_SIZE), n);
	assert_int_equal(vm_events[PSWPOUT], n);
	assert_int_equal(vm_events[PGSTEAL_ANON], n);
	assert_int_equal(vm_stat[NR_SHMEM], 0);
	assert_int_equal(vm_stat[NR_SWAPCACHE], 0);
	assert_int_equal(mm->rss[MM_SHMEMPAGES], 0);
	assert_int_equal(shm->nrpages, 0);
	assert_int_equal(shm->swapped, n);
	assert_int_equal(slots_in_use(), n);
	for (u64 i = 0; i < n; i++) {
		assert_true(raw(BASE + i * PAGE_SIZE) == 0); /* none: the object holds the entry */
		assert_null(filemap_find_page(shm, i));
	}
	for (u64 i = 0; i < n; i++) {
		assert_int_equal(fault(BASE + i * PAGE_SIZE, i % 2 ? FAULT_WRITE : FAULT_READ, FAULT_KIND_SWAP), 0);
		assert_true(pattern_ok(i));
	}
	assert_int_equal(vm_events[PSWPIN], n);
	assert_int_equal(vm_events[PGMAJFAULT], n);
	assert_int_equal(shm->swapped, 0);
	assert_int_equal(slots_in_use(), 0);
	assert_int_equal(vm_stat[NR_SHMEM], n);

	/* out again, and unmapped while out: the object's entries free their slots */
	assert_int_equal(madvise_pageout_range(v, BASE, BASE + n * PAGE_SIZE), n);
	assert_int_equal(slots_in_use(), n);
	assert_int_equal(do_munmap(mm, BASE, n * PAGE_SIZE), 0);
	assert_int_equal(slots_in_use(), 0);
	zram_get_stats(swap_zram(), &zs);
	assert_int_equal(zs.pages_stored, 0);
}

/* Reclaim (not madvise) takes shmem pages too when they are old, and a
 * corrupted object makes the fault fail with the entry kept (SIGBUS),
 * never a zero page; with no room in swap they stay. */
static void shmem_reclaimed_and_corruption_caught(void **state)
{
	const u64 n = 16;
	struct address_space *shm;
	struct fault_info fi;
	u64 out;

	(void)state;
	fill_shmem(n, &shm);
	out = shrink_memory(n, false);
	assert_true(out > 0);
	assert_int_equal(shm->swapped, out);
	assert_int_equal(shm->swapped + shm->nrpages, n);
	for (u64 i = 0; i < n; i++)
		if (!filemap_find_page(shm, i)) {
			u64 off = (uintptr_t)shm->pages[i] >> 1;

			assert_int_equal(zram_test_corrupt(swap_zram(), off, 7), 0);
			assert_int_equal(handle_mm_fault(mm, BASE + i * PAGE_SIZE, FAULT_READ | FAULT_USER, &fi), -EIO);
			assert_int_equal(raw(BASE + i * PAGE_SIZE), 0);
			assert_null(filemap_find_page(shm, i));
			break;
		}
	assert_int_equal(vm_events[ZRAM_CHECKSUM_KILL], 1);
	assert_int_equal(do_munmap(mm, BASE, n * PAGE_SIZE), 0); /* frees the bad slot too */
	assert_int_equal(slots_in_use(), 0);

	/* no room in swap: nothing shmem is taken */
	assert_int_equal(swap_reinit(0, 0), 0);
	fill_shmem(n, &shm);
	assert_int_equal(shrink_memory(n, false), 0);
	assert_int_equal(shm->nrpages, n);
	assert_int_equal(do_munmap(mm, BASE, n * PAGE_SIZE), 0);
	assert_int_equal(swap_reinit(8ull << 20, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(pageout_and_back_byte_exact),
		T(young_page_promoted_old_one_reclaimed),
		T(clean_file_pages_dropped_and_reread),
		T(mlocked_pages_never_reclaimed),
		T(swappiness_zero_takes_file_only),
		T(swappiness_200_takes_anon_only),
		T(full_swap_stops_cleanly),
		T(corrupted_object_never_handed_over),
		T(shmem_pageout_and_back),
		T(shmem_reclaimed_and_corruption_caught),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
