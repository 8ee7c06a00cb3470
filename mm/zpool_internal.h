/*
 * zpool's insides (mm/zpool.c, mm/zpool_compact.c): the pool, its size
 * classes and zspage descriptors, and the locked helpers compaction
 * shares with allocation. Only those two files include it; the picture
 * and the rules are at the top of mm/zpool.c.
 */
#ifndef MM_ZPOOL_INTERNAL_H
#define MM_ZPOOL_INTERNAL_H

#include <arch/phys.h>
#include <lib/panic.h>
#include <lib/spinlock.h>
#include <mm/page.h>
#include <mm/zpool.h>

#define ZS_NONE 0xffffu
#define H_FREE 0x80000000u
#define H_SLOT_BITS 12
#define H_MAX_SLOTS (1u << H_SLOT_BITS)
#define HANDLES_PER_CHUNK (PAGE_SIZE / sizeof(u32))
#define HANDLE_CHUNKS 512u
#define POOL_ORDER 2

struct zspage {
	struct page *first; /* NULL: descriptor free, next = next free id */
	u32 next, prev;     /* partial list of the class (0: none) */
	u8 cls;
	u8 marked;          /* compaction: a source being emptied */
	u16 inuse;
	u16 free_head;      /* freed slots below bump (ZS_NONE: none) */
	u16 bump;           /* slots [0, bump) have been handed out; pages cover them */
};
/* 24 bytes with 64-bit pointers, 20 with 32-bit ones */
_Static_assert(sizeof(struct zspage) == sizeof(struct page *) + 16, "zspage descriptor layout");

#define DESCS_PER_CHUNK (PAGE_SIZE / sizeof(struct zspage))
#define DESC_CHUNKS 1024u

struct zclass {
	u16 size;  /* slot size, bytes */
	u8 pages;  /* pages per zspage */
	u16 objs;  /* slots per zspage */
	u32 partial; /* head of the partly used list */
	u32 zspages;
	u32 inuse;   /* live objects */
};

struct zpool {
	spinlock_t lock;
	unsigned long irqflags; /* held between map and unmap */
	gfp_t gfp;
	u64 limit;        /* pages, 0: none */
	u64 pages_used;
	u64 zspage_pages;
	u64 bytes_stored;
	u64 objects;
	u64 compacted;
	u32 free_handle;  /* head of the free handle list (0: none) */
	u32 nr_handles;   /* handles ever made (table size) */
	u32 free_desc;
	u32 nr_descs;
	enum zpool_mapmode map_mode;
	void *map_ptr;    /* NULL: direct mapping, else span buffer */
	u32 handle_dir[HANDLE_CHUNKS]; /* pfns of the table's pages (0: none yet) */
	u32 desc_dir[DESC_CHUNKS];
	struct zclass cls[ZPOOL_NR_CLASSES];
	u8 span_buf[ZPOOL_MAX_SIZE] __aligned(16); /* per CPU (one CPU today) */
	struct page *reserve[ZPOOL_RESERVE]; /* for when the allocator has none */
	unsigned nreserve;
};

_Static_assert(sizeof(struct zpool) <= (PAGE_SIZE << POOL_ORDER), "struct zpool outgrew its pages");

static inline void *pfn_va(u32 pfn) { return phys_to_virt(pfn_to_phys(pfn)); }

static inline u32 *zp_handle_entry(struct zpool *p, zhandle_t h)
{
	BUG_ON(h == 0 || h >= p->nr_handles);
	return (u32 *)pfn_va(p->handle_dir[h / HANDLES_PER_CHUNK]) + h % HANDLES_PER_CHUNK;
}

static inline struct zspage *zp_desc(struct zpool *p, u32 id)
{
	BUG_ON(id == 0 || id >= p->nr_descs);
	return (struct zspage *)pfn_va(p->desc_dir[id / DESCS_PER_CHUNK]) + id % DESCS_PER_CHUNK;
}

/* The link word of free slot slot of zspage z. */
u16 *zp_slot_link(struct zspage *z, struct zclass *c, u16 slot);
/* Class c's partial list: take zspage id off / put it at the head. Lock held. */
void zp_list_del_locked(struct zpool *p, struct zclass *c, u32 id);
void zp_list_add_locked(struct zpool *p, struct zclass *c, u32 id);
/* Give zspage id the pages its next slot reaches into: 0 or -ENOMEM. Lock held. */
int zp_grow_locked(struct zpool *p, struct zclass *c, u32 id, gfp_t gfp);
/* Hand out the next slot of zspage id (which has room). Lock held. */
u16 zp_take_slot_locked(struct zpool *p, struct zclass *c, u32 id);
/* Return empty zspage id's pages and descriptor. Lock held. */
void zp_release_zspage_locked(struct zpool *p, struct zclass *c, u32 id);
/* Copy between slot s's object and buf: to_obj selects the direction. */
void zp_copy_obj(struct zspage *z, struct zclass *c, u16 s, void *buf, size_t len, bool to_obj);
/* A table page (handle or descriptor chunk) back to the page allocator. */
void zp_free_table(u32 pfn);
/* Give the reserve's pages back to the page allocator. Lock held. */
void zp_reserve_release_locked(struct zpool *p);

#endif
