/*
 * Leak detection's arithmetic (include/kernel/leak.h): the series of one
 * app's samples, kept free of tasks and mm so the host tests build it alone.
 */
#include <kernel/leak.h>
#include <string.h>

unsigned leak_series_add(struct leak_series *s, u64 kb)
{
	bool up = s->n && kb > s->kb[s->n - 1];

	if (s->n == LEAK_MAX_SAMPLES) {
		memmove(s->kb, s->kb + 1, (LEAK_MAX_SAMPLES - 1) * sizeof(s->kb[0]));
		s->n--;
	}
	s->kb[s->n++] = kb;
	s->run = up ? s->run + 1 : 1;
	return s->run;
}

bool leak_series_growing(const struct leak_series *s, unsigned need) { return need >= 2 && s->run >= need; }

u64 leak_series_at(const struct leak_series *s, unsigned k, unsigned i) { return s->kb[s->n - k + i]; }

