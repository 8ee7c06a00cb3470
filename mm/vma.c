/*
 * The VMA set of an mm (include/mm/vma.h): each VMA is in two indexes at
 * once, and the two always hold the same VMAs in the same order:
 *
 *   mm->vma_tree   rbtree keyed by vma->start: vma_lookup/find_vma, O(log n)
 *   mm->vma_list   list sorted by start: ordered walks, neighbours, gaps
 *   mm->vma_cache  the VMA the last lookup found (faults hit the same VMA
 *                  again and again); cleared when that VMA is unlinked
 *
 * Terminology and struct layouts: include/mm/mm_types.h. Besides the mm's
 * indexes a linked VMA sits on
 *   file->i_mmap      (vma->shared_link) if it maps a file or shmem object;
 *   anon_vma->vmas    (vma->anon_link) once it has an anon_vma.
 * References: a VMA holds one reference on its file (address_space.refs,
 * taken by vma_alloc, dropped by vma_free) and one on its anon_vma
 * (anon_vma.refs, the VMAs pointing at it; split halves share one). An
 * unlinked VMA is off every list but keeps both references until
 * vma_free, so the refs of an anon_vma are >= the length of its list.
 * anon_vmas are freed with kfree(), which releases any slab object, so it
 * does not matter which cache created them (mm/rmap.c's anon_vma_prepare).
 *
 * Accounting: vma_link/vma_unlink and the extent changes of split and merge
 * keep mm->total_vm (pages in VMAs) and mm->locked_vm (pages in VM_LOCKED
 * VMAs) equal to the sums over the set; vma_check verifies it. Callers
 * that change VM_LOCKED of a linked VMA adjust locked_vm themselves.
 *
 * Gap search walks the list (O(n)): apps have tens of VMAs, not thousands.
 *
 * Locking: none here (see mm_types.h: one CPU, no preemption in the
 * kernel; the mm is only touched from its own task's syscalls and faults).
 */
#include <errno.h>
#include <arch/layout.h>
#include <lib/panic.h>
#include <mm/filemap.h>
#include <mm/slab.h>
#include <mm/vma.h>
#include <stdio.h>
#include <string.h>

static struct kmem_cache *vma_cachep, *anon_vma_cachep;

void vma_cache_init(void)
{
	vma_cachep = kmem_cache_create("vm_area_struct", sizeof(struct vm_area_struct), 0, SLAB_PANIC, NULL);
	anon_vma_cachep = kmem_cache_create("anon_vma", sizeof(struct anon_vma), 0, SLAB_PANIC, NULL);
}

static inline u64 vma_pages(const struct vm_area_struct *v) { return (v->end - v->start) >> PAGE_SHIFT; }

/* Add (sign +1) or remove (-1) pages of a linked VMA to the mm's totals. */
static void account(struct mm_struct *mm, u64 flags, u64 pages, int sign)
{
	mm->total_vm += sign * pages;
	if (flags & VM_LOCKED)
		mm->locked_vm += sign * pages;
}

struct vm_area_struct *vma_alloc(struct mm_struct *mm, u64 start, u64 end, u64 flags,
				 struct address_space *file, u64 pgoff, const char *name)
{
	struct vm_area_struct *v;

	BUG_ON(start >= end || !IS_ALIGNED(start, PAGE_SIZE) || !IS_ALIGNED(end, PAGE_SIZE));
	v = kmem_cache_alloc(vma_cachep, GFP_KERNEL | __GFP_ZERO);
	if (!v)
		return NULL;
	v->start = start;
	v->end = end;
	v->flags = flags;
	v->mm = mm;
	v->file = file;
	v->pgoff = file ? pgoff : start >> PAGE_SHIFT;
	v->name = name;
	INIT_LIST_HEAD(&v->list);
	INIT_LIST_HEAD(&v->shared_link);
	INIT_LIST_HEAD(&v->anon_link);
	if (file)
		file->refs++;
	return v;
}

static void anon_vma_put(struct anon_vma *av)
{
	BUG_ON(av->refs == 0);
	if (--av->refs == 0) {
		BUG_ON(!list_empty(&av->vmas));
		kfree(av);
	}
}

void vma_free(struct vm_area_struct *v)
{
	if (!v)
		return;
	BUG_ON(v->rb.parent || v->rb.left || v->rb.right || !list_empty(&v->list));
	if (v->anon_vma) {
		if (!list_empty(&v->anon_link))
			list_del(&v->anon_link);
		anon_vma_put(v->anon_vma);
	}
	if (v->file)
		address_space_put(v->file);
	kmem_cache_free(vma_cachep, v);
}

/* list_del that leaves the entry empty (list_empty() true), not poisoned. */
static void unlink_entry(struct list_head *e)
{
	list_del(e);
	INIT_LIST_HEAD(e);
}

int vma_link(struct mm_struct *mm, struct vm_area_struct *v)
{
	struct rb_node **link = &mm->vma_tree.node, *parent = NULL;
	struct vm_area_struct *prev = NULL, *next = NULL;

	while (*link) {
		struct vm_area_struct *cur = rb_entry(*link, struct vm_area_struct, rb);

		parent = *link;
		if (v->start < cur->start) {
			next = cur;
			link = &parent->left;
		} else {
			prev = cur;
			link = &parent->right;
		}
	}
	/* prev: the last VMA starting at or below v, next: the first above */
	if ((prev && prev->end > v->start) || (next && next->start < v->end))
		return -EEXIST;
	rb_link_node(&v->rb, parent, link);
	rb_insert_color(&v->rb, &mm->vma_tree);
	list_add(&v->list, prev ? &prev->list : &mm->vma_list);
	if (v->file)
		list_add_tail(&v->shared_link, &v->file->i_mmap);
	if (v->anon_vma && list_empty(&v->anon_link))
		list_add_tail(&v->anon_link, &v->anon_vma->vmas);
	v->mm = mm;
	mm->map_count++;
	account(mm, v->flags, vma_pages(v), +1);
	return 0;
}

void vma_unlink(struct mm_struct *mm, struct vm_area_struct *v)
{
	BUG_ON(v->mm != mm || list_empty(&v->list));
	rb_erase(&v->rb, &mm->vma_tree);
	unlink_entry(&v->list);
	if (v->file)
		unlink_entry(&v->shared_link);
	if (v->anon_vma && !list_empty(&v->anon_link))
		unlink_entry(&v->anon_link);
	if (mm->vma_cache == v)
		mm->vma_cache = NULL;
	mm->map_count--;
	account(mm, v->flags, vma_pages(v), -1);
}

struct vm_area_struct *vma_lookup(struct mm_struct *mm, u64 addr)
{
	struct vm_area_struct *c = mm->vma_cache;
	struct rb_node *n = mm->vma_tree.node;

	if (c && addr >= c->start && addr < c->end)
		return c;
	while (n) {
		c = rb_entry(n, struct vm_area_struct, rb);
		if (addr < c->start) {
			n = n->left;
		} else if (addr >= c->end) {
			n = n->right;
		} else {
			mm->vma_cache = c;
			return c;
		}
	}
	return NULL;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, u64 addr)
{
	struct vm_area_struct *c = mm->vma_cache, *best = NULL;
	struct rb_node *n = mm->vma_tree.node;

	if (c && addr >= c->start && addr < c->end)
		return c;
	while (n) {
		c = rb_entry(n, struct vm_area_struct, rb);
		if (c->end > addr) {
			best = c; /* a candidate; a lower one may exist on the left */
			if (c->start <= addr)
				break;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *v)
{
	return v->list.next == &mm->vma_list ? NULL : list_entry(v->list.next, struct vm_area_struct, list);
}

struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *v)
{
	return v->list.prev == &mm->vma_list ? NULL : list_entry(v->list.prev, struct vm_area_struct, list);
}

struct vm_area_struct *vma_split(struct mm_struct *mm, struct vm_area_struct *v, u64 addr)
{
	struct vm_area_struct *n;
	u64 old_end = v->end;

	BUG_ON(addr <= v->start || addr >= v->end || !IS_ALIGNED(addr, PAGE_SIZE));
	n = vma_alloc(mm, addr, v->end, v->flags, v->file, v->pgoff + ((addr - v->start) >> PAGE_SHIFT), v->name);
	if (!n)
		return NULL;
	n->anon_vma = v->anon_vma;
	if (n->anon_vma)
		n->anon_vma->refs++; /* vma_link puts n on its list */
	account(mm, v->flags, (old_end - addr) >> PAGE_SHIFT, -1);
	v->end = addr; /* the key (start) is unchanged: v stays where it is in the tree */
	if (vma_link(mm, n))
		panic("vma_split: [%#llx, %#llx) overlaps after the split", (unsigned long long)addr,
		      (unsigned long long)old_end);
	return n;
}

static bool same_name(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

/* May a (below) and b (directly above) become one VMA? */
static bool can_merge(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	if (a->end != b->start || a->flags != b->flags || a->file != b->file || !same_name(a->name, b->name))
		return false;
	if (a->anon_vma && b->anon_vma && a->anon_vma != b->anon_vma)
		return false;
	return a->pgoff + vma_pages(a) == b->pgoff;
}

/* Absorb hi (directly above lo) into lo and free hi. */
static void absorb(struct mm_struct *mm, struct vm_area_struct *lo, struct vm_area_struct *hi)
{
	u64 pages = vma_pages(hi);

	if (!lo->anon_vma && hi->anon_vma) {
		lo->anon_vma = hi->anon_vma;
		lo->anon_vma->refs++;
		list_add_tail(&lo->anon_link, &lo->anon_vma->vmas);
	}
	vma_unlink(mm, hi);
	lo->end = hi->end;
	account(mm, lo->flags, pages, +1);
	vma_free(hi);
}

struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *v)
{
	struct vm_area_struct *prev = vma_prev(mm, v), *next = vma_next(mm, v);

	if (prev && can_merge(prev, v)) {
		absorb(mm, prev, v);
		v = prev;
	}
	if (next && can_merge(v, next))
		absorb(mm, v, next);
	return v;
}

u64 vma_find_gap_topdown(struct mm_struct *mm, u64 len, u64 lo, u64 hi)
{
	struct vm_area_struct *v;
	u64 top = hi; /* the gap being looked at ends here */

	if (!len || hi < lo || hi - lo < len)
		return 0;
	for (v = list_entry(mm->vma_list.prev, struct vm_area_struct, list); &v->list != &mm->vma_list;
	     v = list_entry(v->list.prev, struct vm_area_struct, list)) {
		if (v->start >= top)
			continue; /* wholly above */
		if (v->end < top) {
			u64 bottom = MAX(v->end, lo);

			if (top - bottom >= len)
				return top - len;
		}
		top = v->start;
		if (top <= lo || top - lo < len)
			return 0;
	}
	return top - len;
}

#define CHECK(cond, ...)                                       \
	do {                                                   \
		if (!(cond)) {                                 \
			printf("vma_check: " __VA_ARGS__);     \
			printf("\n");                          \
			return -1;                             \
		}                                              \
	} while (0)

int vma_check(struct mm_struct *mm)
{
	struct vm_area_struct *v, *last = NULL;
	struct rb_node *n = rb_first(&mm->vma_tree);
	u64 count = 0, total = 0, locked = 0;
	bool cache_found = mm->vma_cache == NULL;

	CHECK(rb_check(&mm->vma_tree) >= 0, "rbtree invariants broken");
	for_each_vma(mm, v) {
		unsigned long long s = v->start, e = v->end;

		CHECK(v->start < v->end && IS_ALIGNED(v->start, PAGE_SIZE) && IS_ALIGNED(v->end, PAGE_SIZE),
		      "bad range [%#llx, %#llx)", s, e);
		CHECK(v->start >= USER_VA_START && v->end <= USER_VA_END, "[%#llx, %#llx) outside user VA", s, e);
		CHECK(!last || last->end <= v->start, "[%#llx, %#llx) overlaps or is out of order", s, e);
		CHECK(v->mm == mm, "[%#llx, %#llx) belongs to another mm", s, e);
		CHECK(n == &v->rb, "tree and list disagree at [%#llx, %#llx)", s, e);
		CHECK(v->file || v->pgoff == v->start >> PAGE_SHIFT, "anon [%#llx, %#llx) pgoff %#llx", s, e,
		      (unsigned long long)v->pgoff);
		CHECK(!v->file || !list_empty(&v->shared_link), "file [%#llx, %#llx) not on i_mmap", s, e);
		CHECK(!v->anon_vma || (v->anon_vma->refs > 0 && !list_empty(&v->anon_link)),
		      "[%#llx, %#llx) not on its anon_vma", s, e);
		CHECK(v->anon_vma || list_empty(&v->anon_link), "[%#llx, %#llx) on an anon_vma list it lacks", s, e);
		if (v == mm->vma_cache)
			cache_found = true;
		total += vma_pages(v);
		if (v->flags & VM_LOCKED)
			locked += vma_pages(v);
		count++;
		last = v;
		n = rb_next(n);
	}
	CHECK(n == NULL, "the tree has more VMAs than the list");
	CHECK(count == mm->map_count, "map_count %u, %llu VMAs", mm->map_count, (unsigned long long)count);
	CHECK(total == mm->total_vm, "total_vm %llu, VMAs hold %llu pages", (unsigned long long)mm->total_vm,
	      (unsigned long long)total);
	CHECK(locked == mm->locked_vm, "locked_vm %llu, locked VMAs hold %llu pages",
	      (unsigned long long)mm->locked_vm, (unsigned long long)locked);
	CHECK(cache_found, "vma_cache points outside the set");
	return 0;
}
