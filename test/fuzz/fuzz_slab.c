/*
 * libFuzzer target for slab caches and kmalloc (mm/slab.c, slab_debug.c,
 * kmalloc.c — the real sources, on the host fixture board of
 * test/host/mm_fixture.c, brought up once for the whole run).
 *
 * Each input is a workload, one opcode byte + operands until it ends:
 *   KMALLOC, KZALLOC  size (16 bits: top 2 select 0..255, 0..8191,
 *                     0..20000 or a power of two 1..16384; 0 included)
 *   KREALLOC          held block (16 bits; out of range: NULL) + size (as
 *                     above: grow, shrink, 0 frees)
 *   KFREE             held block
 *   KSIZE             held block: ksize() >= size; the block is then
 *                     widened to ksize() bytes and refilled
 *   CREATE            size (16 bits), align byte (0, a power of two up to
 *                     4096, or an invalid one that must fail), flags
 *                     (HWCACHE_ALIGN, RECLAIM_ACCOUNT) and ctor bit
 *   CALLOC, CFREE     kmem_cache_alloc/free on a cache / held object
 *   SHRINK            kmem_cache_shrink on a cache, then check every block
 *   DESTROY           kmem_cache_destroy: 0 when the cache holds nothing,
 *                     else -EBUSY and the cache (and its objects) stay
 *   CPU               act as another (simulated) CPU from now on (byte %
 *                     SLAB_NR_CPUS): frees into slabs of another CPU's
 *                     working set are remote, collected by their owner
 *   SLABINFO          /proc/slabinfo's active objects of every created
 *                     cache equal the model's live objects of it
 *
 * The model holds every live block (pointer, size, tag). Checked:
 *  - each new block overlaps no live block (all of them are compared);
 *  - alignment: >= 8; kmalloc power-of-two classes naturally aligned,
 *    large kmalloc page aligned; cache objects aligned to the align asked
 *    (64 with SLAB_HWCACHE_ALIGN for objects of 64 bytes or more);
 *  - ksize() is the size class (>= the size asked);
 *  - contents: every block is filled with a pattern from its tag and
 *    checked before it is freed/reallocated, and all blocks on SHRINK,
 *    DESTROY and at the end; kzalloc memory is zero; krealloc keeps the
 *    old contents; objects of a cache with a constructor come out in the
 *    constructed state (the workload restores it before freeing);
 *  - at the end of the input everything is freed, the caches destroyed
 *    (must return 0), kmem_cache_shrink_all() run on every CPU (each
 *    collects its remote frees), and nr_free_pages()
 *    must equal its value right after setup (no page lost), with no slab
 *    error counted.
 * A violation prints one line on stderr and traps.
 *
 * Reproduce: build/board/fuzz/fuzz_slab <crash-file>
 * (PAGODA_FUZZ_TRACE=1 also prints every operation on stderr).
 */
#include <arch/phys.h>
#include <errno.h>
#include <host.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../mm/slab_internal.h"
#include "../host/mm_fixture.h"

#define FUZZ_NAME "fuzz_slab"
#include "fuzz_check.h"

#define MAX_LIVE 512
#define MAX_CACHES 8
#define KMALLOC_ZERO ((void *)16) /* ZERO_SIZE_PTR */

enum { OP_KMALLOC, OP_KZALLOC, OP_KREALLOC, OP_KFREE, OP_KSIZE, OP_CREATE, OP_CALLOC, OP_CFREE,
       OP_SHRINK, OP_DESTROY, OP_CPU, OP_SLABINFO, NR_OPS };
static const char *const op_names[] = { "kmalloc", "kzalloc", "krealloc", "kfree", "ksize",
					"create", "cache_alloc", "cache_free", "shrink", "destroy", "cpu", "slabinfo" };

struct block {
	u8 *p;
	size_t n;  /* bytes owned (and filled) */
	int cache; /* -1: kmalloc */
	u8 tag;
};

struct cache {
	struct kmem_cache *s;
	size_t size, align;
	bool ctor;
	unsigned live;
};

static struct block live[MAX_LIVE];
static unsigned nr_live;
static struct cache caches[MAX_CACHES];
static u64 free0;
static struct slab_error_counts errors0;
static u8 next_tag;
static bool trace;

static const char *const cache_names[MAX_CACHES] = { "fz0", "fz1", "fz2", "fz3", "fz4", "fz5", "fz6", "fz7" };

static inline u8 pat(u8 tag, size_t i) { return (u8)(tag + i * 7); }
static inline u8 ctor_byte(int k, size_t i) { return (u8)(0xc0 + k + (i & 0x30)); }

static void ctor_fill(int k, void *obj)
{
	for (size_t i = 0; i < caches[k].size; i++)
		((u8 *)obj)[i] = ctor_byte(k, i);
}
#define CTOR(k) static void ctor##k(void *o) { ctor_fill(k, o); }
CTOR(0) CTOR(1) CTOR(2) CTOR(3) CTOR(4) CTOR(5) CTOR(6) CTOR(7)
static void (*const ctors[MAX_CACHES])(void *) = { ctor0, ctor1, ctor2, ctor3, ctor4, ctor5, ctor6, ctor7 };

/* ---- input decoding ---- */
static const u8 *in;
static size_t in_len;

static unsigned rd8(void) { return in_len ? (in_len--, *in++) : 0; }
static unsigned rd16(void) { unsigned lo = rd8(); return lo | rd8() << 8; }

static size_t rd_size(void)
{
	unsigned v = rd16();

	switch (v >> 14) {
	case 0: return v & 0xff;
	case 1: return v & 0x1fff;
	case 2: return v % 20001;
	default: return (size_t)1 << (v % 15);
	}
}

/* ---- model ---- */
static void fill(struct block *b)
{
	for (size_t i = 0; i < b->n; i++)
		b->p[i] = pat(b->tag, i);
}

static void check_block(const struct block *b)
{
	for (size_t i = 0; i < b->n; i++)
		CHECK(b->p[i] == pat(b->tag, i), "block %p (%zu bytes, cache %d) byte %zu is %#x, want %#x", b->p,
		      b->n, b->cache, i, b->p[i], pat(b->tag, i));
}

static void check_all(void)
{
	for (unsigned i = 0; i < nr_live; i++)
		check_block(&live[i]);
}

static void check_no_overlap(const u8 *p, size_t n, int skip)
{
	for (unsigned i = 0; i < nr_live; i++) {
		if ((int)i == skip)
			continue;
		CHECK(p + n <= live[i].p || live[i].p + live[i].n <= p,
		      "new block [%p,+%zu) overlaps live block [%p,+%zu) (cache %d)", p, n, live[i].p, live[i].n,
		      live[i].cache);
	}
}

static size_t kmalloc_class(size_t n)
{
	static const size_t cls[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 };

	if (n > KMALLOC_MAX_CACHE_SIZE) {
		size_t s = PAGE_SIZE;

		while (s < n)
			s <<= 1;
		return s;
	}
	for (unsigned i = 0;; i++)
		if (cls[i] >= n)
			return cls[i];
}

static void check_kmalloc_block(const u8 *p, size_t n)
{
	size_t c = kmalloc_class(n), ks = ksize(p);

	CHECK((uintptr_t)p % 8 == 0, "kmalloc(%zu) = %p: not 8-byte aligned", n, p);
	if (!(c & (c - 1)))
		CHECK((uintptr_t)p % MIN(c, (size_t)PAGE_SIZE) == 0, "kmalloc(%zu) = %p: class %zu not naturally aligned",
		      n, p, c);
	CHECK(ks >= n, "ksize(%p) = %zu < %zu asked", p, ks, n);
	CHECK(ks == c, "ksize(%p) = %zu, size class of %zu is %zu", p, ks, n, c);
}

static void add_block(u8 *p, size_t n, int cache)
{
	struct block *b;

	check_no_overlap(p, n, -1);
	CHECK(nr_live < MAX_LIVE, "model full");
	b = &live[nr_live++];
	*b = (struct block){ .p = p, .n = n, .cache = cache, .tag = ++next_tag };
	fill(b);
	if (cache >= 0)
		caches[cache].live++;
}

static void drop_block(unsigned i)
{
	if (live[i].cache >= 0)
		caches[live[i].cache].live--;
	live[i] = live[--nr_live];
}

/* A held block by operand, of kmalloc (want_cache 0), a cache (1): -1 if none. */
static int pick(unsigned v, int want_cache)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nr_live; i++)
		n += (live[i].cache >= 0) == want_cache;
	if (!n)
		return -1;
	v %= n;
	for (unsigned i = 0; i < nr_live; i++)
		if ((live[i].cache >= 0) == want_cache && !v--)
			return (int)i;
	return -1;
}

/* ---- operations ---- */
static void do_kmalloc(bool zero)
{
	size_t n = rd_size();
	u8 *p = zero ? kzalloc(n, GFP_KERNEL) : kmalloc(n, GFP_KERNEL);

	if (trace)
		fprintf(stderr, "  %s(%zu) = %p\n", zero ? "kzalloc" : "kmalloc", n, p);
	if (!n) {
		CHECK(p == KMALLOC_ZERO, "kmalloc(0) = %p, want ZERO_SIZE_PTR", p);
		kfree(p);
		return;
	}
	CHECK(p, "kmalloc(%zu) failed", n);
	check_kmalloc_block(p, n);
	if (zero)
		for (size_t i = 0; i < n; i++)
			CHECK(!p[i], "kzalloc(%zu) = %p: byte %zu is %#x", n, p, i, p[i]);
	if (nr_live == MAX_LIVE) {
		kfree(p);
		return;
	}
	add_block(p, n, -1);
}

static void do_krealloc(void)
{
	int i = pick(rd16(), 0);
	size_t n = rd_size();
	u8 *old = i >= 0 ? live[i].p : NULL, *p;
	struct block b;

	if (i >= 0) {
		check_block(&live[i]);
		b = live[i];
	}
	p = krealloc(old, n, GFP_KERNEL);
	if (trace)
		fprintf(stderr, "  krealloc(%p, %zu) = %p\n", old, n, p);
	if (!n) {
		CHECK(p == KMALLOC_ZERO, "krealloc(%p, 0) = %p, want ZERO_SIZE_PTR", old, p);
		if (i >= 0)
			drop_block(i);
		return;
	}
	CHECK(p, "krealloc(%p, %zu) failed", old, n);
	if (i >= 0) {
		for (size_t k = 0; k < MIN(n, b.n); k++)
			CHECK(p[k] == pat(b.tag, k), "krealloc(%p/%zu -> %zu) = %p: byte %zu not kept", old, b.n, n, p, k);
		drop_block(i);
	}
	/* a block that still fits may stay where it is: then its class is the old one */
	if (p != old)
		check_kmalloc_block(p, n);
	else
		CHECK(ksize(p) >= n, "krealloc kept %p of ksize %zu for %zu bytes", p, ksize(p), n);
	if (nr_live == MAX_LIVE) {
		kfree(p);
		return;
	}
	add_block(p, n, -1);
}

static void do_kfree(void)
{
	int i = pick(rd16(), 0);

	if (i < 0) {
		kfree(NULL);
		return;
	}
	if (trace)
		fprintf(stderr, "  kfree(%p)\n", live[i].p);
	check_block(&live[i]);
	kfree(live[i].p);
	drop_block(i);
}

static void do_ksize(void)
{
	int i = pick(rd16(), 0);
	size_t ks;

	if (i < 0) {
		CHECK(ksize(NULL) == 0, "ksize(NULL) != 0");
		return;
	}
	check_block(&live[i]);
	ks = ksize(live[i].p);
	if (trace)
		fprintf(stderr, "  ksize(%p) = %zu (asked %zu)\n", live[i].p, ks, live[i].n);
	CHECK(ks >= live[i].n, "ksize(%p) = %zu < %zu", live[i].p, ks, live[i].n);
	/* all of ksize() is usable: take it and check nobody else has it */
	check_no_overlap(live[i].p, ks, i);
	live[i].n = ks;
	fill(&live[i]);
}

static void do_create(void)
{
	unsigned v = rd16(), a = rd8(), f = rd8();
	/* up to 32768 - 256: with a ctor (free pointer after the object) and
	 * alignment, bigger sizes make a slot larger than an order-3 slab, which
	 * kmem_cache_setup() accepts with 0 objects per slab (every alloc fails;
	 * reported, mm/ not changed here) */
	size_t size = (v & 0x8000) ? 1 + (v & 0x7fff) % 32512 : 1 + (v & 0x7fff) % 512;
	size_t align = a & 0x80 ? (a & 0x40 ? 3 + (a & 0xf) * 2 : 0) : (size_t)1 << (a % 13);
	unsigned flags = (f & 1 ? SLAB_HWCACHE_ALIGN : 0) | (f & 2 ? SLAB_RECLAIM_ACCOUNT : 0);
	bool ctor = f & 4, valid = !(align & (align - 1));
	int k = -1;
	struct kmem_cache *s;

	for (int j = 0; j < MAX_CACHES; j++)
		if (!caches[j].s) {
			k = j;
			break;
		}
	if (k < 0)
		return;
	caches[k] = (struct cache){ .size = size, .align = MAX(align, (size_t)8), .ctor = ctor };
	if ((flags & SLAB_HWCACHE_ALIGN) && size >= 64)
		caches[k].align = MAX(caches[k].align, (size_t)64);
	s = kmem_cache_create(cache_names[k], size, align, flags, ctor ? ctors[k] : NULL);
	if (trace)
		fprintf(stderr, "  kmem_cache_create(%s, %zu, %zu, %#x, %s) = %p\n", cache_names[k], size, align,
			flags, ctor ? "ctor" : "-", (void *)s);
	if (!valid) {
		CHECK(!s, "kmem_cache_create with align %zu succeeded", align);
		return;
	}
	CHECK(s, "kmem_cache_create(%zu, %zu, %#x) failed", size, align, flags);
	caches[k].s = s;
	check_all(); /* the cache structure came from kmalloc */
}

static int pick_cache(unsigned v)
{
	unsigned n = 0;

	for (int j = 0; j < MAX_CACHES; j++)
		n += !!caches[j].s;
	if (!n)
		return -1;
	v %= n;
	for (int j = 0; j < MAX_CACHES; j++)
		if (caches[j].s && !v--)
			return j;
	return -1;
}

static void do_calloc(void)
{
	int k = pick_cache(rd8());
	bool zero = rd8() & 1;
	struct cache *c;
	u8 *p;

	if (k < 0)
		return;
	c = &caches[k];
	zero = zero && !c->ctor;
	p = kmem_cache_alloc(c->s, GFP_KERNEL | (zero ? __GFP_ZERO : 0));
	if (trace)
		fprintf(stderr, "  kmem_cache_alloc(%s%s) = %p\n", cache_names[k], zero ? ", zero" : "", p);
	CHECK(p, "kmem_cache_alloc(%s: %zu bytes) failed", cache_names[k], c->size);
	CHECK((uintptr_t)p % c->align == 0, "kmem_cache_alloc(%s) = %p: not aligned to %zu", cache_names[k], p,
	      c->align);
	for (size_t i = 0; i < c->size; i++) {
		if (c->ctor)
			CHECK(p[i] == ctor_byte(k, i), "%s object %p byte %zu is %#x: not in the constructed state",
			      cache_names[k], p, i, p[i]);
		else if (zero)
			CHECK(!p[i], "%s object %p with __GFP_ZERO: byte %zu is %#x", cache_names[k], p, i, p[i]);
	}
	if (nr_live == MAX_LIVE) {
		kmem_cache_free(c->s, p);
		return;
	}
	add_block(p, c->size, k);
}

static void free_cache_block(unsigned i)
{
	struct block *b = &live[i];
	int k = b->cache;

	check_block(b);
	if (caches[k].ctor)
		ctor_fill(k, b->p); /* back to the constructed state, as the contract asks */
	kmem_cache_free(caches[k].s, b->p);
	drop_block(i);
}

static void do_cfree(void)
{
	int i = pick(rd16(), 1);

	if (i < 0)
		return;
	if (trace)
		fprintf(stderr, "  kmem_cache_free(%s, %p)\n", cache_names[live[i].cache], live[i].p);
	free_cache_block(i);
}

static void do_shrink(void)
{
	int k = pick_cache(rd8());

	if (k >= 0)
		kmem_cache_shrink(caches[k].s);
	else
		kmem_cache_shrink_all();
	check_all();
}

static void do_destroy(void)
{
	int k = pick_cache(rd8()), rc;

	if (k < 0)
		return;
	rc = kmem_cache_destroy(caches[k].s);
	if (trace)
		fprintf(stderr, "  kmem_cache_destroy(%s) with %u live = %d\n", cache_names[k], caches[k].live, rc);
	if (caches[k].live) {
		CHECK(rc == -EBUSY, "kmem_cache_destroy(%s) with %u live objects returned %d", cache_names[k],
		      caches[k].live, rc);
	} else {
		CHECK(rc == 0, "kmem_cache_destroy(%s) of an empty cache returned %d", cache_names[k], rc);
		caches[k].s = NULL;
	}
	check_all();
}

static void do_cpu(void)
{
	slab_set_cpu(rd8() % SLAB_NR_CPUS);
	if (trace)
		fprintf(stderr, "  now CPU %u\n", slab_cpu_id);
}

/* active_objs of each created cache in show_slabinfo() vs the model */
static void do_slabinfo(void)
{
	char *buf = NULL, nm[64];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned seen = 0, want = 0;

	show_slabinfo(f);
	fclose(f);
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		unsigned long active, total;

		if (sscanf(l, "%63s %lu %lu", nm, &active, &total) != 3)
			continue;
		for (int k = 0; k < MAX_CACHES; k++) {
			if (!caches[k].s || strcmp(nm, cache_names[k]))
				continue;
			seen++;
			CHECK(active == caches[k].live, "slabinfo: %s has %lu active objects, the model %u", nm, active,
			      caches[k].live);
			CHECK(total >= active, "slabinfo: %s has %lu objects, %lu active", nm, total, active);
		}
	}
	free(buf);
	for (int k = 0; k < MAX_CACHES; k++)
		want += !!caches[k].s;
	CHECK(seen == want, "slabinfo lists %u of the %u caches", seen, want);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	trace = getenv("PAGODA_FUZZ_TRACE") != NULL;
	fix_mm_setup(false, false);
	kmem_cache_init("");
	free0 = nr_free_pages();
	errors0 = slab_errors;
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	in = data;
	in_len = size;
	while (in_len) {
		unsigned op = rd8() % NR_OPS;

		if (trace)
			fprintf(stderr, "%s\n", op_names[op]);
		switch (op) {
		case OP_KMALLOC: do_kmalloc(false); break;
		case OP_KZALLOC: do_kmalloc(true); break;
		case OP_KREALLOC: do_krealloc(); break;
		case OP_KFREE: do_kfree(); break;
		case OP_KSIZE: do_ksize(); break;
		case OP_CREATE: do_create(); break;
		case OP_CALLOC: do_calloc(); break;
		case OP_CFREE: do_cfree(); break;
		case OP_SHRINK: do_shrink(); break;
		case OP_DESTROY: do_destroy(); break;
		case OP_CPU: do_cpu(); break;
		case OP_SLABINFO: do_slabinfo(); break;
		}
	}
	/* free everything: no page may be lost */
	check_all();
	while (nr_live) {
		if (live[nr_live - 1].cache >= 0) {
			free_cache_block(nr_live - 1);
		} else {
			kfree(live[nr_live - 1].p);
			drop_block(nr_live - 1);
		}
	}
	for (int k = 0; k < MAX_CACHES; k++) {
		if (caches[k].s) {
			int rc = kmem_cache_destroy(caches[k].s);

			CHECK(rc == 0, "kmem_cache_destroy(%s) of an empty cache returned %d", cache_names[k], rc);
			caches[k].s = NULL;
		}
	}
	for (unsigned cpu = 0; cpu < SLAB_NR_CPUS; cpu++) {
		slab_set_cpu(cpu);
		kmem_cache_shrink_all();
	}
	slab_set_cpu(0);
	CHECK(nr_free_pages() == free0, "%llu pages free after freeing everything, %llu after setup",
	      (unsigned long long)nr_free_pages(), (unsigned long long)free0);
	CHECK(!memcmp(&slab_errors, &errors0, sizeof(errors0)), "the slab allocator counted an error");
	return 0;
}
