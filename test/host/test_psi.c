/*
 * PSI's arithmetic (kernel/psi_avg.c) against values computed by hand:
 * the stall totals, one averaging step (Linux's calc_load rounding), a
 * constant 50% stall converging to exactly 50.00 in all three windows,
 * and a step from 100% to 0 decaying as 100 * e^(-t/W).
 */
#include <host.h>
#include <kernel/psi.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>

#define S 1000000000ull
#define P PSI_PERIOD_NS

static double pct(u64 avg) { return (double)avg / PSI_FIXED_1; }

static double fabs(double x) { return x < 0 ? -x : x; }

static const char *fmt(u64 avg)
{
	static char buf[24];

	psi_avg_format(avg, buf, sizeof(buf));
	return buf;
}

/* on for on_ns at the start of each of n periods from *t, folding after each. */
static void run(struct psi_group *g, u64 *t, unsigned n, u64 on_ns)
{
	for (unsigned i = 0; i < n; i++) {
		if (on_ns) {
			psi_state_set(g, PSI_SOME, true, *t);
			psi_state_set(g, PSI_SOME, false, *t + on_ns);
		}
		*t += P;
		psi_update_avgs(g, *t);
	}
}

static void totals(void **state)
{
	struct psi_group g;

	(void)state;
	psi_group_init(&g, 0);
	psi_state_set(&g, PSI_SOME, true, 100);
	psi_state_set(&g, PSI_SOME, true, 150); /* already on: no new stretch */
	assert_int_equal(psi_state_total(&g, PSI_SOME, 400), 300); /* the stretch in progress counts */
	psi_state_set(&g, PSI_SOME, false, 1100);
	psi_state_set(&g, PSI_FULL, true, 2000);
	psi_state_set(&g, PSI_FULL, false, 2500);
	psi_state_set(&g, PSI_SOME, true, 3000);
	psi_state_set(&g, PSI_SOME, false, 3010);
	assert_int_equal(psi_state_total(&g, PSI_SOME, 9999), 1010);
	assert_int_equal(psi_state_total(&g, PSI_FULL, 9999), 500);
}

static void one_step(void **state)
{
	struct psi_group g;
	u64 t = 0;

	(void)state;
	/* 100% for one period from 0: (0 * 1677 + 204800 * 371 + 2047) / 2048 = 37100 = 18.11% */
	assert_int_equal(psi_calc_avg(0, psi_exp[0], 100 * PSI_FIXED_1), 37100);
	psi_group_init(&g, 0);
	run(&g, &t, 1, P);
	assert_int_equal(g.s[PSI_SOME].avg[0], 37100);
	assert_string_equal(fmt(g.s[PSI_SOME].avg[0]), "18.11");
	/* 60 s: 204800 * 67 / 2048 = 6700 = 3.27%; 300 s: 204800 * 14 / 2048 = 1400 = 0.68% */
	assert_int_equal(g.s[PSI_SOME].avg[1], 6700);
	assert_int_equal(g.s[PSI_SOME].avg[2], 1400);
	assert_string_equal(fmt(g.s[PSI_FULL].avg[0]), "0.00");
	/* no update within a period */
	psi_update_avgs(&g, t + P - 1);
	assert_int_equal(g.s[PSI_SOME].avg[0], 37100);
}

static void constant_half_converges(void **state)
{
	struct psi_group g;
	u64 t = 0;

	(void)state;
	psi_group_init(&g, 0);
	run(&g, &t, 30, P / 2); /* 60 s: avg10 within 0.25% of 50 (e^-6), avg300 at 1 - e^-0.2 */
	assert_true(fabs(pct(g.s[PSI_SOME].avg[0]) - 50.0) < 0.25);
	/* 50 (1 - e^-0.2) = 9.06; 2034/2048 is e^-(2/291): 9.30 */
	assert_true(fabs(pct(g.s[PSI_SOME].avg[2]) - 9.06) < 0.3);
	run(&g, &t, 2000, P / 2); /* 4060 s: exactly 50 in every window (rounding up while rising) */
	assert_string_equal(fmt(g.s[PSI_SOME].avg[0]), "50.00");
	assert_string_equal(fmt(g.s[PSI_SOME].avg[1]), "50.00");
	assert_string_equal(fmt(g.s[PSI_SOME].avg[2]), "50.00");
	assert_int_equal(psi_state_total(&g, PSI_SOME, t) / S, 2030 * 1); /* 2030 periods x 1 s */
}

static void step_decays(void **state)
{
	struct psi_group g;
	u64 t = 0;

	(void)state;
	psi_group_init(&g, 0);
	run(&g, &t, 3000, P); /* fully stalled for 6000 s */
	assert_string_equal(fmt(g.s[PSI_SOME].avg[0]), "100.00");
	assert_string_equal(fmt(g.s[PSI_SOME].avg[2]), "100.00");
	run(&g, &t, 5, 0); /* 10 s idle: 100 e^-1 = 36.79, 100 e^-(10/60) = 84.65, 100 e^-(10/300) = 96.72 */
	assert_true(fabs(pct(g.s[PSI_SOME].avg[0]) - 36.79) < 0.1);
	assert_true(fabs(pct(g.s[PSI_SOME].avg[1]) - 84.65) < 0.1);
	assert_true(fabs(pct(g.s[PSI_SOME].avg[2]) - 96.72) < 0.1);
	/* 10 more seconds in one late update (4 missed periods decay as zeros): 100 e^-2 = 13.53 */
	t += 5 * P;
	psi_update_avgs(&g, t);
	assert_true(fabs(pct(g.s[PSI_SOME].avg[0]) - 13.53) < 0.1);
	assert_true(fabs(pct(g.s[PSI_SOME].avg[1]) - 71.65) < 0.1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(totals),
		cmocka_unit_test(one_step),
		cmocka_unit_test(constant_half_converges),
		cmocka_unit_test(step_decays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
