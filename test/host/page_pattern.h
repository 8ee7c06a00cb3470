/*
 * The page contents issue 11's benchmarks are defined on, so that figures
 * compare with the Linux ones measured on the same pattern: word k
 * (0..511) of page p is (p * 0x100000001B3) ^ 0x5A5A5A5A00000000 when
 * (k & 6) != 0, else mix64((p << 9) | k). It compresses ~2.74:1 with LZ4.
 * Shared by test_zram, fuzz_zram and bench_zram.
 */
#ifndef TEST_HOST_PAGE_PATTERN_H
#define TEST_HOST_PAGE_PATTERN_H

#include <types.h>

/* The splitmix64 finalizer. */
static inline u64 mix64(u64 x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

/* Fill the 512 words of w with semi-compressible page p. */
static inline void semi_page(u64 *w, u64 p)
{
	for (u64 k = 0; k < 512; k++)
		w[k] = (k & 6) ? (p * 0x100000001B3ULL) ^ 0x5A5A5A5A00000000ULL : mix64((p << 9) | k);
}

#endif
