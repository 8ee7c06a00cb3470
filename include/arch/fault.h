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
	u64 saved[13]; /* x19..x30, sp: restored when a fault is caught */
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

/* Used by the exception handler: the active catch, or NULL. */
extern struct fault_catch *volatile fault_catch_active;
void fault_catch_landing(void);

#endif
