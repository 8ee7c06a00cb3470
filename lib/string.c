/*
 * memcpy, memmove and memset eight bytes at a time with general-purpose
 * registers. picolibc's size-optimised build (the one Debian's default
 * libc.a is) copies byte by byte, about 6 instructions per byte, which
 * made DMA bouncing and page clearing needlessly slow. Unaligned 8-byte
 * accesses are fine on normal memory with the MMU on. (IRQ entry saves
 * the FP/SIMD registers, see vectors.S, so libraries may use SIMD.)
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t v = 0x0101010101010101ULL * (unsigned char)c;

	for (; n >= 32; n -= 32, d += 32) {
		__builtin_memcpy(d, &v, 8);
		__builtin_memcpy(d + 8, &v, 8);
		__builtin_memcpy(d + 16, &v, 8);
		__builtin_memcpy(d + 24, &v, 8);
	}
	for (; n >= 8; n -= 8, d += 8)
		__builtin_memcpy(d, &v, 8);
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	uint64_t a, b, c, e, f, g, h, i;

	/* 64 bytes a round: four LDP/STP pairs and one loop branch (12
	 * instructions, where 16 bytes a round took 24 for the same) */
	for (; n >= 64; n -= 64, d += 64, s += 64) {
		__builtin_memcpy(&a, s, 8);
		__builtin_memcpy(&b, s + 8, 8);
		__builtin_memcpy(&c, s + 16, 8);
		__builtin_memcpy(&e, s + 24, 8);
		__builtin_memcpy(&f, s + 32, 8);
		__builtin_memcpy(&g, s + 40, 8);
		__builtin_memcpy(&h, s + 48, 8);
		__builtin_memcpy(&i, s + 56, 8);
		__builtin_memcpy(d, &a, 8);
		__builtin_memcpy(d + 8, &b, 8);
		__builtin_memcpy(d + 16, &c, 8);
		__builtin_memcpy(d + 24, &e, 8);
		__builtin_memcpy(d + 32, &f, 8);
		__builtin_memcpy(d + 40, &g, 8);
		__builtin_memcpy(d + 48, &h, 8);
		__builtin_memcpy(d + 56, &i, 8);
	}
	for (; n >= 16; n -= 16, d += 16, s += 16) {
		__builtin_memcpy(&a, s, 8);
		__builtin_memcpy(&b, s + 8, 8);
		__builtin_memcpy(d, &a, 8);
		__builtin_memcpy(d + 8, &b, 8);
	}
	for (; n >= 8; n -= 8, d += 8, s += 8) {
		__builtin_memcpy(&a, s, 8);
		__builtin_memcpy(d, &a, 8);
	}
	while (n--)
		*d++ = *s++;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	uint64_t a;

	if (d <= s || d >= s + n) {
		copy_forward(d, s, n);
		return dst;
	}
	/* overlapping with dst above src: copy backwards */
	d += n;
	s += n;
	for (; n >= 8; n -= 8) {
		d -= 8;
		s -= 8;
		__builtin_memcpy(&a, s, 8);
		__builtin_memcpy(d, &a, 8);
	}
	while (n--)
		*--d = *--s;
	return dst;
}
