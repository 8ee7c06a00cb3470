/*
 * The page cache (mm/filemap.c): one address_space per file of the app
 * image, and shmem objects for MAP_SHARED anonymous memory. A page enters
 * the cache on its first fault (a major fault: readpage does the I/O) and
 * stays (Cached in meminfo) while the file exists, shared by every mm that
 * maps it. Each cached page holds one reference for the cache.
 */
#ifndef MM_FILEMAP_H
#define MM_FILEMAP_H

#include <mm/mm_types.h>

/* Set up as for a file of size bytes read by ops (pages[] allocated). 0 or -ENOMEM. */
int address_space_init(struct address_space *as, const char *name, u64 size,
		       const struct address_space_ops *ops, void *host, u32 ino);
/* A new shmem object of size bytes (refs = 1 for the creator). NULL on -ENOMEM. */
struct address_space *shmem_create(u64 size);
/* Drop a reference; at 0 the cached pages (unmapped by then) are freed and,
 * for shmem, the object itself. */
void address_space_put(struct address_space *as);
/* Free every cached page that nobody maps (reclaim later; tests). Returns pages freed. */
u64 address_space_drop_clean(struct address_space *as);
/* Whether every reference to as is a VMA of mm: a shmem object (an
 * anonymous MAP_SHARED region) whose data dies with mm. */
bool shmem_private_to(const struct address_space *as, const struct mm_struct *mm);
/* The OOM reaper: when every reference to shmem object as is a VMA of mm
 * (an anonymous MAP_SHARED region of a dying app), free its pages that
 * nothing maps any more (the caller zapped mm's mappings first): its
 * data dies with mm. The pages freed; 0 for a shared or file object. */
u64 shmem_reap(struct address_space *as, const struct mm_struct *mm);

/* The cached page at index with a reference taken, reading it in (through
 * ops->readpage, or from swap for a swapped shmem page: *major = true) or,
 * for shmem, allocating a zeroed page if absent. NULL with *err = -EIO
 * (read failed, a swap checksum mismatch, or index beyond the file:
 * SIGBUS) / -ENOMEM. */
struct page *filemap_get_page(struct address_space *as, u64 index, bool *major, int *err);
/* Reclaim: take p (a file page nobody maps; referenced by the cache and the
 * caller only) out of its cache. true if it was taken (the caller's
 * reference is then the last); false for shmem or a page in use. */
bool filemap_evict_page(struct page *p);
/* Reclaim: p is a shmem page that nobody maps, in the swap cache (its data
 * stored in a slot by add_to_swap); replace it in its object with the
 * swap entry of that slot and take it out of the page cache. true if done
 * (the caller's reference is then the last; the caller makes the entry
 * hold the slot and takes p out of the swap cache); false if p is in use
 * (nothing changed). */
bool shmem_swapout(struct page *p);
/* Migration: new (same data; the caller moves mapping/index and the
 * references) takes cached page old's slot in its address_space. */
void filemap_replace_page(struct page *old, struct page *new);
/* The cached page at index (no reference), or NULL (also while a shmem
 * page is in swap): never reads. */
struct page *filemap_find_page(struct address_space *as, u64 index);

#endif
