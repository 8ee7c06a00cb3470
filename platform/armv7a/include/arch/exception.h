/*
 * The register frame platform/armv7a/vectors.S saves on the SVC stack for
 * every exception, and the entry points it calls. Layout fixed (the
 * assembler knows the offsets); pc and cpsr are last because SRSDB pushes
 * them first:
 *
 *   +0   r0 .. r12
 *   +52  sp, lr     of the interrupted mode (SVC, or USR for an app)
 *   +60  fsr, far   DFSR/DFAR or IFSR/IFAR (aborts), else 0
 *   +68  kind       enum exc_kind
 *   +72  pc, cpsr   where to return, and the interrupted CPSR
 */
#ifndef ARCH_EXCEPTION_H
#define ARCH_EXCEPTION_H

#ifndef __ASSEMBLER__
#include <types.h>

struct exc_frame {
	u32 r[13];
	u32 sp, lr;
	u32 fsr, far;
	u32 kind;
	u32 pc, cpsr;
};
#endif

#define EXC_FRAME_SIZE (20 * 4)
#define EXC_OFF_SP 52
#define EXC_OFF_FSR 60
#define EXC_OFF_KIND 68
#define EXC_OFF_PC 72

/* Vector slots (the ARM exception table order, from 1). */
#define EXC_UNDEF 1
#define EXC_SVC 2
#define EXC_PABT 3
#define EXC_DABT 4
#define EXC_IRQ 6
#define EXC_FIQ 7

/* CPSR mode field */
#define PSR_MODE_MASK 0x1f
#define PSR_MODE_USR 0x10
#define PSR_MODE_FIQ 0x11
#define PSR_MODE_IRQ 0x12
#define PSR_MODE_SVC 0x13
#define PSR_MODE_ABT 0x17
#define PSR_MODE_HYP 0x1a
#define PSR_MODE_UND 0x1b
#define PSR_MODE_SYS 0x1f
#define PSR_T (1 << 5)
#define PSR_F (1 << 6)
#define PSR_I (1 << 7)
#define PSR_A (1 << 8)

#ifndef __ASSEMBLER__
/* Called by vectors.S on the SVC stack with IRQs masked. */
void exception_entry(struct exc_frame *f, unsigned kind);
#endif

#endif
