/*
 * Swap over zram0 (contracts in include/mm/swap.h).
 *
 *   swap entry in a PTE ──offset──> swap_map[offset]  count | SWAP_HAS_CACHE
 *                                   cache_pfn[offset]  the swap-cache page (pfn + 1, 0: none)
 *                                   zram slot offset   the compressed page
 *
 * A slot's life: add_to_swap() (reclaim) takes a free slot, stores the
 * page in zram and makes the page a swap-cache page (SWAP_HAS_CACHE);
 * unmapping it turns each PTE into a swap entry (swap_dup: count++), and
 * when the last PTE is gone the page leaves the cache and is freed, so
 * the slot is then held by its swap PTEs only. A swap-in fault reads the
 * slot into a new page: a read fault keeps the page in the cache (clean:
 * its compressed copy stays valid and the next reclaim drops it without
 * compressing, the thrash benchmark's swap-in figure), a write fault - or
 * a read while swap is nearly full (7/8 of the slots, or of zram's memory
 * limit) - frees the copy at once. Either
 * way the PTE's hold is released (swap_put). Freeing the last hold frees
 * the zram object.
 *
 * Slots are taken next-fit from a cursor, which keeps a full scan rare:
 * the count of free slots says at once whether one exists.
 *
 * LZ4 uses FP/SIMD registers: every call into zram is inside a
 * kernel_neon section (include/arch/fpsimd.h), so an app's vector
 * registers survive a swap-in or swap-out in its fault path.
 *
 * Locking: swap_lock (IRQs masked) protects swap_map, cache_pfn and the
 * counters; zram is called with it dropped (zram has its own lock), and a
 * slot being filled is already marked SWAP_HAS_CACHE, so no one else can
 * take it meanwhile. Pages' PG_swapcache and private change only under it.
 */
#include <arch/fpsimd.h>
#include <errno.h>
#include <lib/panic.h>
#include <lib/spinlock.h>
#include <mm/highmem.h>
#include <mm/memalloc.h>
#include <mm/memory.h>
#include <mm/memstall.h>
#include <mm/page_alloc.h>
#include <mm/shrinker.h>
#include <mm/swap.h>
#include <mm/vmstat.h>
#include <mm/zram.h>

#define SWAP_HAS_CACHE 0x80000000u
#define SWAP_TYPE_ZRAM 0u

static spinlock_t swap_lock = SPINLOCK_INIT;
static struct zram *zram0;
static u32 *swap_map;   /* per slot: swap PTEs | SWAP_HAS_CACHE */
static u32 *cache_pfn;  /* per slot: pfn - mem_map_base_pfn + 1 of the cached page, 0 if none */
static unsigned map_order;
static u64 nr_slots, nr_free_slots, cursor;

static u64 cache_pages(void) { return vm_stat[NR_SWAPCACHE] > 0 ? (u64)vm_stat[NR_SWAPCACHE] : 0; }

/* ---- device ---------------------------------------------------------------- */

static void swap_teardown(void)
{
	if (zram0)
		zram_destroy(zram0);
	if (swap_map)
		put_free_pages(swap_map, map_order);
	zram0 = NULL;
	swap_map = NULL;
	cache_pfn = NULL;
	nr_slots = nr_free_slots = cursor = 0;
}

static int swap_setup(u64 size_bytes, u64 limit_bytes)
{
	u64 n = size_bytes / PAGE_SIZE;
	int rc;

	if (!n)
		return 0; /* no swap */
	/* a slot number lives in page->private (32 bits on ARMv7-A) and the
	 * swap map's counts and cache index are u32 */
	if (n > UINT32_MAX) {
		printf("swap: %llu slots: at most %u fit\n", (unsigned long long)n, (unsigned)UINT32_MAX);
		return -EINVAL;
	}
	rc = zram_create(&zram0, size_bytes, limit_bytes, GFP_KERNEL);
	if (rc)
		return rc;
	map_order = get_order(n * 2 * sizeof(u32));
	swap_map = get_free_pages(GFP_KERNEL | __GFP_ZERO, map_order);
	if (!swap_map) {
		zram_destroy(zram0);
		zram0 = NULL;
		return -ENOMEM;
	}
	cache_pfn = swap_map + n;
	nr_slots = nr_free_slots = n;
	return 0;
}

/* zram's object store as a shrinker: compaction gives whole pages back
 * (zram_compact never reclaims for its own pages). It moves objects and
 * walks the handle table, so it runs only when it would free at least
 * ZRAM_COMPACT_MIN pages or an eighth of the store, not on every pass of a
 * store whose classes always have a partly used zspage or two. */
#define ZRAM_COMPACT_MIN 64
static u64 zram_shrink(gfp_t gfp, unsigned order)
{
	u64 can;

	(void)gfp;
	(void)order;
	if (!zram0)
		return 0;
	can = zram_compactable(zram0);
	if (can < ZRAM_COMPACT_MIN && can * 8 < zram_pages_used(zram0))
		return 0;
	return zram_compact(zram0);
}

static int backend_swap_in(unsigned type, u64 offset, struct page *page, bool write);
static void backend_swap_free(unsigned type, u64 offset);
static const struct swap_ops zram_swap_ops = {
	.swap_in = backend_swap_in,
	.swap_free = backend_swap_free,
	.cache_drop = delete_from_swap_cache,
};

int swap_init(void)
{
	static struct shrinker shrinker = { .name = "zram", .scan = zram_shrink };
	static bool registered; /* host tests set swap up again for every case */
	int rc = swap_setup((u64)CONFIG_ZRAM_SIZE_MB << 20, (u64)CONFIG_ZRAM_MEM_LIMIT_MB << 20);

	if (rc)
		return rc;
	swap_ops_register(&zram_swap_ops);
	if (!registered) {
		registered = true;
		register_shrinker(&shrinker);
	}
	return 0;
}

int swap_reinit(u64 size_bytes, u64 limit_bytes)
{
	if (nr_free_slots != nr_slots)
		return -EBUSY;
	if (size_bytes > (1ULL << 30))
		return -EINVAL;
	swap_teardown();
	return swap_setup(size_bytes, limit_bytes);
}

void swap_get_info(struct swap_info *si)
{
	unsigned long f = spin_lock_irqsave(&swap_lock);

	si->name = "/dev/zram0";
	si->nr_slots = nr_slots;
	si->inuse_slots = nr_slots - nr_free_slots;
	si->cached = cache_pages();
	si->prio = 100;
	spin_unlock_irqrestore(&swap_lock, f);
}

struct zram *swap_zram(void) { return zram0; }

unsigned swap_pte_count(u64 offset)
{
	return offset < nr_slots ? swap_map[offset] & ~SWAP_HAS_CACHE : 0;
}

bool swap_mostly_full(void) { return nr_free_slots * 8 < nr_slots || (zram0 && zram_nearly_full(zram0)); }

/* ---- slots ----------------------------------------------------------------- */

/* A free slot marked SWAP_HAS_CACHE, or -ENOSPC. swap_lock held. */
static s64 slot_alloc_locked(void)
{
	if (!nr_free_slots)
		return -ENOSPC;
	for (u64 i = 0; i < nr_slots; i++) {
		u64 s = cursor + i < nr_slots ? cursor + i : cursor + i - nr_slots;

		if (!swap_map[s]) {
			swap_map[s] = SWAP_HAS_CACHE;
			nr_free_slots--;
			cursor = s + 1 < nr_slots ? s + 1 : 0;
			return (s64)s;
		}
	}
	panic("swap: %llu free slots counted, none found", (unsigned long long)nr_free_slots);
}

/* Drop one hold (a PTE's, or the cache's with SWAP_HAS_CACHE) of slot s;
 * returns true if the slot is now free (its zram object is the caller's to
 * free, with the lock dropped). swap_lock held. */
static bool slot_put_locked(u64 s, u32 hold)
{
	BUG_ON(s >= nr_slots);
	if (hold == SWAP_HAS_CACHE)
		BUG_ON(!(swap_map[s] & SWAP_HAS_CACHE));
	else
		BUG_ON(!(swap_map[s] & ~SWAP_HAS_CACHE));
	swap_map[s] -= hold;
	if (swap_map[s])
		return false;
	nr_free_slots++;
	return true;
}

static void slot_put(u64 s, u32 hold)
{
	unsigned long f = spin_lock_irqsave(&swap_lock);
	bool freed = slot_put_locked(s, hold);

	spin_unlock_irqrestore(&swap_lock, f);
	if (freed)
		zram_free(zram0, s);
}

void swap_dup(u64 offset)
{
	unsigned long f = spin_lock_irqsave(&swap_lock);

	BUG_ON(offset >= nr_slots || !swap_map[offset]);
	swap_map[offset]++;
	spin_unlock_irqrestore(&swap_lock, f);
}

void swap_put(u64 offset) { slot_put(offset, 1); }

/* ---- the swap cache --------------------------------------------------------- */

/* page joins the cache as the holder of slot s (SWAP_HAS_CACHE already set). */
static void cache_insert_locked(struct page *page, u64 s)
{
	page_set_flag(page, PG_swapcache);
	page->private = s;
	cache_pfn[s] = (u32)(page - mem_map) + 1;
	mod_vm_stat(NR_SWAPCACHE, 1);
	mod_vm_stat(NR_FILE_PAGES, 1); /* Linux counts the swap cache in file pages */
}

struct page *swap_cache_lookup(u64 offset)
{
	unsigned long f = spin_lock_irqsave(&swap_lock);
	struct page *p = offset < nr_slots && cache_pfn[offset] ? mem_map + cache_pfn[offset] - 1 : NULL;

	spin_unlock_irqrestore(&swap_lock, f);
	return p;
}

int add_to_swap(struct page *page)
{
	unsigned long f;
	void *va;
	s64 s;
	int rc;

	if (PAGE_FLAG(page, PG_swapcache))
		return 0;
	if (!zram0)
		return -ENOSPC;
	f = spin_lock_irqsave(&swap_lock);
	s = slot_alloc_locked();
	spin_unlock_irqrestore(&swap_lock, f);
	if (s < 0)
		return (int)s;
	kernel_neon_begin();
	/* zram's own pages: no reclaim from inside reclaim, reserves allowed
	 * (GFP_NOWAIT: zram_store never sleeps, so kmap_local is enough) */
	va = kmap_local_page(page);
	rc = zram_store(zram0, (u64)s, va, GFP_NOWAIT | __GFP_HIGH | __GFP_NOWARN);
	kunmap_local(va);
	kernel_neon_end();
	f = spin_lock_irqsave(&swap_lock);
	if (rc) {
		BUG_ON(!slot_put_locked((u64)s, SWAP_HAS_CACHE));
		spin_unlock_irqrestore(&swap_lock, f);
		return rc == -ENOSPC ? -ENOSPC : -ENOMEM;
	}
	cache_insert_locked(page, (u64)s);
	spin_unlock_irqrestore(&swap_lock, f);
	count_vm_event(PSWPOUT);
	count_vm_events(PGPGOUT, PAGE_SIZE / 1024);
	return 0;
}

void delete_from_swap_cache(struct page *page)
{
	unsigned long f = spin_lock_irqsave(&swap_lock);
	u64 s = page->private;
	bool freed;

	BUG_ON(!PAGE_FLAG(page, PG_swapcache) || s >= nr_slots || cache_pfn[s] != (u32)(page - mem_map) + 1);
	cache_pfn[s] = 0;
	page_clear_flag(page, PG_swapcache);
	page->private = 0;
	mod_vm_stat(NR_SWAPCACHE, -1);
	mod_vm_stat(NR_FILE_PAGES, -1);
	freed = slot_put_locked(s, SWAP_HAS_CACHE);
	spin_unlock_irqrestore(&swap_lock, f);
	if (freed)
		zram_free(zram0, s);
}

void swap_cache_move(struct page *old, struct page *new)
{
	unsigned long f = spin_lock_irqsave(&swap_lock);
	u64 s = old->private;

	BUG_ON(!PAGE_FLAG(old, PG_swapcache) || PAGE_FLAG(new, PG_swapcache) || s >= nr_slots ||
	       cache_pfn[s] != (u32)(old - mem_map) + 1);
	cache_pfn[s] = (u32)(new - mem_map) + 1;
	page_set_flag(new, PG_swapcache);
	new->private = s;
	page_clear_flag(old, PG_swapcache);
	old->private = 0;
	spin_unlock_irqrestore(&swap_lock, f); /* the slot's holds and the counters are unchanged */
}

int swap_read_page(u64 offset, struct page *page)
{
	unsigned long f;
	void *va;
	int rc;

	if (!zram0 || offset >= nr_slots)
		return -ENOENT;
	kernel_neon_begin();
	va = kmap_local_page(page);
	rc = zram_load(zram0, offset, va);
	kunmap_local(va);
	kernel_neon_end();
	if (rc)
		return rc == -EIO ? -EIO : -ENOENT;
	f = spin_lock_irqsave(&swap_lock);
	BUG_ON(!(swap_map[offset] & ~SWAP_HAS_CACHE) || (swap_map[offset] & SWAP_HAS_CACHE));
	swap_map[offset] |= SWAP_HAS_CACHE;
	cache_insert_locked(page, offset);
	spin_unlock_irqrestore(&swap_lock, f);
	count_vm_event(PSWPIN);
	count_vm_events(PGPGIN, PAGE_SIZE / 1024);
	return 0;
}

/* ---- the fault path's backend (struct swap_ops) ------------------------------ */

static int backend_swap_in(unsigned type, u64 offset, struct page *page, bool write)
{
	int rc;

	if (type != SWAP_TYPE_ZRAM)
		return -EIO;
	psi_memstall_enter(); /* a major fault that decompresses */
	rc = swap_read_page(offset, page);
	psi_memstall_leave();
	if (rc == -EIO)
		count_vm_event(ZRAM_CHECKSUM_KILL); /* the fault fails: SIGBUS for the owner */
	if (rc)
		return rc == -ENOENT ? -EIO : rc;
	count_vm_event(WORKINGSET_REFAULT_ANON);
	/* a write dirties it at once; a nearly full device wants its slots back */
	if (write || swap_mostly_full())
		delete_from_swap_cache(page); /* the PTE still holds the slot */
	return 0;
}

static void backend_swap_free(unsigned type, u64 offset)
{
	if (type == SWAP_TYPE_ZRAM)
		swap_put(offset);
}
