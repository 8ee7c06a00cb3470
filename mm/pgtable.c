/*
 * Generic translation tables: map, unmap, protect, query and iterate,
 * over any number of levels, using only the arch contract for the
 * descriptor format and TLB maintenance. See include/mm/pgtable.h for
 * the policy (largest leaf, split on partial change, break-before-make).
 *
 * Ranges are carried as [va, last] (inclusive) so that a range ending at
 * the very top of the address space (last = ~0) does not overflow.
 *
 * Entries: none (0), a table, a leaf (valid), or a non-present entry
 * (non-zero, not valid: a swap entry, arch_pte_is_swap). A non-present
 * entry is "not none": it keeps its table alive, map refuses to
 * overwrite it (unless PGT_MAP_REPLACE_SWAP), unmap clears it, and the
 * walkers report it to a swap callback. Only the fault path and reclaim
 * make them, in level-3 slots.
 */
#include <arch/phys.h>
#include <errno.h>
#include <mm/pgtable.h>
#include <string.h>

static u64 level_size(int level) { return 1ULL << pt_level_shift(level); }

static pte_t *entry_of(const struct pgtable *pt, phys_addr_t table, int level, u64 va)
{
	unsigned shift = pt_level_shift(level);
	unsigned bits = level == pt->top_level ? pt->va_bits - shift : 9;
	u64 idx = (va >> shift) & ((1ULL << bits) - 1);

	return (pte_t *)phys_to_virt(table) + idx;
}

static unsigned entries_at(const struct pgtable *pt, int level)
{
	return level == pt->top_level ? 1u << (pt->va_bits - pt_level_shift(level)) : PT_ENTRIES;
}

static phys_addr_t new_table(struct pgtable *pt)
{
	phys_addr_t t = pt->alloc_table(pt->ctx);

	if (t)
		pt->nr_tables++;
	return t;
}

static void drop_table(struct pgtable *pt, phys_addr_t t)
{
	pt->nr_tables--;
	if (pt->free_table)
		pt->free_table(pt->ctx, t);
}

static void flush_va(const struct pgtable *pt, u64 va)
{
	if (!pt->live)
		return;
	if (pt->user)
		arch_tlb_flush_user_va(pt->asid, va);
	else
		arch_tlb_flush_kernel_va(va);
}

/* Replace an entry; valid -> anything on a live table is break-before-make,
 * except a change of the young/dirty state only (written in place; made
 * old, the TLB entry is invalidated). */
static void set_entry(const struct pgtable *pt, pte_t *ptep, pte_t pte, u64 va)
{
	pte_t old = *ptep;

	if (arch_pte_is_valid(old)) {
		if (arch_pte_is_valid(pte) && arch_pte_same_but_state(old, pte)) {
			arch_pte_write(ptep, pte);
			if (arch_pte_is_young(old) && !arch_pte_is_young(pte))
				flush_va(pt, va);
			return;
		}
		arch_pte_write(ptep, 0);
		flush_va(pt, va);
		old = 0;
	}
	if (pte || old)
		arch_pte_write(ptep, pte);
}

static bool table_empty(phys_addr_t table)
{
	const pte_t *t = phys_to_virt(table);

	for (unsigned i = 0; i < PT_ENTRIES; i++)
		if (t[i]) /* a swap entry keeps its table too */
			return false;
	return true;
}

/* The end of the level-sized block holding va, clipped to last. */
static u64 chunk_last(u64 va, u64 last, int level)
{
	u64 blk_last = va | (level_size(level) - 1);

	return MIN(blk_last, last);
}

/* Replace the block at *ptep with a table of next-level leaves, same attrs. */
static int split_block(struct pgtable *pt, pte_t *ptep, int level, u64 va)
{
	pte_t old = *ptep;
	phys_addr_t base = arch_pte_addr(old) & ~(level_size(level) - 1);
	unsigned attrs = arch_pte_attrs(old);
	u64 sub = level_size(level + 1);
	phys_addr_t t = new_table(pt);
	pte_t *n;

	if (!t)
		return -ENOMEM;
	n = phys_to_virt(t);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		n[i] = arch_pte_mk_leaf(base + i * sub, level + 1, attrs);
	set_entry(pt, ptep, arch_pte_mk_table(t), va & ~(level_size(level) - 1));
	return 0;
}

static void leaves(const struct pgtable *pt, phys_addr_t table, int level, u64 va, u64 last, pgt_leaf_fn fn,
		   pgt_swap_fn swap_fn, void *arg)
{
	for (;;) {
		u64 cl = chunk_last(va, last, level);
		pte_t pte = *entry_of(pt, table, level, va);

		if (arch_pte_is_table(pte, level))
			leaves(pt, arch_pte_addr(pte), level + 1, va, cl, fn, swap_fn, arg);
		else if (arch_pte_is_valid(pte) && fn)
			fn(arg, va, arch_pte_addr(pte) + (va & (level_size(level) - 1)), cl - va + 1, level,
			   arch_pte_attrs(pte));
		else if (pte && !arch_pte_is_valid(pte) && swap_fn)
			swap_fn(arg, va, pte, level);
		if (cl == last)
			return;
		va = cl + 1;
	}
}

static int map_range(struct pgtable *pt, phys_addr_t table, int level, u64 va, phys_addr_t pa, u64 last,
		     unsigned attrs, unsigned flags)
{
	u64 bsz = level_size(level);

	for (;;) {
		u64 cl = chunk_last(va, last, level);
		pte_t *ptep = entry_of(pt, table, level, va);
		pte_t pte = *ptep;
		bool whole = !(va & (bsz - 1)) && cl == (va | (bsz - 1));

		bool free_slot = !pte || ((flags & PGT_MAP_REPLACE_SWAP) && level == PT_LEAF_LEVEL && arch_pte_is_swap(pte));

		if (free_slot && whole && !(pa & (bsz - 1)) && arch_pte_leaf_allowed(level)) {
			set_entry(pt, ptep, arch_pte_mk_leaf(pa, level, attrs), va);
		} else {
			phys_addr_t next;
			int rc;

			if (arch_pte_is_table(pte, level)) {
				next = arch_pte_addr(pte);
			} else if (pte || level == PT_LEAF_LEVEL) {
				return -EEXIST; /* a leaf, or a non-present entry we may not replace */
			} else {
				next = new_table(pt);
				if (!next)
					return -ENOMEM;
				set_entry(pt, ptep, arch_pte_mk_table(next), va);
			}
			rc = map_range(pt, next, level + 1, va, pa, cl, attrs, flags);
			if (rc)
				return rc;
		}
		if (cl == last)
			return 0;
		pa += cl - va + 1;
		va = cl + 1;
	}
}

static int unmap_range(struct pgtable *pt, phys_addr_t table, int level, u64 va, u64 last)
{
	u64 bsz = level_size(level);

	for (;;) {
		u64 cl = chunk_last(va, last, level);
		pte_t *ptep = entry_of(pt, table, level, va);
		pte_t pte = *ptep;
		bool whole = !(va & (bsz - 1)) && cl == (va | (bsz - 1));

		if (arch_pte_is_table(pte, level)) {
			phys_addr_t next = arch_pte_addr(pte);
			int rc = unmap_range(pt, next, level + 1, va, cl);

			if (rc)
				return rc;
			if (table_empty(next)) {
				set_entry(pt, ptep, 0, va);
				drop_table(pt, next);
			}
		} else if (pte) {
			if (!whole) {
				int rc = arch_pte_is_valid(pte) ? split_block(pt, ptep, level, va) : -EINVAL;

				if (rc)
					return rc; /* -EINVAL: a non-present block-level entry (never made) */
				continue; /* now a table: handle this chunk again */
			}
			set_entry(pt, ptep, 0, va); /* a leaf, or a swap entry (its slot is the caller's) */
		}
		if (cl == last)
			return 0;
		va = cl + 1;
	}
}

static int protect_range(struct pgtable *pt, phys_addr_t table, int level, u64 va, u64 last, unsigned attrs)
{
	u64 bsz = level_size(level);

	for (;;) {
		u64 cl = chunk_last(va, last, level);
		pte_t *ptep = entry_of(pt, table, level, va);
		pte_t pte = *ptep;
		bool whole = !(va & (bsz - 1)) && cl == (va | (bsz - 1));

		if (arch_pte_is_table(pte, level)) {
			int rc = protect_range(pt, arch_pte_addr(pte), level + 1, va, cl, attrs);

			if (rc)
				return rc;
		} else if (!arch_pte_is_valid(pte)) {
			return -ENOENT;
		} else if (arch_pte_attrs(pte) != attrs) {
			if (!whole) {
				int rc = split_block(pt, ptep, level, va);

				if (rc)
					return rc;
				continue;
			}
			pte_t n = arch_pte_mk_leaf(arch_pte_addr(pte), level, attrs);

			set_entry(pt, ptep, arch_pte_is_dirty(pte) ? arch_pte_mkdirty(n) : n, va);
		}
		if (cl == last)
			return 0;
		va = cl + 1;
	}
}

static bool range_ok(const struct pgtable *pt, u64 va, u64 size)
{
	u64 span_last = pt->va_base + ((1ULL << pt->va_bits) - 1);

	return size && !(va & (SZ_4K - 1)) && !(size & (SZ_4K - 1)) && va >= pt->va_base &&
	       va - pt->va_base <= span_last - pt->va_base && size - 1 <= span_last - va;
}

static void add_size(void *arg, u64 va, phys_addr_t pa, u64 size, int level, unsigned attrs)
{
	(void)va, (void)pa, (void)level, (void)attrs;
	*(u64 *)arg += size;
}

/* Bytes of [va, last] mapped by valid leaves. */
static u64 mapped_bytes(const struct pgtable *pt, u64 va, u64 last)
{
	u64 n = 0;

	leaves(pt, pt->root, pt->top_level, va, last, add_size, NULL, &n);
	return n;
}

struct busy_count {
	u64 n;
	bool swap_is_free;
};

static void busy_leaf(void *arg, u64 va, phys_addr_t pa, u64 size, int level, unsigned attrs)
{
	(void)va, (void)pa, (void)level, (void)attrs;
	((struct busy_count *)arg)->n += size;
}

static void busy_swap(void *arg, u64 va, pte_t pte, int level)
{
	struct busy_count *b = arg;

	(void)va;
	if (!(b->swap_is_free && level == PT_LEAF_LEVEL && arch_pte_is_swap(pte)))
		b->n++;
}

/* Entries in [va, last] that pgt_map must not overwrite: leaves and
 * non-present entries (swap entries too unless swap_is_free). */
static u64 busy_entries(const struct pgtable *pt, u64 va, u64 last, bool swap_is_free)
{
	struct busy_count b = { 0, swap_is_free };

	leaves(pt, pt->root, pt->top_level, va, last, busy_leaf, busy_swap, &b);
	return b.n;
}

int pgt_init(struct pgtable *pt, u64 va_base, unsigned va_bits, phys_addr_t (*alloc_table)(void *),
	     void (*free_table)(void *, phys_addr_t), void *ctx)
{
	if (va_bits < 25 || va_bits > 48 || (va_base & ((1ULL << va_bits) - 1)))
		return -EINVAL;
	memset(pt, 0, sizeof(*pt));
	pt->va_base = va_base;
	pt->va_bits = va_bits;
	pt->top_level = pt_top_level(va_bits);
	pt->alloc_table = alloc_table;
	pt->free_table = free_table;
	pt->ctx = ctx;
	pt->root = new_table(pt);
	return pt->root ? 0 : -ENOMEM;
}

int pgt_map(struct pgtable *pt, u64 va, phys_addr_t pa, u64 size, unsigned attrs)
{
	return pgt_map_flags(pt, va, pa, size, attrs, 0);
}

int pgt_map_flags(struct pgtable *pt, u64 va, phys_addr_t pa, u64 size, unsigned attrs, unsigned flags)
{
	int rc;

	if (!range_ok(pt, va, size) || (pa & (SZ_4K - 1)) || (flags & ~PGT_MAP_REPLACE_SWAP))
		return -EINVAL;
	if (busy_entries(pt, va, va + size - 1, flags & PGT_MAP_REPLACE_SWAP))
		return -EEXIST;
	rc = map_range(pt, pt->root, pt->top_level, va, pa, va + size - 1, attrs, flags);
	if (rc)
		unmap_range(pt, pt->root, pt->top_level, va, va + size - 1); /* cannot split: no blocks were there */
	return rc;
}

int pgt_unmap(struct pgtable *pt, u64 va, u64 size)
{
	if (!range_ok(pt, va, size))
		return -EINVAL;
	return unmap_range(pt, pt->root, pt->top_level, va, va + size - 1);
}

int pgt_protect(struct pgtable *pt, u64 va, u64 size, unsigned attrs)
{
	if (!range_ok(pt, va, size))
		return -EINVAL;
	if (mapped_bytes(pt, va, va + size - 1) != size)
		return -ENOENT;
	return protect_range(pt, pt->root, pt->top_level, va, va + size - 1, attrs);
}

int pgt_query_entry(const struct pgtable *pt, u64 va, pte_t *pte, int *level)
{
	phys_addr_t table = pt->root;

	if (!range_ok(pt, va & ~(SZ_4K - 1), SZ_4K))
		return -ENOENT;
	for (int l = pt->top_level;; l++) {
		pte_t e = *entry_of(pt, table, l, va);

		if (arch_pte_is_table(e, l)) {
			table = arch_pte_addr(e);
			continue;
		}
		if (!e)
			return -ENOENT;
		if (pte)
			*pte = e;
		if (level)
			*level = l;
		return 0;
	}
}

int pgt_query(const struct pgtable *pt, u64 va, phys_addr_t *pa, unsigned *attrs, int *level)
{
	phys_addr_t table = pt->root;

	if (!range_ok(pt, va & ~(SZ_4K - 1), SZ_4K))
		return -ENOENT;
	for (int l = pt->top_level;; l++) {
		pte_t pte = *entry_of(pt, table, l, va);

		if (!arch_pte_is_valid(pte))
			return -ENOENT;
		if (arch_pte_is_table(pte, l)) {
			table = arch_pte_addr(pte);
			continue;
		}
		if (pa)
			*pa = arch_pte_addr(pte) + (va & (level_size(l) - 1));
		if (attrs)
			*attrs = arch_pte_attrs(pte);
		if (level)
			*level = l;
		return 0;
	}
}

void pgt_for_each_leaf(const struct pgtable *pt, u64 start, u64 last, pgt_leaf_fn fn, void *arg)
{
	u64 span_last = pt->va_base + ((1ULL << pt->va_bits) - 1);

	start = MAX(start, pt->va_base);
	last = MIN(last, span_last);
	if (start <= last)
		leaves(pt, pt->root, pt->top_level, start, last, fn, NULL, arg);
}

void pgt_for_each_entry(const struct pgtable *pt, u64 start, u64 last, pgt_leaf_fn fn, pgt_swap_fn swap_fn,
			void *arg)
{
	u64 span_last = pt->va_base + ((1ULL << pt->va_bits) - 1);

	start = MAX(start, pt->va_base);
	last = MIN(last, span_last);
	if (start <= last)
		leaves(pt, pt->root, pt->top_level, start, last, fn, swap_fn, arg);
}

bool pgt_test_and_clear_young(struct pgtable *pt, u64 va)
{
	phys_addr_t table = pt->root;

	if (!range_ok(pt, va & ~(SZ_4K - 1), SZ_4K))
		return false;
	for (int l = pt->top_level;; l++) {
		pte_t *ptep = entry_of(pt, table, l, va);
		pte_t e = *ptep;

		if (arch_pte_is_table(e, l)) {
			table = arch_pte_addr(e);
			continue;
		}
		if (!arch_pte_is_valid(e) || !arch_pte_is_young(e))
			return false;
		set_entry(pt, ptep, arch_pte_mkold(e), va & ~(level_size(l) - 1)); /* + TLB invalidate */
		return true;
	}
}

static void destroy_level(struct pgtable *pt, phys_addr_t table, int level)
{
	const pte_t *t = phys_to_virt(table);

	if (level < PT_LEAF_LEVEL)
		for (unsigned i = 0; i < entries_at(pt, level); i++)
			if (arch_pte_is_table(t[i], level))
				destroy_level(pt, arch_pte_addr(t[i]), level + 1);
	drop_table(pt, table);
}

void pgt_destroy(struct pgtable *pt)
{
	if (pt->root)
		destroy_level(pt, pt->root, pt->top_level);
	pt->root = 0;
}

/* ---- single-page fast path (the page-fault handler) ----------------------- */

/* pgt_walk_pte past a missing table: make it (alloc) or give up. Out of
 * line, so that the walk through present tables needs no stack frame. */
static __attribute__((noinline)) pte_t *walk_alloc(struct pgtable *pt, u64 va, bool alloc)
{
	u64 off = va - pt->va_base; /* the top index is off's bits above the level's shift */
	int level = pt->top_level;
	pte_t *ptep = (pte_t *)phys_to_virt(pt->root) + (off >> pt_level_shift(level));

	for (; level < PT_LEAF_LEVEL; level++) {
		pte_t pte = *ptep;
		phys_addr_t table;

		if (arch_pte_is_table(pte, level)) {
			table = arch_pte_addr(pte);
		} else {
			if (pte || !alloc)
				return NULL; /* a block, a non-present upper entry, or no table */
			table = new_table(pt);
			if (!table)
				return NULL;
			arch_pte_write(ptep, arch_pte_mk_table(table));
		}
		ptep = (pte_t *)phys_to_virt(table) + ((va >> pt_level_shift(level + 1)) & (PT_ENTRIES - 1));
	}
	return ptep;
}

pte_t *pgt_walk_pte(struct pgtable *pt, u64 va, bool alloc)
{
	u64 off = va - pt->va_base;
	int level = pt->top_level;
	pte_t *ptep;

	if (off >= (1ULL << pt->va_bits))
		return NULL;
	/* the tables are there (all but the first fault of each 2 MiB): no call, no frame */
	ptep = (pte_t *)phys_to_virt(pt->root) + (off >> pt_level_shift(level));
	for (; level < PT_LEAF_LEVEL; level++) {
		pte_t pte = *ptep;

		if (unlikely(!arch_pte_is_table(pte, level)))
			return walk_alloc(pt, va, alloc);
		ptep = (pte_t *)phys_to_virt(arch_pte_addr(pte)) + ((va >> pt_level_shift(level + 1)) & (PT_ENTRIES - 1));
	}
	return ptep;
}

void pgt_set_pte(struct pgtable *pt, pte_t *ptep, u64 va, pte_t pte)
{
	pte_t old = *ptep;

	if (likely(!arch_pte_is_valid(old))) { /* the first mapping of a page: nothing to break */
		if (pte || old)
			arch_pte_write(ptep, pte);
		return;
	}
	set_entry(pt, ptep, pte, va);
}

/* ---- zap: clear a range, flush once, then release (mmu_gather) ------------ */

/* Flush the TLB for the gathered entries (one by one up to PGT_FLUSH_VA_MAX
 * valid ones, else the whole ASID), then hand them to the caller. */
static void gather_flush(const struct pgtable *pt, struct pgt_gather *g)
{
	if (g->nvalid && pt->live) {
		if (g->nvalid > PGT_FLUSH_VA_MAX && pt->user) {
			arch_tlb_flush_asid(pt->asid);
		} else {
			for (unsigned i = 0; i < g->n; i++)
				if (arch_pte_is_valid(g->pte[i]))
					flush_va(pt, g->va[i]);
		}
	}
	if (g->n)
		g->release(g->arg, g->va, g->pte, g->n);
	g->n = g->nvalid = 0;
}

/* table_empty, looking from entry i up first: a mapping left next to an
 * unmapped one is usually just above it (mmap goes top-down). */
static bool table_empty_from(phys_addr_t table, unsigned i)
{
	const pte_t *t = phys_to_virt(table);

	for (unsigned j = i; j < PT_ENTRIES; j++)
		if (t[j])
			return false;
	for (unsigned j = 0; j < i; j++)
		if (t[j])
			return false;
	return true;
}

/* Clear the non-none entries of one level-3 table in [va, last] into g. */
static void zap_leaves(const struct pgtable *pt, pte_t *ptep, u64 va, u64 last, struct pgt_gather *g)
{
	for (u64 left = ((last - va) >> 12) + 1; left; left--, ptep++, va += SZ_4K) {
		pte_t pte = *ptep;

		if (!pte)
			continue;
		if (g->n == PGT_GATHER_MAX)
			gather_flush(pt, g);
		arch_pte_write(ptep, 0);
		g->va[g->n] = va;
		g->pte[g->n++] = pte;
		g->nvalid += arch_pte_is_valid(pte);
		g->cleared++;
	}
}

static int zap_range(struct pgtable *pt, phys_addr_t table, int level, u64 va, u64 last, u64 floor, u64 ceil,
		     struct pgt_gather *g)
{
	u64 bsz = level_size(level);

	if (level == PT_LEAF_LEVEL) {
		zap_leaves(pt, entry_of(pt, table, level, va), va, last, g);
		return 0;
	}
	for (;;) {
		u64 cl = chunk_last(va, last, level);
		pte_t *ptep = entry_of(pt, table, level, va);
		pte_t pte = *ptep;
		u64 span = va & ~(bsz - 1);

		if (arch_pte_is_table(pte, level)) {
			phys_addr_t next = arch_pte_addr(pte);
			u64 cleared = g->cleared;
			int rc = zap_range(pt, next, level + 1, va, cl, floor, ceil, g);

			if (rc)
				return rc;
			/* a table whose whole span is in the gap goes without a scan, with its subtables */
			if (span >= floor && span + (bsz - 1) <= ceil) {
				gather_flush(pt, g); /* no TLB entry may outlive the table page */
				set_entry(pt, ptep, 0, va);
				destroy_level(pt, next, level + 1);
			} else if (g->cleared != cleared && table_empty_from(next, (va >> pt_level_shift(level + 1)) & 511)) {
				gather_flush(pt, g);
				set_entry(pt, ptep, 0, va);
				drop_table(pt, next);
			}
		} else if (pte) {
			return -EINVAL; /* a block or a non-present upper entry: not a 4 KiB-leaf table */
		}
		if (cl == last)
			return 0;
		va = cl + 1;
	}
}

int pgt_zap(struct pgtable *pt, u64 va, u64 size, u64 floor, u64 ceil, struct pgt_gather *g)
{
	int rc;

	if (!range_ok(pt, va, size))
		return -EINVAL;
	g->n = g->nvalid = 0;
	g->cleared = 0;
	rc = zap_range(pt, pt->root, pt->top_level, va, va + size - 1, MIN(floor, va), MAX(ceil, va + size - 1), g);
	gather_flush(pt, g);
	return rc;
}
