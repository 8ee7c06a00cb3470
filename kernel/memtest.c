/*
 * memtest SIZE: take SIZE of free memory from the page allocator (blocks
 * of up to order MEMTEST_ORDER, smaller ones when the zones are
 * fragmented; HighMem first, as user pages, then lowmem), run the patterns
 * over it page by page (kmap_local_page: the linear map for lowmem), give
 * it all back, and report every word that did not read back as written,
 * by physical address. The patterns, each a write pass then a verify pass
 * over every 64-bit word:
 *
 *   walking ones     word i = 1 << (i % 64)        (each data bit alone)
 *   walking zeros    word i = ~(1 << (i % 64))
 *   address          word i = its physical address (address lines)
 *   ~address         the complement
 *   checkerboard     0xaaaa... / 0x5555... alternating words, then swapped
 *   random           xorshift64 from a seed, regenerated to verify
 *
 * A chunk's pages are linked through page->lru while memtest holds them
 * (their owner's field, as for any allocated page), the order in
 * page->private. ^C stops between passes; everything is freed either way.
 * memtest_test_hook (host tests) runs between each pattern's write and
 * verify passes, to damage a word the verify pass must then report.
 *
 * Locking: none of its own; the page allocator's, per call.
 */
#include <kernel/shell.h>
#include <lib/errno.h>
#include <lib/list.h>
#include <mm/gfp.h>
#include <mm/highmem.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <stdio.h>

void (*memtest_test_hook)(unsigned pattern, void *va, phys_addr_t pa);

#define MEMTEST_ORDER 9 /* 2 MiB blocks at most */
#define MEMTEST_REPORT 16 /* bad words printed (all are counted) */

struct memtest {
	struct list_head chunks;
	u64 bad, checked;
};

typedef u64 (*pattern_fn)(u64 index, u64 pa, u64 *state);

static u64 walk1(u64 i, u64 pa, u64 *s) { (void)pa, (void)s; return 1ULL << (i % 64); }
static u64 walk0(u64 i, u64 pa, u64 *s) { (void)pa, (void)s; return ~(1ULL << (i % 64)); }
static u64 addr(u64 i, u64 pa, u64 *s) { (void)i, (void)s; return pa; }
static u64 naddr(u64 i, u64 pa, u64 *s) { (void)i, (void)s; return ~pa; }
static u64 check1(u64 i, u64 pa, u64 *s) { (void)pa, (void)s; return i & 1 ? 0x5555555555555555ULL : 0xaaaaaaaaaaaaaaaaULL; }
static u64 check2(u64 i, u64 pa, u64 *s) { (void)pa, (void)s; return i & 1 ? 0xaaaaaaaaaaaaaaaaULL : 0x5555555555555555ULL; }
static u64 rnd(u64 i, u64 pa, u64 *s)
{
	(void)i, (void)pa;
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static const struct {
	const char *name;
	pattern_fn fn;
} patterns[] = {
	{ "walking ones", walk1 }, { "walking zeros", walk0 }, { "address", addr }, { "~address", naddr },
	{ "checkerboard", check1 }, { "checkerboard~", check2 }, { "random", rnd },
};

/* Write one page (at pa, kernel address w) of pattern fn from word index. */
static void write_page(volatile u64 *w, u64 pa, u64 index, pattern_fn fn, u64 *s)
{
	for (u64 i = 0; i < PAGE_SIZE / 8; i++)
		w[i] = fn(index + i, pa + i * 8, s);
}

/* Verify one page: count and report the words that differ. */
static void verify_page(FILE *f, struct memtest *mt, volatile u64 *w, u64 pa, u64 index, pattern_fn fn, u64 *s)
{
	for (u64 i = 0; i < PAGE_SIZE / 8; i++) {
		u64 want = fn(index + i, pa + i * 8, s), got = w[i];

		if (got != want && mt->bad++ < MEMTEST_REPORT)
			fprintf(f, "memtest: bad word at [mem %#011llx]: wrote %016llx, read %016llx\n",
				(unsigned long long)(pa + i * 8), (unsigned long long)want, (unsigned long long)got);
	}
	mt->checked += PAGE_SIZE;
}

/* One write pass and one verify pass over every page of every chunk. */
static void run_pattern(FILE *f, struct memtest *mt, unsigned pattern, pattern_fn fn, u64 seed)
{
	struct page *p;
	u64 s = seed, index = 0;

	list_for_each_entry(p, &mt->chunks, lru) {
		for (u64 j = 0; j < (1ULL << p->private); j++, index += PAGE_SIZE / 8) {
			volatile u64 *w = kmap_local_page(p + j);

			write_page(w, page_to_phys(p + j), index, fn, &s);
			kunmap_local((void *)w);
		}
	}
	if (memtest_test_hook) {
		void *w;

		p = list_first_entry(&mt->chunks, struct page, lru);
		w = kmap_local_page(p);
		memtest_test_hook(pattern, w, page_to_phys(p));
		kunmap_local(w);
	}
	s = seed;
	index = 0;
	list_for_each_entry(p, &mt->chunks, lru) {
		for (u64 j = 0; j < (1ULL << p->private); j++, index += PAGE_SIZE / 8) {
			volatile u64 *w = kmap_local_page(p + j);

			verify_page(f, mt, w, page_to_phys(p + j), index, fn, &s);
			kunmap_local((void *)w);
		}
	}
}

/* Take size bytes; false (and what was taken stays on the list) if memory ran out. */
static bool take(struct memtest *mt, u64 size)
{
	unsigned order = MEMTEST_ORDER;

	while (size) {
		struct page *p;

		while (order && (PAGE_SIZE << order) > size)
			order--;
		p = alloc_pages(GFP_KERNEL | __GFP_HIGHMEM | __GFP_NOWARN | __GFP_NORETRY, order);
		if (!p) {
			if (!order)
				return false;
			order--;
			continue;
		}
		p->private = order;
		list_add_tail(&p->lru, &mt->chunks);
		size -= PAGE_SIZE << order;
	}
	return true;
}

static void give_back(struct memtest *mt)
{
	while (!list_empty(&mt->chunks)) {
		struct page *p = list_first_entry(&mt->chunks, struct page, lru);
		unsigned order = (unsigned)p->private;

		list_del(&p->lru);
		p->private = 0;
		free_pages(p, order);
	}
}

int memtest_run(FILE *f, u64 size)
{
	struct memtest mt = { .chunks = LIST_HEAD_INIT(mt.chunks) };
	unsigned nchunks = 0;
	struct page *p;
	int rc = 0;

	size = ALIGN_UP(size, PAGE_SIZE);
	if (!take(&mt, size)) {
		give_back(&mt);
		return -ENOMEM;
	}
	list_for_each_entry(p, &mt.chunks, lru)
		nchunks++;
	fprintf(f, "memtest: testing %llu kB of free memory in %u blocks\n", (unsigned long long)(size >> 10), nchunks);
	for (size_t i = 0; i < ARRAY_SIZE(patterns); i++) {
		u64 before = mt.bad;

		if (shell_interrupted()) {
			rc = 1;
			break;
		}
		run_pattern(f, &mt, (unsigned)i, patterns[i].fn, 0x9e3779b97f4a7c15ULL + i);
		fprintf(f, "  %-14s %s\n", patterns[i].name, mt.bad == before ? "ok" : "FAILED");
	}
	give_back(&mt);
	if (mt.bad)
		fprintf(f, "memtest: %llu bad words (first %d shown)\n", (unsigned long long)mt.bad, MEMTEST_REPORT);
	else if (!rc)
		fprintf(f, "memtest: %llu kB passed\n", (unsigned long long)(size >> 10));
	return mt.bad || rc ? 1 : 0;
}
