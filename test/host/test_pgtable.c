/*
 * The generic table builder (mm/pgtable.c) checked against the ARMv8
 * walker oracle, for 4-level/48-bit and 3-level/39-bit geometries and
 * for kernel (TTBR1) and user (TTBR0) ranges: block vs page choice, W^X
 * attributes, splitting, unmapping, rollback on failure, table-page
 * conservation, break-before-make on live tables, and a randomised
 * differential test against a page-granular reference model.
 */
#include <arch/phys.h>
#include <arch/walk.h>
#include <errno.h>
#include <host.h>
#include <mm/pgtable.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (64 * SZ_1M) /* table pages come from here */

struct geometry {
	unsigned va_bits;
	bool ttbr1;
	u64 va_base;
};

static const struct geometry geos[] = {
	{ 48, true, 0xffff000000000000ULL },
	{ 39, true, 0xffffff8000000000ULL },
	{ 48, false, 0 },
	{ 39, false, 0 },
};

static const struct geometry *g;
static struct pgtable pt;

static int setup(void **state)
{
	g = *state;
	host_phys_init(RAM_BASE, RAM_SIZE);
	host_mmu_reset();
	assert_int_equal(pgt_init(&pt, g->va_base, g->va_bits, host_page_alloc, host_page_free, NULL), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pgt_destroy(&pt);
	assert_int_equal(host_pages_in_use(), 0); /* every table page returned */
	host_phys_exit();
	return 0;
}

static bool walk(u64 va, struct walk_result *r) { return arm64_walk(pt.root, g->va_bits, g->ttbr1, true, va, r); }

/* A VA inside the table's range, offset from its base. */
static u64 va_at(u64 off) { return g->va_base + off; }

struct level_count {
	u64 bytes[4];
	unsigned leaves[4];
};

static void count_leaf(void *arg, u64 va, phys_addr_t pa, u64 size, int level, unsigned attrs)
{
	struct level_count *c = arg;

	(void)va, (void)pa, (void)attrs;
	c->bytes[level] += size;
	c->leaves[level]++;
}

static void largest_leaves_are_chosen(void **state)
{
	struct level_count c = { 0 };
	struct walk_result r;
	u64 va = va_at(4 * SZ_1G), size = SZ_1G + SZ_2M + SZ_4K;

	(void)state;
	assert_int_equal(pgt_map(&pt, va, 2 * SZ_1G, size, MMU_KERNEL_RW), 0);
	pgt_for_each_leaf(&pt, va, va + size - 1, count_leaf, &c);
	assert_int_equal(c.leaves[1], 1);
	assert_int_equal(c.leaves[2], 1);
	assert_int_equal(c.leaves[3], 1);
	for (u64 off = 0; off < size; off += 0x1ff000) {
		assert_true(walk(va + off, &r));
		assert_int_equal(r.pa, 2 * SZ_1G + off);
	}
	assert_true(walk(va + size - 1, &r));
	assert_false(walk(va + size, &r));
	assert_false(walk(va - 1, &r));
}

static void misaligned_pa_forces_pages(void **state)
{
	struct level_count c = { 0 };

	(void)state;
	/* VA 2 MiB aligned, PA only 4 KiB aligned: no block can be used */
	assert_int_equal(pgt_map(&pt, va_at(SZ_1G), 0x80001000ULL, 4 * SZ_2M, MMU_KERNEL_RW), 0);
	pgt_for_each_leaf(&pt, va_at(SZ_1G), va_at(SZ_1G) + 4 * SZ_2M - 1, count_leaf, &c);
	assert_int_equal(c.leaves[3], 4 * 512);
	assert_int_equal(c.leaves[1] + c.leaves[2], 0);
}

static void wx_attributes_reach_the_hardware_bits(void **state)
{
	struct walk_result r;
	u64 text = va_at(SZ_1G), ro = text + SZ_2M, data = ro + SZ_2M, io = data + SZ_2M;

	(void)state;
	assert_int_equal(pgt_map(&pt, text, 0x40200000ULL, SZ_2M, MMU_KERNEL_RX), 0);
	assert_int_equal(pgt_map(&pt, ro, 0x40400000ULL, SZ_2M, MMU_KERNEL_RO), 0);
	assert_int_equal(pgt_map(&pt, data, 0x40600000ULL, SZ_2M, MMU_KERNEL_RW), 0);
	assert_int_equal(pgt_map(&pt, io, 0x09000000ULL, SZ_4K, MMU_KERNEL_IO), 0);
	assert_true(walk(text, &r));
	assert_true(r.el1_exec && !r.el1_write && !r.el0_read && !r.el0_exec);
	assert_true(walk(ro, &r));
	assert_true(!r.el1_exec && !r.el1_write);
	assert_true(walk(data, &r));
	assert_true(!r.el1_exec && r.el1_write && !r.el0_read);
	assert_true(walk(io, &r));
	assert_true(!r.el1_exec && r.el1_write && !r.el0_exec);
	assert_int_equal(r.attr_index, 1); /* Device-nGnRE */
	/* user mappings: EL0 access, never EL1-executable */
	assert_int_equal(pgt_map(&pt, io + SZ_2M, 0x41000000ULL, SZ_4K, MMU_READ | MMU_EXEC | MMU_USER | MMU_NG), 0);
	assert_true(walk(io + SZ_2M, &r));
	assert_true(r.el0_read && r.el0_exec && !r.el0_write && !r.el1_exec);
	assert_true(r.desc & (1ULL << 11)); /* nG */
}

static void protect_splits_blocks(void **state)
{
	struct level_count c = { 0 };
	struct walk_result r;
	u64 va = va_at(2 * SZ_1G), hole = va + 300 * SZ_2M + 7 * SZ_4K;

	(void)state;
	assert_int_equal(pgt_map(&pt, va, SZ_1G, SZ_1G, MMU_KERNEL_RW), 0);
	assert_int_equal(pt.nr_tables, g->va_bits == 48 ? 2 : 1);
	pt.live = true;
	assert_int_equal(pgt_protect(&pt, hole, SZ_4K, MMU_KERNEL_RO), 0);
	/* 1 GiB -> 511 x 2 MiB + 1 x (512 x 4 KiB) */
	pgt_for_each_leaf(&pt, va, va + SZ_1G - 1, count_leaf, &c);
	assert_int_equal(c.leaves[1], 0);
	assert_int_equal(c.leaves[2], 511);
	assert_int_equal(c.leaves[3], 512);
	for (u64 off = 0; off < SZ_1G; off += 0x3ff000) {
		assert_true(walk(va + off, &r));
		assert_int_equal(r.pa, SZ_1G + off);
		assert_true(r.el1_write);
	}
	assert_true(walk(hole, &r));
	assert_false(r.el1_write);
	assert_int_equal(r.pa, SZ_1G + (hole - va));
	assert_int_equal(r.level, 3);
	assert_int_equal(host_mmu.bbm_violations, 0);
	assert_true(host_mmu.tlb_flushes >= 2); /* the 1G block and the 2M block */
	/* protecting with the same attributes splits nothing */
	u64 before = pt.nr_tables;
	assert_int_equal(pgt_protect(&pt, va + 2 * SZ_4K, SZ_4K, MMU_KERNEL_RW), 0);
	assert_int_equal(pt.nr_tables, before);
}

static void unmap_middle_and_free_tables(void **state)
{
	struct walk_result r;
	u64 va = va_at(SZ_1G), tables0 = pt.nr_tables;

	(void)state;
	assert_int_equal(pgt_map(&pt, va, SZ_1G, SZ_1G, MMU_KERNEL_RW), 0);
	pt.live = true;
	assert_int_equal(pgt_unmap(&pt, va + SZ_2M + SZ_4K, SZ_4K), 0);
	assert_false(walk(va + SZ_2M + SZ_4K, &r));
	assert_true(walk(va + SZ_2M, &r));
	assert_true(walk(va + SZ_2M + 2 * SZ_4K, &r));
	assert_int_equal(r.pa, SZ_1G + SZ_2M + 2 * SZ_4K);
	assert_int_equal(host_mmu.bbm_violations, 0);
	assert_int_equal(pgt_unmap(&pt, va, SZ_1G), 0);
	assert_false(walk(va, &r));
	assert_int_equal(pt.nr_tables, tables0); /* emptied tables were freed */
	assert_int_equal(host_pages_in_use(), pt.nr_tables);
}

static void overlapping_map_is_refused_unchanged(void **state)
{
	struct walk_result r;
	u64 va = va_at(SZ_1G);

	(void)state;
	assert_int_equal(pgt_map(&pt, va + SZ_2M, 0x50000000ULL, SZ_4K, MMU_KERNEL_RW), 0);
	u64 tables = pt.nr_tables, writes = host_mmu.pte_writes;
	assert_int_equal(pgt_map(&pt, va, 0x60000000ULL, 4 * SZ_2M, MMU_KERNEL_RW), -EEXIST);
	assert_int_equal(pt.nr_tables, tables);
	assert_int_equal(host_mmu.pte_writes, writes);
	assert_false(walk(va, &r));
	assert_true(walk(va + SZ_2M, &r));
	assert_int_equal(r.pa, 0x50000000ULL);
}

static void bad_arguments(void **state)
{
	u64 top = g->va_base + ((1ULL << g->va_bits) - SZ_4K);

	(void)state;
	assert_int_equal(pgt_map(&pt, va_at(0x1001), 0, SZ_4K, MMU_KERNEL_RW), -EINVAL);
	assert_int_equal(pgt_map(&pt, va_at(0), 0x1001, SZ_4K, MMU_KERNEL_RW), -EINVAL);
	assert_int_equal(pgt_map(&pt, va_at(0), 0, 0, MMU_KERNEL_RW), -EINVAL);
	assert_int_equal(pgt_map(&pt, top, 0, 2 * SZ_4K, MMU_KERNEL_RW), -EINVAL); /* past the end */
	assert_int_equal(pgt_map(&pt, top, 0x1000, SZ_4K, MMU_KERNEL_RW), 0);      /* the last page */
	if (g->ttbr1)
		assert_int_equal(pgt_map(&pt, 0x1000, 0, SZ_4K, MMU_KERNEL_RW), -EINVAL);
	else
		assert_int_equal(pgt_map(&pt, 1ULL << g->va_bits, 0, SZ_4K, MMU_KERNEL_RW), -EINVAL);
	assert_int_equal(pgt_protect(&pt, va_at(SZ_1G), SZ_4K, MMU_KERNEL_RO), -ENOENT);
	assert_int_equal(pgt_unmap(&pt, top, SZ_4K), 0);
}

static void allocation_failure_rolls_back(void **state)
{
	struct walk_result r;
	u64 tables = pt.nr_tables, used = host_pages_in_use();

	(void)state;
	/* needs several table pages for 4 KiB-granular mappings over 2 x 2 MiB */
	host_page_fail_after(1);
	assert_int_equal(pgt_map(&pt, va_at(SZ_1G + SZ_2M - SZ_4K), 0x80000000ULL, SZ_2M + 2 * SZ_4K,
				 MMU_KERNEL_RW), -ENOMEM);
	host_page_fail_after(-1);
	assert_int_equal(pt.nr_tables, tables);
	assert_int_equal(host_pages_in_use(), used);
	assert_false(walk(va_at(SZ_1G + SZ_2M - SZ_4K), &r));
}

/* Random map/unmap/protect against a page-granular reference model. */
#define WIN_PAGES (64 * 512) /* a 128 MiB window: room for 2 MiB blocks */
struct model_page {
	bool mapped;
	phys_addr_t pa;
	unsigned attrs;
};

static void randomised_against_model(void **state)
{
	static struct model_page m[WIN_PAGES];
	static const unsigned attr_set[] = { MMU_KERNEL_RW, MMU_KERNEL_RO, MMU_KERNEL_RX, MMU_KERNEL_IO };
	u64 base = va_at(8 * SZ_1G);
	unsigned seed = 12345;

	(void)state;
	memset(m, 0, sizeof(m));
	pt.live = true;
	for (int iter = 0; iter < 400; iter++) {
		unsigned op = rand_r(&seed) % 3, attrs = attr_set[rand_r(&seed) % 4];
		bool big = rand_r(&seed) % 2;
		u64 first = big ? (rand_r(&seed) % 64) * 512 : rand_r(&seed) % WIN_PAGES;
		u64 n = big ? 512 * (1 + rand_r(&seed) % 3) : 1 + rand_r(&seed) % 700;
		phys_addr_t pa = big ? (u64)(rand_r(&seed) % 1024) * SZ_2M : (u64)(rand_r(&seed) % 65536) * SZ_4K;
		bool any = false, all = true;
		int rc;

		n = MIN(n, WIN_PAGES - first);
		for (u64 i = first; i < first + n; i++)
			any |= m[i].mapped, all &= m[i].mapped;
		if (op == 0) {
			rc = pgt_map(&pt, base + first * SZ_4K, pa, n * SZ_4K, attrs);
			assert_int_equal(rc, any ? -EEXIST : 0);
			for (u64 i = first; !rc && i < first + n; i++)
				m[i] = (struct model_page){ true, pa + (i - first) * SZ_4K, attrs };
		} else if (op == 1) {
			assert_int_equal(pgt_unmap(&pt, base + first * SZ_4K, n * SZ_4K), 0);
			for (u64 i = first; i < first + n; i++)
				m[i].mapped = false;
		} else {
			rc = pgt_protect(&pt, base + first * SZ_4K, n * SZ_4K, attrs);
			assert_int_equal(rc, all ? 0 : -ENOENT);
			for (u64 i = first; !rc && i < first + n; i++)
				m[i].attrs = attrs;
		}
		for (int k = 0; k < 64; k++) {
			u64 i = rand_r(&seed) % WIN_PAGES;
			phys_addr_t qpa;
			unsigned qattrs;
			struct walk_result r;

			assert_int_equal(walk(base + i * SZ_4K, &r), m[i].mapped);
			assert_int_equal(pgt_query(&pt, base + i * SZ_4K, &qpa, &qattrs, NULL), m[i].mapped ? 0 : -ENOENT);
			if (m[i].mapped) {
				assert_int_equal(r.pa, m[i].pa);
				assert_int_equal(qpa, m[i].pa);
				assert_int_equal(qattrs, m[i].attrs);
				assert_int_equal(r.el1_write, !!(m[i].attrs & MMU_WRITE));
				assert_int_equal(r.el1_exec, !!(m[i].attrs & MMU_EXEC));
			}
		}
	}
	assert_int_equal(host_mmu.bbm_violations, 0);
	assert_int_equal(pgt_unmap(&pt, base, WIN_PAGES * SZ_4K), 0);
	assert_int_equal(pt.nr_tables, g->va_bits == 48 ? 1 : 1);
}

#define T(fn, i) cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, (void *)&geos[i])
#define ALL(i)                                                                                      \
	T(largest_leaves_are_chosen, i), T(misaligned_pa_forces_pages, i),                          \
	T(wx_attributes_reach_the_hardware_bits, i), T(protect_splits_blocks, i),                   \
	T(unmap_middle_and_free_tables, i), T(overlapping_map_is_refused_unchanged, i),             \
	T(bad_arguments, i), T(allocation_failure_rolls_back, i), T(randomised_against_model, i)

int main(void)
{
	const struct CMUnitTest k48[] = { ALL(0) }, k39[] = { ALL(1) }, u48[] = { ALL(2) }, u39[] = { ALL(3) };
	int failed = 0;

	failed += cmocka_run_group_tests_name("pgtable kernel 48-bit 4-level", k48, NULL, NULL);
	failed += cmocka_run_group_tests_name("pgtable kernel 39-bit 3-level", k39, NULL, NULL);
	failed += cmocka_run_group_tests_name("pgtable user 48-bit 4-level", u48, NULL, NULL);
	failed += cmocka_run_group_tests_name("pgtable user 39-bit 3-level", u39, NULL, NULL);
	return failed;
}
