/*
 * The OOM killer's arithmetic (include/kernel/oom.h), kept free of the
 * scheduler and mm so the host tests build it alone.
 */
#include <kernel/oom.h>

s64 oom_badness(const struct oom_usage *u, u64 totalpages)
{
	s64 points;

	if (u->unkillable || u->adj <= OOM_SCORE_ADJ_MIN)
		return OOM_BADNESS_UNKILLABLE;
	points = (s64)(u->rss_anon + u->rss_file + u->rss_shmem + u->swapents + u->pgtables);
	/* as Linux: adj *= totalpages / 1000 (the division first) */
	points += (s64)u->adj * (s64)(totalpages / 1000);
	return points;
}

unsigned oom_score(s64 badness, u64 totalpages)
{
	s64 points;

	if (badness == OOM_BADNESS_UNKILLABLE || !totalpages)
		return 0;
	points = (1000 + badness * 1000 / (s64)totalpages) * 2 / 3;
	if (points < 0)
		return 0;
	return points > 2000 ? 2000 : (unsigned)points;
}

int oom_score_adj_to_adj(int score_adj)
{
	if (score_adj == OOM_SCORE_ADJ_MAX)
		return OOM_ADJUST_MAX;
	return score_adj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX;
}

int oom_adj_to_score_adj(int adj)
{
	if (adj == OOM_ADJUST_MAX)
		return OOM_SCORE_ADJ_MAX;
	return adj * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
}

bool oom_panics(int panic_on_oom, bool memcg)
{
	return panic_on_oom == 2 || (panic_on_oom == 1 && !memcg);
}
