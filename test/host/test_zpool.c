/*
 * zpool (mm/zpool.c) on the host fixture board, against a model: every
 * live object's bytes and size are kept in the test and compared after
 * random allocations, frees and compactions (handles must stay valid
 * and contents intact); class geometry; objects spanning pages through
 * map/unmap in every mode; exhaustion of the page allocator and the page
 * limit leave the pool unchanged; destroying the pool returns every page.
 */
#include <errno.h>
#include <mm/page_alloc.h>
#include <mm/zpool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm_fixture.h"

static u64 free0;

static int setup(void **state)
{
	(void)state;
	fix_mm_setup(false, false);
	free0 = nr_free_pages();
	return 0;
}
static int teardown(void **state)
{
	(void)state;
	fix_mm_teardown();
	return 0;
}

struct model {
	zhandle_t h;
	unsigned size;
	u8 seed;
};

static void fill(u8 *b, unsigned size, u8 seed)
{
	for (unsigned i = 0; i < size; i++)
		b[i] = (u8)(seed * 31 + i * 7 + (i >> 8));
}

static void check(struct zpool *p, const struct model *m)
{
	u8 want[ZPOOL_MAX_SIZE];
	const u8 *got = zpool_map(p, m->h, ZPOOL_MM_RO);

	fill(want, m->size, m->seed);
	assert_memory_equal(got, want, m->size);
	zpool_unmap(p, m->h);
	assert_int_equal(zpool_obj_size(p, m->h), ALIGN_UP(m->size, ZPOOL_CLASS_STEP));
}

static void put(struct zpool *p, struct model *m, unsigned size, u8 seed)
{
	u8 buf[ZPOOL_MAX_SIZE];

	m->size = size;
	m->seed = seed;
	assert_int_equal(zpool_alloc(p, size, GFP_KERNEL, &m->h), 0);
	assert_int_not_equal(m->h, 0);
	fill(buf, size, seed);
	zpool_write(p, m->h, buf, size);
}

static void random_against_model(void **state)
{
	enum { N = 3000 };
	static struct model m[N];
	struct zpool *p = zpool_create(GFP_KERNEL);
	struct zpool_stats st;
	u64 stored = 0;

	(void)state;
	assert_non_null(p);
	srand(11);
	memset(m, 0, sizeof(m));
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < N; i++) {
			if (m[i].h && rand() % 3 == 0) {
				check(p, &m[i]);
				zpool_free(p, m[i].h);
				m[i].h = 0;
			} else if (!m[i].h) {
				put(p, &m[i], 1 + (unsigned)rand() % ZPOOL_MAX_SIZE, (u8)rand());
			}
		}
		/* free most, so that zspages are sparse, then compact */
		for (int i = 0; i < N; i++)
			if (m[i].h && rand() % 4) {
				zpool_free(p, m[i].h);
				m[i].h = 0;
			}
		zpool_get_stats(p, &st);
		u64 before = st.zspage_pages;
		u64 freed = zpool_compact(p);

		zpool_get_stats(p, &st);
		assert_int_equal(st.zspage_pages, before - freed);
		assert_true(freed > 0);
		stored = 0;
		u64 objs = 0;

		for (int i = 0; i < N; i++)
			if (m[i].h) {
				check(p, &m[i]); /* same handle, same bytes after the move */
				stored += ALIGN_UP(m[i].size, ZPOOL_CLASS_STEP);
				objs++;
			}
		assert_int_equal(st.bytes_stored, stored);
		assert_int_equal(st.objects, objs);
		/* after compaction each class holds at most one partly used zspage's worth of waste */
		assert_true(st.zspage_pages * PAGE_SIZE <= stored + 512ULL * 16 * PAGE_SIZE);
	}
	for (int i = 0; i < N; i++)
		if (m[i].h)
			zpool_free(p, m[i].h);
	zpool_get_stats(p, &st);
	assert_int_equal(st.zspage_pages, 0);
	assert_int_equal(st.objects, 0);
	zpool_destroy(p);
	drain_pcp_pages();
	assert_int_equal(nr_free_pages(), free0);
}

/* Compaction of one class: 19 objects of 1,504 bytes per 7-page zspage. */
static void compaction_one_class(void **state)
{
	enum { N = 19 * 10 };
	static struct model m[N];
	struct zpool *p = zpool_create(GFP_KERNEL);
	struct zpool_stats st;

	(void)state;
	for (int i = 0; i < N; i++)
		put(p, &m[i], 1498 + i % 7, (u8)i);
	zpool_get_stats(p, &st);
	assert_int_equal(st.zspage_pages, 10 * 7);
	assert_int_equal(zpool_class_objects(p, (1504 - 1) / ZPOOL_CLASS_STEP), N);
	/* keep every fifth object: 38 live, 2 zspages needed */
	for (int i = 0; i < N; i++)
		if (i % 5) {
			zpool_free(p, m[i].h);
			m[i].h = 0;
		}
	zpool_get_stats(p, &st);
	assert_int_equal(st.zspage_pages, 10 * 7);
	assert_int_equal(zpool_compact(p), 8 * 7);
	zpool_get_stats(p, &st);
	assert_int_equal(st.zspage_pages, 2 * 7);
	assert_int_equal(st.pages_compacted, 8 * 7);
	for (int i = 0; i < N; i++)
		if (m[i].h)
			check(p, &m[i]);
	assert_int_equal(zpool_compact(p), 0); /* nothing left to gain */
	zpool_destroy(p);
	drain_pcp_pages();
	assert_int_equal(nr_free_pages(), free0);
}

/* Objects crossing a page boundary: RO copies in, WO/RW copy back out. */
static void spanning_map_modes(void **state)
{
	struct zpool *p = zpool_create(GFP_KERNEL);
	struct model m[6];
	u8 *v;

	(void)state;
	for (int i = 0; i < 6; i++)
		put(p, &m[i], 1496, (u8)(i + 1)); /* object 2 spans pages 0 and 1 */
	v = zpool_map(p, m[2].h, ZPOOL_MM_RW);
	for (int i = 0; i < 1496; i++)
		v[i] ^= 0xff;
	zpool_unmap(p, m[2].h);
	v = zpool_map(p, m[2].h, ZPOOL_MM_RO);
	{
		u8 want[1496];

		fill(want, 1496, 3);
		for (int i = 0; i < 1496; i++)
			assert_int_equal(v[i], (u8)(want[i] ^ 0xff));
	}
	zpool_unmap(p, m[2].h);
	v = zpool_map(p, m[2].h, ZPOOL_MM_WO);
	fill(v, 1496, 3);
	zpool_unmap(p, m[2].h);
	for (int i = 0; i < 6; i++)
		check(p, &m[i]); /* neighbours untouched */
	zpool_destroy(p);
}

static void class_geometry_waste(void **state)
{
	struct zpool *p = zpool_create(GFP_KERNEL);
	zhandle_t h;
	struct zpool_stats st;

	(void)state;
	/* a 4096-byte object takes one page. A 1504-byte class has 7-page
	 * zspages (19 objects, 96 bytes of waste: the least of 1..16 pages),
	 * but a zspage gets its pages only as its slots are handed out: */
	assert_int_equal(zpool_alloc(p, 4096, GFP_KERNEL, &h), 0);
	zpool_get_stats(p, &st);
	assert_int_equal(st.zspage_pages, 1);
	assert_int_equal(zpool_alloc(p, 1504, GFP_KERNEL, &h), 0);
	zpool_get_stats(p, &st);
	assert_int_equal(st.zspage_pages, 2);
	/* 1,496 bytes: the 1,504-byte class's slot 1 ends in page 0 */
	assert_int_equal(zpool_alloc(p, 1496, GFP_KERNEL, &h), 0);
	zpool_get_stats(p, &st);
	assert_int_equal(st.zspage_pages, 2);
	/* slot 2 (3008..4511) reaches into a second page */
	assert_int_equal(zpool_alloc(p, 1500, GFP_KERNEL, &h), 0);
	zpool_get_stats(p, &st);
	assert_int_equal(st.zspage_pages, 3);
	/* 16 more: slots 3..18 end at 28,576 bytes, in page 6 of 7 */
	for (int i = 0; i < 16; i++)
		assert_int_equal(zpool_alloc(p, 1504, GFP_KERNEL, &h), 0);
	zpool_get_stats(p, &st);
	assert_int_equal(st.zspage_pages, 1 + 7);
	/* the zspage is full: the next object starts a new one */
	assert_int_equal(zpool_alloc(p, 1504, GFP_KERNEL, &h), 0);
	zpool_get_stats(p, &st);
	assert_int_equal(st.zspage_pages, 1 + 7 + 1);
	zpool_destroy(p);
}

/* The page allocator runs dry: alloc fails -ENOMEM and the pool is unchanged. */
static void exhaustion(void **state)
{
	struct zpool *p = zpool_create(GFP_KERNEL);
	struct zpool_stats a, b;
	struct model m[3];
	void *hog = NULL, *page; /* the pages taken, linked through their first word */
	zhandle_t h;

	(void)state;
	put(p, &m[0], 4096, 1);
	put(p, &m[1], 1500, 2);
	/* take every page the pool could use (GFP_KERNEL zones) */
	while ((page = get_free_pages(GFP_KERNEL | __GFP_NOWARN, 0))) {
		*(void **)page = hog;
		hog = page;
	}
	zpool_get_stats(p, &a);
	assert_int_equal(zpool_alloc(p, 4096, GFP_KERNEL, &h), -ENOMEM);
	assert_int_equal(zpool_alloc(p, 100, GFP_KERNEL, &h), -ENOMEM);
	zpool_get_stats(p, &b);
	assert_memory_equal(&a, &b, sizeof(a));
	/* a class with room in its pages still works: no new page needed */
	put(p, &m[2], 1500, 3);
	/* its next slot (3008..4511) needs a second page: refused, unchanged */
	zpool_get_stats(p, &a);
	assert_int_equal(zpool_alloc(p, 1500, GFP_KERNEL, &h), -ENOMEM);
	zpool_get_stats(p, &b);
	assert_memory_equal(&a, &b, sizeof(a));
	for (int i = 0; i < 3; i++)
		check(p, &m[i]);
	while ((page = hog)) {
		hog = *(void **)page;
		put_free_pages(page, 0);
	}
	zpool_destroy(p);
	drain_pcp_pages();
	assert_int_equal(nr_free_pages(), free0);
}

/* The page limit: -ENOSPC before taking anything. */
static void page_limit(void **state)
{
	struct zpool *p = zpool_create(GFP_KERNEL);
	struct zpool_stats a, b;
	struct model m;
	zhandle_t h;

	(void)state;
	put(p, &m, 4096, 9);
	zpool_get_stats(p, &a);
	zpool_set_limit(p, a.pages_used);
	assert_int_equal(zpool_alloc(p, 4096, GFP_KERNEL, &h), -ENOSPC);
	zpool_get_stats(p, &b);
	assert_memory_equal(&a, &b, sizeof(a));
	zpool_set_limit(p, a.pages_used + 1);
	assert_int_equal(zpool_alloc(p, 4096, GFP_KERNEL, &h), 0);
	check(p, &m);
	zpool_destroy(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(random_against_model, setup, teardown),
		cmocka_unit_test_setup_teardown(compaction_one_class, setup, teardown),
		cmocka_unit_test_setup_teardown(spanning_map_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(class_geometry_waste, setup, teardown),
		cmocka_unit_test_setup_teardown(exhaustion, setup, teardown),
		cmocka_unit_test_setup_teardown(page_limit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
