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
 *
 * Swap entries (non-present, non-zero entries, arch_pte_mk_swap): not
 * "none". They keep their table page, pgt_map refuses to overwrite them
 * (-EEXIST) unless told PGT_MAP_REPLACE_SWAP, pgt_unmap clears them (the
 * caller frees their slots first: zap_page_range does), pgt_protect
 * treats them as unmapped (-ENOENT), pgt_query reports -ENOENT and
 * pgt_query_entry / pgt_for_each_entry / pgt_walk_pte expose them.
 * Young: leaves are made young (AF set); pgt_test_and_clear_young makes
 * one old, and the fault path makes it young again (pgt_set_pte).
 *
 * Errors: -EINVAL (unaligned, outside the table's range), -EEXIST (map
 * over a mapping or a swap entry), -ENOENT (protect of an unmapped page),
 * -ENOMEM (no table page). A failed call leaves the tables as they were
 * (pgt_map_flags with PGT_MAP_REPLACE_SWAP: the swap entries it replaced
 * before running out of table pages are left none).
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
/* pgt_map; flags PGT_MAP_REPLACE_SWAP: level-3 swap entries in the range
 * are overwritten (their slots are the caller's to free), not -EEXIST. */
#define PGT_MAP_REPLACE_SWAP 0x1u
int pgt_map_flags(struct pgtable *pt, u64 va, phys_addr_t pa, u64 size, unsigned attrs, unsigned flags);
/* Remove mappings and swap entries in [va, va+size); unmapped holes are
 * allowed. Frees table pages that become empty. */
int pgt_unmap(struct pgtable *pt, u64 va, u64 size);
/* Change the attributes of the (fully mapped) range [va, va+size). */
int pgt_protect(struct pgtable *pt, u64 va, u64 size, unsigned attrs);
/* Look up va: 0 and *pa (of va itself), *attrs, *level; or -ENOENT
 * (none, or a swap entry). */
int pgt_query(const struct pgtable *pt, u64 va, phys_addr_t *pa, unsigned *attrs, int *level);
/* The raw entry mapping va (a leaf or a swap entry) and its level: 0, or
 * -ENOENT when none. */
int pgt_query_entry(const struct pgtable *pt, u64 va, pte_t *pte, int *level);
/* If va's leaf is young: make it old, invalidate its TLB entry (live
 * tables) and return true; false if old, none or a swap entry. */
bool pgt_test_and_clear_young(struct pgtable *pt, u64 va);
/* Free every table page (not the mapped memory). */
void pgt_destroy(struct pgtable *pt);

/* Visit the leaves in [start, last] (inclusive, clipped to the table's
 * range) in VA order; a leaf partly inside is reported clipped. */
typedef void (*pgt_leaf_fn)(void *arg, u64 va, phys_addr_t pa, u64 size, int level, unsigned attrs);
void pgt_for_each_leaf(const struct pgtable *pt, u64 start, u64 last, pgt_leaf_fn fn, void *arg);
/* The same walk also reporting non-present (swap) entries to swap_fn
 * (va of the entry, the raw entry, its level); either callback may be NULL. */
typedef void (*pgt_swap_fn)(void *arg, u64 va, pte_t pte, int level);
void pgt_for_each_entry(const struct pgtable *pt, u64 start, u64 last, pgt_leaf_fn fn, pgt_swap_fn swap_fn,
			void *arg);

/*
 * pgt_zap: clear every entry (4 KiB leaves and swap entries) of [va,
 * va+size) of a table that maps with 4 KiB leaves only (user tables), as
 * Linux's mmu_gather does: the cleared entries are gathered, the TLB is
 * flushed once per batch (page by page up to PGT_FLUSH_VA_MAX valid
 * entries, else the whole ASID), and only then g->release gets the batch
 * (va and old entry of each), so that no page is freed while a TLB may
 * still map it. Table pages whose span lies in [floor, ceil] (inclusive:
 * the caller knows nothing is mapped there) are freed without looking at
 * them; others that became empty are freed too. 0, or -EINVAL (range, or
 * a block entry met: the entries before it are cleared and released).
 */
#define PGT_GATHER_MAX 64
#define PGT_FLUSH_VA_MAX 8
struct pgt_gather {
	unsigned n, nvalid;
	u64 cleared; /* entries cleared by this pgt_zap */
	u64 va[PGT_GATHER_MAX];
	pte_t pte[PGT_GATHER_MAX];
	void (*release)(void *arg, const u64 *va, const pte_t *pte, unsigned n);
	void *arg;
};
int pgt_zap(struct pgtable *pt, u64 va, u64 size, u64 floor, u64 ceil, struct pgt_gather *g);
/*
 * Single-page fast path for the page-fault handler (one walk instead of
 * pgt_query + pgt_map):
 * pgt_walk_pte: the level-3 entry for va, creating missing tables when
 * alloc; NULL if va is outside the table, a block maps it, there is no
 * table (alloc false) or no memory for one. Tables made here stay even if
 * the caller then maps nothing (pgt_unmap frees empty ones).
 * The entry may be none, a leaf or a swap entry (the caller decodes it).
 * pgt_set_pte: store a 4 KiB leaf, a swap entry or 0 in that entry,
 * break-before-make with a TLB flush if the old entry was valid (a change
 * of the young/dirty state only is written in place, flushed if made old).
 */
pte_t *pgt_walk_pte(struct pgtable *pt, u64 va, bool alloc);
void pgt_set_pte(struct pgtable *pt, pte_t *ptep, u64 va, pte_t pte);

#endif
