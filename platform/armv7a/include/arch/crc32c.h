/*
 * arch_crc32c() on ARMv7-A: the CPU has no CRC32 instructions (they are
 * ARMv8's), so the contract maps to lib/crc32c.c's table CRC32C.
 */
#ifndef ARCH_CRC32C_H
#define ARCH_CRC32C_H

#include <lib/crc32c.h>
#include <types.h>

static inline bool arch_has_crc32(void) { return false; }
/* Three raw states over three runs of lane bytes (include/lib/crc32c.h). */
static inline void arch_crc32c_3lanes(u32 c[3], const void *p, size_t lane)
{
	for (unsigned k = 0; k < 3; k++)
		c[k] = ~crc32c_sw(~c[k], (const u8 *)p + k * lane, lane);
}
static inline u32 arch_crc32c(u32 crc, const void *p, size_t len) { return crc32c_sw(crc, p, len); }

#endif
