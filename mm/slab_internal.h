/*
 * Internals shared by mm/slab.c, mm/slab_cpu.c, mm/slab_debug.c,
 * mm/kmalloc.c and mm/slab_report.c.
 *
 * A slab is 2^order pages from the buddy allocator holding `objects`
 * slots of `size` bytes. Its head struct page carries the metadata:
 *
 *   flags    PG_slab (head), PG_slab_tail (other pages: private -> head)
 *   mapping  the kmem_cache
 *   private  freelist of a slab that is not a CPU slab (hardened pointers)
 *   mapcount objects in use (for the CPU slab: objects not on private)
 *   index    objects per slab
 *   slab_owner  (pkmap's place: slabs are lowmem) the owner: CPU + 1 whose
 *            working set holds the slab, 0 on the cache's node lists (and
 *            on every lowmem page that is no slab's head: kfree's fast
 *            path reads it without looking at PG_slab);
 *            SLAB_OWNER_DEBUG besides for a debug cache's slab,
 *            SLAB_OWNER_FULL while it is on its owner's c->full
 *   lru      link on a list: the cache's partial / full / empty (owner 0)
 *            or its owner's partial / full list
 *
 * Where a slab is, and who may touch its freelist and count:
 *
 *   CPU slab        c->slab, owner = CPU + 1; objects to hand out on
 *                   c->freelist, objects freed since on page->private
 *                   (taken over when c->freelist runs dry); mapcount =
 *                   objects not on page->private, so in use = mapcount -
 *                   length of c->freelist; a debug cache's c->freelist stays
 *                   NULL: it allocates from page->private (checked)
 *   working set     owner = CPU + 1, on c->partial (some or all objects
 *                   free; c->nr_empty of them all free) or c->full
 *   owner's frees   into any slab of the working set, the CPU slab
 *                   included: pushed on page->private with IRQs masked
 *                   and no lock, mapcount - 1 (mimalloc's local free list;
 *                   the free path never looks at the CPU's lists unless
 *                   the slab changes state)
 *   node lists      owner = 0, on s->partial / s->full / s->empty;
 *                   freelist and count under s->lock
 *
 * A free from another CPU into a slab of some CPU's working set (a remote
 * free) is pushed, under s->lock, on that CPU's s->remote list and still
 * counts as in use; the owner collects s->remote when its CPU slab runs
 * dry and when the cache is shrunk. /proc/slabinfo's active objects are
 * the counts minus the remote objects not yet collected.
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
 * Locking: s->lock (IRQs masked) protects the node lists, node slabs'
 * freelists and counts, every slab's owner field (written only under it),
 * every CPU's s->remote list, and nr_slabs. A CPU's kmem_cache_cpu (CPU
 * slab, freelist, partial/full lists, counts) is used by that CPU only,
 * with IRQs masked. Slabs are made and freed with s->lock dropped, so
 * zone->lock is never taken under it (the order table at the top of
 * mm/rmap.c).
 */
#ifndef MM_SLAB_INTERNAL_H
#define MM_SLAB_INTERNAL_H

#include <arch/irqflags.h>
#include <lib/list.h>
#include <lib/spinlock.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <string.h>

#define SLAB_NAME_LEN 32
#define ZERO_SIZE_PTR ((void *)16) /* kmalloc(0): not NULL, faults if used */
#define SLAB_MAX_EMPTY 4 /* empty slabs kept on the node lists before giving pages back */
/* Empty slabs a CPU keeps in its working set per cache: up to this many
 * bytes of them, and at least SLAB_CPU_EMPTY_MIN slabs; beyond, they go to
 * the node lists (and from there, beyond SLAB_MAX_EMPTY, to the buddy).
 * A CPU that has to make a new slab after giving empty ones away (churn: a
 * burst outgrew the budget) doubles its budget for that cache, up to
 * SLAB_CPU_EMPTY_CAP_BYTES; shrinking the cache (the slab shrinker runs
 * under memory pressure) gives the empty slabs back and the budget returns
 * to SLAB_CPU_EMPTY_BYTES. */
#ifndef SLAB_CPU_EMPTY_BYTES
#define SLAB_CPU_EMPTY_BYTES (32u << 10)
#endif
#ifndef SLAB_CPU_EMPTY_CAP_BYTES
#define SLAB_CPU_EMPTY_CAP_BYTES (256u << 10)
#endif
#define SLAB_CPU_EMPTY_MIN 2
#define SLAB_NR_CPUS 4

/*
 * The CPU this code runs on, and two values the fast paths derive from it:
 * slab_cpu_owner (CPU + 1, what slab_owner_word() reads of a slab this CPU
 * holds, of a cache without debugging, not full) and slab_cpu_offset (its
 * kmem_cache_cpu's offset in s->cpu). Pagoda brings up one CPU (0); host
 * tests and the fuzzer call slab_set_cpu() to act as another one (remote
 * frees). An SMP port keeps the three in per-CPU data instead.
 */
extern unsigned slab_cpu_id, slab_cpu_owner;
extern uintptr_t slab_cpu_offset;
static inline unsigned slab_this_cpu(void) { return slab_cpu_id; }
void slab_set_cpu(unsigned cpu);

/* A CPU's working set: used by that CPU only (64 bytes with 64-bit pointers). */
struct kmem_cache_cpu {
	void *freelist;    /* free objects of the CPU slab (hardened list) */
	struct page *slab; /* the CPU slab, or NULL */
	struct list_head partial, full; /* the rest of the working set */
	u32 nr_partial, nr_full, nr_empty; /* nr_empty: all-free slabs on partial */
	u16 empty_max; /* empty slabs kept now (SLAB_CPU_EMPTY_*: it adapts) */
	u16 released;  /* empty slabs given to the node lists since the budget last grew */
};

/* Frees from other CPUs into a CPU's working set, kept off that CPU's
 * line: written by the freeing CPUs, all under s->lock. */
struct kmem_cache_remote {
	void *list; /* hardened list */
	u64 nr;
};

struct slab_stats {
	u64 alloc_slow, free_local, free_remote, free_slow, slabs_allocated, slabs_freed;
};

struct kmem_cache {
	struct kmem_cache_cpu cpu[SLAB_NR_CPUS]; /* first: the fast paths index it from the cache's address */
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
	struct kmem_cache_remote remote[SLAB_NR_CPUS];
	unsigned cpu_empty_max; /* empty slabs a CPU keeps to start with (SLAB_CPU_EMPTY_BYTES) */
	unsigned cpu_empty_cap; /* and at most (SLAB_CPU_EMPTY_CAP_BYTES) */
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
/* The head page behind a lowmem linear address (a slab's head for any of
 * its pages), or NULL: the hot paths' lookup, one compare for the range. */
static inline bool slab_head_lookup(const void *obj, struct page **head)
{
	struct page *p;

	if (unlikely(!linear_page_lookup(obj, &p)))
		return false;
	/* a tail page's private is its head (frees in random order land on
	 * head and tail pages of a multi-page slab alike: no likely side) */
	if (PAGE_FLAG(p, PG_slab_tail))
		p = (struct page *)p->private;
	*head = p;
	return true;
}
static inline struct page *slab_head_page(const void *obj)
{
	struct page *p;

	return slab_head_lookup(obj, &p) ? p : NULL;
}
/* The slab's head page of obj, or NULL if obj is not in a slab. */
static inline struct page *slab_page_of(const void *obj)
{
	struct page *p = slab_head_page(obj);

	return p && PAGE_FLAG(p, PG_slab) ? p : NULL;
}
void *slab_slot(const struct kmem_cache *s, const void *obj);
bool slab_is_object_start(const struct kmem_cache *s, const struct page *slab, const void *obj);
static inline void *slab_address(const struct page *slab) { return page_address(slab); }
static inline unsigned slab_objects(const struct page *slab) { return (u32)slab->index; }
/* In the owner word of a debug cache's slab besides the CPU: kfree's fast
 * test (the word equal to this CPU + 1) fails, so the checks run. */
#define SLAB_OWNER_DEBUG 0x8000u
/* Also there while the slab is on its owner's c->full: kfree's fast test
 * fails for it, so the fast path never asks whether a slab was full. Set
 * and cleared by the owner CPU alone (IRQs masked), without s->lock: the
 * others read the owner only under s->lock, and never need this bit. */
#define SLAB_OWNER_FULL 0x4000u
_Static_assert(SLAB_NR_CPUS < SLAB_OWNER_FULL, "slab_owner: CPU + 1 below the flag bits");
static inline unsigned slab_owner_word(const struct page *slab)
{
	return READ_ONCE(slab->slab_owner);
}
static inline unsigned slab_owner(const struct page *slab)
{
	return slab_owner_word(slab) & ~(SLAB_OWNER_DEBUG | SLAB_OWNER_FULL);
}
/* s->lock held (a slab of no CPU's working set has no SLAB_OWNER_FULL). */
static inline void slab_set_owner(const struct kmem_cache *s, struct page *slab, unsigned owner)
{
	if (owner && (s->flags & SLAB_DEBUG_FLAGS))
		owner |= SLAB_OWNER_DEBUG;
	WRITE_ONCE(slab->slab_owner, (u16)owner);
}
/* The owner CPU, IRQs masked: the slab goes on (full) or leaves c->full. */
static inline void slab_set_full(struct page *slab, bool full)
{
	unsigned w = slab_owner_word(slab);

	w = full ? w | SLAB_OWNER_FULL : w & ~SLAB_OWNER_FULL;
	WRITE_ONCE(slab->slab_owner, (u16)w);
}

/* ---- hardened free pointers ---- */

/* loc's address with its bytes reversed, at a pointer's width (a 64-bit
 * swap of a 32-bit address would leave nothing of it in the low half) */
static inline uintptr_t slab_swab_ptr(const void *loc)
{
	uintptr_t a = (uintptr_t)loc;

	return sizeof(a) == 8 ? (uintptr_t)__builtin_bswap64((u64)a) : (uintptr_t)__builtin_bswap32((u32)a);
}

static inline void *slab_get_fp(const struct kmem_cache *s, const void *obj)
{
	const uintptr_t *loc = (const uintptr_t *)((const char *)obj + s->offset);

	return (void *)(*loc ^ s->random ^ slab_swab_ptr(loc));
}

static inline void slab_set_fp(const struct kmem_cache *s, void *obj, void *next)
{
	uintptr_t *loc = (uintptr_t *)((char *)obj + s->offset);

	*loc = (uintptr_t)next ^ s->random ^ slab_swab_ptr(loc);
}

/* slab.c: node lists and slabs (s->lock taken inside unless _locked) */
struct page *slab_new(struct kmem_cache *s, gfp_t gfp); /* owner 0, on no list */
void slab_discard(struct kmem_cache *s, struct page *page);
void slab_list_locked(struct kmem_cache *s, struct page *page);
void slab_unlist_locked(struct kmem_cache *s, struct page *page);
/* s->lock held: take a node slab with free objects (or NULL) for CPU `owner`. */
struct page *slab_take_node_locked(struct kmem_cache *s, unsigned owner);
/* Free obj into a node slab (owner 0); returns true if the slab is to be discarded (s->lock held). */
bool slab_free_node_locked(struct kmem_cache *s, struct page *page, void *obj);

/* slab_cpu.c: the per-CPU working set */
void slab_cpu_init(struct kmem_cache *s);
/* IRQs masked: collect this CPU's remote frees, put the CPU slab back into
 * the working set and hand its empty slabs (all slabs if `all`) to the
 * node lists. */
void slab_cpu_flush(struct kmem_cache *s, bool all);
/* Hand every CPU's working set to the node lists, as each CPU. Only when no
 * CPU uses the cache any more (kmem_cache_destroy). */
void slab_cpu_flush_all(struct kmem_cache *s);
/* s->lock held: objects in use in the working sets (CPU slabs, partial,
 * full), minus remote frees not collected; slabs and total objects. */
void slab_cpu_count_locked(struct kmem_cache *s, u64 *active, u64 *total, u64 *slabs, u64 *active_slabs);
/* Whether obj is on the CPU freelist or a remote list (debug checks). */
bool slab_cpu_holds_free(struct kmem_cache *s, struct page *slab, const void *obj);
/* The paths behind the inline fast paths below. */
/* __GFP_ZERO: clear what the caller asked for (past it, kmalloc's slack is a
 * red zone under slab debugging: zeroing it was reported as an overflow). */
void *slab_zero(struct kmem_cache *s, void *obj, size_t orig_size);
/* (kmalloc's size and gfp first: they stay in the registers they came in) */
void *slab_alloc_slow(size_t orig_size, gfp_t gfp, struct kmem_cache *s, uintptr_t caller);
void slab_free_debug(struct kmem_cache *s, struct page *slab, void *obj, uintptr_t caller);
/* IRQs masked, slab on this CPU's c->full, obj pushed on its (empty)
 * list, its count not yet dropped: the slab moves to c->partial. */
void slab_free_local_edge(struct kmem_cache *s, struct page *slab);
/* The same, the count dropped to 0: the slab is empty. */
void slab_free_local_empty(struct page *slab);
/* IRQs masked, slab on this CPU's c->full: free obj into it (kfree's cold
 * side; obj first, where kfree has it). */
void slab_free_local_full(void *obj, struct page *slab);
/* IRQs masked, slab outside this CPU's working set. */
void slab_free_remote(struct kmem_cache *s, struct page *slab, void *obj);

/* This CPU's working set: s->cpu[slab_this_cpu()]. */
static inline struct kmem_cache_cpu *slab_cpu(struct kmem_cache *s)
{
	return (struct kmem_cache_cpu *)((char *)s->cpu + slab_cpu_offset);
}

/* An object of cache s, or NULL; any context with GFP_ATOMIC. Inline so
 * that kmalloc pops the CPU freelist without a call; may_zero false: the
 * caller knows gfp holds no __GFP_ZERO. */
static inline __attribute__((always_inline)) void *slab_alloc_fast(struct kmem_cache *s, gfp_t gfp, uintptr_t caller,
								  size_t orig_size, bool may_zero)
{
	unsigned long f = arch_irq_save();
	void **freelist = &slab_cpu(s)->freelist;
	void *obj = *freelist;

	if (unlikely(!obj)) { /* (always NULL for a debug cache: see activate()) */
		arch_irq_restore(f);
		return slab_alloc_slow(orig_size, gfp, s, caller);
	}
	*freelist = slab_get_fp(s, obj);
	arch_irq_restore(f);
	if (may_zero && unlikely(gfp & __GFP_ZERO))
		return slab_zero(s, obj, orig_size); /* a tail call: the fast path keeps no frame */
	return obj;
}

static inline void *slab_alloc_node(struct kmem_cache *s, gfp_t gfp, uintptr_t caller, size_t orig_size)
{
	return slab_alloc_fast(s, gfp, caller, orig_size, true);
}

/* IRQs masked, slab in this CPU's working set and not on c->full (its list
 * may be empty only if it is the CPU slab): push obj on its list. The slab
 * changes state only if this was its last object. */
static inline void slab_free_local_partial(struct kmem_cache *s, struct page *slab, void *obj)
{
	slab_set_fp(s, obj, (void *)slab->private);
	slab->private = (uintptr_t)obj;
	if (unlikely(--slab->mapcount == 0))
		slab_free_local_empty(slab);
}

/* IRQs masked, slab in this CPU's working set: push obj on its list. */
static inline void slab_free_local(struct kmem_cache *s, struct page *slab, void *obj)
{
	if (unlikely(slab_owner_word(slab) & SLAB_OWNER_FULL))
		slab_free_local_full(obj, slab);
	else
		slab_free_local_partial(s, slab, obj);
}

/* IRQs masked: free obj of slab on this CPU (the dispatch of slab_cpu.c). */
static inline void slab_free_masked(struct kmem_cache *s, struct page *slab, void *obj)
{
	if (likely(slab_owner(slab) == slab_this_cpu() + 1))
		slab_free_local(s, slab, obj);
	else
		slab_free_remote(s, slab, obj);
}

/* Free obj, an object start of slab (a slab of s). Any context. */
static inline void slab_free_object(struct kmem_cache *s, struct page *slab, void *obj, uintptr_t caller)
{
	unsigned long f;

	if (unlikely(s->flags & SLAB_DEBUG_FLAGS)) {
		slab_free_debug(s, slab, obj, caller);
		return;
	}
	f = arch_irq_save();
	slab_free_masked(s, slab, obj);
	arch_irq_restore(f);
}

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
