/*
 * Host benchmark of kmalloc/kfree (mm/slab.c, kmalloc.c: the real sources,
 * clang -O2 -DNDEBUG, no sanitizers, slab debugging off) on platform/host's
 * RAM arena with board.cfg's zones over 512 MiB, next to glibc malloc and
 * mimalloc (mi_malloc/mi_free) on the same workloads, in this process.
 *
 * For each size 16, 32, 64, 96, 128, 192, 256:
 *   pair      alloc + free of one block, over and over (the fast path);
 *   lifo      1000 allocations, then 1000 frees in reverse order;
 *   shuffled  1000 allocations, then 1000 frees in a fixed random order.
 * ns per operation (one alloc + its free), each figure the median of REPS
 * runs; the three allocators' runs are interleaved (kmalloc, glibc,
 * mimalloc, kmalloc, ...) so that load noise hits all three alike. The
 * size is passed through an empty asm so that no allocator sees a
 * constant, and results through another so that no pair is elided.
 *
 * Verdicts: every line <= 1.0x mimalloc (issue 16), and the pair lines
 * alone (issue 4's fast-path target).
 *
 * Then the per-class memory overhead: object size, objects and pages per
 * slab (from /proc/slabinfo's format), bytes wasted per slab, and the
 * bytes of slab pages per object byte with 10,000 objects live.
 *
 * `bench_slab --one WORKLOAD SIZE` runs one workload once for kmalloc and
 * once for mimalloc (ONE_PAIRS pairs or ONE_ROUNDS batches, no timing) and
 * exits: tools/bench_slab_instr.py runs it under callgrind and divides
 * each allocator's instructions by its operations (the time figures above
 * move with the VM's load; instruction counts do not).
 */
#include <arch/phys.h>
#include <host.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <fcntl.h>
#include <mimalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_mm.h"
#include "bench_util.h"

#define RAM_SIZE (512ULL << 20)
#define REPS 31 /* the host is a shared 2-vCPU VM: more runs, steadier medians (~20 s) */
#define BATCH 1000
#define PAIRS 2000000ULL
#define ROUNDS 400 /* batches per run: 400,000 allocations */
#define LIVE 10000
#define ONE_PAIRS 100000ULL
#define ONE_ROUNDS 100

static size_t opaque(size_t n) { __asm__ volatile("" : "+r"(n)); return n; }

static void *blk[BATCH];
static unsigned order[BATCH]; /* the shuffled free order */

/* One set of workloads per allocator, with direct calls. */
#define WORKLOADS(name, ALLOC, FREE)                                               \
	static void pair_##name(size_t n, u64 iters)                               \
	{                                                                          \
		for (u64 i = 0; i < iters; i++) {                                  \
			void *p = ALLOC(n);                                        \
			sink(p);                                                   \
			FREE(p);                                                   \
		}                                                                  \
	}                                                                          \
	static void lifo_##name(size_t n, u64 rounds)                              \
	{                                                                          \
		for (u64 r = 0; r < rounds; r++) {                                 \
			for (unsigned k = 0; k < BATCH; k++) {                     \
				blk[k] = ALLOC(n);                                 \
				sink(blk[k]);                                      \
			}                                                          \
			for (unsigned k = BATCH; k-- > 0;)                         \
				FREE(blk[k]);                                      \
		}                                                                  \
	}                                                                          \
	static void shuf_##name(size_t n, u64 rounds)                              \
	{                                                                          \
		for (u64 r = 0; r < rounds; r++) {                                 \
			for (unsigned k = 0; k < BATCH; k++) {                     \
				blk[k] = ALLOC(n);                                 \
				sink(blk[k]);                                      \
			}                                                          \
			for (unsigned k = 0; k < BATCH; k++)                       \
				FREE(blk[order[k]]);                               \
		}                                                                  \
	}

#define K_ALLOC(n) kmalloc(n, GFP_KERNEL)
WORKLOADS(kmalloc, K_ALLOC, kfree)
WORKLOADS(glibc, malloc, free)
WORKLOADS(mimalloc, mi_malloc, mi_free)

typedef void (*work_fn)(size_t n, u64 iters);

/* ns per alloc+free of fns[0..2] on size n, medians of interleaved runs. */
static void measure3(const work_fn fns[3], size_t n, u64 iters, u64 ops, double out[3])
{
	double v[3][REPS];

	for (unsigned a = 0; a < 3; a++)
		fns[a](opaque(n), iters / 10 + 1); /* warm up */
	for (unsigned r = 0; r < REPS; r++) {
		for (unsigned a = 0; a < 3; a++) {
			u64 t0 = now_ns();

			fns[a](opaque(n), iters);
			v[a][r] = (double)(now_ns() - t0) / (double)ops;
		}
	}
	for (unsigned a = 0; a < 3; a++)
		out[a] = median(v[a], REPS);
}

/* objperslab and pagesperslab of one cache, from show_slabinfo(). */
static int slabinfo_of(const char *name, unsigned *objsize, unsigned *per_slab, unsigned *pages)
{
	char *buf = NULL, *line;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int found = 0;

	show_slabinfo(f);
	fclose(f);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char nm[64];
		unsigned long long a, t;

		if (sscanf(line, "%63s %llu %llu %u %u %u", nm, &a, &t, objsize, per_slab, pages) == 6 &&
		    !strcmp(nm, name)) {
			found = 1;
			break;
		}
	}
	free(buf);
	return found;
}

static void overhead_table(void)
{
	static const unsigned cls[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192 };
	static void *objs[LIVE];

	printf("bench-slab: per-class memory overhead (%d objects of the class size live)\n", LIVE);
	printf("bench-slab: %-13s %6s %6s %8s %9s %11s %8s %12s\n", "class", "object", "slot", "obj/slab",
	       "pg/slab", "waste/slab", "pages", "bytes/objbyte");
	for (unsigned i = 0; i < ARRAY_SIZE(cls); i++) {
		char name[32];
		unsigned objsize = 0, per = 0, pg = 0;
		struct slab_totals t0, t1;
		u64 pages;

		snprintf(name, sizeof(name), "kmalloc-%u", cls[i]);
		kmem_cache_shrink_all();
		slab_totals(&t0);
		for (unsigned k = 0; k < LIVE; k++)
			objs[k] = kmalloc(cls[i], GFP_KERNEL);
		slab_totals(&t1);
		pages = (t1.unreclaimable - t0.unreclaimable) / PAGE_SIZE;
		if (!slabinfo_of(name, &objsize, &per, &pg) || !per) {
			printf("bench-slab: %-13s not in slabinfo\n", name);
		} else {
			unsigned slot = (unsigned)(pg * PAGE_SIZE / per); /* upper bound; = class size when it divides */
			unsigned waste = (unsigned)(pg * PAGE_SIZE - per * (u64)objsize);

			(void)slot;
			printf("bench-slab: %-13s %6u %6u %8u %9u %11u %8llu %12.3f\n", name, cls[i], objsize, per, pg,
			       waste, (unsigned long long)pages, (double)pages * PAGE_SIZE / ((double)LIVE * cls[i]));
		}
		for (unsigned k = 0; k < LIVE; k++)
			kfree(objs[k]);
	}
	kmem_cache_shrink_all();
}

/* --one: see the top of the file. Prints the operation count callgrind's
 * figures are divided by. */
static int run_one(const char *name, const char *size, const work_fn *k, const work_fn *mi, const char **names,
		   unsigned nw)
{
	size_t n = (size_t)strtoul(size, NULL, 0);

	for (unsigned w = 0; w < nw; w++) {
		u64 iters = w ? ONE_ROUNDS : ONE_PAIRS, ops = w ? ONE_ROUNDS * (u64)BATCH : ONE_PAIRS;

		if (strcmp(name, names[w]))
			continue;
		if (n < 1 || n > KMALLOC_MAX_CACHE_SIZE) {
			fprintf(stderr, "bench_slab --one: size %s: want 1..%d\n", size, KMALLOC_MAX_CACHE_SIZE);
			return 2;
		}
		bench_mm_setup(64ULL << 20);
		kmem_cache_init("");
		k[w](opaque(n), iters);
		mi[w](opaque(n), iters);
		printf("bench-slab-one: %s %zu ops %llu\n", name, n, (unsigned long long)ops);
		return 0;
	}
	fprintf(stderr, "bench_slab --one: workload %s: want pair, lifo or shuffled\n", name);
	return 2;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 16, 32, 64, 96, 128, 192, 256 };
	static const struct {
		const char *name;
		work_fn fn[3];
		u64 iters, ops;
	} wl[] = {
		{ "pair", { pair_kmalloc, pair_glibc, pair_mimalloc }, PAIRS, PAIRS },
		{ "lifo", { lifo_kmalloc, lifo_glibc, lifo_mimalloc }, ROUNDS, ROUNDS * (u64)BATCH },
		{ "shuffled", { shuf_kmalloc, shuf_glibc, shuf_mimalloc }, ROUNDS, ROUNDS * (u64)BATCH },
	};
	char cpu[128];
	unsigned seed = 1, slower = 0, lines = 0, fast_slower = 0, fast_lines = 0;
	double worst = 0;
	const char *worst_at = "";
	static char where[64];
	u64 free0;

	for (unsigned k = 0; k < BATCH; k++)
		order[k] = k;
	for (unsigned k = BATCH - 1; k > 0; k--) {
		unsigned j = rand_r(&seed) % (k + 1), t = order[k];

		order[k] = order[j];
		order[j] = t;
	}
	if (argc == 4 && !strcmp(argv[1], "--one")) {
		static const work_fn k[] = { pair_kmalloc, lifo_kmalloc, shuf_kmalloc },
				     mi[] = { pair_mimalloc, lifo_mimalloc, shuf_mimalloc };
		static const char *names[] = { "pair", "lifo", "shuffled" };

		return run_one(argv[2], argv[3], k, mi, names, 3);
	}
	if (argc != 1) {
		fprintf(stderr, "usage: bench_slab [--one pair|lifo|shuffled SIZE]\n");
		return 2;
	}
	bench_mm_setup(RAM_SIZE);
	kmem_cache_init("");
	free0 = nr_free_pages();
	cpu_name(cpu, sizeof(cpu));
	printf("bench-slab: %s; kmalloc (slab debug off) vs glibc malloc vs mimalloc %d.%d; ns per alloc+free, "
	       "median of %d interleaved runs\n",
	       cpu, mi_version() / 100, mi_version() % 100, REPS);
	printf("bench-slab: %-9s %5s %9s %9s %9s %9s\n", "workload", "size", "kmalloc", "glibc", "mimalloc",
	       "k/mi");
	for (unsigned w = 0; w < ARRAY_SIZE(wl); w++) {
		for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
			double ns[3], ratio;

			measure3(wl[w].fn, sizes[i], wl[w].iters, wl[w].ops, ns);
			ratio = ns[0] / ns[2];
			printf("bench-slab: %-9s %5zu %9.2f %9.2f %9.2f %9.2f%s\n", wl[w].name, sizes[i], ns[0], ns[1],
			       ns[2], ratio, ratio > 1.0 ? "  (slower)" : "");
			lines++;
			slower += ratio > 1.0;
			if (w == 0) { /* "pair": the object stays on the CPU slab, i.e. the fast path */
				fast_lines++;
				fast_slower += ratio > 1.0;
			}
			if (ratio > worst) {
				worst = ratio;
				snprintf(where, sizeof(where), "%s %zu", wl[w].name, sizes[i]);
				worst_at = where;
			}
		}
	}
	/* issue 16's target: every line (pair, lifo, shuffled x 7 sizes); issue 4's was the pair lines */
	printf("bench-slab: verdict (every workload line): %s: kmalloc/mimalloc <= 1.0 in %u of %u (worst %.2f, %s)\n",
	       slower ? "FAIL" : "PASS", lines - slower, lines, worst, worst_at);
	printf("bench-slab: fast path (pair lines): %s: kmalloc/mimalloc <= 1.0 in %u of %u\n",
	       fast_slower ? "FAIL" : "PASS", fast_lines - fast_slower, fast_lines);
	overhead_table();
	if (nr_free_pages() != free0)
		printf("bench-slab: note: %lld pages not back after the run\n",
		       (long long)free0 - (long long)nr_free_pages());
	return 0;
}
