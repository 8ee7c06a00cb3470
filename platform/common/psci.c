/*
 * PSCI (Arm Power State Coordination Interface) and semihosting exit, for
 * both platforms: the calling instructions are each platform's
 * (arch/firmware.h). The conduit comes from the DTB's /psci "method"
 * property: QEMU virt with the kernel at EL1/SVC uses HVC (handled by QEMU
 * itself). The function IDs are SMC32's, valid from both states.
 */
#include <arch/cpu.h>
#include <arch/fault.h>
#include <arch/firmware.h>
#include <arch/power.h>
#include <libfdt.h>
#include <string.h>

#define PSCI_VERSION 0x84000000u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

#define SEMIHOST_SYS_WRITE0 0x04
#define SEMIHOST_SYS_ERRNO 0x13
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static bool use_smc;
static int semihost_state; /* 0 unknown, 1 yes, -1 no */

static unsigned long psci_call(unsigned long fn, unsigned long a1, unsigned long a2, unsigned long a3)
{
	return arch_psci_call(use_smc, fn, a1, a2, a3);
}

void psci_init(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	const char *method;

	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_path_offset(fdt, "/psci");
	if (node < 0)
		return;
	method = fdt_getprop(fdt, node, "method", NULL);
	use_smc = method && !strcmp(method, "smc");
}

int psci_version(void) { return (int)psci_call(PSCI_VERSION, 0, 0, 0); }

static unsigned long semihost_call(unsigned long op, uintptr_t arg) { return arch_semihost_call(op, arg); }

static void semihost_errno(void *arg)
{
	(void)arg;
	semihost_call(SEMIHOST_SYS_ERRNO, 0);
}

bool semihosting_probe(void)
{
	struct fault_catch fc = { .quiet = true };

	/* without -semihosting the call traps (an undefined instruction or an SVC) */
	semihost_state = fault_catch_call(&fc, semihost_errno, NULL) ? -1 : 1;
	return semihost_state > 0;
}

bool semihosting_available(void) { return semihost_state > 0; }

void semihosting_write0(const char *s)
{
	if (semihost_state > 0)
		semihost_call(SEMIHOST_SYS_WRITE0, (uintptr_t)s);
}

void __noreturn machine_power_off(int status)
{
	if (semihost_state > 0) {
		uintptr_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uintptr_t)status };

		semihost_call(SEMIHOST_EXIT_OP, (uintptr_t)block);
	}
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		arch_wait_for_interrupt();
}

void __noreturn machine_restart(void)
{
	psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		arch_wait_for_interrupt();
}
