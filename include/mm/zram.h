/*
 * zram: a compressed RAM block device of 4 KiB slots, the back end of
 * swap (mm/zram.c has the design). The boot makes zram0 from board.cfg
 * and mm/swap.c stores swapped-out pages in it (docs/reclaim.md).
 *
 * Error taxonomy: a slot number out of range returns -EINVAL; a store at
 * the memory limit -ENOSPC and one the page allocator cannot serve
 * -ENOMEM, both leaving the device exactly as it was (the slot keeps its
 * old content); a load of an empty slot -ENOENT; a checksum mismatch or an
 * object LZ4 cannot decode -EIO, with a report line and the buffer left
 * untouched.
 *
 * Locking: one spinlock per device (IRQs masked), taken by every call
 * here; it nests outside the zpool's lock. Callers hold no zram or zpool
 * lock.
 */
#ifndef MM_ZRAM_H
#define MM_ZRAM_H

#include <mm/gfp.h>
#include <stdio.h>
#include <types.h>

/* A page that LZ4 does not shrink below this is stored raw ("huge"). */
#define ZRAM_HUGE_THRESHOLD (3 * 4096 / 4)

struct zram;

struct zram_stats {
	u64 pages_stored;   /* slots holding a page */
	u64 compr_data_size;/* bytes: compressed sizes, PAGE_SIZE per huge page */
	u64 mem_used_total; /* bytes of RAM the object store owns now */
	u64 mem_limit;      /* bytes, 0: none */
	u64 mem_used_max;   /* bytes, the most mem_used_total has been */
	u64 same_pages;     /* slots holding a same-filled page (no memory) */
	u64 pages_compacted;/* pages given back by compaction, ever */
	u64 huge_pages;     /* slots holding a raw page now */
	u64 huge_pages_since; /* raw pages stored, ever */
	u64 failed_reads, failed_writes, invalid_io, notify_free; /* io_stat */
	u64 checksum_failures; /* loads refused for a checksum mismatch */
};

/* Make a device of size_bytes / 4 KiB slots (at most 1 GiB) whose object
 * store may hold limit_bytes of RAM (0: no limit); its tables come with
 * gfp. Returns 0, -EINVAL (size 0 or over 1 GiB, or a limit below the
 * object store's own 4 pages) or -ENOMEM. */
int zram_create(struct zram **out, u64 size_bytes, u64 limit_bytes, gfp_t gfp);
/* The device the board asks for: CONFIG_ZRAM_SIZE_MB, CONFIG_ZRAM_MEM_LIMIT_MB. */
int zram_create_board(struct zram **out, gfp_t gfp);
/* Free the device and everything it stores. */
void zram_destroy(struct zram *z);
u64 zram_nr_slots(struct zram *z);

/* Store one page (PAGE_SIZE bytes) in slot, replacing what it held; the
 * object store's pages come with gfp. 0 or a negative errno (see above). */
int zram_store(struct zram *z, u64 slot, const void *page, gfp_t gfp);
/* Read slot's page into buf (PAGE_SIZE bytes), verifying its checksum. */
int zram_load(struct zram *z, u64 slot, void *buf);
/* Empty a slot (nothing if it is empty); counted as notify_free. */
void zram_free(struct zram *z, u64 slot);
/* Whether the store uses more than 7/8 of its memory limit (a cheap hint). */
bool zram_nearly_full(const struct zram *z);
/* Pages compaction would give back now (an estimate, cheap). */
u64 zram_compactable(struct zram *z);
/* Pages the device's store holds now (mm_stat's mem_used_total / PAGE_SIZE), without its lock. */
u64 zram_pages_used(const struct zram *z);
/* Compact the object store; returns the pages given back. */
u64 zram_compact(struct zram *z);

/* /sys/block/zram0/mem_limit: the store's RAM limit, bytes rounded up to
 * a page (0: none); stores beyond it fail, what is stored stays (Linux's
 * behaviour). 0, or -EINVAL above 1 TiB. Takes the device's lock. */
int zram_set_mem_limit(struct zram *z, u64 bytes);

void zram_get_stats(struct zram *z, struct zram_stats *st);
/* /sys/block/zram0/mm_stat: Linux's nine fields, in its order and widths. */
void zram_show_mm_stat(struct zram *z, FILE *f);
/* /sys/block/zram0/io_stat: failed_reads failed_writes invalid_io notify_free. */
void zram_show_io_stat(struct zram *z, FILE *f);

/* Test hook: flip byte off (mod the object's size) of slot's stored
 * object; -ENOENT if the slot holds no object (empty or same-filled). */
int zram_test_corrupt(struct zram *z, u64 slot, unsigned off);

#endif
