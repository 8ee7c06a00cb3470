/*
 * boot_main: the first C code, entered from start.S at the high-half
 * address with the boot tables live.
 */
#include <arch/layout.h>
#include <arch/power.h>
#include <drivers/pl011.h>
#include <stdio.h>

extern char __kernel_tls[];
void _init_tls(void *);
void _set_tls(void *);

void boot_main(phys_addr_t dtb)
{
	_init_tls(__kernel_tls);
	_set_tls(__kernel_tls);
	pl011_init(PAGE_OFFSET + CONFIG_UART_BASE);
	printf("\nPagoda: booting on %s (dtb %llx)\n", CONFIG_BOARD_NAME, (unsigned long long)dtb);
	semihosting_probe();
	printf("semihosting: %s\n", semihosting_available() ? "yes" : "no");
	machine_power_off(0);
}
