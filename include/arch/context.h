/*
 * The arch contract for tasks (platform/aarch64/switch.S, user.c,
 * vectors.S): kernel-stack switching, the register frame of an app at a
 * kernel entry, entering EL0 and installing an app's translation tables.
 * kernel/ uses only this; nothing here knows about tasks.
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
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

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

/* Save the callee-saved registers and SP in prev, load next's and return
 * on next's stack (into where next called this, or its entry). Returns
 * prev as seen by next. Interrupts masked. */
struct cpu_context *arch_context_switch(struct cpu_context *prev, struct cpu_context *next);
/* Prepare ctx for a task whose kernel stack ends at stack_top: its first
 * switch runs fn(arg) there (fn must not return). */
void arch_context_init(struct cpu_context *ctx, void *stack_top, void (*fn)(void *), void *arg);
/* Prepare ctx so that its first switch returns to EL0 through the user
 * frame at stack_top (filled by arch_user_frame_init). */
void arch_context_init_user(struct cpu_context *ctx, void *stack_top);
/* A fresh user frame: EL0t, interrupts enabled, pc, sp, x0 = arg0, FP
 * state zero. */
void arch_user_frame_init(struct user_frame *uf, u64 pc, u64 sp, u64 arg0);

/* Syscall ABI accessors (x8 = number, x0..x5 args, x0 = result). */
static inline u64 arch_syscall_nr(const struct user_frame *uf) { return uf->regs.x[8]; }
static inline u64 arch_syscall_arg(const struct user_frame *uf, int i) { return uf->regs.x[i]; }
static inline void arch_syscall_set_ret(struct user_frame *uf, s64 v) { uf->regs.x[0] = (u64)v; }
static inline u64 arch_user_pc(const struct user_frame *uf) { return uf->regs.elr; }
static inline u64 arch_user_sp(const struct user_frame *uf) { return uf->regs.sp; }

/* Enable EL0: a reserved empty TTBR0 table, TTBR0 walks on, EL0 access to
 * the virtual counter, DC ZVA and CTR_EL0. Once, before the first app. */
void arch_user_init(void);
/* Install an app's tables (root PA, hardware ASID) in TTBR0, or the
 * reserved empty table when root is 0. No TLB flush needed: entries are
 * tagged by ASID (the allocator flushes on reuse). */
void arch_switch_user_tables(phys_addr_t root, unsigned asid);
/* Hardware ASID width: 8 or 16. */
unsigned arch_asid_bits(void);
/* Print the user registers of uf (fault reports). */
void arch_show_user_regs(const struct user_frame *uf);

/* Called from the vectors with interrupts masked (kernel/entry.c):
 * every exception from EL0 (FP/SIMD saved in uf), except aborts, which go
 * to user_fault_fast with FP/SIMD still live (include/arch/fpsimd.h: a
 * switch or kernel_neon_begin saves them); if it returns nonzero the
 * vectors make sure FP/SIMD is saved and call user_exit_work. */
void user_exception(struct user_frame *uf, unsigned kind);
int user_fault_fast(struct user_frame *uf);
void user_exit_work(void);

#endif
