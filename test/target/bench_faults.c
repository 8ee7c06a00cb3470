/*
 * make bench: the cost of page faults, end to end (exception entry, fault
 * handling, return to EL0), measured by the faultbench app from EL0 with
 * the virtual counter. Under -icount shift=0 virtual time counts
 * instructions (1 ns = 1 instruction), so the figures repeat exactly.
 */
#include <kernel/appimg.h>
#include <kernel/task.h>
#include <stdio.h>

void bench_faults(void)
{
	int pid, status = 0;

	printf("\nPage-fault cost (faultbench at EL0; -icount shift=0: 1 ns = 1 instruction)\n");
	pid = task_spawn("faultbench", "", current);
	if (pid < 0) {
		printf("  faultbench did not start (%d)\n", pid);
		return;
	}
	task_wait(pid, &status, false);
	if (status)
		printf("  faultbench ended with status %#x\n", status);
}
