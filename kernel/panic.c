/*
 * panic(): the end of the road for unrecoverable errors. Prints the
 * report, saves it with the console's recent output to pstore, then
 * resets the board (panic_reboot) or powers it off with failure.
 */
#include <arch/power.h>
#include <arch/irqflags.h>
#include <generated/board.h>
#include <kernel/pstore.h>
#include <lib/panic.h>
#include <stdarg.h>
#include <stdio.h>

bool panic_reboot = CONFIG_PANIC_REBOOT;

void __noreturn panic(const char *fmt, ...)
{
	static char msg[256];
	static bool in_panic;
	bool nested = in_panic;
	va_list ap;

	arch_irq_disable();
	in_panic = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("\nKernel panic - not syncing: %s\n", msg);
	dump_stack();
	printf("---[ end Kernel panic ]---\n");
	if (nested) /* the pstore write or the reset panicked: stop here */
		machine_power_off(1);
	pstore_ram_panic(msg);
	if (panic_reboot) {
		printf("Rebooting (panic_reboot, PSCI SYSTEM_RESET)\n");
		machine_restart();
	}
	machine_power_off(1);
}
