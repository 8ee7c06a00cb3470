/*
 * zpool compaction (include/mm/zpool.h: zpool_compact, zpool_compactable):
 * each class needs ceil(live objects / slots per zspage) zspages; the
 * emptiest others are marked as sources, and one pass over the handle
 * table moves every object of a source into the kept zspages with room
 * (the handle stays, only its table entry changes), freeing each source
 * as it empties. If a page for a destination slot cannot be had, the
 * pass stops and the sources left keep their objects. An empty pool gives
 * its tables and reserve back too. Locking: pool->lock, as mm/zpool.c.
 */
#include <mm/page_alloc.h>
#include <string.h>

#include "zpool_internal.h"

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
			struct zspage *z = zp_desc(p, id);

			if (z->first && z->cls == ci && !z->marked && z->inuse < best_inuse) {
				best = id;
				best_inuse = z->inuse;
			}
		}
		zp_desc(p, best)->marked = 1;
		/* a source must not receive objects */
		if (zp_desc(p, best)->inuse < c->objs)
			zp_list_del_locked(p, c, best);
	}
	return marked;
}

/* Compaction stopped early: the sources left keep their objects and go
 * back on their partial lists. */
static void unmark_all_locked(struct zpool *p)
{
	for (u32 id = 1; id < p->nr_descs; id++) {
		struct zspage *z = zp_desc(p, id);

		if (z->first && z->marked) {
			z->marked = 0;
			if (z->inuse < p->cls[z->cls].objs)
				zp_list_add_locked(p, &p->cls[z->cls], id);
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
		zp_free_table(p->handle_dir[i]);
		p->handle_dir[i] = 0;
	}
	for (unsigned i = 0; i < DESC_CHUNKS && p->desc_dir[i]; i++, n++) {
		zp_free_table(p->desc_dir[i]);
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
		u32 e = *zp_handle_entry(p, h), sid, did;
		struct zspage *src, *dst;
		struct zclass *c;
		u16 s, d;

		if (e & H_FREE)
			continue;
		sid = e >> H_SLOT_BITS;
		src = zp_desc(p, sid);
		if (!src->marked)
			continue;
		c = &p->cls[src->cls];
		did = c->partial; /* a kept zspage with room: the count says one exists */
		BUG_ON(!did);
		if (zp_grow_locked(p, c, did, p->gfp)) { /* no page for the next slot: stop here */
			unmark_all_locked(p);
			break;
		}
		dst = zp_desc(p, did);
		s = e & (H_MAX_SLOTS - 1);
		d = zp_take_slot_locked(p, c, did);
		zp_copy_obj(src, c, s, p->span_buf, c->size, false);
		zp_copy_obj(dst, c, d, p->span_buf, c->size, true);
		*zp_handle_entry(p, h) = did << H_SLOT_BITS | d;
		/* the source is off every list: free its slot by hand */
		*zp_slot_link(src, c, s) = src->free_head;
		src->free_head = s;
		src->inuse--;
		c->inuse--;
		if (!src->inuse) {
			zp_list_add_locked(p, c, sid); /* release unlinks it */
			src->marked = 0;
			zp_release_zspage_locked(p, c, sid);
		}
	}
	/* sources that were empty already cannot exist (empty zspages are freed) */
	freed = before > p->zspage_pages ? before - p->zspage_pages : 0;
	if (!p->objects) { /* empty: its tables and its reserve go back too */
		freed += release_tables_locked(p);
		zp_reserve_release_locked(p);
	}
	p->compacted += freed;
	spin_unlock_irqrestore(&p->lock, f);
	return freed;
}

