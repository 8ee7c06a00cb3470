/*
 * memverify PAGES ROUNDS SEED [MODE[,MODE]...]: anonymous memory whose
 * every page's content derives from its address, filled once and then
 * verified byte for byte ROUNDS times (0: until killed). Page at virtual
 * address va holds issue 11's semi-compressible pattern of page number
 * (va >> 12) ^ (SEED << 40) (include/uapi/pagoda/page_pattern.h), so a
 * page swapped back in at the wrong place, or another app's page, or a
 * stale one shows as a mismatch.
 *
 *   lock     mlock the region before filling it (its pages must never be
 *            swapped: the kernel test watches their PTEs)
 *   pageout  after filling, madvise(MADV_PAGEOUT) the region, print
 *            "memverify: pageout rc=<n>", then wait as with "wait"
 *   wait     after filling, wait until the kernel test sets the flag word
 *   shared   the region is shared anonymous memory (MAP_SHARED: a shmem
 *            object, rss_shmem); with others, e.g. "shared,wait"
 *   holes    after filling, give every other page back (MADV_DONTNEED on
 *            the odd pages: free memory in single pages between the kept
 *            ones, what compaction has to gather) and verify only the even
 *            pages from then on
 *
 * Prints "memverify: region=<hex> pages=<n> flag=<hex>" after the fill,
 * "memverify SEED: round R: N pages, B bad words" after rounds 1, 2, 4,
 * 8, ... and after every round with a mismatch, and the first few
 * mismatches by address. Exit status 0 when every round was
 * intact, 1 on any mismatch (or failed mmap/mlock), 2 on bad arguments.
 */
#include "sys.h"

#include <pagoda/page_pattern.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t seed;
static unsigned long printed;
static unsigned long step = 1; /* 2 with "holes": only the even pages are kept */

static uint64_t page_id(const volatile uint64_t *page)
{
	return ((uint64_t)(uintptr_t)page >> 12) ^ (seed << 40);
}

static void fill(uint64_t *region, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++) {
		uint64_t *w = region + i * PATTERN_WORDS;

		pattern_fill(w, page_id(w));
	}
}

/* Every word of every page against its address: bad words. */
static unsigned long verify(const volatile uint64_t *region, unsigned long pages)
{
	unsigned long bad = 0;

	for (unsigned long i = 0; i < pages; i += step) {
		const volatile uint64_t *w = region + i * PATTERN_WORDS;
		uint64_t p = page_id(w);

		for (unsigned k = 0; k < PATTERN_WORDS; k++) {
			uint64_t got = w[k], want = pattern_word(p, k);

			if (got == want)
				continue;
			if (printed++ < 8)
				printf("memverify %lu: mismatch at %lx: %016lx, expected %016lx\n", (unsigned long)seed,
				       (unsigned long)(uintptr_t)&w[k], (unsigned long)got, (unsigned long)want);
			bad++;
		}
	}
	return bad;
}

/* Whether the comma-separated mode list has word. */
static bool has(const char *modes, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = modes; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
		if (!strncmp(p, word, n) && (p[n] == ',' || !p[n]))
			return true;
	}
	return false;
}

/* Every word of the list is a known mode. */
static bool modes_ok(const char *modes)
{
	static const char *const known[] = { "lock", "pageout", "wait", "shared", "holes" };

	for (const char *p = modes; *p;) {
		size_t n = strcspn(p, ","), k;

		for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
			if (strlen(known[k]) == n && !strncmp(p, known[k], n))
				break;
		if (k == sizeof(known) / sizeof(known[0]))
			return false;
		p += n + (p[n] == ',');
	}
	return true;
}

int main(int argc, char **argv)
{
	char *tok[4];
	int n = app_args(argc, argv, tok, 4);
	unsigned long pages, rounds, bad_total = 0;
	volatile uint64_t flag = 0;
	const char *mode = n == 4 ? tok[3] : "";
	uint64_t *region;

	if (n < 3 || !modes_ok(mode)) {
		printf("memverify: usage: memverify PAGES ROUNDS SEED [lock|pageout|wait|shared|holes, comma-separated]\n");
		return 2;
	}
	pages = strtoul(tok[0], NULL, 0);
	rounds = strtoul(tok[1], NULL, 0);
	seed = strtoul(tok[2], NULL, 0);
	if (!pages || pages > (1UL << 24)) {
		printf("memverify: PAGES must be 1..%lu\n", 1UL << 24);
		return 2;
	}
	region = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		      (has(mode, "shared") ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED) {
		printf("memverify: cannot map %lu pages\n", pages);
		return 1;
	}
	if (has(mode, "lock") && mlock(region, pages * PAGE_SIZE)) {
		printf("memverify: mlock of %lu pages failed\n", pages);
		return 1;
	}
	fill(region, pages);
	if (has(mode, "holes")) {
		for (unsigned long i = 1; i < pages; i += 2)
			if (madvise(region + i * PATTERN_WORDS, PAGE_SIZE, MADV_DONTNEED)) {
				printf("memverify: MADV_DONTNEED of page %lu failed\n", i);
				return 1;
			}
		step = 2;
	}
	printf("memverify: region=%lx pages=%lu flag=%lx\n", (unsigned long)(uintptr_t)region, pages,
	       (unsigned long)(uintptr_t)&flag);
	if (has(mode, "pageout"))
		printf("memverify: pageout rc=%ld\n", sys_madvise(region, pages * PAGE_SIZE, MADV_PAGEOUT));
	if (has(mode, "pageout") || has(mode, "wait"))
		wait_flag(&flag, 1);
	for (unsigned long r = 1; !rounds || r <= rounds; r++) {
		unsigned long bad = verify(region, pages);

		bad_total += bad;
		if (bad || !(r & (r - 1))) /* rounds 1, 2, 4, 8, ... and every bad one */
			printf("memverify %lu: round %lu: %lu pages, %lu bad words\n", (unsigned long)seed, r,
			       (pages + step - 1) / step, bad);
		if (!rounds)
			sleep_ms(1); /* let the others run between rounds */
	}
	return bad_total ? 1 : 0;
}
