/*
 * Leak detection by sampling (kernel/leak.c, docs/budgets.md): a kernel
 * thread ("leakd") samples every app's USS and anon RSS each
 * CONFIG_LEAK_SAMPLE_MS (0 = off) and keeps the last LEAK_MAX_SAMPLES of
 * each. An app whose USS (or anon RSS) rose at each of its last
 * CONFIG_LEAK_SAMPLES samples (a strictly increasing run of that many
 * samples) becomes a leak suspect: one console line
 *
 *   leak suspect: pid N (name) USS grew NkB over N samples: a b c ... kB
 *
 * and it stays one until it exits. The OOM report names the suspects.
 * leak_sample_now() takes one sample of every app at once (the thread and
 * the tests call it), so tests never depend on timing.
 *
 * The series arithmetic (leak_series_*) is pure and host-tested.
 * Locking: one CPU, cooperative kernel (include/kernel/task.h): a sample
 * runs without scheduling and the apps it reads are stopped.
 */
#ifndef KERNEL_LEAK_H
#define KERNEL_LEAK_H

#include <types.h>

#define LEAK_MAX_SAMPLES 16 /* kept per app; CONFIG_LEAK_SAMPLES <= this */

/* The last samples of one quantity (kB), oldest first. */
struct leak_series {
	u64 kb[LEAK_MAX_SAMPLES];
	unsigned n;   /* samples kept (<= LEAK_MAX_SAMPLES) */
	unsigned run; /* length of the strictly increasing run ending at the last sample */
};

/* Append a sample (the oldest goes when full); returns the new run. Pure. */
unsigned leak_series_add(struct leak_series *s, u64 kb);
/* Whether the last `need` samples (need >= 2) rose at each step. Pure. */
bool leak_series_growing(const struct leak_series *s, unsigned need);
/* The last k samples, oldest first (k <= s->n). Pure. */
u64 leak_series_at(const struct leak_series *s, unsigned k, unsigned i);

/* Start the sampler thread if CONFIG_LEAK_SAMPLE_MS > 0. Boot, once:
 * 0 or -ENOMEM/-EAGAIN. */
int leak_init(void);
/* Sample every app now; returns how many became suspects. */
unsigned leak_sample_now(void);
/* The thread's interval (ms, 0..60000): 0 or -EINVAL. Starts the thread
 * if it was not running; 0 stops sampling, and stops the thread when the
 * caller is the task that started it. */
int leak_set_interval_ms(long ms);
unsigned leak_get_interval_ms(void);
/* Forget every app's samples and suspicion (tests). */
void leak_reset(void);

/* One app's record, for the printers. */
struct leak_app_info {
	int pid;
	const char *name;
	bool suspect;
	bool by_anon;           /* flagged on anon RSS (USS did not run) */
	const struct leak_series *uss, *anon;
	unsigned need;          /* samples in a suspect run */
};
/* The i-th tracked app (0..); false past the last. */
bool leak_app(unsigned i, struct leak_app_info *info);
/* Whether pid is a leak suspect now. */
bool leak_is_suspect(int pid);
/* The OOM report's line naming the suspects (nothing if none). */
void leak_print_suspects_oom(void);

/* Samples taken, suspects flagged so far. */
extern u64 leak_samples, leak_suspects_flagged;

#endif
