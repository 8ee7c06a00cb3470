/*
 * ARMv7-A's task frames (the arch/frame.h part of include/arch/context.h).
 *
 *   stack top  +---------------------------+
 *              | struct user_frame         |  an app's registers while
 *              |   exc_frame (r0-r12, sp,  |  its task is in the kernel;
 *              |   lr, fsr, far, kind, pc, |  vectors.S pushes one on
 *              |   cpsr)                   |  every exception (pc, cpsr
 *              |   tpidrurw (app TLS), pad |  first, by SRSDB)
 *              +---------------------------+
 *              | kernel call frames ...    |
 *   stack base +---------------------------+  guard below (unmapped)
 *
 * Apps are built -mgeneral-regs-only (no VFP state yet). Syscall ABI as
 * Linux EABI: r7 = number, r0..r5 arguments, r0 = result.
 */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include <arch/exception.h>
#include <types.h>

/* Callee-saved state of a task switched out in the kernel. */
struct cpu_context {
	u32 r4, r5, r6, r7, r8, r9, r10, r11;
	u32 sp, pc;
};

struct user_frame {
	u32 tpidrurw;
	u32 _pad;
	struct exc_frame regs; /* last: its pc, cpsr end at the stack top */
};
#define USER_FRAME_SIZE 88

/* The user frame of the task whose kernel stack ends at stack_top. */
static inline struct user_frame *user_frame_at(void *stack_top)
{
	return (struct user_frame *)((char *)stack_top - USER_FRAME_SIZE);
}

static inline u64 arch_syscall_nr(const struct user_frame *uf) { return uf->regs.r[7]; }
static inline u64 arch_syscall_arg(const struct user_frame *uf, int i) { return uf->regs.r[i]; }
static inline void arch_syscall_set_ret(struct user_frame *uf, s64 v) { uf->regs.r[0] = (u32)v; }
static inline u64 arch_user_pc(const struct user_frame *uf) { return uf->regs.pc; }
static inline u64 arch_user_sp(const struct user_frame *uf) { return uf->regs.sp; }

#endif
