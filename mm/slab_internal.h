/*
 * Internals shared by mm/slab.c, mm/slab_debug.c, mm/kmalloc.c and
 * mm/slab_report.c.
 *
 * A slab is 2^order pages from the buddy allocator holding `objects`
 * slots of `size` bytes. Its head struct page carries the metadata:
 *
 *   flags    PG_slab (head), PG_slab_tail (other pages: private -> head)
 *   mapping  the kmem_cache
 *   private  freelist of a slab that is not a CPU slab (hardened pointers)
 *   mapcount objects in use
 *   index    objects per slab
 *   lru      link on the cache's partial / full / empty list
 *
 * A slot (one object) with every debug option on:
 *
 *   | left red zone | object .... | right red zone | free ptr | track alloc | track free |
 *   ^ slot          ^ object (returned)             ^ offset  ^ (SLAB_STORE_USER)
 *   <- red_left ->  <- object_size ->
 *
 * Without debugging the free pointer lives inside the free object (at
 * `offset`, mid-object, or after it for caches with a constructor) and a
 * slot is the object rounded up to its alignment.
 *
 * Free pointers are stored as  next ^ cache->random ^ bswap(&slot) so a
 * stray write or an overflow from the neighbour cannot plant a pointer.
 *
 * Locking: s->lock (IRQs masked) protects the partial/full/empty lists
 * and non-CPU slabs' freelists and counts; the CPU slab and its freelist
 * are used with IRQs masked on their own CPU. Slabs are made and freed
 * with s->lock dropped, so zone->lock is never taken under it (the order
 * table at the top of mm/rmap.c).
 */
#ifndef MM_SLAB_INTERNAL_H
#define MM_SLAB_INTERNAL_H

#include <lib/list.h>
#include <lib/spinlock.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>

#define SLAB_NAME_LEN 32
#define SLAB_MAX_EMPTY 4 /* empty slabs kept per cache before giving pages back */

struct kmem_cache_cpu {
	void *freelist;    /* free objects of the CPU slab (hardened list) */
	struct page *slab; /* the CPU slab, or NULL */
};

struct slab_stats {
	u64 alloc_fast, alloc_slow, free_fast, free_slow, slabs_allocated, slabs_freed;
};

struct kmem_cache {
	char name[SLAB_NAME_LEN];
	unsigned flags;
	unsigned object_size; /* what the user asked for */
	unsigned size;        /* slot size */
	unsigned align;
	unsigned offset;      /* free pointer, from the object start */
	unsigned red_left;    /* left red zone (0 without SLAB_RED_ZONE) */
	unsigned inuse;       /* end of object + right red zone, from the object start */
	unsigned track_off;   /* struct slab_track[2], from the object start */
	unsigned order;       /* pages per slab = 2^order */
	unsigned objects;     /* per slab */
	uintptr_t random;     /* free pointer hardening secret */
	void (*ctor)(void *);
	struct kmem_cache_cpu cpu;
	spinlock_t lock;
	struct list_head partial, full, empty;
	u64 nr_partial, nr_full, nr_empty, nr_slabs;
	u64 active_objects;   /* in use, all slabs */
	u64 quarantined;
	struct slab_stats stats;
	struct list_head list; /* all caches */
};

struct slab_track {
	uintptr_t addr; /* call site */
	u64 when;       /* ticks (alloc/free order), from slab_clock() */
	u32 orig_size;  /* kmalloc: bytes asked for */
	u32 state;      /* TRACK_ALLOCATED / TRACK_FREE */
};
#define TRACK_ALLOCATED 0x0a110c8d
#define TRACK_FREE 0x0f4eeeed

extern struct list_head slab_caches;
extern spinlock_t slab_caches_lock;

/* slab.c */
int kmem_cache_setup(struct kmem_cache *s, const char *name, size_t size, size_t align, unsigned flags,
		     void (*ctor)(void *));
void slab_register_shrinker(void);
struct page *slab_page_of(const void *obj);    /* head page, or NULL if not a slab object */
void *slab_slot(const struct kmem_cache *s, const void *obj);
bool slab_is_object_start(const struct kmem_cache *s, const struct page *slab, const void *obj);
void *slab_alloc_node(struct kmem_cache *s, gfp_t gfp, uintptr_t caller, size_t orig_size);
void slab_free_object(struct kmem_cache *s, struct page *slab, void *obj, uintptr_t caller);
void *slab_get_fp(const struct kmem_cache *s, const void *obj);
static inline void *slab_address(const struct page *slab) { return page_address(slab); }

/* slab_debug.c: called only for caches with debug flags */
void slab_debug_layout(struct kmem_cache *s);
void slab_debug_init_slot(struct kmem_cache *s, void *obj);
bool slab_debug_alloc_check(struct kmem_cache *s, struct page *slab, void *obj, uintptr_t caller,
			    size_t orig_size);
bool slab_debug_free_check(struct kmem_cache *s, struct page *slab, void *obj, uintptr_t caller);
void slab_report_bad_pointer(struct kmem_cache *s, const void *obj, const char *why, uintptr_t caller);
unsigned slab_debug_flags_for(const char *name);
void slab_debug_set(const char *spec);
void slab_track_alloc(struct kmem_cache *s, void *obj, uintptr_t caller, size_t orig_size);
void slab_track_free(struct kmem_cache *s, void *obj);
u64 slab_clock(void);

#endif
