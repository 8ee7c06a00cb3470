/*
 * CRC32C (Castagnoli, the iSCSI/ext4 polynomial 0x1EDC6F41, reflected),
 * in software, slicing by 8. zram checksums its objects with it; the
 * ARMv8 CRC32C instructions can replace the inside without changing callers.
 */
#ifndef LIB_CRC32C_H
#define LIB_CRC32C_H

#include <types.h>

/* Build the tables; call once before crc32c() (idempotent). */
void crc32c_init(void);
/* CRC32C of len bytes at p, continuing from crc (start with 0). */
u32 crc32c(u32 crc, const void *p, size_t len);

#endif
