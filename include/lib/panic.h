/* Unrecoverable errors: print a report and stop the board. Declared in lib/
 * because every layer (mm/, platform/, kernel/) may panic; implemented by
 * kernel/panic.c on the target and platform/host/panic.c in host builds. */
#ifndef LIB_PANIC_H
#define LIB_PANIC_H

#include <types.h>

/* Print "Kernel panic - not syncing: <msg>", save it to pstore, then reset
 * (panic_reboot) or power off with failure. */
void __noreturn __printf(1, 2) panic(const char *fmt, ...);
/* After the report (and its pstore record), reset the board through PSCI
 * SYSTEM_RESET instead of powering off: CONFIG_PANIC_REBOOT, settable at
 * run time ("panic_reboot=0|1" on the command line). Target only. */
extern bool panic_reboot;

/* Print a backtrace of the caller (frame-pointer chain). */
void dump_stack(void);

/* assert() for programming errors: always on, reports file:line. */
#define BUG_ON(cond)                                                        \
	do {                                                                \
		if (unlikely(cond))                                         \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

#endif
