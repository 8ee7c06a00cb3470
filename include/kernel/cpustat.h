/*
 * Where the CPU's time goes (kernel/cpustat.c), counted in ticks as
 * Linux's kernel_cpustat: each timer tick is charged to user (an app was
 * running at EL0), system (the kernel: kernel threads, syscalls, faults,
 * interrupts) or idle (schedule() waiting for an interrupt with nothing
 * runnable). vmstat's and top's us/sy/id come from these. iowait stays 0:
 * Pagoda's only I/O (flash reads, zram) is synchronous, done by the CPU.
 */
#ifndef KERNEL_CPUSTAT_H
#define KERNEL_CPUSTAT_H

#include <types.h>

enum cpu_time { CPU_USER, CPU_SYSTEM, CPU_IDLE, CPU_IOWAIT, NR_CPU_TIMES };

/* Ticks so far of each kind (read without a lock: one writer, the tick). */
extern volatile u64 cpustat[NR_CPU_TIMES];
/* Set by the EL0 interrupt entry while it dispatches; by the idle loop while it waits. */
extern volatile bool cpustat_irq_from_user, cpustat_idling;
/* Charge one tick (the timer interrupt). */
void cpustat_tick(void);

#endif
