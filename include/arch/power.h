/* Board power control: PSCI, and the semihosting exit used by tests. */
#ifndef ARCH_POWER_H
#define ARCH_POWER_H

#include <types.h>

/* Read the PSCI conduit ("hvc"/"smc") from the DTB; default hvc. */
void psci_init(const void *fdt);
/* PSCI version as major<<16|minor, or a negative PSCI error. */
int psci_version(void);

/* Detect whether the host answers semihosting calls (QEMU -semihosting). */
bool semihosting_probe(void);
bool semihosting_available(void);
/* Print a NUL-terminated string on the host's console (SYS_WRITE0), if
 * semihosting_probe() found one; needs no device. */
void semihosting_write0(const char *s);

/* Stop the machine. With semihosting the emulator exits with status;
 * otherwise PSCI SYSTEM_OFF (status is lost). */
void __noreturn machine_power_off(int status);
/* PSCI SYSTEM_RESET. */
void __noreturn machine_restart(void);

#endif
