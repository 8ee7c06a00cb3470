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
 */
#include <arch/sysreg.h>
#include <arch/mmu.h>
#include <arch/timer.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/migrate.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_wait.h"

void bench_migrate(void);

#define MIGRATE_PAGES 2048u
#define COPY_ROUNDS 256u

static char out[2048];

static inline u64 counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static u64 ticks_ns(u64 t) { return t * 1000000000ULL / timer_freq(); }

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
}
