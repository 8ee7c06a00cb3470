/*
 * The arch contract for tasks (platform/aarch64/switch.S, user.c,
 * vectors.S): kernel-stack switching, the register frame of an app at a
 * kernel entry, entering EL0 and installing an app's translation tables.
 * kernel/ uses only this; nothing here knows about tasks.
 *
 * The top of every task's kernel stack holds its user frame while the
 * task is in the kernel on behalf of its app (arch/frame.h draws it).
 */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <arch/frame.h>
#include <types.h>

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

/* Also in arch/frame.h, per platform: struct cpu_context, struct
 * user_frame, USER_FRAME_SIZE, user_frame_at(stack_top), and the syscall
 * ABI accessors arch_syscall_nr/arg/set_ret, arch_user_pc/sp. */

/* Enable EL0: a reserved empty TTBR0 table, TTBR0 walks on, EL0 access to
 * the virtual counter, DC ZVA and CTR_EL0. Once, before the first app. */
void arch_user_init(void);
/* Install an app's tables (root PA, hardware ASID) in TTBR0, or the
 * reserved empty table when root is 0. No TLB flush needed: entries are
 * tagged by ASID (the allocator flushes on reuse). */
void arch_switch_user_tables(phys_addr_t root, unsigned asid);
/* The ASID of the tables in TTBR0 now (0: the reserved empty table). */
unsigned arch_current_asid(void);
/* Hardware ASID width: 8 or 16. */
unsigned arch_asid_bits(void);
/* Print the user registers of uf (fault reports). */
void arch_show_user_regs(const struct user_frame *uf);

/* Called from the vectors with interrupts masked (kernel/entry.c):
 * every exception from EL0 (FP/SIMD saved in uf), except aborts, which go
 * to user_fault_fast, and (AArch64) system calls, which go to
 * user_syscall_fast, with FP/SIMD still live (include/arch/fpsimd.h: a
 * switch or kernel_neon_begin saves them); if those return nonzero the
 * vectors make sure FP/SIMD is saved and call user_exit_work. */
void user_exception(struct user_frame *uf, unsigned kind);
int user_fault_fast(struct user_frame *uf);
int user_syscall_fast(struct user_frame *uf);
void user_exit_work(void);

#endif
