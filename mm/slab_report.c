/*
 * Slab reports in Linux's formats:
 *
 *   slabinfo - version: 2.1
 *   # name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>
 *   kmalloc-64           100    128     64   64    1 : tunables    0    0    0 : slabdata      2      2      0
 *
 * and slabtop's summary (procps `slabtop -o`):
 *
 *    Active / Total Objects (% used)    : 1033 / 1408 (73.4%)
 *    ...
 *     OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME
 *
 * Counts are copied under each cache's lock, printed afterwards; the
 * per-CPU working sets are walked there too (Pagoda runs one CPU; an SMP
 * port would keep per-CPU counts instead of walking other CPUs' lists).
 */
#include <string.h>

#include "slab_internal.h"

struct cache_counts {
	char name[SLAB_NAME_LEN];
	u64 active, total, slabs, active_slabs;
	unsigned objsize, per_slab, pages_per_slab;
};

static void count_list(struct list_head *l, struct cache_counts *c)
{
	struct page *p;

	list_for_each_entry(p, l, lru) {
		c->active += (u64)p->mapcount;
		c->total += slab_objects(p);
		c->slabs++;
		c->active_slabs += p->mapcount > 0;
	}
}

static void count_cache(struct kmem_cache *s, struct cache_counts *c)
{
	unsigned long f = spin_lock_irqsave(&s->lock);

	memset(c, 0, sizeof(*c));
	strncpy(c->name, s->name, SLAB_NAME_LEN - 1);
	c->objsize = s->object_size;
	c->per_slab = s->objects;
	c->pages_per_slab = 1u << s->order;
	count_list(&s->partial, c);
	count_list(&s->full, c);
	count_list(&s->empty, c);
	slab_cpu_count_locked(s, &c->active, &c->total, &c->slabs, &c->active_slabs);
	spin_unlock_irqrestore(&s->lock, f);
}

void show_slabinfo(FILE *f)
{
	struct kmem_cache *s;

	fprintf(f, "slabinfo - version: 2.1\n");
	fprintf(f, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit>"
		   " <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	list_for_each_entry(s, &slab_caches, list) {
		struct cache_counts c;

		count_cache(s, &c);
		fprintf(f, "%-17s %6llu %6llu %6u %4u %4u : tunables %4u %4u %4u : slabdata %6llu %6llu %6u\n", c.name,
			(unsigned long long)c.active, (unsigned long long)c.total, c.objsize, c.per_slab, c.pages_per_slab,
			0u, 0u, 0u, (unsigned long long)c.active_slabs, (unsigned long long)c.slabs, 0u);
	}
}

static void pct_line(FILE *f, const char *what, u64 active, u64 total, const char *unit)
{
	u64 tenths = total ? active * 1000 / total : 0;

	fprintf(f, " Active / Total %-20s: %llu%s / %llu%s (%llu.%llu%%)\n", what, (unsigned long long)active, unit,
		(unsigned long long)total, unit, (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
}

void show_slabtop(FILE *f, unsigned max_lines)
{
	struct kmem_cache *s;
	u64 a_obj = 0, t_obj = 0, a_slab = 0, t_slab = 0, a_cache = 0, t_cache = 0, a_size = 0, t_size = 0;
	unsigned min_sz = ~0u, max_sz = 0, lines = 0;
	u64 sum_sz = 0;

	list_for_each_entry(s, &slab_caches, list) {
		struct cache_counts c;

		count_cache(s, &c);
		a_obj += c.active, t_obj += c.total, a_slab += c.active_slabs, t_slab += c.slabs;
		a_cache += c.active > 0, t_cache++;
		a_size += c.active * c.objsize, t_size += c.slabs * c.pages_per_slab * PAGE_SIZE;
		min_sz = MIN(min_sz, c.objsize), max_sz = MAX(max_sz, c.objsize), sum_sz += c.objsize;
	}
	pct_line(f, "Objects (% used)", a_obj, t_obj, "");
	pct_line(f, "Slabs (% used)", a_slab, t_slab, "");
	pct_line(f, "Caches (% used)", a_cache, t_cache, "");
	fprintf(f, " Active / Total Size (%% used)       : %llu.%02lluK / %llu.%02lluK (%llu.%llu%%)\n",
		(unsigned long long)(a_size / 1024), (unsigned long long)(a_size % 1024 * 100 / 1024),
		(unsigned long long)(t_size / 1024), (unsigned long long)(t_size % 1024 * 100 / 1024),
		(unsigned long long)(t_size ? a_size * 1000 / t_size / 10 : 0),
		(unsigned long long)(t_size ? a_size * 1000 / t_size % 10 : 0));
	fprintf(f, " Minimum / Average / Maximum Object : %u.%02uK / %llu.%02lluK / %u.%02uK\n\n", min_sz / 1024,
		min_sz % 1024 * 100 / 1024, (unsigned long long)(t_cache ? sum_sz / t_cache / 1024 : 0),
		(unsigned long long)(t_cache ? sum_sz / t_cache % 1024 * 100 / 1024 : 0), max_sz / 1024,
		max_sz % 1024 * 100 / 1024);
	fprintf(f, "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME\n");
	list_for_each_entry(s, &slab_caches, list) {
		struct cache_counts c;

		if (lines++ >= max_lines)
			break;
		count_cache(s, &c);
		fprintf(f, "%6llu %6llu %3llu%% %7u.%02uK %6llu %8u %9lluK %s\n", (unsigned long long)c.total,
			(unsigned long long)c.active, (unsigned long long)(c.total ? c.active * 100 / c.total : 0),
			c.objsize / 1024, c.objsize % 1024 * 100 / 1024, (unsigned long long)c.slabs, c.per_slab,
			(unsigned long long)(c.slabs * c.pages_per_slab * PAGE_SIZE / 1024), c.name);
	}
}
