/*
 * CRC32C (Castagnoli polynomial 0x1EDC6F41, reflected, initial value and
 * final xor ~0; "123456789" gives 0xE3069283) in portable C. The CPU's
 * CRC instructions, where it has them, are behind platform/aarch64/include/arch/crc32c.h;
 * this is their fallback and their reference.
 */
#ifndef LIB_CRC32C_H
#define LIB_CRC32C_H

#include <types.h>

/* CRC32C of len bytes at p, continuing crc (0 to start). Any context. */
u32 crc32c_sw(u32 crc, const void *p, size_t len);

#endif
