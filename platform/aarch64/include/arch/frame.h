/*
 * AArch64's task frames (the arch/frame.h part of include/arch/context.h).
 *
 * The top of every task's kernel stack holds its user frame while the
 * task is in the kernel on behalf of its app:
 *
 *   stack top  +---------------------------+
 *              | struct user_frame         |  saved on every entry from
 *              |   exc_frame (x0-x30, sp,  |  EL0 (SVC, abort, IRQ) and
 *              |   elr, spsr, esr, far)    |  restored on the way back;
 *              |   tpidr_el0 (app TLS)     |  the FP/SIMD registers too
 *              |   fpsr, fpcr, q0..q31     |
 *              +---------------------------+
 *              | frame record (0, elr)     |  ends kernel backtraces
 *              +---------------------------+
 *              | kernel call frames ...    |
 *   stack base +---------------------------+  guard below (unmapped)
 */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include <arch/exception.h>
#include <types.h>

/* Callee-saved state of a task switched out in the kernel. */
struct cpu_context {
	u64 x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
	u64 fp, sp, pc;
};

struct user_frame {
	struct exc_frame regs;
	u64 tpidr_el0;
	u64 _pad;
	u64 fpsr, fpcr;
	__uint128_t v[32];
};
#define USER_FRAME_SIZE 832 /* asserted in platform/aarch64/user.c */

/* The user frame of the task whose kernel stack ends at stack_top. */
static inline struct user_frame *user_frame_at(void *stack_top)
{
	return (struct user_frame *)((char *)stack_top - USER_FRAME_SIZE);
}

/* Syscall ABI accessors (x8 = number, x0..x5 args, x0 = result). */
static inline u64 arch_syscall_nr(const struct user_frame *uf) { return uf->regs.x[8]; }
static inline u64 arch_syscall_arg(const struct user_frame *uf, int i) { return uf->regs.x[i]; }
static inline void arch_syscall_set_ret(struct user_frame *uf, s64 v) { uf->regs.x[0] = (u64)v; }
static inline u64 arch_user_pc(const struct user_frame *uf) { return uf->regs.elr; }
static inline u64 arch_user_sp(const struct user_frame *uf) { return uf->regs.sp; }

#endif
