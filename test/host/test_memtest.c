/*
 * memtest (kernel/memtest.c) on the host page allocator (mm_fixture): a
 * clean run passes every pattern; a word damaged between a pattern's
 * write and verify passes (memtest_test_hook) is reported at its physical
 * address under that pattern only; sizes beyond free memory give -ENOMEM;
 * free memory afterwards equals free memory before in every case.
 */
#include <kernel/shell.h>
#include <lib/errno.h>
#include <mm/page_alloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm_fixture.h"

bool shell_interrupted(void) { return false; }

static char *out;
static size_t outlen;

static int setup(void **state)
{
	(void)state;
	fix_mm_setup(false, false);
	memtest_test_hook = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fix_mm_teardown();
	free(out);
	out = NULL;
	return 0;
}

static int run(u64 size)
{
	FILE *f;
	int rc;

	free(out);
	out = NULL;
	f = open_memstream(&out, &outlen);
	rc = memtest_run(f, size);
	fclose(f);
	return rc;
}

static void clean_run_passes(void **state)
{
	u64 before = nr_free_pages();

	(void)state;
	assert_int_equal(run(4 << 20), 0);
	assert_non_null(strstr(out, "memtest: 4096 kB passed"));
	assert_null(strstr(out, "FAILED"));
	assert_int_equal(nr_free_pages(), before);
}

static unsigned damage_pattern;
static phys_addr_t damaged_pa;

static void flip_bit(unsigned pattern, void *va, phys_addr_t pa)
{
	if (pattern != damage_pattern)
		return;
	((volatile u64 *)va)[5] ^= 1ULL << 3;
	damaged_pa = pa + 5 * 8;
}

static void damaged_word_is_reported(void **state)
{
	u64 before = nr_free_pages();
	char want[96];

	(void)state;
	for (damage_pattern = 0; damage_pattern < 7; damage_pattern++) {
		memtest_test_hook = flip_bit;
		assert_int_equal(run(1 << 20), 1);
		snprintf(want, sizeof(want), "memtest: bad word at [mem %#011llx]", (unsigned long long)damaged_pa);
		assert_non_null(strstr(out, want));
		assert_non_null(strstr(out, "memtest: 1 bad words"));
		/* only the damaged pattern fails */
		assert_int_equal(strstr(out, "FAILED") != NULL, 1);
		assert_null(strstr(strstr(out, "FAILED") + 1, "FAILED"));
		assert_int_equal(nr_free_pages(), before);
	}
}

static void too_big_is_enomem(void **state)
{
	u64 before = nr_free_pages();

	(void)state;
	assert_int_equal(run(FIX_RAM_SIZE * 2), -ENOMEM);
	assert_int_equal(nr_free_pages(), before);
}

/* With a HighMem zone the blocks come from it first (user pages' zone),
 * reached through kmap_local: phys_to_virt of a highmem address asserts
 * on the fixture, so a linear-map touch fails this test. */
static void highmem_is_tested_too(void **state)
{
	phys_addr_t high_start;
	u64 before;
	char want[96];

	(void)state;
	fix_mm_teardown();
	fix_highmem_bytes = 64ULL << 20;
	fix_mm_setup(false, false);
	high_start = pfn_to_phys(zones[ZONE_HIGHMEM].start_pfn);
	before = nr_free_pages();
	assert_int_equal(run(4 << 20), 0);
	assert_non_null(strstr(out, "memtest: 4096 kB passed"));
	damage_pattern = 2;
	memtest_test_hook = flip_bit;
	assert_int_equal(run(1 << 20), 1);
	assert_true(damaged_pa >= high_start);
	snprintf(want, sizeof(want), "memtest: bad word at [mem %#011llx]", (unsigned long long)damaged_pa);
	assert_non_null(strstr(out, want));
	assert_int_equal(nr_free_pages(), before);
	fix_mm_teardown();
	fix_highmem_bytes = 0;
	fix_mm_setup(false, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(clean_run_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(damaged_word_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(too_big_is_enomem, setup, teardown),
		cmocka_unit_test_setup_teardown(highmem_is_tested_too, setup, teardown),
	};

	return cmocka_run_group_tests_name("memtest", tests, NULL, NULL);
}
