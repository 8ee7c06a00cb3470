/*
 * zpool: an object store for compressed pages (mm/zpool.c has the layout
 * picture). Objects of 1..ZPOOL_MAX_SIZE bytes are packed into "zspages"
 * of 1..16 order-0 pages by size class (every 16 bytes); an object may
 * span a page boundary. A handle names an object for its whole life:
 * compaction moves objects and keeps their handles valid.
 *
 * Error taxonomy: a bad handle or size is a programming error (BUG_ON);
 * running out of pages returns -ENOMEM, reaching the pool's page limit
 * -ENOSPC, and in both cases the pool is exactly as before the call.
 *
 * Locking: one spinlock per pool (IRQs masked) protects everything in it;
 * zpool_map() returns with that lock held and zpool_unmap() drops it, so
 * no zpool call may be made between them on the same pool. The pool
 * never sleeps: pages come from alloc_pages() with the caller's GFP flags.
 */
#ifndef MM_ZPOOL_H
#define MM_ZPOOL_H

#include <mm/gfp.h>
#include <stdio.h>
#include <types.h>

#define ZPOOL_MAX_SIZE 4096u   /* largest object: one raw page */
#define ZPOOL_CLASS_STEP 16u   /* size classes every 16 bytes */
#define ZPOOL_NR_CLASSES (ZPOOL_MAX_SIZE / ZPOOL_CLASS_STEP)
#define ZPOOL_MAX_ZSPAGE_PAGES 16u

typedef u32 zhandle_t; /* 0 is never a valid handle */

enum zpool_mapmode { ZPOOL_MM_RO, ZPOOL_MM_WO, ZPOOL_MM_RW };

struct zpool;

struct zpool_stats {
	u64 pages_used;   /* every page the pool owns: zspages + tables + the pool itself */
	u64 zspage_pages; /* pages of zspages only (Linux's zs_get_total_pages) */
	u64 bytes_stored; /* sum of the slot sizes of live objects */
	u64 objects;      /* live objects */
	u64 pages_compacted; /* pages given back by compaction, ever */
};

/* Create an empty pool whose own pages come with gfp; NULL if none. */
struct zpool *zpool_create(gfp_t gfp);
/* Free every page of the pool; live handles become invalid. */
void zpool_destroy(struct zpool *pool);
/* Pages the pool keeps for when the page allocator has none, so that a
 * store inside reclaim can go on when memory outside CMA has run out (the
 * zspages are not movable) and the page it frees refills them. */
#define ZPOOL_RESERVE 4
/* Top the reserve up with gfp; whether it is full (then an object of any
 * size can be stored even if the allocator fails). zram calls it before
 * compressing, so that a store that could not be kept costs no
 * compression. An empty pool gives its reserve back on zpool_compact. */
bool zpool_reserve(struct zpool *pool, gfp_t gfp);
/* Cap the pool at max_pages (0: no cap); zpool_alloc then fails -ENOSPC. */
void zpool_set_limit(struct zpool *pool, u64 max_pages);

/* Allocate a size-byte object (1..ZPOOL_MAX_SIZE); *out gets its handle.
 * Returns 0, -ENOMEM (page allocator failed) or -ENOSPC (limit). */
int zpool_alloc(struct zpool *pool, size_t size, gfp_t gfp, zhandle_t *out);
/* Free an object. */
void zpool_free(struct zpool *pool, zhandle_t h);

/* Access an object's bytes; takes the pool lock until zpool_unmap(). A
 * spanning object is copied through the pool's per-CPU buffer (in for
 * RO/RW, back out on unmap for WO/RW). */
void *zpool_map(struct zpool *pool, zhandle_t h, enum zpool_mapmode mode);
void zpool_unmap(struct zpool *pool, zhandle_t h);
/* Copy len (<= the object's size) bytes into an object (one copy, no map). */
void zpool_write(struct zpool *pool, zhandle_t h, const void *src, size_t len);

/* The object's slot size: the size asked for, rounded up to 16. */
size_t zpool_obj_size(struct zpool *pool, zhandle_t h);
/* Whether the pool has a limit and uses more than 7/8 of it (lock-free
 * hint). */
bool zpool_nearly_full(const struct zpool *p);
/* About how many pages zpool_compact() would give back now (each class's
 * zspages beyond what its live objects need, in pages): cheap, for
 * deciding whether compaction is worth its cost. */
u64 zpool_compactable(struct zpool *p);
/* Move objects from sparse zspages into fuller ones of their class and
 * free the emptied zspages; returns the number of pages freed. */
u64 zpool_compact(struct zpool *pool);
void zpool_get_stats(struct zpool *pool, struct zpool_stats *st);
/* Pages the pool holds now (zpool_stats.pages_used), without its lock. */
u64 zpool_pages_used(const struct zpool *pool);
/* Live objects in size class c (c = (size - 1) / ZPOOL_CLASS_STEP). */
u64 zpool_class_objects(struct zpool *pool, unsigned c);
/* Print one line per non-empty class (size, pages per zspage, objects,
 * zspages, objects per zspage) in the spirit of zsmalloc's classes file. */
void zpool_show_classes(struct zpool *pool, FILE *f);

#endif
