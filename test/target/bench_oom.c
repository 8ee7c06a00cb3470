/*
 * make bench: issue 12's OOM figure, in the bench-swap boot (QEMU virt,
 * cortex-a53, 256 MiB, -icount shift=0: 1 ns = 1 instruction).
 *
 * A victim (apps/memverify.c) fills 64 MiB of anonymous memory and
 * sleeps; there is no swap, and the memory fence (kernel/memfence.c)
 * leaves little else. The kernel then takes pages with GFP_KERNEL until
 * one allocation finds nothing even after direct reclaim: that call goes
 * through the OOM killer (report printed, victim chosen, SIGKILLed and
 * the reaper frees what the allocation needs) and returns its page. The
 * figures: that one call, from alloc_pages() to its return - report on the
 * PL011 console included, as a user would see it - and from the same
 * start until all of the victim's 64 MiB is back in the free lists (the
 * victim's own exit frees what the reaper left, in bounded steps).
 *
 * Its line starts "bench-oom:"; tools/bench_tables.py makes the table.
 */
#include <arch/cpu.h>
#include <kernel/memfence.h>
#include <kernel/oom.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/page_alloc.h>
#include <mm/swap.h>
#include <stdio.h>
#include <string.h>

#include "app_wait.h"
#include "mem_state.h"

void bench_oom(void);

#define VICTIM_PAGES 16384u /* 64 MiB */
#define HEADROOM 512u       /* pages beyond the victim's, for its tables and the kernel */
#define MAX_TAKE 65536u     /* never loop for ever if the killer does not run */

static char out[4096];

static inline u64 counter(void)
{
	return arch_counter();
}

/* Pages taken by the kernel, chained through page->private. */
static struct page *taken;

static void give_back(void)
{
	while (taken) {
		struct page *p = taken;

		taken = (struct page *)p->private;
		p->private = 0;
		free_pages(p, 0);
	}
}

void bench_oom(void)
{
	u64 kills = oom_kills, took = 0, t = 0, start = 0, all = 0, rss = 0, free0 = 0, free1 = 0, free2;
	struct memfence f;
	struct task *v;
	int pid, status = -1;
	char arg[48];

	printf("\nOOM kill and reap (issue 12's benchmark; -icount shift=0: 1 ns = 1 instruction)\n");
	if (swap_reinit(0, 0)) {
		printf("bench-oom: could not turn swap off\n");
		return;
	}
	drop_app_cache();
	memfence_up(&f, VICTIM_PAGES + HEADROOM);
	snprintf(arg, sizeof(arg), "%u 1 11 wait", VICTIM_PAGES);
	syscall_capture(out, sizeof(out));
	pid = task_spawn("memverify", arg, current);
	if (pid <= 0 || !syscall_capture_wait("memverify: region=", 1, APP_DEADLINE_NS) || !app_wait_sleeping(pid)) {
		printf("bench-oom: the victim did not fill its memory (pid %d)\n", pid);
		goto out;
	}
	v = task_find(pid);
	rss = v && v->mm ? mm_rss(v->mm) : 0;
	while (took < MAX_TAKE && oom_kills == kills) {
		struct page *p;
		u64 t0, t1;

		free0 = nr_free_pages();
		t0 = counter();
		p = alloc_pages(GFP_KERNEL, 0);
		t1 = counter();
		if (!p)
			break;
		p->private = (uintptr_t)taken;
		taken = p;
		took++;
		t = t1 - t0;
		start = t0;
	}
	free1 = nr_free_pages();
	if (oom_kills == kills || oom_last_victim != pid) {
		printf("bench-oom: no OOM kill of the victim after %llu pages (kills %llu, last victim %d)\n",
		       (unsigned long long)took, (unsigned long long)(oom_kills - kills), oom_last_victim);
		task_kill(pid, SIGKILL);
	}
	app_wait_exit(pid, &status); /* it runs, exits, and frees the rest */
	all = counter() - start;
	drain_pcp_pages();
	free2 = nr_free_pages();
	printf("bench-oom: kill_and_reap_64mib: %llu instructions from the failing alloc_pages(GFP_KERNEL, 0) to its "
	       "page, %llu until the victim's memory is all back, victim rss %llu pages, free pages %llu -> %llu -> "
	       "%llu, %llu pages taken first, victim status %#x\n",
	       (unsigned long long)t, (unsigned long long)all, (unsigned long long)rss, (unsigned long long)free0,
	       (unsigned long long)free1, (unsigned long long)free2, (unsigned long long)took, status);
out:
	syscall_capture(NULL, 0);
	give_back();
	memfence_down(&f);
	swap_reinit((u64)CONFIG_ZRAM_SIZE_MB << 20, (u64)CONFIG_ZRAM_MEM_LIMIT_MB << 20);
}
