/*
 * Leak detection's series on synthetic samples (kernel/leak_series.c):
 * monotonic growth is flagged after exactly N samples, flat and saw-tooth
 * series never are, N-1 rising samples are not enough, and the ring keeps
 * the last LEAK_MAX_SAMPLES in order.
 */
#include <kernel/leak.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#define N 5

static bool feed(struct leak_series *s, const u64 *kb, unsigned n)
{
	bool flagged = false;

	for (unsigned i = 0; i < n; i++) {
		leak_series_add(s, kb[i]);
		flagged = leak_series_growing(s, N);
	}
	return flagged;
}

static void monotonic(void **state)
{
	struct leak_series s = { 0 };
	const u64 kb[] = { 100, 164, 228, 292, 356 };

	(void)state;
	for (unsigned i = 0; i < N; i++) {
		leak_series_add(&s, kb[i]);
		assert_int_equal(leak_series_growing(&s, N), i == N - 1);
	}
	assert_int_equal(s.run, N);
	for (unsigned i = 0; i < N; i++)
		assert_int_equal(leak_series_at(&s, N, i), kb[i]);
}

static void flat(void **state)
{
	struct leak_series s = { 0 };
	const u64 kb[] = { 100, 100, 100, 100, 100, 100, 100, 100 };

	(void)state;
	assert_false(feed(&s, kb, 8));
	assert_int_equal(s.run, 1);
}

static void saw_tooth(void **state)
{
	struct leak_series s = { 0 };
	const u64 kb[] = { 100, 200, 300, 400, 100, 200, 300, 400, 100, 200, 300, 400 };

	(void)state;
	assert_false(feed(&s, kb, 12)); /* grows 3 times, then drops: never 5 in a row */
}

static void n_minus_one_rising_samples(void **state)
{
	struct leak_series s = { 0 };
	const u64 kb[] = { 500, 100, 200, 300, 400 }; /* 4 rising samples (3 growths) */
	const u64 more[] = { 500 };

	(void)state;
	assert_false(feed(&s, kb, 5));
	assert_true(feed(&s, more, 1)); /* the 5th rising sample */
	/* a flat sample ends the run */
	leak_series_add(&s, 500);
	assert_false(leak_series_growing(&s, N));
}

static void ring_keeps_last(void **state)
{
	struct leak_series s = { 0 };

	(void)state;
	for (u64 i = 1; i <= 40; i++)
		leak_series_add(&s, i * 4);
	assert_int_equal(s.n, LEAK_MAX_SAMPLES);
	assert_int_equal(s.run, 40);
	assert_int_equal(leak_series_at(&s, LEAK_MAX_SAMPLES, 0), (40 - LEAK_MAX_SAMPLES + 1) * 4);
	assert_int_equal(leak_series_at(&s, 3, 2), 160);
	assert_false(leak_series_growing(&s, 1)); /* a run of one sample is no growth */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(monotonic),
		cmocka_unit_test(flat),
		cmocka_unit_test(saw_tooth),
		cmocka_unit_test(n_minus_one_rising_samples),
		cmocka_unit_test(ring_keeps_last),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
