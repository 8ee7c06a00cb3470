/*
 * CRC32C, slicing by 8: eight 256-entry tables let the loop fold 8 bytes
 * per step. crc32c_init() fills them (8 KiB) once, before the first use.
 */
#include <lib/crc32c.h>
#include <lib/panic.h>
#include <string.h>

#define POLY 0x82F63B78u /* 0x1EDC6F41 bit-reversed */

/* tab[k][i]: the CRC of byte i followed by k zero bytes */
static u32 tab[8][256];
static bool ready;

void crc32c_init(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;

		for (int j = 0; j < 8; j++)
			c = (c >> 1) ^ ((c & 1) ? POLY : 0);
		tab[0][i] = c;
	}
	for (u32 i = 0; i < 256; i++)
		for (int k = 1; k < 8; k++)
			tab[k][i] = (tab[k - 1][i] >> 8) ^ tab[0][tab[k - 1][i] & 0xff];
	ready = true;
}

u32 crc32c(u32 crc, const void *p, size_t len)
{
	const u8 *b = p;

	BUG_ON(!ready);
	crc = ~crc;
	while (len && ((uintptr_t)b & 7)) {
		crc = (crc >> 8) ^ tab[0][(crc ^ *b++) & 0xff];
		len--;
	}
	while (len >= 8) {
		u32 lo, hi;

		memcpy(&lo, b, 4);
		memcpy(&hi, b + 4, 4);
		lo ^= crc;
		crc = tab[7][lo & 0xff] ^ tab[6][(lo >> 8) & 0xff] ^ tab[5][(lo >> 16) & 0xff] ^
		      tab[4][lo >> 24] ^ tab[3][hi & 0xff] ^ tab[2][(hi >> 8) & 0xff] ^
		      tab[1][(hi >> 16) & 0xff] ^ tab[0][hi >> 24];
		b += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ tab[0][(crc ^ *b++) & 0xff];
	return ~crc;
}
