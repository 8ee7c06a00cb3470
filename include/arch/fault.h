/*
 * Expected-fault recovery for the kernel's own tests (and, later, for
 * probing hardware features): run a function and, if it takes a
 * synchronous exception at EL1, come back here instead of panicking.
 */
#ifndef ARCH_FAULT_H
#define ARCH_FAULT_H

#include <arch/trap.h>
#include <types.h>

struct fault_catch {
	u64 saved[13]; /* callee-saved registers, lr and sp (x19..x30, sp; r4..r11, sp, lr): restored when a fault is caught */
	u64 esr, far, elr;
	bool quiet;    /* caller will report; print nothing */
};

/*
 * Call fn(arg). Returns 0 if it returned normally, 1 if it faulted (then
 * fc->esr/far/elr describe the fault and the fault was reported on the
 * console unless fc->quiet). Not nestable; interrupts may stay enabled.
 */
int fault_catch_call(struct fault_catch *fc, void (*fn)(void *), void *arg);

/* What a caught fault was (fc after fault_catch_call returned 1), decoded
 * from the platform's syndrome in fc->esr: TRAP_DATA_ABORT or
 * TRAP_INST_ABORT with the kind of fault and its table level (-1 if
 * none) in *type and *level, or another class (include/arch/trap.h). */
enum trap_class fault_catch_decode(const struct fault_catch *fc, enum fault_type *type, int *level);

/* Test support (platform/<arch>/fault_catch.S): fault_catch_call(fc, fn,
 * arg) with a known value in every callee-saved register; *rc gets its
 * result. Returns the callee-saved registers it did not give back: bit i
 * for the i-th (x19.. on AArch64, r4.. on ARMv7-A), bit 31 for SP. */
u32 fault_catch_check_regs(struct fault_catch *fc, void (*fn)(void *), void *arg, int *rc);
/* Change every callee-saved register and SP, as a function deep in a call
 * chain does, then load from p (for fault_catch_check_regs). */
void fault_catch_clobber_load(void *p);

/* Used by the exception handler: the active catch, or NULL. */
extern struct fault_catch *volatile fault_catch_active;
void fault_catch_landing(void);

#endif
