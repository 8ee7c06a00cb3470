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


/* ---- swap entries and the young state ---------------------------------- */

/* Encode/decode at the corners of the type and offset fields; a swap
 * entry is never valid, never none, never a table at any level, and the
 * walker oracle ignores it. Then one in a level-3 slot of this geometry. */
static void swap_entry_round_trip(void **state)
{
	static const u64 offsets[] = { 0, 1, 0x1234567, (1ULL << ARCH_SWP_OFFSET_BITS) - 1, 1ULL << 40 };
	struct walk_result r;
	u64 va = va_at(SZ_1G + 5 * SZ_4K);
	pte_t e, *ptep;
	int level;

	(void)state;
	for (unsigned type = 0; type < 1u << ARCH_SWP_TYPE_BITS; type++) {
		for (unsigned i = 0; i < ARRAY_SIZE(offsets); i++) {
			e = arch_pte_mk_swap(type, offsets[i]);
			assert_true(e != 0);
			assert_true(arch_pte_is_swap(e));
			assert_false(arch_pte_is_valid(e));
			for (int l = 0; l <= PT_LEAF_LEVEL; l++)
				assert_false(arch_pte_is_table(e, l));
			assert_int_equal(arch_pte_swap_type(e), type);
			assert_int_equal(arch_pte_swap_offset(e), offsets[i]);
		}
	}
	assert_false(arch_pte_is_swap(0));
	for (int l = 1; l <= PT_LEAF_LEVEL; l++)
		assert_false(arch_pte_is_swap(arch_pte_mk_leaf(0x40000000ULL, l, MMU_KERNEL_RW)));
	assert_false(arch_pte_is_swap(arch_pte_mk_table(0x40000000ULL)));

	/* in a table of this geometry */
	ptep = pgt_walk_pte(&pt, va, true);
	assert_non_null(ptep);
	e = arch_pte_mk_swap(17, 0xabcdef);
	pgt_set_pte(&pt, ptep, va, e);
	assert_ptr_equal(pgt_walk_pte(&pt, va, false), ptep);
	assert_int_equal(*ptep, e);
	assert_int_equal(pgt_query(&pt, va, NULL, NULL, NULL), -ENOENT);
	assert_int_equal(pgt_query_entry(&pt, va, &e, &level), 0);
	assert_int_equal(level, PT_LEAF_LEVEL);
	assert_int_equal(arch_pte_swap_type(e), 17);
	assert_int_equal(arch_pte_swap_offset(e), 0xabcdef);
	assert_int_equal(pgt_query_entry(&pt, va + SZ_4K, &e, &level), -ENOENT);
	assert_false(walk(va, &r)); /* the hardware sees no translation */
	assert_int_equal(pgt_unmap(&pt, va, SZ_4K), 0);
}

struct entry_log {
	unsigned leaves, swaps;
	u64 swap_va;
	pte_t swap_pte;
};

static void log_leaf(void *arg, u64 va, phys_addr_t pa, u64 size, int level, unsigned attrs)
{
	(void)va, (void)pa, (void)size, (void)level, (void)attrs;
	((struct entry_log *)arg)->leaves++;
}

static void log_swap(void *arg, u64 va, pte_t pte, int level)
{
	struct entry_log *l = arg;

	assert_int_equal(level, PT_LEAF_LEVEL);
	l->swaps++;
	l->swap_va = va;
	l->swap_pte = pte;
}

/* Put a swap entry at va (tables made as needed). */
static void plant_swap(u64 va, pte_t e)
{
	pte_t *ptep = pgt_walk_pte(&pt, va, true);

	assert_non_null(ptep);
	assert_int_equal(*ptep, 0);
	pgt_set_pte(&pt, ptep, va, e);
}

/* Every generic path with a swap entry present: the table holding only it
 * stays, map refuses to overwrite it (and changes nothing), replacement
 * only when asked, protect treats it as unmapped, the walkers report it,
 * unmap clears it and then frees the table. */
static void swap_entries_are_not_none(void **state)
{
	struct entry_log log = { 0 };
	struct walk_result r;
	u64 va = va_at(SZ_1G + SZ_2M), tables0 = pt.nr_tables, tables, writes;
	pte_t e = arch_pte_mk_swap(3, 77);

	(void)state;
	pt.live = true;
	plant_swap(va, e);
	assert_int_equal(pgt_map(&pt, va + SZ_4K, 0x50000000ULL, SZ_4K, MMU_KERNEL_RW), 0);
	tables = pt.nr_tables;
	assert_true(tables > tables0);
	/* unmapping the neighbour leaves a table holding only the swap entry: kept */
	assert_int_equal(pgt_unmap(&pt, va + SZ_4K, SZ_4K), 0);
	assert_int_equal(pt.nr_tables, tables);
	assert_int_equal(*pgt_walk_pte(&pt, va, false), e);

	/* map over it: -EEXIST, nothing written */
	writes = host_mmu.pte_writes;
	assert_int_equal(pgt_map(&pt, va, 0x60000000ULL, SZ_4K, MMU_KERNEL_RW), -EEXIST);
	assert_int_equal(pgt_map(&pt, va - SZ_2M, 0x60000000ULL, 2 * SZ_2M, MMU_KERNEL_RW), -EEXIST);
	assert_int_equal(host_mmu.pte_writes, writes);
	assert_int_equal(pt.nr_tables, tables);
	assert_int_equal(*pgt_walk_pte(&pt, va, false), e);
	assert_int_equal(pgt_map_flags(&pt, va, 0x60000000ULL, SZ_4K, MMU_KERNEL_RW, 0x80), -EINVAL);
	/* protect: it is not mapped */
	assert_int_equal(pgt_protect(&pt, va, SZ_4K, MMU_KERNEL_RO), -ENOENT);
	assert_int_equal(*pgt_walk_pte(&pt, va, false), e);

	/* the walkers: pgt_for_each_leaf skips it, pgt_for_each_entry reports it */
	pgt_for_each_leaf(&pt, va - SZ_2M, va + SZ_2M, log_leaf, &log);
	assert_int_equal(log.leaves, 0);
	pgt_for_each_entry(&pt, va - SZ_2M, va + SZ_2M, log_leaf, log_swap, &log);
	assert_int_equal(log.swaps, 1);
	assert_int_equal(log.swap_va, va);
	assert_int_equal(log.swap_pte, e);

	/* explicit replacement maps over it */
	assert_int_equal(pgt_map_flags(&pt, va, 0x60000000ULL, 2 * SZ_4K, MMU_KERNEL_RW, PGT_MAP_REPLACE_SWAP), 0);
	assert_true(walk(va, &r));
	assert_int_equal(r.pa, 0x60000000ULL);
	assert_int_equal(host_mmu.bbm_violations, 0);
	assert_int_equal(pgt_unmap(&pt, va, 2 * SZ_4K), 0);
	assert_int_equal(pt.nr_tables, tables0);

	/* unmap clears a swap entry and frees the emptied tables */
	plant_swap(va, e);
	assert_true(pt.nr_tables > tables0);
	assert_int_equal(pgt_unmap(&pt, va - SZ_2M, 2 * SZ_2M), 0);
	assert_int_equal(pt.nr_tables, tables0);
	assert_int_equal(pgt_query_entry(&pt, va, NULL, NULL), -ENOENT);
	/* pgt_set_pte clears one too */
	plant_swap(va, e);
	pgt_set_pte(&pt, pgt_walk_pte(&pt, va, false), va, 0);
	assert_int_equal(*pgt_walk_pte(&pt, va, false), 0);
	assert_int_equal(pgt_unmap(&pt, va, SZ_4K), 0);
	assert_int_equal(pt.nr_tables, tables0);
	assert_int_equal(host_mmu.bbm_violations, 0);
}

/* Leaves start young; test-and-clear makes them old with one TLB
 * invalidate and no break-before-make; young again in place. */
static void young_state_and_test_and_clear(void **state)
{
	u64 va = va_at(SZ_1G), flushes, writes;
	pte_t *ptep;

	(void)state;
	assert_int_equal(pgt_map(&pt, va, 0x50000000ULL, 2 * SZ_4K, MMU_KERNEL_RW), 0);
	pt.live = true;
	ptep = pgt_walk_pte(&pt, va, false);
	assert_true(arch_pte_is_young(*ptep));
	assert_false(arch_pte_is_dirty(*ptep));
	flushes = host_mmu.tlb_flushes;
	writes = host_mmu.pte_writes;
	assert_true(pgt_test_and_clear_young(&pt, va + 123));
	assert_int_equal(host_mmu.tlb_flushes, flushes + 1);
	assert_int_equal(host_mmu.pte_writes, writes + 1); /* in place */
	assert_false(arch_pte_is_young(*ptep));
	assert_true(arch_pte_is_valid(*ptep));
	assert_false(pgt_test_and_clear_young(&pt, va)); /* already old: nothing done */
	assert_int_equal(host_mmu.tlb_flushes, flushes + 1);
	assert_true(arch_pte_is_young(ptep[1])); /* the neighbour untouched */
	assert_false(pgt_test_and_clear_young(&pt, va + 2 * SZ_4K)); /* none */
	/* attributes do not show the access state */
	assert_int_equal(arch_pte_attrs(*ptep), arch_pte_attrs(ptep[1]));
	/* made young again: in place, no flush */
	pgt_set_pte(&pt, ptep, va, arch_pte_mkyoung(*ptep));
	assert_true(arch_pte_is_young(*ptep));
	assert_int_equal(host_mmu.tlb_flushes, flushes + 1);
	/* dirty is state too, and survives a protect */
	pgt_set_pte(&pt, ptep, va, arch_pte_mkdirty(*ptep));
	assert_int_equal(pgt_protect(&pt, va, SZ_4K, MMU_KERNEL_RO), 0);
	assert_true(arch_pte_is_dirty(*ptep));
	assert_false(arch_pte_is_dirty(arch_pte_mkclean(*ptep)));
	assert_int_equal(host_mmu.bbm_violations, 0);
	assert_int_equal(pgt_unmap(&pt, va, 2 * SZ_4K), 0);
}

struct zap_log {
	unsigned n, valid;
	u64 va[256];
	pte_t pte[256];
};

/* pgt_zap's release: every entry handed over is already cleared and flushed from the TLB. */
static void zap_release(void *arg, const u64 *va, const pte_t *pte, unsigned n)
{
	struct zap_log *log = arg;

	assert_int_equal(host_mmu.unflushed, 0); /* no TLB may still map a page being released */
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(pgt_query_entry(&pt, va[i], NULL, NULL), -ENOENT);
		assert_true(log->n < 256);
		log->valid += arch_pte_is_valid(pte[i]);
		log->va[log->n] = va[i];
		log->pte[log->n++] = pte[i];
	}
}

/* pgt_zap (munmap's mmu_gather): 150 pages and a swap entry cleared, the
 * TLB flushed before each batch is released (a few flushes, not one per
 * page, on a user table), every entry released once in VA order, the
 * tables of the gap freed. */
static void zap_flushes_before_release(void **state)
{
	u64 base = va_at(SZ_1G), pages_before = host_pages_in_use(), flushes;
	struct zap_log log = { 0 };
	struct pgt_gather gz;
	pte_t *ptep;

	(void)state;
	pt.live = true;
	pt.user = !g->ttbr1;
	/* 150 pages from a PA that is not 2 MiB aligned: 4 KiB leaves only */
	assert_int_equal(pgt_map(&pt, base, RAM_BASE + SZ_4K, 150 * SZ_4K, MMU_KERNEL_RW), 0);
	ptep = pgt_walk_pte(&pt, base + 160 * SZ_4K, true);
	assert_non_null(ptep);
	pgt_set_pte(&pt, ptep, base + 160 * SZ_4K, arch_pte_mk_swap(1, 77));
	assert_true(host_pages_in_use() > pages_before);
	flushes = host_mmu.tlb_flushes;
	gz.release = zap_release;
	gz.arg = &log;
	assert_int_equal(pgt_zap(&pt, base, 200 * SZ_4K, base, base + SZ_1G - 1, &gz), 0);
	assert_int_equal(log.n, 151);
	assert_int_equal(log.valid, 150);
	for (unsigned i = 0; i < 150; i++) {
		assert_int_equal(log.va[i], base + i * SZ_4K);
		assert_int_equal(arch_pte_addr(log.pte[i]), RAM_BASE + SZ_4K + i * SZ_4K);
	}
	assert_int_equal(log.va[150], base + 160 * SZ_4K);
	assert_true(arch_pte_is_swap(log.pte[150]));
	assert_int_equal(host_mmu.unflushed, 0);
	if (pt.user)
		assert_true(host_mmu.tlb_flushes - flushes <= 6); /* 3 batches + the freed tables' entries */
	assert_int_equal(host_pages_in_use(), pages_before); /* the gap's tables are gone */
	assert_int_equal(host_mmu.bbm_violations, 0);
}

/* A partial zap keeps a table that still maps something, frees one it emptied. */
static void zap_keeps_a_table_in_use(void **state)
{
	u64 base = va_at(SZ_1G), pages_before = host_pages_in_use();
	struct zap_log log = { 0 };
	struct pgt_gather gz = { .release = zap_release, .arg = &log };

	(void)state;
	pt.live = true;
	pt.user = !g->ttbr1;
	assert_int_equal(pgt_map(&pt, base, RAM_BASE + SZ_4K, 4 * SZ_4K, MMU_KERNEL_RW), 0);
	/* no gap: floor and ceiling are the range itself */
	assert_int_equal(pgt_zap(&pt, base, 2 * SZ_4K, base, base + 2 * SZ_4K - 1, &gz), 0);
	assert_int_equal(log.n, 2);
	assert_int_equal(pgt_query(&pt, base + 2 * SZ_4K, NULL, NULL, NULL), 0);
	assert_true(host_pages_in_use() > pages_before);
	assert_int_equal(pgt_zap(&pt, base + 2 * SZ_4K, 2 * SZ_4K, base + 2 * SZ_4K, base + 4 * SZ_4K - 1, &gz), 0);
	assert_int_equal(log.n, 4);
	assert_int_equal(host_pages_in_use(), pages_before); /* emptied: freed after a scan */
	assert_int_equal(pgt_zap(&pt, base, SZ_4K + 1, base, base, &gz), -EINVAL);
}

#include "page_leaf_case.h"

#define T(fn, i) cmocka_unit_test_prestate_setup_teardown(fn, setup, teardown, (void *)&geos[i])
#define ALL(i)                                                                                      \
	T(largest_leaves_are_chosen, i), T(misaligned_pa_forces_pages, i),                          \
	T(wx_attributes_reach_the_hardware_bits, i), T(protect_splits_blocks, i),                   \
	T(unmap_middle_and_free_tables, i), T(overlapping_map_is_refused_unchanged, i),             \
	T(bad_arguments, i), T(allocation_failure_rolls_back, i), T(randomised_against_model, i),     \
	T(swap_entry_round_trip, i), T(swap_entries_are_not_none, i), T(young_state_and_test_and_clear, i), \
	T(zap_flushes_before_release, i), T(zap_keeps_a_table_in_use, i)

int main(void)
{
	const struct CMUnitTest k48[] = { ALL(0) }, k39[] = { ALL(1) }, u48[] = { ALL(2) }, u39[] = { ALL(3) };
	int failed = 0;

	failed += cmocka_run_group_tests_name("pgtable kernel 48-bit 4-level", k48, NULL, NULL);
	failed += cmocka_run_group_tests_name("pgtable kernel 39-bit 3-level", k39, NULL, NULL);
	failed += cmocka_run_group_tests_name("pgtable user 48-bit 4-level", u48, NULL, NULL);
	failed += cmocka_run_group_tests_name("pgtable user 39-bit 3-level", u39, NULL, NULL);
	{
		const struct CMUnitTest enc[] = { cmocka_unit_test(page_leaf_from_template_is_the_encoders) };

		failed += cmocka_run_group_tests_name("pgtable page leaf encoding", enc, NULL, NULL);
	}
	return failed;
}
