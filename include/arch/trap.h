/*
 * The arch contract for decoding an exception taken from an app
 * (platform/<arch>/trap.c): kernel/entry.c asks what it was, where and,
 * for an abort, what kind of fault at which table level, without knowing
 * the syndrome registers (ESR_EL1/FAR_EL1 on AArch64).
 */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <types.h>

struct user_frame; /* arch/context.h */

/* Fault status codes of an abort, grouped by kind. */
enum fault_type { FAULT_TRANSLATION, FAULT_ACCESS_FLAG, FAULT_PERMISSION, FAULT_ALIGNMENT, FAULT_OTHER };

/* What a synchronous exception from an app was. */
enum trap_class {
	TRAP_SYSCALL,    /* the syscall instruction */
	TRAP_DATA_ABORT, /* a load or store faulted */
	TRAP_INST_ABORT, /* an instruction fetch faulted */
	TRAP_PC_ALIGN,   /* misaligned PC (address: arch_trap_addr) */
	TRAP_SP_ALIGN,   /* misaligned SP */
	TRAP_UNDEF,      /* undefined instruction */
	TRAP_OTHER,      /* anything else (named by arch_trap_print) */
};

/* Whether vector slot kind (the vectors' argument to user_exception) is an interrupt. */
bool arch_trap_is_irq(unsigned kind);
/* The class of the synchronous exception saved in uf. */
enum trap_class arch_trap_class(const struct user_frame *uf);
/* The raw syndrome saved in uf (ESR_EL1 on AArch64), for kill reports. */
u64 arch_trap_syndrome(const struct user_frame *uf);
/* The faulting virtual address of an abort or PC-alignment fault in uf. */
u64 arch_trap_addr(const struct user_frame *uf);
/* An abort, decoded in one call (the page-fault path's only one). */
struct trap_abort {
	u64 addr;             /* the faulting virtual address */
	enum fault_type type; /* the kind of fault */
	int level;            /* its table level, -1 if none */
	bool exec;            /* an instruction fetch */
	bool write;           /* a data write (never with exec) */
};
/* Decode the data or instruction abort saved in uf into a. */
void arch_trap_abort(const struct user_frame *uf, struct trap_abort *a);
/* The name of the exception's class, e.g. "BRK (AArch64)". */
const char *arch_trap_name(const struct user_frame *uf);
/* Print one indented line naming the syndrome: register, class, details. */
void arch_trap_print(const struct user_frame *uf);

#endif
