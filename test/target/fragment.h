/*
 * A fragmented zone for the compaction tests and benchmark
 * (test/target/fragment.c): a fence (kernel/memfence.c) takes every free
 * page and gives back whole 4 MiB blocks of the highest zone; memverify
 * (apps/memverify.c, mode "holes,wait") fills them with known data and
 * gives every other page back. That zone's free memory is then single
 * pages between the app's.
 */
#ifndef TEST_TARGET_FRAGMENT_H
#define TEST_TARGET_FRAGMENT_H

#include <kernel/memfence.h>
#include <mm/mmzone.h>

struct fragmented {
	struct memfence fence;
	struct zone *zone;         /* the highest populated zone */
	int pid;                   /* memverify's */
	u64 region, pages, flag;   /* its region, its page count, its flag word */
};

/* Fragment with about given pages for the app (seed: its data's). out is
 * the buffer syscall_capture() fills (the app's output is read from it).
 * NULL, or why it failed (nothing left held). */
const char *fragment_zone(struct fragmented *f, u64 given, unsigned seed, const char *out);
/* Let the app verify its pages and exit, take the fence down: the app's
 * exit status (0: every byte intact), or -1 if it did not exit. */
int unfragment_zone(struct fragmented *f);
/* Free blocks of order 9 in z (a larger one counts as several). */
u64 order9_blocks(const struct zone *z);

#endif
