/*
 * The ktest runner: walks the .ktest.* section (sorted by name by the
 * linker script) and prints KTAP version 1, suites as subtests:
 *
 *   KTAP version 1
 *   1..2
 *       KTAP version 1
 *       # Subtest: pgtable
 *       1..3
 *       ok 1 test_map_blocks
 *       ...
 *   ok 1 pgtable
 */
#include <kernel/ktest.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

extern const struct ktest_suite __ktest_start[], __ktest_end[];

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t->failures++;
	printf("    # %s: %s:%d: ", t->name, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void ktest_skip(struct ktest *t, const char *reason) { t->skip_reason = reason; }

static bool selected(const struct ktest_suite *s, const char *filter)
{
	return !filter || !*filter || !strcmp(filter, s->name);
}

int ktest_run_all(const char *filter)
{
	int nsuites = 0, idx = 0, failed_cases = 0;

	for (const struct ktest_suite *s = __ktest_start; s < __ktest_end; s++)
		nsuites += selected(s, filter);
	printf("KTAP version 1\n1..%d\n", nsuites);
	for (const struct ktest_suite *s = __ktest_start; s < __ktest_end; s++) {
		int ncases = 0, suite_failed = 0;

		if (!selected(s, filter))
			continue;
		idx++;
		for (const struct ktest_case *c = s->cases; c->name; c++)
			ncases++;
		printf("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", s->name, ncases);
		if (s->init && s->init()) {
			for (int i = 0; i < ncases; i++)
				printf("    ok %d %s # SKIP suite init failed\n", i + 1, s->cases[i].name);
			printf("ok %d %s # SKIP suite init failed\n", idx, s->name);
			continue;
		}
		for (int i = 0; i < ncases; i++) {
			struct ktest t = { .name = s->cases[i].name };

			s->cases[i].fn(&t);
			if (t.failures) {
				printf("    not ok %d %s\n", i + 1, t.name);
				suite_failed++;
			} else if (t.skip_reason) {
				printf("    ok %d %s # SKIP %s\n", i + 1, t.name, t.skip_reason);
			} else {
				printf("    ok %d %s\n", i + 1, t.name);
			}
		}
		failed_cases += suite_failed;
		printf("%s %d %s\n", suite_failed ? "not ok" : "ok", idx, s->name);
	}
	return failed_cases;
}
