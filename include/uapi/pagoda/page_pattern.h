/*
 * The page contents issue 11's swap benchmarks and tests are defined on,
 * shared by the EL0 apps that fill and verify them (apps/memverify.c,
 * apps/swapbench.c, apps/thrash.c) and the kernel side that measures LZ4
 * on the same page (test/target/bench_swap.c). Word k (0..511) of page p,
 * as 64-bit words, is (p * 0x100000001B3) ^ 0x5A5A5A5A00000000 when
 * (k & 6) != 0, else mix64((p << 9) | k): LZ4 compresses it ~2.74:1, so
 * figures compare with the Linux ones measured on the same pattern.
 * (test/host/page_pattern.h is the host tests' copy.)
 */
#ifndef UAPI_PAGODA_PAGE_PATTERN_H
#define UAPI_PAGODA_PAGE_PATTERN_H

#include <stdint.h>

#define PATTERN_WORDS 512 /* 64-bit words in a 4 KiB page */

/* The splitmix64 finalizer. */
static inline uint64_t pattern_mix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

/* Word k of page p. */
static inline uint64_t pattern_word(uint64_t p, unsigned k)
{
	return (k & 6) ? (p * 0x100000001B3ULL) ^ 0x5A5A5A5A00000000ULL : pattern_mix64((p << 9) | k);
}

/* Fill the 512 words of w with page p. */
static inline void pattern_fill(uint64_t *w, uint64_t p)
{
	for (unsigned k = 0; k < PATTERN_WORDS; k++)
		w[k] = pattern_word(p, k);
}

/* Words of w that differ from page p (0: intact). */
static inline unsigned pattern_bad_words(const uint64_t *w, uint64_t p)
{
	unsigned bad = 0;

	for (unsigned k = 0; k < PATTERN_WORDS; k++)
		bad += w[k] != pattern_word(p, k);
	return bad;
}

#endif
