/* panic(): the end of the road for unrecoverable errors. */
#include <arch/power.h>
#include <arch/sysreg.h>
#include <lib/panic.h>
#include <stdarg.h>
#include <stdio.h>

void __noreturn panic(const char *fmt, ...)
{
	va_list ap;

	arch_irq_disable();
	printf("\nKernel panic - not syncing: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	dump_stack();
	printf("---[ end Kernel panic ]---\n");
	machine_power_off(1);
}
