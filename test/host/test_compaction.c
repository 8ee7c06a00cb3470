/*
 * Compaction on the host, with the real sources: mm/compaction.c moving
 * anon pages of a live mm (mm/migrate.c, rmap, lru, the fault path) on
 * the fixture's board. The Normal zone is filled with an app's pages and
 * every other one is dropped, so its free memory is all single pages
 * (unusable index of order 9 = 1.000); then:
 *
 *  - direct compaction for order 9 makes an order-9 block, moving at most
 *    the pages of one block, and stops there;
 *  - compact_memory(1) compacts the whole zone: most free memory ends in
 *    blocks of order 9 or more;
 *  - the allocator's slow path compacts for a failing order-9 allocation
 *    (compact_stall, compact_success), and without the hook it fails;
 *  - a pinned page is never moved and its chunk is skipped;
 *  - a zone without room (free at its min watermark) is skipped, and a
 *    failed direct compaction defers the next attempts (Linux's deferral);
 *  - the knobs refuse bad values and change nothing;
 *  - every byte of the app's data survives, and everything is freed.
 */
#include <arch/phys.h>
#include <errno.h>
#include <host.h>
#include <mm/compaction.h>
#include <mm/memory.h>
#include <mm/migrate.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "user_fixture.h"
#include "page_pattern.h"

#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define BASE 0x400000ULL

static struct mm_struct *mm;
static struct vm_area_struct *vma;
static u64 mapped;   /* pages of vma faulted in, BASE.. */
static u64 free_at_start;

static int setup(void **state)
{
	(void)state;
	fix_user_setup();
	assert_int_equal(swap_init(), 0);
	drain_pcp_pages();
	kmem_cache_shrink_all();
	free_at_start = nr_free_pages();
	mm = mm_create();
	assert_non_null(mm);
	mm->pgt.asid = 1;
	reclaim_hooks.compact = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mm_destroy(mm);
	reclaim_hooks.compact = NULL;
	set_compaction_proactiveness(20);
	set_extfrag_threshold(500);
	set_compact_unevictable_allowed(1);
	drain_pcp_pages();
	kmem_cache_shrink_all();
	assert_int_equal(nr_free_pages(), free_at_start); /* nothing leaked, nothing lost */
	assert_int_equal(host_mmu.bbm_violations, 0);
	fix_mm_teardown();
	return 0;
}

static struct zone *normal(void) { return &zones[ZONE_NORMAL]; }

static struct page *page_in(u64 va)
{
	phys_addr_t pa;

	return pgt_query(&mm->pgt, va, &pa, NULL, NULL) ? NULL : pfn_to_page(phys_to_pfn(pa));
}

/* Fault in the app's pages until one lands outside Normal (Normal is at
 * its low watermark then), each with its own pattern; then drop every
 * other one of those in Normal. */
static void fragment_normal(void)
{
	u64 n = normal()->managed_pages + 1024;
	struct fault_info fi;

	vma = vma_alloc(mm, BASE, BASE + n * PAGE_SIZE, RW, NULL, 0, NULL);
	assert_non_null(vma);
	assert_int_equal(vma_link(mm, vma), 0);
	for (mapped = 0; mapped < n; mapped++) {
		u64 va = BASE + mapped * PAGE_SIZE;

		assert_int_equal(handle_mm_fault(mm, va, FAULT_WRITE | FAULT_USER, &fi), 0);
		semi_page(page_address(page_in(va)), mapped);
		if (page_zone(page_in(va)) != normal())
			break;
	}
	assert_true(mapped < n);
	for (u64 i = 0; i < mapped; i += 2)
		zap_page_range(vma, BASE + i * PAGE_SIZE, BASE + (i + 1) * PAGE_SIZE);
	drain_pcp_pages();
	assert_int_equal(unusable_free_index(normal(), 9), 1000); /* no block of order 9 left */
}

/* Every page the app still maps holds its pattern. */
static void assert_data_intact(void)
{
	u64 want[PAGE_SIZE / 8];

	for (u64 i = 1; i < mapped; i += 2) {
		struct page *p = page_in(BASE + i * PAGE_SIZE);

		assert_non_null(p);
		semi_page(want, i);
		if (memcmp(page_address(p), want, PAGE_SIZE))
			fail_msg("page %llu of the app lost its data", (unsigned long long)i);
	}
}

static bool has_free_order(struct zone *z, unsigned order)
{
	for (unsigned o = order; o < NR_ORDERS; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

static void direct_builds_one_block(void **state)
{
	struct compact_control cc;

	(void)state;
	fragment_normal();
	assert_int_equal(compact_zone_order(normal(), 9, COMPACT_DIRECT, MIGRATE_UNMOVABLE, &cc), COMPACT_SUCCESS);
	assert_true(has_free_order(normal(), 9));
	/* a block of order 9 held 256 of the app's pages: it moved about that many, not the zone */
	/* every other page of the lowest order-9 chunk: 256 of the app's pages moved, not more */
	assert_true(cc.nr_migrated >= 200 && cc.nr_migrated <= 256);
	assert_int_equal(cc.nr_failed, 0);
	assert_int_equal(vm_event_read(PGMIGRATE_SUCCESS), cc.nr_migrated);
	assert_int_equal(vm_event_read(COMPACTMIGRATE_SCANNED), cc.nr_migrate_scanned);
	assert_int_equal(vm_event_read(COMPACTFREE_SCANNED), cc.nr_free_scanned);
	assert_int_equal(cc.nr_freepages, 0); /* what was isolated and not used went back */
	assert_data_intact();
}

static void manual_compacts_the_whole_zone(void **state)
{
	(void)state;
	fragment_normal();
	assert_int_equal(compact_memory(1), 0);
	drain_pcp_pages();
	/* ~16,000 single free pages are now almost all in blocks of order 9+ */
	assert_true(unusable_free_index(normal(), 9) < 100);
	assert_true(vm_event_read(PGMIGRATE_SUCCESS) > 4000);
	assert_true(vm_event_read(PGMIGRATE_FAIL) <= 32); /* at most the cluster in flight when the scanners met */
	assert_data_intact();
}

/* Take every free block of order 9+ in DMA and DMA32, so only Normal can serve. */
static unsigned hold_low_blocks(struct page **held, unsigned max)
{
	unsigned n = 0;
	struct page *p;

	while (n < max && (p = alloc_pages(GFP_DMA32 | __GFP_NOWARN, 9)))
		held[n++] = p;
	return n;
}

static void allocator_compacts_before_failing(void **state)
{
	struct page *held[64], *p;
	unsigned n;

	(void)state;
	fragment_normal();
	n = hold_low_blocks(held, 64);
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 9)); /* no hook: fails */
	assert_int_equal(vm_event_read(COMPACTSTALL), 0);
	compaction_init();
	p = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 9);
	assert_non_null(p);
	assert_ptr_equal(page_zone(p), normal());
	assert_int_equal(vm_event_read(COMPACTSTALL), 1);
	assert_int_equal(vm_event_read(COMPACTSUCCESS), 1);
	assert_int_equal(vm_event_read(COMPACTFAIL), 0);
	free_pages(p, 9);
	while (n)
		free_pages(held[--n], 9);
	assert_data_intact();
}

/* User pages (on an LRU list) in the order-9 chunk holding pfn. */
static unsigned lru_pages_in_chunk(u64 pfn)
{
	unsigned n = 0;

	for (u64 p = ALIGN_DOWN(pfn, 512); p < ALIGN_DOWN(pfn, 512) + 512; p++)
		n += PAGE_FLAG(pfn_to_page(p), PG_lru) ? 1 : 0;
	return n;
}

static void pinned_page_stays(void **state)
{
	struct page *pin = NULL;
	unsigned in_chunk;
	u64 pfn, va = 0;

	(void)state;
	fragment_normal();
	for (u64 i = 1; i < mapped; i += 2) { /* the app's lowest frame: the migrate scanner's first chunk */
		struct page *p = page_in(BASE + i * PAGE_SIZE);

		if (!pin || page_to_pfn(p) < page_to_pfn(pin)) {
			pin = p;
			va = BASE + i * PAGE_SIZE;
		}
	}
	pfn = page_to_pfn(pin);
	pin->refcount++; /* as DMA would hold it */
	in_chunk = lru_pages_in_chunk(pfn);
	assert_true(in_chunk > 100);
	/* direct: the pinned page's chunk cannot become a block, so none of it moves */
	assert_int_equal(compact_zone_order(normal(), 9, COMPACT_DIRECT, MIGRATE_UNMOVABLE, NULL), COMPACT_SUCCESS);
	assert_int_equal(lru_pages_in_chunk(pfn), in_chunk);
	/* manual: everything else moves, the pinned page stays */
	assert_int_equal(compact_memory(1), 0);
	assert_int_equal(lru_pages_in_chunk(pfn), 1);
	assert_ptr_equal(page_in(va), pin);
	assert_int_equal(page_to_pfn(pin), pfn);
	pin->refcount--;
	assert_data_intact();
}

/* vm.compact_unevictable_allowed 0: an mlocked page stays in its frame
 * while everything else around it moves; 1 (the default): it moves too. */
static void mlocked_page_stays_when_unevictable_not_allowed(void **state)
{
	struct page *locked = NULL;
	unsigned in_chunk;
	u64 pfn, va = 0;

	(void)state;
	fragment_normal();
	for (u64 i = 1; i < mapped; i += 2) {
		struct page *p = page_in(BASE + i * PAGE_SIZE);

		if (!locked || page_to_pfn(p) < page_to_pfn(locked)) {
			locked = p;
			va = BASE + i * PAGE_SIZE;
		}
	}
	pfn = page_to_pfn(locked);
	assert_int_equal(do_mlock(mm, va, PAGE_SIZE, true), 0);
	assert_true(PAGE_FLAG(locked, PG_mlocked));
	in_chunk = lru_pages_in_chunk(pfn);
	assert_true(in_chunk > 100);
	assert_int_equal(set_compact_unevictable_allowed(0), 0);
	assert_int_equal(compact_memory(1), 0);
	assert_int_equal(lru_pages_in_chunk(pfn), 1);
	assert_ptr_equal(page_in(va), locked);
	assert_int_equal(set_compact_unevictable_allowed(1), 0);
	assert_int_equal(compact_memory(1), 0);
	assert_ptr_not_equal(page_in(va), locked);
	assert_true(PAGE_FLAG(page_in(va), PG_mlocked));
	assert_int_equal(do_mlock(mm, va, PAGE_SIZE, false), 0);
	assert_data_intact();
}

static void no_room_is_skipped(void **state)
{
	struct zone *z = normal();
	u64 old_min = z->watermark[WMARK_MIN];

	(void)state;
	fragment_normal();
	assert_int_equal(compaction_suitable(z, 9), COMPACT_COMPLETE);
	z->watermark[WMARK_MIN] = z->nr_free - 1000; /* less than 2 blocks of order 9 above min */
	assert_int_equal(compaction_suitable(z, 9), COMPACT_SKIPPED);
	z->watermark[WMARK_MIN] = old_min;
	/* a failure for lack of memory, by the fragmentation index: reclaim's job */
	assert_int_equal(set_extfrag_threshold(1000), 0);
	assert_int_equal(compaction_suitable(z, 9), COMPACT_SKIPPED);
	assert_int_equal(vm_event_read(COMPACTMIGRATE_SCANNED), 0);
}

static void failure_defers_the_next_attempts(void **state)
{
	struct page *held[64];
	unsigned n;

	(void)state;
	fragment_normal();
	n = hold_low_blocks(held, 64);
	for (int i = 0; i < MAX_NR_ZONES; i++) { /* as after two failures at order 9: skip 3 attempts */
		zones[i].compact_defer_shift = 2;
		zones[i].compact_considered = 0;
		zones[i].compact_order_failed = 9;
	}
	for (int i = 0; i < 3; i++)
		assert_false(try_to_compact_pages(GFP_KERNEL, 9));
	assert_int_equal(vm_event_read(COMPACTMIGRATE_SCANNED), 0);
	assert_int_equal(vm_event_read(COMPACTFAIL), 3);
	assert_true(try_to_compact_pages(GFP_KERNEL, 9)); /* the 4th is tried, and succeeds */
	assert_true(vm_event_read(COMPACTMIGRATE_SCANNED) > 0);
	assert_int_equal(normal()->compact_defer_shift, 0); /* a success resets the deferral */
	assert_int_equal(normal()->compact_order_failed, 10);
	while (n)
		free_pages(held[--n], 9);
	assert_data_intact();
}

static void knobs_refuse_bad_values(void **state)
{
	(void)state;
	assert_int_equal(compact_memory(0), -EINVAL);
	assert_int_equal(compact_memory(2), -EINVAL);
	assert_int_equal(set_compaction_proactiveness(101), -EINVAL);
	assert_int_equal(set_compaction_proactiveness(-1), -EINVAL);
	assert_int_equal(sysctl_compaction_proactiveness, 20);
	assert_int_equal(set_extfrag_threshold(1001), -EINVAL);
	assert_int_equal(sysctl_extfrag_threshold, 500);
	assert_int_equal(set_compact_unevictable_allowed(2), -EINVAL);
	assert_int_equal(set_compact_unevictable_allowed(-1), -EINVAL);
	assert_int_equal(sysctl_compact_unevictable_allowed, 1);
	assert_int_equal(set_compaction_proactiveness(0), 0);
	assert_int_equal(compaction_score_wmark(true), 100);
	assert_int_equal(set_compaction_proactiveness(100), 0);
	assert_int_equal(compaction_score_wmark(true), 5);
	assert_int_equal(compaction_score_wmark(false), 15);
	assert_int_equal(vm_event_read(PGMIGRATE_SUCCESS), 0); /* a refused compact_memory did nothing */
}

static void proactive_stops_at_the_target(void **state)
{
	unsigned before;

	(void)state;
	fragment_normal();
	before = fragmentation_score_zone(normal());
	assert_int_equal(before, 100);
	assert_int_equal(set_compaction_proactiveness(50), 0); /* stop at 50 */
	assert_int_equal(compact_zone_order(normal(), -1, COMPACT_PROACTIVE, MIGRATE_MOVABLE, NULL), COMPACT_SUCCESS);
	assert_true(fragmentation_score_zone(normal()) <= 50);
	/* and it stopped there, well before the whole zone: a manual run still finds pages to move */
	{
		u64 moved = vm_event_read(PGMIGRATE_SUCCESS);

		assert_int_equal(compact_memory(1), 0);
		assert_true(vm_event_read(PGMIGRATE_SUCCESS) > moved);
	}
	assert_true(vm_event_read(KCOMPACTD_MIGRATE_SCANNED) > 0);
	assert_data_intact();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(direct_builds_one_block, setup, teardown),
		cmocka_unit_test_setup_teardown(manual_compacts_the_whole_zone, setup, teardown),
		cmocka_unit_test_setup_teardown(allocator_compacts_before_failing, setup, teardown),
		cmocka_unit_test_setup_teardown(pinned_page_stays, setup, teardown),
		cmocka_unit_test_setup_teardown(mlocked_page_stays_when_unevictable_not_allowed, setup, teardown),
		cmocka_unit_test_setup_teardown(no_room_is_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(failure_defers_the_next_attempts, setup, teardown),
		cmocka_unit_test_setup_teardown(knobs_refuse_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(proactive_stops_at_the_target, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
