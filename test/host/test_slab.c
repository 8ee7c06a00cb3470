/*
 * Slab caches and kmalloc (mm/slab.c, slab_debug.c, kmalloc.c) on the
 * host fixture board: size classes and alignment, no overlap under a
 * random workload, conservation of pages, large kmalloc, krealloc,
 * constructors and destroy, shrinking; and every debug check firing:
 * red zones catch 1..16-byte overflows and writes before an object,
 * poisoning catches writes after free, double/invalid/wrong-cache frees
 * are refused, corrupted free pointers are caught (and a free pointer
 * copied to another slot does not decode), leak tracking finds
 * the growing call site. Reports are captured and checked too.
 */
#include <arch/phys.h>
#include <errno.h>
#include <host.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../mm/slab_internal.h"
#include "mm_fixture.h"

static u64 free0;
static bool debug_on;

static int setup_with(const char *debug)
{
	fix_mm_setup(false, false);
	kmem_cache_init(debug);
	free0 = nr_free_pages();
	return 0;
}
static int setup(void **state) { (void)state; debug_on = false; return setup_with(""); }
static int setup_debug(void **state) { (void)state; debug_on = true; return setup_with("FZPU"); }
static int setup_fz(void **state) { (void)state; debug_on = true; return setup_with("FZ"); }
static int teardown(void **state)
{
	(void)state;
	fix_mm_teardown();
	return 0;
}

/* Capture what a block of code prints (glibc's stdout is assignable). */
static char *captured;
static size_t captured_len;
static FILE *saved_stdout;
static void capture_begin(void)
{
	fflush(stdout);
	saved_stdout = stdout;
	stdout = open_memstream(&captured, &captured_len);
}
static void capture_end(void)
{
	fclose(stdout);
	stdout = saved_stdout;
}

static void size_classes_and_alignment(void **state)
{
	static const struct { size_t ask, got; } cls[] = {
		{ 1, 8 }, { 8, 8 }, { 9, 16 }, { 33, 64 }, { 65, 96 }, { 96, 96 }, { 97, 128 },
		{ 129, 192 }, { 193, 256 }, { 257, 512 }, { 4097, 8192 }, { 8192, 8192 },
	};

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(cls); i++) {
		void *p = kmalloc(cls[i].ask, GFP_KERNEL);

		assert_non_null(p);
		/* with red zones, only what was asked for is usable */
		assert_int_equal(ksize(p), debug_on ? cls[i].ask : cls[i].got);
		assert_int_equal((uintptr_t)p % 8, 0);
		if (!(cls[i].got & (cls[i].got - 1)))
			assert_int_equal((uintptr_t)p % cls[i].got, 0); /* powers of two: naturally aligned */
		kfree(p);
	}
	assert_ptr_equal(kmalloc(0, GFP_KERNEL), (void *)16); /* ZERO_SIZE_PTR, and kfree ignores it */
	kfree((void *)16);
}

struct held {
	u8 *p;
	size_t n;
	u8 tag;
};

static int cmp_held(const void *a, const void *b)
{
	const struct held *x = a, *y = b;
	return x->p < y->p ? -1 : x->p > y->p;
}

static void random_workload_no_overlap_no_loss(void **state)
{
	static struct held h[2000];
	struct held sorted[2000];
	unsigned seed = 3, n;

	(void)state;
	memset(h, 0, sizeof(h));
	for (int it = 0; it < 60000; it++) {
		struct held *e = &h[rand_r(&seed) % 2000];
		unsigned op = rand_r(&seed) % 3;
		size_t sz = rand_r(&seed) % 4 ? 1 + rand_r(&seed) % 256 : 1 + rand_r(&seed) % 20000;

		if (e->p) {
			for (size_t i = 0; i < e->n; i++)
				assert_int_equal(e->p[i], e->tag); /* nobody scribbled on it */
		}
		if (op == 0 && e->p) {
			kfree(e->p);
			e->p = NULL;
		} else if (op == 1 && e->p) {
			u8 *q = krealloc(e->p, sz, GFP_KERNEL);
			assert_non_null(q);
			for (size_t i = 0; i < MIN(sz, e->n); i++)
				assert_int_equal(q[i], e->tag); /* content kept */
			e->p = q, e->n = sz;
			memset(q, e->tag, sz);
		} else if (!e->p) {
			e->p = kmalloc(sz, GFP_KERNEL);
			assert_non_null(e->p);
			e->n = sz, e->tag = (u8)(it | 1);
			memset(e->p, e->tag, sz);
		}
	}
	n = 0;
	for (int i = 0; i < 2000; i++)
		if (h[i].p)
			sorted[n++] = h[i];
	qsort(sorted, n, sizeof(sorted[0]), cmp_held);
	for (unsigned i = 1; i < n; i++)
		assert_true(sorted[i - 1].p + sorted[i - 1].n <= sorted[i].p);
	for (int i = 0; i < 2000; i++)
		kfree(h[i].p);
	kmem_cache_shrink_all();
	assert_int_equal(nr_free_pages(), free0); /* every slab page came back */
}

static void large_kmalloc_is_tracked(void **state)
{
	struct slab_totals t;
	void *p;

	(void)state;
	p = kmalloc(10000, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % PAGE_SIZE, 0);
	assert_int_equal(ksize(p), 16384);
	slab_totals(&t);
	assert_int_equal(t.large_kmalloc, 16384);
	assert_int_equal(nr_free_pages(), free0 - 4);
	kfree(p);
	slab_totals(&t);
	assert_int_equal(t.large_kmalloc, 0);
	assert_int_equal(nr_free_pages(), free0);
}

static void krealloc_semantics(void **state)
{
	char *p, *q;

	(void)state;
	p = krealloc(NULL, 20, GFP_KERNEL);
	strcpy(p, "hello, slab");
	q = krealloc(p, 10, GFP_KERNEL);
	assert_ptr_equal(q, p); /* shrinking keeps the block */
	q = krealloc(p, 300, GFP_KERNEL);
	assert_string_equal(q, "hello, slab");
	assert_int_equal(ksize(q), 512);
	assert_ptr_equal(krealloc(q, 0, GFP_KERNEL), (void *)16);
	kmem_cache_shrink_all();
	assert_int_equal(nr_free_pages(), free0);
}

static int ctor_calls;
static void ctor(void *obj)
{
	ctor_calls++;
	memset(obj, 0x77, 48);
}

static void cache_with_ctor_align_and_destroy(void **state)
{
	struct kmem_cache *c = kmem_cache_create("test-obj", 48, 64, SLAB_RECLAIM_ACCOUNT, ctor);
	void *o[100];
	struct slab_totals t;

	(void)state;
	assert_non_null(c);
	for (int i = 0; i < 100; i++) {
		o[i] = kmem_cache_alloc(c, GFP_KERNEL);
		assert_int_equal((uintptr_t)o[i] % 64, 0);
		assert_int_equal(((u8 *)o[i])[47], 0x77); /* constructed */
	}
	assert_true(ctor_calls >= 100);
	slab_totals(&t);
	assert_true(t.reclaimable > 0);
	assert_int_equal(kmem_cache_destroy(c), -EBUSY); /* objects are live */
	for (int i = 0; i < 100; i++)
		kmem_cache_free(c, o[i]);
	assert_int_equal(kmem_cache_destroy(c), 0);
	kmem_cache_shrink_all();
	assert_int_equal(nr_free_pages(), free0);
}

static void cache_whose_slot_outgrows_a_slab_is_refused(void **state)
{
	(void)state;
	/* 32 KiB object + free pointer after it (constructor) + 128 alignment > order-3 slab:
	 * found by fuzz_slab, once accepted as a cache that could never allocate */
	assert_null(kmem_cache_create("too-big", 32768, 128, 0, ctor));
	assert_null(kmem_cache_create("too-big2", 32769, 8, 0, NULL));
	assert_non_null(kmem_cache_create("just-fits", 32768, 8, 0, NULL));
}

static void empty_slabs_go_back_under_pressure(void **state)
{
	void *o[4096];
	u64 before_shrink;
	struct kmem_cache *s;

	(void)state;
	for (int i = 0; i < 4096; i++)
		o[i] = kmalloc(256, GFP_KERNEL);
	s = slab_page_of(o[0])->mapping;
	for (int i = 0; i < 4096; i++)
		kfree(o[i]);
	/* most empty slabs went back at once; a few are kept for reuse: in the
	 * CPU's working set (SLAB_CPU_EMPTY_BYTES, and its CPU slab) and on the
	 * node lists */
	before_shrink = nr_free_pages();
	assert_true(free0 - before_shrink <= ((u64)s->cpu_empty_max + SLAB_MAX_EMPTY + 1) << s->order);
	assert_true(kmem_cache_shrink_all() == free0 - before_shrink);
	assert_int_equal(nr_free_pages(), free0);
}

/* ---- debug ------------------------------------------------------------------ */

static void overflow_past_object_caught_every_time(void **state)
{
	(void)state;
	for (unsigned asked = 50; asked <= 64; asked += 14) { /* kmalloc redzone (50) and right redzone (64) */
		for (unsigned n = 1; n <= 16; n++) {
			u8 *p = kmalloc(asked, GFP_KERNEL);
			u64 before = slab_errors.redzone;

			memset(p, 1, asked + n); /* n bytes too many */
			capture_begin();
			kfree(p);
			capture_end();
			assert_int_equal(slab_errors.redzone, before + 1);
			assert_non_null(strstr(captured, "BUG kmalloc-64: "));
			assert_non_null(strstr(captured, "Redzone overwritten"));
			assert_non_null(strstr(captured, "Allocated by [<"));
			assert_non_null(strstr(captured, "quarantined"));
			free(captured);
			/* quarantined: never handed out again */
			for (int k = 0; k < 200; k++) {
				void *q = kmalloc(asked, GFP_KERNEL);
				assert_ptr_not_equal(q, p);
				kfree(q);
			}
		}
	}
}

static void write_before_object_caught(void **state)
{
	(void)state;
	for (unsigned n = 1; n <= 16; n++) {
		u8 *p = kmalloc(128, GFP_KERNEL);
		u64 before = slab_errors.redzone;

		p[-(int)n] = 0x41;
		capture_begin();
		kfree(p);
		capture_end();
		assert_int_equal(slab_errors.redzone, before + 1);
		assert_non_null(strstr(captured, "Left Redzone overwritten"));
		free(captured);
	}
}

static void write_after_free_caught(void **state)
{
	u8 *p, *q;
	u64 before = slab_errors.poison;

	(void)state;
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	p[10] = 0x41; /* use after free */
	capture_begin();
	q = kmalloc(64, GFP_KERNEL); /* LIFO: p would be next; it is caught and skipped */
	capture_end();
	assert_int_equal(slab_errors.poison, before + 1);
	assert_ptr_not_equal(q, p);
	assert_non_null(strstr(captured, "Poison overwritten (write after free)"));
	assert_non_null(strstr(captured, "Freed by     [<"));
	free(captured);
	kfree(q);
}

static void double_and_invalid_frees_refused(void **state)
{
	u8 *p = kmalloc(64, GFP_KERNEL), *a, *b;
	struct kmem_cache *c = kmem_cache_create("other", 64, 8, 0, NULL);
	void *o = kmem_cache_alloc(c, GFP_KERNEL);
	static u8 not_heap[64];

	(void)state;
	capture_begin();
	kfree(p);
	kfree(p);                   /* double */
	kfree(p + 8);               /* not an object start */
	kfree(not_heap);            /* not kmalloc memory at all */
	kmem_cache_free(c, p + 64); /* an object of kmalloc-64, not of "other" */
	capture_end();
	assert_int_equal(slab_errors.double_free, 1);
	assert_int_equal(slab_errors.bad_free, 3);
	assert_int_equal(slab_errors.wrong_cache, 1);
	assert_non_null(strstr(captured, "double free"));
	free(captured);
	/* the freelist was not corrupted: two allocations, two distinct objects */
	a = kmalloc(64, GFP_KERNEL);
	b = kmalloc(64, GFP_KERNEL);
	assert_ptr_not_equal(a, b);
	kfree(a), kfree(b);
	kmem_cache_free(c, o);
	assert_int_equal(kmem_cache_destroy(c), 0);
}

static void corrupted_free_pointer_caught(void **state)
{
	u8 *p = kmalloc(32, GFP_KERNEL), *q = kmalloc(32, GFP_KERNEL), *r;

	(void)state;
	kfree(q);
	kfree(p); /* freelist: p -> q -> ... ; the free pointer sits after the right red zone */
	memset(p + 32 + 16, 0x41, 8); /* an overflow that reaches the free pointer */
	capture_begin();
	r = kmalloc(32, GFP_KERNEL);
	capture_end();
	assert_int_equal(slab_errors.freelist, 1);
	assert_non_null(strstr(captured, "free pointer corrupted"));
	free(captured);
	assert_ptr_equal(r, p);
	kfree(r);
}

/* A free pointer is stored mangled with the address it is stored at: the
 * same word in another object's slot decodes to another pointer, so a
 * free pointer copied (or sprayed) into a neighbour is not a valid one. */
static void free_pointer_depends_on_its_slot(void **state)
{
	struct kmem_cache *c = kmem_cache_create("fp-slot", 64, 8, 0, NULL);
	u8 *o[3];
	void *rest[64];
	unsigned nrest;
	uintptr_t word, saved;

	(void)state;
	assert_non_null(c);
	for (int i = 0; i < 3; i++)
		o[i] = kmem_cache_alloc(c, GFP_KERNEL);
	for (int i = 0; i < 3; i++)
		kmem_cache_free(c, o[i]); /* the slab's free list: o[2] -> o[1] -> o[0] */
	/* the CPU slab hands out the rest of its freelist before what was
	 * freed into it (mimalloc's order): take the rest */
	nrest = c->objects - 3;
	assert_true(nrest <= ARRAY_SIZE(rest));
	for (unsigned i = 0; i < nrest; i++)
		rest[i] = kmem_cache_alloc(c, GFP_KERNEL);
	assert_ptr_equal(slab_get_fp(c, o[2]), o[1]);
	assert_ptr_equal(slab_get_fp(c, o[1]), o[0]);
	memcpy(&word, o[1] + c->offset, sizeof(word));
	memcpy(&saved, o[2] + c->offset, sizeof(saved));
	memcpy(o[2] + c->offset, &word, sizeof(word));
	assert_ptr_not_equal(slab_get_fp(c, o[2]), o[0]);
	memcpy(o[2] + c->offset, &saved, sizeof(saved));
	for (int i = 0; i < 3; i++)
		assert_ptr_equal(kmem_cache_alloc(c, GFP_KERNEL), o[2 - i]);
	for (int i = 0; i < 3; i++)
		kmem_cache_free(c, o[i]);
	for (unsigned i = 0; i < nrest; i++)
		kmem_cache_free(c, rest[i]);
	assert_int_equal(kmem_cache_destroy(c), 0);
}

static __attribute__((noinline)) void *leaky_site(void) { return kmalloc(40, GFP_KERNEL); }
static __attribute__((noinline)) void steady_site(void) { kfree(kmalloc(40, GFP_KERNEL)); }

static void leak_check_finds_the_growing_site(void **state)
{
	static struct slab_sample s[3];
	void *keep[30];

	(void)state;
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 10; i++) {
			keep[round * 10 + i] = leaky_site();
			steady_site();
		}
		slab_track_sample(&s[round]);
	}
	capture_begin();
	unsigned found = slab_leak_check(s, 3, stdout);
	capture_end();
	assert_int_equal(found, 1);
	assert_non_null(strstr(captured, "+20 objects, +800 bytes"));
	free(captured);
	for (int i = 0; i < 30; i++)
		kfree(keep[i]);
}

static void slabinfo_counts_objects(void **state)
{
	void *o[100];
	char line[256];
	int found = 0;

	(void)state;
	for (int i = 0; i < 100; i++)
		o[i] = kmalloc(96, GFP_KERNEL);
	capture_begin();
	show_slabinfo(stdout);
	capture_end();
	assert_true(!strncmp(captured, "slabinfo - version: 2.1\n", 24));
	for (char *l = captured; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		unsigned long active, num;
		if (sscanf(l, "kmalloc-96 %lu %lu", &active, &num) == 2) {
			assert_int_equal(active, 100);
			assert_true(num >= 100);
			found = 1;
		}
	}
	(void)line;
	assert_true(found);
	free(captured);
	for (int i = 0; i < 100; i++)
		kfree(o[i]);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define D(fn) cmocka_unit_test_setup_teardown(fn, setup_debug, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(size_classes_and_alignment),
		T(random_workload_no_overlap_no_loss),
		T(free_pointer_depends_on_its_slot),
		T(large_kmalloc_is_tracked),
		T(krealloc_semantics),
		T(cache_with_ctor_align_and_destroy),
		T(cache_whose_slot_outgrows_a_slab_is_refused),
		T(empty_slabs_go_back_under_pressure),
		T(slabinfo_counts_objects),
		D(size_classes_and_alignment),
		D(random_workload_no_overlap_no_loss),
		D(overflow_past_object_caught_every_time),
		D(write_before_object_caught),
		D(write_after_free_caught),
		D(double_and_invalid_frees_refused),
		cmocka_unit_test_setup_teardown(double_and_invalid_frees_refused, setup_fz, teardown),
		D(corrupted_free_pointer_caught),
		D(leak_check_finds_the_growing_site),
	};

	return cmocka_run_group_tests_name("slab", tests, NULL, NULL);
}
