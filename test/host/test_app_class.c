/*
 * App classes and the low-memory killer's thresholds (kernel/app_class.c)
 * against tables written by hand: each class's oom_score_adj, the cached
 * ranking (the most recently cached app 900, older ones higher, capped
 * at 999), thresholds from percentages of RAM and which classes they make
 * eligible (foreground and below never).
 */
#include <host.h>
#include <kernel/app_class.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static void class_to_adj(void **state)
{
	static const struct { int cls; const char *name; int adj; } rows[] = {
		{ APP_CLASS_NATIVE, "native", -1000 },       { APP_CLASS_SYSTEM, "system", -900 },
		{ APP_CLASS_FOREGROUND, "foreground", 0 },   { APP_CLASS_VISIBLE, "visible", 100 },
		{ APP_CLASS_PERCEPTIBLE, "perceptible", 200 }, { APP_CLASS_SERVICE, "service", 500 },
		{ APP_CLASS_CACHED, "cached", 900 },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_true(app_class_valid(rows[i].cls));
		assert_string_equal(app_class_name(rows[i].cls), rows[i].name);
		assert_int_equal(app_class_adj(rows[i].cls, 0), rows[i].adj);
	}
	assert_false(app_class_valid(-1));
	assert_false(app_class_valid(NR_APP_CLASSES));
	assert_string_equal(app_class_name(NR_APP_CLASSES), "?");
	assert_int_equal(app_class_adj(APP_CLASS_SERVICE, 7), 500); /* the rank is for cached apps only */
	assert_int_equal(app_class_adj(APP_CLASS_CACHED, 1), 901);
	assert_int_equal(app_class_adj(APP_CLASS_CACHED, 99), 999);
	assert_int_equal(app_class_adj(APP_CLASS_CACHED, 5000), 999);
}

static void cached_ordering(void **state)
{
	const u64 seq[] = { 7, 3, 12, 5 }; /* cached in the order 3, 5, 7, 12 */
	int adj[4];
	u64 many[150];
	int many_adj[150];

	(void)state;
	app_class_cached_adjs(seq, 4, adj);
	assert_int_equal(adj[0], 901); /* one newer (12) */
	assert_int_equal(adj[1], 903); /* the oldest: killed first */
	assert_int_equal(adj[2], 900); /* the newest */
	assert_int_equal(adj[3], 902);
	for (unsigned i = 0; i < 150; i++)
		many[i] = i + 1;
	app_class_cached_adjs(many, 150, many_adj);
	assert_int_equal(many_adj[149], 900);
	assert_int_equal(many_adj[100], 949);
	assert_int_equal(many_adj[0], 999); /* 149 newer: capped */
	assert_int_equal(many_adj[49], 999);
	assert_int_equal(many_adj[50], 999); /* 99 newer */
	assert_int_equal(many_adj[51], 998);
}

static void minfree_eligibility(void **state)
{
	struct lmk_minfree m;

	(void)state;
	/* 512 MiB = 524288 kB at the defaults 2, 3, 4, 6 % */
	lmk_minfree_from_pct(&m, 524288, 2, 3, 4, 6);
	assert_int_equal(m.kb[APP_CLASS_VISIBLE], 10485);
	assert_int_equal(m.kb[APP_CLASS_PERCEPTIBLE], 15728);
	assert_int_equal(m.kb[APP_CLASS_SERVICE], 20971);
	assert_int_equal(m.kb[APP_CLASS_CACHED], 31457);
	assert_int_equal(m.kb[APP_CLASS_FOREGROUND], 0);
	assert_int_equal(lmk_minfree_max(&m), 31457);
	/* 25000 kB: cached and service eligible, perceptible and below not */
	assert_true(lmk_class_eligible(&m, APP_CLASS_CACHED, 25000));
	assert_false(lmk_class_eligible(&m, APP_CLASS_SERVICE, 25000));
	assert_true(lmk_class_eligible(&m, APP_CLASS_SERVICE, 20000));
	assert_false(lmk_class_eligible(&m, APP_CLASS_PERCEPTIBLE, 20000));
	assert_true(lmk_class_eligible(&m, APP_CLASS_VISIBLE, 0));
	assert_false(lmk_class_eligible(&m, APP_CLASS_CACHED, 31457)); /* below, not at */
	/* foreground and below: never, even with a threshold in the table */
	m.kb[APP_CLASS_FOREGROUND] = m.kb[APP_CLASS_SYSTEM] = m.kb[APP_CLASS_NATIVE] = 1u << 30;
	assert_false(lmk_class_eligible(&m, APP_CLASS_FOREGROUND, 0));
	assert_false(lmk_class_eligible(&m, APP_CLASS_SYSTEM, 0));
	assert_false(lmk_class_eligible(&m, APP_CLASS_NATIVE, 0));
	assert_false(lmk_class_eligible(&m, NR_APP_CLASSES, 0));
	assert_int_equal(lmk_minfree_max(&m), 31457);
	/* 128 MiB and 2 GiB: the percentages scale */
	lmk_minfree_from_pct(&m, 131072, 2, 3, 4, 6);
	assert_int_equal(m.kb[APP_CLASS_CACHED], 7864);
	lmk_minfree_from_pct(&m, 2097152, 2, 3, 4, 6);
	assert_int_equal(m.kb[APP_CLASS_CACHED], 125829);
	lmk_minfree_from_pct(&m, 524288, 0, 0, 0, 0);
	assert_false(lmk_class_eligible(&m, APP_CLASS_CACHED, 0)); /* 0 = never */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(class_to_adj),
		cmocka_unit_test(cached_ordering),
		cmocka_unit_test(minfree_eligibility),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
