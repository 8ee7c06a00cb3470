/*
 * The app image: the EL0 programs (and any data files) packed by
 * tools/mkappimg.py into one blob that the firmware reads through the CFI
 * pflash device (drivers/pflash.c). Little-endian, plain C layout.
 *
 *   offset 0        struct appimg_header
 *   64              struct appimg_entry[count]
 *   ...             files, each starting on a 4 KiB boundary
 *
 * The header and the directory fit in the first 4 KiB page... or more
 * pages when count is large (files start after them). Each file's bytes
 * are covered by a CRC32 (IEEE, as zlib.crc32) checked when it is opened.
 */
#ifndef PAGODA_UAPI_APPIMG_H
#define PAGODA_UAPI_APPIMG_H

#include <stdint.h>

#define APPIMG_MAGIC "PAGODAIM"
#define APPIMG_VERSION 1
#define APPIMG_NAME_MAX 32

struct appimg_header {
	char magic[8];       /* APPIMG_MAGIC, no NUL */
	uint32_t version;    /* APPIMG_VERSION */
	uint32_t count;      /* entries in the directory */
	uint64_t total_size; /* bytes of the whole image (header to last file end) */
	uint32_t dir_crc32;  /* CRC32 of the directory entries */
	uint32_t _pad;
	uint8_t reserved[32];
};

struct appimg_entry {
	char name[APPIMG_NAME_MAX]; /* NUL-terminated, e.g. "demo" */
	uint64_t offset;     /* from the image start, 4 KiB aligned */
	uint64_t size;       /* bytes */
	uint32_t crc32;      /* of the file's bytes */
	uint32_t flags;      /* APPIMG_F_* */
	uint64_t _pad;
};

#define APPIMG_F_ELF 0x1     /* an EL0 program (ELF64 AArch64 executable) */

#endif
