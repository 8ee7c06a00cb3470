/*
 * FP/SIMD registers of apps and kernel use of them (the arch contract;
 * platform/aarch64/fpsimd.c, vectors.S, switch.S).
 *
 * An app's FP/SIMD registers (q0-q31, FPSR, FPCR) live in its user frame
 * whenever it is in the kernel, with one exception: the page-fault fast
 * path leaves them in the CPU (saving 528 bytes per fault would cost more
 * than a minor fault's handling). While it runs, the arch records whose
 * registers are live; the two things that would destroy them save them
 * into the frame first:
 *   - a context switch (arch_context_switch), always;
 *   - kernel code that uses FP/SIMD on the app's behalf (liblz4, and
 *     picolibc's printf) calls kernel_neon_begin() first.
 * (That is AArch64's lazy scheme; ARMv7-A saves eagerly on every
 * exception from USR mode instead: platform/armv7a/fpsimd.c.)
 * Anything else that touches FP/SIMD meanwhile (a printf, a library call
 * without kernel_neon_begin) traps: FP/SIMD is disabled at EL1 while the
 * app's registers are live, and the trap saves them first. The fault
 * path's exit then restores them from the frame. Everything else
 * (syscalls, IRQs, other exceptions from EL0) saves them on entry.
 */
#ifndef ARCH_FPSIMD_H
#define ARCH_FPSIMD_H

#include <types.h>

/* Save the FP/SIMD registers of the app whose registers are live in this
 * CPU (if any) into its user frame. Any context, interrupts any state. */
void arch_fpsimd_preserve_current(void);
/* Start a section that may use FP/SIMD registers (calls into liblz4,
 * printf) from a fault or syscall path: the app's registers are saved
 * first. Nests; the section must not schedule (schedule() checks). */
void kernel_neon_begin(void);
/* End the section started by the matching kernel_neon_begin(). */
void kernel_neon_end(void);
/* Whether this CPU is inside a kernel_neon section. */
bool kernel_neon_busy(void);
/* FP/SIMD traps that saved an app's registers (code outside kernel_neon
 * sections that used FP/SIMD in a fault path). */
extern u64 fpsimd_trap_count;
/* Whether the app's registers stay live in the CPU during (some) kernel
 * entries and are saved on demand, by a trap if need be (AArch64), rather
 * than always saved on entry (ARMv7-A: fpsimd_trap_count stays 0). */
bool arch_fpsimd_lazy(void);
/* Tests: set every byte of v0-v31 to byte. Only inside a kernel_neon
 * section. */
void arch_fpsimd_fill_for_test(unsigned byte);

#endif
