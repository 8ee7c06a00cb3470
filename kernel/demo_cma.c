/*
 * The CMA part of the `make run` demo: the CMA region lent to an app and
 * taken back by migration. Memory outside CMA is fenced off (the region is
 * held meanwhile, so the fence leaves it alone) and then the region is
 * released: memverify's pages land in it (movable allocations take CMA
 * first while it holds most of the free memory). A driver's 8 MiB
 * cma_alloc then moves the app's pages out (mm/migrate.c) and gets its
 * contiguous range; buddyinfo and pagetypeinfo before and after, and the
 * app verifies every byte (docs/physical-memory.md).
 */
#include <kernel/appimg.h>
#include <kernel/demo.h>
#include <kernel/memfence.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/cma.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/report.h>
#include <mm/uaccess.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMA_DEMO_KEEP 256u     /* pages left outside CMA while the app fills */
#define CMA_DEMO_BYTES (8ull << 20)
#define CMA_DEMO_WAIT_NS 60000000000ull

static char out[2048];

/* Pages of [region, region + pages) of pid that are in the CMA region. */
static u64 in_cma(int pid, u64 region, u64 pages)
{
	struct task *t = task_find(pid);
	u64 n = 0;

	for (u64 i = 0; t && t->mm && i < pages; i++) {
		phys_addr_t pa;

		if (!pgt_query(&t->mm->pgt, region + i * PAGE_SIZE, &pa, NULL, NULL))
			n += pa >= cma_base && pa < cma_base + cma_size;
	}
	return n;
}

void cma_demo(void)
{
	u64 count = MIN(CMA_DEMO_BYTES, cma_size) / PAGE_SIZE, pages, region = 0, flag = 0, one = 1, moved;
	struct page *whole, *got;
	struct memfence f;
	const char *line;
	int pid;
	char arg[40];

	if (!appimg_count() || !cma_size) {
		printf("\nCMA demo skipped: %s\n", cma_size ? "no app image" : "no CMA region (CONFIG_CMA_SIZE_MB=0)");
		return;
	}
	whole = cma_alloc(cma_size / PAGE_SIZE, 0); /* held while the fence goes up */
	if (!whole) {
		printf("\nCMA demo skipped: the CMA region is in use\n");
		return;
	}
	memfence_up(&f, CMA_DEMO_KEEP);
	cma_release(whole, cma_size / PAGE_SIZE);
	pages = cma_size / PAGE_SIZE * 7 / 8;
	printf("\nCMA demo: memory outside the %llu MiB CMA region fenced off; memverify fills %llu pages, which "
	       "land in CMA (lent to movable allocations), then a driver asks for %llu MiB of it\n",
	       (unsigned long long)(cma_size >> 20), (unsigned long long)pages, (unsigned long long)(count >> 8));
	snprintf(arg, sizeof(arg), "%llu 1 5 wait", (unsigned long long)pages);
	syscall_capture(out, sizeof(out));
	pid = task_spawn("memverify", arg, current);
	if (pid <= 0 || !syscall_capture_wait("memverify: region=", 1, CMA_DEMO_WAIT_NS) ||
	    !(line = strstr(out, "memverify: region="))) {
		printf("[kernel] memverify did not fill its pages (pid %d)\n", pid);
		memfence_down(&f);
		goto out;
	}
	sscanf(line, "memverify: region=%llx pages=%*u flag=%llx", (unsigned long long *)&region,
	       (unsigned long long *)&flag);
	memfence_down(&f);
	printf("[kernel] memverify (pid %d) holds %llu pages, %llu of them in CMA\n", pid, (unsigned long long)pages,
	       (unsigned long long)in_cma(pid, region, pages));
	printf("\n$ cat /proc/buddyinfo   (CMA lent out)\n");
	show_buddyinfo(stdout);
	printf("$ cat /proc/pagetypeinfo\n");
	show_pagetypeinfo(stdout);
	moved = vm_events[PGMIGRATE_SUCCESS];
	got = cma_alloc(count, 9);
	moved = vm_events[PGMIGRATE_SUCCESS] - moved;
	if (got)
		printf("\n[kernel] cma_alloc(%llu MiB) -> [mem %#011llx-%#011llx]: %llu of the app's pages migrated out "
		       "of the range; %llu still in CMA\n", (unsigned long long)(count >> 8),
		       (unsigned long long)page_to_phys(got), (unsigned long long)(page_to_phys(got) + count * PAGE_SIZE - 1),
		       (unsigned long long)moved, (unsigned long long)in_cma(pid, region, pages));
	else
		printf("\n[kernel] cma_alloc(%llu MiB) failed (see the line above)\n", (unsigned long long)(count >> 8));
	printf("$ cat /proc/buddyinfo   (the driver holds its range)\n");
	show_buddyinfo(stdout);
	printf("$ cat /proc/pagetypeinfo\n");
	show_pagetypeinfo(stdout);
	printf("$ grep pgmigrate /proc/vmstat\n%s %llu\n%s %llu\n", vm_event_name(PGMIGRATE_SUCCESS),
	       (unsigned long long)vm_events[PGMIGRATE_SUCCESS], vm_event_name(PGMIGRATE_FAIL),
	       (unsigned long long)vm_events[PGMIGRATE_FAIL]);
	if (got)
		cma_release(got, count);
	if (task_find(pid) && flag)
		copy_to_user(task_find(pid)->mm, flag, &one, sizeof(one));
out:
	demo_finish_app(pid, "memverify");
	syscall_capture(NULL, 0);
}
