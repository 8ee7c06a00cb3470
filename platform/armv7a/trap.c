/* include/arch/trap.h on ARMv7-A: the vector, FSR and FAR saved in the user frame. */
#include <arch/fault.h>
#include <arch/frame.h>
#include <arch/fsr.h>
#include <arch/trap.h>
#include <stdio.h>

static const char *const names[8] = {
	"Reset", "Undefined instruction", "Supervisor call", "Prefetch abort",
	"Data abort", "HYP trap", "IRQ", "FIQ",
};

bool arch_trap_is_irq(unsigned kind) { return kind == EXC_IRQ; }

enum trap_class arch_trap_class(const struct user_frame *uf)
{
	switch (uf->regs.kind) {
	case EXC_SVC: return TRAP_SYSCALL;
	case EXC_DABT: return TRAP_DATA_ABORT;
	case EXC_PABT: return TRAP_INST_ABORT;
	case EXC_UNDEF: return TRAP_UNDEF;
	default: return TRAP_OTHER;
	}
}

/* the FSR, with the vector above it (an IFSR and a DFSR read alike) */
u64 arch_trap_syndrome(const struct user_frame *uf) { return uf->regs.fsr | (u64)uf->regs.kind << 32; }

u64 arch_trap_addr(const struct user_frame *uf) { return uf->regs.far; }

void arch_trap_abort(const struct user_frame *uf, struct trap_abort *a)
{
	a->addr = uf->regs.far;
	a->exec = uf->regs.kind == EXC_PABT;
	a->type = fsr_fault_type(uf->regs.fsr, &a->level);
	a->write = !a->exec && fsr_is_write(uf->regs.fsr);
}

const char *arch_trap_name(const struct user_frame *uf) { return names[uf->regs.kind & 7]; }

void arch_trap_print(const struct user_frame *uf)
{
	char what[96];

	if (uf->regs.kind == EXC_DABT || uf->regs.kind == EXC_PABT) {
		fsr_describe(uf->regs.fsr, uf->regs.kind == EXC_DABT, what, sizeof(what));
		printf("  %s %08lx: %s (%s)\n", uf->regs.kind == EXC_DABT ? "DFSR" : "IFSR",
		       (unsigned long)uf->regs.fsr, arch_trap_name(uf), what);
	} else {
		printf("  %s at %08lx\n", arch_trap_name(uf), (unsigned long)uf->regs.pc);
	}
}

/* fc->esr: the FSR, with the vector above it (exception.c's catch_fault) */
enum trap_class fault_catch_decode(const struct fault_catch *fc, enum fault_type *type, int *level)
{
	unsigned kind = (unsigned)(fc->esr >> 32);

	*level = -1;
	*type = FAULT_OTHER;
	if (kind == EXC_DABT || kind == EXC_PABT)
		*type = fsr_fault_type((u32)fc->esr, level);
	switch (kind) {
	case EXC_DABT: return TRAP_DATA_ABORT;
	case EXC_PABT: return TRAP_INST_ABORT;
	case EXC_UNDEF: return TRAP_UNDEF;
	default: return TRAP_OTHER;
	}
}
