/*
 * The apps part of the `make run` demo: start the example apps, let them
 * fault their memory in, print every per-app report while they run
 * (ps, smem, maps, smaps, fault kinds, meminfo), then stop them and show
 * that their memory came back. Then swap: an app that touches more memory
 * than the apps have (fenced to SWAP_DEMO_KEEP pages, whatever -m is), its
 * data read back intact, with meminfo/vmstat/mm_stat before and after.
 */
#include <kernel/appimg.h>
#include <kernel/demo.h>
#include <kernel/memfence.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/memory.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/swap.h>
#include <mm/uaccess.h>
#include <mm/vmstat.h>
#include <mm/zram.h>
#include <stdio.h>
#include <string.h>

static char out[16384];

/* Wait for pid and say how it ended; ok: what follows a 0 exit status. */
static void finish(int pid, const char *what, const char *ok)
{
	int status = 0;

	if (pid <= 0 || task_wait(pid, &status, false) != pid)
		return;
	if (status & 0x7f)
		printf("[kernel] %s (pid %d) was killed by signal %d\n", what, pid, status & 0x7f);
	else
		printf("[kernel] %s (pid %d) exited with status %d%s\n", what, pid, status >> 8, status ? "" : ok);
}

static void reap(int pid, const char *what) { finish(pid, what, ""); }

void apps_demo(void)
{
	int demo, heap, s1, s2, stack, wild;
	u64 free_before;

	if (!appimg_count()) {
		printf("\nApps demo skipped: no app image\n");
		return;
	}
	printf("\nApps demo: programs from the app image (pflash), each in its own address space\n");
	appimg_report(stdout);
	free_before = nr_free_pages();
	syscall_capture(out, sizeof(out));
	demo = task_spawn("demo", "", current);
	heap = task_spawn("heapgrow", "4", current);
	s1 = task_spawn("sharer", "forever", current);
	s2 = task_spawn("sharer", "forever", current);
	printf("[kernel] started demo (pid %d), heapgrow 4 (pid %d), two sharer (pids %d, %d)\n", demo, heap, s1, s2);
	reap(demo, "demo");
	reap(heap, "heapgrow");
	stack = task_spawn("stackrec", "", current);
	reap(stack, "stackrec");
	wild = task_spawn("wildptr", "null", current);
	reap(wild, "wildptr null");
	syscall_capture_wait("sharer: ready", 2, 2000000000ull);
	syscall_capture(NULL, 0);

	printf("\n$ ps\n");
	show_ps(stdout);
	printf("\n$ smem\n");
	show_smem(stdout);
	printf("\n$ cat /proc/%d/maps\n", s1);
	show_task_maps(stdout, s1, false);
	printf("\n$ cat /proc/%d/smaps\n", s1);
	show_task_maps(stdout, s1, true);
	printf("\nPage faults by kind since boot:\n");
	for (int k = 0; k < NR_FAULT_KINDS; k++)
		if (fault_kind_count[k])
			printf("  %-14s %8llu\n", fault_kind_name(k), (unsigned long long)fault_kind_count[k]);
	printf("\n$ cat /proc/meminfo   (while the sharers run)\n");
	show_meminfo(stdout);

	task_kill(s1, SIGKILL);
	task_kill(s2, SIGKILL);
	reap(s1, "sharer");
	reap(s2, "sharer");
	drain_pcp_pages();
	printf("\n[kernel] all apps gone: %llu pages free before the apps, %llu after (the difference is page cache)\n",
	       (unsigned long long)free_before, (unsigned long long)nr_free_pages());
	printf("\n$ ps\n");
	show_ps(stdout);
}

#define SWAP_DEMO_KEEP 4096u /* 16 MiB left for the apps */

/* The reclaim and swap lines of /proc/vmstat. */
static void show_swap_vmstat(void)
{
	static const enum vm_event_item items[] = { PSWPIN, PSWPOUT, PGMAJFAULT, PGSCAN_KSWAPD, PGSCAN_DIRECT,
						    PGSTEAL_KSWAPD, PGSTEAL_DIRECT, ALLOCSTALL,
						    WORKINGSET_REFAULT_ANON, WORKINGSET_REFAULT_FILE };

	printf("$ grep -E 'pswp|majfault|pgscan_|pgsteal_|allocstall|refault' /proc/vmstat\n");
	for (unsigned i = 0; i < ARRAY_SIZE(items); i++)
		printf("%s %llu\n", vm_event_name(items[i]), (unsigned long long)vm_events[items[i]]);
}

static void show_swap_state(const char *when)
{
	printf("\n---- %s ----\n$ cat /proc/swaps\n", when);
	show_swaps(stdout);
	printf("$ cat /sys/block/zram0/mm_stat\n");
	zram_show_mm_stat(swap_zram(), stdout);
	show_swap_vmstat();
	printf("$ cat /proc/meminfo\n");
	show_meminfo(stdout);
}

void swap_demo(void)
{
	struct memfence f;
	u64 pages;
	char arg[40];
	int pid;

	if (!appimg_count() || !swap_zram()) {
		printf("\nSwap demo skipped: %s\n", appimg_count() ? "no swap device (CONFIG_ZRAM_SIZE_MB=0)" : "no app image");
		return;
	}
	memfence_up(&f, SWAP_DEMO_KEEP);
	pages = f.given * 3 / 2; /* what the apps can reach (MemAvailable may count more) */
	printf("\nSwap demo: %llu MiB fenced off, %llu pages (%llu MiB) left for apps; memverify fills %llu pages "
	       "(150%% of them) with data derived from each page's address, then reads every byte back\n",
	       (unsigned long long)(f.pages >> 8), (unsigned long long)f.given, (unsigned long long)(f.given >> 8),
	       (unsigned long long)pages);
	show_swap_state("before");
	snprintf(arg, sizeof(arg), "%llu 1 1 wait", (unsigned long long)pages);
	syscall_capture(out, sizeof(out));
	pid = task_spawn("memverify", arg, current);
	printf("[kernel] started memverify %s (pid %d)\n", arg, pid);
	if (pid > 0 && syscall_capture_wait("memverify: region=", 1, 60000000000ull)) {
		const char *line = strstr(out, "memverify: region=");
		unsigned long region, n, flag = 0;
		u64 one = 1;

		printf("\n$ smem   (memverify has filled its pages and waits: most of them are in zram)\n");
		show_smem(stdout);
		printf("$ cat /sys/block/zram0/mm_stat\n");
		zram_show_mm_stat(swap_zram(), stdout);
		if (sscanf(line, "memverify: region=%lx pages=%lu flag=%lx", &region, &n, &flag) == 3 && task_find(pid))
			copy_to_user(task_find(pid)->mm, flag, &one, sizeof(one));
	}
	reap(pid, "memverify");
	syscall_capture(NULL, 0);
	show_swap_state("after");
	memfence_down(&f);
}

void demo_finish_app(int pid, const char *what)
{
	finish(pid, what, ": every byte verified");
}
