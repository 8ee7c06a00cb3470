/*
 * The OOM killer's arithmetic (kernel/oom_badness.c) against tables
 * computed by hand: Linux's oom_badness() (rss + swap entries + page-table
 * pages + oom_score_adj * (totalpages / 1000)), the 0..2000 oom_score of
 * /proc/<pid>/oom_score, the -1000 and kernel-thread exclusions, and the
 * legacy oom_adj mapping both ways.
 */
#include <host.h>
#include <kernel/oom.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#define TOTAL 196608ull /* 512 MiB of RAM + 256 MiB of swap slots; /1000 = 196 */

struct row {
	struct oom_usage u;
	s64 badness;
	unsigned score;
};

static const struct row rows[] = {
	/* anon file shmem swap pgt adj        badness                    score */
	{ { 1000, 200, 0, 300, 5, 0, false }, 1505, 671 },               /* (1000 + 1505000/196608 = 7) * 2/3 */
	{ { 1000, 200, 0, 300, 5, 1000, false }, 1505 + 196000, 1336 },  /* 197505000/196608 = 1004 */
	{ { 1000, 200, 0, 300, 5, -999, false }, 1505 - 195804, 8 },     /* -988 (C truncates toward 0): 12*2/3 */
	{ { 0, 0, 0, 4096, 0, 0, false }, 4096, 680 },                   /* swap entries alone: 20 -> 1020*2/3 */
	{ { 0, 0, 0, 0, 73, 0, false }, 73, 666 },                       /* page tables alone: 0 -> 1000*2/3 */
	{ { 0, 0, 512, 0, 0, 0, false }, 512, 668 },                     /* shmem counts: 2 -> 1002*2/3 */
	{ { 196608, 0, 0, 0, 0, 1000, false }, 392608, 1997 },           /* all of RAM, +1000: 1996 -> 2996*2/3 */
	{ { 0, 0, 0, 0, 0, -999, false }, -195804, 3 },                  /* -995 -> 5*2/3 */
};

static void badness_table(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		s64 b = oom_badness(&rows[i].u, TOTAL);

		assert_int_equal(b, rows[i].badness);
		assert_int_equal(oom_score(b, TOTAL), rows[i].score);
	}
}

static void never_chosen(void **state)
{
	struct oom_usage min = { 100000, 0, 0, 0, 0, OOM_SCORE_ADJ_MIN, false };
	struct oom_usage kthread = { 0, 0, 0, 0, 0, 1000, true };

	(void)state;
	assert_true(oom_badness(&min, TOTAL) == OOM_BADNESS_UNKILLABLE);
	assert_true(oom_badness(&kthread, TOTAL) == OOM_BADNESS_UNKILLABLE);
	assert_int_equal(oom_score(OOM_BADNESS_UNKILLABLE, TOTAL), 0);
}

/* Linux multiplies by totalpages / 1000: below 1000 pages adj counts 0. */
static void adj_scale_truncates_first(void **state)
{
	struct oom_usage u = { 10, 0, 0, 0, 0, 500, false };

	(void)state;
	assert_int_equal(oom_badness(&u, 999), 10);
	assert_int_equal(oom_badness(&u, 1999), 10 + 500);
	assert_int_equal(oom_score(oom_badness(&u, 1999), 1999), (1000 + 510 * 1000 / 1999) * 2 / 3);
}

/* The worst of several is the one with the highest badness; adj reorders. */
static void adj_changes_the_order(void **state)
{
	struct oom_usage big = { 20000, 0, 0, 0, 4, 0, false };
	struct oom_usage small = { 5000, 0, 0, 1000, 2, 0, false };

	(void)state;
	assert_true(oom_badness(&big, TOTAL) > oom_badness(&small, TOTAL));
	small.adj = 100; /* + 19600 */
	assert_true(oom_badness(&small, TOTAL) > oom_badness(&big, TOTAL));
	big.adj = -100;
	small.adj = 0;
	assert_true(oom_badness(&small, TOTAL) < oom_badness(&big, TOTAL) + 19600);
}

static void legacy_oom_adj(void **state)
{
	static const int pairs[][2] = { /* score_adj -> oom_adj */
		{ 1000, 15 }, { -1000, -17 }, { 0, 0 }, { 500, 8 }, { -500, -8 }, { 999, 16 },
	};
	static const int back[][2] = { /* oom_adj -> score_adj */
		{ 15, 1000 }, { -17, -1000 }, { 0, 0 }, { 8, 470 }, { -8, -470 }, { 1, 58 },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		assert_int_equal(oom_score_adj_to_adj(pairs[i][0]), pairs[i][1]);
	for (unsigned i = 0; i < sizeof(back) / sizeof(back[0]); i++)
		assert_int_equal(oom_adj_to_score_adj(back[i][0]), back[i][1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(badness_table),
		cmocka_unit_test(never_chosen),
		cmocka_unit_test(adj_scale_truncates_first),
		cmocka_unit_test(adj_changes_the_order),
		cmocka_unit_test(legacy_oom_adj),
	};

	return cmocka_run_group_tests_name("oom", tests, NULL, NULL);
}
