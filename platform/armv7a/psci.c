/*
 * Board power on ARMv7-A: PSCI (SMC32 function IDs, conduit hvc or smc
 * from the DTB) and semihosting (SVC 0xAB in Thumb state, the kernel's
 * state; QEMU -semihosting). The same contract and logic as
 * platform/aarch64/psci.c; only the calling instructions differ.
 */
#include <arch/fault.h>
#include <arch/power.h>
#include <libfdt.h>
#include <string.h>

#define PSCI_VERSION 0x84000000u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

#define SEMIHOST_SYS_WRITE0 0x04
#define SEMIHOST_SYS_ERRNO 0x13
#define SEMIHOST_SYS_EXIT_EXTENDED 0x20 /* AArch32's SYS_EXIT takes no status */
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static bool use_smc;
static int semihost_state; /* 0 unknown, 1 yes, -1 no */

static u32 psci_call(u32 fn, u32 a1, u32 a2, u32 a3)
{
	register u32 r0 __asm__("r0") = fn;
	register u32 r1 __asm__("r1") = a1;
	register u32 r2 __asm__("r2") = a2;
	register u32 r3 __asm__("r3") = a3;

	if (use_smc)
		__asm__ volatile(".arch_extension sec\n\tsmc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)::"memory");
	else
		__asm__ volatile(".arch_extension virt\n\thvc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)::"memory");
	return r0;
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

static u32 semihost_call(u32 op, uintptr_t arg)
{
	register u32 r0 __asm__("r0") = op;
	register u32 r1 __asm__("r1") = arg;

	/* without semihosting this is a real SVC: lr_svc is the return address then */
	__asm__ volatile("svc #0xab" : "+r"(r0) : "r"(r1) : "memory", "lr", "cc");
	return r0;
}

static void semihost_errno(void *arg)
{
	(void)arg;
	semihost_call(SEMIHOST_SYS_ERRNO, 0);
}

bool semihosting_probe(void)
{
	struct fault_catch fc = { .quiet = true };

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
		u32 block[2] = { ADP_STOPPED_APPLICATION_EXIT, (u32)status };

		semihost_call(SEMIHOST_SYS_EXIT_EXTENDED, (uintptr_t)block);
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
