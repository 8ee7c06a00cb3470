/* The `make run` demo (until the console shell replaces it). */
#ifndef KERNEL_DEMO_H
#define KERNEL_DEMO_H

/* Exercise the memory subsystem a little and print every report. */
void demo_run(void);

#endif
