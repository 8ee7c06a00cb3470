/*
 * thrash PAGES [ROUNDS]: more anonymous memory than there is RAM, filled
 * and read back. The kernel harness passes PAGES (150% of MemAvailable
 * for issue 11's benchmark: apps cannot read /proc yet). Page i of the
 * region holds the semi-compressible pattern of page i + r * PAGES in
 * round r (include/uapi/pagoda/page_pattern.h), so every round writes new
 * data; each round fills every page, then re-reads and verifies every
 * word, both timed with the virtual counter (under -icount shift=0,
 * 1 ns = 1 instruction):
 *
 *   "thrash: round R fill N pages: T ns"
 *   "thrash: round R verify N pages: T ns, B bad words"
 *
 * With "step" as ROUNDS' suffix (e.g. "1step") it prints
 * "thrash: filled flag=<hex>" after each fill and waits until the kernel
 * sets the flag word to the round number, so that the kernel can read its
 * counters between the phases. Exit status 0 when every word came back, 1
 * otherwise, 2 on bad arguments.
 */
#include "sys.h"

#include <pagoda/page_pattern.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t freq;

static uint64_t ticks_to_ns(uint64_t t) { return t / freq * 1000000000ULL + t % freq * 1000000000ULL / freq; }

int main(int argc, char **argv)
{
	char *tok[2], *end = NULL;
	int n = app_args(argc, argv, tok, 2);
	unsigned long pages, rounds = 1, bad_total = 0;
	volatile uint64_t flag = 0;
	bool step = false;
	uint64_t *r, t0, t1;

	freq = read_cntfrq();
	pages = n >= 1 ? strtoul(tok[0], NULL, 0) : 0;
	if (n == 2) {
		rounds = strtoul(tok[1], &end, 0);
		step = !strcmp(end, "step");
	}
	if (!pages || pages > (1UL << 24) || !rounds || (end && *end && !step) || !freq) {
		printf("thrash: usage: thrash PAGES [ROUNDS[step]] (PAGES 1..%lu)\n", 1UL << 24);
		return 2;
	}
	r = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED) {
		printf("thrash: cannot map %lu pages\n", pages);
		return 1;
	}
	for (unsigned long round = 1; round <= rounds; round++) {
		uint64_t base = (round - 1) * pages;
		unsigned long bad = 0;

		t0 = read_cntvct();
		for (unsigned long i = 0; i < pages; i++)
			pattern_fill(r + i * PATTERN_WORDS, base + i);
		t1 = read_cntvct();
		printf("thrash: round %lu fill %lu pages: %lu ns\n", round, pages, (unsigned long)ticks_to_ns(t1 - t0));
		if (step) {
			printf("thrash: filled flag=%lx\n", (unsigned long)(uintptr_t)&flag);
			wait_flag(&flag, round);
		}
		t0 = read_cntvct();
		for (unsigned long i = 0; i < pages; i++)
			bad += pattern_bad_words(r + i * PATTERN_WORDS, base + i);
		t1 = read_cntvct();
		printf("thrash: round %lu verify %lu pages: %lu ns, %lu bad words\n", round, pages,
		       (unsigned long)ticks_to_ns(t1 - t0), bad);
		bad_total += bad;
	}
	return bad_total ? 1 : 0;
}
