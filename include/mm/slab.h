/*
 * Slab caches and kmalloc: small kernel objects carved out of pages from
 * the buddy allocator (a SLUB-like design: each cache keeps one slab per
 * CPU whose free objects are popped without taking a lock).
 *
 * Contracts:
 *  - kmem_cache_alloc/kmalloc return memory aligned to the cache's
 *    alignment (kmalloc: at least 8 bytes, the size class for powers of
 *    two), or NULL; __GFP_ZERO zeroes it. Any context with GFP_ATOMIC.
 *  - kmem_cache_free/kfree of NULL does nothing; a pointer that is not a
 *    live object of that cache is reported (with 'F' debugging) and
 *    ignored, never corrupts the cache.
 *  - kmalloc sizes above KMALLOC_MAX_CACHE_SIZE come from the page
 *    allocator as whole pages and are tracked (ksize works on them).
 * Errors: NULL; kmem_cache_destroy() of a cache with live objects
 * reports them and returns -EBUSY.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <mm/gfp.h>
#include <stdio.h>
#include <types.h>

/* kmem_cache_create flags */
#define SLAB_HWCACHE_ALIGN 0x0001u   /* align objects to the cache line (64) */
#define SLAB_RECLAIM_ACCOUNT 0x0002u /* objects are reclaimable (SReclaimable) */
#define SLAB_PANIC 0x0004u           /* panic if the cache cannot be created */
#define SLAB_CONSISTENCY_CHECKS 0x0100u /* 'F': sanity checks on free */
#define SLAB_RED_ZONE 0x0200u        /* 'Z': red zones around objects */
#define SLAB_POISON 0x0400u          /* 'P': poison free objects */
#define SLAB_STORE_USER 0x0800u      /* 'U': alloc/free call sites, leak tracking */
#define SLAB_DEBUG_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)
#define SLAB_KMALLOC 0x1000u         /* internal: a kmalloc size class */

#define KMALLOC_MIN_SIZE 8
#define KMALLOC_MAX_CACHE_SIZE 8192

struct kmem_cache;

/* Bring up the kmalloc caches; debug is board.cfg's SLAB_DEBUG string. */
void kmem_cache_init(const char *debug);

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align, unsigned flags,
				     void (*ctor)(void *));
int kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *obj);
/* Give the cache's empty slabs back to the page allocator; returns pages freed. */
u64 kmem_cache_shrink(struct kmem_cache *s);
/* Shrink every cache (the reclaim entry point). */
u64 kmem_cache_shrink_all(void);

void *__kmalloc(size_t size, gfp_t gfp);
void *__kmalloc_nozero(size_t size, gfp_t gfp); /* gfp holds no __GFP_ZERO */
/* Flags known at compile time without __GFP_ZERO (nearly every call) take
 * an entry point that does not test for it, as Linux's inline kmalloc()
 * does its choices at compile time; the caller recorded for SLAB_STORE_USER
 * is still the code that called kmalloc(). */
static inline __attribute__((always_inline)) void *kmalloc(size_t size, gfp_t gfp)
{
	if (__builtin_constant_p(gfp) && !(gfp & __GFP_ZERO))
		return __kmalloc_nozero(size, gfp);
	return __kmalloc(size, gfp);
}
void *kzalloc(size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void *krealloc(void *p, size_t size, gfp_t gfp);
void kfree(const void *p);
/* Usable size of a kmalloc'd block (>= the size asked for). */
size_t ksize(const void *p);

/* Totals for meminfo (bytes). */
struct slab_totals {
	u64 reclaimable, unreclaimable; /* slab pages, by SLAB_RECLAIM_ACCOUNT */
	u64 large_kmalloc;              /* pages behind kmalloc > 8 KiB */
	u64 caches;
};
void slab_totals(struct slab_totals *t);

/* Reports: /proc/slabinfo (version 2.1) and a slabtop-style summary. */
void show_slabinfo(FILE *f);
void show_slabtop(FILE *f, unsigned max_lines);

/* Leak hunting (caches with SLAB_STORE_USER): live objects and bytes per
 * allocation call site; a sample is a snapshot of that table. */
#define SLAB_TRACK_SITES 512
struct slab_site {
	uintptr_t site;
	s64 objects, bytes;
};
struct slab_sample {
	unsigned n;
	struct slab_site sites[SLAB_TRACK_SITES];
};
void slab_track_sample(struct slab_sample *out);
/* Print the sites whose live objects grew from each sample to the next
 * (never shrank) and grew overall; returns how many. */
unsigned slab_leak_check(const struct slab_sample *samples, unsigned n, FILE *f);

/* Problems detected since boot (self-tests read them). */
struct slab_error_counts {
	u64 redzone, poison, freelist, bad_free, double_free, wrong_cache, quarantined;
};
extern struct slab_error_counts slab_errors;

#endif
