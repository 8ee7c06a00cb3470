/*
 * The ARMv7-A boot path on its own (make ARCH=arm boot-smoke): start.S's
 * LPAE boot tables and high jump, the vectors and crash report, expected
 * faults, PSCI and semihosting, linked with this boot_main instead of the
 * kernel (which does not build for ARMv7-A yet). Its lines are checked by
 * test/armv7a/boot_smoke.py on qemu-system-arm.
 *
 * Here only: a console that writes the PL011 at UART_VIRT (the boot
 * tables' Device block) directly, a bump allocator for newlib and libfdt,
 * and panic(). Bootarg "crash" ends with an unexpected data abort.
 */
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/exception.h>
#include <arch/fault.h>
#include <arch/fsr.h>
#include <arch/layout.h>
#include <arch/power.h>
#include <arch/sysreg.h>
#include <kernel/console.h>
#include <lib/kallsyms.h>
#include <lib/panic.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void boot_main(uintptr_t dtb_arg);

void console_write(const char *s, size_t n)
{
	volatile u32 *uart = (volatile u32 *)UART_VIRT;

	while (n--) {
		if (*s == '\n') {
			while (uart[0x18 / 4] & (1 << 5))
				;
			uart[0] = '\r';
		}
		while (uart[0x18 / 4] & (1 << 5)) /* FR.TXFF */
			;
		uart[0] = (u8)*s++;
	}
}

static char arena[64 * 1024] __aligned(16);
static size_t arena_used;

void *malloc(size_t n)
{
	void *p;

	n = ALIGN_UP(n ? n : 1, (size_t)16);
	if (n > sizeof(arena) - arena_used)
		return NULL;
	p = arena + arena_used;
	arena_used += n;
	return p;
}
void free(void *p) { (void)p; }
void *calloc(size_t n, size_t size)
{
	void *p = malloc(n * size);

	if (p)
		memset(p, 0, n * size);
	return p;
}
void *realloc(void *p, size_t n)
{
	void *q = malloc(n);

	if (q && p)
		memcpy(q, p, n); /* the arena is contiguous: reading past the old block is harmless */
	return q;
}

const char *sprint_symbol(uintptr_t addr, char *buf, size_t n)
{
	snprintf(buf, n, "(no symbols: %#lx)", (unsigned long)addr);
	return buf;
}

void irq_dispatch(void) {}
/* kernel/entry.c's: no app ever runs here */
int user_fault_fast(struct user_frame *uf) { (void)uf; return 0; }
void user_exit_work(void) {}
void user_exception(struct user_frame *uf, unsigned kind) { (void)uf, (void)kind; }

int _read(int fd, void *buf, size_t n)
{
	(void)fd, (void)buf, (void)n;
	return -1; /* no input here */
}

void panic(const char *fmt, ...)
{
	va_list ap;

	printf("Kernel panic - not syncing: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	machine_power_off(1);
}

static void write_low(void *arg) { *(volatile u32 *)arg = 1; }
static void read_word(void *arg) { (void)*(volatile u32 *)arg; }
static void undef(void *arg)
{
	(void)arg;
	__asm__ volatile("udf #0");
}

/* Run fn(arg) expecting a fault; print what was caught. */
static void expect_fault(const char *what, void (*fn)(void *), void *arg)
{
	struct fault_catch fc = { .quiet = true };
	char desc[96];
	int level;

	if (!fault_catch_call(&fc, fn, arg)) {
		printf("smoke: %s: no fault\n", what);
		return;
	}
	if ((fc.esr >> 32) == EXC_UNDEF) {
		printf("smoke: %s: caught undefined instruction at %#lx\n", what, (unsigned long)fc.elr);
		return;
	}
	fsr_describe((u32)fc.esr, (fc.esr >> 32) == EXC_DABT, desc, sizeof(desc));
	printf("smoke: %s: caught %s (type %d level %d) at %#lx\n", what, desc,
	       fsr_fault_type((u32)fc.esr, &level), level, (unsigned long)fc.far);
}

void boot_main(uintptr_t dtb_arg)
{
	const void *fdt = (const void *)(uintptr_t)PAGE_OFFSET; /* QEMU puts the DTB at RAM_BASE */
	const char *bootargs = NULL;
	u32 sctlr = read_sctlr(), ttbcr = read_ttbcr(), cpsr;
	int node;

	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	printf("\nPagoda ARMv7-A boot smoke — board %s (%s)\n", CONFIG_BOARD_NAME, CONFIG_ARCH);
	printf("smoke: mode %#lx, SCTLR %08lx (MMU %s, caches %s), TTBCR %08lx (EAE %s, T1SZ %lu)\n",
	       (unsigned long)(cpsr & PSR_MODE_MASK), (unsigned long)sctlr, sctlr & SCTLR_M ? "on" : "off",
	       (sctlr & (SCTLR_C | SCTLR_I)) == (SCTLR_C | SCTLR_I) ? "on" : "off", (unsigned long)ttbcr,
	       ttbcr & TTBCR_EAE ? "on" : "off", (unsigned long)((ttbcr >> 16) & 7));
	printf("smoke: running at %p (linked at %#lx), dtb argument %#lx\n", (void *)boot_main,
	       (unsigned long)KERNEL_VIRT, (unsigned long)dtb_arg);
	printf("smoke: counter %llu Hz, entry at %llu, MMU on at %llu\n", (unsigned long long)read_cntfrq(),
	       (unsigned long long)boot_counter_entry, (unsigned long long)boot_counter_mmu_on);
	printf("smoke: semihosting %s\n", semihosting_probe() ? "yes" : "no");
	if (fdt_check_header(fdt)) {
		printf("smoke: no DTB at PAGE_OFFSET\n");
	} else {
		printf("smoke: DTB at PAGE_OFFSET: %d bytes\n", (int)fdt_totalsize(fdt));
		psci_init(fdt);
		printf("smoke: PSCI version %#x\n", psci_version());
		node = fdt_path_offset(fdt, "/chosen");
		if (node >= 0)
			bootargs = fdt_getprop(fdt, node, "bootargs", NULL);
	}
	expect_fault("write to unmapped 0x10", write_low, (void *)0x10);
	expect_fault("read of unmapped 0xd0000000", read_word, (void *)0xd0000000);
	expect_fault("udf", undef, NULL);
	if (bootargs && strstr(bootargs, "crash")) {
		printf("smoke: an unexpected data abort follows\n");
		write_low((void *)0xd0000004);
	}
	printf("smoke: done\n");
	machine_power_off(0);
}
