/*
 * The arithmetic of app classes and the low-memory killer's thresholds
 * (include/kernel/app_class.h): pure functions the host tests build alone
 * (test/host/test_app_class.c).
 */
#include <kernel/app_class.h>

static const struct {
	const char *name;
	int adj;
} classes[NR_APP_CLASSES] = {
	[APP_CLASS_NATIVE] = { "native", -1000 },
	[APP_CLASS_SYSTEM] = { "system", -900 },
	[APP_CLASS_FOREGROUND] = { "foreground", 0 },
	[APP_CLASS_VISIBLE] = { "visible", 100 },
	[APP_CLASS_PERCEPTIBLE] = { "perceptible", 200 },
	[APP_CLASS_SERVICE] = { "service", 500 },
	[APP_CLASS_CACHED] = { "cached", APP_CLASS_CACHED_MIN_ADJ },
};

bool app_class_valid(int cls) { return cls >= 0 && cls < NR_APP_CLASSES; }

const char *app_class_name(int cls) { return app_class_valid(cls) ? classes[cls].name : "?"; }

int app_class_adj(int cls, unsigned cached_rank)
{
	unsigned span = APP_CLASS_CACHED_MAX_ADJ - APP_CLASS_CACHED_MIN_ADJ;

	if (!app_class_valid(cls))
		return 0;
	if (cls != APP_CLASS_CACHED)
		return classes[cls].adj;
	return APP_CLASS_CACHED_MIN_ADJ + (int)(cached_rank < span ? cached_rank : span);
}

void app_class_cached_adjs(const u64 *seq, unsigned n, int *adj)
{
	for (unsigned i = 0; i < n; i++) {
		unsigned newer = 0;

		for (unsigned j = 0; j < n; j++)
			newer += seq[j] > seq[i];
		adj[i] = app_class_adj(APP_CLASS_CACHED, newer);
	}
}

void lmk_minfree_from_pct(struct lmk_minfree *m, u64 managed_kb, unsigned visible, unsigned perceptible,
			  unsigned service, unsigned cached)
{
	*m = (struct lmk_minfree){ 0 };
	m->kb[APP_CLASS_VISIBLE] = managed_kb * visible / 100;
	m->kb[APP_CLASS_PERCEPTIBLE] = managed_kb * perceptible / 100;
	m->kb[APP_CLASS_SERVICE] = managed_kb * service / 100;
	m->kb[APP_CLASS_CACHED] = managed_kb * cached / 100;
}

bool lmk_class_eligible(const struct lmk_minfree *m, int cls, u64 avail_kb)
{
	return app_class_valid(cls) && cls > APP_CLASS_FOREGROUND && avail_kb < m->kb[cls];
}

u64 lmk_minfree_max(const struct lmk_minfree *m)
{
	u64 max = 0;

	for (int c = APP_CLASS_FOREGROUND + 1; c < NR_APP_CLASSES; c++)
		if (m->kb[c] > max)
			max = m->kb[c];
	return max;
}
