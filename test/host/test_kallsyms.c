/*
 * kallsyms lookup (lib/kallsyms.c) on hand-made tables: the first and last
 * symbol, every byte of a symbol, the gaps between symbols, addresses
 * below the base, past the last symbol and (with 64-bit addresses) more
 * than 4 GiB above the base (raw address), aliases of one address, Linux's
 * "name+0xoff/0xsize" format and truncation, an empty table (the host
 * image's).
 */
#include <lib/kallsyms.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

/* the image's address in the kernel half: AArch64's, or a 32-bit one (3G/1G split) */
#define BASE (UINTPTR_MAX > UINT32_MAX ? 0xffff000040200000ULL : 0xc0200000ULL)

/* _start [0,0x94)  gap  vectors [0x100,0x900)  do_fault [0x900,0xaa0)  last [0x1000,0x1004) */
static const u32 offs[] = { 0x0, 0x100, 0x900, 0x1000 };
static const u32 sizes[] = { 0x94, 0x800, 0x1a0, 0x4 };
static const char names[] = "_start\0vectors\0do_fault\0last";
static const u32 name_offs[] = { 0, 7, 15, 24 };
static const struct ksym_table table = {
	.base = BASE, .count = 4, .names_size = sizeof(names), .offs = offs, .sizes = sizes,
	.name_offs = name_offs, .names = names,
};

static void expect_sym(uintptr_t addr, const char *name, u64 start, u64 size)
{
	struct ksym s;

	assert_true(ksym_table_lookup(&table, addr, &s));
	assert_string_equal(s.name, name);
	assert_int_equal(s.start, start);
	assert_int_equal(s.size, size);
}

static void first_and_last_symbols(void **state)
{
	(void)state;
	expect_sym(BASE, "_start", BASE, 0x94);
	expect_sym(BASE + 0x93, "_start", BASE, 0x94);
	expect_sym(BASE + 0x1000, "last", BASE + 0x1000, 4);
	expect_sym(BASE + 0x1003, "last", BASE + 0x1000, 4);
}

static void every_byte_of_a_symbol(void **state)
{
	(void)state;
	for (u64 a = 0x100; a < 0x900; a++)
		expect_sym(BASE + a, "vectors", BASE + 0x100, 0x800);
	for (u64 a = 0x900; a < 0xaa0; a++)
		expect_sym(BASE + a, "do_fault", BASE + 0x900, 0x1a0);
}

static void outside_every_symbol(void **state)
{
	struct ksym s;
	const uintptr_t miss[] = {
		BASE - 1, 0, BASE + 0x94, BASE + 0xff, BASE + 0xaa0, BASE + 0xfff,
		BASE + 0x1004, UINTPTR_MAX,
	};
	/* more than 4 GiB above the base: only a 64-bit address can be */
	const u64 far[] = { BASE + 0x100000000ULL, BASE + 0x100000000ULL + 0x900 };

	(void)state;
	for (unsigned i = 0; i < sizeof(miss) / sizeof(miss[0]); i++)
		assert_false(ksym_table_lookup(&table, miss[i], &s));
	for (unsigned i = 0; i < sizeof(far) / sizeof(far[0]) && far[i] <= UINTPTR_MAX; i++)
		assert_false(ksym_table_lookup(&table, (uintptr_t)far[i], &s));
}

static void linux_format(void **state)
{
	char buf[KSYM_BUF], raw[32];

	(void)state;
	assert_string_equal(ksym_table_sprint(&table, BASE + 0x934, buf, sizeof(buf)), "do_fault+0x34/0x1a0");
	assert_string_equal(ksym_table_sprint(&table, BASE, buf, sizeof(buf)), "_start+0x0/0x94");
	snprintf(raw, sizeof(raw), "0x%llx", BASE + 0x98); /* every digit, as Linux's %px */
	assert_string_equal(ksym_table_sprint(&table, BASE + 0x98, buf, sizeof(buf)), raw);
	assert_string_equal(ksym_table_sprint(&table, 0x1234, buf, sizeof(buf)), "0x1234");
	/* truncated, still terminated */
	assert_string_equal(ksym_table_sprint(&table, BASE + 0x934, buf, 9), "do_fault");
}

static void one_symbol_table(void **state)
{
	static const u32 o[] = { 0x10 }, sz[] = { 0x10 }, no[] = { 0 };
	const struct ksym_table one = { .base = BASE, .count = 1, .names_size = 5, .offs = o, .sizes = sz,
					.name_offs = no, .names = "only" };
	struct ksym s;

	(void)state;
	assert_false(ksym_table_lookup(&one, BASE + 0xf, &s));
	assert_true(ksym_table_lookup(&one, BASE + 0x10, &s));
	assert_string_equal(s.name, "only");
	assert_true(ksym_table_lookup(&one, BASE + 0x1f, &s));
	assert_false(ksym_table_lookup(&one, BASE + 0x20, &s));
}

static void empty_image_table_prints_raw(void **state)
{
	char buf[KSYM_BUF];
	struct ksym s;

	(void)state;
	/* host builds link platform/host/kallsyms.c: no symbols */
	assert_false(kallsyms_lookup((uintptr_t)&empty_image_table_prints_raw, &s));
	assert_string_equal(sprint_symbol(0x40201234, buf, sizeof(buf)), "0x40201234");
	assert_string_equal(sprint_symbol(UINTPTR_MAX, buf, sizeof(buf)),
			    UINTPTR_MAX > UINT32_MAX ? "0xffffffffffffffff" : "0xffffffff");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(first_and_last_symbols),
		cmocka_unit_test(every_byte_of_a_symbol),
		cmocka_unit_test(outside_every_symbol),
		cmocka_unit_test(linux_format),
		cmocka_unit_test(one_symbol_table),
		cmocka_unit_test(empty_image_table_prints_raw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
