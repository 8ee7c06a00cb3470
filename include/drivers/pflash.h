/*
 * CFI parallel NOR flash (Intel/Sharp command set: QEMU's pflash_cfi01),
 * read-only: the app image lives in QEMU virt's flash bank 1. The driver
 * finds the "cfi-flash" node in the device tree, checks the device with a
 * CFI query and then reads it in read-array mode.
 *
 * Context: process context (boot, page faults, opens); no lock - one CPU
 * and a kernel that is not preempted (see include/mm/mm_types.h), and
 * reads leave the device in read-array mode.
 */
#ifndef DRIVERS_PFLASH_H
#define DRIVERS_PFLASH_H

#include <types.h>

/* Find bank 1 of the "cfi-flash" node, map it and run the CFI query.
 * Prints one boot line (base, size, CFI geometry). 0 (also when already
 * probed: later calls do nothing), -ENODEV (no node, no second bank, no
 * "QRY" answer) or -ENOMEM (cannot map it). */
int pflash_init(const void *fdt);
/* Copy len bytes at offset off of the bank to dst (kernel memory), with
 * aligned device loads. 0, -ENODEV before a successful init, -EINVAL if
 * [off, off+len) is not inside the device. */
int pflash_read(u64 off, void *dst, size_t len);
/* Bytes of the bank (0 without a device). */
u64 pflash_size(void);

struct pflash_stats {
	u64 reads; /* pflash_read() calls that read */
	u64 bytes; /* bytes they copied */
};
/* The read counters since boot. */
void pflash_get_stats(struct pflash_stats *st);

#endif
