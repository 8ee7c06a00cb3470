/*
 * The physical memory map: include/mm/physmap.h says what it prints.
 *
 * A frame's owner comes from its struct page: a free block is known by its
 * head (PG_buddy or PG_pcp, order); allocated frames by
 * the flags their owner sets (slab, PG_pgtable, PG_zspage, PG_cma_alloc)
 * or by page->mapping (anon: the PAGE_MAPPING_ANON bit; file or shmem: the
 * address_space). An allocation that sets none of these is "kernel".
 */
#include <lib/spinlock.h>
#include <mm/mm_types.h>
#include <mm/mmzone.h>
#include <mm/physmap.h>

const char *const physmap_owner_names[PHYS_NR_OWNERS] = {
	"free", "reserved", "kernel", "slab", "pagetable", "anon", "file", "shmem", "zram", "cma_alloc",
};

enum physmap_owner physmap_page_owner(const struct page *p)
{
	uintptr_t mapping = (uintptr_t)p->mapping;

	if (PAGE_FLAG(p, PG_reserved))
		return PHYS_RESERVED;
	if (PAGE_FLAG(p, PG_buddy) || PAGE_FLAG(p, PG_pcp))
		return PHYS_FREE;
	if (PAGE_FLAG(p, PG_cma_alloc))
		return PHYS_CMA_ALLOC;
	if (PAGE_FLAG(p, PG_slab) || PAGE_FLAG(p, PG_slab_tail))
		return PHYS_SLAB;
	if (PAGE_FLAG(p, PG_pgtable))
		return PHYS_PAGETABLE;
	if (PAGE_FLAG(p, PG_zspage))
		return PHYS_ZRAM;
	if (mapping & PAGE_MAPPING_ANON)
		return PHYS_ANON;
	if (mapping)
		return ((const struct address_space *)mapping)->shmem ? PHYS_SHMEM : PHYS_FILE;
	if (PAGE_FLAG(p, PG_swapcache)) /* an anon page between rmap and swap cache */
		return PHYS_ANON;
	return PHYS_KERNEL;
}

struct walker {
	void (*fn)(void *arg, const struct physmap_run *r);
	void *arg;
	struct physmap_run run; /* the run being built; nr == 0: none */
};

static void add_frame(struct walker *w, u64 pfn, int zone, int mt, enum physmap_owner owner)
{
	struct physmap_run *r = &w->run;

	if (r->nr && r->zone == zone && r->migratetype == mt && r->owner == owner) {
		r->nr++;
		return;
	}
	if (r->nr)
		w->fn(w->arg, r);
	*r = (struct physmap_run){ .pfn = pfn, .nr = 1, .zone = zone, .migratetype = mt, .owner = owner };
}

/* Frames [pfn, end) of zone z (NULL: outside every zone). */
static void walk_span(struct walker *w, struct zone *z, u64 pfn, u64 end)
{
	u64 free_until = pfn; /* frames below this are in a free block seen earlier */

	for (; pfn < end; pfn++) {
		const struct page *p = pfn_to_page(pfn);
		enum physmap_owner owner;

		if (pfn < free_until) {
			owner = PHYS_FREE;
		} else {
			owner = physmap_page_owner(p);
			if (PAGE_FLAG(p, PG_buddy) || PAGE_FLAG(p, PG_pcp)) /* a free block's head */
				free_until = pfn + (1ull << p->order);
		}
		add_frame(w, pfn, z ? (int)(z - zones) : -1, z ? pageblock_migratetype(z, pfn) : -1, owner);
	}
}

/* The populated zone holding pfn, or NULL; *end: where that answer ends. */
static struct zone *zone_at(u64 pfn, u64 limit, u64 *end)
{
	*end = limit;
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];

		if (!zone_populated(z))
			continue;
		if (pfn >= z->start_pfn && pfn < z->end_pfn) {
			*end = z->end_pfn < limit ? z->end_pfn : limit;
			return z;
		}
		if (z->start_pfn > pfn && z->start_pfn < *end)
			*end = z->start_pfn;
	}
	return NULL;
}

void physmap_walk(void (*fn)(void *arg, const struct physmap_run *r), void *arg)
{
	struct walker w = { .fn = fn, .arg = arg };
	u64 pfn = mem_map_base_pfn, limit = mem_map_base_pfn + mem_map_nr;

	while (pfn < limit) {
		u64 end;
		struct zone *z = zone_at(pfn, limit, &end);

		if (z) {
			unsigned long f = spin_lock_irqsave(&z->lock);

			walk_span(&w, z, pfn, end);
			if (w.run.nr) { /* print inside the lock: the next zone's frames are another run */
				fn(arg, &w.run);
				w.run.nr = 0;
			}
			spin_unlock_irqrestore(&z->lock, f);
		} else {
			walk_span(&w, NULL, pfn, end);
		}
		pfn = end;
	}
	if (w.run.nr)
		fn(arg, &w.run);
}

static void print_run(void *arg, const struct physmap_run *r)
{
	fprintf(arg, "%#llx %llu %s %s %s\n", (unsigned long long)r->pfn, (unsigned long long)r->nr,
		r->zone < 0 ? "-" : zones[r->zone].name, r->migratetype < 0 ? "-" : migratetype_names[r->migratetype],
		physmap_owner_names[r->owner]);
}

void show_physmap(FILE *f)
{
	fprintf(f, "pfn frames zone migratetype owner\n");
	physmap_walk(print_run, f);
}
