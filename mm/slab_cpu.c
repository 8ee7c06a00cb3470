/*
 * The per-CPU working set of a slab cache: its CPU slab and the slabs it
 * took before (layout and locking: mm/slab_internal.h). Frees into any of
 * them stay on this CPU, lock-free, like mimalloc's per-page local free
 * lists; frees from other CPUs are deferred to the owner.
 *
 *   alloc:  pop the CPU freelist (IRQs masked, no lock); when it runs dry
 *           remote frees are collected and the CPU slab's own free list
 *           (page->private) becomes the CPU freelist; when that is empty
 *           too, the CPU slab joins c->full and the next CPU slab is the
 *           first of c->partial, else a node slab (s->lock), else a new
 *           one from the page allocator
 *   free:   in the working set     push on page->private, mapcount - 1 (the
 *           (CPU slab included)?   CPU slab keeps its place); full -> partial;
 *                                  more empty slabs than c->empty_max (the
 *                                  CPU's budget, grown by churn): the newest
 *                                  empty one goes to the node lists
 *           node slab              (s->lock) node freelist and lists
 *           another CPU's slab     (s->lock) push on that CPU's s->remote
 */
#include <arch/irqflags.h>
#include <string.h>

#include "slab_internal.h"

unsigned slab_cpu_id;
unsigned slab_cpu_owner = 1;
uintptr_t slab_cpu_offset;

void slab_set_cpu(unsigned cpu)
{
	slab_cpu_id = cpu;
	slab_cpu_owner = cpu + 1;
	slab_cpu_offset = cpu * sizeof(struct kmem_cache_cpu);
}

_Static_assert(sizeof(void *) != 8 || sizeof(struct kmem_cache_cpu) == 64, "a working set is one cache line");

void slab_cpu_init(struct kmem_cache *s)
{
	for (unsigned i = 0; i < SLAB_NR_CPUS; i++) {
		INIT_LIST_HEAD(&s->cpu[i].partial);
		INIT_LIST_HEAD(&s->cpu[i].full);
	}
	s->cpu_empty_max = MAX(SLAB_CPU_EMPTY_MIN, SLAB_CPU_EMPTY_BYTES / (PAGE_SIZE << s->order));
	s->cpu_empty_cap = MIN(MAX(s->cpu_empty_max, SLAB_CPU_EMPTY_CAP_BYTES / (PAGE_SIZE << s->order)), 0xffffu);
	for (unsigned i = 0; i < SLAB_NR_CPUS; i++)
		s->cpu[i].empty_max = (u16)s->cpu_empty_max;
}

/* IRQs masked: hand a slab of c->partial or c->full to the node lists
 * (or back to the page allocator when the node keeps enough empty ones). */
static void release_slab(struct kmem_cache *s, struct kmem_cache_cpu *c, struct page *page)
{
	unsigned long f;
	bool discard;

	list_del(&page->lru);
	if ((unsigned)page->mapcount == slab_objects(page)) {
		c->nr_full--;
	} else {
		c->nr_partial--;
		c->nr_empty -= page->mapcount == 0;
	}
	f = spin_lock_irqsave(&s->lock);
	slab_set_owner(s, page, 0);
	discard = page->mapcount == 0 && s->nr_empty >= SLAB_MAX_EMPTY;
	if (!discard)
		slab_list_locked(s, page);
	spin_unlock_irqrestore(&s->lock, f);
	if (discard)
		slab_discard(s, page);
}

void slab_free_local_empty(struct page *page)
{
	struct kmem_cache *s = page->mapping;
	struct kmem_cache_cpu *c = slab_cpu(s);

	if (page != c->slab && ++c->nr_empty > c->empty_max) {
		c->released += c->released < 0xffffu;
		release_slab(s, c, page);
	}
}

void slab_free_local_edge(struct kmem_cache *s, struct page *page)
{
	struct kmem_cache_cpu *c = slab_cpu(s);

	list_move(&page->lru, &c->partial); /* the newest partial slab is the next CPU slab */
	slab_set_full(page, false);
	c->nr_full--;
	c->nr_partial++;
	if (--page->mapcount == 0)
		slab_free_local_empty(page);
}

void slab_free_local_full(void *obj, struct page *page)
{
	struct kmem_cache *s = page->mapping;

	slab_set_fp(s, obj, NULL); /* (a full slab's list is empty) */
	page->private = (uintptr_t)obj;
	slab_free_local_edge(s, page);
}

void slab_free_remote(struct kmem_cache *s, struct page *page, void *obj)
{
	unsigned long f = spin_lock_irqsave(&s->lock);
	unsigned owner = slab_owner(page);
	bool discard = false;

	if (owner) {
		struct kmem_cache_remote *r = &s->remote[owner - 1];

		slab_set_fp(s, obj, r->list);
		r->list = obj;
		r->nr++;
		s->stats.free_remote++;
	} else {
		discard = slab_free_node_locked(s, page, obj);
	}
	spin_unlock_irqrestore(&s->lock, f);
	if (discard)
		slab_discard(s, page);
}

/* IRQs masked: free what other CPUs freed into this CPU's slabs. */
static __attribute__((noinline)) void collect_remote(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	unsigned long f = spin_lock_irqsave(&s->lock);
	struct kmem_cache_remote *r = &s->remote[c - s->cpu];
	void *obj = r->list;

	r->list = NULL;
	r->nr = 0;
	spin_unlock_irqrestore(&s->lock, f);
	while (obj) {
		void *next = slab_get_fp(s, obj);

		/* the slab may have left the working set since: then the
		 * node or remote path takes it */
		slab_free_masked(s, slab_page_of(obj), obj);
		obj = next;
	}
}

/* The length of a CPU freelist of slab (at most its objects: a corrupted
 * list stops there), and its last object in *last. */
static unsigned freelist_len(struct kmem_cache *s, struct page *slab, void *list, void **last)
{
	unsigned n = 0;

	*last = NULL;
	for (void *p = list; p && n < slab_objects(slab); p = slab_get_fp(s, p)) {
		*last = p;
		n++;
	}
	return n;
}

/* IRQs masked: page, every object of it in use, joins c->full. */
static void to_full(struct kmem_cache_cpu *c, struct page *page)
{
	list_add(&page->lru, &c->full);
	slab_set_full(page, true);
	c->nr_full++;
}

/* IRQs masked: put the CPU slab back among c's lists with its exact count,
 * its CPU freelist joined to the objects freed into it since. */
static void deactivate(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *page = c->slab;
	unsigned free;
	void *last;

	if (!page)
		return;
	free = freelist_len(s, page, c->freelist, &last);
	if (last && !slab_get_fp(s, last)) {
		slab_set_fp(s, last, (void *)page->private);
		page->private = (uintptr_t)c->freelist;
	} else if (last) { /* corrupted: its objects stay counted as in use, never reused */
		free = 0;
	}
	page->mapcount -= (s32)free;
	c->slab = NULL;
	c->freelist = NULL;
	if ((unsigned)page->mapcount == slab_objects(page)) {
		to_full(c, page);
	} else {
		list_add(&page->lru, &c->partial);
		c->nr_partial++;
		c->nr_empty += page->mapcount == 0;
	}
}

/* IRQs masked: make page (free objects on page->private) the CPU slab. */
static void activate(struct kmem_cache *s, struct kmem_cache_cpu *c, struct page *page)
{
	c->slab = page;
	if (s->flags & SLAB_DEBUG_FLAGS)
		return; /* alloc_debug takes objects from page->private itself: the
			 * fast path never sees a debug cache's object (c->freelist NULL) */
	c->freelist = (void *)page->private;
	page->private = 0;
	page->mapcount = (s32)slab_objects(page); /* nothing is on page->private now */
}

/* IRQs masked, the CPU freelist dry: the next freelist from the working
 * set (what was freed into the CPU slab since, or the newest partial
 * slab), if it has one. No calls: the common refill costs no stack frame. */
static inline bool refill_local(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *page = c->slab;

	if (page && page->private) {
		activate(s, c, page);
		return true;
	}
	if (list_empty(&c->partial))
		return false;
	if (page) /* every object of it is in use */
		to_full(c, page);
	page = list_first_entry(&c->partial, struct page, lru);
	list_del(&page->lru);
	c->nr_partial--;
	c->nr_empty -= page->mapcount == 0;
	activate(s, c, page);
	return true;
}

/* IRQs masked, the working set has no free object: a node slab or a new
 * one becomes the CPU slab (the CPU slab, if any, is full: it joins
 * c->full). */
static __attribute__((noinline)) bool refill_node(struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfp)
{
	struct page *page;
	unsigned long f;

	if (c->slab) {
		to_full(c, c->slab);
		c->slab = NULL;
	}
	f = spin_lock_irqsave(&s->lock);
	page = slab_take_node_locked(s, slab_this_cpu() + 1);
	spin_unlock_irqrestore(&s->lock, f);
	if (!page) {
		if (c->released) { /* churn: keep twice as many empty slabs from now on */
			c->empty_max = (u16)MIN(2u * c->empty_max, s->cpu_empty_cap);
			c->released = 0;
		}
		page = slab_new(s, gfp);
		if (!page)
			return false;
		f = spin_lock_irqsave(&s->lock);
		slab_set_owner(s, page, slab_this_cpu() + 1);
		spin_unlock_irqrestore(&s->lock, f);
	}
	activate(s, c, page);
	return true;
}

/* IRQs masked: the CPU freelist is dry; install a slab with free objects:
 * after the remote frees are collected, from the working set, else the
 * node lists or a new slab. */
static inline __attribute__((always_inline)) bool refill(struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfp)
{
	if (s->remote[c - s->cpu].nr) /* a hint, read without the lock */
		collect_remote(s, c);
	return refill_local(s, c) || refill_node(s, c, gfp);
}

/* The debug allocation path: every object is checked before it is handed out. */
static __attribute__((noinline)) void *alloc_debug(struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfp,
						    uintptr_t caller, size_t orig_size)
{
	for (;;) {
		struct page *page = c->slab;
		void *obj = page ? (void *)page->private : NULL, *next;

		if (!obj) {
			if (!refill(s, c, gfp))
				return NULL;
			continue;
		}
		/* the CPU slab's own list, newest free first: a write after free
		 * is found at the very next allocation */
		next = slab_get_fp(s, obj);
		page->mapcount++;
		if (next && !slab_is_object_start(s, page, next)) {
			slab_report_bad_pointer(s, next, "free pointer corrupted: the rest of this slab's freelist is dropped",
						caller);
			slab_errors.freelist++;
			next = NULL;
			page->mapcount = (s32)slab_objects(page); /* what is left counts as in use, never reused */
		}
		page->private = (uintptr_t)next;
		if (slab_debug_alloc_check(s, page, obj, caller, orig_size))
			return obj;
		/* bad object: stays counted as in use, quarantined */
	}
}

void *slab_alloc_slow(size_t orig_size, gfp_t gfp, struct kmem_cache *s, uintptr_t caller)
{
	unsigned long f;
	struct kmem_cache_cpu *c = slab_cpu(s);
	void *obj;

	if (unlikely(!s->size))
		return ZERO_SIZE_PTR; /* kmalloc's size-0 class (mm/kmalloc.c) */
	f = arch_irq_save();
	obj = c->freelist;
	if (s->flags & SLAB_DEBUG_FLAGS) {
		obj = alloc_debug(s, c, gfp, caller, orig_size);
	} else if (!obj) {
		s->stats.alloc_slow++;
		if (refill(s, c, gfp) && (obj = c->freelist))
			c->freelist = slab_get_fp(s, obj);
	} else {
		c->freelist = slab_get_fp(s, obj); /* refilled by an interrupt meanwhile */
	}
	arch_irq_restore(f);
	if (obj && (gfp & __GFP_ZERO))
		return slab_zero(s, obj, orig_size);
	return obj;
}

void *slab_zero(struct kmem_cache *s, void *obj, size_t orig_size)
{
	return memset(obj, 0, (s->flags & SLAB_KMALLOC) && orig_size ? orig_size : s->object_size);
}

void slab_free_debug(struct kmem_cache *s, struct page *page, void *obj, uintptr_t caller)
{
	unsigned long f;

	if (!slab_debug_free_check(s, page, obj, caller))
		return; /* reported; the object is quarantined */
	f = arch_irq_save();
	slab_free_masked(s, page, obj);
	arch_irq_restore(f);
}

void slab_cpu_flush(struct kmem_cache *s, bool all)
{
	struct kmem_cache_cpu *c = slab_cpu(s);
	struct page *p, *n;

	if (s->remote[c - s->cpu].nr) /* a hint, read without the lock */
		collect_remote(s, c);
	deactivate(s, c);
	list_for_each_entry_safe(p, n, &c->partial, lru)
		if (all || p->mapcount == 0)
			release_slab(s, c, p);
	if (all)
		list_for_each_entry_safe(p, n, &c->full, lru)
			release_slab(s, c, p);
	c->empty_max = (u16)s->cpu_empty_max; /* the budget starts over */
	c->released = 0;
}

void slab_cpu_flush_all(struct kmem_cache *s)
{
	unsigned self = slab_cpu_id;
	unsigned long f = arch_irq_save();

	for (unsigned i = 0; i < SLAB_NR_CPUS; i++) {
		slab_set_cpu(i); /* as a cross-call would run it on CPU i */
		slab_cpu_flush(s, true);
	}
	slab_set_cpu(self);
	arch_irq_restore(f);
}

static void count_list(struct list_head *l, u64 *active, u64 *total, u64 *slabs, u64 *active_slabs)
{
	struct page *p;

	list_for_each_entry(p, l, lru) {
		*active += (u64)p->mapcount;
		*total += slab_objects(p);
		*slabs += 1;
		*active_slabs += p->mapcount > 0;
	}
}

void slab_cpu_count_locked(struct kmem_cache *s, u64 *active, u64 *total, u64 *slabs, u64 *active_slabs)
{
	for (unsigned i = 0; i < SLAB_NR_CPUS; i++) {
		struct kmem_cache_cpu *c = &s->cpu[i];

		if (c->slab) {
			void *last;

			*active += (u64)c->slab->mapcount - freelist_len(s, c->slab, c->freelist, &last);
			*total += slab_objects(c->slab);
			*slabs += 1;
			*active_slabs += 1;
		}
		count_list(&c->partial, active, total, slabs, active_slabs);
		count_list(&c->full, active, total, slabs, active_slabs);
		*active -= s->remote[i].nr;
	}
}

bool slab_cpu_holds_free(struct kmem_cache *s, struct page *slab, const void *obj)
{
	for (unsigned i = 0; i < SLAB_NR_CPUS; i++) {
		struct kmem_cache_cpu *c = &s->cpu[i];

		if (c->slab == slab)
			for (void *p = c->freelist; p && slab_is_object_start(s, slab, p); p = slab_get_fp(s, p))
				if (p == obj)
					return true;
		for (void *p = s->remote[i].list; p; p = slab_get_fp(s, p))
			if (p == obj)
				return true;
	}
	return false;
}
