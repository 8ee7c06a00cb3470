/*
 * The arithmetic of pressure stall information (include/kernel/psi.h):
 * time in a state, and Linux's exponential averages. Pure; the host test
 * (test/host/test_psi.c) builds it alone.
 *
 * Averages, as Linux's kernel/sched/psi.c and the load average: every
 * period of 2 s, pct = 100 * stalled time / elapsed time, and for each
 * window W in 10, 60, 300 s
 *
 *   avg = avg * e + pct * (1 - e),   e = exp(-2 s / W)
 *
 * in fixed point with 11 fraction bits (1.0 = 2048): e = 1677, 1981, 2034
 * (2048 * exp(-0.2), exp(-1/30), exp(-1/150)). Rising, the result rounds
 * up, so a constant input is reached exactly; periods that went by
 * without an update count as 0%.
 */
#include <kernel/psi.h>

const u64 psi_exp[3] = { 1677, 1981, 2034 };

void psi_group_init(struct psi_group *g, u64 now_ns)
{
	*g = (struct psi_group){ .last_update_ns = now_ns };
}

u64 psi_state_total(const struct psi_group *g, enum psi_res st, u64 now_ns)
{
	const struct psi_state *s = &g->s[st];

	return s->total_ns + (s->on && now_ns > s->since_ns ? now_ns - s->since_ns : 0);
}

void psi_state_set(struct psi_group *g, enum psi_res st, bool on, u64 now_ns)
{
	struct psi_state *s = &g->s[st];

	if (s->on == on)
		return;
	if (on)
		s->since_ns = now_ns;
	else
		s->total_ns = psi_state_total(g, st, now_ns);
	s->on = on;
}

u64 psi_calc_avg(u64 avg, u64 e, u64 pct_fixed)
{
	u64 v = avg * e + pct_fixed * (PSI_FIXED_1 - e);

	if (pct_fixed >= avg)
		v += PSI_FIXED_1 - 1;
	return v / PSI_FIXED_1;
}

void psi_update_avgs(struct psi_group *g, u64 now_ns)
{
	u64 elapsed = now_ns > g->last_update_ns ? now_ns - g->last_update_ns : 0;
	u64 periods = elapsed / PSI_PERIOD_NS;

	if (!periods)
		return;
	for (int st = 0; st < NR_PSI_STATES; st++) {
		struct psi_state *s = &g->s[st];
		u64 total = psi_state_total(g, st, now_ns);
		u64 stalled = total - s->period_ns, pct;

		s->period_ns = total;
		/* percent in fixed point (Linux truncates to whole percent first) */
		pct = (stalled < elapsed ? stalled : elapsed) * 100 * PSI_FIXED_1 / elapsed;
		for (int w = 0; w < 3; w++) {
			for (u64 m = 1; m < periods; m++)
				s->avg[w] = psi_calc_avg(s->avg[w], psi_exp[w], 0);
			s->avg[w] = psi_calc_avg(s->avg[w], psi_exp[w], pct);
		}
	}
	g->last_update_ns = now_ns;
}

void psi_avg_format(u64 avg, char *buf, size_t size)
{
	snprintf(buf, size, "%llu.%02llu", (unsigned long long)(avg >> PSI_FSHIFT),
		 (unsigned long long)(((avg & (PSI_FIXED_1 - 1)) * 100) >> PSI_FSHIFT));
}
