/*
 * Slab caches: creation, slab pages, the node lists (partial/full/empty,
 * under s->lock) and shrinking. The per-CPU working sets and the fast
 * paths are in mm/slab_cpu.c; layout and locking in mm/slab_internal.h.
 *
 *   node free:  push on its slab's freelist under s->lock and move the
 *               slab full -> partial -> empty; beyond SLAB_MAX_EMPTY empty
 *               slabs the pages go back to the buddy allocator
 *   shrink:     this CPU's remote frees are collected, its empty slabs go
 *               to the node lists, the node's empty slabs back to the page
 *               allocator (other CPUs' working sets are theirs: an SMP
 *               port would cross-call; Pagoda runs one CPU)
 *   destroy:    every CPU's working set goes back (nobody uses the cache)
 * Debug caches (any of F/Z/P/U) check every object on alloc and free.
 */
#include <arch/phys.h>
#include <errno.h>
#include <lib/random.h>
#include <mm/shrinker.h>
#include <stdio.h>
#include <string.h>

#include "slab_internal.h"

struct list_head slab_caches = LIST_HEAD_INIT(slab_caches);
spinlock_t slab_caches_lock = SPINLOCK_INIT;
struct slab_error_counts slab_errors;

/* ---- slabs ----------------------------------------------------------------- */

void *slab_slot(const struct kmem_cache *s, const void *obj) { return (char *)obj - s->red_left; }

bool slab_is_object_start(const struct kmem_cache *s, const struct page *slab, const void *obj)
{
	uintptr_t base = (uintptr_t)slab_address(slab) + s->red_left;
	uintptr_t off = (uintptr_t)obj - base;

	return (uintptr_t)obj >= base && off % s->size == 0 && off / s->size < s->objects;
}

struct page *slab_new(struct kmem_cache *s, gfp_t gfp)
{
	gfp_t g = (gfp & ~(__GFP_ZERO | __GFP_COMP)) | ((s->flags & SLAB_RECLAIM_ACCOUNT) ? __GFP_RECLAIMABLE : 0);
	struct page *page = alloc_pages(g, s->order);
	unsigned objects = s->objects;
	unsigned long f;
	char *base;
	void *prev = NULL;

	if (!page)
		return NULL;
	page->flags |= 1u << PG_slab;
	for (unsigned i = 1; i < (1u << s->order); i++) {
		page[i].flags |= 1u << PG_slab_tail;
		page[i].private = (uintptr_t)page;
	}
	page->mapping = s;
	page->index = objects;
	page->slab_owner = 0;
	page->mapcount = 0;
	base = slab_address(page);
	if (s->flags & SLAB_DEBUG_FLAGS || s->ctor) {
		for (unsigned i = 0; i < objects; i++) {
			void *obj = base + (size_t)i * s->size + s->red_left;

			if (s->flags & SLAB_DEBUG_FLAGS)
				slab_debug_init_slot(s, obj);
			if (s->ctor)
				s->ctor(obj);
		}
	}
	/* the freelist back to front, so objects are handed out in address
	 * order; the loop is slab_set_fp's with its terms kept in registers */
	{
		uintptr_t secret = s->random, size = s->size, off = s->offset;
		char *obj = base + (size_t)(objects - 1) * size + s->red_left;

		for (unsigned i = objects; i-- > 0; obj -= size) {
			uintptr_t *loc = (uintptr_t *)(obj + off);

			*loc = (uintptr_t)prev ^ secret ^ slab_swab_ptr(loc);
			prev = obj;
		}
	}
	page->private = (uintptr_t)prev;
	f = spin_lock_irqsave(&s->lock);
	s->nr_slabs++;
	s->stats.slabs_allocated++;
	spin_unlock_irqrestore(&s->lock, f);
	return page;
}

void slab_discard(struct kmem_cache *s, struct page *page)
{
	unsigned long f;

	page->flags &= ~(1u << PG_slab);
	page->mapping = NULL;
	page->private = 0;
	page->index = 0;
	page->slab_owner = 0;
	for (unsigned i = 1; i < (1u << s->order); i++) {
		page[i].flags &= ~(1u << PG_slab_tail);
		page[i].private = 0;
	}
	f = spin_lock_irqsave(&s->lock);
	s->nr_slabs--;
	s->stats.slabs_freed++;
	spin_unlock_irqrestore(&s->lock, f);
	free_pages(page, s->order);
}

void slab_list_locked(struct kmem_cache *s, struct page *page)
{
	if (page->mapcount == 0) {
		list_add(&page->lru, &s->empty);
		s->nr_empty++;
	} else if ((unsigned)page->mapcount == slab_objects(page)) {
		list_add(&page->lru, &s->full);
		s->nr_full++;
	} else {
		list_add(&page->lru, &s->partial);
		s->nr_partial++;
	}
}

void slab_unlist_locked(struct kmem_cache *s, struct page *page)
{
	list_del(&page->lru);
	if (page->mapcount == 0)
		s->nr_empty--;
	else if ((unsigned)page->mapcount == slab_objects(page))
		s->nr_full--;
	else
		s->nr_partial--;
}

struct page *slab_take_node_locked(struct kmem_cache *s, unsigned owner)
{
	struct page *page = NULL;

	if (!list_empty(&s->partial))
		page = list_first_entry(&s->partial, struct page, lru);
	else if (!list_empty(&s->empty))
		page = list_first_entry(&s->empty, struct page, lru);
	if (page) {
		slab_unlist_locked(s, page);
		slab_set_owner(s, page, owner);
	}
	return page;
}

bool slab_free_node_locked(struct kmem_cache *s, struct page *page, void *obj)
{
	bool was_full = (unsigned)page->mapcount == slab_objects(page);

	slab_set_fp(s, obj, (void *)page->private);
	page->private = (uintptr_t)obj;
	page->mapcount--;
	s->stats.free_slow++;
	/* the slab changes lists only when it stops being full or becomes empty */
	if (page->mapcount == 0) {
		list_del(&page->lru);
		if (was_full)
			s->nr_full--; /* a one-object slab goes straight from full to empty */
		else
			s->nr_partial--;
		if (s->nr_empty >= SLAB_MAX_EMPTY)
			return true;
		list_add(&page->lru, &s->empty);
		s->nr_empty++;
	} else if (was_full) {
		list_del(&page->lru);
		s->nr_full--;
		list_add(&page->lru, &s->partial);
		s->nr_partial++;
	}
	return false;
}

/* ---- caches ---------------------------------------------------------------- */

static unsigned choose_order(unsigned size)
{
	for (unsigned order = 0; order <= 3; order++) {
		u64 bytes = PAGE_SIZE << order, objs = bytes / size, waste = bytes - objs * size;

		if (objs >= 8 && waste * 8 <= bytes)
			return order;
	}
	for (unsigned order = 0; order <= 3; order++)
		if ((PAGE_SIZE << order) / size >= 1)
			return order;
	return 3;
}

/* Fill in a cache's layout; returns 0 or -EINVAL. */
int kmem_cache_setup(struct kmem_cache *s, const char *name, size_t size, size_t align, unsigned flags,
		     void (*ctor)(void *))
{
	if (!size || size > (PAGE_SIZE << 3) || (align & (align - 1)))
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	strncpy(s->name, name, SLAB_NAME_LEN - 1);
	flags |= slab_debug_flags_for(name);
	if (ctor)
		flags &= ~SLAB_POISON; /* a constructed object must keep its state while free */
	s->flags = flags;
	s->ctor = ctor;
	s->object_size = (unsigned)size;
	s->align = (unsigned)MAX(align, (size_t)8);
	if ((flags & SLAB_HWCACHE_ALIGN) && size > 32)
		s->align = MAX(s->align, 64u);
	if (flags & SLAB_DEBUG_FLAGS) {
		slab_debug_layout(s);
	} else {
		s->inuse = (unsigned)ALIGN_UP(size, 8);
		s->offset = ctor ? s->inuse : (unsigned)ALIGN_DOWN(size / 2, 8);
		s->size = ctor ? s->inuse + 8 : s->inuse;
	}
	s->size = (unsigned)ALIGN_UP(s->size, s->align);
	s->order = choose_order(s->size);
	s->objects = (unsigned)((PAGE_SIZE << s->order) / s->size);
	if (!s->objects)
		return -EINVAL; /* the slot (object + metadata + alignment) outgrew an order-3 slab */
	s->random = (uintptr_t)random_u64();
	slab_cpu_init(s);
	INIT_LIST_HEAD(&s->partial);
	INIT_LIST_HEAD(&s->full);
	INIT_LIST_HEAD(&s->empty);
	unsigned long f = spin_lock_irqsave(&slab_caches_lock);
	list_add_tail(&s->list, &slab_caches);
	spin_unlock_irqrestore(&slab_caches_lock, f);
	return 0;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align, unsigned flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (s && kmem_cache_setup(s, name, size, align, flags, ctor)) {
		kfree(s);
		s = NULL;
	}
	if (!s && (flags & SLAB_PANIC))
		panic("kmem_cache_create(%s, %zu) failed", name, size);
	return s;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc_node(s, gfp, (uintptr_t)__builtin_return_address(0), s->object_size);
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	struct page *page;

	if (!obj)
		return;
	page = slab_page_of(obj);
	if (!page || page->mapping != s || !slab_is_object_start(s, page, obj)) {
		slab_errors.wrong_cache += page && page->mapping != s;
		slab_errors.bad_free++;
		slab_report_bad_pointer(s, obj, page && page->mapping != s ? "object belongs to another cache"
									   : "not an object of this cache",
					(uintptr_t)__builtin_return_address(0));
		return;
	}
	slab_free_object(s, page, obj, (uintptr_t)__builtin_return_address(0));
}

u64 kmem_cache_shrink(struct kmem_cache *s)
{
	struct list_head victims = LIST_HEAD_INIT(victims);
	struct page *p, *n;
	u64 freed0;
	unsigned long f = spin_lock_irqsave(&s->lock);

	freed0 = s->stats.slabs_freed;
	spin_unlock_irqrestore(&s->lock, f);
	f = arch_irq_save();
	slab_cpu_flush(s, false); /* this CPU's empty slabs to the node lists */
	arch_irq_restore(f);
	f = spin_lock_irqsave(&s->lock);
	list_for_each_entry_safe(p, n, &s->empty, lru) {
		list_move(&p->lru, &victims);
		s->nr_empty--;
	}
	spin_unlock_irqrestore(&s->lock, f);
	list_for_each_entry_safe(p, n, &victims, lru) {
		list_del(&p->lru);
		slab_discard(s, p);
	}
	f = spin_lock_irqsave(&s->lock);
	freed0 = s->stats.slabs_freed - freed0;
	spin_unlock_irqrestore(&s->lock, f);
	return freed0 << s->order;
}

u64 kmem_cache_shrink_all(void)
{
	struct kmem_cache *s;
	u64 pages = 0;

	list_for_each_entry(s, &slab_caches, list)
		pages += kmem_cache_shrink(s);
	return pages;
}

int kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long f;

	if (!s)
		return 0;
	slab_cpu_flush_all(s); /* the caller guarantees nobody uses s any more */
	kmem_cache_shrink(s);
	if (s->nr_slabs) {
		printf("kmem_cache_destroy %s: %llu slabs still hold objects; the cache is kept\n", s->name,
		       (unsigned long long)s->nr_slabs);
		return -EBUSY;
	}
	f = spin_lock_irqsave(&slab_caches_lock);
	list_del(&s->list);
	spin_unlock_irqrestore(&slab_caches_lock, f);
	kfree(s);
	return 0;
}

static u64 slab_shrink(gfp_t gfp, unsigned order)
{
	(void)gfp, (void)order;
	return kmem_cache_shrink_all();
}

static struct shrinker slab_shrinker = { .name = "slab", .scan = slab_shrink };

void slab_register_shrinker(void) { register_shrinker(&slab_shrinker); }
