/*
 * Backtraces on ARMv7-A from the ARM EHABI unwind tables (.ARM.exidx /
 * .ARM.extab, emitted by -funwind-tables): a Thumb-2 kernel has no frame
 * chain to follow (r7 points into a frame, at no fixed place), so each
 * step executes the callee's unwind instructions, as a debugger does.
 * The interpreter is pure (host-tested: test/host/test_unwind_arm.c);
 * every stack read goes through a caller-given check, so a corrupt stack
 * ends the trace instead of faulting.
 */
#ifndef ARCH_UNWIND_H
#define ARCH_UNWIND_H

#include <types.h>

struct unwind_regs {
	u32 r[16]; /* r[13] sp, r[14] lr, r[15] pc */
};

/* Whether the word at addr may be read (aligned, on a kernel stack). */
typedef bool (*unwind_readable_fn)(u32 addr);

/* Execute n EHABI unwind instructions (ARM IHI 0038, 10.3) on regs: the
 * callee's frame becomes the caller's (sp, pc, and the registers it
 * restores). 0, or -EINVAL for an instruction Pagoda's kernel never needs
 * (VFP/iWMMXt pops, "refuse to unwind") and -EFAULT for a read the check
 * refuses; regs are then partly updated and must not be used. */
int ehabi_execute(struct unwind_regs *regs, const u8 *ops, unsigned n, unwind_readable_fn readable);

/* The unwind instructions for the function containing pc, from an index
 * table [start, end) (pairs of words, sorted by function): up to max bytes
 * into ops. Their number, 0 for "cannot unwind" (EXIDX_CANTUNWIND, a
 * personality routine other than the compact ones, pc outside the table). */
unsigned ehabi_find(const u32 *start, const u32 *end, u32 pc, u8 *ops, unsigned max);

/* One step to the caller: find pc's instructions, execute them. false
 * when the trace ends (no entry, bad stack, no progress, lr 0). */
bool unwind_step(struct unwind_regs *regs, const u32 *start, const u32 *end, unwind_readable_fn readable);

#endif
