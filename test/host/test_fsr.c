/* ARMv7-A long-descriptor DFSR/IFSR decoding (platform/armv7a/fsr.c), used
 * by its crash report and app fault path. */
#include <arch/fsr.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static void fault_types_and_levels(void **state)
{
	int level;

	(void)state;
	assert_int_equal(fsr_fault_type(0x206, &level), FAULT_TRANSLATION); /* LPAE | 0b000110 */
	assert_int_equal(level, 2);
	assert_int_equal(fsr_fault_type(0x205, &level), FAULT_TRANSLATION);
	assert_int_equal(level, 1);
	assert_int_equal(fsr_fault_type(0xa0f, &level), FAULT_PERMISSION); /* WnR | LPAE | 0b001111 */
	assert_int_equal(level, 3);
	assert_int_equal(fsr_fault_type(0x20b, &level), FAULT_ACCESS_FLAG);
	assert_int_equal(level, 3);
	assert_int_equal(fsr_fault_type(0x221, &level), FAULT_ALIGNMENT);
	assert_int_equal(level, -1);
	assert_int_equal(fsr_fault_type(0x210, &level), FAULT_OTHER); /* synchronous external abort */
	assert_int_equal(level, -1);
}

static void write_bit(void **state)
{
	(void)state;
	assert_true(fsr_is_write(0xa0f));
	assert_false(fsr_is_write(0x20f));
	assert_false(fsr_is_write(0x2a0f)); /* cache maintenance (CM) sets WnR: not a write */
}

static void descriptions(void **state)
{
	char buf[96];

	(void)state;
	fsr_describe(0xa0f, true, buf, sizeof(buf));
	assert_string_equal(buf, "write, permission fault, level 3");
	fsr_describe(0x206, true, buf, sizeof(buf));
	assert_string_equal(buf, "read, translation fault, level 2");
	fsr_describe(0x20b, false, buf, sizeof(buf));
	assert_string_equal(buf, "instruction fetch, access flag fault, level 3");
	fsr_describe(0x210, true, buf, sizeof(buf));
	assert_string_equal(buf, "read, synchronous external abort");
	fsr_describe(0x221, true, buf, sizeof(buf));
	assert_string_equal(buf, "read, alignment fault");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fault_types_and_levels),
		cmocka_unit_test(write_bit),
		cmocka_unit_test(descriptions),
	};

	return cmocka_run_group_tests_name("fsr", tests, NULL, NULL);
}
