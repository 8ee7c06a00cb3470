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
#include <arch/phys.h>
#include <lib/errno.h>
#include <lib/panic.h>
#include <lib/spinlock.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <mm/zpool.h>
#include <string.h>

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

static unsigned size_to_class(size_t size) { return (unsigned)((size - 1) / ZPOOL_CLASS_STEP); }

static void *pfn_va(u32 pfn) { return phys_to_virt(pfn_to_phys(pfn)); }
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

static u32 *handle_entry(struct zpool *p, zhandle_t h)
{
	BUG_ON(h == 0 || h >= p->nr_handles);
	return (u32 *)pfn_va(p->handle_dir[h / HANDLES_PER_CHUNK]) + h % HANDLES_PER_CHUNK;
}

static struct zspage *desc(struct zpool *p, u32 id)
{
	BUG_ON(id == 0 || id >= p->nr_descs);
	return (struct zspage *)pfn_va(p->desc_dir[id / DESCS_PER_CHUNK]) + id % DESCS_PER_CHUNK;
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
static void pool_free_table(u32 pfn) { pool_free_page(pfn_to_page(pfn)); }

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
		n += growth(c, desc(p, c->partial));
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
		p->free_handle = *handle_entry(p, h) & ~H_FREE;
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
	*handle_entry(p, h) = H_FREE | p->free_handle;
	p->free_handle = h;
}

static int new_desc_locked(struct zpool *p, gfp_t gfp, u32 *out)
{
	u32 id = p->free_desc;

	if (id) {
		p->free_desc = desc(p, id)->next;
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
	struct zspage *z = desc(p, id);

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

static u16 *slot_link(struct zspage *z, struct zclass *c, u16 slot)
{
	u32 in;
	struct page *pg = zs_page(z, (u32)slot * c->size, &in);

	return (u16 *)((u8 *)page_address(pg) + in);
}

static void list_del_locked(struct zpool *p, struct zclass *c, u32 id)
{
	struct zspage *z = desc(p, id);

	if (z->prev)
		desc(p, z->prev)->next = z->next;
	else
		c->partial = z->next;
	if (z->next)
		desc(p, z->next)->prev = z->prev;
	z->next = z->prev = 0;
}

static void list_add_locked(struct zpool *p, struct zclass *c, u32 id)
{
	struct zspage *z = desc(p, id);

	z->prev = 0;
	z->next = c->partial;
	if (c->partial)
		desc(p, c->partial)->prev = id;
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
static void reserve_release_locked(struct zpool *p)
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
static int grow_locked(struct zpool *p, struct zclass *c, u32 id, gfp_t gfp)
{
	struct zspage *z = desc(p, id);
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
	z = desc(p, id);
	z->first = first;
	z->cls = (u8)(c - p->cls);
	z->inuse = 0;
	z->bump = 0;
	z->free_head = ZS_NONE;
	c->zspages++;
	list_add_locked(p, c, id);
	*out = id;
	return 0;
}

static void release_zspage_locked(struct zpool *p, struct zclass *c, u32 id)
{
	struct zspage *z = desc(p, id);

	list_del_locked(p, c, id);
	p->pages_used -= zs_held(c, z);
	p->zspage_pages -= zs_held(c, z);
	free_zspage_pages(p, z->first);
	put_desc_locked(p, id);
	c->zspages--;
}

/* Take a free slot of zspage id (which has one, and the pages for it:
 * grow_locked). Freed slots first, then the next never-used one. */
static u16 take_slot_locked(struct zpool *p, struct zclass *c, u32 id)
{
	struct zspage *z = desc(p, id);
	u16 s = z->free_head;

	if (s != ZS_NONE) {
		z->free_head = *slot_link(z, c, s);
	} else {
		BUG_ON(z->bump >= c->objs);
		s = z->bump++;
	}
	z->inuse++;
	c->inuse++;
	if (z->inuse == c->objs)
		list_del_locked(p, c, id);
	return s;
}

/* Give slot s of zspage id back; frees the zspage when it empties. */
static void put_slot_locked(struct zpool *p, struct zclass *c, u32 id, u16 s)
{
	struct zspage *z = desc(p, id);

	*slot_link(z, c, s) = z->free_head;
	z->free_head = s;
	if (z->inuse == c->objs)
		list_add_locked(p, c, id);
	z->inuse--;
	c->inuse--;
	if (!z->inuse)
		release_zspage_locked(p, c, id);
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
		free_zspage_pages(NULL, desc(p, id)->first);
	reserve_release_locked(p);
	for (unsigned i = 0; i < HANDLE_CHUNKS && p->handle_dir[i]; i++)
		pool_free_table(p->handle_dir[i]);
	for (unsigned i = 0; i < DESC_CHUNKS && p->desc_dir[i]; i++)
		pool_free_table(p->desc_dir[i]);
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
	err = id ? grow_locked(p, c, id, gfp) : new_zspage_locked(p, c, gfp, &id);
	if (err) {
		put_handle_locked(p, h);
		goto out;
	}
	s = take_slot_locked(p, c, id);
	*handle_entry(p, h) = id << H_SLOT_BITS | s;
	p->bytes_stored += c->size;
	p->objects++;
	*out = h;
out:
	spin_unlock_irqrestore(&p->lock, f);
	return err;
}

static void locate(struct zpool *p, zhandle_t h, struct zspage **z, struct zclass **c, u16 *s)
{
	u32 e = *handle_entry(p, h);

	BUG_ON(e & H_FREE);
	*z = desc(p, e >> H_SLOT_BITS);
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
	put_slot_locked(p, c, *handle_entry(p, h) >> H_SLOT_BITS, s);
	put_handle_locked(p, h);
	spin_unlock_irqrestore(&p->lock, f);
}

/* Copy between an object and buf: to_obj selects the direction. */
static void copy_obj(struct zspage *z, struct zclass *c, u16 s, void *buf, size_t len, bool to_obj)
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
		copy_obj(z, c, s, p->span_buf, c->size, false);
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
		copy_obj(z, c, s, p->span_buf, c->size, true);
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
	copy_obj(z, c, s, (void *)src, len, true);
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

/* Mark zspages to evacuate in class c: all but the fullest ceil(inuse/objs). */
static u32 pick_sources_locked(struct zpool *p, struct zclass *c, unsigned ci)
{
	u32 keep = (c->inuse + c->objs - 1) / c->objs, marked = 0;

	if (c->zspages <= keep)
		return 0;
	/* mark the emptiest: repeatedly the least used unmarked one (marked = 1
	 * marks a source). O(sources * zspages): compaction is rare, and a
	 * 16 MiB pool has about a thousand zspages. */
	for (u32 want = c->zspages - keep; marked < want; marked++) {
		u32 best = 0;
		u16 best_inuse = 0xffff;

		for (u32 id = 1; id < p->nr_descs; id++) {
			struct zspage *z = desc(p, id);

			if (z->first && z->cls == ci && !z->marked && z->inuse < best_inuse) {
				best = id;
				best_inuse = z->inuse;
			}
		}
		desc(p, best)->marked = 1;
		/* a source must not receive objects */
		if (desc(p, best)->inuse < c->objs)
			list_del_locked(p, c, best);
	}
	return marked;
}

/* Compaction stopped early: the sources left keep their objects and go
 * back on their partial lists. */
static void unmark_all_locked(struct zpool *p)
{
	for (u32 id = 1; id < p->nr_descs; id++) {
		struct zspage *z = desc(p, id);

		if (z->first && z->marked) {
			z->marked = 0;
			if (z->inuse < p->cls[z->cls].objs)
				list_add_locked(p, &p->cls[z->cls], id);
		}
	}
}

/* An empty pool gives its handle table and descriptor pages back (they
 * grow with use and are otherwise kept): the pool is then as created.
 * Returns the pages freed. Only when no object and no zspage is live. */
static u64 release_tables_locked(struct zpool *p)
{
	u64 n = 0;

	BUG_ON(p->zspage_pages);
	for (unsigned i = 0; i < HANDLE_CHUNKS && p->handle_dir[i]; i++, n++) {
		pool_free_table(p->handle_dir[i]);
		p->handle_dir[i] = 0;
	}
	for (unsigned i = 0; i < DESC_CHUNKS && p->desc_dir[i]; i++, n++) {
		pool_free_table(p->desc_dir[i]);
		p->desc_dir[i] = 0;
	}
	p->free_handle = p->free_desc = 0;
	p->nr_handles = p->nr_descs = 1;
	p->pages_used -= n;
	return n;
}

bool zpool_nearly_full(const struct zpool *p)
{
	/* a racy read is fine: a hint for keeping copies, not a limit check */
	return p->limit && p->pages_used * 8 > p->limit * 7;
}

u64 zpool_compactable(struct zpool *p)
{
	unsigned long f = spin_lock_irqsave(&p->lock);
	u64 n = 0;

	for (unsigned ci = 0; ci < ZPOOL_NR_CLASSES; ci++) {
		const struct zclass *c = &p->cls[ci];
		u32 keep = c->objs ? (c->inuse + c->objs - 1) / c->objs : 0;

		if (c->zspages > keep)
			n += (u64)(c->zspages - keep) * c->pages;
	}
	spin_unlock_irqrestore(&p->lock, f);
	return n;
}

u64 zpool_compact(struct zpool *p)
{
	u64 before, freed;
	bool any = false;
	unsigned long f = spin_lock_irqsave(&p->lock);

	before = p->zspage_pages;
	for (unsigned ci = 0; ci < ZPOOL_NR_CLASSES; ci++)
		if (p->cls[ci].zspages && pick_sources_locked(p, &p->cls[ci], ci))
			any = true;
	for (zhandle_t h = 1; any && h < p->nr_handles; h++) {
		u32 e = *handle_entry(p, h), sid, did;
		struct zspage *src, *dst;
		struct zclass *c;
		u16 s, d;

		if (e & H_FREE)
			continue;
		sid = e >> H_SLOT_BITS;
		src = desc(p, sid);
		if (!src->marked)
			continue;
		c = &p->cls[src->cls];
		did = c->partial; /* a kept zspage with room: the count says one exists */
		BUG_ON(!did);
		if (grow_locked(p, c, did, p->gfp)) { /* no page for the next slot: stop here */
			unmark_all_locked(p);
			break;
		}
		dst = desc(p, did);
		s = e & (H_MAX_SLOTS - 1);
		d = take_slot_locked(p, c, did);
		copy_obj(src, c, s, p->span_buf, c->size, false);
		copy_obj(dst, c, d, p->span_buf, c->size, true);
		*handle_entry(p, h) = did << H_SLOT_BITS | d;
		/* the source is off every list: free its slot by hand */
		*slot_link(src, c, s) = src->free_head;
		src->free_head = s;
		src->inuse--;
		c->inuse--;
		if (!src->inuse) {
			list_add_locked(p, c, sid); /* release unlinks it */
			src->marked = 0;
			release_zspage_locked(p, c, sid);
		}
	}
	/* sources that were empty already cannot exist (empty zspages are freed) */
	freed = before > p->zspage_pages ? before - p->zspage_pages : 0;
	if (!p->objects) { /* empty: its tables and its reserve go back too */
		freed += release_tables_locked(p);
		reserve_release_locked(p);
	}
	p->compacted += freed;
	spin_unlock_irqrestore(&p->lock, f);
	return freed;
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
