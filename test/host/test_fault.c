/*
 * The fault path and its neighbours on the host, with the real sources:
 * mm/memory.c (classify, fault kinds, zap/protect/populate/mlock),
 * mm/rmap.c, mm/filemap.c and mm/uaccess.c on top of the page allocator,
 * slab, mm/pgtable.c, mm/vma.c, mm/mmap.c (mm_create/mm_destroy) and
 * mm/lru.c/vmstat.c. The page tables are real and live (user, flushed by
 * ASID); platform/host/mmu.c checks break-before-make on every write.
 *
 * Every case ends with every counter back at zero: vm_stat[], lru_count[]
 * and no break-before-make violation.
 */
#include <arch/phys.h>
#include <errno.h>
#include <host.h>
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <mm/slab.h>
#include <mm/uaccess.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/pagoda/syscall.h>
#include <cmocka.h>

#include "user_fixture.h"

#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define RX (VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYEXEC)
#define RO (VM_READ | VM_MAYREAD)
#define BASE 0x400000ULL   /* where the tests put their VMAs */
#define FILE_PAGES 16

/* ---- a fake file: readpage fills a recognisable pattern and counts ---- */

static unsigned readpage_calls;
static long readpage_fail_index = -1;

static u32 pattern(u64 index, unsigned word) { return 0xf1100000u ^ (u32)(index << 12) ^ word; }

static int fake_readpage(struct address_space *as, u64 index, void *dst)
{
	u32 *w = dst;

	(void)as;
	readpage_calls++;
	if ((long)index == readpage_fail_index)
		return -EIO;
	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		w[i] = pattern(index, i);
	return 0;
}

static const struct address_space_ops fake_ops = { .readpage = fake_readpage };
static struct address_space file;

static bool page_has_pattern(const void *p, u64 index)
{
	const u32 *w = p;

	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		if (w[i] != pattern(index, i))
			return false;
	return true;
}

/* ---- fixture ------------------------------------------------------------ */

static struct mm_struct *mm, *mm2;

static int setup(void **state)
{
	(void)state;
	fix_user_setup();
	memset(fault_kind_count, 0, sizeof(fault_kind_count));
	readpage_calls = 0;
	readpage_fail_index = -1;
	assert_int_equal(address_space_init(&file, "/apps/demo", FILE_PAGES * PAGE_SIZE - 100, &fake_ops, NULL, 7), 0);
	mm = mm_create();
	mm2 = mm_create();
	assert_non_null(mm);
	assert_non_null(mm2);
	mm->pgt.asid = 1;
	mm2->pgt.asid = 2;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mm_destroy(mm);
	mm_destroy(mm2);
	address_space_put(&file);
	for (int i = 0; i < NR_VM_STAT_ITEMS; i++)
		if (vm_stat[i])
			fail_msg("vm_stat[%d] = %lld after teardown", i, (long long)vm_stat[i]);
	for (int i = 0; i < NR_LRU_LISTS; i++)
		if (lru_count[i])
			fail_msg("lru_count[%d] = %llu after teardown", i, (unsigned long long)lru_count[i]);
	assert_int_equal(host_mmu.bbm_violations, 0);
	fix_mm_teardown();
	return 0;
}

static struct vm_area_struct *map(struct mm_struct *m, u64 start, u64 pages, u64 flags, struct address_space *as,
				  u64 pgoff)
{
	struct vm_area_struct *v = vma_alloc(m, start, start + pages * PAGE_SIZE, flags, as, pgoff, NULL);

	assert_non_null(v);
	assert_int_equal(vma_link(m, v), 0);
	return v;
}

static int fault(struct mm_struct *m, u64 addr, unsigned access, enum fault_kind want)
{
	struct fault_info fi;
	int rc = handle_mm_fault(m, addr, access | FAULT_USER, &fi);

	if (fi.kind != want)
		fail_msg("fault at %#llx access %#x: %s, expected %s", (unsigned long long)addr, access,
			 fault_kind_name(fi.kind), fault_kind_name(want));
	assert_int_equal(fi.addr, addr);
	return rc;
}

/* The page mapped at va in m (NULL: none), and its PTE attributes. */
static struct page *pte_page(struct mm_struct *m, u64 va, unsigned *attrs)
{
	phys_addr_t pa;

	if (pgt_query(&m->pgt, va, &pa, attrs, NULL))
		return NULL;
	return pfn_to_page(phys_to_pfn(pa));
}

static void *kva(struct mm_struct *m, u64 va)
{
	phys_addr_t pa;

	assert_int_equal(pgt_query(&m->pgt, va, &pa, NULL, NULL), 0);
	return phys_to_virt(pa);
}

static bool all_zero(const void *p)
{
	const u8 *b = p;

	for (unsigned i = 0; i < PAGE_SIZE; i++)
		if (b[i])
			return false;
	return true;
}

/* ---- fault_classify, exhaustively --------------------------------------- */

enum { V_NONE, V_GUARD, V_ANON, V_FILE_PRIV, V_TEXT, V_FILE_SHARED, V_SHMEM, V_STACK, V_PROT_NONE, NR_V };
enum { P_ABSENT, P_RO, P_RW, P_ZERO, P_EXCL, P_OLD, P_SWAP, NR_P }; /* P_OLD: RW with AF clear */
enum { A_READ, A_WRITE, A_EXEC, NR_A };

#define Z FAULT_KIND_ZERO
#define AN FAULT_KIND_ANON
#define CW FAULT_KIND_COW
#define RU FAULT_KIND_REUSE
#define FC FAULT_KIND_FILE_CACHED
#define SH FAULT_KIND_SHMEM
#define SP FAULT_KIND_SPURIOUS
#define ME FAULT_KIND_MAPERR
#define AE FAULT_KIND_ACCERR
#define GD FAULT_KIND_GUARD
#define AC FAULT_KIND_ACCESSED
#define SW FAULT_KIND_SWAP

/* [vma][pte][read, write, exec] */
static const enum fault_kind expected[NR_V][NR_P][NR_A] = {
	/*                 absent        RO            RW            zero page     exclusive     old RW        swap */
	[V_NONE] =      { { ME, ME, ME }, { ME, ME, ME }, { ME, ME, ME }, { ME, ME, ME }, { ME, ME, ME }, { ME, ME, ME }, { ME, ME, ME } },
	[V_GUARD] =     { { GD, GD, GD }, { GD, GD, GD }, { GD, GD, GD }, { GD, GD, GD }, { GD, GD, GD }, { GD, GD, GD }, { GD, GD, GD } },
	[V_ANON] =      { { Z, AN, AE }, { SP, CW, AE }, { SP, SP, AE }, { SP, CW, AE }, { SP, RU, AE }, { AC, AC, AE }, { SW, SW, AE } },
	[V_FILE_PRIV] = { { FC, CW, AE }, { SP, CW, AE }, { SP, SP, AE }, { SP, CW, AE }, { SP, RU, AE }, { AC, AC, AE }, { SW, SW, AE } },
	[V_TEXT] =      { { FC, AE, FC }, { SP, AE, SP }, { SP, AE, SP }, { SP, AE, SP }, { SP, AE, SP }, { AC, AE, AC }, { SW, AE, SW } },
	[V_FILE_SHARED] = { { FC, FC, AE }, { SP, RU, AE }, { SP, SP, AE }, { SP, CW, AE }, { SP, RU, AE }, { AC, AC, AE }, { SW, SW, AE } },
	[V_SHMEM] =     { { SH, SH, AE }, { SP, RU, AE }, { SP, SP, AE }, { SP, CW, AE }, { SP, RU, AE }, { AC, AC, AE }, { SW, SW, AE } },
	[V_STACK] =     { { Z, AN, AE }, { SP, CW, AE }, { SP, SP, AE }, { SP, CW, AE }, { SP, RU, AE }, { AC, AC, AE }, { SW, SW, AE } },
	[V_PROT_NONE] = { { AE, AE, AE }, { AE, AE, AE }, { AE, AE, AE }, { AE, AE, AE }, { AE, AE, AE }, { AE, AE, AE }, { AE, AE, AE } },
};

static void classify_table(void **state)
{
	static const char *const vn[NR_V] = { "none", "guard", "anon", "file-private", "text", "file-shared",
					      "shmem", "stack", "prot-none" };
	static const unsigned access[NR_A] = { FAULT_READ, FAULT_WRITE, FAULT_EXEC };
	struct address_space shm = { .shmem = true };
	struct vm_area_struct v[NR_V] = {
		[V_ANON] = { .flags = RW },
		[V_FILE_PRIV] = { .flags = RW, .file = &file },
		[V_TEXT] = { .flags = RX, .file = &file },
		[V_FILE_SHARED] = { .flags = RW | VM_SHARED, .file = &file },
		[V_SHMEM] = { .flags = RW | VM_SHARED, .file = &shm },
		[V_STACK] = { .flags = RW | VM_GROWSDOWN },
		[V_PROT_NONE] = { .flags = VM_MAYREAD | VM_MAYWRITE },
	};
	unsigned checked = 0;

	(void)state;
	for (int i = 0; i < NR_V; i++) {
		for (int p = 0; p < NR_P; p++) {
			struct pte_state pte = {
				.swap = p == P_SWAP,
				.present = p != P_ABSENT && p != P_SWAP,
				.young = p != P_ABSENT && p != P_SWAP && p != P_OLD,
				.writable = p == P_RW || p == P_OLD,
				.executable = p != P_ABSENT && p != P_SWAP && (v[i].flags & VM_EXEC),
				.zero_page = p == P_ZERO,
				.exclusive = p == P_EXCL,
			};

			for (int a = 0; a < NR_A; a++) {
				for (unsigned user = 0; user <= FAULT_USER; user += FAULT_USER) {
					const struct vm_area_struct *vma = i <= V_GUARD ? NULL : &v[i];
					enum fault_kind k = fault_classify(vma, i == V_GUARD, &pte, access[a] | user);

					if (k != expected[i][p][a])
						fail_msg("%s pte %d access %#x: %s, expected %s", vn[i], p, access[a],
							 fault_kind_name(k), fault_kind_name(expected[i][p][a]));
					checked++;
				}
			}
		}
	}
	assert_int_equal(checked, NR_V * NR_P * NR_A * 2);
	/* combined accesses need every permission */
	assert_int_equal(fault_classify(&v[V_TEXT], false, &(struct pte_state){ 0 }, FAULT_READ | FAULT_EXEC), FC);
	assert_int_equal(fault_classify(&v[V_TEXT], false, &(struct pte_state){ 0 }, FAULT_WRITE | FAULT_EXEC), AE);
	/* names exist for every kind */
	for (int k = 0; k < NR_FAULT_KINDS; k++)
		assert_true(strcmp(fault_kind_name(k), "?") != 0);
}

/* ---- the scripted workload ---------------------------------------------- */

#define N 64

static void reads_of_untouched_anon_map_the_zero_page(void **state)
{
	u64 free0, tables0;
	unsigned attrs;

	(void)state;
	map(mm, BASE, N, RW, NULL, 0);
	free0 = nr_free_pages();
	tables0 = mm->pgt.nr_tables;
	for (u64 i = 0; i < N; i++)
		assert_int_equal(fault(mm, BASE + i * PAGE_SIZE + 8, FAULT_READ, FAULT_KIND_ZERO), 0);
	for (u64 i = 0; i < N; i++) {
		assert_ptr_equal(pte_page(mm, BASE + i * PAGE_SIZE, &attrs), zero_page);
		assert_int_equal(attrs, MMU_READ | MMU_USER | MMU_NG | MMU_MT_NORMAL);
	}
	/* no page allocated: only the table pages the walk needed */
	assert_int_equal(free0 - nr_free_pages(), mm->pgt.nr_tables - tables0);
	assert_int_equal(mm->min_flt, N);
	assert_int_equal(mm->maj_flt, 0);
	assert_int_equal(mm_rss(mm), 0);
	assert_int_equal(fault_kind_count[FAULT_KIND_ZERO], N);
	assert_int_equal(vm_stat[NR_ANON_MAPPED], 0);
	assert_true(all_zero(page_address(zero_page)));
	/* a second read is spurious: the PTE already allows it */
	assert_int_equal(fault(mm, BASE, FAULT_READ, FAULT_KIND_SPURIOUS), 0);
}

static void writes_of_untouched_anon_allocate(void **state)
{
	u64 free0, tables0;
	unsigned attrs;

	(void)state;
	map(mm, BASE, N, RW, NULL, 0);
	kfree(kzalloc(sizeof(struct anon_vma), GFP_KERNEL)); /* warm its slab class: the page count is exact */
	free0 = nr_free_pages();
	tables0 = mm->pgt.nr_tables;
	for (u64 i = 0; i < N; i++)
		assert_int_equal(fault(mm, BASE + i * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_ANON), 0);
	assert_int_equal(free0 - nr_free_pages(), N + mm->pgt.nr_tables - tables0);
	assert_int_equal(mm->rss[MM_ANONPAGES], N);
	assert_int_equal(mm->hiwater_rss, N);
	assert_int_equal(mm->min_flt, N);
	assert_int_equal(vm_stat[NR_ANON_MAPPED], N);
	assert_int_equal(lru_count[LRU_INACTIVE_ANON], N);
	for (u64 i = 0; i < N; i++) {
		struct page *p = pte_page(mm, BASE + i * PAGE_SIZE, &attrs);

		assert_non_null(p);
		assert_true(page_is_anon(p));
		assert_int_equal(p->mapcount, 1);
		assert_int_equal(p->refcount, 1);
		assert_int_equal(p->index, (BASE >> PAGE_SHIFT) + i);
		assert_int_equal(attrs, MMU_READ | MMU_WRITE | MMU_USER | MMU_NG | MMU_MT_NORMAL);
		assert_true(all_zero(page_address(p)));
	}
	/* the anon_vma was made once, for the VMA */
	assert_non_null(vma_lookup(mm, BASE)->anon_vma);
	assert_int_equal(vma_lookup(mm, BASE)->anon_vma->refs, 1);
}

static void write_after_read_copies_the_zero_page(void **state)
{
	struct page *p;
	u64 flushes;

	(void)state;
	map(mm, BASE, 4, RW, NULL, 0);
	assert_int_equal(fault(mm, BASE, FAULT_READ, FAULT_KIND_ZERO), 0);
	flushes = host_mmu.tlb_flushes;
	assert_int_equal(fault(mm, BASE + 5, FAULT_WRITE, FAULT_KIND_COW), 0);
	assert_true(host_mmu.tlb_flushes > flushes); /* the zero-page PTE was broken first */
	p = pte_page(mm, BASE, NULL);
	assert_ptr_not_equal(p, zero_page);
	assert_true(all_zero(page_address(p)));
	assert_int_equal(p->mapcount, 1);
	assert_int_equal(mm->rss[MM_ANONPAGES], 1);
	assert_int_equal(mm->min_flt, 2);
	memset(page_address(p), 0x5a, PAGE_SIZE);
	assert_true(all_zero(page_address(zero_page)));
	/* REUSE: the page made read-only behind the fault's back comes back writable */
	assert_int_equal(pgt_protect(&mm->pgt, BASE, PAGE_SIZE, MMU_READ | MMU_USER | MMU_NG), 0);
	assert_int_equal(fault(mm, BASE, FAULT_WRITE, FAULT_KIND_REUSE), 0);
	assert_ptr_equal(pte_page(mm, BASE, NULL), p);
	assert_int_equal(fault(mm, BASE, FAULT_WRITE, FAULT_KIND_SPURIOUS), 0);
}

static void private_file_shared_then_copied(void **state)
{
	u64 va1 = BASE + 3 * PAGE_SIZE, va2 = 0x7000000ULL; /* file page 3 in both */
	struct page *cache, *copy;
	struct fault_info fi;
	unsigned attrs;

	(void)state;
	map(mm, BASE, FILE_PAGES, RW, &file, 0);
	map(mm2, va2 - PAGE_SIZE, 4, RW, &file, 2);
	assert_int_equal(fault(mm, va1, FAULT_READ, FAULT_KIND_FILE_READ), 0);
	assert_int_equal(readpage_calls, 1);
	assert_int_equal(mm->maj_flt, 1);
	assert_int_equal(mm->min_flt, 0);
	cache = pte_page(mm, va1, &attrs);
	assert_ptr_equal(cache, filemap_find_page(&file, 3));
	assert_false(attrs & MMU_WRITE); /* private: read-only until the first write */
	assert_true(page_has_pattern(page_address(cache), 3));
	assert_int_equal(vm_stat[NR_FILE_PAGES], 1);
	assert_int_equal(vm_stat[NR_FILE_MAPPED], 1);
	assert_int_equal(lru_count[LRU_INACTIVE_FILE], 1);

	/* the other mm: a minor fault on the cached page, the same frame */
	assert_int_equal(handle_mm_fault(mm2, va2 + 17, FAULT_READ | FAULT_USER, &fi), 0);
	assert_int_equal(fi.kind, FAULT_KIND_FILE_CACHED);
	assert_false(fi.major);
	assert_ptr_equal(fi.vma, vma_lookup(mm2, va2));
	assert_int_equal(readpage_calls, 1);
	assert_int_equal(mm2->min_flt, 1);
	assert_ptr_equal(pte_page(mm2, va2, NULL), cache);
	assert_int_equal(cache->mapcount, 2);
	assert_int_equal(cache->refcount, 3); /* the cache + two PTEs */
	assert_int_equal(vm_stat[NR_FILE_MAPPED], 1);
	assert_int_equal(mm2->rss[MM_FILEPAGES], 1);

	/* a write: mm2 gets a private copy, mm still sees the file */
	assert_int_equal(fault(mm2, va2, FAULT_WRITE, FAULT_KIND_COW), 0);
	copy = pte_page(mm2, va2, &attrs);
	assert_ptr_not_equal(copy, cache);
	assert_true(attrs & MMU_WRITE);
	assert_true(page_has_pattern(page_address(copy), 3));
	assert_true(page_is_anon(copy));
	*(u32 *)page_address(copy) = 0xdeadbeef;
	assert_ptr_equal(pte_page(mm, va1, NULL), cache);
	assert_true(page_has_pattern(kva(mm, va1), 3));
	assert_int_equal(cache->mapcount, 1);
	assert_int_equal(mm2->rss[MM_FILEPAGES], 0);
	assert_int_equal(mm2->rss[MM_ANONPAGES], 1);
	assert_int_equal(vm_stat[NR_ANON_MAPPED], 1);

	/* a write to a file page never read: a major COW straight from the file */
	assert_int_equal(fault(mm, BASE + 9 * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_COW), 0);
	assert_int_equal(readpage_calls, 2);
	assert_int_equal(mm->maj_flt, 2);
	assert_true(page_has_pattern(kva(mm, BASE + 9 * PAGE_SIZE), 9));
	assert_int_equal(filemap_find_page(&file, 9)->mapcount, 0);
	assert_int_equal(filemap_find_page(&file, 9)->refcount, 1);
}

struct seen {
	unsigned n;
	struct mm_struct *mm[4];
	u64 va[4];
};

static bool record(struct page *p, struct vm_area_struct *vma, u64 va, void *arg)
{
	struct seen *s = arg;

	(void)p;
	assert_true(s->n < 4);
	s->mm[s->n] = vma->mm;
	s->va[s->n++] = va;
	return true;
}

static void rmap_finds_every_mapping(void **state)
{
	u64 va1 = BASE + 5 * PAGE_SIZE, va2 = 0x9000000ULL + 3 * PAGE_SIZE, anon = 0xa000000ULL + PAGE_SIZE;
	struct seen s = { 0 };
	struct page *p;

	(void)state;
	map(mm, BASE, FILE_PAGES, RX, &file, 0);
	map(mm2, 0x9000000ULL, 8, RO | VM_SHARED, &file, 2);
	map(mm2, 0x8000000ULL, 8, RO, &file, 5); /* maps page 5 too, but never faults it */
	map(mm, 0xa000000ULL, 4, RW, NULL, 0);
	assert_int_equal(fault(mm, va1, FAULT_EXEC, FAULT_KIND_FILE_READ), 0);
	assert_int_equal(fault(mm2, va2, FAULT_READ, FAULT_KIND_FILE_CACHED), 0);
	assert_int_equal(fault(mm, anon, FAULT_WRITE, FAULT_KIND_ANON), 0);

	p = filemap_find_page(&file, 5);
	assert_int_equal(rmap_walk(p, record, &s), 2);
	assert_int_equal(s.n, 2);
	assert_true((s.mm[0] == mm && s.va[0] == va1 && s.mm[1] == mm2 && s.va[1] == va2) ||
		    (s.mm[1] == mm && s.va[1] == va1 && s.mm[0] == mm2 && s.va[0] == va2));

	s.n = 0;
	p = pte_page(mm, anon, NULL);
	assert_int_equal(rmap_walk(p, record, &s), 1);
	assert_ptr_equal(s.mm[0], mm);
	assert_int_equal(s.va[0], anon);
	assert_int_equal(rmap_walk(zero_page, record, &s), 0);

	/* try_to_unmap takes the file page out of both mms (the caller's reference keeps it) */
	p = filemap_find_page(&file, 5);
	p->refcount++;
	assert_int_equal(try_to_unmap(p), 2);
	assert_int_equal(p->mapcount, 0);
	assert_int_equal(p->refcount, 2);
	p->refcount--;
	assert_null(pte_page(mm, va1, NULL));
	assert_null(pte_page(mm2, va2, NULL));
	assert_int_equal(mm->rss[MM_FILEPAGES] + mm2->rss[MM_FILEPAGES], 0);
	assert_int_equal(vm_stat[NR_FILE_MAPPED], 0);
	assert_int_equal(rmap_walk(p, record, &s), 0);
	/* and it comes back on the next touch, minor */
	assert_int_equal(fault(mm, va1, FAULT_EXEC, FAULT_KIND_FILE_CACHED), 0);
}

static void zap_returns_every_page(void **state)
{
	struct vm_area_struct *anon, *priv, *shared;
	struct address_space *shm;
	u64 free0, cached;

	(void)state;
	kfree(kzalloc(sizeof(struct anon_vma), GFP_KERNEL)); /* warm the slab class */
	shm = shmem_create(8 * PAGE_SIZE);
	assert_non_null(shm);
	anon = map(mm, BASE, 600, RW, NULL, 0); /* crosses a 2 MiB boundary */
	priv = map(mm, 0x10000000ULL, FILE_PAGES, RW, &file, 0);
	shared = map(mm, 0x20000000ULL, 8, RW | VM_SHARED, shm, 0);
	address_space_put(shm); /* the VMA holds it now */
	free0 = nr_free_pages();
	for (u64 i = 0; i < 600; i += 3) {
		assert_int_equal(fault(mm, BASE + i * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_ANON), 0);
		assert_int_equal(fault(mm, BASE + (i + 1) * PAGE_SIZE, FAULT_READ, FAULT_KIND_ZERO), 0);
	}
	for (u64 i = 0; i < FILE_PAGES; i++)
		assert_int_equal(fault(mm, priv->start + i * PAGE_SIZE, i & 1 ? FAULT_WRITE : FAULT_READ,
				       i & 1 ? FAULT_KIND_COW : FAULT_KIND_FILE_READ), 0);
	for (u64 i = 0; i < 8; i++)
		assert_int_equal(fault(mm, shared->start + i * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_SHMEM), 0);
	assert_int_equal(mm->rss[MM_ANONPAGES], 200 + FILE_PAGES / 2);
	assert_int_equal(mm->rss[MM_FILEPAGES], FILE_PAGES / 2);
	assert_int_equal(mm->rss[MM_SHMEMPAGES], 8);
	assert_int_equal(vm_stat[NR_SHMEM], 8);
	assert_int_equal(vm_stat[NR_FILE_PAGES], FILE_PAGES + 8);

	zap_page_range(anon, anon->start, anon->end);
	zap_page_range(priv, priv->start, priv->end);
	zap_page_range(shared, shared->start, shared->end);
	assert_int_equal(mm_rss(mm), 0);
	assert_int_equal(vm_stat[NR_ANON_MAPPED], 0);
	assert_int_equal(vm_stat[NR_FILE_MAPPED], 0);
	assert_null(pte_page(mm, BASE, NULL));
	assert_int_equal(mm->pgt.nr_tables, 1); /* empty tables went back too */
	/* everything came back except the page cache (the file's and the shmem object's) */
	cached = file.nrpages + shm->nrpages;
	assert_int_equal(cached, FILE_PAGES + 8);
	assert_int_equal(nr_free_pages(), free0 - cached);
	assert_int_equal(address_space_drop_clean(&file), FILE_PAGES);
	assert_int_equal(address_space_drop_clean(shm), 0); /* shmem pages are the data */
	assert_int_equal(nr_free_pages(), free0 - 8);
	vma_unlink(mm, shared);
	vma_free(shared); /* the last reference: the shmem object and its pages go */
	assert_int_equal(nr_free_pages(), free0);
	assert_int_equal(vm_stat[NR_FILE_PAGES], 0);
	assert_int_equal(host_mmu.bbm_violations, 0);
}

static void shmem_is_shared_between_mms(void **state)
{
	struct address_space *shm = shmem_create(3 * PAGE_SIZE);
	unsigned attrs;

	(void)state;
	assert_non_null(shm);
	map(mm, BASE, 3, RW | VM_SHARED, shm, 0);
	map(mm2, 0x5000000ULL, 3, RW | VM_SHARED, shm, 0);
	address_space_put(shm);
	assert_int_equal(fault(mm, BASE + PAGE_SIZE, FAULT_READ, FAULT_KIND_SHMEM), 0);
	assert_true(all_zero(kva(mm, BASE + PAGE_SIZE)));
	pte_page(mm, BASE + PAGE_SIZE, &attrs);
	assert_true(attrs & MMU_WRITE); /* shared: the page is ours to write */
	*(u64 *)kva(mm, BASE + PAGE_SIZE) = 0x1234;
	assert_int_equal(fault(mm2, 0x5000000ULL + PAGE_SIZE, FAULT_WRITE, FAULT_KIND_SHMEM), 0);
	assert_int_equal(*(u64 *)kva(mm2, 0x5000000ULL + PAGE_SIZE), 0x1234);
	assert_int_equal(mm2->rss[MM_SHMEMPAGES], 1);
	assert_int_equal(vm_stat[NR_SHMEM], 1);
	assert_int_equal(readpage_calls, 0);
	assert_int_equal(mm->maj_flt + mm2->maj_flt, 0);
	/* a shmem page read-only in one mm (say after mprotect) is reused, not copied */
	assert_int_equal(pgt_protect(&mm->pgt, BASE + PAGE_SIZE, PAGE_SIZE, MMU_READ | MMU_USER | MMU_NG), 0);
	assert_int_equal(fault(mm, BASE + PAGE_SIZE, FAULT_WRITE, FAULT_KIND_REUSE), 0);
	assert_ptr_equal(pte_page(mm, BASE + PAGE_SIZE, NULL), pte_page(mm2, 0x5000000ULL + PAGE_SIZE, NULL));
}

static void failures_change_nothing(void **state)
{
	struct vm_area_struct *stack;
	struct fault_info fi;
	u64 free0;

	(void)state;
	stack = map(mm, 0x7f000000ULL, 16, RW | VM_GROWSDOWN, NULL, 0);
	map(mm, BASE, FILE_PAGES + 4, RO, &file, 0); /* runs 4 pages past the end of the file */
	map(mm, 0x600000ULL, 2, RO, NULL, 0);
	free0 = nr_free_pages();
	assert_int_equal(fault(mm, 0x50000000ULL, FAULT_READ, FAULT_KIND_MAPERR), -EFAULT);
	assert_int_equal(fault(mm, 0, FAULT_READ, FAULT_KIND_MAPERR), -EFAULT);
	assert_int_equal(fault(mm, USER_VA_END, FAULT_READ, FAULT_KIND_MAPERR), -EFAULT);
	assert_int_equal(fault(mm, ~0ULL, FAULT_WRITE, FAULT_KIND_MAPERR), -EFAULT);
	assert_int_equal(fault(mm, stack->start - 8, FAULT_WRITE, FAULT_KIND_GUARD), -EFAULT);
	assert_int_equal(handle_mm_fault(mm, stack->start - PAGE_SIZE, FAULT_WRITE, &fi), -EFAULT);
	assert_ptr_equal(fi.vma, stack);
	assert_int_equal(fault(mm, stack->start - PAGE_SIZE - 1, FAULT_WRITE, FAULT_KIND_MAPERR), -EFAULT);
	assert_int_equal(fault(mm, 0x600000ULL, FAULT_WRITE, FAULT_KIND_ACCERR), -EACCES);
	assert_int_equal(fault(mm, 0x600000ULL, FAULT_EXEC, FAULT_KIND_ACCERR), -EACCES);
	assert_int_equal(fault(mm, BASE + FILE_PAGES * PAGE_SIZE, FAULT_READ, FAULT_KIND_SIGBUS), -EIO);
	readpage_fail_index = 2;
	assert_int_equal(fault(mm, BASE + 2 * PAGE_SIZE, FAULT_READ, FAULT_KIND_SIGBUS), -EIO);
	assert_null(filemap_find_page(&file, 2));
	assert_int_equal(mm->min_flt + mm->maj_flt, 0);
	assert_int_equal(nr_free_pages(), free0);
	assert_int_equal(fault_kind_count[FAULT_KIND_MAPERR], 5);
	assert_int_equal(fault_kind_count[FAULT_KIND_GUARD], 2);
	assert_int_equal(fault_kind_count[FAULT_KIND_SIGBUS], 2);
	/* the stack itself, and the last partial page of the file, work */
	assert_int_equal(fault(mm, stack->start, FAULT_WRITE, FAULT_KIND_ANON), 0);
	assert_int_equal(fault(mm, BASE + (FILE_PAGES - 1) * PAGE_SIZE, FAULT_READ, FAULT_KIND_FILE_READ), 0);
}

static void out_of_memory_is_reported(void **state)
{
	struct page *hog = NULL, *p;
	u64 free0;

	(void)state;
	map(mm, BASE, 4, RW, NULL, 0);
	assert_int_equal(fault(mm, BASE, FAULT_READ, FAULT_KIND_ZERO), 0); /* tables exist */
	free0 = nr_free_pages();
	while ((p = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN))) {
		p->private = (uintptr_t)hog;
		hog = p;
	}
	assert_int_equal(fault(mm, BASE + PAGE_SIZE, FAULT_WRITE, FAULT_KIND_OOM), -ENOMEM);
	assert_int_equal(fault(mm, BASE, FAULT_WRITE, FAULT_KIND_OOM), -ENOMEM);
	assert_ptr_equal(pte_page(mm, BASE, NULL), zero_page); /* the old mapping stays */
	assert_null(pte_page(mm, BASE + PAGE_SIZE, NULL));
	while (hog) {
		p = hog;
		hog = (struct page *)p->private;
		p->private = 0;
		free_page(p);
	}
	assert_int_equal(nr_free_pages(), free0);
	assert_int_equal(fault(mm, BASE, FAULT_WRITE, FAULT_KIND_COW), 0);
}

static void protection_and_mlock(void **state)
{
	struct vm_area_struct *v;
	unsigned attrs;
	u8 buf[8];

	(void)state;
	v = map(mm, BASE, 8, RW, NULL, 0);
	for (u64 i = 0; i < 4; i++)
		assert_int_equal(fault(mm, BASE + i * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_ANON), 0);
	assert_int_equal(fault(mm, BASE + 4 * PAGE_SIZE, FAULT_READ, FAULT_KIND_ZERO), 0);
	assert_int_equal(copy_to_user(mm, BASE, "pagoda", 7), 0);

	/* read-only: no PTE keeps MMU_WRITE */
	v->flags = (v->flags & ~VM_PROT_MASK) | VM_READ;
	change_protection(v, v->start, v->end);
	pte_page(mm, BASE, &attrs);
	assert_int_equal(attrs, MMU_READ | MMU_USER | MMU_NG | MMU_MT_NORMAL);
	assert_int_equal(copy_to_user(mm, BASE, "x", 1), -EFAULT);
	/* PROT_NONE: the data stays, EL0 (and uaccess) lose access */
	v->flags &= ~VM_PROT_MASK;
	change_protection(v, v->start, v->end);
	pte_page(mm, BASE, &attrs);
	assert_false(attrs & MMU_USER);
	assert_int_equal(copy_from_user(mm, buf, BASE, 7), -EFAULT);
	assert_int_equal(mm->rss[MM_ANONPAGES], 4);
	/* back to read-write: exclusive anon pages are writable again, the zero page not */
	v->flags |= VM_READ | VM_WRITE;
	change_protection(v, v->start, v->end);
	pte_page(mm, BASE, &attrs);
	assert_true(attrs & MMU_WRITE);
	pte_page(mm, BASE + 4 * PAGE_SIZE, &attrs);
	assert_false(attrs & MMU_WRITE);
	assert_int_equal(copy_from_user(mm, buf, BASE, 7), 0);
	assert_string_equal((char *)buf, "pagoda");

	/* mlock: populate (writable: the zero page is replaced), then lock */
	assert_int_equal(populate_range(v, v->start, v->end), 0);
	assert_int_equal(mm->rss[MM_ANONPAGES], 8);
	v->flags |= VM_LOCKED;
	mlock_range(v, v->start, v->end, true);
	assert_int_equal(vm_stat[NR_MLOCK], 8);
	assert_int_equal(lru_count[LRU_UNEVICTABLE], 8);
	mlock_range(v, BASE, BASE + 2 * PAGE_SIZE, false);
	assert_int_equal(vm_stat[NR_MLOCK], 6);
	assert_int_equal(lru_count[LRU_UNEVICTABLE], 6);
	zap_page_range(v, v->start, v->end); /* locked pages leave the counters as they go */
	assert_int_equal(vm_stat[NR_MLOCK], 0);
	assert_int_equal(lru_count[LRU_UNEVICTABLE], 0);
	/* a fault in a locked VMA locks the new page */
	assert_int_equal(fault(mm, BASE, FAULT_WRITE, FAULT_KIND_ANON), 0);
	assert_int_equal(vm_stat[NR_MLOCK], 1);
	assert_int_equal(lru_count[LRU_UNEVICTABLE], 1);
}

static void populate_and_readahead_of_files(void **state)
{
	struct vm_area_struct *text, *data;

	(void)state;
	text = map(mm, BASE, FILE_PAGES + 2, RX, &file, 0);
	data = map(mm2, BASE, 4, RW, &file, 4);
	assert_int_equal(readahead_range(text, BASE, BASE + 4 * PAGE_SIZE), 0);
	assert_int_equal(readpage_calls, 4);
	assert_int_equal(file.nrpages, 4);
	assert_int_equal(mm_rss(mm), 0); /* read, not mapped */
	/* populate stops at the end of the file, and maps what the cache has, minor */
	assert_int_equal(populate_range(text, text->start, text->end), 0);
	assert_int_equal(readpage_calls, FILE_PAGES);
	assert_int_equal(mm->rss[MM_FILEPAGES], FILE_PAGES);
	assert_int_equal(mm->maj_flt, FILE_PAGES - 4);
	assert_int_equal(mm->min_flt, 4);
	/* a writable private mapping is populated by writes: private copies */
	assert_int_equal(populate_range(data, data->start, data->end), 0);
	assert_int_equal(mm2->rss[MM_ANONPAGES], 4);
	assert_true(page_has_pattern(kva(mm2, BASE + 2 * PAGE_SIZE), 6));
}

/* A fault the PTE already allows, that the hardware keeps refusing (here: a
 * W+X page, which SCTLR_EL1.WXN makes unexecutable; mmap/mprotect refuse
 * W+X, so the VMA is forged): one TLB invalidate and retry, then a kill. */
static void spurious_faults_end_in_noprogress(void **state)
{
	struct vm_area_struct *v;
	u64 flushes;
	unsigned attrs;

	(void)state;
	mm->pgt.live = true;
	v = map(mm, BASE, 16, RW | VM_EXEC, NULL, 0);
	assert_int_equal(fault(mm, BASE, FAULT_WRITE, FAULT_KIND_ANON), 0);
	pte_page(mm, BASE, &attrs);
	assert_int_equal(attrs & (MMU_WRITE | MMU_EXEC), MMU_WRITE | MMU_EXEC);
	flushes = host_mmu.tlb_flushes;
	for (int i = 1; i < SPURIOUS_MAX; i++) {
		assert_int_equal(fault(mm, BASE + 8, FAULT_EXEC, FAULT_KIND_SPURIOUS), 0);
		assert_int_equal(host_mmu.tlb_flushes, flushes + i); /* the page's TLB entry, each retry */
	}
	assert_int_equal(fault(mm, BASE + 16, FAULT_EXEC, FAULT_KIND_NOPROGRESS), -EFAULT);
	assert_int_equal(fault_kind_count[FAULT_KIND_SPURIOUS], SPURIOUS_MAX - 1);
	assert_int_equal(fault_kind_count[FAULT_KIND_NOPROGRESS], 1);
	assert_int_equal(mm->min_flt, 1 + SPURIOUS_MAX - 1); /* the kill is not a handled fault */
	assert_int_equal(mm->spurious_count, 0);

	/* another fault of the mm in between (progress) starts the count again */
	for (int i = 1; i <= 2 * SPURIOUS_MAX; i++) {
		assert_int_equal(fault(mm, BASE, FAULT_EXEC, FAULT_KIND_SPURIOUS), 0);
		assert_int_equal(fault(mm, BASE + i * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_ANON), 0);
	}
	/* so does a spurious fault at another page */
	for (int i = 1; i <= 2 * SPURIOUS_MAX; i++) {
		assert_int_equal(fault(mm, BASE, FAULT_EXEC, FAULT_KIND_SPURIOUS), 0);
		assert_int_equal(fault(mm, BASE + PAGE_SIZE, FAULT_EXEC, FAULT_KIND_SPURIOUS), 0);
	}
	/* and so does a PTE that changed */
	assert_int_equal(fault(mm, BASE, FAULT_EXEC, FAULT_KIND_SPURIOUS), 0);
	assert_int_equal(fault(mm, BASE, FAULT_EXEC, FAULT_KIND_SPURIOUS), 0);
	v->flags &= ~VM_WRITE;
	change_protection(v, v->start, v->end);
	pte_page(mm, BASE, &attrs);
	assert_false(attrs & MMU_WRITE);
	assert_int_equal(fault(mm, BASE, FAULT_EXEC, FAULT_KIND_SPURIOUS), 0);
	assert_int_equal(mm->spurious_count, 1);
	assert_int_equal(fault(mm, BASE, FAULT_EXEC, FAULT_KIND_SPURIOUS), 0);
	assert_int_equal(fault(mm, BASE, FAULT_EXEC, FAULT_KIND_NOPROGRESS), -EFAULT);
	mm->pgt.live = false;
}

/* mlock that runs out of memory half way: -EAGAIN, and everything as before
 * (no VM_LOCKED, one VMA, no page it mapped left, the old page intact). */
static void failed_mlock_undoes_everything(void **state)
{
	struct page *hog = NULL, *p;
	struct vm_area_struct *v;
	const u64 NP = 64;
	u64 free0, left;
	u8 buf[8];

	(void)state;
	assert_int_equal(do_mmap(mm, BASE, NP * PAGE_SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0, 0, NULL), BASE);
	assert_int_equal(copy_to_user(mm, BASE + 3 * PAGE_SIZE, "pagoda", 7), 0); /* tables, anon_vma, one page */
	free0 = nr_free_pages();
	while ((p = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN))) {
		p->private = (uintptr_t)hog;
		hog = p;
	}
	for (left = 0; left < NP / 2; left++) { /* room for about half the range */
		assert_non_null(hog);
		p = hog;
		hog = (struct page *)p->private;
		p->private = 0;
		free_page(p);
	}
	drain_pcp_pages();
	left = nr_free_pages();
	assert_int_equal(do_mlock(mm, BASE + 100, NP * PAGE_SIZE - 100, true), -EAGAIN);
	drain_pcp_pages();
	assert_int_equal(nr_free_pages(), left);
	assert_int_equal(mm->map_count, 1);
	v = vma_lookup(mm, BASE);
	assert_int_equal(v->end, BASE + NP * PAGE_SIZE);
	assert_false(v->flags & VM_LOCKED);
	assert_int_equal(mm->locked_vm, 0);
	assert_int_equal(vm_stat[NR_MLOCK], 0);
	assert_int_equal(lru_count[LRU_UNEVICTABLE], 0);
	assert_int_equal(mm->rss[MM_ANONPAGES], 1);
	for (u64 i = 0; i < NP; i++)
		if (i != 3)
			assert_null(pte_page(mm, BASE + i * PAGE_SIZE, NULL));
	assert_int_equal(copy_from_user(mm, buf, BASE + 3 * PAGE_SIZE, 7), 0);
	assert_string_equal((char *)buf, "pagoda");
	while (hog) {
		p = hog;
		hog = (struct page *)p->private;
		p->private = 0;
		free_page(p);
	}
	drain_pcp_pages();
	assert_int_equal(nr_free_pages(), free0);
	/* with the memory back it works, and munlock undoes it */
	assert_int_equal(do_mlock(mm, BASE, NP * PAGE_SIZE, true), 0);
	assert_int_equal(vm_stat[NR_MLOCK], NP);
	assert_int_equal(mm->locked_vm, NP);
	assert_int_equal(do_mlock(mm, BASE, NP * PAGE_SIZE, false), 0);
	assert_int_equal(vm_stat[NR_MLOCK], 0);
	assert_int_equal(do_munmap(mm, BASE, NP * PAGE_SIZE), 0);
}

/* One munmap over two VMAs that share a last-level table, with a hole
 * between them: every page of both goes back (the table is freed only
 * once both are zapped; freeing it with the first VMA's zap lost the
 * second's pages, found by fuzz_migrate). */
static void munmap_over_two_vmas_in_one_table_frees_both(void **state)
{
	u64 tables0 = mm->pgt.nr_tables;

	(void)state;
	map(mm, BASE, 2, RW, NULL, 0);
	map(mm, BASE + 4 * PAGE_SIZE, 2, RW, NULL, 0);
	for (unsigned i = 0; i < 6; i++)
		if (i < 2 || i >= 4)
			assert_int_equal(fault(mm, BASE + i * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_ANON), 0);
	assert_int_equal(mm->rss[MM_ANONPAGES], 4);
	assert_int_equal(do_munmap(mm, BASE, 6 * PAGE_SIZE), 0);
	assert_int_equal(mm->rss[MM_ANONPAGES], 0);
	for (int l = 0; l < NR_LRU_LISTS; l++)
		assert_int_equal(lru_count[l], 0);
	assert_int_equal(mm->pgt.nr_tables, tables0); /* the tables the faults made are gone */
}

/* ---- uaccess ------------------------------------------------------------ */

/* A file or shmem object with more pages than a slot array can index (on a
 * 32-bit build: a size_t count) is refused, never given a truncated array. */
static void oversized_address_space_is_refused(void **state)
{
	struct address_space big;

	(void)state;
	assert_int_equal(address_space_init(&big, "big", (1ULL << 44) + PAGE_SIZE, &fake_ops, NULL, 8), -ENOMEM);
	/* 2^38 + 64 pages: cut to 32 bits, 64 slots and a 1-word bitmap */
	assert_int_equal(address_space_init(&big, "huge", ((1ULL << 38) + 64) * PAGE_SIZE, &fake_ops, NULL, 8), -ENOMEM);
	assert_int_equal(address_space_init(&big, "wrap", ~0ULL - 10, &fake_ops, NULL, 8), -ENOMEM);
	assert_null(shmem_create((1ULL << 44) + PAGE_SIZE));
}

static void uaccess_faults_like_the_app(void **state)
{
	char buf[64];
	struct page *p;

	(void)state;
	map(mm, BASE, 4, RW, NULL, 0);
	map(mm, 0x600000ULL, 2, RO, &file, 0);
	/* into an untouched page: allocated as by a write fault */
	assert_int_equal(copy_to_user(mm, BASE + 100, "hello", 6), 0);
	assert_int_equal(fault_kind_count[FAULT_KIND_ANON], 1);
	assert_int_equal(mm->rss[MM_ANONPAGES], 1);
	assert_string_equal((char *)kva(mm, BASE) + 100, "hello");
	assert_int_equal(copy_from_user(mm, buf, BASE + 100, 6), 0);
	assert_string_equal(buf, "hello");
	/* a read of an untouched page maps the zero page; a write then copies it */
	assert_int_equal(copy_from_user(mm, buf, BASE + PAGE_SIZE, 16), 0);
	assert_ptr_equal(pte_page(mm, BASE + PAGE_SIZE, NULL), zero_page);
	assert_int_equal(clear_user(mm, BASE + PAGE_SIZE + 8, 8), 0);
	p = pte_page(mm, BASE + PAGE_SIZE, NULL);
	assert_ptr_not_equal(p, zero_page);
	assert_int_equal(fault_kind_count[FAULT_KIND_COW], 1);
	/* across a page boundary */
	assert_int_equal(copy_to_user(mm, BASE + 2 * PAGE_SIZE - 3, "0123456789", 10), 0);
	assert_int_equal(copy_from_user(mm, buf, BASE + 2 * PAGE_SIZE - 3, 10), 0);
	assert_memory_equal(buf, "0123456789", 10);
	/* a read-only VMA: reads work, writes are -EFAULT */
	assert_int_equal(copy_from_user(mm, buf, 0x600000ULL, 8), 0);
	assert_int_equal(copy_to_user(mm, 0x600000ULL, "x", 1), -EFAULT);
	assert_int_equal(fault_kind_count[FAULT_KIND_ACCERR], 1);
	/* nothing there, NULL, the kernel half, a wrapping range */
	assert_int_equal(copy_to_user(mm, 0x30000000ULL, "x", 1), -EFAULT);
	assert_int_equal(copy_from_user(mm, buf, 0, 1), -EFAULT);
	assert_int_equal(copy_to_user(mm, 0, "x", 1), -EFAULT);
	assert_int_equal(copy_from_user(mm, buf, 0xffff000000001000ULL, 1), -EFAULT);
	assert_int_equal(copy_to_user(mm, 0xffffffffffff0000ULL, "x", 1), -EFAULT);
	/* a range that wraps past 2^64 (any size_t can express this one) */
	assert_int_equal(clear_user(mm, ~0ULL - 7, 16), -EFAULT);
	assert_false(access_ok(~0ULL - 7, 16));
	assert_int_equal(strncpy_from_user(mm, buf, 0xffff800000000000ULL, 8), -EFAULT);
	assert_int_equal(strncpy_from_user(mm, buf, 0, 8), -EFAULT);
	assert_false(access_ok(USER_VA_END - 4, 8));
	assert_true(access_ok(USER_VA_END - 4, 4));
	/* the last page of the range (BASE + 3 pages) stays untouched */
	assert_null(pte_page(mm, BASE + 3 * PAGE_SIZE, NULL));
}

static void strncpy_from_user_cases(void **state)
{
	u64 edge = BASE + PAGE_SIZE;
	char buf[32];

	(void)state;
	map(mm, BASE, 2, RW, NULL, 0);
	/* "pagoda" straddles the page boundary */
	assert_int_equal(copy_to_user(mm, edge - 3, "pagoda", 7), 0);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(strncpy_from_user(mm, buf, edge - 3, sizeof(buf)), 6);
	assert_string_equal(buf, "pagoda");
	assert_int_equal(strncpy_from_user(mm, buf, edge - 3, 7), 6); /* exactly fits with its NUL */
	assert_int_equal(strncpy_from_user(mm, buf, edge - 3, 6), -ENAMETOOLONG);
	assert_int_equal(strncpy_from_user(mm, buf, edge - 3, 0), -ENAMETOOLONG);
	assert_int_equal(strncpy_from_user(mm, buf, edge, 4), 3); /* "oda" */
	assert_string_equal(buf, "oda");
	/* no NUL before the end of the mapping: -EFAULT, not a read past it */
	memset(kva(mm, edge), 'z', PAGE_SIZE);
	assert_int_equal(strncpy_from_user(mm, buf, edge + PAGE_SIZE - 4, 32), -EFAULT);
	assert_int_equal(strncpy_from_user(mm, buf, edge + PAGE_SIZE - 4, 4), -ENAMETOOLONG);
	/* an empty string */
	assert_int_equal(strncpy_from_user(mm, buf, BASE + 50, 8), 0); /* page 0 is zero: "" */
	assert_int_equal(buf[0], 0);
}


/* ---- swap entries and the access flag ----------------------------------- */

/* A fake swap backend: slot (type, offset) holds the pattern of offset. */
static unsigned swapins, swapfrees, last_free_type;
static u64 last_free_offset;
static int swapin_rc;

static int fake_swap_in(unsigned type, u64 offset, struct page *page, bool write)
{
	u32 *w = page_address(page);

	(void)type;
	(void)write;
	swapins++;
	if (swapin_rc)
		return swapin_rc;
	for (unsigned i = 0; i < PAGE_SIZE / 4; i++)
		w[i] = pattern(offset, i);
	return 0;
}

static void fake_swap_free(unsigned type, u64 offset)
{
	swapfrees++;
	last_free_type = type;
	last_free_offset = offset;
}

static const struct swap_ops fake_swap = { .swap_in = fake_swap_in, .swap_free = fake_swap_free };

static pte_t raw_pte(struct mm_struct *m, u64 va)
{
	pte_t e = 0;

	pgt_query_entry(&m->pgt, va, &e, NULL);
	return e;
}

/* No swap backend: a fault on a swap entry is an error (SIGBUS), never a
 * zero page; the entry stays; zap just clears it and frees its table. */
static void swap_fault_without_backend_fails(void **state)
{
	struct vm_area_struct *v;
	u64 free0, tables0 = mm->pgt.nr_tables;
	struct fault_info fi;

	(void)state;
	swap_ops_register(NULL);
	v = map(mm, BASE, 16, RW, NULL, 0);
	assert_int_equal(set_swap_pte(v, BASE + PAGE_SIZE, 2, 99), 0);
	assert_int_equal(set_swap_pte(v, BASE + PAGE_SIZE, 2, 100), -EEXIST);
	assert_int_equal(mm->rss[MM_SWAPENTS], 1);
	free0 = nr_free_pages();
	for (unsigned a = FAULT_READ; a <= FAULT_WRITE; a <<= 1)
		assert_int_equal(fault(mm, BASE + PAGE_SIZE + 8, a, FAULT_KIND_SWAPERR), -EIO);
	assert_int_equal(nr_free_pages(), free0);
	assert_null(pte_page(mm, BASE + PAGE_SIZE, NULL));
	assert_int_equal(raw_pte(mm, BASE + PAGE_SIZE), arch_pte_mk_swap(2, 99));
	assert_int_equal(mm->min_flt + mm->maj_flt, 0);
	/* the kernel's uaccess sees the same error */
	assert_int_equal(copy_from_user(mm, &fi, BASE + PAGE_SIZE, 8), -EFAULT);
	/* a neighbour's fault and zap leave the entry and its table alone */
	assert_int_equal(fault(mm, BASE, FAULT_WRITE, FAULT_KIND_ANON), 0);
	zap_page_range(v, BASE, BASE + PAGE_SIZE);
	assert_int_equal(raw_pte(mm, BASE + PAGE_SIZE), arch_pte_mk_swap(2, 99));
	zap_page_range(v, BASE, v->end);
	assert_int_equal(raw_pte(mm, BASE + PAGE_SIZE), 0);
	assert_int_equal(mm->rss[MM_SWAPENTS], 0);
	assert_int_equal(pgt_unmap(&mm->pgt, BASE, 16 * PAGE_SIZE), 0);
	assert_int_equal(mm->pgt.nr_tables, tables0);
}

/* With a backend: a major fault that brings the data back, frees the
 * slot, and maps an exclusive anon page; zap frees the slots of the
 * entries it clears; a backend error changes nothing. */
static void swap_in_and_zap_use_the_backend(void **state)
{
	struct vm_area_struct *v;
	struct page *p;
	unsigned attrs;
	u64 free0;

	(void)state;
	swapins = swapfrees = 0;
	swapin_rc = 0;
	swap_ops_register(&fake_swap);
	mm->pgt.live = true;
	v = map(mm, BASE, 16, RW, NULL, 0);
	assert_int_equal(set_swap_pte(v, BASE, 5, 1234), 0);
	assert_int_equal(set_swap_pte(v, BASE + 3 * PAGE_SIZE, 6, 77), 0);
	assert_int_equal(set_swap_pte(v, BASE + 4 * PAGE_SIZE, 6, 78), 0);
	assert_int_equal(mm->rss[MM_SWAPENTS], 3);

	/* backend failure: nothing changes (the VMA's anon_vma made first) */
	assert_int_equal(fault(mm, BASE + 8 * PAGE_SIZE, FAULT_WRITE, FAULT_KIND_ANON), 0);
	swapin_rc = -EIO;
	free0 = nr_free_pages();
	assert_int_equal(fault(mm, BASE + 4 * PAGE_SIZE, FAULT_READ, FAULT_KIND_SWAPERR), -EIO);
	assert_int_equal(nr_free_pages(), free0);
	assert_int_equal(raw_pte(mm, BASE + 4 * PAGE_SIZE), arch_pte_mk_swap(6, 78));
	assert_int_equal(swapfrees, 0);
	swapin_rc = 0;

	assert_int_equal(fault(mm, BASE + 40, FAULT_READ, FAULT_KIND_SWAP), 0);
	assert_int_equal(mm->maj_flt, 1);
	assert_int_equal(mm->min_flt, 1);
	assert_true(page_has_pattern(kva(mm, BASE), 1234));
	p = pte_page(mm, BASE, &attrs);
	assert_true(page_is_anon(p));
	assert_int_equal(p->mapcount, 1);
	assert_true(attrs & MMU_WRITE); /* exclusive: writable at once */
	assert_int_equal(swapfrees, 1);
	assert_int_equal(last_free_type, 5);
	assert_int_equal(last_free_offset, 1234);
	assert_int_equal(mm->rss[MM_SWAPENTS], 2);
	assert_int_equal(mm->rss[MM_ANONPAGES], 2);
	/* the next access is no fault at all; a write finds the page writable */
	assert_int_equal(fault(mm, BASE, FAULT_WRITE, FAULT_KIND_SPURIOUS), 0);

	/* zap over pages and swap entries: each slot freed once */
	zap_page_range(v, BASE, BASE + 4 * PAGE_SIZE);
	assert_int_equal(swapfrees, 2);
	assert_int_equal(last_free_offset, 77);
	assert_int_equal(raw_pte(mm, BASE + 3 * PAGE_SIZE), 0);
	assert_int_equal(raw_pte(mm, BASE + 4 * PAGE_SIZE), arch_pte_mk_swap(6, 78));
	assert_int_equal(mm->rss[MM_SWAPENTS], 1);
	assert_int_equal(mm->rss[MM_ANONPAGES], 1);
	/* munmap-time zap of the rest */
	zap_page_range(v, BASE, v->end);
	assert_int_equal(swapfrees, 3);
	assert_int_equal(mm->rss[MM_SWAPENTS], 0);
	assert_int_equal(swapins, 2);
	swap_ops_register(NULL);
	mm->pgt.live = false;
}

/* Reclaim clears the access flag; the next access faults once, sets it
 * again (minor, in place) and runs on: never NOPROGRESS, however often. */
static void access_flag_faults_make_the_page_young(void **state)
{
	pte_t *ptep;
	u64 flushes;

	(void)state;
	mm->pgt.live = true;
	map(mm, BASE, 16, RW, NULL, 0);
	assert_int_equal(fault(mm, BASE, FAULT_WRITE, FAULT_KIND_ANON), 0);
	ptep = pgt_walk_pte(&mm->pgt, BASE, false);
	assert_true(arch_pte_is_young(*ptep));
	for (int i = 0; i < 3 * SPURIOUS_MAX; i++) {
		pte_t before;

		flushes = host_mmu.tlb_flushes;
		assert_true(pgt_test_and_clear_young(&mm->pgt, BASE));
		assert_int_equal(host_mmu.tlb_flushes, flushes + 1);
		before = *ptep;
		assert_false(arch_pte_is_young(before));
		assert_int_equal(fault(mm, BASE + 8, i & 1 ? FAULT_WRITE : FAULT_READ, FAULT_KIND_ACCESSED), 0);
		assert_int_equal(*ptep, arch_pte_mkyoung(before)); /* only AF changed */
	}
	assert_int_equal(fault_kind_count[FAULT_KIND_ACCESSED], 3 * SPURIOUS_MAX);
	assert_int_equal(fault_kind_count[FAULT_KIND_NOPROGRESS], 0);
	assert_int_equal(mm->min_flt, 1 + 3 * SPURIOUS_MAX);
	/* an old read-only zero page written: COW as usual, the copy young */
	assert_int_equal(fault(mm, BASE + PAGE_SIZE, FAULT_READ, FAULT_KIND_ZERO), 0);
	assert_true(pgt_test_and_clear_young(&mm->pgt, BASE + PAGE_SIZE));
	assert_int_equal(fault(mm, BASE + PAGE_SIZE, FAULT_WRITE, FAULT_KIND_COW), 0);
	assert_true(arch_pte_is_young(*pgt_walk_pte(&mm->pgt, BASE + PAGE_SIZE, false)));
	mm->pgt.live = false;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(classify_table),
		T(oversized_address_space_is_refused),
		T(reads_of_untouched_anon_map_the_zero_page),
		T(writes_of_untouched_anon_allocate),
		T(write_after_read_copies_the_zero_page),
		T(private_file_shared_then_copied),
		T(rmap_finds_every_mapping),
		T(zap_returns_every_page),
		T(munmap_over_two_vmas_in_one_table_frees_both),
		T(shmem_is_shared_between_mms),
		T(failures_change_nothing),
		T(out_of_memory_is_reported),
		T(protection_and_mlock),
		T(populate_and_readahead_of_files),
		T(spurious_faults_end_in_noprogress),
		T(failed_mlock_undoes_everything),
		T(uaccess_faults_like_the_app),
		T(strncpy_from_user_cases),
		T(swap_fault_without_backend_fails),
		T(swap_in_and_zap_use_the_backend),
		T(access_flag_faults_make_the_page_young),
	};

	return cmocka_run_group_tests_name("fault", tests, NULL, NULL);
}
