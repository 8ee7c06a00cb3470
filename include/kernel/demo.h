/* The `make run` demo (until the console shell replaces it). */
#ifndef KERNEL_DEMO_H
#define KERNEL_DEMO_H

/* Exercise the memory subsystem a little and print every report. */
void demo_run(void);
/* Start the example apps and print the per-app reports (kernel/demo_apps.c). */
void apps_demo(void);
/* An app that touches more memory than it has, through zram (kernel/demo_apps.c). */
void swap_demo(void);
/* RAM and swap run out: the OOM killer's report, a survivor (kernel/demo_oom.c). */
void oom_demo(void);
/* CMA lent to an app and taken back by migration (kernel/demo_cma.c). */
void cma_demo(void);
/* A fragmented zone put back together by compaction (kernel/demo_compact.c). */
void compact_demo(void);

/* Wait for a demo app to exit and say how: killed by signal N, or exited
 * with status N (0: "every byte verified", as memverify means it). */
void demo_finish_app(int pid, const char *what);

#endif
