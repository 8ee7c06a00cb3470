/*
 * platform/common/long_desc.c with ARMv7-A LPAE's descriptor width (built
 * with -include platform/armv7a/include/arch/pte_bits.h, so PTE_OA_BITS is
 * 40): the bits ARMv7-A's MMU reads for each MMU_* attribute, and output
 * addresses cut at bit 39 where AArch64's go to bit 47.
 */
#include <arch/mmu.h>
#include <arch/pte_bits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define XN BIT(54)
#define PXN BIT(53)

static void address_is_40_bits(void **state)
{
	(void)state;
	assert_int_equal(PTE_OA_BITS, 40);
	assert_true(PTE_ADDR_MASK == 0xfffffff000ULL);
	/* the top of the 40-bit physical space round-trips, bit 40 does not exist */
	assert_true(arch_pte_addr(arch_pte_mk_leaf(0xfffffff000ULL, 3, MMU_KERNEL_RW)) == 0xfffffff000ULL);
	assert_true(arch_pte_addr(arch_pte_mk_table((1ULL << 40) | 0x5000)) == 0x5000);
	assert_true(arch_pte_addr(arch_pte_mk_leaf(0x100000000ULL, 2, MMU_KERNEL_RW)) == 0x100000000ULL); /* highmem above 4 GiB */
}

static void lpae_bits_for_each_attribute(void **state)
{
	pte_t rw = arch_pte_mk_leaf(0x40000000, 3, MMU_KERNEL_RW);
	pte_t rx = arch_pte_mk_leaf(0x40200000, 2, MMU_KERNEL_RX);
	pte_t urx = arch_pte_mk_leaf(0x80000000, 3, MMU_READ | MMU_EXEC | MMU_USER | MMU_NG);
	pte_t io = arch_pte_mk_leaf(0x09000000, 3, MMU_KERNEL_IO);

	(void)state;
	assert_true((rw & 3) == 3 && (rx & 3) == 1);        /* page at level 3, block at level 2 */
	assert_true((rw & XN) && (rw & PXN));                /* data: never executed */
	assert_true(!(rx & XN) && !(rx & PXN) && (rx & BIT(7))); /* kernel text: PL1 executes, read-only */
	assert_true((urx & PXN) && !(urx & XN) && (urx & BIT(6)) && (urx & BIT(11))); /* PL0 code, nG */
	assert_true((rw & BIT(10)) && ((rw >> 8) & 3) == 3); /* AF, inner shareable */
	assert_true(((io >> 2) & 7) == MAIR_IDX_DEVICE && ((io >> 8) & 3) == 0);
	assert_int_equal(arch_pte_attrs(urx), MMU_READ | MMU_EXEC | MMU_USER | MMU_NG);
}

#include "page_leaf_case.h"

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(address_is_40_bits),
		cmocka_unit_test(lpae_bits_for_each_attribute),
		cmocka_unit_test(page_leaf_from_template_is_the_encoders),
	};

	return cmocka_run_group_tests_name("long_desc_lpae", tests, NULL, NULL);
}
