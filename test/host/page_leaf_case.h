/*
 * One host case for both descriptor widths (test_pgtable: AArch64's 48-bit
 * output; test_long_desc_lpae: ARMv7-A LPAE's 40-bit): the fault path's
 * page leaf (a template per attributes | pa) is exactly the encoder's, for
 * every attribute combination, first and later uses.
 */
#ifndef TEST_PAGE_LEAF_CASE_H
#define TEST_PAGE_LEAF_CASE_H

static void page_leaf_from_template_is_the_encoders(void **state)
{
	const phys_addr_t pas[] = { 0x40000000, 0x7ffff000, 0x80001000, PTE_ADDR_MASK };

	(void)state;
	for (int pass = 0; pass < 2; pass++)
		for (unsigned a = 0; a < 0x400; a++) {
			if (a & 0xe0)
				continue; /* no MMU_* bit there */
			for (unsigned i = 0; i < sizeof(pas) / sizeof(pas[0]); i++)
				assert_true(arch_pte_mk_page(pas[i], a) == arch_pte_mk_leaf(pas[i], PT_LEAF_LEVEL, a));
		}
}

#endif
