/*
 * ARM (ARMv7-A) machine-level pieces of the apps that test the CPU
 * itself (jit: generated code; fpstress: the VFP/NEON registers).
 */
#ifndef APPS_ARCH_APP_H
#define APPS_ARCH_APP_H

#include "sys.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Make [p, p + len) fetchable after writing code there. USR mode cannot
 * clean or invalidate caches on ARMv7-A: the cacheflush system call does
 * it (as on Linux); a failure is reported and ends the app. */
static inline void sync_icache(void *p, size_t len)
{
	long rc = sys_cacheflush(p, (char *)p + len);

	if (rc) {
		printf("cacheflush(%p, %zu): %ld\n", p, len, rc);
		exit(1);
	}
}

/* Write "return n" (n < 65536) at code as Thumb-2 (movw r0, #n; bx lr),
 * make it fetchable; the function to call (bit 0 set: Thumb). */
static inline unsigned (*jit_emit_return(uint32_t *code, unsigned n))(void)
{
	uint16_t *h = (uint16_t *)code;

	h[0] = (uint16_t)(0xf240 | ((n >> 12) & 0xf) | ((n >> 1) & 0x400)); /* movw r0, #n */
	h[1] = (uint16_t)(((n << 4) & 0x7000) | (n & 0xff));
	h[2] = 0x4770; /* bx lr */
	h[3] = 0xbf00; /* nop */
	sync_icache(code, 8);
	return (unsigned (*)(void))((uintptr_t)code | 1);
}

/* The registers fpstress checks: q0-q15 (= d0-d31), FPSCR split into its
 * status (fpsr: QC, cumulative flags) and control (fpcr) bits, which sit
 * where AArch64's FPSR and FPCR have them. */
#define FP_NREGS 16
#include "fpstate.h"

/* wildptr: the firmware image (lowmem at PAGE_OFFSET 0xc0000000), an
 * ARM-state BX LR, a word of UDF #0 (ARM state). */
#define APP_KERNEL_ADDR 0xc0200000UL
#define APP_RET_INSN 0xe12fff1eu
#define APP_TRAP_WORD 0xe7f000f0UL

/* sysfuzz: the end of user space, the start of the kernel's (3G/1G). */
#define APP_USER_TOP 0xc0000000UL
#define APP_KERNEL_BASE 0xc0000000UL

#endif
