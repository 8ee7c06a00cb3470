/*
 * sharer [ROUNDS | forever]: the program run as two instances at once to
 * show that their text (and rodata) pages are shared through the page
 * cache while data, bss, heap and stack are private. Each round it fills
 * a buffer with a pid-seeded pattern, CRCs it, compresses it with a small
 * LZ77 coder, decompresses and checks the round trip, then yields and
 * sleeps so that the instances interleave. With ROUNDS (default 5) it
 * prints each round and exits 0 (1 on a round-trip mismatch); "forever"
 * prints "sharer: ready" after the first round and then runs quietly
 * until it is killed (the kernel's tests and demo use it that way).
 */
#include "sys.h"

#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define BUF 4096
#define WINDOW 1023
#define MIN_MATCH 3
#define MAX_MATCH 18

static unsigned char src[BUF], packed[BUF + BUF / 8 + 16], unpacked[BUF];
static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/*
 * LZSS: groups of 8 items behind a flag byte (bit set: literal byte; clear:
 * a 2-byte match, 12-bit distance and 4-bit length - MIN_MATCH).
 */
static size_t lz_pack(const unsigned char *in, size_t n, unsigned char *out)
{
	size_t ip = 0, op = 0;

	while (ip < n) {
		size_t flag_at = op++;
		unsigned char flags = 0;

		for (int bit = 0; bit < 8 && ip < n; bit++) {
			size_t best_len = 0, best_dist = 0;
			size_t start = ip > WINDOW ? ip - WINDOW : 0;

			for (size_t cand = start; cand < ip; cand++) {
				size_t len = 0;

				while (len < MAX_MATCH && ip + len < n && in[cand + len] == in[ip + len])
					len++;
				if (len > best_len) {
					best_len = len;
					best_dist = ip - cand;
				}
			}
			if (best_len >= MIN_MATCH) {
				out[op++] = (unsigned char)(best_dist >> 4);
				out[op++] = (unsigned char)((best_dist & 0xf) << 4 | (best_len - MIN_MATCH));
				ip += best_len;
			} else {
				flags |= (unsigned char)(1u << bit);
				out[op++] = in[ip++];
			}
		}
		out[flag_at] = flags;
	}
	return op;
}

static size_t lz_unpack(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
	size_t ip = 0, op = 0;

	while (ip < n) {
		unsigned char flags = in[ip++];

		for (int bit = 0; bit < 8 && ip < n; bit++) {
			if (flags & (1u << bit)) {
				if (op >= cap)
					return 0;
				out[op++] = in[ip++];
			} else {
				size_t dist, len;

				if (ip + 1 >= n)
					return 0;
				dist = (size_t)in[ip] << 4 | in[ip + 1] >> 4;
				len = (in[ip + 1] & 0xf) + MIN_MATCH;
				ip += 2;
				if (!dist || dist > op || op + len > cap)
					return 0;
				for (size_t k = 0; k < len; k++, op++)
					out[op] = out[op - dist];
			}
		}
	}
	return op;
}

/* Text-like input: words from a small dictionary, chosen by a PRNG. */
static void fill(unsigned char *buf, size_t n, uint32_t seed)
{
	static const char *const words[] = { "page ", "fault ", "cache ", "shared ", "text ",
					      "anon ", "zero ", "map ", "swap ", "reclaim " };
	size_t i = 0;

	while (i < n) {
		const char *w;

		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		for (w = words[seed % 10]; *w && i < n; w++)
			buf[i++] = (unsigned char)*w;
	}
}

int main(int argc, char **argv)
{
	char *tok[1];
	bool given = app_args(argc, argv, tok, 1);
	bool forever = given && !strcmp(tok[0], "forever");
	int rounds = given && !forever ? atoi(tok[0]) : 5;
	int pid = getpid();

	if (rounds <= 0)
		rounds = 5;
	crc_init();
	if (forever)
		printf("sharer[%d]: rounds of fill/crc/compress/check on %d KiB until killed, text at %p\n", pid,
		       BUF / 1024, (void *)main);
	else
		printf("sharer[%d]: %d rounds of fill/crc/compress/check on %d KiB, text at %p\n", pid, rounds,
		       BUF / 1024, (void *)main);
	for (int r = 0; forever || r < rounds; r++) {
		uint32_t crc;
		size_t packed_len, len;

		fill(src, BUF, (uint32_t)(pid * 2654435761u + (unsigned)r + 1));
		crc = crc32(src, BUF);
		packed_len = lz_pack(src, BUF, packed);
		len = lz_unpack(packed, packed_len, unpacked, BUF);
		if (len != BUF || crc32(unpacked, len) != crc || memcmp(src, unpacked, BUF)) {
			printf("sharer[%d]: round %d: round trip FAILED (%lu bytes back)\n", pid, r,
			       (unsigned long)len);
			return 1;
		}
		if (!forever)
			printf("sharer[%d]: round %d crc32=%08lx %d -> %lu bytes, ok\n", pid, r,
			       (unsigned long)crc, BUF, (unsigned long)packed_len);
		else if (r == 0)
			printf("sharer: ready (pid %d, crc32=%08lx %d -> %lu bytes)\n", pid, (unsigned long)crc, BUF,
			       (unsigned long)packed_len);
		sched_yield();
		sleep_ms(forever ? 10 : 5);
	}
	printf("sharer[%d]: done\n", pid);
	return 0;
}
