/*
 * make bench: issue 13's migration figure, in the bench-swap boot (QEMU
 * virt, cortex-a53, 256 MiB, -icount shift=0: 1 ns = 1 instruction).
 *
 * apps/memverify.c fills MIGRATE_PAGES anonymous pages and sleeps; the
 * kernel looks their pages up first, then times migrate_page() over them
 * (each to a new frame from the page allocator), then lets the app verify
 * every byte. The reference is one 4 KiB arch_copy_page(), timed in the
 * same boot. Its line starts "bench-migrate:"; tools/bench_tables.py makes
 * the table.
 *
 * Then issue 13's cma_alloc figure ("bench-cma:"): two memverify apps fill
 * the whole CMA region behind a fence of everything else (cma_fill.h:
 * every CMA page is in use before the call, none free), and an 8 MiB
 * cma_alloc (order-9 aligned) takes its range back by migration; total
 * instructions and per page of the range, then the apps verify every byte.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/timer.h>
#include <kernel/syscall.h>
#include <mm/cma.h>
#include <mm/mm_init.h>
#include <kernel/task.h>
#include <mm/migrate.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/vmstat.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_wait.h"
#include "cma_fill.h"

void bench_migrate(void);

#define MIGRATE_PAGES 2048u
#define COPY_ROUNDS 256u
#define CMA_BENCH_PAGES 2048u  /* 8 MiB */
#define CMA_FILL_SPARE 512u    /* outside CMA beyond the watermarks: the apps' tables, stacks, slab */
#define CMA_FILL_EXTRA 64u     /* each app's pages beyond the fill: per-CPU list leftovers */

static char out[2048];

static inline u64 counter(void)
{
	return arch_counter();
}

static u64 ticks_ns(u64 t) { return t * 1000000000ULL / timer_freq(); }

static void bench_cma(void);

void bench_migrate(void)
{
	struct page *src = alloc_page(GFP_KERNEL), *dst = alloc_page(GFP_KERNEL), **pages = NULL;
	u64 t0, copy = 0, mig = 0, n = 0, failed = 0, region = 0, flag = 0;
	int pid = -1, status = -1;
	char arg[40];

	printf("\nPage migration (issue 13's benchmark; -icount shift=0: 1 ns = 1 instruction)\n");
	if (!src || !dst)
		goto out;
	t0 = counter();
	for (unsigned i = 0; i < COPY_ROUNDS; i++)
		arch_copy_page(page_address(dst), page_address(src));
	copy = ticks_ns(counter() - t0) / COPY_ROUNDS;
	pages = vmalloc(MIGRATE_PAGES * sizeof(*pages));
	snprintf(arg, sizeof(arg), "%u 1 12 wait", MIGRATE_PAGES);
	syscall_capture(out, sizeof(out));
	pid = task_spawn("memverify", arg, current);
	if (!pages || pid <= 0 || !syscall_capture_wait("memverify: region=", 1, APP_DEADLINE_NS) ||
	    !app_wait_sleeping(pid) || sscanf(strstr(out, "region="), "region=%llx pages=%*u flag=%llx",
					      (unsigned long long *)&region, (unsigned long long *)&flag) != 2) {
		printf("bench-migrate: the app did not fill its pages (pid %d)\n", pid);
		goto out;
	}
	for (u64 i = 0; i < MIGRATE_PAGES; i++) {
		phys_addr_t pa;

		if (!pgt_query(&task_find(pid)->mm->pgt, region + i * PAGE_SIZE, &pa, NULL, NULL))
			pages[n++] = pfn_to_page(phys_to_pfn(pa));
	}
	t0 = counter();
	for (u64 i = 0; i < n; i++)
		failed += migrate_page(pages[i], migrate_alloc_gfp, GFP_HIGHUSER_MOVABLE, MR_SYSCALL, NULL) != 0;
	mig = n ? ticks_ns(counter() - t0) / n : 0;
	app_set_flag(pid, flag, 1);
	app_wait_exit(pid, &status);
	pid = -1;
	printf("bench-migrate: anon_page: %llu instructions per migrated page, 4 KiB copy %llu, %llu pages, %llu failed, "
	       "app status %d\n", (unsigned long long)mig, (unsigned long long)copy, (unsigned long long)n,
	       (unsigned long long)failed, status);
out:
	if (pid > 0) {
		task_kill(pid, SIGKILL);
		app_wait_exit(pid, &status);
	}
	syscall_capture(NULL, 0);
	vfree(pages);
	if (src)
		free_page(src);
	if (dst)
		free_page(dst);
	bench_cma();
}

/* Spawn memverify PAGES 1 SEED wait; its pid once it has filled and sleeps
 * (*region: its pages, *flag: the word it waits on), or -1. */
static int spawn_filled(u64 pages, unsigned seed, u64 *region, u64 *flag)
{
	unsigned before = app_output_count(out, "memverify: region=");
	const char *line = out;
	char arg[48];
	int pid;

	snprintf(arg, sizeof(arg), "%llu 1 %u wait", (unsigned long long)pages, seed);
	pid = task_spawn("memverify", arg, current);
	if (pid <= 0 || !syscall_capture_wait("memverify: region=", before + 1, APP_DEADLINE_NS) || !app_wait_sleeping(pid))
		return -1;
	for (unsigned i = 0; i <= before; i++)
		line = strstr(line, "memverify: region=") + 1;
	return sscanf(line - 1, "memverify: region=%llx pages=%*u flag=%llx", (unsigned long long *)region,
		      (unsigned long long *)flag) == 2 ? pid : -1;
}

/* Pages of [region, region + pages) of pid whose frames are in CMA. */
static u64 in_cma(int pid, u64 region, u64 pages)
{
	struct task *t = task_find(pid);
	u64 k = 0;

	for (u64 i = 0; t && t->mm && i < pages; i++) {
		phys_addr_t pa;

		if (!pgt_query(&t->mm->pgt, region + i * PAGE_SIZE, &pa, NULL, NULL))
			k += pa >= cma_base && pa < cma_base + cma_size;
	}
	return k;
}

static void bench_cma(void)
{
	u64 n = cma_size / PAGE_SIZE, count = MIN((u64)CMA_BENCH_PAGES, n), each, free, t0, ns = 0, moved = 0;
	u64 flag[2] = { 0, 0 }, region[2] = { 0, 0 }, lent = 0;
	int pid[2] = { -1, -1 }, status[2] = { -1, -1 };
	struct cma_fence f;
	struct page *p;

	printf("\nCMA (issue 13's benchmark): cma_alloc of %llu KiB with every CMA page lent to apps\n",
	       (unsigned long long)(count * 4));
	if (!n || !(p = cma_alloc(n, 0))) { /* empties the region of earlier borrowers */
		printf("bench-cma: no CMA region, or it cannot be emptied first\n");
		return;
	}
	cma_release(p, n);
	p = NULL;
	if (!cma_fence_up(&f, CMA_FILL_SPARE)) {
		printf("bench-cma: cannot fence the memory outside CMA (see above)\n");
		return;
	}
	each = f.fill / 2 + CMA_FILL_EXTRA;
	syscall_capture(out, sizeof(out));
	pid[0] = spawn_filled(each, 13, &region[0], &flag[0]);
	pid[1] = pid[0] > 0 ? spawn_filled(each, 14, &region[1], &flag[1]) : -1;
	free = cma_free_pages();
	cma_fence_down(&f);
	if (pid[0] > 0 && pid[1] > 0) {
		lent = in_cma(pid[0], region[0], each) + in_cma(pid[1], region[1], each);
		moved = vm_events[PGMIGRATE_SUCCESS];
		t0 = counter();
		p = cma_alloc(count, 9);
		ns = ticks_ns(counter() - t0);
		moved = vm_events[PGMIGRATE_SUCCESS] - moved;
		if (p)
			cma_release(p, count);
		for (int i = 0; i < 2; i++)
			app_set_flag(pid[i], flag[i], 1);
	}
	for (int i = 0; i < 2; i++) {
		if (pid[i] > 0 && app_wait_exit(pid[i], &status[i]) != pid[i]) {
			task_kill(pid[i], SIGKILL);
			app_wait_exit(pid[i], &status[i]);
		}
	}
	syscall_capture(NULL, 0);
	printf("bench-cma: alloc_%llumib_fully_lent: %llu instructions, %llu per page of the range, %llu pages migrated, "
	       "%s; CMA %llu pages before the call: %llu free, %llu holding the apps' regions (the rest their text, "
	       "data, stacks); apps %llu pages each, status %d %d\n",
	       (unsigned long long)(count >> 8), (unsigned long long)ns, (unsigned long long)(ns / count),
	       (unsigned long long)moved, p ? "ok" : "failed", (unsigned long long)n, (unsigned long long)free,
	       (unsigned long long)lent, (unsigned long long)each, status[0], status[1]);
}
