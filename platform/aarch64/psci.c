/*
 * PSCI (Arm Power State Coordination Interface) and semihosting exit.
 * The conduit comes from the DTB's /psci "method" property: QEMU virt at
 * EL1 uses HVC (handled by QEMU itself).
 */
#include <arch/fault.h>
#include <arch/power.h>
#include <libfdt.h>
#include <string.h>

#define PSCI_VERSION 0x84000000u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

#define SEMIHOST_SYS_WRITE0 0x04
#define SEMIHOST_SYS_EXIT 0x18
#define SEMIHOST_SYS_ERRNO 0x13
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static bool use_smc;
static int semihost_state; /* 0 unknown, 1 yes, -1 no */

static u64 psci_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 __asm__("x0") = fn;
	register u64 x1 __asm__("x1") = a1;
	register u64 x2 __asm__("x2") = a2;
	register u64 x3 __asm__("x3") = a3;

	if (use_smc)
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
	return x0;
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

static u64 semihost_call(u64 op, u64 arg)
{
	register u64 x0 __asm__("x0") = op;
	register u64 x1 __asm__("x1") = arg;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

static void semihost_errno(void *arg)
{
	(void)arg;
	semihost_call(SEMIHOST_SYS_ERRNO, 0);
}

bool semihosting_probe(void)
{
	struct fault_catch fc = { .quiet = true };

	/* Without -semihosting, HLT is an undefined instruction at EL1. */
	semihost_state = fault_catch_call(&fc, semihost_errno, NULL) ? -1 : 1;
	return semihost_state > 0;
}

bool semihosting_available(void) { return semihost_state > 0; }

void semihosting_write0(const char *s)
{
	if (semihost_state > 0)
		semihost_call(SEMIHOST_SYS_WRITE0, (u64)s);
}

void __noreturn machine_power_off(int status)
{
	if (semihost_state > 0) {
		u64 block[2] = { ADP_STOPPED_APPLICATION_EXIT, (u64)status };

		semihost_call(SEMIHOST_SYS_EXIT, (u64)block);
	}
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void __noreturn machine_restart(void)
{
	psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
