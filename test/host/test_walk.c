/*
 * The long-descriptor walker (the tests' oracle), AArch64 and ARMv7-A
 * LPAE, against hand-made descriptors, so that it is checked independently
 * of the table builder.
 */
#include <arch/phys.h>
#include <arch/pte_bits.h>
#include <arch/walk.h>
#include <host.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define RAM 0x40000000ULL
static u64 *t0, *t1, *t2, *t3;
static phys_addr_t p0, p1, p2, p3;

static int setup(void **state)
{
	(void)state;
	host_phys_init(RAM, 64 * SZ_4K);
	p0 = host_page_alloc(NULL), p1 = host_page_alloc(NULL);
	p2 = host_page_alloc(NULL), p3 = host_page_alloc(NULL);
	t0 = phys_to_virt(p0), t1 = phys_to_virt(p1), t2 = phys_to_virt(p2), t3 = phys_to_virt(p3);
	/* 48-bit TTBR0: L0[0] -> L1, L1[1] -> L2, L2[0] -> L3 */
	t0[0] = p1 | PTE_TYPE_TABLE;
	t1[1] = p2 | PTE_TYPE_TABLE;
	t2[0] = p3 | PTE_TYPE_TABLE;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	host_phys_exit();
	return 0;
}

static void page_translates_with_offset(void **state)
{
	struct walk_result r;

	(void)state;
	t3[5] = 0x80005000ULL | PTE_TYPE_TABLE | PTE_AF | PTE_UXN;
	assert_true(arm64_walk(p0, 48, false, false, 0x40005123ULL, &r));
	assert_int_equal(r.level, 3);
	assert_int_equal(r.pa, 0x80005123ULL);
	assert_true(r.el1_write && r.el1_exec && !r.el0_read && !r.el0_exec);
}

static void block_at_level2_and_1(void **state)
{
	struct walk_result r;

	(void)state;
	t2[3] = 0x12345600000ULL /* 2 MiB aligned */ | PTE_TYPE_BLOCK | PTE_AF | PTE_AP_RDONLY;
	assert_true(arm64_walk(p0, 48, false, false, 0x40000000ULL + 3 * SZ_2M + 0x1234, &r));
	assert_int_equal(r.level, 2);
	assert_int_equal(r.pa, 0x12345600000ULL + 0x1234);
	assert_false(r.el1_write);
	t1[7] = (7 * SZ_1G) | PTE_TYPE_BLOCK | PTE_AF;
	assert_true(arm64_walk(p0, 48, false, false, 7 * SZ_1G + 0x3ffff000ULL, &r));
	assert_int_equal(r.level, 1);
	assert_int_equal(r.pa, 7 * SZ_1G + 0x3ffff000ULL);
}

static void invalid_and_reserved_encodings_fault(void **state)
{
	struct walk_result r;

	(void)state;
	assert_false(arm64_walk(p0, 48, false, false, 0x40000000ULL + 100 * SZ_4K, &r));
	assert_int_equal(r.fault_level, 3);
	assert_false(arm64_walk(p0, 48, false, false, 2 * SZ_1G, &r)); /* L1[2] empty */
	assert_int_equal(r.fault_level, 1);
	t0[1] = SZ_1G * 512 | PTE_TYPE_BLOCK | PTE_AF; /* a block at level 0 is reserved */
	assert_false(arm64_walk(p0, 48, false, false, 512 * SZ_1G, &r));
	assert_int_equal(r.fault_level, 0);
	t3[9] = 0x9000ULL | PTE_TYPE_BLOCK | PTE_AF; /* 0b01 at level 3 is reserved */
	assert_false(arm64_walk(p0, 48, false, false, 0x40009000ULL, &r));
	assert_int_equal(r.fault_level, 3);
}

static void access_flag_fault(void **state)
{
	struct walk_result r;

	(void)state;
	t3[6] = 0x6000ULL | PTE_TYPE_TABLE;
	assert_false(arm64_walk(p0, 48, false, false, 0x40006000ULL, &r));
	assert_true(r.access_flag);
}

static void hierarchical_and_wxn_permissions(void **state)
{
	struct walk_result r;

	(void)state;
	t3[7] = 0x7000ULL | PTE_TYPE_TABLE | PTE_AF | PTE_AP_EL0; /* EL0+EL1 RW, no XN */
	assert_true(arm64_walk(p0, 48, false, false, 0x40007000ULL, &r));
	assert_true(r.el0_write && r.el0_exec);
	assert_false(r.el1_exec); /* writable at EL0 implies PXN */
	assert_true(arm64_walk(p0, 48, false, true, 0x40007000ULL, &r));
	assert_false(r.el0_exec); /* WXN */
	t2[0] |= PTE_APTABLE_RDONLY | PTE_APTABLE_NOEL0 | PTE_UXNTABLE;
	assert_true(arm64_walk(p0, 48, false, false, 0x40007000ULL, &r));
	assert_false(r.el1_write || r.el0_read || r.el0_write || r.el0_exec);
	t2[0] &= ~(PTE_APTABLE_RDONLY | PTE_APTABLE_NOEL0 | PTE_UXNTABLE);
}

static void va_range_checks(void **state)
{
	struct walk_result r;

	(void)state;
	t3[5] = 0x5000ULL | PTE_TYPE_TABLE | PTE_AF;
	/* upper-range VA with TTBR0 and lower-range VA with TTBR1 both fault */
	assert_false(arm64_walk(p0, 48, false, false, 0xffff000040005000ULL, &r));
	assert_false(arm64_walk(p0, 48, true, false, 0x40005000ULL, &r));
	/* TTBR1: the same tables translate the upper-range alias */
	assert_true(arm64_walk(p0, 48, true, false, 0xffff000040005000ULL, &r));
	assert_int_equal(r.pa, 0x5000);
	/* a bit above va_bits set: non-canonical */
	assert_false(arm64_walk(p0, 48, false, false, (1ULL << 48) | 0x40005000ULL, &r));
}

static void three_level_39bit_walk(void **state)
{
	struct walk_result r;

	(void)state;
	/* 39 bits: the walk starts at level 1 with t1 as root */
	t3[5] = 0x5000ULL | PTE_TYPE_TABLE | PTE_AF;
	assert_true(arm64_walk(p1, 39, false, false, 0x40005000ULL, &r));
	assert_int_equal(r.level, 3);
	assert_int_equal(r.pa, 0x5000);
	assert_true(arm64_walk(p1, 39, true, false, 0xffffff8040005000ULL, &r));
	assert_false(arm64_walk(p1, 39, true, false, 0xffff000040005000ULL, &r));
}

/* ARMv7-A LPAE: a 32-bit VA space, 40-bit output, XN at both levels. */
static void lpae_ttbr1_starts_at_level2_in_the_top_gib(void **state)
{
	struct walk_result r;

	(void)state;
	/* TTBR1 with T1SZ=2: 0xC0000000.. is t2's space, indexed by VA[29:21] */
	t2[1] = 0xff00200000ULL /* 40-bit, 2 MiB aligned */ | PTE_TYPE_BLOCK | PTE_AF;
	assert_true(lpae_walk(p2, 30, true, false, false, 0xC0200000u + 0x1234, &r));
	assert_int_equal(r.level, 2);
	assert_int_equal(r.pa, 0xff00200000ULL + 0x1234);
	/* below 0xC0000000 is not TTBR1's */
	assert_false(lpae_walk(p2, 30, true, false, false, 0x80200000u, &r));
	/* TTBR0 with T0SZ=0: level 1, 4 entries; t1[1] covers 0x40000000.. */
	t3[5] = 0x5000ULL | PTE_TYPE_TABLE | PTE_AF;
	t2[0] = p3 | PTE_TYPE_TABLE;
	assert_true(lpae_walk(p1, 32, false, false, false, 0x40005010u, &r));
	assert_int_equal(r.level, 3);
	assert_int_equal(r.pa, 0x5010);
}

static void lpae_permissions(void **state)
{
	struct walk_result r;
	const u64 xn = 1ULL << 54, pxn = 1ULL << 53, xntable = 1ULL << 60;

	(void)state;
	/* PL0+PL1 read-write, no XN: unlike AArch64, no implied PXN */
	t3[7] = 0x7000ULL | PTE_TYPE_TABLE | PTE_AF | PTE_AP_EL0;
	assert_true(lpae_walk(p1, 32, false, false, false, 0x40007000u, &r));
	assert_true(r.el1_exec && r.el0_exec && r.el0_write);
	/* UWXN: PL0-writable implies PL1 XN; WXN: writable implies XN */
	assert_true(lpae_walk(p1, 32, false, false, true, 0x40007000u, &r));
	assert_true(!r.el1_exec && r.el0_exec);
	assert_true(lpae_walk(p1, 32, false, true, false, 0x40007000u, &r));
	assert_true(!r.el1_exec && !r.el0_exec);
	/* bit 54 is XN at both levels (AArch64's UXN spares EL1) */
	t3[7] = 0x7000ULL | PTE_TYPE_TABLE | PTE_AF | PTE_AP_RDONLY | xn;
	assert_true(lpae_walk(p1, 32, false, false, false, 0x40007000u, &r));
	assert_true(!r.el1_exec && !r.el0_exec);
	assert_true(arm64_walk(p0, 48, false, false, 0x40007000ULL, &r));
	assert_true(r.el1_exec);
	/* PL0 execution needs PL0 read; PXN spares PL0 */
	t3[7] = 0x7000ULL | PTE_TYPE_TABLE | PTE_AF | PTE_AP_RDONLY;
	assert_true(lpae_walk(p1, 32, false, false, false, 0x40007000u, &r));
	assert_true(r.el1_exec && !r.el0_exec);
	t3[7] |= PTE_AP_EL0 | pxn;
	assert_true(lpae_walk(p1, 32, false, false, false, 0x40007000u, &r));
	assert_true(!r.el1_exec && r.el0_exec);
	/* XNTable (AArch64's UXNTable) also bars PL1 */
	t3[7] &= ~pxn;
	t2[0] |= xntable;
	assert_true(lpae_walk(p1, 32, false, false, false, 0x40007000u, &r));
	assert_true(!r.el1_exec && !r.el0_exec);
	t2[0] &= ~xntable;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(page_translates_with_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(block_at_level2_and_1, setup, teardown),
		cmocka_unit_test_setup_teardown(invalid_and_reserved_encodings_fault, setup, teardown),
		cmocka_unit_test_setup_teardown(access_flag_fault, setup, teardown),
		cmocka_unit_test_setup_teardown(hierarchical_and_wxn_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(va_range_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(three_level_39bit_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(lpae_ttbr1_starts_at_level2_in_the_top_gib, setup, teardown),
		cmocka_unit_test_setup_teardown(lpae_permissions, setup, teardown),
	};

	return cmocka_run_group_tests_name("walk", tests, NULL, NULL);
}
