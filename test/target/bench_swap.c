/*
 * make bench: issue 11's swap benchmarks, on the machine the Linux 6.1
 * figures come from (QEMU virt, cortex-a53, 256 MiB, -icount shift=0:
 * 1 ns = 1 instruction), booted with "bench-swap":
 *
 *   lz4 floor   LZ4's own cost on the page pattern, measured here:
 *               LZ4_compress_fast_extState(acceleration 1) on a state
 *               that is cleared on every call, which is exactly what
 *               LZ4_compress_default does but with the 16 KiB state off
 *               the (16 KiB) kernel stack, and LZ4_decompress_safe
 *   swapout_madv_pageout_zram_lz4, swapin_majfault_zram_lz4
 *               apps/swapbench.c on 32 MiB (8,192 pages) in step mode, so
 *               that pswpout/pswpin/pgmajfault are read between its phases
 *   thrash      apps/thrash.c on 150% of MemAvailable (apps cannot read
 *               /proc: passed as its argument), on zram0 resized to hold
 *               all of it (THRASH_ZRAM_MB, no memory limit); pages/s out
 *               over its fill phase, in over its verify phase
 *
 * Every line starts "bench-swap:"; tools/bench_tables.py makes the table.
 */
#include <arch/fpsimd.h>
#include <arch/cpu.h>
#include <arch/timer.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <lz4.h>
#include <mm/report.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/uaccess.h>
#include <mm/vmstat.h>
#include <mm/zram.h>
#include <uapi/pagoda/page_pattern.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_wait.h"

void bench_swap(void);

#define SWAPBENCH_PAGES 8192u /* 32 MiB, as the Linux run */
#define FLOOR_PAGES 64u
#define THRASH_ZRAM_MB 512u
#define DEADLINE_NS 600000000000ull /* 10 min of virtual time per phase */

static char out[8192];

static inline u64 counter(void)
{
	return arch_counter();
}

static u64 ticks_ns(u64 t) { return t * 1000000000ULL / timer_freq(); }

/* LZ4's floor: mean instructions per page over FLOOR_PAGES pattern pages. */
static void lz4_floor(void)
{
	size_t state_size = (size_t)LZ4_sizeofState();
	void *state = kmalloc(state_size, GFP_KERNEL);
	u64 *page = kmalloc(PAGE_SIZE, GFP_KERNEL), *back = kmalloc(PAGE_SIZE, GFP_KERNEL);
	char *dst = kmalloc((size_t)LZ4_compressBound(PAGE_SIZE), GFP_KERNEL);
	u64 tc = 0, td = 0, bytes = 0, bad = 0;

	if (!state || !page || !back || !dst) {
		printf("bench-swap: lz4 floor: no memory\n");
		goto out;
	}
	for (unsigned p = 0; p < FLOOR_PAGES; p++) {
		u64 t0, t1, t2;
		int n, m;

		pattern_fill(page, p);
		kernel_neon_begin();
		t0 = counter();
		n = LZ4_compress_fast_extState(state, (const char *)page, dst, PAGE_SIZE, LZ4_compressBound(PAGE_SIZE), 1);
		t1 = counter();
		m = LZ4_decompress_safe(dst, (char *)back, n, PAGE_SIZE);
		t2 = counter();
		kernel_neon_end();
		tc += t1 - t0;
		td += t2 - t1;
		bytes += (u64)n;
		bad += m != PAGE_SIZE || pattern_bad_words(back, p);
	}
	printf("bench-swap: lz4 floor: LZ4_compress_default %llu instructions, LZ4_decompress_safe %llu instructions "
	       "per page, %llu bytes compressed, %llu bad (mean of %u pages)\n",
	       (unsigned long long)(ticks_ns(tc) / FLOOR_PAGES), (unsigned long long)(ticks_ns(td) / FLOOR_PAGES),
	       (unsigned long long)(bytes / FLOOR_PAGES), (unsigned long long)bad, FLOOR_PAGES);
out:
	kfree(state);
	kfree(page);
	kfree(back);
	kfree(dst);
}

/* Wait until pid prints needle and then sleeps (waiting for its flag). */
static bool wait_phase(int pid, const char *needle)
{
	if (!syscall_capture_wait(needle, 1, DEADLINE_NS))
		return false;
	return app_wait_sleeping(pid);
}

/* The number after field in the captured line that starts with key
 * (field "" : right after key), or 0. */
static u64 field(const char *key, const char *field)
{
	const char *p = strstr(out, key), *f;

	if (!p)
		return 0;
	p += strlen(key);
	f = *field ? strstr(p, field) : p;
	return f && (!strchr(p, '\n') || f < strchr(p, '\n')) ? strtoull(f + strlen(field), NULL, 0) : 0;
}

static u64 after(const char *key) { return field(key, ""); }

/* The hex address after key (the apps print flag=<hex>), or 0. */
static unsigned long hex_after(const char *key)
{
	const char *p = strstr(out, key);

	return p ? strtoul(p + strlen(key), NULL, 16) : 0;
}

static int finish(int pid)
{
	int status = -1;

	task_wait(pid, &status, false);
	syscall_capture(NULL, 0);
	return status;
}

static void swapout_swapin(void)
{
	u64 e0[NR_VM_EVENT_ITEMS], e1[NR_VM_EVENT_ITEMS], e2[NR_VM_EVENT_ITEMS];
	unsigned long flag = 0;
	struct zram_stats zs;
	char arg[32];
	int pid, status;

	syscall_capture(out, sizeof(out));
	snprintf(arg, sizeof(arg), "%u step", SWAPBENCH_PAGES);
	memcpy(e0, vm_events, sizeof(e0));
	pid = task_spawn("swapbench", arg, current);
	if (pid < 0 || !wait_phase(pid, "swapbench: paged out flag=")) {
		printf("bench-swap: swapbench did not page out (pid %d)\n", pid);
		goto out;
	}
	memcpy(e1, vm_events, sizeof(e1));
	zram_get_stats(swap_zram(), &zs);
	flag = hex_after("swapbench: paged out flag=");
	app_set_flag(pid, flag, 1);
	if (!wait_phase(pid, "swapbench: read done")) {
		printf("bench-swap: swapbench did not read back\n");
		goto out;
	}
	memcpy(e2, vm_events, sizeof(e2));
	app_set_flag(pid, flag, 2);
	status = finish(pid);
	pid = -1;
	printf("bench-swap: swapout_madv_pageout_zram_lz4: %llu instructions per page, pswpout +%llu for %u pages\n",
	       (unsigned long long)after("swapbench: swapout_madv_pageout_zram_lz4 8192 pages: "),
	       (unsigned long long)(e1[PSWPOUT] - e0[PSWPOUT]), SWAPBENCH_PAGES);
	printf("bench-swap: swapin_majfault_zram_lz4: %llu instructions per fault, pswpin +%llu pgmajfault +%llu, "
	       "%llu bad words, status %d\n",
	       (unsigned long long)after("swapbench: swapin_majfault_zram_lz4 8192 faults: "),
	       (unsigned long long)(e2[PSWPIN] - e1[PSWPIN]), (unsigned long long)(e2[PGMAJFAULT] - e1[PGMAJFAULT]),
	       (unsigned long long)after("swapbench: verify 8192 pages: "), status);
	printf("bench-swap: zram after the fill: orig_data_size %llu compr_data_size %llu mem_used_total %llu: "
	       "orig/compr %llu.%03llu orig/mem_used %llu.%03llu\n",
	       (unsigned long long)(zs.pages_stored * PAGE_SIZE), (unsigned long long)zs.compr_data_size,
	       (unsigned long long)zs.mem_used_total,
	       (unsigned long long)(zs.pages_stored * PAGE_SIZE * 1000 / (zs.compr_data_size ? zs.compr_data_size : 1) / 1000),
	       (unsigned long long)(zs.pages_stored * PAGE_SIZE * 1000 / (zs.compr_data_size ? zs.compr_data_size : 1) % 1000),
	       (unsigned long long)(zs.pages_stored * PAGE_SIZE * 1000 / (zs.mem_used_total ? zs.mem_used_total : 1) / 1000),
	       (unsigned long long)(zs.pages_stored * PAGE_SIZE * 1000 / (zs.mem_used_total ? zs.mem_used_total : 1) % 1000));
out:
	if (pid > 0) {
		task_kill(pid, SIGKILL);
		finish(pid);
	}
	syscall_capture(NULL, 0);
}

static void thrash(void)
{
	u64 e0[NR_VM_EVENT_ITEMS], e1[NR_VM_EVENT_ITEMS], e2[NR_VM_EVENT_ITEMS], pages, fill_ns, verify_ns, outp, inp;
	struct meminfo mi;
	char arg[40];
	int pid, status, rc;

	if ((rc = swap_reinit((u64)THRASH_ZRAM_MB << 20, 0))) {
		printf("bench-swap: thrash: cannot resize zram0 to %u MiB (%d)\n", THRASH_ZRAM_MB, rc);
		return;
	}
	meminfo_read(&mi);
	pages = mi.mem_available / 4 * 3 / 2;
	snprintf(arg, sizeof(arg), "%llu 1step", (unsigned long long)pages);
	syscall_capture(out, sizeof(out));
	memcpy(e0, vm_events, sizeof(e0));
	pid = task_spawn("thrash", arg, current);
	if (pid < 0 || !wait_phase(pid, "thrash: filled flag=")) {
		printf("bench-swap: thrash did not fill %llu pages (pid %d)\n", (unsigned long long)pages, pid);
		if (pid > 0) {
			task_kill(pid, SIGKILL);
			finish(pid);
		}
		goto out;
	}
	memcpy(e1, vm_events, sizeof(e1));
	app_set_flag(pid, hex_after("thrash: filled flag="), 1);
	status = finish(pid);
	memcpy(e2, vm_events, sizeof(e2));
	fill_ns = field("thrash: round 1 fill ", "pages: ");
	verify_ns = field("thrash: round 1 verify ", "pages: ");
	outp = e1[PSWPOUT] - e0[PSWPOUT];
	inp = e2[PSWPIN] - e1[PSWPIN];
	printf("bench-swap: thrash: %llu pages (150%% of MemAvailable %llu kB): out %llu pages/s over the fill "
	       "(pswpout +%llu in %llu ns), in %llu pages/s over the verify (pswpin +%llu in %llu ns), "
	       "%llu bad words, status %d\n",
	       (unsigned long long)pages, (unsigned long long)mi.mem_available,
	       (unsigned long long)(fill_ns ? outp * 1000000000ull / fill_ns : 0), (unsigned long long)outp,
	       (unsigned long long)fill_ns, (unsigned long long)(verify_ns ? inp * 1000000000ull / verify_ns : 0),
	       (unsigned long long)inp, (unsigned long long)verify_ns,
	       (unsigned long long)field("thrash: round 1 verify ", " ns, "), status);
out:
	syscall_capture(NULL, 0);
	if ((rc = swap_reinit((u64)CONFIG_ZRAM_SIZE_MB << 20, (u64)CONFIG_ZRAM_MEM_LIMIT_MB << 20)))
		printf("bench-swap: cannot restore zram0 (%d)\n", rc);
}

void bench_swap(void)
{
	struct meminfo mi;

	meminfo_read(&mi);
	printf("\nSwap to zram (issue 11's benchmarks; -icount shift=0: 1 ns = 1 instruction)\n");
	printf("bench-swap: machine: MemTotal %llu kB, MemAvailable %llu kB, zram0 %u MiB (limit %u MiB)\n",
	       (unsigned long long)mi.mem_total, (unsigned long long)mi.mem_available, CONFIG_ZRAM_SIZE_MB,
	       CONFIG_ZRAM_MEM_LIMIT_MB);
	lz4_floor();
	swapout_swapin();
	thrash();
}
