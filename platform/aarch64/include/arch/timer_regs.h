/* The EL1 virtual timer's registers for platform/common/timer.c (AArch64). */
#ifndef ARCH_TIMER_REGS_H
#define ARCH_TIMER_REGS_H

#include <arch/sysreg.h>

/* CNTVCT_EL0, read after every earlier instruction. */
static inline u64 timer_read_counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}
static inline u64 timer_read_freq(void) { return read_sysreg(cntfrq_el0); }
static inline u32 timer_read_ctl(void) { return (u32)read_sysreg(cntv_ctl_el0); }
static inline void timer_write_ctl(u32 v) { write_sysreg(cntv_ctl_el0, v); }
static inline void timer_write_cval(u64 v) { write_sysreg(cntv_cval_el0, v); }

#endif
