/*
 * Host benchmark of zram (mm/zram.c, zpool.c, lib/crc32c.c: the real
 * sources, clang -O2 -DNDEBUG, no sanitizers) on platform/host's RAM
 * arena with board.cfg's zones, next to raw liblz4 in this process.
 *
 * Page: the semi-compressible pattern (word k of page p is
 * (p * 0x100000001B3) ^ 0x5A5A5A5A00000000 when (k & 6) != 0, else
 * mix64((p << 9) | k)). Per page, median over REPS interleaved runs of
 * PAGES pages each:
 *   raw       LZ4_compress_default + LZ4_decompress_safe
 *   fastreset LZ4_compress_fast_extState_fastReset + LZ4_decompress_safe
 *   zram      zram_store + zram_load (same pages, same slots)
 * The verdict: zram / raw <= 1.10 (the host target).
 * Then the ratios after storing 32 MiB of the pattern into a 32 MiB
 * device: orig/compr and orig/mem_used (target >= 2.70), and mm_stat.
 */
#define LZ4_STATIC_LINKING_ONLY
#include <arch/phys.h>
#include <fcntl.h>
#include <generated/board.h>
#include <host.h>
#include <lz4.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/zram.h>
#include <unistd.h>

#include "../host/page_pattern.h"
#include "bench_mm.h"
#include "bench_util.h"

#define RAM_SIZE (512ULL << 20)
#define PAGES 256
#define REPS 31


static u64 pages[PAGES][512];
static char cbuf[PAGES][LZ4_COMPRESSBOUND(4096)];
static u64 out[512];

static double run_raw(void)
{
	u64 t0 = now_ns();

	for (int i = 0; i < PAGES; i++) {
		int n = LZ4_compress_default((const char *)pages[i], cbuf[i], 4096, sizeof(cbuf[i]));

		if (LZ4_decompress_safe(cbuf[i], (char *)out, n, 4096) != 4096)
			exit(2);
		sink(out);
	}
	return (double)(now_ns() - t0) / PAGES;
}

static double run_fastreset(void *state)
{
	u64 t0 = now_ns();

	for (int i = 0; i < PAGES; i++) {
		int n = LZ4_compress_fast_extState_fastReset(state, (const char *)pages[i], cbuf[i], 4096,
							     sizeof(cbuf[i]), 1);

		if (LZ4_decompress_safe(cbuf[i], (char *)out, n, 4096) != 4096)
			exit(2);
		sink(out);
	}
	return (double)(now_ns() - t0) / PAGES;
}

static double run_zram(struct zram *z)
{
	u64 t0 = now_ns();

	for (int i = 0; i < PAGES; i++) {
		if (zram_store(z, (u64)i, pages[i], GFP_KERNEL) || zram_load(z, (u64)i, out))
			exit(3);
		sink(out);
	}
	return (double)(now_ns() - t0) / PAGES;
}

int main(void)
{
	static double raw[REPS], fr[REPS], zr[REPS];
	static u64 state_mem[16384 / 8 + 64];
	void *state = LZ4_initStream(state_mem, sizeof(state_mem));
	struct zram *z;
	struct zram_stats st;
	char cpu[128];
	double r, f, zz;

	bench_mm_setup(RAM_SIZE);
	cpu_name(cpu, sizeof(cpu));
	for (int i = 0; i < PAGES; i++)
		semi_page(pages[i], (u64)i);
	if (zram_create(&z, (u64)PAGES * 4096, 0, GFP_KERNEL) || !state)
		return 1;
	run_raw();
	run_fastreset(state);
	run_zram(z);
	for (int k = 0; k < REPS; k++) {
		raw[k] = run_raw();
		fr[k] = run_fastreset(state);
		zr[k] = run_zram(z);
	}
	r = median(raw, REPS);
	f = median(fr, REPS);
	zz = median(zr, REPS);
	printf("bench-zram: %s; liblz4 %s; semi-compressible page, median of %d runs of %d pages\n", cpu,
	       LZ4_versionString(), REPS, PAGES);
	printf("bench-zram: raw LZ4_compress_default+LZ4_decompress_safe %8.0f ns/page\n", r);
	printf("bench-zram: LZ4 fastReset+LZ4_decompress_safe            %8.0f ns/page  ratio %.3f\n", f,
	       f / r);
	printf("bench-zram: zram_store+zram_load                         %8.0f ns/page  ratio %.3f\n", zz,
	       zz / r);
	printf("bench-zram: verdict (zram/raw <= 1.10): %s %.3f\n", zz / r <= 1.10 ? "PASS" : "FAIL", zz / r);
	zram_destroy(z);

	/* ratios over 32 MiB of the pattern */
	if (zram_create(&z, 32ULL << 20, 0, GFP_KERNEL))
		return 1;
	for (u64 p = 0; p < (32ULL << 20) / 4096; p++) {
		semi_page(pages[0], p);
		if (zram_store(z, p, pages[0], GFP_KERNEL))
			return 1;
	}
	zram_get_stats(z, &st);
	printf("bench-zram: 32 MiB: orig/compr %.3f  orig/mem_used %.3f (target >= 2.70: %s)\n",
	       (double)(st.pages_stored * 4096) / (double)st.compr_data_size,
	       (double)(st.pages_stored * 4096) / (double)st.mem_used_total,
	       (double)(st.pages_stored * 4096) / (double)st.mem_used_total >= 2.70 ? "PASS" : "FAIL");
	printf("bench-zram: mm_stat ");
	zram_show_mm_stat(z, stdout);
	printf("bench-zram: compacted %llu pages; mm_stat ", (unsigned long long)zram_compact(z));
	zram_show_mm_stat(z, stdout);
	zram_destroy(z);
	return 0;
}
