/*
 * ARMv7-A's task frames (the arch/frame.h part of include/arch/context.h).
 *
 *   stack top  +---------------------------+
 *              | struct user_frame         |  an app's registers while
 *              |   exc_frame (r0-r12, sp,  |  its task is in the kernel;
 *              |   lr, fsr, far, kind, pc, |  vectors.S pushes one on
 *              |   cpsr)                   |  every exception (pc, cpsr
 *              |   fpscr, pad              |  first, by SRSDB)
 *              |   d0-d31 (VFP/NEON)       |
 *              |   tpidrurw (app TLS), pad |
 *              +---------------------------+
 *              | kernel call frames ...    |
 *   stack base +---------------------------+  guard below (unmapped)
 *
 * An app's VFP/NEON registers (d0-d31, FPSCR) are saved eagerly: vectors.S
 * stores them in the frame on every exception from USR and loads them
 * back on the return to USR (platform/armv7a/fpsimd.c). Syscall ABI as
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
	u64 vfp[32];           /* d0-d31 (UF_VFP in vectors.S) */
	u32 fpscr;
	u32 _pad2;
	struct exc_frame regs; /* last: its pc, cpsr end at the stack top */
};
#define USER_FRAME_SIZE 352
#define USER_FRAME_VFP 8   /* offsetof(struct user_frame, vfp) */
#define USER_FRAME_REGS 272 /* offsetof(struct user_frame, regs) */

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
