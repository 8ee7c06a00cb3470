/*
 * The slab's per-CPU working sets (mm/slab_cpu.c) on the host fixture
 * board: frees into a slab of the working set that is not the CPU slab
 * take no lock and are reused; frees from another (simulated) CPU go to
 * the owner's remote list and are collected by it; /proc/slabinfo's
 * active objects stay exact through all of it; empty slabs go back to the
 * page allocator on kmem_cache_shrink and kmem_cache_destroy.
 * Other CPUs are simulated with slab_set_cpu() (mm/slab_internal.h).
 */
#include <arch/phys.h>
#include <errno.h>
#include <host.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../mm/slab_internal.h"
#include "mm_fixture.h"

#define N 64 /* objects of kmalloc-256: four order-0 slabs of 16 */

static u64 free0;

static int setup(void **state)
{
	(void)state;
	slab_set_cpu(0);
	fix_mm_setup(false, false);
	kmem_cache_init("");
	free0 = nr_free_pages();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	slab_set_cpu(0);
	fix_mm_teardown();
	return 0;
}

/* active_objs of a cache in /proc/slabinfo's format (-1 if absent). */
static long active_objs(const char *name)
{
	char *buf = NULL, nm[64];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	long found = -1;

	show_slabinfo(f);
	fclose(f);
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		unsigned long a;

		if (sscanf(l, "%63s %lu", nm, &a) == 2 && !strcmp(nm, name))
			found = (long)a;
	}
	free(buf);
	return found;
}

static void fill_slabs(void **o, struct kmem_cache **s)
{
	for (int i = 0; i < N; i++)
		o[i] = kmalloc(256, GFP_KERNEL);
	*s = slab_page_of(o[0])->mapping;
	assert_int_equal((*s)->objects, 16);
	assert_ptr_equal((*s)->cpu[0].slab, slab_page_of(o[N - 1]));
	assert_ptr_not_equal((*s)->cpu[0].slab, slab_page_of(o[0]));
}

static void free_into_older_slab_is_local_and_reused(void **state)
{
	void *o[N], *again[32];
	struct kmem_cache *s;
	struct page *first;
	u64 slow, remote;
	bool reused = false;

	(void)state;
	fill_slabs(o, &s);
	first = slab_page_of(o[0]);
	assert_int_equal(slab_owner(first), 1); /* in CPU 0's working set */
	slow = s->stats.free_slow;
	remote = s->stats.free_remote;
	kfree(o[3]);
	kfree(o[5]);
	/* pushed on that slab's own freelist: no node list, no lock */
	assert_int_equal(s->stats.free_slow, slow);
	assert_int_equal(s->stats.free_remote, remote);
	assert_ptr_equal((void *)first->private, o[5]);
	assert_int_equal(first->mapcount, 14);
	assert_int_equal(s->cpu[0].nr_partial, 1);
	assert_int_equal(active_objs("kmalloc-256"), N - 2);
	/* once the CPU slab is used up, the partial slab is the next one */
	for (int i = 0; i < 2; i++) {
		again[i] = kmalloc(256, GFP_KERNEL);
		reused |= again[i] == o[3] || again[i] == o[5];
	}
	assert_true(reused);
	assert_ptr_equal(s->cpu[0].slab, first);
	assert_int_equal(s->stats.free_slow, slow);
	o[3] = again[0];
	o[5] = again[1];
	for (int i = 0; i < N; i++)
		kfree(o[i]);
	assert_int_equal(active_objs("kmalloc-256"), 0);
	kmem_cache_shrink_all();
	assert_int_equal(nr_free_pages(), free0);
}

/* A slab on c->full carries SLAB_OWNER_FULL (kfree's one-compare test
 * fails for it); its first free, by kfree or kmem_cache_free, moves it to
 * c->partial and clears the bit, and the next frees are plain local ones. */
static void a_full_slab_leaves_c_full_on_its_first_free(void **state)
{
	void *o[N];
	struct kmem_cache *s;
	struct page *first, *second;

	(void)state;
	fill_slabs(o, &s);
	first = slab_page_of(o[0]);
	second = slab_page_of(o[16]);
	assert_int_equal(s->cpu[0].nr_full, 3);
	assert_true(slab_owner_word(first) & SLAB_OWNER_FULL);
	assert_int_equal(slab_owner(first), 1);
	assert_false(slab_owner_word(s->cpu[0].slab) & SLAB_OWNER_FULL);
	kfree(o[4]);
	assert_false(slab_owner_word(first) & SLAB_OWNER_FULL);
	assert_int_equal(s->cpu[0].nr_full, 2);
	assert_int_equal(s->cpu[0].nr_partial, 1);
	assert_ptr_equal(s->cpu[0].partial.next, &first->lru);
	kfree(o[5]); /* now a partial slab: straight on its list */
	assert_ptr_equal((void *)first->private, o[5]);
	assert_ptr_equal(slab_get_fp(s, o[5]), o[4]);
	assert_int_equal(first->mapcount, 14);
	kmem_cache_free(s, o[17]);
	assert_false(slab_owner_word(second) & SLAB_OWNER_FULL);
	assert_int_equal(s->cpu[0].nr_full, 1);
	assert_int_equal(s->cpu[0].nr_partial, 2);
	assert_int_equal(s->stats.free_slow + s->stats.free_remote, 0);
	assert_int_equal(active_objs("kmalloc-256"), N - 3);
	for (int i = 0; i < N; i++)
		if (i != 4 && i != 5 && i != 17)
			kfree(o[i]);
	assert_int_equal(active_objs("kmalloc-256"), 0);
	kmem_cache_shrink_all();
	assert_int_equal(nr_free_pages(), free0);
}

/* kmalloc-1024 slabs are two pages: an object in the tail page finds its
 * head and is freed locally too, whether its slab is full or the CPU slab. */
static void frees_in_a_tail_page_are_local(void **state)
{
	void *o[16];
	struct kmem_cache *s;
	struct page *full, *cpu;
	int tail_full = -1, tail_cpu = -1;

	(void)state;
	for (int i = 0; i < 16; i++)
		o[i] = kmalloc(1024, GFP_KERNEL);
	s = slab_page_of(o[0])->mapping;
	assert_int_equal(s->order, 1);
	full = slab_page_of(o[0]);
	cpu = s->cpu[0].slab;
	assert_true(slab_owner_word(full) & SLAB_OWNER_FULL);
	for (int i = 0; i < 16; i++) {
		bool tail = PAGE_FLAG(linear_page(o[i]), PG_slab_tail);

		if (tail && slab_page_of(o[i]) == full)
			tail_full = i;
		if (tail && slab_page_of(o[i]) == cpu)
			tail_cpu = i;
	}
	assert_true(tail_full >= 0 && tail_cpu >= 0);
	kfree(o[tail_full]);
	kfree(o[tail_cpu]);
	assert_ptr_equal((void *)full->private, o[tail_full]);
	assert_ptr_equal((void *)cpu->private, o[tail_cpu]);
	assert_false(slab_owner_word(full) & SLAB_OWNER_FULL);
	assert_int_equal(s->stats.free_slow + s->stats.free_remote, 0);
	assert_int_equal(active_objs("kmalloc-1024"), 14);
	for (int i = 0; i < 16; i++)
		if (i != tail_full && i != tail_cpu)
			kfree(o[i]);
	assert_int_equal(active_objs("kmalloc-1024"), 0);
	kmem_cache_shrink_all();
	assert_int_equal(nr_free_pages(), free0);
}

static void remote_free_is_collected_by_the_owner(void **state)
{
	void *o[N], *mine, *got[N];
	struct kmem_cache *s;
	unsigned found = 0;

	(void)state;
	fill_slabs(o, &s);
	slab_set_cpu(1);
	kfree(o[0]);     /* a full slab of CPU 0's working set */
	kfree(o[N - 1]); /* CPU 0's CPU slab */
	assert_int_equal(s->stats.free_remote, 2);
	assert_int_equal(s->remote[0].nr, 2);
	assert_int_equal(active_objs("kmalloc-256"), N - 2);
	/* CPU 1 takes a slab of its own, none of CPU 0's */
	mine = kmalloc(256, GFP_KERNEL);
	assert_int_equal(slab_owner(slab_page_of(mine)), 2);
	for (int i = 0; i < N; i++)
		assert_ptr_not_equal(slab_page_of(mine), slab_page_of(o[i]));
	kfree(mine); /* its own CPU slab: not remote */
	assert_int_equal(s->stats.free_remote, 2);
	slab_set_cpu(0);
	/* CPU 0 collects them when its CPU slab runs dry */
	for (int i = 0; i < N; i++) {
		got[i] = kmalloc(256, GFP_KERNEL);
		found += got[i] == o[0] || got[i] == o[N - 1];
	}
	assert_int_equal(found, 2);
	assert_int_equal(s->remote[0].nr, 0);
	assert_int_equal(active_objs("kmalloc-256"), 2 * N - 2);
	for (int i = 1; i < N - 1; i++)
		kfree(o[i]);
	for (int i = 0; i < N; i++)
		kfree(got[i]);
	assert_int_equal(active_objs("kmalloc-256"), 0);
	kmem_cache_shrink_all();
	slab_set_cpu(1);
	kmem_cache_shrink_all();
	slab_set_cpu(0);
	assert_int_equal(nr_free_pages(), free0);
}

static void remote_frees_of_a_whole_working_set_come_back_on_shrink(void **state)
{
	void *o[N];
	struct kmem_cache *s;

	(void)state;
	fill_slabs(o, &s);
	slab_set_cpu(1);
	for (int i = 0; i < N; i++)
		kfree(o[i]);
	assert_int_equal(active_objs("kmalloc-256"), 0);
	assert_int_equal(s->remote[0].nr, N);
	/* nothing of CPU 0's is touched by CPU 1's shrink */
	kmem_cache_shrink_all();
	assert_int_equal(s->remote[0].nr, N);
	slab_set_cpu(0);
	assert_true(kmem_cache_shrink(s) >= (u64)N / s->objects);
	assert_int_equal(s->nr_slabs, 0);
	kmem_cache_shrink_all();
	assert_int_equal(nr_free_pages(), free0);
}

static void empty_slabs_kept_per_cpu_are_bounded_and_shrinkable(void **state)
{
	enum { M = 2048 };
	void **o = calloc(M, sizeof(*o));
	struct kmem_cache *s;
	u64 kept;

	(void)state;
	for (int i = 0; i < M; i++)
		o[i] = kmalloc(256, GFP_KERNEL);
	s = slab_page_of(o[0])->mapping;
	for (int i = M; i-- > 0;)
		kfree(o[i]);
	assert_int_equal(s->cpu[0].nr_empty, s->cpu_empty_max);
	assert_int_equal(s->nr_empty, SLAB_MAX_EMPTY);
	kept = free0 - nr_free_pages();
	assert_true(kept <= ((u64)s->cpu_empty_max + SLAB_MAX_EMPTY + 1) << s->order); /* + the CPU slab */
	assert_int_equal(kmem_cache_shrink_all(), kept);
	assert_int_equal(nr_free_pages(), free0);
	free(o);
}

/* One burst of n kmalloc-256 objects (16 per slab), freed newest first;
 * returns the slabs the burst had to make. */
static u64 burst(void **o, int n, struct kmem_cache **s)
{
	u64 made;

	o[0] = kmalloc(256, GFP_KERNEL);
	*s = slab_page_of(o[0])->mapping;
	made = (*s)->stats.slabs_allocated;
	for (int i = 1; i < n; i++)
		o[i] = kmalloc(256, GFP_KERNEL);
	made = (*s)->stats.slabs_allocated - made;
	for (int i = n; i-- > 0;)
		kfree(o[i]);
	return made;
}

/* A CPU that has to make new slabs after giving empty ones away keeps more
 * empty slabs: bursts that fit under the cap stop making slabs, bigger ones
 * keep the cap (and no more); a shrink gives them all back and the budget
 * starts over. */
static void churn_grows_the_empty_budget_up_to_its_cap(void **state)
{
	enum { FITS = 40 * 16, BIG = 128 * 16 };
	void **o = calloc(BIG, sizeof(*o));
	struct kmem_cache *s;
	u64 made = 0;

	(void)state;
	burst(o, FITS, &s);
	assert_int_equal(s->cpu[0].empty_max, s->cpu_empty_max); /* the first burst finds nothing given away */
	assert_int_equal(s->cpu_empty_cap, (256u << 10) / PAGE_SIZE);
	for (int round = 0; round < 4; round++)
		made = burst(o, FITS, &s);
	assert_int_equal(made, 0); /* 40 slabs: kept by the CPU and the node lists */
	assert_true(s->cpu[0].empty_max >= 40 - SLAB_MAX_EMPTY - 1);
	for (int round = 0; round < 6; round++)
		burst(o, BIG, &s);
	assert_int_equal(s->cpu[0].empty_max, s->cpu_empty_cap);
	assert_true(s->cpu[0].nr_empty <= s->cpu_empty_cap);
	assert_true(burst(o, BIG, &s) > 0); /* 128 slabs do not fit: the cap holds */
	kmem_cache_shrink_all();
	assert_int_equal(s->cpu[0].empty_max, s->cpu_empty_max);
	assert_int_equal(s->cpu[0].nr_empty, 0);
	assert_int_equal(nr_free_pages(), free0);
	free(o);
}

static void destroy_takes_back_every_cpus_slabs(void **state)
{
	struct kmem_cache *c = kmem_cache_create("twocpu", 100, 0, 0, NULL);
	void *a[40], *b[40];

	(void)state;
	assert_non_null(c);
	for (int i = 0; i < 40; i++)
		a[i] = kmem_cache_alloc(c, GFP_KERNEL);
	slab_set_cpu(1);
	for (int i = 0; i < 40; i++)
		b[i] = kmem_cache_alloc(c, GFP_KERNEL);
	for (int i = 0; i < 40; i++)
		kmem_cache_free(c, a[i]); /* remote for CPU 0 */
	assert_int_equal(active_objs("twocpu"), 40);
	slab_set_cpu(0);
	assert_int_equal(kmem_cache_destroy(c), -EBUSY); /* b[] still live */
	assert_int_equal(active_objs("twocpu"), 40);
	for (int i = 0; i < 40; i++)
		kmem_cache_free(c, b[i]); /* remote for CPU 1 */
	assert_int_equal(active_objs("twocpu"), 0);
	assert_int_equal(kmem_cache_destroy(c), 0);
	kmem_cache_shrink_all();
	assert_int_equal(nr_free_pages(), free0);
}

/* Hardened free pointers also on the working-set and remote lists. */
static void free_pointers_stay_hardened_off_the_cpu_slab(void **state)
{
	void *o[N];
	struct kmem_cache *s;
	struct page *first;

	(void)state;
	fill_slabs(o, &s);
	first = slab_page_of(o[0]);
	kfree(o[1]);
	kfree(o[2]);
	assert_ptr_equal(slab_get_fp(s, o[2]), o[1]);
	assert_int_not_equal(*(uintptr_t *)((char *)o[2] + s->offset), (uintptr_t)o[1]);
	slab_set_cpu(1);
	kfree(o[20]);
	kfree(o[21]);
	assert_ptr_equal(s->remote[0].list, o[21]);
	assert_ptr_equal(slab_get_fp(s, o[21]), o[20]);
	assert_int_not_equal(*(uintptr_t *)((char *)o[21] + s->offset), (uintptr_t)o[20]);
	slab_set_cpu(0);
	assert_ptr_equal((void *)first->private, o[2]);
	for (int i = 0; i < N; i++)
		if (i != 1 && i != 2 && i != 20 && i != 21)
			kfree(o[i]);
	kmem_cache_shrink_all();
	assert_int_equal(nr_free_pages(), free0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(free_into_older_slab_is_local_and_reused),
		T(a_full_slab_leaves_c_full_on_its_first_free),
		T(frees_in_a_tail_page_are_local),
		T(remote_free_is_collected_by_the_owner),
		T(remote_frees_of_a_whole_working_set_come_back_on_shrink),
		T(empty_slabs_kept_per_cpu_are_bounded_and_shrinkable),
		T(churn_grows_the_empty_budget_up_to_its_cap),
		T(destroy_takes_back_every_cpus_slabs),
		T(free_pointers_stay_hardened_off_the_cpu_slab),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
