/*
 * The apps part of the `make run` demo: start the example apps, let them
 * fault their memory in, print every per-app report while they run
 * (ps, smem, maps, smaps, fault kinds, meminfo), then stop them and show
 * that their memory came back.
 */
#include <kernel/appimg.h>
#include <kernel/demo.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/memory.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <stdio.h>
#include <string.h>

static char out[16384];

static void reap(int pid, const char *what)
{
	int status = 0;

	if (pid <= 0 || task_wait(pid, &status, false) != pid)
		return;
	if (status & 0x7f)
		printf("[kernel] %s (pid %d) was killed by signal %d\n", what, pid, status & 0x7f);
	else
		printf("[kernel] %s (pid %d) exited with status %d\n", what, pid, status >> 8);
}

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
