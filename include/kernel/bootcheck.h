/* Boot checks of board.cfg against the device tree (kernel/bootcheck.c). */
#ifndef KERNEL_BOOTCHECK_H
#define KERNEL_BOOTCHECK_H

#include <types.h>

/* Report a boot-stopping misconfiguration (semihosting if the host answers,
 * else the configured UART) and power off with status 1. */
void __noreturn boot_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The DTB (x0 from the loader, else at CONFIG_RAM_BASE) as a kernel VA, its
 * PA in *dtb_pa; stops the boot naming CONFIG_RAM_BASE if it is not there or
 * describes RAM elsewhere. Needs the boot tables and semihosting_probe(). */
const void *bootcheck_dtb(phys_addr_t arg, phys_addr_t *dtb_pa);

/* Stop the boot naming CONFIG_UART_BASE if the DTB's PL011 is elsewhere. */
void bootcheck_console(const void *fdt);

#endif
