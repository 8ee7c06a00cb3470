/*
 * zpool: the object store behind zram (include/mm/zpool.h has the API).
 *
 * Terms. A *size class* holds objects of one slot size, a multiple of 16
 * bytes (256 classes: 16, 32, ..., 4096). A *zspage* is a chain of up to
 * k order-0 pages (k = 1..16, chosen per class) that the class sees as
 * one k * 4096-byte run cut into n = k * 4096 / size slots; slots are
 * packed back to back, so an object may cross from one page into the
 * next and the only waste is the run's tail (k * 4096 - n * size). k is
 * the one with the smallest tail fraction (the smallest k on ties): a
 * 1,504-byte class takes 7 pages for 19 objects and wastes 96 bytes
 * (0.3%), where 1 page would waste 1,088 (27%) and 3 pages 256 (2%).
 *
 * Pages come as slots are handed out: a new zspage gets the pages of its
 * first slot only, and handing out slot i adds the pages that slot i
 * reaches into (slots are handed out in order, freed ones first). So a
 * class's last zspage holds at most one partly used page, not up to k - 1
 * empty ones: that is what lets k be large. On the pattern (~15
 * classes in use) this took orig/mem_used from 2.663 (k <= 8, whole
 * zspages at once, k = first with a tail <= 1/32) to 2.703 (docs/zram.md).
 *
 *   zspage of class 1504 (k = 7, n = 19), 5 slots handed out (bump = 5):
 *
 *   page 0 (first)       page 1                 pages 2..6
 *   +------+------+----  +---+------+------+    not allocated yet
 *   |obj 0 |obj 1 |ob..  |.2 |obj 3 |obj 4 |    (the tail: 96 bytes at
 *   +------+------+----  +---+------+------+     the end of page 6)
 *      page->private links page i to page i+1; page->index = zspage id
 *
 * A freed slot holds, in its first 2 bytes, the index of the next freed
 * slot of its zspage (ZS_NONE ends the list); slot offsets are multiples
 * of 16, so those bytes never straddle pages. Slots at and above the
 * zspage's bump index were never handed out and may have no page yet.
 * Allocated slots carry no header.
 *
 * Metadata lives in pages the pool owns (counted in pages_used):
 *
 *   struct zpool (4 pages)     handle table chunks       zspage descriptors
 *   +------------------+       +--------------------+    +------------------+
 *   | classes[256]     |       | u32 per handle:    |    | first page, list |
 *   | handle_dir[] pfns+-----> | zspage id << 12 |  |    | links, class,    |
 *   | desc_dir[] pfns -+--+    |   slot index, or   |    | inuse, free head |
 *   | span buffer 4 KiB|  |    | FREE | next free   |    | (24 bytes each,  |
 *   |                  |  |    |                    |    |  20 on 32-bit)   |
 *   +------------------+  |    +--------------------+    +------------------+
 *                         +---------------------------------^
 *
 * A handle is an index into the handle table, so it stays the same when
 * compaction moves its object (only the table entry changes): 4 bytes per
 * object, where zsmalloc spends an 8-byte handle slab object plus a header
 * in each object of a movable zspage.
 *
 * Each class keeps its partly used zspages on a list (allocation takes the
 * list's head); full zspages are on no list; a zspage whose last object is
 * freed is returned to the page allocator at once. Compaction (see
 * zpool_compact) counts how many zspages a class needs for its live
 * objects, evacuates the emptiest others into the fullest ones with one
 * pass over the handle table, and frees them.
 *
 * Locking: pool->lock (IRQs masked) protects all of the above; it is taken
 * by every public call, and zpool_map() keeps it until zpool_unmap(), which
 * is what keeps an object from moving while it is mapped and what makes
 * the span buffer (one per CPU; one CPU today) safe to use.
 */
#include <lib/errno.h>
#include <mm/page_alloc.h>
#include <string.h>

#include "zpool_internal.h"

static unsigned size_to_class(size_t size) { return (unsigned)((size - 1) / ZPOOL_CLASS_STEP); }

static u32 va_pfn(void *va) { return (u32)phys_to_pfn(virt_to_phys(va)); }

/* Pages that slots [0, nslots) of class c reach into. */
static u32 zs_pages(const struct zclass *c, u32 nslots) { return (nslots * c->size + PAGE_SIZE - 1) / PAGE_SIZE; }

static void class_geometry(struct zclass *c, unsigned size)
{
	unsigned best_k = 1;
	u64 best_waste = ~0ULL;

	for (unsigned k = 1; k <= ZPOOL_MAX_ZSPAGE_PAGES; k++) {
		u64 run = (u64)k * PAGE_SIZE, n = run / size, waste = run - n * size;

		if (n > H_MAX_SLOTS)
			break;
		/* compare waste fractions: waste/run < best_waste/best_run */
		if (best_waste == ~0ULL || waste * best_k < best_waste * k) {
			best_k = k;
			best_waste = waste;
		}
	}
	c->size = (u16)size;
	c->pages = (u8)best_k;
	c->objs = (u16)MIN((u64)best_k * PAGE_SIZE / size, (u64)H_MAX_SLOTS);
}

/* A page of the reserve (zpool_reserve), or NULL. Lock held. */
static struct page *reserve_take_locked(struct zpool *p) { return p->nreserve ? p->reserve[--p->nreserve] : NULL; }

/* Every page the pool owns carries PG_zspage (the physical map's "zram",
 * mm/physmap_report.c): set when it comes from the page allocator, cleared
 * just before it goes back. */
static struct page *pool_alloc_page(gfp_t gfp)
{
	struct page *pg = alloc_page(gfp | __GFP_NOWARN);

	if (pg)
		page_set_flag(pg, PG_zspage);
	return pg;
}

static void pool_free_page(struct page *pg)
{
	page_clear_flag(pg, PG_zspage);
	free_page(pg);
}

/* A table page (handle or descriptor chunk) back to the page allocator. */
void zp_free_table(u32 pfn) { pool_free_page(pfn_to_page(pfn)); }

/* A page for the allocator's failure: the allocator's, else the reserve's. Lock held. */
static struct page *pool_page_locked(struct zpool *p, gfp_t gfp)
{
	struct page *pg = pool_alloc_page(gfp);

	return pg ? pg : reserve_take_locked(p);
}

static void *table_page(struct zpool *p, gfp_t gfp)
{
	struct page *pg = pool_page_locked(p, gfp);

	if (!pg)
		return NULL;
	memset(page_address(pg), 0, PAGE_SIZE);
	p->pages_used++;
	return page_address(pg);
}

/* Pages zspage z holds: those of its handed-out slots, at least the
 * first slot's (a new zspage gets them before its first slot is taken). */
static u32 zs_held(const struct zclass *c, const struct zspage *z) { return zs_pages(c, MAX(z->bump, 1u)); }

/* Pages that taking the next slot of zspage z (which has room) adds. */
static u32 growth(const struct zclass *c, const struct zspage *z)
{
	if (z->free_head != ZS_NONE)
		return 0;
	return zs_pages(c, z->bump + 1u) - zs_held(c, z);
}

/* Pages that an allocation in class c needs beyond what the pool has. */
static u64 pages_needed_locked(struct zpool *p, struct zclass *c)
{
	u64 n = 0;

	if (!p->free_handle && !p->handle_dir[p->nr_handles / HANDLES_PER_CHUNK])
		n++;
	if (c->partial) {
		n += growth(c, zp_desc(p, c->partial));
	} else {
		n += zs_pages(c, 1);
		if (!p->free_desc && !p->desc_dir[p->nr_descs / DESCS_PER_CHUNK])
			n++;
	}
	return n;
}

static int new_handle_locked(struct zpool *p, gfp_t gfp, zhandle_t *out)
{
	u32 h = p->free_handle;

	if (h) {
		p->free_handle = *zp_handle_entry(p, h) & ~H_FREE;
		*out = h;
		return 0;
	}
	if (p->nr_handles / HANDLES_PER_CHUNK >= HANDLE_CHUNKS)
		return -ENOSPC;
	if (!p->handle_dir[p->nr_handles / HANDLES_PER_CHUNK]) {
		u32 *chunk = table_page(p, gfp);

		if (!chunk)
			return -ENOMEM;
		p->handle_dir[p->nr_handles / HANDLES_PER_CHUNK] = va_pfn(chunk);
	}
	*out = p->nr_handles++;
	return 0;
}

static void put_handle_locked(struct zpool *p, zhandle_t h)
{
	*zp_handle_entry(p, h) = H_FREE | p->free_handle;
	p->free_handle = h;
}

static int new_desc_locked(struct zpool *p, gfp_t gfp, u32 *out)
{
	u32 id = p->free_desc;

	if (id) {
		p->free_desc = zp_desc(p, id)->next;
		*out = id;
		return 0;
	}
	if (p->nr_descs / DESCS_PER_CHUNK >= DESC_CHUNKS)
		return -ENOSPC;
	if (!p->desc_dir[p->nr_descs / DESCS_PER_CHUNK]) {
		struct zspage *chunk = table_page(p, gfp);

		if (!chunk)
			return -ENOMEM;
		p->desc_dir[p->nr_descs / DESCS_PER_CHUNK] = va_pfn(chunk);
	}
	*out = p->nr_descs++;
	return 0;
}

static void put_desc_locked(struct zpool *p, u32 id)
{
	struct zspage *z = zp_desc(p, id);

	memset(z, 0, sizeof(*z));
	z->next = p->free_desc;
	p->free_desc = id;
}

/* The page holding byte off of zspage z, and off's offset inside it. */
static struct page *zs_page(struct zspage *z, u32 off, u32 *in)
{
	struct page *pg = z->first;

	for (u32 i = off / PAGE_SIZE; i; i--)
		pg = (struct page *)pg->private;
	*in = off % PAGE_SIZE;
	return pg;
}

u16 *zp_slot_link(struct zspage *z, struct zclass *c, u16 slot)
{
	u32 in;
	struct page *pg = zs_page(z, (u32)slot * c->size, &in);

	return (u16 *)((u8 *)page_address(pg) + in);
}

void zp_list_del_locked(struct zpool *p, struct zclass *c, u32 id)
{
	struct zspage *z = zp_desc(p, id);

	if (z->prev)
		zp_desc(p, z->prev)->next = z->next;
	else
		c->partial = z->next;
	if (z->next)
		zp_desc(p, z->next)->prev = z->prev;
	z->next = z->prev = 0;
}

void zp_list_add_locked(struct zpool *p, struct zclass *c, u32 id)
{
	struct zspage *z = zp_desc(p, id);

	z->prev = 0;
	z->next = c->partial;
	if (c->partial)
		zp_desc(p, c->partial)->prev = id;
	c->partial = id;
}

/* Free a zspage's chain of pages, refilling the reserve first. */
static void free_zspage_pages(struct zpool *p, struct page *pg)
{
	while (pg) {
		struct page *next = (struct page *)pg->private;

		pg->private = 0;
		pg->index = 0;
		pg->mapping = NULL;
		if (p && p->nreserve < ZPOOL_RESERVE)
			p->reserve[p->nreserve++] = pg;
		else
			pool_free_page(pg);
		pg = next;
	}
}

/* Give the reserve's pages back to the page allocator. Lock held. */
void zp_reserve_release_locked(struct zpool *p)
{
	while (p->nreserve)
		pool_free_page(p->reserve[--p->nreserve]);
}

bool zpool_reserve(struct zpool *p, gfp_t gfp)
{
	unsigned long f;
	bool full;

	if (likely(READ_ONCE(p->nreserve) == ZPOOL_RESERVE)) /* the usual case; a stale look only costs a lock */
		return true;
	f = spin_lock_irqsave(&p->lock);
	while (p->nreserve < ZPOOL_RESERVE) {
		struct page *pg = pool_alloc_page(gfp);

		if (!pg)
			break;
		p->reserve[p->nreserve++] = pg;
	}
	full = p->nreserve == ZPOOL_RESERVE;
	spin_unlock_irqrestore(&p->lock, f);
	return full;
}

/* Allocate n pages and chain them after last (NULL: they start a new
 * zspage, *first gets the head). All or nothing: -ENOMEM frees them. */
static int chain_pages(struct zpool *p, u32 id, struct page *last, u32 n, gfp_t gfp, struct page **first)
{
	struct page *head = NULL, *tail = NULL;

	for (u32 i = 0; i < n; i++) {
		struct page *pg = pool_page_locked(p, gfp);

		if (!pg) {
			free_zspage_pages(p, head);
			return -ENOMEM;
		}
		pg->private = 0;
		pg->index = id;
		pg->mapping = p;
		if (tail)
			tail->private = (uintptr_t)pg;
		else
			head = pg;
		tail = pg;
	}
	if (last)
		last->private = (uintptr_t)head;
	else
		*first = head;
	p->pages_used += n;
	p->zspage_pages += n;
	return 0;
}

/* Give zspage id the pages its next slot reaches into (growth() of them). */
int zp_grow_locked(struct zpool *p, struct zclass *c, u32 id, gfp_t gfp)
{
	struct zspage *z = zp_desc(p, id);
	u32 n = growth(c, z), have = zs_held(c, z), in;

	if (!n)
		return 0;
	return chain_pages(p, id, zs_page(z, (have - 1) * PAGE_SIZE, &in), n, gfp, NULL);
}

/* A new zspage for class c on its partial list, with the pages of its
 * first slot (the rest come one by one as slots are handed out); its id
 * in *out. */
static int new_zspage_locked(struct zpool *p, struct zclass *c, gfp_t gfp, u32 *out)
{
	struct page *first = NULL;
	struct zspage *z;
	u32 id;
	int err = new_desc_locked(p, gfp, &id);

	if (err)
		return err;
	err = chain_pages(p, id, NULL, zs_pages(c, 1), gfp, &first);
	if (err) {
		put_desc_locked(p, id);
		return err;
	}
	z = zp_desc(p, id);
	z->first = first;
	z->cls = (u8)(c - p->cls);
	z->inuse = 0;
	z->bump = 0;
	z->free_head = ZS_NONE;
	c->zspages++;
	zp_list_add_locked(p, c, id);
	*out = id;
	return 0;
}

void zp_release_zspage_locked(struct zpool *p, struct zclass *c, u32 id)
{
	struct zspage *z = zp_desc(p, id);

	zp_list_del_locked(p, c, id);
	p->pages_used -= zs_held(c, z);
	p->zspage_pages -= zs_held(c, z);
	free_zspage_pages(p, z->first);
	put_desc_locked(p, id);
	c->zspages--;
}

/* Take a free slot of zspage id (which has one, and the pages for it:
 * grow_locked). Freed slots first, then the next never-used one. */
u16 zp_take_slot_locked(struct zpool *p, struct zclass *c, u32 id)
{
	struct zspage *z = zp_desc(p, id);
	u16 s = z->free_head;

	if (s != ZS_NONE) {
		z->free_head = *zp_slot_link(z, c, s);
	} else {
		BUG_ON(z->bump >= c->objs);
		s = z->bump++;
	}
	z->inuse++;
	c->inuse++;
	if (z->inuse == c->objs)
		zp_list_del_locked(p, c, id);
	return s;
}

/* Give slot s of zspage id back; frees the zspage when it empties. */
static void put_slot_locked(struct zpool *p, struct zclass *c, u32 id, u16 s)
{
	struct zspage *z = zp_desc(p, id);

	*zp_slot_link(z, c, s) = z->free_head;
	z->free_head = s;
	if (z->inuse == c->objs)
		zp_list_add_locked(p, c, id);
	z->inuse--;
	c->inuse--;
	if (!z->inuse)
		zp_release_zspage_locked(p, c, id);
}

struct zpool *zpool_create(gfp_t gfp)
{
	struct zpool *p = get_free_pages(gfp | __GFP_ZERO, POOL_ORDER);

	if (!p)
		return NULL;
	for (unsigned i = 0; i < 1u << POOL_ORDER; i++)
		page_set_flag(virt_to_page(p) + i, PG_zspage);
	p->lock = (spinlock_t)SPINLOCK_INIT;
	p->gfp = gfp;
	p->pages_used = 1u << POOL_ORDER;
	p->nr_handles = 1; /* handle 0 is never given out */
	p->nr_descs = 1;   /* zspage id 0 means "none" */
	for (unsigned i = 0; i < ZPOOL_NR_CLASSES; i++)
		class_geometry(&p->cls[i], (i + 1) * ZPOOL_CLASS_STEP);
	return p;
}

void zpool_destroy(struct zpool *p)
{
	for (u32 id = 1; id < p->nr_descs; id++)
		free_zspage_pages(NULL, zp_desc(p, id)->first);
	zp_reserve_release_locked(p);
	for (unsigned i = 0; i < HANDLE_CHUNKS && p->handle_dir[i]; i++)
		zp_free_table(p->handle_dir[i]);
	for (unsigned i = 0; i < DESC_CHUNKS && p->desc_dir[i]; i++)
		zp_free_table(p->desc_dir[i]);
	for (unsigned i = 0; i < 1u << POOL_ORDER; i++)
		page_clear_flag(virt_to_page(p) + i, PG_zspage);
	put_free_pages(p, POOL_ORDER);
}

void zpool_set_limit(struct zpool *p, u64 max_pages)
{
	unsigned long f = spin_lock_irqsave(&p->lock);

	p->limit = max_pages;
	spin_unlock_irqrestore(&p->lock, f);
}

int zpool_alloc(struct zpool *p, size_t size, gfp_t gfp, zhandle_t *out)
{
	struct zclass *c;
	zhandle_t h;
	u32 id;
	u16 s;
	int err;
	unsigned long f;

	BUG_ON(size == 0 || size > ZPOOL_MAX_SIZE);
	c = &p->cls[size_to_class(size)];
	f = spin_lock_irqsave(&p->lock);
	if (p->limit && p->pages_used + pages_needed_locked(p, c) > p->limit) {
		err = -ENOSPC;
		goto out;
	}
	err = new_handle_locked(p, gfp, &h);
	if (err)
		goto out;
	id = c->partial;
	err = id ? zp_grow_locked(p, c, id, gfp) : new_zspage_locked(p, c, gfp, &id);
	if (err) {
		put_handle_locked(p, h);
		goto out;
	}
	s = zp_take_slot_locked(p, c, id);
	*zp_handle_entry(p, h) = id << H_SLOT_BITS | s;
	p->bytes_stored += c->size;
	p->objects++;
	*out = h;
out:
	spin_unlock_irqrestore(&p->lock, f);
	return err;
}

static void locate(struct zpool *p, zhandle_t h, struct zspage **z, struct zclass **c, u16 *s)
{
	u32 e = *zp_handle_entry(p, h);

	BUG_ON(e & H_FREE);
	*z = zp_desc(p, e >> H_SLOT_BITS);
	*c = &p->cls[(*z)->cls];
	*s = e & (H_MAX_SLOTS - 1);
}

void zpool_free(struct zpool *p, zhandle_t h)
{
	struct zspage *z;
	struct zclass *c;
	u16 s;
	unsigned long f = spin_lock_irqsave(&p->lock);

	locate(p, h, &z, &c, &s);
	p->bytes_stored -= c->size;
	p->objects--;
	put_slot_locked(p, c, *zp_handle_entry(p, h) >> H_SLOT_BITS, s);
	put_handle_locked(p, h);
	spin_unlock_irqrestore(&p->lock, f);
}

/* Copy between an object and buf: to_obj selects the direction. */
void zp_copy_obj(struct zspage *z, struct zclass *c, u16 s, void *buf, size_t len, bool to_obj)
{
	u32 in;
	struct page *pg = zs_page(z, (u32)s * c->size, &in);
	u8 *b = buf;

	while (len) {
		size_t n = MIN(len, (size_t)(PAGE_SIZE - in));
		u8 *va = (u8 *)page_address(pg) + in;

		if (to_obj)
			memcpy(va, b, n);
		else
			memcpy(b, va, n);
		b += n;
		len -= n;
		in = 0;
		pg = (struct page *)pg->private;
	}
}

void *zpool_map(struct zpool *p, zhandle_t h, enum zpool_mapmode mode)
{
	struct zspage *z;
	struct zclass *c;
	u16 s;
	u32 in;
	struct page *pg;
	unsigned long f = spin_lock_irqsave(&p->lock);

	p->irqflags = f;
	locate(p, h, &z, &c, &s);
	p->map_mode = mode;
	pg = zs_page(z, (u32)s * c->size, &in);
	if (in + c->size <= PAGE_SIZE) {
		p->map_ptr = NULL;
		return (u8 *)page_address(pg) + in;
	}
	p->map_ptr = p->span_buf;
	if (mode != ZPOOL_MM_WO)
		zp_copy_obj(z, c, s, p->span_buf, c->size, false);
	return p->span_buf;
}

void zpool_unmap(struct zpool *p, zhandle_t h)
{
	BUG_ON(!p->lock.held);
	if (p->map_ptr && p->map_mode != ZPOOL_MM_RO) {
		struct zspage *z;
		struct zclass *c;
		u16 s;

		locate(p, h, &z, &c, &s);
		zp_copy_obj(z, c, s, p->span_buf, c->size, true);
	}
	spin_unlock_irqrestore(&p->lock, p->irqflags);
}

void zpool_write(struct zpool *p, zhandle_t h, const void *src, size_t len)
{
	struct zspage *z;
	struct zclass *c;
	u16 s;
	unsigned long f = spin_lock_irqsave(&p->lock);

	locate(p, h, &z, &c, &s);
	BUG_ON(len > c->size);
	zp_copy_obj(z, c, s, (void *)src, len, true);
	spin_unlock_irqrestore(&p->lock, f);
}

size_t zpool_obj_size(struct zpool *p, zhandle_t h)
{
	struct zspage *z;
	struct zclass *c;
	u16 s;
	unsigned long f = spin_lock_irqsave(&p->lock);

	locate(p, h, &z, &c, &s);
	spin_unlock_irqrestore(&p->lock, f);
	return c->size;
}

u64 zpool_pages_used(const struct zpool *p) { return READ_ONCE(p->pages_used); }

void zpool_get_stats(struct zpool *p, struct zpool_stats *st)
{
	unsigned long f = spin_lock_irqsave(&p->lock);

	st->pages_used = p->pages_used;
	st->zspage_pages = p->zspage_pages;
	st->bytes_stored = p->bytes_stored;
	st->objects = p->objects;
	st->pages_compacted = p->compacted;
	spin_unlock_irqrestore(&p->lock, f);
}

u64 zpool_class_objects(struct zpool *p, unsigned c)
{
	BUG_ON(c >= ZPOOL_NR_CLASSES);
	return p->cls[c].inuse;
}

void zpool_show_classes(struct zpool *p, FILE *f)
{
	fprintf(f, " class  size pages objs/zspage  objects zspages\n");
	for (unsigned i = 0; i < ZPOOL_NR_CLASSES; i++) {
		struct zclass *c = &p->cls[i];

		if (c->zspages)
			fprintf(f, "%6u %5u %5u %12u %8u %7u\n", i, c->size, c->pages, c->objs, c->inuse,
				c->zspages);
	}
}
