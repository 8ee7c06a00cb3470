/* CPU time by kind, in ticks (contract in include/kernel/cpustat.h). */
#include <kernel/cpustat.h>

volatile u64 cpustat[NR_CPU_TIMES];
volatile bool cpustat_irq_from_user, cpustat_idling;

void cpustat_tick(void)
{
	cpustat[cpustat_idling ? CPU_IDLE : cpustat_irq_from_user ? CPU_USER : CPU_SYSTEM]++;
}
