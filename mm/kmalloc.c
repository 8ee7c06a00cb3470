/*
 * kmalloc: size classes on slab caches, and whole pages beyond them.
 *
 *   size:   1..8  ..16  ..32  ..64  ..96  ..128  ..192  ..256  ..512 .. 8192 | > 8192
 *   cache:  kmalloc-8 ... kmalloc-96 ... kmalloc-192 ...     kmalloc-8192    | pages
 *
 * Alignment: power-of-two classes are naturally aligned, the others
 * (96, 192) 16-byte aligned, with or without debugging.
 * Sizes up to 256 map to a cache through a table indexed by (size-1)/8;
 * larger ones by their highest bit. Allocations above 8 KiB are compound
 * page blocks marked PG_large_kmalloc, their requested size in
 * page->private, counted for meminfo.
 */
#include <arch/phys.h>
#include <lib/random.h>
#include <mm/report.h>
#include <string.h>

#include "slab_internal.h"

#define ZERO_OR_NULL_PTR(p) ((uintptr_t)(p) <= (uintptr_t)ZERO_SIZE_PTR)

static const unsigned class_sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 };
#define NR_KMALLOC ARRAY_SIZE(class_sizes)
static struct kmem_cache kmalloc_caches[NR_KMALLOC];
static char kmalloc_names[NR_KMALLOC][SLAB_NAME_LEN];
#define SMALL_MAX 256
/* size -> cache for sizes 0..256, one compare and one load (2 KiB with
 * 64-bit pointers, 1 KiB on ARMv7-A). Size 0 has a cache of zero-size
 * objects that never gets a slab: its CPU freelists stay empty and
 * slab_alloc_slow() answers ZERO_SIZE_PTR for it. */
static struct kmem_cache *small_cache[SMALL_MAX + 1];
static struct kmem_cache kmalloc_zero;
static u64 large_pages;

/* The cache for 1 <= size <= KMALLOC_MAX_CACHE_SIZE. */
static inline struct kmem_cache *size_cache(size_t size)
{
	if (size <= SMALL_MAX)
		return small_cache[size];
	/* 512 -> 9, ... 8192 -> 13 - 1 */
	return &kmalloc_caches[(unsigned)(64 - __builtin_clzll(size - 1)) - 1];
}

static void slab_meminfo(struct meminfo *mi)
{
	struct slab_totals t;

	slab_totals(&t);
	mi->sreclaimable += t.reclaimable >> 10;
	mi->sunreclaim += (t.unreclaimable + t.large_kmalloc) >> 10; /* as Linux counts large kmalloc */
}

static struct meminfo_provider slab_provider = { .fill = slab_meminfo };

void kmem_cache_init(const char *debug)
{
	INIT_LIST_HEAD(&slab_caches); /* (host tests bring the allocator up many times) */
	large_pages = 0;
	slab_debug_set(debug);
	for (unsigned i = 0; i < NR_KMALLOC; i++) {
		snprintf(kmalloc_names[i], SLAB_NAME_LEN, "kmalloc-%u", class_sizes[i]);
		unsigned sz = class_sizes[i];

		/* powers of two stay naturally aligned (with red zones too); the
		 * others get 16, what malloc() promises on AArch64 */
		kmem_cache_setup(&kmalloc_caches[i], kmalloc_names[i], sz, (sz & (sz - 1)) ? 16 : sz, SLAB_KMALLOC,
				 NULL);
	}
	small_cache[0] = &kmalloc_zero;
	for (unsigned s = 1, c = 0; s <= SMALL_MAX; s++) {
		while (class_sizes[c] < s)
			c++;
		small_cache[s] = &kmalloc_caches[c];
	}
	static bool registered; /* host tests bring slab up repeatedly: register once */

	if (!registered) {
		slab_register_shrinker();
		meminfo_add_provider(&slab_provider);
	}
	registered = true;
}

static void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned order = get_order(size);
	struct page *p;

	if (order > MAX_ORDER)
		return NULL;
	p = alloc_pages(gfp | __GFP_COMP, order);
	if (!p)
		return NULL;
	p->flags |= 1u << PG_large_kmalloc;
	p->private = size;
	unsigned long f = arch_irq_save();
	large_pages += 1ULL << order;
	arch_irq_restore(f);
	return page_address(p);
}

static void *do_kmalloc(size_t size, gfp_t gfp, uintptr_t caller)
{
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(size, gfp);
	return slab_alloc_node(size_cache(size), gfp, caller, size);
}

/* The fast path: sizes 0..256 in one compare and one table load, then the
 * CPU freelist (slab_alloc_fast); everything else through do_kmalloc.
 * kmalloc() itself is inline in include/mm/slab.h. */
static inline __attribute__((always_inline)) void *kmalloc_fast(size_t size, gfp_t gfp, uintptr_t caller,
								 bool may_zero)
{
	if (likely(size <= SMALL_MAX))
		return slab_alloc_fast(small_cache[size], gfp, caller, size, may_zero);
	return do_kmalloc(size, gfp, caller);
}

void *__kmalloc(size_t size, gfp_t gfp)
{
	return kmalloc_fast(size, gfp, (uintptr_t)__builtin_return_address(0), true);
}

void *__kmalloc_nozero(size_t size, gfp_t gfp)
{
	return kmalloc_fast(size, gfp, (uintptr_t)__builtin_return_address(0), false);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return do_kmalloc(size, gfp | __GFP_ZERO, (uintptr_t)__builtin_return_address(0));
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return do_kmalloc(n * size, gfp | __GFP_ZERO, (uintptr_t)__builtin_return_address(0));
}

/* The head page behind a kmalloc pointer, NULL if it is none of ours. */
static inline struct page *kmalloc_page(const void *p) { return slab_head_page(p); }

static void report_bad_kfree(const void *p, uintptr_t caller, const char *why)
{
	slab_errors.bad_free++;
	printf("=============================================================================\n"
	       "BUG kfree: %s\n"
	       "-----------------------------------------------------------------------------\n"
	       "Pointer %016llx passed by [<%016llx>]: ignored\n\n",
	       why, (unsigned long long)(uintptr_t)p, (unsigned long long)caller);
}

static __attribute__((noinline)) void do_kfree(const void *p, uintptr_t caller)
{
	struct page *pg;

	if (ZERO_OR_NULL_PTR(p))
		return;
	pg = kmalloc_page(p);
	if (pg && PAGE_FLAG(pg, PG_slab)) {
		struct kmem_cache *s = pg->mapping;

		if ((s->flags & SLAB_CONSISTENCY_CHECKS) && !slab_is_object_start(s, pg, p)) {
			report_bad_kfree(p, caller, "invalid free: not the start of an object");
			return;
		}
		slab_free_object(s, pg, (void *)p, caller);
	} else if (pg && PAGE_FLAG(pg, PG_large_kmalloc) && page_address(pg) == p) {
		unsigned order = pg->order;

		pg->flags &= ~(1u << PG_large_kmalloc);
		unsigned long f = arch_irq_save();
		large_pages -= 1ULL << order;
		arch_irq_restore(f);
		free_pages(pg, order);
	} else {
		report_bad_kfree(p, caller, "pointer is not from kmalloc (or already freed)");
	}
}

/* The fast path: a lowmem object of a slab this CPU owns, of a cache
 * without debugging, not on c->full (the owner word says all three), goes
 * straight on its slab's free list; a full slab's first free moves it to
 * c->partial; NULL, large kmallocs, other CPUs' slabs, debug caches and
 * bad pointers take do_kfree. */
void kfree(const void *p)
{
	struct page *pg;

	if (likely(linear_page_lookup(p, &pg))) {
		unsigned long f = arch_irq_save(); /* (the CPU and its slabs stay ours) */

		OPTIMIZER_HIDE_VAR(pg); /* (one add forms it: x86-64's clang re-formed it per load) */

		/* a lowmem page's slab_owner is 0 unless it is a slab's head:
		 * one compare says "a slab this CPU holds, not full, no debug" */
		unsigned w = slab_owner_word(pg), me = slab_cpu_owner;

		if (likely(w == me)) {
local:
			slab_free_local_partial(pg->mapping, pg, (void *)p);
			arch_irq_restore(f);
			return;
		}
		/* a tail page of a multi-page slab: its head (frees in random
		 * order land on head and tail pages alike, so this stays off the
		 * head page's straight line but not out of the fast path) */
		if (PAGE_FLAG(pg, PG_slab_tail)) {
			pg = (struct page *)pg->private;
			w = slab_owner_word(pg);
			if (w == me)
				goto local;
		}
		if (w == (me | SLAB_OWNER_FULL)) { /* the slab moves to c->partial */
			slab_free_local_full((void *)p, pg);
			arch_irq_restore(f);
			return;
		}
		arch_irq_restore(f);
	}
	do_kfree(p, (uintptr_t)__builtin_return_address(0));
}

size_t ksize(const void *p)
{
	struct page *pg = ZERO_OR_NULL_PTR(p) ? NULL : kmalloc_page(p);

	if (pg && PAGE_FLAG(pg, PG_slab)) {
		struct kmem_cache *s = pg->mapping;

		/* with red zones, only what was asked for may be touched */
		if (s->flags & SLAB_RED_ZONE)
			return ((struct slab_track *)((char *)p + s->track_off))[0].orig_size;
		return s->object_size;
	}
	if (pg && PAGE_FLAG(pg, PG_large_kmalloc))
		return PAGE_SIZE << pg->order;
	return 0;
}

void *krealloc(void *p, size_t size, gfp_t gfp)
{
	uintptr_t caller = (uintptr_t)__builtin_return_address(0);
	struct page *pg;
	size_t old;
	void *n;

	if (ZERO_OR_NULL_PTR(p))
		return do_kmalloc(size, gfp, caller);
	if (!size) {
		do_kfree(p, caller);
		return ZERO_SIZE_PTR;
	}
	old = ksize(p);
	if (!old)
		return NULL; /* not ours: reported by nobody yet, refuse */
	pg = kmalloc_page(p);
	/* with red zones the block is reallocated so the zone follows the new size */
	if (size <= old && !(PAGE_FLAG(pg, PG_slab) && (((struct kmem_cache *)pg->mapping)->flags & SLAB_RED_ZONE)))
		return p;
	n = do_kmalloc(size, gfp, caller);
	if (!n)
		return NULL; /* the old block stays valid, as realloc() promises */
	memcpy(n, p, MIN(old, size));
	do_kfree(p, caller);
	return n;
}

void slab_totals(struct slab_totals *t)
{
	struct kmem_cache *s;

	memset(t, 0, sizeof(*t));
	list_for_each_entry(s, &slab_caches, list) {
		u64 bytes = s->nr_slabs * (PAGE_SIZE << s->order);

		if (s->flags & SLAB_RECLAIM_ACCOUNT)
			t->reclaimable += bytes;
		else
			t->unreclaimable += bytes;
		t->caches++;
	}
	t->large_kmalloc = large_pages * PAGE_SIZE;
}
