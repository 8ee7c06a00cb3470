/*
 * Page migration on the host, with the real sources: mm/migrate.c under
 * the fault path (mm/memory.c, rmap, lru, filemap, swap, zram) on live
 * user page tables (platform/host/mmu.c checks break-before-make on
 * every PTE write). Each kind of page moves to a new frame and is checked
 * before and after:
 *
 *  - anon mapped once; anon shared read-only by two mms (as a fork's COW
 *    setup leaves it); a file page mapped by two mms; an unmapped
 *    page-cache page; a shmem page; a swap-cache page (read-only mapped);
 *    an mlocked page;
 *  - data, the PTE in every mm (new frame, same permissions), the rmap
 *    (rmap_walk and page_referenced find the new page), refcount and
 *    mapcount, the LRU list and counts, vm_stat and per-mm rss unchanged,
 *    the old frame free, pgmigrate_success;
 *  - refused with nothing changed: a pinned page (extra reference), a page
 *    not on an LRU list (zero page, kernel page, slab page), no memory for
 *    the new frame; the list form moves the rest and puts a pinned page back.
 */
#include <arch/phys.h>
#include <errno.h>
#include <host.h>
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/migrate.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/vma.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "user_fixture.h"
#include "page_pattern.h"

#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define RX (VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYEXEC)
#define BASE 0x400000ULL
#define FBASE 0x800000ULL
#define FILE_PAGES 16

static struct mm_struct *mm, *mm2;
static struct address_space file;
static unsigned allocs;       /* frames the test's new_page_t handed out */
static struct page *last_new; /* the last of them */

static int file_readpage(struct address_space *as, u64 index, void *dst)
{
	(void)as;
	memset(dst, 0x40 + (int)index, PAGE_SIZE);
	return 0;
}
static const struct address_space_ops file_ops = { .readpage = file_readpage };

static int setup(void **state)
{
	(void)state;
	fix_user_setup();
	assert_int_equal(swap_init(), 0);
	assert_int_equal(swap_reinit(8ull << 20, 0), 0);
	assert_int_equal(address_space_init(&file, "/apps/text", FILE_PAGES * PAGE_SIZE, &file_ops, NULL, 9), 0);
	mm = mm_create();
	mm2 = mm_create();
	assert_non_null(mm);
	assert_non_null(mm2);
	mm->pgt.asid = 1;
	mm2->pgt.asid = 2;
	allocs = 0;
	return 0;
}

static int teardown(void **state)
{
	struct swap_info si;

	(void)state;
	mm_destroy(mm);
	mm_destroy(mm2);
	address_space_put(&file);
	swap_get_info(&si);
	assert_int_equal(si.inuse_slots, 0);
	assert_int_equal(si.cached, 0);
	assert_int_equal(swap_reinit(0, 0), 0);
	for (int i = 0; i < NR_VM_STAT_ITEMS; i++)
		if (vm_stat[i])
			fail_msg("vm_stat[%d] = %lld after teardown", i, (long long)vm_stat[i]);
	for (int i = 0; i < NR_LRU_LISTS; i++)
		assert_int_equal(lru_count[i], 0);
	assert_int_equal(host_mmu.bbm_violations, 0);
	fix_mm_teardown();
	return 0;
}

static struct vm_area_struct *map_in(struct mm_struct *m, u64 start, u64 pages, u64 flags, struct address_space *as)
{
	struct vm_area_struct *v = vma_alloc(m, start, start + pages * PAGE_SIZE, flags, as, 0, NULL);

	assert_non_null(v);
	assert_int_equal(vma_link(m, v), 0);
	return v;
}

static void fault_in(struct mm_struct *m, u64 addr, unsigned access, enum fault_kind want)
{
	struct fault_info fi;
	int rc = handle_mm_fault(m, addr, access | FAULT_USER, &fi);

	if (rc || fi.kind != want)
		fail_msg("fault at %#llx: %d %s, expected %s", (unsigned long long)addr, rc, fault_kind_name(fi.kind),
			 fault_kind_name(want));
}

static struct page *page_in(struct mm_struct *m, u64 va)
{
	phys_addr_t pa;

	return pgt_query(&m->pgt, va, &pa, NULL, NULL) ? NULL : pfn_to_page(phys_to_pfn(pa));
}

static pte_t raw_in(struct mm_struct *m, u64 va)
{
	pte_t e = 0;

	pgt_query_entry(&m->pgt, va, &e, NULL);
	return e;
}

static bool pattern_at(struct mm_struct *m, u64 va, u64 i)
{
	u64 want[PAGE_SIZE / 8];

	semi_page(want, i);
	return memcmp(page_address(page_in(m, va)), want, PAGE_SIZE) == 0;
}

static struct vm_area_struct *fill_anon(u64 n)
{
	struct vm_area_struct *v = map_in(mm, BASE, n, RW, NULL);

	for (u64 i = 0; i < n; i++) {
		fault_in(mm, BASE + i * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_ANON);
		semi_page(page_address(page_in(mm, BASE + i * PAGE_SIZE)), i);
	}
	return v;
}

static struct page *new_frame(struct page *old, unsigned long gfp)
{
	allocs++;
	last_new = migrate_alloc_gfp(old, gfp);
	return last_new;
}

static struct page *no_frame(struct page *old, unsigned long priv)
{
	(void)old, (void)priv;
	return NULL;
}

/* Everything migration must leave as it was, taken before and after. */
struct snap {
	s64 stat[NR_VM_STAT_ITEMS];
	u64 lru[NR_LRU_LISTS];
	u64 rss[2][NR_MM_COUNTERS];
	u64 swap_used;
};

static void snap(struct snap *s)
{
	struct swap_info si;

	memcpy(s->stat, vm_stat, sizeof(vm_stat));
	memcpy(s->lru, lru_count, sizeof(lru_count));
	memcpy(s->rss[0], mm->rss, sizeof(mm->rss));
	memcpy(s->rss[1], mm2->rss, sizeof(mm2->rss));
	swap_get_info(&si);
	s->swap_used = si.inuse_slots;
}

static void assert_same(const struct snap *a)
{
	struct snap b;

	snap(&b);
	assert_memory_equal(a->stat, b.stat, sizeof(b.stat));
	assert_memory_equal(a->lru, b.lru, sizeof(b.lru));
	assert_memory_equal(a->rss, b.rss, sizeof(b.rss));
	assert_int_equal(a->swap_used, b.swap_used);
}

/* What a page looked like before it moved. */
struct before {
	s32 refcount, mapcount;
	u32 flags;
	void *mapping;
	u64 index;
};

static struct before look(const struct page *p)
{
	return (struct before){ p->refcount, p->mapcount, p->flags, p->mapping, p->index };
}

static bool frame_free(const struct page *p)
{
	return p->refcount == 0 && !p->mapping && !p->mapcount && !PAGE_FLAG(p, PG_lru);
}

/* Move old (MR_SYSCALL) and check the common part: a new frame with the
 * same owner, flags, counts and list; the old frame free; every counter
 * as it was. Returns the new page. */
static struct page *migrate_ok(struct page *old)
{
	const u32 kept = (1u << PG_lru) | (1u << PG_active) | (1u << PG_referenced) | (1u << PG_dirty) |
			 (1u << PG_swapbacked) | (1u << PG_mlocked) | (1u << PG_swapcache);
	struct before b = look(old);
	u64 private = old->private, moved = vm_events[PGMIGRATE_SUCCESS];
	u8 data[PAGE_SIZE];
	const char *why = "unset";
	struct snap s;
	struct page *new;

	memcpy(data, page_address(old), PAGE_SIZE);
	snap(&s);
	assert_true(PAGE_FLAG(old, PG_lru));
	assert_int_equal(migrate_page(old, new_frame, GFP_HIGHUSER_MOVABLE, MR_SYSCALL, &why), 0);
	assert_null(why);
	new = last_new;
	assert_non_null(new);
	assert_ptr_not_equal(new, old);
	assert_int_equal(vm_events[PGMIGRATE_SUCCESS], moved + 1);
	assert_int_equal(vm_events[PGMIGRATE_FAIL], 0);
	assert_memory_equal(page_address(new), data, PAGE_SIZE);
	assert_int_equal(new->refcount, b.refcount);
	assert_int_equal(new->mapcount, b.mapcount);
	assert_int_equal(new->flags & kept, b.flags & kept);
	assert_false(PAGE_FLAG(new, PG_isolated));
	assert_ptr_equal(new->mapping, b.mapping);
	assert_int_equal(new->index, b.index);
	if (PAGE_FLAG(new, PG_swapcache))
		assert_int_equal(new->private, private);
	assert_int_equal(rmap_walk(new, NULL, NULL), b.mapcount); /* the rmap finds every PTE */
	assert_int_equal(rmap_walk(old, NULL, NULL), 0);
	assert_true(frame_free(old));
	assert_false(old->flags & kept);
	assert_same(&s);
	return new;
}

/* The PTE at va of m maps new with the permissions it had (attrs). */
static void assert_maps(struct mm_struct *m, u64 va, struct page *new, unsigned attrs)
{
	unsigned a = 0;
	phys_addr_t pa = 0;

	assert_int_equal(pgt_query(&m->pgt, va, &pa, &a, NULL), 0);
	assert_int_equal(pa, page_to_phys(new));
	assert_int_equal(a, attrs);
}

static unsigned attrs_at(struct mm_struct *m, u64 va)
{
	unsigned a = 0;

	assert_int_equal(pgt_query(&m->pgt, va, NULL, &a, NULL), 0);
	return a;
}

/* ---- cases ------------------------------------------------------------------ */

static void anon_mapped_once(void **state)
{
	struct page *old, *new;
	unsigned a;
	u64 flushes;

	(void)state;
	fill_anon(4);
	old = page_in(mm, BASE + PAGE_SIZE);
	a = attrs_at(mm, BASE + PAGE_SIZE);
	assert_true(a & MMU_WRITE);
	flushes = host_mmu.tlb_flushes;
	new = migrate_ok(old);
	assert_maps(mm, BASE + PAGE_SIZE, new, a); /* still writable: it was */
	assert_true(host_mmu.tlb_flushes > flushes); /* the old translation was invalidated */
	assert_true(arch_pte_is_young(raw_in(mm, BASE + PAGE_SIZE)));
	for (u64 i = 0; i < 4; i++)
		assert_true(pattern_at(mm, BASE + i * PAGE_SIZE, i));
	assert_int_equal(page_referenced(new, NULL, NULL), 1); /* found through the rmap, young */
	/* old PTE state survives a move: now old, it stays old */
	new = migrate_ok(new);
	assert_false(arch_pte_is_young(raw_in(mm, BASE + PAGE_SIZE)));
	/* the app keeps using it: a write is no fault at all, a new page's data is its own */
	((u64 *)page_address(new))[3] = 77;
	assert_int_equal(mm->rss[MM_ANONPAGES], 4);
	assert_int_equal(allocs, 2);
}

/* What a fork does to a private anon page, by hand (no fork yet): mm2
 * gets a VMA on the same anon_vma and a read-only PTE to the page, and
 * mm's PTE turns read-only (copy on write for both). */
static void cow_share(struct vm_area_struct *v, u64 va)
{
	struct vm_area_struct *v2 = vma_alloc(mm2, v->start, v->end, v->flags, NULL, 0, NULL);
	struct page *p = page_in(mm, va);
	unsigned ro = attrs_at(mm, va) & ~MMU_WRITE;
	pte_t *ptep;

	assert_non_null(v2);
	v2->anon_vma = v->anon_vma;
	v->anon_vma->refs++;
	assert_int_equal(vma_link(mm2, v2), 0);
	assert_int_equal(pgt_protect(&mm->pgt, va, PAGE_SIZE, ro), 0);
	ptep = pgt_walk_pte(&mm2->pgt, va, true);
	assert_non_null(ptep);
	pgt_set_pte(&mm2->pgt, ptep, va, arch_pte_mk_leaf(page_to_phys(p), PT_LEAF_LEVEL, ro));
	p->mapcount++;
	p->refcount++;
	mm2->rss[MM_ANONPAGES]++;
}

static void anon_cow_shared_by_two_mms(void **state)
{
	struct vm_area_struct *v;
	struct page *old, *new, *copy;
	unsigned ro;

	(void)state;
	v = fill_anon(2);
	cow_share(v, BASE);
	old = page_in(mm, BASE);
	ro = attrs_at(mm, BASE);
	assert_int_equal(old->mapcount, 2);
	new = migrate_ok(old);
	assert_maps(mm, BASE, new, ro);
	assert_maps(mm2, BASE, new, ro);
	assert_int_equal(new->refcount, 2);
	assert_true(pattern_at(mm2, BASE, 0));
	/* COW still works on the moved page: mm2 writes and gets its own copy,
	 * then mm is the only mapper and reuses it in place */
	fault_in(mm2, BASE, FAULT_WRITE, FAULT_KIND_COW);
	copy = page_in(mm2, BASE);
	assert_ptr_not_equal(copy, new);
	assert_true(pattern_at(mm2, BASE, 0));
	assert_int_equal(new->mapcount, 1);
	fault_in(mm, BASE, FAULT_WRITE, FAULT_KIND_REUSE);
	assert_ptr_equal(page_in(mm, BASE), new);
}

static void file_page_mapped_by_two_mms(void **state)
{
	struct page *old, *new;
	unsigned a;

	(void)state;
	map_in(mm, FBASE, 4, RX, &file);
	map_in(mm2, FBASE, 4, RX, &file);
	fault_in(mm, FBASE + 2 * PAGE_SIZE, FAULT_READ, FAULT_KIND_FILE_READ);
	fault_in(mm2, FBASE + 2 * PAGE_SIZE, FAULT_READ, FAULT_KIND_FILE_CACHED);
	old = page_in(mm, FBASE + 2 * PAGE_SIZE);
	a = attrs_at(mm, FBASE + 2 * PAGE_SIZE);
	assert_int_equal(old->refcount, 3); /* two PTEs and the cache */
	host_mmu.ic_sync = 0;
	new = migrate_ok(old);
	assert_maps(mm, FBASE + 2 * PAGE_SIZE, new, a);
	assert_maps(mm2, FBASE + 2 * PAGE_SIZE, new, a);
	assert_ptr_equal(filemap_find_page(&file, 2), new);
	assert_true(host_mmu.ic_sync >= 1); /* executable: made fetchable before mapping */
	assert_int_equal(((u8 *)page_address(new))[PAGE_SIZE - 1], 0x42);
	assert_int_equal(page_referenced(new, NULL, NULL), 2);
	/* a third mapper finds the new page in the cache (a minor fault) */
	map_in(mm2, FBASE + 8 * PAGE_SIZE, 4, RX, &file);
	fault_in(mm2, FBASE + 10 * PAGE_SIZE, FAULT_READ, FAULT_KIND_FILE_CACHED);
	assert_ptr_equal(page_in(mm2, FBASE + 10 * PAGE_SIZE), new);
}

static void unmapped_page_cache_page(void **state)
{
	struct vm_area_struct *v;
	struct page *old, *new;

	(void)state;
	v = map_in(mm, FBASE, 4, RX, &file);
	assert_int_equal(readahead_range(v, FBASE, FBASE + PAGE_SIZE), 0);
	old = filemap_find_page(&file, 0);
	assert_non_null(old);
	assert_int_equal(old->refcount, 1);
	assert_int_equal(old->mapcount, 0);
	new = migrate_ok(old);
	assert_ptr_equal(filemap_find_page(&file, 0), new);
	fault_in(mm, FBASE, FAULT_READ, FAULT_KIND_FILE_CACHED);
	assert_ptr_equal(page_in(mm, FBASE), new);
	assert_int_equal(((u8 *)page_address(new))[0], 0x40);
}

static void shmem_page(void **state)
{
	struct address_space *shm = shmem_create(4 * PAGE_SIZE);
	struct page *old, *new;
	unsigned a;

	(void)state;
	assert_non_null(shm);
	map_in(mm, BASE, 4, RW | VM_SHARED, shm);
	map_in(mm2, BASE, 4, RW | VM_SHARED, shm);
	address_space_put(shm); /* the VMAs hold it */
	for (u64 i = 0; i < 4; i++) {
		fault_in(mm, BASE + i * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_SHMEM);
		semi_page(page_address(page_in(mm, BASE + i * PAGE_SIZE)), i);
	}
	fault_in(mm2, BASE + PAGE_SIZE, FAULT_WRITE, FAULT_KIND_SHMEM);
	old = page_in(mm, BASE + PAGE_SIZE);
	a = attrs_at(mm, BASE + PAGE_SIZE);
	assert_true(a & MMU_WRITE);
	new = migrate_ok(old);
	assert_maps(mm, BASE + PAGE_SIZE, new, a);
	assert_maps(mm2, BASE + PAGE_SIZE, new, a);
	assert_ptr_equal(filemap_find_page(shm, 1), new);
	assert_true(PAGE_FLAG(new, PG_swapbacked));
	/* a write through one mm is seen by the other: one shared page */
	((u64 *)page_address(page_in(mm2, BASE + PAGE_SIZE)))[0] = 0xfeed;
	assert_int_equal(((u64 *)page_address(page_in(mm, BASE + PAGE_SIZE)))[0], 0xfeed);
	/* reclaim still knows it: swapped out and back */
	assert_int_equal(madvise_pageout_range(vma_lookup(mm, BASE), BASE, BASE + 4 * PAGE_SIZE), 3);
	assert_int_equal(do_munmap(mm2, BASE, 4 * PAGE_SIZE), 0);
	assert_int_equal(madvise_pageout_range(vma_lookup(mm, BASE), BASE, BASE + 4 * PAGE_SIZE), 1);
	fault_in(mm, BASE + PAGE_SIZE, FAULT_READ, FAULT_KIND_SWAP);
	assert_int_equal(((u64 *)page_address(page_in(mm, BASE + PAGE_SIZE)))[0], 0xfeed);
	assert_int_equal(do_munmap(mm, BASE, 4 * PAGE_SIZE), 0);
}

static void swap_cache_page_read_only(void **state)
{
	struct vm_area_struct *v;
	struct page *old, *new;
	u64 slot, out;
	unsigned a;

	(void)state;
	v = fill_anon(2);
	assert_int_equal(madvise_pageout_range(v, BASE, BASE + 2 * PAGE_SIZE), 2);
	fault_in(mm, BASE, FAULT_READ, FAULT_KIND_SWAP); /* kept in the swap cache, read-only */
	old = page_in(mm, BASE);
	assert_true(PAGE_FLAG(old, PG_swapcache));
	slot = old->private;
	a = attrs_at(mm, BASE);
	assert_false(a & MMU_WRITE);
	new = migrate_ok(old);
	assert_maps(mm, BASE, new, a);
	assert_true(PAGE_FLAG(new, PG_swapcache));
	assert_false(PAGE_FLAG(old, PG_swapcache));
	assert_ptr_equal(swap_cache_lookup(slot), new);
	assert_true(pattern_at(mm, BASE, 0));
	/* the cache's copy is still valid: paging it out again compresses nothing */
	out = vm_events[PSWPOUT];
	assert_int_equal(madvise_pageout_range(v, BASE, BASE + PAGE_SIZE), 1);
	assert_int_equal(vm_events[PSWPOUT], out);
	fault_in(mm, BASE, FAULT_WRITE, FAULT_KIND_SWAP);
	assert_true(pattern_at(mm, BASE, 0));
	fault_in(mm, BASE + PAGE_SIZE, FAULT_READ, FAULT_KIND_SWAP);
	assert_true(pattern_at(mm, BASE + PAGE_SIZE, 1));
}

static void mlocked_page(void **state)
{
	struct page *old, *new;
	unsigned a;

	(void)state;
	fill_anon(3);
	assert_int_equal(do_mlock(mm, BASE, 3 * PAGE_SIZE, true), 0);
	assert_int_equal(lru_count[LRU_UNEVICTABLE], 3);
	old = page_in(mm, BASE + PAGE_SIZE);
	a = attrs_at(mm, BASE + PAGE_SIZE);
	new = migrate_ok(old);
	assert_true(PAGE_FLAG(new, PG_mlocked));
	assert_maps(mm, BASE + PAGE_SIZE, new, a);
	assert_int_equal(vm_stat[NR_MLOCK], 3);
	assert_int_equal(lru_count[LRU_UNEVICTABLE], 3);
	assert_true(pattern_at(mm, BASE + PAGE_SIZE, 1));
	/* munlock finds it on the unevictable list and moves it back */
	assert_int_equal(do_mlock(mm, BASE, 3 * PAGE_SIZE, false), 0);
	assert_int_equal(lru_count[LRU_UNEVICTABLE], 0);
	assert_int_equal(vm_stat[NR_MLOCK], 0);
	assert_false(PAGE_FLAG(new, PG_mlocked));
}

/* A refusal: rc and a reason containing want, nothing changed, no frame taken. */
static void refused(struct page *p, new_page_t get_new, int rc, const char *want)
{
	struct before b = look(p);
	u8 data[PAGE_SIZE];
	const char *why = NULL;
	struct snap s;
	u64 fails = vm_events[PGMIGRATE_FAIL];
	unsigned a = allocs;

	memcpy(data, page_address(p), PAGE_SIZE);
	snap(&s);
	assert_int_equal(migrate_page(p, get_new, GFP_HIGHUSER_MOVABLE, MR_SYSCALL, &why), rc);
	assert_non_null(why);
	if (!strstr(why, want))
		fail_msg("reason \"%s\", expected \"%s\"", why, want);
	assert_int_equal(p->refcount, b.refcount);
	assert_int_equal(p->mapcount, b.mapcount);
	assert_int_equal(p->flags, b.flags);
	assert_ptr_equal(p->mapping, b.mapping);
	assert_int_equal(p->index, b.index);
	assert_memory_equal(page_address(p), data, PAGE_SIZE);
	assert_int_equal(allocs, a);
	assert_int_equal(vm_events[PGMIGRATE_FAIL], fails + 1);
	assert_int_equal(vm_events[PGMIGRATE_SUCCESS], 0);
	assert_same(&s);
}

static void pinned_page_refused(void **state)
{
	struct page *p;
	struct vm_area_struct *v;

	(void)state;
	fill_anon(2);
	p = page_in(mm, BASE);
	p->refcount++; /* held by the kernel or under DMA */
	refused(p, new_frame, -EBUSY, "pinned");
	assert_ptr_equal(page_in(mm, BASE), p);
	assert_true(PAGE_FLAG(p, PG_lru));
	p->refcount--;
	/* a pinned file page too */
	v = map_in(mm, FBASE, 4, RX, &file);
	assert_int_equal(readahead_range(v, FBASE, FBASE + PAGE_SIZE), 0);
	p = filemap_find_page(&file, 0);
	p->refcount++;
	refused(p, new_frame, -EBUSY, "pinned");
	assert_ptr_equal(filemap_find_page(&file, 0), p);
	p->refcount--;
}

static void page_off_lru_refused(void **state)
{
	struct page *kp = alloc_page(GFP_KERNEL);
	void *obj = kmalloc(64, GFP_KERNEL);

	(void)state;
	map_in(mm, BASE, 1, RW, NULL);
	fault_in(mm, BASE, FAULT_READ, FAULT_KIND_ZERO);
	refused(page_in(mm, BASE), new_frame, -EBUSY, "not on an LRU list"); /* the zero page */
	refused(kp, new_frame, -EBUSY, "not on an LRU list");
	refused(virt_to_page(obj), new_frame, -EBUSY, "not on an LRU list"); /* slab: mapping is its cache */
	kfree(obj);
	free_page(kp);
}

static void no_memory_for_the_new_frame(void **state)
{
	struct page *p;

	(void)state;
	fill_anon(1);
	p = page_in(mm, BASE);
	refused(p, no_frame, -ENOMEM, "no memory");
	assert_ptr_equal(page_in(mm, BASE), p);
	assert_true(pattern_at(mm, BASE, 0));
}

static void list_form_moves_the_rest(void **state)
{
	struct page *old[8], *pinned;
	LIST_HEAD(list);
	unsigned failed = 99, moved;
	const char *why;

	(void)state;
	fill_anon(8);
	for (int i = 0; i < 8; i++) {
		old[i] = page_in(mm, BASE + i * PAGE_SIZE);
		assert_int_equal(migrate_isolate(old[i], &why), 0);
		list_add_tail(&old[i]->lru, &list);
	}
	assert_int_equal(lru_count[LRU_INACTIVE_ANON], 0);
	assert_int_equal(migrate_isolate(old[0], &why), -EBUSY); /* isolated already */
	assert_non_null(strstr(why, "isolated"));
	pinned = old[5];
	pinned->refcount++;
	moved = migrate_pages(&list, new_frame, GFP_HIGHUSER_MOVABLE, MR_COMPACTION, &failed);
	assert_int_equal(moved, 7);
	assert_int_equal(failed, 1);
	assert_true(list_empty(&list));
	assert_int_equal(vm_events[PGMIGRATE_SUCCESS], 7);
	assert_int_equal(vm_events[PGMIGRATE_FAIL], 1);
	assert_int_equal(lru_count[LRU_INACTIVE_ANON], 8);
	for (int i = 0; i < 8; i++) {
		struct page *p = page_in(mm, BASE + i * PAGE_SIZE);

		/* (a moved page's old frame may be the next one's new frame: LIFO per-CPU list) */
		assert_true(i == 5 ? p == old[i] : p != old[i]);
		assert_true(PAGE_FLAG(p, PG_lru));
		assert_true(pattern_at(mm, BASE + i * PAGE_SIZE, (u64)i));
	}
	pinned->refcount--;
	assert_string_equal(migrate_reason_name(MR_CONTIG_RANGE), "contig_range");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(anon_mapped_once),
		T(anon_cow_shared_by_two_mms),
		T(file_page_mapped_by_two_mms),
		T(unmapped_page_cache_page),
		T(shmem_page),
		T(swap_cache_page_read_only),
		T(mlocked_page),
		T(pinned_page_refused),
		T(page_off_lru_refused),
		T(no_memory_for_the_new_frame),
		T(list_form_moves_the_rest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
