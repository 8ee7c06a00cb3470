/*
 * Portable CRC32C (include/lib/crc32c.h): one byte per step through a
 * 256-entry table built on first use. Only the fallback for CPUs without
 * CRC instructions: zram's checksum normally runs on arch_crc32c().
 */
#include <lib/crc32c.h>

#define CRC32C_POLY_REFLECTED 0x82F63B78u

static u32 table[256];
static bool table_ready;

static void build_table(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (CRC32C_POLY_REFLECTED & (0u - (c & 1u)));
		table[i] = c;
	}
	table_ready = true;
}

u32 crc32c_sw(u32 crc, const void *p, size_t len)
{
	const u8 *b = p;

	if (!table_ready)
		build_table();
	crc = ~crc;
	while (len--)
		crc = (crc >> 8) ^ table[(crc ^ *b++) & 0xffu];
	return ~crc;
}
