/*
 * memblock: region lists kept sorted and non-overlapping; see
 * include/mm/memblock.h.
 *
 *   memory:   [=========== RAM bank 0 ===========]   [== bank 1 ==]
 *   reserved:   [dtb]   [kernel]          [tables]
 *   free:     [=]   [===]       [========]        [=] [============]
 */
#include <errno.h>
#include <mm/memblock.h>
#include <stdio.h>
#include <string.h>

struct memblock memblock;

void memblock_reset(void) { memset(&memblock, 0, sizeof(memblock)); }

static void remove_at(struct memblock_type *t, unsigned i)
{
	memmove(&t->r[i], &t->r[i + 1], (t->cnt - i - 1) * sizeof(t->r[0]));
	t->cnt--;
}

/* Insert keeping order; merge with neighbours that overlap or touch and
 * (for reservations) carry the same name. */
static int insert(struct memblock_type *t, phys_addr_t base, u64 size, const char *name)
{
	phys_addr_t end = base + size;
	unsigned i;

	if (!size || end < base)
		return -EINVAL;
	for (i = 0; i < t->cnt; i++) {
		struct memblock_region *r = &t->r[i];
		bool same = (!name && !r->name) || (name && r->name && !strcmp(name, r->name));

		if (same && base <= r->base + r->size && r->base <= end) {
			phys_addr_t nb = MIN(base, r->base), ne = MAX(end, r->base + r->size);

			remove_at(t, i);
			return insert(t, nb, ne - nb, name);
		}
		if (r->base > base)
			break;
	}
	if (t->cnt == MEMBLOCK_MAX_REGIONS)
		return -ENOSPC;
	memmove(&t->r[i + 1], &t->r[i], (t->cnt - i) * sizeof(t->r[0]));
	t->r[i] = (struct memblock_region){ base, size, name };
	t->cnt++;
	return 0;
}

int memblock_add(phys_addr_t base, u64 size) { return insert(&memblock.memory, base, size, NULL); }

int memblock_reserve(phys_addr_t base, u64 size, const char *name)
{
	return insert(&memblock.reserved, base, size, name ? name : "reserved");
}

void memblock_set_alloc_limit(phys_addr_t limit) { memblock.alloc_limit = limit; }
void memblock_set_lowmem_limit(phys_addr_t limit) { memblock.lowmem_limit = limit; }

phys_addr_t memblock_lowmem_end(void)
{
	const struct memblock_type *m = &memblock.memory;
	phys_addr_t end = m->cnt ? m->r[m->cnt - 1].base + m->r[m->cnt - 1].size : 0;

	return memblock.lowmem_limit && memblock.lowmem_limit < end ? memblock.lowmem_limit : end;
}

/* Free ranges = memory minus reserved, computed on the fly. */
void memblock_for_each_free(void (*fn)(void *arg, phys_addr_t base, u64 size), void *arg)
{
	for (unsigned m = 0; m < memblock.memory.cnt; m++) {
		phys_addr_t cur = memblock.memory.r[m].base;
		phys_addr_t end = cur + memblock.memory.r[m].size;

		for (unsigned r = 0; r < memblock.reserved.cnt && cur < end; r++) {
			phys_addr_t rb = memblock.reserved.r[r].base;
			phys_addr_t re = rb + memblock.reserved.r[r].size;

			if (re <= cur || rb >= end)
				continue;
			if (rb > cur)
				fn(arg, cur, rb - cur);
			cur = MAX(cur, re);
		}
		if (cur < end)
			fn(arg, cur, end - cur);
	}
}

struct alloc_req {
	u64 size, align;
	phys_addr_t min, max;
	phys_addr_t best;
};

static void pick_highest(void *arg, phys_addr_t base, u64 size)
{
	struct alloc_req *q = arg;
	phys_addr_t end = MIN(base + size, q->max);

	base = MAX(base, q->min);
	if (end <= base || end - base < q->size)
		return;
	phys_addr_t cand = ALIGN_DOWN(end - q->size, q->align);

	if (cand >= base && cand > q->best)
		q->best = cand;
}

phys_addr_t memblock_alloc_range(u64 size, u64 align, phys_addr_t min, phys_addr_t max, const char *name)
{
	struct alloc_req q = { size, align ? align : 1, min, max, 0 };

	if (memblock.retired) {
		printf("memblock: allocation of %llu bytes for %s after the page allocator took over\n",
		       (unsigned long long)size, name);
		return 0;
	}
	if (!size || (q.align & (q.align - 1)))
		return 0;
	if (memblock.alloc_limit && q.max > memblock.alloc_limit)
		q.max = memblock.alloc_limit;
	if (memblock.lowmem_limit && q.max > memblock.lowmem_limit)
		q.max = memblock.lowmem_limit;
	memblock_for_each_free(pick_highest, &q);
	if (!q.best || memblock_reserve(q.best, size, name))
		return 0;
	return q.best;
}

phys_addr_t memblock_alloc(u64 size, u64 align, const char *name)
{
	return memblock_alloc_range(size, align, 0, ~0ULL, name);
}

void memblock_retire(void) { memblock.retired = true; }

u64 memblock_phys_mem_size(void)
{
	u64 n = 0;

	for (unsigned i = 0; i < memblock.memory.cnt; i++)
		n += memblock.memory.r[i].size;
	return n;
}

static void add_free(void *arg, phys_addr_t base, u64 size)
{
	(void)base;
	*(u64 *)arg += size;
}

u64 memblock_reserved_size(void)
{
	u64 free = 0;

	memblock_for_each_free(add_free, &free);
	return memblock_phys_mem_size() - free;
}

bool memblock_is_memory(phys_addr_t base, u64 size)
{
	for (unsigned i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.r[i];

		if (base >= r->base && base + size <= r->base + r->size && base + size >= base)
			return true;
	}
	return false;
}

static void print_size(u64 bytes)
{
	if (bytes >= SZ_1M && !(bytes % SZ_1M))
		printf("%6llu MiB", (unsigned long long)(bytes / SZ_1M));
	else
		printf("%6llu KiB", (unsigned long long)((bytes + 1023) / 1024));
}

static void print_region(const char *kind, const struct memblock_region *r)
{
	printf("  %-9s [mem %#014llx-%#014llx] ", kind, (unsigned long long)r->base,
	       (unsigned long long)(r->base + r->size - 1));
	print_size(r->size);
	printf("%s%s\n", r->name ? "  " : "", r->name ? r->name : "");
}

void memblock_dump(void)
{
	printf("Memory map (from the device tree):\n");
	for (unsigned i = 0; i < memblock.memory.cnt; i++)
		print_region("RAM", &memblock.memory.r[i]);
	for (unsigned i = 0; i < memblock.reserved.cnt; i++)
		print_region("reserved", &memblock.reserved.r[i]);
	printf("  total RAM ");
	print_size(memblock_phys_mem_size());
	printf(", reserved ");
	print_size(memblock_reserved_size());
	printf("\n");
}
