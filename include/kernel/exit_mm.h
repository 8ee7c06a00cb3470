/*
 * An exiting task's address space torn down in bounded steps
 * (kernel/exit_mm.c, docs/overcommit.md): mm/mmap.c's exit_mmap frees it
 * in batches and offers a scheduling point between them, so that other
 * tasks run while a huge sparse address space goes.
 */
#ifndef KERNEL_EXIT_MM_H
#define KERNEL_EXIT_MM_H

#include <mm/mm_types.h>

/* The last teardown measured (figures under -icount shift=0: 1 ns = 1
 * instruction). */
struct exit_mm_stats {
	int pid;          /* whose mm */
	u64 tables;       /* page-table pages it had (VmPTE + the root) */
	u64 points;       /* scheduling points offered */
	u64 switches;     /* of them, where another task ran */
	u64 max_gap_ns;   /* longest stretch without one (start and end count) */
	u64 total_ns;     /* the whole teardown, other tasks' turns included */
	u64 others_ns;    /* of it, spent in other tasks at the points */
	u64 app_ticks;    /* timer ticks charged to other apps meanwhile */
};
extern struct exit_mm_stats exit_mm_last;

/* Free mm of the current task (TTBR0 already away from it, ASID put),
 * letting other tasks run between batches; interrupts are enabled
 * meanwhile and restored as they were. */
void exit_mm_teardown(struct mm_struct *mm);

#endif
