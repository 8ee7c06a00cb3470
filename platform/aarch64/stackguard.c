/*
 * The stack protector's canary. Seeded before any protected C function
 * runs (start.S calls stack_guard_init first): from RNDR where the CPU
 * has FEAT_RNG, mixed with the counters either way. Debian's liblz4.a
 * and libfdt.a are built with the protector, so they need these too.
 */
#include <arch/sysreg.h>
#include <lib/panic.h>

uintptr_t __stack_chk_guard;

__attribute__((no_stack_protector)) void stack_guard_init(void)
{
	u64 seed = read_sysreg(cntpct_el0) ^ (read_sysreg(cntvct_el0) << 17) ^ 0x5a17c0de1234abcdULL;

	if ((read_sysreg(id_aa64isar0_el1) >> 60) & 0xf) {
		u64 r;
		__asm__ volatile("mrs %0, s3_3_c2_c4_0" : "=r"(r)); /* RNDR */
		seed ^= r;
	}
	seed ^= seed >> 33;
	seed *= 0xff51afd7ed558ccdULL;
	seed ^= seed >> 33;
	seed &= ~0xffULL; /* a zero low byte stops string-based leaks/overwrites */
	__stack_chk_guard = seed;
}

void __noreturn __stack_chk_fail(void)
{
	panic("stack-protector: kernel stack is corrupted");
}
