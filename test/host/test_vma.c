/*
 * The VMA set (mm/vma.c) and the address-space calls built on it
 * (mm/mmap.c) on the fixture board, with the page level replaced by the
 * recording stubs of test/host/stub_memory.c: link/lookup/find_vma and
 * the lookup cache, split and merge (compatible and incompatible
 * neighbours, anon_vma sharing, file pgoff and i_mmap), munmap inside one
 * VMA and across several (exactly the mapped pages zapped), mprotect of a
 * middle part and back (one VMA again), brk, the top-down gap search,
 * MAP_FIXED replacing, each errno of mmap/munmap/mprotect/madvise/mlock
 * with nothing changed on failure, mlock/madvise, table-page and
 * total_vm/locked_vm accounting, and 2,000 random mmap/munmap/mprotect
 * calls on a 64-page window against a per-page model, vma_check after each.
 */
#include <arch/layout.h>
#include <errno.h>
#include <host.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <uapi/pagoda/syscall.h>
#include <cmocka.h>

#include "mm_fixture.h"
#include "stub_memory.h"

#define PG PAGE_SIZE
#define BASE 0x10000000ULL /* test mappings live around here */
#define RW (PROT_READ | PROT_WRITE)
#define PRIV_FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
#define VM_MAY_ALL (VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

static struct mm_struct *mm;
static u64 free_at_start;

static int dummy_readpage(struct address_space *as, u64 index, void *dst)
{
	(void)as, (void)index, (void)dst;
	return 0;
}
static const struct address_space_ops img_ops = { .readpage = dummy_readpage };
static struct address_space img, img2; /* read-only app-image files, owner ref 1 */

static u64 free_pages_now(void)
{
	kmem_cache_shrink_all();
	drain_pcp_pages();
	return nr_free_pages();
}

static void file_init(struct address_space *as, const char *name)
{
	*as = (struct address_space){ .name = name, .size = 64 * PG, .nr_slots = 64, .ops = &img_ops, .refs = 1 };
	INIT_LIST_HEAD(&as->i_mmap);
}

static int setup(void **state)
{
	(void)state;
	fix_mm_setup(false, false);
	kmem_cache_init("");
	vma_cache_init();
	host_mmu_reset();
	stub_reset();
	memset(vm_stat, 0, sizeof(vm_stat));
	file_init(&img, "/apps/a");
	file_init(&img2, "/apps/b");
	free_at_start = free_pages_now();
	mm = mm_create();
	assert_non_null(mm);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (mm)
		mm_destroy(mm);
	assert_int_equal(vm_stat[NR_USER_PAGETABLES], 0);
	assert_int_equal(img.refs, 1);
	assert_int_equal(img2.refs, 1);
	assert_int_equal(stub_shmem_live, 0);
	assert_int_equal(free_pages_now(), free_at_start); /* VMAs, mm and tables all returned */
	fix_mm_teardown();
	return 0;
}

/* ---- helpers -------------------------------------------------------------- */

static struct vm_area_struct *add(u64 start, u64 end, u64 flags)
{
	struct vm_area_struct *v = vma_alloc(mm, start, end, flags, NULL, 0, NULL);

	assert_non_null(v);
	assert_int_equal(vma_link(mm, v), 0);
	return v;
}

static s64 anon_at(u64 addr, u64 pages, unsigned prot)
{
	return do_mmap(mm, addr, pages * PG, prot, PRIV_FIXED, NULL, 0, 0, NULL);
}

struct span {
	u64 start, end, prot;
};

/* The set is exactly these VMAs (start, end, VM_READ|WRITE|EXEC), in order. */
static void expect_vmas(const struct span *s, unsigned n)
{
	struct vm_area_struct *v;
	unsigned i = 0;

	assert_int_equal(vma_check(mm), 0);
	for_each_vma(mm, v) {
		assert_true(i < n);
		assert_int_equal(v->start, s[i].start);
		assert_int_equal(v->end, s[i].end);
		assert_int_equal(v->flags & VM_PROT_MASK, s[i].prot);
		i++;
	}
	assert_int_equal(i, n);
}
#define EXPECT(...)                                                   \
	do {                                                          \
		const struct span s_[] = { __VA_ARGS__ };             \
		expect_vmas(s_, ARRAY_SIZE(s_));                      \
	} while (0)

/* The recorded calls of one kind, as (start, end) pairs, equal these. */
static void expect_calls(enum stub_op op, const u64 *ranges, unsigned n)
{
	unsigned k = 0;

	for (unsigned i = 0; i < stub_nr_calls; i++) {
		if (stub_calls[i].op != op)
			continue;
		assert_true(k < n);
		assert_int_equal(stub_calls[i].start, ranges[2 * k]);
		assert_int_equal(stub_calls[i].end, ranges[2 * k + 1]);
		k++;
	}
	assert_int_equal(k, n);
}
#define CALLS(op, ...)                                                 \
	do {                                                           \
		const u64 r_[] = { __VA_ARGS__ };                      \
		expect_calls(op, r_, ARRAY_SIZE(r_) / 2);              \
	} while (0)
#define NO_CALLS(op) expect_calls(op, NULL, 0)

static unsigned list_len(const struct list_head *h)
{
	unsigned n = 0;
	const struct list_head *p;

	list_for_each(p, h)
		n++;
	return n;
}

static struct anon_vma *new_anon_vma(struct vm_area_struct *v)
{
	struct anon_vma *av = kzalloc(sizeof(*av), GFP_KERNEL); /* as anon_vma_prepare would */

	assert_non_null(av);
	INIT_LIST_HEAD(&av->vmas);
	av->refs = 1;
	v->anon_vma = av;
	list_add_tail(&v->anon_link, &av->vmas);
	return av;
}

/* ---- the VMA set ---------------------------------------------------------- */

static void link_lookup_find(void **state)
{
	(void)state;
	struct vm_area_struct *a = add(BASE + 4 * PG, BASE + 8 * PG, VM_READ);
	struct vm_area_struct *c = add(BASE + 20 * PG, BASE + 21 * PG, VM_READ);
	struct vm_area_struct *b = add(BASE + 10 * PG, BASE + 12 * PG, VM_READ | VM_WRITE);

	assert_int_equal(mm->map_count, 3);
	assert_int_equal(mm->total_vm, 7);
	assert_null(vma_lookup(mm, BASE + 3 * PG));
	assert_ptr_equal(vma_lookup(mm, BASE + 4 * PG), a);
	assert_ptr_equal(mm->vma_cache, a);
	assert_ptr_equal(vma_lookup(mm, BASE + 8 * PG - 1), a);
	assert_null(vma_lookup(mm, BASE + 8 * PG));
	assert_ptr_equal(vma_lookup(mm, BASE + 11 * PG + 5), b);
	assert_ptr_equal(mm->vma_cache, b);
	assert_ptr_equal(find_vma(mm, 0), a);
	assert_ptr_equal(find_vma(mm, BASE + 8 * PG), b);
	assert_ptr_equal(find_vma(mm, BASE + 12 * PG), c);
	assert_ptr_equal(find_vma(mm, BASE + 20 * PG + 7), c);
	assert_null(find_vma(mm, BASE + 21 * PG));
	assert_ptr_equal(vma_next(mm, a), b);
	assert_ptr_equal(vma_prev(mm, b), a);
	assert_null(vma_prev(mm, a));
	assert_null(vma_next(mm, c));

	/* overlaps are refused, touching is fine */
	struct vm_area_struct *x = vma_alloc(mm, BASE + 7 * PG, BASE + 9 * PG, VM_READ, NULL, 0, NULL);

	assert_int_equal(vma_link(mm, x), -EEXIST);
	vma_free(x);
	x = vma_alloc(mm, BASE, BASE + 30 * PG, VM_READ, NULL, 0, NULL);
	assert_int_equal(vma_link(mm, x), -EEXIST);
	vma_free(x);
	x = add(BASE + 8 * PG, BASE + 10 * PG, VM_EXEC);
	assert_int_equal(vma_check(mm), 0);

	/* unlink forgets the cached VMA */
	vma_lookup(mm, BASE + 8 * PG);
	assert_ptr_equal(mm->vma_cache, x);
	vma_unlink(mm, x);
	assert_null(mm->vma_cache);
	vma_free(x);
	assert_int_equal(mm->total_vm, 7);
	assert_int_equal(vma_check(mm), 0);
}

/* 500 single-page VMAs linked in random order: sorted, all found. */
static void link_many_random(void **state)
{
	enum { N = 500 };
	static unsigned order[N];

	(void)state;
	for (unsigned i = 0; i < N; i++)
		order[i] = i;
	srand(7);
	for (unsigned i = N - 1; i > 0; i--) {
		unsigned j = (unsigned)rand() % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (unsigned i = 0; i < N; i++)
		add(BASE + 2 * order[i] * PG, BASE + (2 * order[i] + 1) * PG, VM_READ);
	assert_int_equal(vma_check(mm), 0);
	for (unsigned i = 0; i < N; i++) {
		u64 a = BASE + 2 * i * PG;

		assert_int_equal(vma_lookup(mm, a)->start, a);
		assert_null(vma_lookup(mm, a + PG));
		if (i + 1 < N)
			assert_int_equal(find_vma(mm, a + PG)->start, a + 2 * PG);
		else
			assert_null(find_vma(mm, a + PG));
	}
}

static void split_shares_anon_vma_and_merges_back(void **state)
{
	(void)state;
	struct vm_area_struct *v = add(BASE, BASE + 8 * PG, VM_READ | VM_WRITE);
	struct anon_vma *av = new_anon_vma(v);
	struct vm_area_struct *hi = vma_split(mm, v, BASE + 3 * PG);

	assert_non_null(hi);
	EXPECT({ BASE, BASE + 3 * PG, VM_READ | VM_WRITE }, { BASE + 3 * PG, BASE + 8 * PG, VM_READ | VM_WRITE });
	assert_ptr_equal(hi->anon_vma, av);
	assert_int_equal(av->refs, 2);
	assert_int_equal(list_len(&av->vmas), 2);
	assert_int_equal(hi->pgoff, (BASE + 3 * PG) >> PAGE_SHIFT);
	assert_int_equal(mm->total_vm, 8);

	assert_ptr_equal(vma_merge(mm, hi), v); /* the lower one survives */
	EXPECT({ BASE, BASE + 8 * PG, VM_READ | VM_WRITE });
	assert_int_equal(av->refs, 1);
	assert_int_equal(list_len(&av->vmas), 1);
	assert_int_equal(mm->total_vm, 8);
}

static void split_file_vma(void **state)
{
	(void)state;
	struct vm_area_struct *v = vma_alloc(mm, BASE, BASE + 8 * PG, VM_READ, &img, 10, NULL);

	assert_int_equal(img.refs, 2);
	assert_int_equal(vma_link(mm, v), 0);
	assert_int_equal(list_len(&img.i_mmap), 1);
	struct vm_area_struct *hi = vma_split(mm, v, BASE + 5 * PG);

	assert_int_equal(hi->pgoff, 15);
	assert_ptr_equal(hi->file, &img);
	assert_int_equal(img.refs, 3);
	assert_int_equal(list_len(&img.i_mmap), 2);
	assert_int_equal(vma_check(mm), 0);
	assert_int_equal(do_munmap(mm, BASE, 5 * PG), 0);
	assert_int_equal(img.refs, 2);
	assert_int_equal(list_len(&img.i_mmap), 1);
	assert_ptr_equal(vma_merge(mm, hi), hi); /* nothing to merge with */
}

static void merge_rules(void **state)
{
	(void)state;
	u64 f = VM_READ | VM_WRITE;

	/* different flags, names or files: no merge */
	struct vm_area_struct *a = add(BASE, BASE + PG, f);
	struct vm_area_struct *b = add(BASE + PG, BASE + 2 * PG, f | VM_EXEC);

	assert_ptr_equal(vma_merge(mm, b), b);
	assert_int_equal(mm->map_count, 2);
	b->flags = f;
	b->name = "[heap]";
	assert_ptr_equal(vma_merge(mm, b), b);
	b->name = NULL;
	/* not touching: no merge */
	struct vm_area_struct *c = add(BASE + 3 * PG, BASE + 4 * PG, f);

	assert_ptr_equal(vma_merge(mm, c), c);
	assert_int_equal(mm->map_count, 3);

	/* different anon_vmas: no merge; one side without: merge, it gets the other's */
	struct anon_vma *aa = new_anon_vma(a), *ab = new_anon_vma(b);

	assert_ptr_equal(vma_merge(mm, b), b);
	vma_unlink(mm, a);
	vma_free(a); /* frees aa */
	(void)aa;
	a = add(BASE, BASE + PG, f);
	assert_ptr_equal(vma_merge(mm, b), a);
	assert_ptr_equal(a->anon_vma, ab);
	assert_int_equal(ab->refs, 1);
	assert_int_equal(list_len(&ab->vmas), 1);
	EXPECT({ BASE, BASE + 2 * PG, f }, { BASE + 3 * PG, BASE + 4 * PG, f });

	/* prev = A, v = none, next = B: merges with prev only (A != B) */
	struct vm_area_struct *mid = add(BASE + 2 * PG, BASE + 3 * PG, f);
	struct anon_vma *ac = new_anon_vma(c);

	assert_ptr_equal(vma_merge(mm, mid), a);
	EXPECT({ BASE, BASE + 3 * PG, f }, { BASE + 3 * PG, BASE + 4 * PG, f });
	assert_ptr_equal(c->anon_vma, ac);
	assert_int_equal(mm->total_vm, 4);

	/* file VMAs: same file with contiguous pgoff merge, a gap in pgoff does not */
	struct vm_area_struct *f1 = vma_alloc(mm, BASE + 10 * PG, BASE + 12 * PG, VM_READ, &img, 0, NULL);
	struct vm_area_struct *f2 = vma_alloc(mm, BASE + 12 * PG, BASE + 13 * PG, VM_READ, &img, 3, NULL);
	struct vm_area_struct *f3 = vma_alloc(mm, BASE + 13 * PG, BASE + 14 * PG, VM_READ, &img2, 4, NULL);

	vma_link(mm, f1);
	vma_link(mm, f2);
	vma_link(mm, f3);
	assert_ptr_equal(vma_merge(mm, f2), f2);
	f2->pgoff = 2;
	assert_ptr_equal(vma_merge(mm, f2), f1);
	assert_int_equal(f1->end, BASE + 13 * PG);
	assert_int_equal(img.refs, 2);
	assert_int_equal(list_len(&img.i_mmap), 1);
	assert_int_equal(vma_check(mm), 0);
}

static void gap_search(void **state)
{
	(void)state;
	add(BASE + 10 * PG, BASE + 12 * PG, VM_READ);
	add(BASE + 14 * PG, BASE + 20 * PG, VM_READ);
	add(BASE + 21 * PG, BASE + 22 * PG, VM_READ);
	assert_int_equal(vma_find_gap_topdown(mm, PG, BASE, BASE + 30 * PG), BASE + 29 * PG);
	assert_int_equal(vma_find_gap_topdown(mm, 8 * PG, BASE, BASE + 30 * PG), BASE + 22 * PG);
	assert_int_equal(vma_find_gap_topdown(mm, 9 * PG, BASE, BASE + 30 * PG), BASE + PG);
	assert_int_equal(vma_find_gap_topdown(mm, PG, BASE, BASE + 22 * PG), BASE + 20 * PG);
	assert_int_equal(vma_find_gap_topdown(mm, 2 * PG, BASE, BASE + 22 * PG), BASE + 12 * PG);
	assert_int_equal(vma_find_gap_topdown(mm, 3 * PG, BASE, BASE + 21 * PG), BASE + 7 * PG);
	assert_int_equal(vma_find_gap_topdown(mm, 3 * PG, BASE + 8 * PG, BASE + 21 * PG), 0);
	assert_int_equal(vma_find_gap_topdown(mm, 2 * PG, BASE + 12 * PG, BASE + 14 * PG), BASE + 12 * PG);
	assert_int_equal(vma_find_gap_topdown(mm, 2 * PG, BASE + 11 * PG, BASE + 15 * PG), BASE + 12 * PG);
	assert_int_equal(vma_find_gap_topdown(mm, 10 * PG, BASE, BASE + 9 * PG), 0);
	assert_int_equal(vma_find_gap_topdown(mm, 0, BASE, BASE + 9 * PG), 0);

	/* mmap without MAP_FIXED: top-down below mmap_base, then below that */
	u64 top = mm->mmap_base;

	assert_int_equal(top, USER_STACK_TOP - 16 * SZ_1M);
	assert_int_equal(do_mmap(mm, 0, 3 * PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL), top - 3 * PG);
	assert_int_equal(do_mmap(mm, 0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL), top - 4 * PG);
	/* a free hint is taken (page aligned up), a used one is not */
	assert_int_equal(do_mmap(mm, BASE + 30 * PG + 1, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL),
			 BASE + 31 * PG);
	assert_int_equal(do_mmap(mm, BASE + 10 * PG, PG, PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL),
			 top - 5 * PG);
	assert_int_equal(vma_check(mm), 0);
}

/* ---- munmap ----------------------------------------------------------------- */

static void munmap_middle(void **state)
{
	(void)state;
	assert_int_equal(anon_at(BASE, 8, RW), BASE);
	stub_reset();
	assert_int_equal(do_munmap(mm, BASE + 3 * PG, 2 * PG), 0);
	EXPECT({ BASE, BASE + 3 * PG, VM_READ | VM_WRITE }, { BASE + 5 * PG, BASE + 8 * PG, VM_READ | VM_WRITE });
	CALLS(STUB_ZAP, BASE + 3 * PG, BASE + 5 * PG);
	assert_int_equal(mm->total_vm, 6);
	/* the unaligned length covers the partial page */
	stub_reset();
	assert_int_equal(do_munmap(mm, BASE + 7 * PG, 1), 0);
	CALLS(STUB_ZAP, BASE + 7 * PG, BASE + 8 * PG);
	EXPECT({ BASE, BASE + 3 * PG, VM_READ | VM_WRITE }, { BASE + 5 * PG, BASE + 7 * PG, VM_READ | VM_WRITE });
}

static void munmap_across(void **state)
{
	(void)state;
	anon_at(BASE, 4, PROT_READ);
	anon_at(BASE + 4 * PG, 4, RW);
	anon_at(BASE + 10 * PG, 4, PROT_EXEC);
	anon_at(BASE + 20 * PG, 2, PROT_READ);
	EXPECT({ BASE, BASE + 4 * PG, VM_READ }, { BASE + 4 * PG, BASE + 8 * PG, VM_READ | VM_WRITE },
	       { BASE + 10 * PG, BASE + 14 * PG, VM_EXEC }, { BASE + 20 * PG, BASE + 22 * PG, VM_READ });
	stub_reset();
	assert_int_equal(do_munmap(mm, BASE + 2 * PG, 10 * PG), 0); /* [2, 12): partial, whole, hole, partial */
	CALLS(STUB_ZAP, BASE + 2 * PG, BASE + 4 * PG, BASE + 4 * PG, BASE + 8 * PG, BASE + 10 * PG, BASE + 12 * PG);
	EXPECT({ BASE, BASE + 2 * PG, VM_READ }, { BASE + 12 * PG, BASE + 14 * PG, VM_EXEC },
	       { BASE + 20 * PG, BASE + 22 * PG, VM_READ });
	/* nothing mapped there: 0, no zap */
	stub_reset();
	assert_int_equal(do_munmap(mm, BASE + 14 * PG, 6 * PG), 0);
	NO_CALLS(STUB_ZAP);
	/* the errors */
	assert_int_equal(do_munmap(mm, BASE + 1, PG), -EINVAL);
	assert_int_equal(do_munmap(mm, BASE, 0), -EINVAL);
	assert_int_equal(do_munmap(mm, BASE, ~0ULL - PG), -EINVAL);
	assert_int_equal(do_munmap(mm, USER_VA_END + PG, PG), -EINVAL);
	assert_int_equal(mm->map_count, 3);
	assert_int_equal(do_munmap(mm, 0, USER_VA_END), 0);
	assert_int_equal(mm->map_count, 0);
	assert_int_equal(mm->total_vm, 0);
}

/* ---- mprotect -------------------------------------------------------------- */

static void mprotect_middle_and_back(void **state)
{
	(void)state;
	anon_at(BASE, 8, RW);
	stub_reset();
	assert_int_equal(do_mprotect(mm, BASE + 3 * PG, 2 * PG, PROT_READ), 0);
	EXPECT({ BASE, BASE + 3 * PG, VM_READ | VM_WRITE }, { BASE + 3 * PG, BASE + 5 * PG, VM_READ },
	       { BASE + 5 * PG, BASE + 8 * PG, VM_READ | VM_WRITE });
	CALLS(STUB_PROTECT, BASE + 3 * PG, BASE + 5 * PG);
	stub_reset();
	assert_int_equal(do_mprotect(mm, BASE + 3 * PG, 2 * PG, RW), 0);
	EXPECT({ BASE, BASE + 8 * PG, VM_READ | VM_WRITE });
	CALLS(STUB_PROTECT, BASE + 3 * PG, BASE + 5 * PG);
	/* across two VMAs, up to the end */
	anon_at(BASE + 8 * PG, 2, PROT_NONE);
	assert_int_equal(do_mprotect(mm, BASE + 6 * PG, 4 * PG, PROT_EXEC), 0);
	/* two VMAs still: the first was charged to overcommit (VM_ACCOUNT), the
	 * PROT_NONE one never was, and Linux does not merge them either */
	EXPECT({ BASE, BASE + 6 * PG, VM_READ | VM_WRITE }, { BASE + 6 * PG, BASE + 8 * PG, VM_EXEC },
	       { BASE + 8 * PG, BASE + 10 * PG, VM_EXEC });
}

static void mprotect_errors(void **state)
{
	(void)state;
	anon_at(BASE, 4, RW);
	anon_at(BASE + 6 * PG, 2, RW);
	stub_reset();
	assert_int_equal(do_mprotect(mm, BASE + 2 * PG, 5 * PG, PROT_READ), -ENOMEM); /* hole at 4..6 */
	assert_int_equal(do_mprotect(mm, BASE - PG, 2 * PG, PROT_READ), -ENOMEM);     /* hole at the start */
	assert_int_equal(do_mprotect(mm, BASE + PG + 1, PG, PROT_READ), -EINVAL);
	assert_int_equal(do_mprotect(mm, BASE, PG, 0x8), -EINVAL);
	assert_int_equal(do_mprotect(mm, BASE, ~0ULL - PG, PROT_READ), -ENOMEM);
	assert_int_equal(do_mprotect(mm, BASE, 0, PROT_READ), 0);
	assert_int_equal(do_mprotect(mm, BASE + 4 * PG, 0, PROT_READ), 0);
	EXPECT({ BASE, BASE + 4 * PG, VM_READ | VM_WRITE }, { BASE + 6 * PG, BASE + 8 * PG, VM_READ | VM_WRITE });
	NO_CALLS(STUB_PROTECT);

	/* a shared mapping of a read-only file may never become writable */
	s64 a = do_mmap(mm, BASE + 10 * PG, 2 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, &img, 0, 0, NULL);

	assert_int_equal(a, BASE + 10 * PG);
	assert_int_equal(vma_lookup(mm, a)->flags & VM_MAYWRITE, 0);
	assert_int_equal(do_mprotect(mm, BASE + 6 * PG, 6 * PG, RW), -ENOMEM); /* the hole is found first, as Linux */
	anon_at(BASE + 8 * PG, 2, PROT_READ);
	assert_int_equal(do_mprotect(mm, BASE + 6 * PG, 6 * PG, RW), -EACCES);
	NO_CALLS(STUB_PROTECT);
	assert_int_equal(do_mprotect(mm, a, 2 * PG, PROT_READ | PROT_EXEC), 0);
	EXPECT({ BASE, BASE + 4 * PG, VM_READ | VM_WRITE }, { BASE + 6 * PG, BASE + 8 * PG, VM_READ | VM_WRITE },
	       { BASE + 8 * PG, BASE + 10 * PG, VM_READ }, { BASE + 10 * PG, BASE + 12 * PG, VM_READ | VM_EXEC });
}

/* ---- mmap ------------------------------------------------------------------ */

static void map_fixed_replaces(void **state)
{
	(void)state;
	anon_at(BASE, 4, PROT_READ);
	anon_at(BASE + 4 * PG, 4, RW);
	stub_reset();
	assert_int_equal(anon_at(BASE + 2 * PG, 4, PROT_EXEC), BASE + 2 * PG);
	CALLS(STUB_ZAP, BASE + 2 * PG, BASE + 4 * PG, BASE + 4 * PG, BASE + 6 * PG);
	EXPECT({ BASE, BASE + 2 * PG, VM_READ }, { BASE + 2 * PG, BASE + 6 * PG, VM_EXEC },
	       { BASE + 6 * PG, BASE + 8 * PG, VM_READ | VM_WRITE });
	/* the same protection as a neighbour: merged with it */
	assert_int_equal(anon_at(BASE + 5 * PG, 1, RW), BASE + 5 * PG);
	EXPECT({ BASE, BASE + 2 * PG, VM_READ }, { BASE + 2 * PG, BASE + 5 * PG, VM_EXEC },
	       { BASE + 5 * PG, BASE + 8 * PG, VM_READ | VM_WRITE });
	/* a private file mapping over it all */
	s64 a = do_mmap(mm, BASE, 8 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, &img, 2 * PG, 0, NULL);

	assert_int_equal(a, BASE);
	EXPECT({ BASE, BASE + 8 * PG, VM_READ });
	assert_ptr_equal(vma_lookup(mm, BASE)->file, &img);
	assert_int_equal(vma_lookup(mm, BASE)->pgoff, 2);
	assert_true(vma_lookup(mm, BASE)->flags & VM_MAYWRITE); /* private: COW may write */
	assert_int_equal(img.refs, 2);
}

static void mmap_errors(void **state)
{
	(void)state;
	anon_at(BASE, 2, RW);
	stub_reset();
	assert_int_equal(do_mmap(mm, 0, 0, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL), -EINVAL);
	assert_int_equal(do_mmap(mm, BASE + 1, PG, RW, PRIV_FIXED, NULL, 0, 0, NULL), -EINVAL);
	assert_int_equal(do_mmap(mm, 0, PG, RW, MAP_PRIVATE, &img, 100, 0, NULL), -EINVAL);
	assert_int_equal(do_mmap(mm, 0, PG, RW, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL), -EINVAL);
	assert_int_equal(do_mmap(mm, 0, PG, RW, MAP_ANONYMOUS, NULL, 0, 0, NULL), -EINVAL);
	assert_int_equal(do_mmap(mm, 0, PG, RW | 0x10, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL), -EINVAL);
	assert_int_equal(do_mmap(mm, 0, ~0ULL - 10, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL), -ENOMEM);
	assert_int_equal(do_mmap(mm, 0, USER_VA_END, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL), -ENOMEM);
	assert_int_equal(do_mmap(mm, USER_VA_END - PG, 2 * PG, RW, PRIV_FIXED, NULL, 0, 0, NULL), -ENOMEM);
	assert_int_equal(do_mmap(mm, ~0ULL - PG + 1, 2 * PG, RW, PRIV_FIXED, NULL, 0, 0, NULL), -ENOMEM);
	assert_int_equal(do_mmap(mm, 0, PG, RW, PRIV_FIXED, NULL, 0, 0, NULL), -EPERM); /* below USER_VA_START */
	assert_int_equal(do_mmap(mm, 0, PG, PROT_READ, MAP_PRIVATE, NULL, 0, 0, NULL), -EBADF);
	assert_int_equal(do_mmap(mm, 0, PG, RW, MAP_SHARED, &img, 0, 0, NULL), -EACCES);
	EXPECT({ BASE, BASE + 2 * PG, VM_READ | VM_WRITE }); /* nothing changed */
	assert_int_equal(stub_nr_calls, 0);
	assert_int_equal(img.refs, 1);

	/* anonymous with a file: the file is ignored */
	s64 a = do_mmap(mm, 0, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, &img, 0, 0, NULL);

	assert_true(a > 0);
	assert_null(vma_lookup(mm, a)->file);
	assert_int_equal(img.refs, 1);
	/* private writable mapping of the read-only file is fine (COW) */
	assert_true(do_mmap(mm, 0, PG, RW, MAP_PRIVATE, &img, 0, 0, NULL) > 0);
	assert_int_equal(vma_check(mm), 0);
}

static void shared_anonymous_is_shmem(void **state)
{
	(void)state;
	s64 a = do_mmap(mm, 0, 3 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, NULL, 0, 0, NULL);
	struct vm_area_struct *v = vma_lookup(mm, a);

	assert_true(a > 0);
	assert_non_null(v->file);
	assert_true(v->file->shmem);
	assert_int_equal(v->file->refs, 1); /* the VMA's: the creator's was dropped */
	assert_int_equal(v->pgoff, 0);
	assert_true(v->flags & VM_SHARED);
	assert_true(v->flags & VM_MAYWRITE);
	assert_int_equal(stub_shmem_live, 1);
	/* split: both halves hold the object; unmapping both frees it */
	assert_int_equal(do_mprotect(mm, a + PG, PG, PROT_READ), 0);
	assert_int_equal(v->file->refs, 3);
	assert_int_equal(vma_lookup(mm, a + 2 * PG)->pgoff, 2);
	assert_int_equal(do_munmap(mm, a, 2 * PG), 0);
	assert_int_equal(stub_shmem_live, 1);
	assert_int_equal(do_munmap(mm, a + 2 * PG, PG), 0);
	assert_int_equal(stub_shmem_live, 0);
}

static void populate_and_extra_flags(void **state)
{
	(void)state;
	stub_reset();
	s64 a = do_mmap(mm, 0, 4 * PG, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, NULL, 0, 0, NULL);

	CALLS(STUB_POPULATE, (u64)a, (u64)a + 4 * PG);
	s64 s = do_mmap(mm, USER_STACK_TOP - 4 * PG, 4 * PG, RW, PRIV_FIXED, NULL, 0, VM_GROWSDOWN, "[stack]");

	assert_int_equal(s, USER_STACK_TOP - 4 * PG);
	assert_true(vma_lookup(mm, s)->flags & VM_GROWSDOWN);
	assert_string_equal(vma_lookup(mm, s)->name, "[stack]");
	/* a hint right below the stack would take its guard page: not used */
	s64 h = do_mmap(mm, s - PG, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL);

	assert_int_not_equal(h, s - PG);
	assert_int_equal(vma_check(mm), 0);
}

/* ---- brk ----------------------------------------------------------------------- */

static void brk_grow_shrink_refuse(void **state)
{
	(void)state;
	u64 sb = BASE + 0x123;

	assert_int_equal(do_brk(mm, 0), 0); /* no heap set up: refused */
	mm->start_brk = mm->brk = sb;
	assert_int_equal(do_brk(mm, 0), sb);
	assert_int_equal(mm->map_count, 0);
	assert_int_equal(do_brk(mm, sb + 100), sb + 100); /* inside the first page... */
	assert_int_equal(do_brk(mm, sb + 3 * PG), sb + 3 * PG);
	assert_null(vma_lookup(mm, sb)); /* ...which is not the heap's: it starts page-aligned up */
	struct vm_area_struct *v = vma_lookup(mm, BASE + PG);

	assert_non_null(v);
	assert_int_equal(v->start, BASE + PG);
	assert_int_equal(v->end, BASE + 4 * PG);
	assert_true(v->flags & VM_HEAP);
	assert_string_equal(v->name, "[heap]");
	assert_int_equal(do_brk(mm, sb + 5 * PG), sb + 5 * PG);
	EXPECT({ BASE + PG, BASE + 6 * PG, VM_READ | VM_WRITE }); /* grew in place */
	stub_reset();
	assert_int_equal(do_brk(mm, sb + 2 * PG), sb + 2 * PG);
	CALLS(STUB_ZAP, BASE + 3 * PG, BASE + 6 * PG);
	EXPECT({ BASE + PG, BASE + 3 * PG, VM_READ | VM_WRITE });
	assert_int_equal(do_brk(mm, sb - 1), sb + 2 * PG); /* below start_brk */
	/* into another mapping: refused, nothing changes */
	anon_at(BASE + 8 * PG, 1, PROT_READ);
	assert_int_equal(do_brk(mm, BASE + 8 * PG + 1), sb + 2 * PG);
	assert_int_equal(do_brk(mm, BASE + 8 * PG), BASE + 8 * PG); /* up to it is fine */
	EXPECT({ BASE + PG, BASE + 8 * PG, VM_READ | VM_WRITE }, { BASE + 8 * PG, BASE + 9 * PG, VM_READ });
	assert_int_equal(do_brk(mm, USER_VA_END + PG), BASE + 8 * PG);
	assert_int_equal(do_brk(mm, sb), sb);
	EXPECT({ BASE + 8 * PG, BASE + 9 * PG, VM_READ });
}

/* ---- madvise and mlock -------------------------------------------------------- */

static void madvise_calls(void **state)
{
	(void)state;
	anon_at(BASE, 8, RW);
	s64 f = do_mmap(mm, BASE + 10 * PG, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, &img, 0, 0, NULL);

	assert_int_equal(f, BASE + 10 * PG);
	assert_int_equal(do_madvise(mm, BASE + 2 * PG, 2 * PG, MADV_RANDOM), 0);
	assert_int_equal(mm->map_count, 4);
	assert_true(vma_lookup(mm, BASE + 2 * PG)->flags & VM_RAND_READ);
	assert_false(vma_lookup(mm, BASE)->flags & VM_RAND_READ);
	assert_int_equal(do_madvise(mm, BASE + 2 * PG, 2 * PG, MADV_SEQUENTIAL), 0);
	assert_int_equal(vma_lookup(mm, BASE + 2 * PG)->flags & (VM_RAND_READ | VM_SEQ_READ), VM_SEQ_READ);
	assert_int_equal(do_madvise(mm, BASE, 8 * PG, MADV_NORMAL), 0);
	assert_int_equal(mm->map_count, 2); /* merged back */

	stub_reset();
	assert_int_equal(do_madvise(mm, BASE + 6 * PG, 6 * PG, MADV_WILLNEED), -ENOMEM); /* hole at 8..10 */
	CALLS(STUB_READAHEAD, BASE + 10 * PG, BASE + 12 * PG); /* file VMAs only */
	stub_reset();
	assert_int_equal(do_madvise(mm, BASE + 7 * PG, 4 * PG + 1, MADV_DONTNEED), -ENOMEM);
	CALLS(STUB_ZAP, BASE + 7 * PG, BASE + 8 * PG, BASE + 10 * PG, BASE + 12 * PG);
	stub_reset();
	assert_int_equal(do_madvise(mm, BASE + 1, PG, MADV_DONTNEED), -EINVAL);
	assert_int_equal(do_madvise(mm, BASE, PG, 42), -EINVAL);
	assert_int_equal(do_madvise(mm, BASE, ~0ULL - PG, MADV_DONTNEED), -EINVAL);
	assert_int_equal(do_madvise(mm, BASE + 20 * PG, PG, MADV_DONTNEED), -ENOMEM);
	assert_int_equal(do_madvise(mm, BASE, 0, MADV_DONTNEED), 0);
	assert_int_equal(do_mlock(mm, BASE + 3 * PG, PG, true), 0);
	stub_reset();
	assert_int_equal(do_madvise(mm, BASE, 8 * PG, MADV_DONTNEED), -EINVAL); /* a locked VMA in it */
	NO_CALLS(STUB_ZAP);
	assert_int_equal(vma_check(mm), 0);
}

static void mlock_munlock(void **state)
{
	(void)state;
	anon_at(BASE, 8, RW);
	stub_reset();
	assert_int_equal(do_mlock(mm, BASE + 2 * PG + 5, PG, true), 0); /* start rounded down, 2 pages */
	EXPECT({ BASE, BASE + 2 * PG, VM_READ | VM_WRITE }, { BASE + 2 * PG, BASE + 4 * PG, VM_READ | VM_WRITE },
	       { BASE + 4 * PG, BASE + 8 * PG, VM_READ | VM_WRITE });
	assert_true(vma_lookup(mm, BASE + 2 * PG)->flags & VM_LOCKED);
	assert_int_equal(mm->locked_vm, 2);
	CALLS(STUB_POPULATE, BASE + 2 * PG, BASE + 4 * PG);
	CALLS(STUB_MLOCK, BASE + 2 * PG, BASE + 4 * PG);
	assert_true(stub_calls[1].lock);
	/* locking it again does nothing more */
	stub_reset();
	assert_int_equal(do_mlock(mm, BASE + 2 * PG, 2 * PG, true), 0);
	assert_int_equal(stub_nr_calls, 0);
	assert_int_equal(mm->locked_vm, 2);
	/* munlock: back to one VMA */
	assert_int_equal(do_mlock(mm, BASE, 8 * PG, false), 0);
	CALLS(STUB_MLOCK, BASE + 2 * PG, BASE + 4 * PG);
	assert_false(stub_calls[0].lock);
	EXPECT({ BASE, BASE + 8 * PG, VM_READ | VM_WRITE });
	assert_int_equal(mm->locked_vm, 0);
	/* errors change nothing */
	assert_int_equal(do_mlock(mm, BASE + 6 * PG, 4 * PG, true), -ENOMEM);
	stub_populate_error = -ENOMEM; /* no memory to fault in: Linux's -EAGAIN */
	assert_int_equal(do_mlock(mm, BASE + 4 * PG, PG, true), -EAGAIN);
	EXPECT({ BASE, BASE + 8 * PG, VM_READ | VM_WRITE });
	assert_int_equal(mm->locked_vm, 0);
	stub_populate_error = -EIO; /* a page that cannot be read: Linux's -ENOMEM */
	assert_int_equal(do_mlock(mm, BASE + 4 * PG, PG, true), -ENOMEM);
	EXPECT({ BASE, BASE + 8 * PG, VM_READ | VM_WRITE });
	assert_int_equal(mm->locked_vm, 0);
	stub_populate_error = 0;
	assert_int_equal(do_mlock(mm, BASE, 0, true), 0);
	/* PROT_NONE: locked without faulting in */
	anon_at(BASE + 8 * PG, 2, PROT_NONE);
	stub_reset();
	assert_int_equal(do_mlock(mm, BASE + 8 * PG, 2 * PG, true), 0);
	NO_CALLS(STUB_POPULATE);
	assert_int_equal(mm->locked_vm, 2);
	/* munmap of a locked VMA drops locked_vm */
	assert_int_equal(do_munmap(mm, BASE + 9 * PG, PG), 0);
	assert_int_equal(mm->locked_vm, 1);
	assert_int_equal(vma_check(mm), 0);
}

/* Lengths near 2^64 that wrap when rounded up to pages (or added to the
 * start): Linux's errno, and nothing called or changed. */
static void range_wraps_change_nothing(void **state)
{
	/* start = BASE + off; what Linux returns for mlock (and munlock),
	 * mprotect and madvise; Pagoda's mlock says -EINVAL where Linux's
	 * rounds the length to 0 and returns 0 (mm/mmap.c) */
	static const struct { u64 off, len; int mlock, mprotect, madvise; } c[] = {
		{ 0, ~0ULL, -EINVAL, -ENOMEM, -EINVAL },           /* rounds up to 0 */
		{ 0, ~0ULL - 1, -EINVAL, -ENOMEM, -EINVAL },
		{ 0, -PG, -EINVAL, -ENOMEM, -EINVAL },             /* start + len wraps */
		{ 0, -2 * PG, -EINVAL, -ENOMEM, -EINVAL },
		{ 0, -BASE, -EINVAL, -ENOMEM, -EINVAL },           /* ends at 0 */
		{ 0, -(BASE + PG), -ENOMEM, -ENOMEM, -ENOMEM },    /* ends at -PG: not mapped */
		{ 0, 1ULL << 63, -ENOMEM, -ENOMEM, -ENOMEM },
		{ 1, ~0ULL, -EINVAL, -EINVAL, -EINVAL },           /* len + offset wraps */
		{ 1, -(BASE + PG), -EINVAL, -EINVAL, -EINVAL },    /* rounds to end at 0 */
		{ 1, -(BASE + 2 * PG), -ENOMEM, -EINVAL, -EINVAL },
	};

	(void)state;
	anon_at(BASE, 8, RW);
	assert_int_equal(do_mlock(mm, BASE + 2 * PG, 2 * PG, true), 0);
	stub_reset();
	for (unsigned i = 0; i < ARRAY_SIZE(c); i++) {
		u64 a = BASE + c[i].off;

		if (do_mlock(mm, a, c[i].len, true) != c[i].mlock || do_mlock(mm, a, c[i].len, false) != c[i].mlock ||
		    do_mprotect(mm, a, c[i].len, PROT_READ) != c[i].mprotect ||
		    do_madvise(mm, a, c[i].len, MADV_RANDOM) != c[i].madvise ||
		    do_madvise(mm, a, c[i].len, MADV_WILLNEED) != c[i].madvise)
			fail_msg("case %u: off %llu len %#llx", i, (unsigned long long)c[i].off,
				 (unsigned long long)c[i].len);
		assert_int_equal(do_munmap(mm, a, c[i].len), -EINVAL);
	}
	assert_int_equal(stub_nr_calls, 0);
	EXPECT({ BASE, BASE + 2 * PG, VM_READ | VM_WRITE }, { BASE + 2 * PG, BASE + 4 * PG, VM_READ | VM_WRITE },
	       { BASE + 4 * PG, BASE + 8 * PG, VM_READ | VM_WRITE });
	assert_true(vma_lookup(mm, BASE + 2 * PG)->flags & VM_LOCKED);
	assert_int_equal(mm->locked_vm, 2);
	assert_int_equal(do_mlock(mm, BASE + 1, 0, true), 0); /* as Linux: the partial page is locked */
	assert_true(vma_lookup(mm, BASE)->flags & VM_LOCKED);
}

/* ---- W^X --------------------------------------------------------------------- */

static void write_and_exec_never_together(void **state)
{
	(void)state;
	anon_at(BASE, 4, RW);
	assert_int_equal(do_mmap(mm, BASE + 8 * PG, PG, PROT_READ | PROT_EXEC, PRIV_FIXED, NULL, 0, 0, NULL),
			 BASE + 8 * PG);
	stub_reset();
	/* mmap: anonymous, fixed or not, shared, file-backed private */
	assert_int_equal(do_mmap(mm, 0, PG, RW | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL), -EACCES);
	assert_int_equal(do_mmap(mm, 0, PG, PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL),
			 -EACCES);
	assert_int_equal(do_mmap(mm, BASE, PG, RW | PROT_EXEC, PRIV_FIXED, NULL, 0, 0, NULL), -EACCES);
	assert_int_equal(do_mmap(mm, 0, PG, RW | PROT_EXEC, MAP_SHARED | MAP_ANONYMOUS, NULL, 0, 0, NULL), -EACCES);
	assert_int_equal(do_mmap(mm, 0, PG, RW | PROT_EXEC, MAP_PRIVATE, &img, 0, 0, NULL), -EACCES);
	/* mprotect to W+X: of the writable mapping (adding X), of the executable
	 * one (adding W), across both */
	assert_int_equal(do_mprotect(mm, BASE, 4 * PG, RW | PROT_EXEC), -EACCES);
	assert_int_equal(do_mprotect(mm, BASE + PG, PG, PROT_WRITE | PROT_EXEC), -EACCES);
	assert_int_equal(do_mprotect(mm, BASE + 8 * PG, PG, RW | PROT_EXEC), -EACCES);
	assert_int_equal(stub_nr_calls, 0);
	EXPECT({ BASE, BASE + 4 * PG, VM_READ | VM_WRITE }, { BASE + 8 * PG, BASE + 9 * PG, VM_READ | VM_EXEC });
	assert_int_equal(img.refs, 1);
	assert_int_equal(mm->total_vm, 5);
	/* the JIT's way: write in RW, then R+X; and back to RW */
	assert_int_equal(do_mprotect(mm, BASE + PG, PG, PROT_READ | PROT_EXEC), 0);
	assert_int_equal(do_mprotect(mm, BASE + 8 * PG, PG, RW), 0);
	EXPECT({ BASE, BASE + PG, VM_READ | VM_WRITE }, { BASE + PG, BASE + 2 * PG, VM_READ | VM_EXEC },
	       { BASE + 2 * PG, BASE + 4 * PG, VM_READ | VM_WRITE }, { BASE + 8 * PG, BASE + 9 * PG, VM_READ | VM_WRITE });
}

/* ---- mm lifetime ---------------------------------------------------------------- */

static void mm_tables_and_destroy(void **state)
{
	(void)state;
	assert_true(mm->pgt.user && mm->pgt.live);
	assert_int_equal(mm->pgt.va_bits, VA_BITS);
	assert_int_equal(vm_stat[NR_USER_PAGETABLES], (s64)mm->pgt.nr_tables);
	anon_at(BASE, 4, RW);
	anon_at(BASE + 8 * PG, 4, PROT_READ);
	do_mmap(mm, 0, PG, PROT_READ, MAP_PRIVATE, &img, 0, 0, NULL);
	stub_reset();
	mm_destroy(mm);
	mm = NULL;
	CALLS(STUB_ZAP, BASE, BASE + 4 * PG, BASE + 8 * PG, BASE + 12 * PG, USER_STACK_TOP - 16 * SZ_1M - PG,
	      USER_STACK_TOP - 16 * SZ_1M);
	/* teardown checks tables, file references and free pages */
}

/* ---- randomised, against a per-page model ------------------------------------------ */

#define WIN 64
static signed char model[WIN]; /* -1 unmapped, else the prot */

static u64 win_base(void) { return mm->mmap_base - WIN * PG; }

static void check_model(void)
{
	struct vm_area_struct *v, *prev = NULL;

	assert_int_equal(vma_check(mm), 0);
	for (unsigned p = 0; p < WIN; p++) {
		v = vma_lookup(mm, win_base() + p * PG);
		if (model[p] < 0) {
			assert_null(v);
		} else {
			assert_non_null(v);
			assert_int_equal(v->flags & VM_PROT_MASK, (u64)model[p]); /* PROT_x == VM_x */
		}
	}
	for_each_vma(mm, v) { /* maximal: no two touching VMAs with the same flags */
		assert_true(v->start >= win_base() && v->end <= mm->mmap_base);
		assert_false(prev && prev->end == v->start && prev->flags == v->flags);
		prev = v;
	}
}

/* The zaps recorded hit exactly the mapped pages of [p, p + n), once each. */
static void check_zaps(unsigned p, unsigned n)
{
	unsigned count[WIN] = { 0 };

	for (unsigned i = 0; i < stub_nr_calls; i++) {
		if (stub_calls[i].op != STUB_ZAP)
			continue;
		assert_true(stub_calls[i].start >= win_base() && stub_calls[i].end <= mm->mmap_base);
		assert_true(stub_calls[i].start >= stub_calls[i].vma->start && stub_calls[i].end <= stub_calls[i].vma->end);
		for (u64 a = stub_calls[i].start; a < stub_calls[i].end; a += PG)
			count[(a - win_base()) / PG]++;
	}
	for (unsigned i = 0; i < WIN; i++)
		assert_int_equal(count[i], i >= p && i < p + n && model[i] >= 0 ? 1 : 0);
}

static void random_against_model(void **state)
{
	(void)state;
	srand(12345);
	memset(model, -1, sizeof(model));
	for (unsigned op = 0; op < 2000; op++) {
		unsigned p = (unsigned)rand() % WIN, n = 1 + (unsigned)rand() % MIN(16u, WIN - p);
		unsigned prot = (unsigned)rand() % 8, kind = (unsigned)rand() % 4, mapped = 0;
		bool wx = (prot & (PROT_WRITE | PROT_EXEC)) == (PROT_WRITE | PROT_EXEC);
		u64 a = win_base() + p * PG;
		s64 r;

		for (unsigned i = p; i < p + n; i++)
			mapped += model[i] >= 0;
		stub_reset();
		if (wx) { /* W^X: refused with nothing touched; then without exec */
			assert_int_equal(anon_at(a, n, prot), -EACCES);
			assert_int_equal(do_mprotect(mm, a, n * PG, prot), -EACCES);
			assert_int_equal(do_mmap(mm, 0, n * PG, prot, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL), -EACCES);
			assert_int_equal(stub_nr_calls, 0);
			check_model();
			prot &= ~(unsigned)PROT_EXEC;
		}
		switch (kind) {
		case 0: /* MAP_FIXED */
			assert_int_equal(anon_at(a, n, prot), a);
			check_zaps(p, n);
			memset(model + p, (int)prot, n);
			break;
		case 1:
			assert_int_equal(do_munmap(mm, a, n * PG), 0);
			check_zaps(p, n);
			memset(model + p, -1, n);
			break;
		case 2: {
			unsigned pages = 0;

			r = do_mprotect(mm, a, n * PG, prot);
			if (mapped < n) {
				assert_int_equal(r, -ENOMEM);
				assert_int_equal(stub_nr_calls, 0);
				break;
			}
			assert_int_equal(r, 0);
			for (unsigned i = 0; i < stub_nr_calls; i++) {
				assert_int_equal(stub_calls[i].op, STUB_PROTECT);
				assert_true(stub_calls[i].start >= a && stub_calls[i].end <= a + n * PG);
				pages += (stub_calls[i].end - stub_calls[i].start) / PG;
			}
			assert_int_equal(pages, n); /* each page once (the ranges are disjoint VMAs) */
			memset(model + p, (int)prot, n);
			break;
		}
		default: { /* top-down: the highest free run of n pages (below the window all is free) */
			int q = -(int)n;

			for (int s = WIN - (int)n; s > -(int)n; s--) {
				int i = 0;

				while (i < (int)n && (s + i < 0 || model[s + i] < 0))
					i++;
				if (i == (int)n) {
					q = s;
					break;
				}
			}
			r = do_mmap(mm, 0, n * PG, prot, MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0, 0, NULL);
			assert_int_equal(r, win_base() + (s64)q * (s64)PG);
			if (q >= 0) {
				memset(model + q, (int)prot, n);
			} else { /* reaches below the window: take it away again */
				stub_reset();
				assert_int_equal(do_munmap(mm, (u64)r, n * PG), 0);
				u64 zapped = 0;

				for (unsigned i = 0; i < stub_nr_calls; i++) {
					assert_true(stub_calls[i].op == STUB_ZAP && stub_calls[i].start >= (u64)r &&
						    stub_calls[i].end <= (u64)r + n * PG);
					zapped += stub_calls[i].end - stub_calls[i].start;
				}
				assert_int_equal(zapped, n * PG);
				stub_reset();
			}
			assert_int_equal(stub_nr_calls, 0); /* no zap, no populate */
		}
		}
		check_model();
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(link_lookup_find),
		T(link_many_random),
		T(split_shares_anon_vma_and_merges_back),
		T(split_file_vma),
		T(merge_rules),
		T(gap_search),
		T(munmap_middle),
		T(munmap_across),
		T(mprotect_middle_and_back),
		T(mprotect_errors),
		T(map_fixed_replaces),
		T(mmap_errors),
		T(shared_anonymous_is_shmem),
		T(populate_and_extra_flags),
		T(brk_grow_shrink_refuse),
		T(madvise_calls),
		T(mlock_munlock),
		T(range_wraps_change_nothing),
		T(write_and_exec_never_together),
		T(mm_tables_and_destroy),
		T(random_against_model),
	};

	return cmocka_run_group_tests_name("vma", tests, NULL, NULL);
}
