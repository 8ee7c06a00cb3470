/*
 * The stack protector's canary, seeded before any protected C function
 * runs (start.S calls stack_guard_init first) from the counters; ARMv7-A
 * has no RNDR. Debian's armhf liblz4.a and libfdt.a are built with the
 * protector and read the canary from __stack_chk_guard too.
 */
#include <arch/sysreg.h>
#include <lib/panic.h>

uintptr_t __stack_chk_guard;

__attribute__((no_stack_protector)) void stack_guard_init(void)
{
	u64 seed = read_cntpct() ^ (read_cntvct() << 17) ^ 0x5a17c0de1234abcdULL;

	seed ^= seed >> 33;
	seed *= 0xff51afd7ed558ccdULL;
	seed ^= seed >> 33;
	__stack_chk_guard = (uintptr_t)(seed ^ (seed >> 32)) & ~(uintptr_t)0xff; /* zero low byte */
}

void __noreturn __stack_chk_fail(void)
{
	panic("stack-protector: kernel stack is corrupted");
}
