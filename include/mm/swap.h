/*
 * Swap (mm/swap.c): anonymous pages out to a compressed swap device and
 * back. One device today: zram0 (swap type 0), made at boot from
 * CONFIG_ZRAM_SIZE_MB / CONFIG_ZRAM_MEM_LIMIT_MB (size 0: no swap).
 *
 * Slots. swap_map[offset] counts the swap PTEs that hold the slot, plus
 * SWAP_HAS_CACHE while a page of the swap cache holds it. A slot is free
 * when the count is 0; its zram object is freed with it.
 *
 * The swap cache (PG_swapcache, page->private = offset): a page whose data
 * is also stored, byte for byte, in its slot. It is never mapped writable:
 * a write fault takes it out of the cache (and frees the slot unless swap
 * PTEs still hold it) before the PTE turns writable, so a clean page that
 * reclaim meets again is dropped without compressing it a second time,
 * and the sharers of a swapped page fault the same page back in.
 *
 * Locking: swap_lock (IRQs masked) protects swap_map, the cache index and
 * the counters; it nests inside lru_lock's level and outside zram's lock
 * (the table at the top of mm/rmap.c). LZ4 runs with it dropped.
 */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include <mm/page.h>
#include <stdio.h>
#include <types.h>

struct zram;

struct swap_info {
	const char *name;   /* "/dev/zram0" */
	u64 nr_slots;       /* 0: no swap device */
	u64 inuse_slots;    /* slots in use (held by PTEs or the cache) */
	u64 cached;         /* pages in the swap cache (SwapCached) */
	int prio;           /* /proc/swaps Priority (zram: 100, as zram-tools set it) */
};

/* Boot: make zram0 from board.cfg and register it as the swap backend of
 * the fault path. 0 (also when the board has no swap) or -ENOMEM. */
int swap_init(void);
/* Tests: tear the device down (every slot must be free) and bring it back
 * with size/limit in bytes (size 0: no swap). 0, -EBUSY, -EINVAL, -ENOMEM. */
int swap_reinit(u64 size_bytes, u64 limit_bytes);
void swap_get_info(struct swap_info *si);
/* The device behind type 0 (mm_stat, io_stat, tests), or NULL. */
struct zram *swap_zram(void);
/* Swap PTEs holding slot offset (SwapPss divides a slot among them). */
unsigned swap_pte_count(u64 offset);

/* /proc/swaps: Filename Type Size Used Priority (kB), Linux's layout. */
void show_swaps(FILE *f);

/* ---- for reclaim (mm/vmscan.c) and the fault path (mm/memory.c) ---- */

/* Make page (anon, not mapped writable anywhere or about to be unmapped)
 * a swap-cache page with its data stored in a new slot; nothing if it is
 * in the cache already. 0, -ENOSPC (device full or at its memory limit),
 * -ENOMEM; on failure the page is as it was. */
int add_to_swap(struct page *page);
/* Take page out of the swap cache; its slot is freed if no PTE holds it. */
void delete_from_swap_cache(struct page *page);
/* Migration: new (fresh, same data) takes old's place in the swap cache:
 * PG_swapcache, private and the slot's cache index move; counters stay. */
void swap_cache_move(struct page *old, struct page *new);
/* One more swap PTE holds page's slot (reclaim replaced a PTE). */
void swap_dup(u64 offset);
/* A swap PTE holding offset is gone (zap, or swapped in). */
void swap_put(u64 offset);
/* The swap-cache page of offset, or NULL. */
struct page *swap_cache_lookup(u64 offset);
/* Fill page (fresh) from slot offset and add it to the swap cache.
 * 0, -EIO (checksum mismatch: the report is printed), -ENOENT. */
int swap_read_page(u64 offset, struct page *page);
/* Whether swap is nearly full: more than 7/8 of the slots in use, or zram
 * above 7/8 of its memory limit. Then swap-in does not keep the compressed
 * copy of a page it maps (Linux's vm_swap_full(), which says half: a copy
 * here costs only its compressed size, and keeping it saves compressing
 * the page again). */
bool swap_mostly_full(void);

#endif
