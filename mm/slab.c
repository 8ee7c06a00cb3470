/*
 * Slab caches: creation, slab pages, the per-CPU fast paths and the
 * partial/full/empty lists. Layout and locking: mm/slab_internal.h.
 *
 *   alloc:  CPU freelist non-empty?  pop it (IRQs masked, no lock)
 *           else take a partial slab, an empty one, or a new one from the
 *           page allocator as the CPU slab, then pop
 *   free:   object of the CPU slab?  push on the CPU freelist
 *           else push on its slab's freelist under s->lock and move the
 *           slab full -> partial -> empty; beyond SLAB_MAX_EMPTY empty
 *           slabs the pages go back to the buddy allocator
 * Debug caches (any of F/Z/P/U) always take the checked slow paths.
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

/* ---- hardened free pointers --------------------------------------------- */

/* loc's address with its bytes reversed, at a pointer's width (a 64-bit
 * swap of a 32-bit address would leave nothing of it in the low half) */
static inline uintptr_t swab_ptr(const void *loc)
{
	uintptr_t a = (uintptr_t)loc;

	return sizeof(a) == 8 ? (uintptr_t)__builtin_bswap64((u64)a) : (uintptr_t)__builtin_bswap32((u32)a);
}

static inline uintptr_t fp_mangle(const struct kmem_cache *s, uintptr_t ptr, const void *loc)
{
	return ptr ^ s->random ^ swab_ptr(loc);
}

void *slab_get_fp(const struct kmem_cache *s, const void *obj)
{
	const uintptr_t *loc = (const uintptr_t *)((const char *)obj + s->offset);

	return (void *)fp_mangle(s, *loc, loc);
}

static inline void set_fp(const struct kmem_cache *s, void *obj, void *next)
{
	uintptr_t *loc = (uintptr_t *)((char *)obj + s->offset);

	*loc = fp_mangle(s, (uintptr_t)next, loc);
}

/* ---- slabs ----------------------------------------------------------------- */

struct page *slab_page_of(const void *obj)
{
	u64 pfn;
	struct page *p;

	if (!virt_addr_valid(obj))
		return NULL;
	pfn = phys_to_pfn(virt_to_phys(obj));
	if (!pfn_valid(pfn))
		return NULL;
	p = pfn_to_page(pfn);
	if (PAGE_FLAG(p, PG_slab_tail))
		p = (struct page *)p->private;
	return PAGE_FLAG(p, PG_slab) ? p : NULL;
}

void *slab_slot(const struct kmem_cache *s, const void *obj) { return (char *)obj - s->red_left; }

bool slab_is_object_start(const struct kmem_cache *s, const struct page *slab, const void *obj)
{
	uintptr_t base = (uintptr_t)slab_address(slab) + s->red_left;
	uintptr_t off = (uintptr_t)obj - base;

	return (uintptr_t)obj >= base && off % s->size == 0 && off / s->size < s->objects;
}

static struct page *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	gfp_t g = (gfp & ~(__GFP_ZERO | __GFP_COMP)) | ((s->flags & SLAB_RECLAIM_ACCOUNT) ? __GFP_RECLAIMABLE : 0);
	struct page *page = alloc_pages(g, s->order);
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
	page->index = s->objects;
	page->mapcount = 0;
	base = slab_address(page);
	/* build the freelist back to front so objects are handed out in address order */
	for (int i = (int)s->objects - 1; i >= 0; i--) {
		void *obj = base + (size_t)i * s->size + s->red_left;

		if (s->flags & SLAB_DEBUG_FLAGS)
			slab_debug_init_slot(s, obj);
		if (s->ctor)
			s->ctor(obj);
		set_fp(s, obj, prev);
		prev = obj;
	}
	page->private = (uintptr_t)prev;
	s->nr_slabs++;
	s->stats.slabs_allocated++;
	return page;
}

static void discard_slab(struct kmem_cache *s, struct page *page)
{
	page->flags &= ~(1u << PG_slab);
	page->mapping = NULL;
	page->private = 0;
	page->index = 0;
	for (unsigned i = 1; i < (1u << s->order); i++) {
		page[i].flags &= ~(1u << PG_slab_tail);
		page[i].private = 0;
	}
	s->nr_slabs--;
	s->stats.slabs_freed++;
	free_pages(page, s->order);
}

/* s->lock held: put a non-CPU slab on the list its use count says. */
static void list_slab_locked(struct kmem_cache *s, struct page *page)
{
	if (page->mapcount == 0) {
		list_add(&page->lru, &s->empty);
		s->nr_empty++;
	} else if ((u64)page->mapcount == page->index) {
		list_add(&page->lru, &s->full);
		s->nr_full++;
	} else {
		list_add(&page->lru, &s->partial);
		s->nr_partial++;
	}
}

static void unlist_slab_locked(struct kmem_cache *s, struct page *page)
{
	list_del(&page->lru);
	if (page->mapcount == 0)
		s->nr_empty--;
	else if ((u64)page->mapcount == page->index)
		s->nr_full--;
	else
		s->nr_partial--;
}

/* IRQs masked: give the CPU slab back to the lists (its freelist is intact). */
static void flush_cpu_slab(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = &s->cpu;
	struct page *page = c->slab;
	unsigned long f;

	if (!page)
		return;
	f = spin_lock_irqsave(&s->lock);
	page->private = (uintptr_t)c->freelist;
	c->slab = NULL;
	c->freelist = NULL;
	list_slab_locked(s, page);
	spin_unlock_irqrestore(&s->lock, f);
}

/* IRQs masked: install a slab with free objects as the CPU slab. */
static bool refill_cpu_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct kmem_cache_cpu *c = &s->cpu;
	struct page *page = NULL;
	unsigned long f;

	flush_cpu_slab(s);
	f = spin_lock_irqsave(&s->lock);
	if (!list_empty(&s->partial))
		page = list_first_entry(&s->partial, struct page, lru);
	else if (!list_empty(&s->empty))
		page = list_first_entry(&s->empty, struct page, lru);
	if (page)
		unlist_slab_locked(s, page);
	spin_unlock_irqrestore(&s->lock, f);
	if (!page && !(page = new_slab(s, gfp)))
		return false;
	c->slab = page;
	c->freelist = (void *)page->private;
	page->private = 0;
	return true;
}

/* The debug allocation path: every object is checked before it is handed out. */
static void *alloc_debug(struct kmem_cache *s, gfp_t gfp, uintptr_t caller, size_t orig_size)
{
	struct kmem_cache_cpu *c = &s->cpu;

	for (;;) {
		void *obj = c->freelist, *next;

		if (!obj) {
			if (!refill_cpu_slab(s, gfp))
				return NULL;
			continue;
		}
		next = slab_get_fp(s, obj);
		if (next && !slab_is_object_start(s, c->slab, next)) {
			slab_report_bad_pointer(s, next, "free pointer corrupted: the rest of this slab's freelist is dropped",
						caller);
			slab_errors.freelist++;
			c->slab->mapcount = (s32)c->slab->index; /* what is left is lost, never reused */
			next = NULL;
		}
		c->freelist = next;
		c->slab->mapcount++;
		if (slab_debug_alloc_check(s, c->slab, obj, caller, orig_size))
			return obj;
		/* bad object: stays counted as in use, quarantined */
	}
}

void *slab_alloc_node(struct kmem_cache *s, gfp_t gfp, uintptr_t caller, size_t orig_size)
{
	struct kmem_cache_cpu *c = &s->cpu;
	unsigned long f = arch_irq_save();
	void *obj = c->freelist;

	if (likely(obj && !(s->flags & SLAB_DEBUG_FLAGS))) {
		c->freelist = slab_get_fp(s, obj);
		c->slab->mapcount++;
	} else if (s->flags & SLAB_DEBUG_FLAGS) {
		obj = alloc_debug(s, gfp, caller, orig_size);
	} else {
		s->stats.alloc_slow++;
		obj = NULL;
		if (refill_cpu_slab(s, gfp) && (obj = c->freelist)) {
			c->freelist = slab_get_fp(s, obj);
			c->slab->mapcount++;
		}
	}
	arch_irq_restore(f);
	/* zero what the caller asked for: past it, kmalloc's slack is a red
	 * zone under slab debugging (zeroing it was reported as an overflow) */
	if (obj && (gfp & __GFP_ZERO))
		memset(obj, 0, (s->flags & SLAB_KMALLOC) && orig_size ? orig_size : s->object_size);
	return obj;
}

static void free_to_slab(struct kmem_cache *s, struct page *page, void *obj)
{
	unsigned long f = spin_lock_irqsave(&s->lock);
	bool was_full = (u64)page->mapcount == page->index, discard = false;

	set_fp(s, obj, (void *)page->private);
	page->private = (uintptr_t)obj;
	page->mapcount--;
	/* the slab changes lists only when it stops being full or becomes empty */
	if (page->mapcount == 0) {
		list_del(&page->lru);
		if (was_full)
			s->nr_full--; /* a one-object slab goes straight from full to empty */
		else
			s->nr_partial--;
		if (s->nr_empty >= SLAB_MAX_EMPTY) {
			discard = true;
		} else {
			list_add(&page->lru, &s->empty);
			s->nr_empty++;
		}
	} else if (was_full) {
		list_del(&page->lru);
		s->nr_full--;
		list_add(&page->lru, &s->partial);
		s->nr_partial++;
	}
	spin_unlock_irqrestore(&s->lock, f);
	s->stats.free_slow++;
	if (discard)
		discard_slab(s, page);
}

void slab_free_object(struct kmem_cache *s, struct page *page, void *obj, uintptr_t caller)
{
	struct kmem_cache_cpu *c = &s->cpu;
	unsigned long f;

	if ((s->flags & SLAB_DEBUG_FLAGS) && !slab_debug_free_check(s, page, obj, caller))
		return; /* reported; the object is quarantined */
	f = arch_irq_save();
	if (likely(page == c->slab)) {
		set_fp(s, obj, c->freelist);
		c->freelist = obj;
		page->mapcount--;
	} else {
		free_to_slab(s, page, obj);
	}
	arch_irq_restore(f);
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
	u64 pages = 0;
	unsigned long f = arch_irq_save();

	flush_cpu_slab(s);
	arch_irq_restore(f);
	f = spin_lock_irqsave(&s->lock);
	list_for_each_entry_safe(p, n, &s->empty, lru) {
		list_move(&p->lru, &victims);
		s->nr_empty--;
	}
	spin_unlock_irqrestore(&s->lock, f);
	list_for_each_entry_safe(p, n, &victims, lru) {
		list_del(&p->lru);
		discard_slab(s, p);
		pages += 1ULL << s->order;
	}
	return pages;
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
