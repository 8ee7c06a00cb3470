/*
 * Generic translation-table management over the arch descriptor format
 * (include/arch/mmu.h). The number of levels and VA bits are parameters:
 * the same code builds 4-level/48-bit and 3-level/39-bit tables.
 *
 * Mapping policy: pgt_map() uses the largest leaf the alignment of VA
 * and PA and the remaining size allow (1 GiB, 2 MiB, then 4 KiB).
 * Changing part of a block (pgt_protect, pgt_unmap) splits it into the
 * next level first. On a live table (pt->live: installed in a TTBR)
 * every valid->valid change is break-before-make: write invalid, TLB
 * invalidate, write the new entry. The caller must not change the
 * mapping of the code or stack it is running on.
 *
 * Locking: none inside; the owner of the pgtable serialises calls (the
 * kernel table at boot is single threaded; per-app tables take the mm
 * lock, issue 6).
 * Errors: -EINVAL (unaligned, outside the table's range), -EEXIST (map
 * over a mapping), -ENOENT (protect of an unmapped page), -ENOMEM (no
 * table page). A failed call leaves the tables as they were.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include <arch/mmu.h>

struct pgtable {
	phys_addr_t root;    /* PA of the top-level table */
	u64 va_base;         /* first VA translated (0, or ~0 << va_bits) */
	unsigned va_bits;
	int top_level;       /* 0 for 48 bits, 1 for 39 */
	bool live;           /* installed: break-before-make + TLB maintenance */
	bool user;           /* TTBR0 table: flush by ASID */
	unsigned asid;
	phys_addr_t (*alloc_table)(void *ctx); /* a zeroed page, or 0 */
	void (*free_table)(void *ctx, phys_addr_t pa);
	void *ctx;
	u64 nr_tables;       /* table pages in use, root included */
};

/* Set up an empty table covering [va_base, va_base + 2^va_bits).
 * Allocates the root. Returns 0 or -ENOMEM/-EINVAL. */
int pgt_init(struct pgtable *pt, u64 va_base, unsigned va_bits,
	     phys_addr_t (*alloc_table)(void *), void (*free_table)(void *, phys_addr_t), void *ctx);
/* Map [va, va+size) to [pa, pa+size) with MMU_* attrs (page aligned). */
int pgt_map(struct pgtable *pt, u64 va, phys_addr_t pa, u64 size, unsigned attrs);
/* Remove mappings in [va, va+size); unmapped holes are allowed.
 * Frees table pages that become empty. */
int pgt_unmap(struct pgtable *pt, u64 va, u64 size);
/* Change the attributes of the (fully mapped) range [va, va+size). */
int pgt_protect(struct pgtable *pt, u64 va, u64 size, unsigned attrs);
/* Look up va: 0 and *pa (of va itself), *attrs, *level; or -ENOENT. */
int pgt_query(const struct pgtable *pt, u64 va, phys_addr_t *pa, unsigned *attrs, int *level);
/* Free every table page (not the mapped memory). */
void pgt_destroy(struct pgtable *pt);

/* Visit the leaves in [start, last] (inclusive, clipped to the table's
 * range) in VA order; a leaf partly inside is reported clipped. */
typedef void (*pgt_leaf_fn)(void *arg, u64 va, phys_addr_t pa, u64 size, int level, unsigned attrs);
void pgt_for_each_leaf(const struct pgtable *pt, u64 start, u64 last, pgt_leaf_fn fn, void *arg);

/*
 * Single-page fast path for the page-fault handler (one walk instead of
 * pgt_query + pgt_map):
 * pgt_walk_pte: the level-3 entry for va, creating missing tables when
 * alloc; NULL if va is outside the table, a block maps it, there is no
 * table (alloc false) or no memory for one. Tables made here stay even if
 * the caller then maps nothing (pgt_unmap frees empty ones).
 * pgt_set_pte: store a 4 KiB leaf (or 0) in that entry, break-before-make
 * with a TLB flush if the old entry was valid.
 */
pte_t *pgt_walk_pte(struct pgtable *pt, u64 va, bool alloc);
void pgt_set_pte(struct pgtable *pt, pte_t *ptep, u64 va, pte_t pte);

#endif
