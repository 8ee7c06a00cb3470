/*
 * pstore: a record of how the last boot ended, kept in a RAM region that
 * a reset does not clear (like Linux's ramoops). One record per region:
 *
 *   region (CONFIG_PSTORE_SIZE_KB, top of RAM, see kernel/pstore_ram.c)
 *   +------------------------+-------------------------------+--------+
 *   | struct pstore_header   | payload: the console's last   | unused |
 *   | magic version hdr_size |  len bytes before the panic   |        |
 *   | region_size len resets |  (text, not NUL-terminated)   |        |
 *   | crc reason[48]         |                               |        |
 *   +------------------------+-------------------------------+--------+
 *
 * crc is CRC32C over the header (crc field as 0) and the payload. A region
 * is a record only if magic, version, header size, region size and length
 * all agree and the CRC matches: a cold boot's garbage or a write torn by
 * the reset is rejected with the reason, never shown as a log.
 *
 * resets counts the panics that reset the board since the region last held
 * no valid record: a boot reads it, and its own panic writes it plus one.
 *
 * Locking: none; written only from panic() with IRQs off on the one CPU
 * that panics, read at boot before other tasks run.
 * Errors: negative errno (see pstore_attach).
 */
#ifndef KERNEL_PSTORE_H
#define KERNEL_PSTORE_H

#include <stdio.h>
#include <types.h>

#define PSTORE_MAGIC 0x52545350u /* "PSTR" little-endian */
#define PSTORE_VERSION 1
#define PSTORE_REASON_MAX 48

struct pstore_header {
	u32 magic;
	u16 version;
	u16 header_size;
	u32 region_size;
	u32 len;    /* payload bytes after the header */
	u32 resets; /* reset counter, see above */
	u32 crc;
	char reason[PSTORE_REASON_MAX]; /* NUL-terminated */
};

/* A region and what was found in it at attach time. */
struct pstore {
	void *base;
	size_t size;
	u32 resets;       /* the last valid record's counter (0: none) */
	bool valid;       /* the region holds a valid record */
	const char *why;  /* when not valid: why the region was rejected */
};

/* Attach to size bytes at base and validate what is there. 0 with a valid
 * record; -ENOENT (bad magic: nothing was ever written, or it was cleared),
 * -EPROTO (unknown version or header size), -EOVERFLOW (length past the
 * region: torn or garbage), -EBADMSG (CRC mismatch), -EINVAL (region too
 * small for a header); ps->why names the reason. The region is not changed. */
int pstore_attach(struct pstore *ps, void *base, size_t size);
/* Write a record: reason (truncated to fit), the last bytes of log[0..len)
 * that fit, counter ps->resets + 1. Returns the payload bytes stored, or
 * -EINVAL if the region cannot hold a header. ps becomes valid. */
int pstore_write(struct pstore *ps, const char *reason, const char *log, size_t len);
/* Print the valid record (the /sys/fs/pstore/console-ramoops-0 view) to f:
 * a header line with reason and counter, then the saved console text.
 * Returns 0, or -ENOENT if there is no valid record (and says so). */
int pstore_show(const struct pstore *ps, FILE *f);
/* Erase the record (the counter restarts at the next panic). */
void pstore_clear(struct pstore *ps);
/* The record's reason for a panic message: "Out of memory panic" for the
 * OOM panics ("Out of memory..."), "Kernel panic" for every other one. */
const char *pstore_reason_of(const char *panic_msg);

/* The board's region (kernel/pstore_ram.c), NULL when CONFIG_PSTORE_SIZE_KB=0. */
struct pstore *pstore_ram(void);
/* Reserve the region at the top of RAM in memblock (before any allocation). */
void pstore_ram_reserve(void);
/* Once the linear map covers RAM: validate the region and print
 * "Last boot ended in: <reason> (reset #N)" and the saved log, or why there is none. */
void pstore_ram_boot(void);
/* From panic(): save msg's reason and the console's recent output. */
void pstore_ram_panic(const char *msg);

#endif
