/*
 * arch_crc32c(): CRC32C with the CPU's CRC instructions (the arch
 * contract; the host's version shadows this one from
 * platform/host/include/arch/crc32c.h). Same function as lib/crc32c.c's
 * crc32c_sw(), which it falls back to when the CPU lacks them.
 *
 * AArch64: CRC32CX/CRC32CB (FEAT_CRC32: optional in ARMv8.0, present on
 * Cortex-A53/A72 and QEMU's cortex-a53/a72/max, mandatory from ARMv8.1),
 * found in ID_AA64ISAR0_EL1.CRC32 (bits 19:16). Two CRC32CX per 16 bytes
 * loaded with one LDP: ~0.2 instructions per byte.
 */
#ifndef ARCH_CRC32C_H
#define ARCH_CRC32C_H

#include <arch/sysreg.h>
#include <lib/crc32c.h>
#include <string.h>
#include <types.h>

static inline bool arch_has_crc32(void) { return ((read_sysreg(id_aa64isar0_el1) >> 16) & 0xf) != 0; }

/* Advance three independent raw CRC32C states over three runs of lane
 * bytes each (lane a multiple of 16) at p, p + lane, p + 2 * lane; only
 * where arch_has_crc32(). One stream is bound by the instruction's
 * latency, three in step use its throughput; 16 bytes per lane a round
 * (one LDP each) keep the loop at 12 instructions per 48 bytes. */
static inline void arch_crc32c_3lanes(u32 c[3], const void *p, size_t lane)
{
	const u8 *b = p;

	for (size_t i = 0; i < lane; i += 16) {
		u64 w[6];

		__builtin_memcpy(&w[0], b + i, 16);
		__builtin_memcpy(&w[2], b + lane + i, 16);
		__builtin_memcpy(&w[4], b + 2 * lane + i, 16);
		__asm__(".arch_extension crc\n\t"
			"crc32cx %w0, %w0, %x3\n\tcrc32cx %w1, %w1, %x5\n\tcrc32cx %w2, %w2, %x7\n\t"
			"crc32cx %w0, %w0, %x4\n\tcrc32cx %w1, %w1, %x6\n\tcrc32cx %w2, %w2, %x8"
			: "+r"(c[0]), "+r"(c[1]), "+r"(c[2])
			: "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3]), "r"(w[4]), "r"(w[5]));
	}
}

/* CRC32C of len bytes at p, continuing crc (0 to start). Any context. */
static inline u32 arch_crc32c(u32 crc, const void *p, size_t len)
{
	const u8 *b = p;
	u32 c = ~crc;

	if (!arch_has_crc32())
		return crc32c_sw(crc, p, len);
	for (; len >= 16; len -= 16, b += 16) {
		u64 w0, w1;

		__builtin_memcpy(&w0, b, 8);
		__builtin_memcpy(&w1, b + 8, 8);
		__asm__(".arch_extension crc\n\tcrc32cx %w0, %w0, %x1\n\tcrc32cx %w0, %w0, %x2"
			: "+r"(c)
			: "r"(w0), "r"(w1));
	}
	for (; len; len--, b++)
		__asm__(".arch_extension crc\n\tcrc32cb %w0, %w0, %w1" : "+r"(c) : "r"((u32)*b));
	return ~c;
}

#endif
