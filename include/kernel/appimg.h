/*
 * The app image (format: include/uapi/pagoda/appimg.h) on the CFI flash:
 * its directory, read and checked at boot, and one page-cache
 * address_space per file ("/apps/<name>") whose pages are read from the
 * flash on their first fault.
 *
 * Context: process context (boot, spawn, open_image); no lock (one CPU,
 * no kernel preemption: include/mm/mm_types.h).
 */
#ifndef KERNEL_APPIMG_H
#define KERNEL_APPIMG_H

#include <mm/mm_types.h>
#include <stdio.h>
#include <uapi/pagoda/appimg.h>

/* Probe the flash (pflash_init) and read and validate the image's header
 * and directory. Prints one line; a missing or bad image prints why and
 * leaves zero files (never fatal). 0, or the negative errno of the
 * failure (-ENODEV no flash, -EINVAL bad image, -ENOMEM). */
int appimg_init(const void *fdt);
/* The page cache of file name, with a reference for the caller (drop it
 * with address_space_put). The file's CRC32 is checked on its first open;
 * a mismatch refuses this and every later open. NULL with *err = -ENOENT
 * (no such file), -EIO (bad CRC or flash read error) or -ENOMEM. */
struct address_space *appimg_open(const char *name, int *err);
/* Files in the image (0 without a valid image). */
unsigned appimg_count(void);
/* Directory entry i (validated), or NULL if i >= appimg_count(). */
const struct appimg_entry *appimg_entry(unsigned i);
/* A table of the files: name, size, flags, CRC state, cached pages. */
void appimg_report(FILE *f);

#endif
