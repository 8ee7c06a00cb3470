/*
 * The register frame saved by platform/aarch64/vectors.S on every
 * exception, and the entry points it calls. Layout is fixed (asm knows
 * the offsets): x0..x30, sp, elr, spsr, esr, far.
 */
#ifndef ARCH_EXCEPTION_H
#define ARCH_EXCEPTION_H

#include <types.h>

struct exc_frame {
	u64 x[31];
	u64 sp;   /* SP at the time of the exception (SP_EL0 if from EL0) */
	u64 elr;
	u64 spsr;
	u64 esr;
	u64 far;
};

#define EXC_FRAME_SIZE (36 * 8)

/* Vector slots, in table order: {cur SP0, cur SPx, lower A64, lower A32} x {sync, irq, fiq, serror} */
enum exc_kind {
	EXC_CUR_SP0_SYNC, EXC_CUR_SP0_IRQ, EXC_CUR_SP0_FIQ, EXC_CUR_SP0_SERROR,
	EXC_CUR_SPX_SYNC, EXC_CUR_SPX_IRQ, EXC_CUR_SPX_FIQ, EXC_CUR_SPX_SERROR,
	EXC_LOW64_SYNC, EXC_LOW64_IRQ, EXC_LOW64_FIQ, EXC_LOW64_SERROR,
	EXC_LOW32_SYNC, EXC_LOW32_IRQ, EXC_LOW32_FIQ, EXC_LOW32_SERROR,
};

/* Called by vectors.S with interrupts masked. */
void exception_entry(struct exc_frame *f, unsigned kind);
/* Called by vectors.S on the overflow stack when SP left its stack. */
void __noreturn kernel_stack_overflow(struct exc_frame *f);

#endif
