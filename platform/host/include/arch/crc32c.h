/*
 * Host build's arch_crc32c() (platform/aarch64/include/arch/crc32c.h has the contract;
 * this shadows it because platform/host/include comes first): x86-64's
 * SSE4.2 crc32 instruction, 8 bytes a step, when the CPU has it
 * (__builtin_cpu_supports), else lib/crc32c.c. Other host CPUs use the
 * portable one.
 */
#ifndef ARCH_CRC32C_H
#define ARCH_CRC32C_H

#include <lib/crc32c.h>
#include <string.h>
#include <types.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

__attribute__((target("sse4.2"))) static inline u32 host_crc32c_sse42(u32 crc, const void *p, size_t len)
{
	const u8 *b = p;
	u64 c = ~crc;

	for (; len >= 8; len -= 8, b += 8) {
		u64 w;

		memcpy(&w, b, 8);
		c = _mm_crc32_u64(c, w);
	}
	for (; len; len--, b++)
		c = _mm_crc32_u8((u32)c, *b);
	return ~(u32)c;
}

static inline bool arch_has_crc32(void) { return __builtin_cpu_supports("sse4.2"); }

/* Three raw states over three runs of lane bytes, a multiple of 16 (platform/aarch64/include/arch/crc32c.h). */
__attribute__((target("sse4.2"))) static inline void arch_crc32c_3lanes(u32 c[3], const void *p, size_t lane)
{
	const u8 *b = p;
	u64 c0 = c[0], c1 = c[1], c2 = c[2];

	for (size_t i = 0; i < lane; i += 8) {
		u64 w0, w1, w2;

		memcpy(&w0, b + i, 8);
		memcpy(&w1, b + lane + i, 8);
		memcpy(&w2, b + 2 * lane + i, 8);
		c0 = _mm_crc32_u64(c0, w0);
		c1 = _mm_crc32_u64(c1, w1);
		c2 = _mm_crc32_u64(c2, w2);
	}
	c[0] = (u32)c0, c[1] = (u32)c1, c[2] = (u32)c2;
}

/* CRC32C of len bytes at p, continuing crc (0 to start). Any context. */
static inline u32 arch_crc32c(u32 crc, const void *p, size_t len)
{
	if (__builtin_cpu_supports("sse4.2"))
		return host_crc32c_sse42(crc, p, len);
	return crc32c_sw(crc, p, len);
}
#else
static inline bool arch_has_crc32(void) { return false; }
static inline void arch_crc32c_3lanes(u32 c[3], const void *p, size_t lane)
{
	for (unsigned k = 0; k < 3; k++)
		c[k] = ~crc32c_sw(~c[k], (const u8 *)p + k * lane, lane);
}
static inline u32 arch_crc32c(u32 crc, const void *p, size_t len) { return crc32c_sw(crc, p, len); }
#endif

#endif
