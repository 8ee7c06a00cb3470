/*
 * churn PAGES ROUNDS SEED: anonymous memory that keeps being faulted in,
 * written, verified and unmapped, for the migration test that moves an
 * app's pages while it runs (test/target/test_migrate.c). Each round maps
 * PAGES fresh pages, writes each one (an allocate-on-write fault per
 * page) with issue 11's pattern of page number (va >> 12) ^ (ROUND << 24)
 * ^ (SEED << 40) (include/uapi/pagoda/page_pattern.h), checks the page
 * before it again, then verifies the whole region word by word, unmaps it
 * and starts the next round. It yields the CPU after every page written
 * and every page verified, so that the kernel thread moving its pages
 * runs between them (one CPU: this interleaving is the concurrency).
 *
 * Prints "churn SEED: round R: N pages, B bad words" after rounds 1, 2,
 * 4, 8, ... and after every round with a mismatch, the first few
 * mismatches by address, and "churn SEED: done: R rounds, B bad words".
 * Exit status 0 when every word of every round was intact, 1 on any
 * mismatch or a failed mmap/munmap, 2 on bad arguments.
 */
#include "sys.h"

#include <pagoda/page_pattern.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t seed;
static unsigned long printed;

static uint64_t page_id(const volatile uint64_t *page, unsigned long round)
{
	return ((uint64_t)(uintptr_t)page >> 12) ^ ((uint64_t)round << 24) ^ (seed << 40);
}

/* Words of the page at w that differ from its pattern in round. */
static unsigned long check(const volatile uint64_t *w, unsigned long round)
{
	uint64_t p = page_id(w, round);
	unsigned long bad = 0;

	for (unsigned k = 0; k < PATTERN_WORDS; k++) {
		uint64_t got = w[k], want = pattern_word(p, k);

		if (got == want)
			continue;
		if (printed++ < 8)
			printf("churn %lu: round %lu: mismatch at %lx: %016lx, expected %016lx\n", (unsigned long)seed,
			       round, (unsigned long)(uintptr_t)&w[k], (unsigned long)got, (unsigned long)want);
		bad++;
	}
	return bad;
}

int main(int argc, char **argv)
{
	char *tok[3];
	unsigned long pages, rounds, bad_total = 0;

	if (app_args(argc, argv, tok, 3) != 3) {
		printf("churn: usage: churn PAGES ROUNDS SEED\n");
		return 2;
	}
	pages = strtoul(tok[0], NULL, 0);
	rounds = strtoul(tok[1], NULL, 0);
	seed = strtoul(tok[2], NULL, 0);
	if (!pages || pages > (1UL << 20) || !rounds) {
		printf("churn: PAGES must be 1..%lu and ROUNDS at least 1\n", 1UL << 20);
		return 2;
	}
	for (unsigned long r = 1; r <= rounds; r++) {
		uint64_t *region = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		unsigned long bad = 0;

		if (region == MAP_FAILED) {
			printf("churn %lu: round %lu: cannot map %lu pages\n", (unsigned long)seed, r, pages);
			return 1;
		}
		for (unsigned long i = 0; i < pages; i++) {
			uint64_t *w = region + i * PATTERN_WORDS;

			pattern_fill(w, page_id(w, r)); /* the fault, then the data */
			if (i)
				bad += check(w - PATTERN_WORDS, r);
			sched_yield();
		}
		for (unsigned long i = 0; i < pages; i++) {
			bad += check(region + i * PATTERN_WORDS, r);
			sched_yield();
		}
		if (munmap(region, pages * PAGE_SIZE)) {
			printf("churn %lu: round %lu: munmap failed\n", (unsigned long)seed, r);
			return 1;
		}
		bad_total += bad;
		if (bad || !(r & (r - 1)))
			printf("churn %lu: round %lu: %lu pages, %lu bad words\n", (unsigned long)seed, r, pages, bad);
	}
	printf("churn %lu: done: %lu rounds, %lu bad words\n", (unsigned long)seed, rounds, bad_total);
	return bad_total ? 1 : 0;
}
