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

/* filter: empty (all), or names separated by commas: "a,b" runs a and b,
 * "-a,-b" every suite but a and b. */
static bool selected(const struct ktest_suite *s, const char *filter)
{
	size_t n = strlen(s->name);
	bool any_include = false, listed = false;

	if (!filter || !*filter)
		return true;
	for (const char *p = filter; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
		bool exclude = *p == '-';
		const char *name = p + exclude;
		size_t len = strcspn(name, ",");

		any_include |= !exclude;
		if (len == n && !strncmp(name, s->name, n)) {
			if (exclude)
				return false;
			listed = true;
		}
	}
	return listed || !any_include;
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
