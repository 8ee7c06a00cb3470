/*
 * ktest: on-target self-tests that print KTAP (the format of Linux's
 * KUnit), parsed by tools/qemu_ktap.py.
 *
 * A suite is a static table of cases placed in the .ktest.* section;
 * the runner finds every suite at boot when the command line (DTB
 * /chosen/bootargs) contains "ktest" (optionally "ktest=<suite>").
 *
 *   static void test_x(struct ktest *t) { KT_EXPECT_EQ(t, 1 + 1, 2); }
 *   static const struct ktest_case cases[] = { KTEST_CASE(test_x), {0} };
 *   KTEST_SUITE(mysuite, cases);
 *
 * KT_EXPECT_* records a failure and continues; KT_ASSERT_* also ends the
 * case. Every failure prints a "# file:line: ..." diagnostic line.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <types.h>

struct ktest {
	const char *name;
	int failures;
	const char *skip_reason;
};

struct ktest_case {
	const char *name;
	void (*fn)(struct ktest *t);
};

/* 8-byte aligned as a type, not only where KTEST_SUITE places it: the
 * runner steps through the section by sizeof (16 bytes with 32-bit
 * pointers, where aligned(8) on the object alone left 4-byte gaps) */
struct ktest_suite {
	const char *name;
	const struct ktest_case *cases; /* terminated by { 0 } */
	int (*init)(void);              /* optional; nonzero skips the suite */
} __aligned(8);

#define KTEST_CASE(fn) { #fn, fn }
#define KTEST_SUITE(sname, case_table)                                          \
	static const struct ktest_suite __ktest_##sname                         \
		__attribute__((used, section(".ktest." #sname), aligned(8))) = { \
			#sname, case_table, NULL }
#define KTEST_SUITE_INIT(sname, case_table, initfn)                             \
	static const struct ktest_suite __ktest_##sname                         \
		__attribute__((used, section(".ktest." #sname), aligned(8))) = { \
			#sname, case_table, initfn }

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...) __printf(4, 5);
void ktest_skip(struct ktest *t, const char *reason);

#define KT_EXPECT(t, cond)                                                          \
	({                                                                          \
		bool __ok = (cond);                                                 \
		if (!__ok)                                                          \
			ktest_fail(t, __FILE__, __LINE__, "expected %s", #cond);    \
		__ok;                                                               \
	})
#define KT_EXPECT_EQ(t, a, b)                                                              \
	({                                                                                 \
		u64 __a = (u64)(a), __b = (u64)(b);                                        \
		if (__a != __b)                                                            \
			ktest_fail(t, __FILE__, __LINE__, "%s == %s: 0x%llx != 0x%llx", #a, #b, \
				   (unsigned long long)__a, (unsigned long long)__b);      \
		__a == __b;                                                                \
	})
#define KT_ASSERT(t, cond)                \
	do {                              \
		if (!KT_EXPECT(t, cond))  \
			return;           \
	} while (0)
#define KT_ASSERT_EQ(t, a, b)                \
	do {                                 \
		if (!KT_EXPECT_EQ(t, a, b))  \
			return;              \
	} while (0)

/* Run the suites whose name matches filter (NULL: all). Prints KTAP and
 * returns the number of failed cases. */
int ktest_run_all(const char *filter);

#endif
