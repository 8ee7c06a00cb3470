/* ESR_EL1 decoding (platform/aarch64/esr.c) used by every crash report. */
#include <arch/esr.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static void class_names(void **state)
{
	(void)state;
	assert_string_equal(esr_class_name(0x96000045), "DABT (current EL)");
	assert_string_equal(esr_class_name(0x86000005), "IABT (current EL)");
	assert_string_equal(esr_class_name(0x56000000), "SVC (AArch64)");
	assert_string_equal(esr_class_name(0x02000000), "Unknown/uncategorized");
	assert_string_equal(esr_class_name(0x3fULL << 26), "Reserved/unhandled class");
}

static void abort_fault_types_and_levels(void **state)
{
	int level;

	(void)state;
	assert_int_equal(esr_fault_type(0x96000004, &level), FAULT_TRANSLATION); /* DFSC 0b000100 */
	assert_int_equal(level, 0);
	assert_int_equal(esr_fault_type(0x96000047, &level), FAULT_TRANSLATION);
	assert_int_equal(level, 3);
	assert_int_equal(esr_fault_type(0x9600004f, &level), FAULT_PERMISSION);
	assert_int_equal(level, 3);
	assert_int_equal(esr_fault_type(0x8600000d, &level), FAULT_PERMISSION);
	assert_int_equal(level, 1);
	assert_int_equal(esr_fault_type(0x9600000a, &level), FAULT_ACCESS_FLAG);
	assert_int_equal(level, 2);
	assert_int_equal(esr_fault_type(0x96000021, &level), FAULT_ALIGNMENT);
	assert_int_equal(level, -1);
	assert_int_equal(esr_fault_type(0x56000000, &level), FAULT_OTHER); /* not an abort */
}

static void write_bit_only_for_data_aborts(void **state)
{
	(void)state;
	assert_true(esr_is_write(0x9600004f));
	assert_false(esr_is_write(0x9600000f));
	assert_false(esr_is_write(0x8600004f)); /* IABT: bit 6 means nothing */
}

static void descriptions(void **state)
{
	char buf[96];

	(void)state;
	esr_describe(0x9600004f, buf, sizeof(buf));
	assert_string_equal(buf, "write, permission fault, level 3");
	esr_describe(0x86000005, buf, sizeof(buf));
	assert_string_equal(buf, "instruction fetch, translation fault, level 1");
	esr_describe(0x92000010, buf, sizeof(buf)); /* DABT lower EL, external abort */
	assert_string_equal(buf, "read, synchronous external abort");
	esr_describe(0x56000123, buf, sizeof(buf));
	assert_string_equal(buf, "imm16=0x123");
	esr_describe(0x02000000, buf, sizeof(buf));
	assert_string_equal(buf, "ISS=0x0000000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(class_names),
		cmocka_unit_test(abort_fault_types_and_levels),
		cmocka_unit_test(write_bit_only_for_data_aborts),
		cmocka_unit_test(descriptions),
	};

	return cmocka_run_group_tests_name("esr", tests, NULL, NULL);
}
