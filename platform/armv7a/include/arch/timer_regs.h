/* The PL1 virtual timer's registers for platform/common/timer.c (ARMv7-A, CP15). */
#ifndef ARCH_TIMER_REGS_H
#define ARCH_TIMER_REGS_H

#include <arch/sysreg.h>

/* CNTVCT, read after every earlier instruction. */
static inline u64 timer_read_counter(void)
{
	isb();
	return read_cntvct();
}
static inline u64 timer_read_freq(void) { return read_cntfrq(); }
static inline u32 timer_read_ctl(void) { return read_cp15(0, c14, c3, 1); }     /* CNTV_CTL */
static inline void timer_write_ctl(u32 v) { write_cp15(0, c14, c3, 1, v); }
static inline void timer_write_cval(u64 v) { write_cp15_64(3, c14, v); }        /* CNTV_CVAL */

#endif
