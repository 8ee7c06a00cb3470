/*
 * The page cache: one address_space per file of the app image, plus shmem
 * objects (MAP_SHARED | MAP_ANONYMOUS). Contracts in include/mm/filemap.h.
 *
 *   address_space
 *     pages[nr_slots]  index -> cached struct page, or NULL; for shmem also a
 *                      swap entry (offset << 1 | 1) while the page is in swap
 *       page->mapping = the address_space, page->index = slot,
 *       refcount = 1 (the cache) + 1 per PTE + temporary gets,
 *       on an LRU list (lru_add(page, false)) while cached
 *     i_mmap           the VMAs mapping it (linked by mm/vma.c)
 *     refs             the owner + one per VMA (vma_alloc takes one)
 *
 * A file page is read once, by its first fault (major), through
 * ops->readpage into a fresh page, and stays cached while the file
 * exists: later faults from any mm are minor and share it. A shmem page
 * starts zeroed and is the only copy of its data: reclaim swaps it out
 * like an anon page (shmem_swapout: its slot in pages[] then holds the
 * swap entry, which holds the swap slot), and the next fault on it reads
 * it back (a major fault) and frees the slot.
 *
 * Reclaim (mm/vmscan.c) drops clean, unmapped file pages with
 * filemap_evict_page(); the slot's bit in as->evicted remembers it until
 * the page is read again, which then counts as a workingset refault.
 *
 * Counters: NR_FILE_PAGES for every cached page, NR_SHMEM for shmem ones.
 *
 * Locking: none (see mm_types.h: one CPU, no kernel preemption).
 */
#include <arch/mmu.h>
#include <errno.h>
#include <lib/panic.h>
#include <mm/filemap.h>
#include <mm/highmem.h>
#include <mm/memory.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <mm/slab.h>
#include <mm/vmstat.h>
#include <string.h>

/* A shmem slot of pages[] whose page is in swap holds its swap offset
 * (swap type 0, the only device); the swap backend (struct swap_ops)
 * reads and frees it, as for swap PTEs. */
static bool entry_is_swap(const struct page *e) { return (uintptr_t)e & 1; }
static u64 entry_offset(const struct page *e) { return (uintptr_t)e >> 1; }
static struct page *swap_entry(u64 offset) { return (struct page *)(uintptr_t)(offset << 1 | 1); }

/* Free the swap entry at index (its slot and zram object go with it). */
static void drop_swap_entry(struct address_space *as, u64 index)
{
	const struct swap_ops *ops = swap_ops_current();

	BUG_ON(!ops);
	ops->swap_free(0, entry_offset(as->pages[index]));
	as->pages[index] = NULL;
	as->swapped--;
}

int address_space_init(struct address_space *as, const char *name, u64 size,
		       const struct address_space_ops *ops, void *host, u32 ino)
{
	memset(as, 0, sizeof(*as));
	as->name = name;
	as->size = size;
	as->nr_slots = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	if (size > UINT64_MAX - PAGE_SIZE || as->nr_slots > SIZE_MAX / sizeof(*as->pages))
		return -ENOMEM; /* more slots than a size_t counts (32-bit): never truncate the array */
	if (as->nr_slots) {
		as->pages = kcalloc(as->nr_slots, sizeof(*as->pages), GFP_KERNEL);
		as->evicted = kcalloc((as->nr_slots + 63) / 64, sizeof(u64), GFP_KERNEL);
		if (!as->pages || !as->evicted) {
			kfree(as->pages);
			kfree(as->evicted);
			return -ENOMEM;
		}
	}
	as->ops = ops;
	as->host = host;
	as->ino = ino;
	as->refs = 1;
	INIT_LIST_HEAD(&as->i_mmap);
	return 0;
}

struct address_space *shmem_create(u64 size)
{
	static u32 next_ino = 1;
	struct address_space *as = kmalloc(sizeof(*as), GFP_KERNEL);

	if (!as)
		return NULL;
	if (address_space_init(as, "/dev/zero (deleted)", size, NULL, NULL, next_ino)) {
		kfree(as);
		return NULL;
	}
	next_ino++;
	as->shmem = true;
	return as;
}

/* Take the page at index out of the cache; the cache's reference is now the caller's. */
static struct page *cache_remove(struct address_space *as, u64 index)
{
	struct page *p = as->pages[index];

	as->pages[index] = NULL;
	as->nrpages--;
	mod_vm_stat(NR_FILE_PAGES, -1);
	if (as->shmem)
		mod_vm_stat(NR_SHMEM, -1);
	return p;
}

/* Take the page at index out of the cache and free it (nobody maps it). */
static void evict(struct address_space *as, u64 index)
{
	struct page *p = as->pages[index];

	BUG_ON(p->mapcount || p->refcount != 1);
	put_user_page(cache_remove(as, index)); /* the cache's reference, the last one */
}

void address_space_put(struct address_space *as)
{
	BUG_ON(!as->refs);
	if (--as->refs)
		return;
	BUG_ON(!list_empty(&as->i_mmap));
	for (u64 i = 0; i < as->nr_slots && (as->nrpages || as->swapped); i++)
		if (as->pages[i] && entry_is_swap(as->pages[i]))
			drop_swap_entry(as, i);
		else if (as->pages[i])
			evict(as, i);
	kfree(as->pages);
	kfree(as->evicted);
	as->pages = NULL;
	as->evicted = NULL;
	if (as->shmem)
		kfree(as);
}

u64 address_space_drop_clean(struct address_space *as)
{
	u64 freed = 0;

	if (as->shmem)
		return 0; /* the only copy of the data */
	for (u64 i = 0; i < as->nr_slots && as->nrpages; i++) {
		struct page *p = as->pages[i];

		if (p && !p->mapcount && p->refcount == 1) {
			evict(as, i);
			freed++;
		}
	}
	return freed;
}

bool shmem_private_to(const struct address_space *as, const struct mm_struct *mm)
{
	const struct vm_area_struct *v;
	u32 vmas = 0;

	if (!as || !as->shmem)
		return false;
	list_for_each_entry(v, &as->i_mmap, shared_link) {
		if (v->mm != mm)
			return false; /* another mm maps it: its data lives on */
		vmas++;
	}
	return vmas == as->refs; /* no owner reference besides the VMAs */
}

u64 shmem_reap(struct address_space *as, const struct mm_struct *mm)
{
	u64 freed = 0;

	if (!shmem_private_to(as, mm))
		return 0;
	for (u64 i = 0; i < as->nr_slots && (as->nrpages || as->swapped); i++) {
		struct page *p = as->pages[i];

		if (p && entry_is_swap(p)) {
			drop_swap_entry(as, i);
		} else if (p && !p->mapcount && p->refcount == 1) {
			evict(as, i);
			freed++;
		}
	}
	return freed;
}

bool filemap_evict_page(struct page *p)
{
	struct address_space *as = p->mapping;
	u64 index = p->index;

	if (as->shmem || p->mapcount || p->refcount != 2 || as->pages[index] != p)
		return false;
	cache_remove(as, index);
	p->refcount--; /* the cache's; the caller's is the last */
	as->evicted[index / 64] |= 1ull << (index % 64);
	return true;
}

bool shmem_swapout(struct page *p)
{
	struct address_space *as = page_file_mapping(p);
	u64 index = p->index;

	if (!as || !as->shmem || !PAGE_FLAG(p, PG_swapcache) || p->mapcount || p->refcount != 2 ||
	    as->pages[index] != p)
		return false;
	cache_remove(as, index);
	as->pages[index] = swap_entry(p->private);
	as->swapped++;
	p->refcount--; /* the cache's; the caller's is the last */
	return true;
}

/* Read the swapped shmem page at index back into a new page, which then
 * replaces the entry; the slot is freed. NULL with *err set. */
static struct page *shmem_swapin(struct address_space *as, u64 index, int *err)
{
	const struct swap_ops *ops = swap_ops_current();
	struct page *p = alloc_page(GFP_HIGHUSER_MOVABLE);

	BUG_ON(!ops);
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	/* as a write fault's swap-in: no copy is kept in the swap cache */
	if (ops->swap_in(0, entry_offset(as->pages[index]), p, true)) {
		free_page(p); /* a checksum mismatch (reported): the entry stays, the fault fails */
		*err = -EIO;
		return NULL;
	}
	drop_swap_entry(as, index);
	return p;
}

void filemap_replace_page(struct page *old, struct page *new)
{
	struct address_space *as = page_file_mapping(old);

	BUG_ON(!as || old->index >= as->nr_slots || as->pages[old->index] != old);
	as->pages[old->index] = new; /* NR_FILE_PAGES, NR_SHMEM and nrpages unchanged */
}

struct page *filemap_find_page(struct address_space *as, u64 index)
{
	struct page *p = index < as->nr_slots ? as->pages[index] : NULL;

	return p && !entry_is_swap(p) ? p : NULL;
}

struct page *filemap_get_page(struct address_space *as, u64 index, bool *major, int *err)
{
	struct page *p;

	*major = false;
	if (unlikely(index >= as->nr_slots)) {
		*err = -EIO; /* past the end of the file: SIGBUS */
		return NULL;
	}
	p = as->pages[index];
	if (likely(p) && !entry_is_swap(p)) {
		p->refcount++;
		return p;
	}
	if (p) {
		p = shmem_swapin(as, index, err);
		if (!p)
			return NULL;
		*major = true;
	} else if (!(p = alloc_page(GFP_HIGHUSER_MOVABLE | (as->ops ? 0 : __GFP_ZERO)))) {
		*err = -ENOMEM;
		return NULL;
	}
	if (as->ops) {
		void *dst = kmap(p); /* readpage may sleep: a persistent mapping */
		int rc = as->ops->readpage(as, index, dst);

		/* it may be mapped executable: make the new bytes fetchable */
		if (!rc)
			arch_icache_sync_range((vaddr_t)dst, PAGE_SIZE);
		kunmap(p);
		if (rc) {
			free_page(p);
			*err = -EIO;
			return NULL;
		}
		*major = true;
		count_vm_events(PGPGIN, PAGE_SIZE / 1024);
		if (as->evicted[index / 64] & (1ull << (index % 64))) {
			as->evicted[index / 64] &= ~(1ull << (index % 64));
			count_vm_event(WORKINGSET_REFAULT_FILE);
		}
	}
	p->mapping = as;
	p->index = index;
	p->mapcount = 0;
	p->refcount = 2; /* the cache's and the caller's */
	if (as->shmem)
		page_set_flag(p, PG_swapbacked);
	as->pages[index] = p;
	as->nrpages++;
	mod_vm_stat(NR_FILE_PAGES, 1);
	if (as->shmem)
		mod_vm_stat(NR_SHMEM, 1);
	lru_add(p, false);
	return p;
}
