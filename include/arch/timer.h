/* The ARM generic timer: the kernel tick and a monotonic clock. */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <types.h>

/* Start the periodic tick at CONFIG_TIMER_HZ on CONFIG_TIMER_IRQ.
 * Needs irq_init() first. Returns 0 or a negative errno. */
int timer_init(void);
/* Ticks since timer_init(). */
u64 timer_ticks(void);
/* Counter frequency in Hz (CNTFRQ_EL0). */
u64 timer_freq(void);
/* Monotonic time since boot in nanoseconds (from the counter). */
u64 timer_now_ns(void);
/* Install the function called on every tick from the timer interrupt (the
 * scheduler will hook here); returns the previous hook so it can be restored. */
void (*timer_set_tick_hook(void (*hook)(void)))(void);

#endif
