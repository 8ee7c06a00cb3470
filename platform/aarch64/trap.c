/* include/arch/trap.h on AArch64: the ESR_EL1/FAR_EL1 saved in the user frame. */
#include <arch/esr.h>
#include <arch/fault.h>
#include <arch/frame.h>
#include <arch/trap.h>
#include <stdio.h>

bool arch_trap_is_irq(unsigned kind) { return kind == EXC_LOW64_IRQ; }

enum trap_class arch_trap_class(const struct user_frame *uf)
{
	switch (ESR_EC(uf->regs.esr)) {
	case EC_SVC64: return TRAP_SYSCALL;
	case EC_DABT_LOW: return TRAP_DATA_ABORT;
	case EC_IABT_LOW: return TRAP_INST_ABORT;
	case EC_PC_ALIGN: return TRAP_PC_ALIGN;
	case EC_SP_ALIGN: return TRAP_SP_ALIGN;
	case EC_UNKNOWN: return TRAP_UNDEF;
	default: return TRAP_OTHER;
	}
}

u64 arch_trap_syndrome(const struct user_frame *uf) { return uf->regs.esr; }

u64 arch_trap_addr(const struct user_frame *uf) { return uf->regs.far; }

void arch_trap_abort(const struct user_frame *uf, struct trap_abort *a)
{
	u64 esr = uf->regs.esr;

	a->addr = uf->regs.far;
	a->exec = ESR_EC(esr) == EC_IABT_LOW;
	a->type = esr_fault_type(esr, &a->level);
	a->write = !a->exec && esr_is_write(esr);
}

const char *arch_trap_name(const struct user_frame *uf) { return esr_class_name(uf->regs.esr); }

void arch_trap_print(const struct user_frame *uf)
{
	char iss[96];

	esr_describe(uf->regs.esr, iss, sizeof(iss));
	printf("  ESR %#llx: %s (%s)\n", (unsigned long long)uf->regs.esr, esr_class_name(uf->regs.esr), iss);
}

enum trap_class fault_catch_decode(const struct fault_catch *fc, enum fault_type *type, int *level)
{
	*type = esr_fault_type(fc->esr, level);
	switch (ESR_EC(fc->esr)) {
	case EC_DABT_CUR: return TRAP_DATA_ABORT;
	case EC_IABT_CUR: return TRAP_INST_ABORT;
	case EC_UNKNOWN: return TRAP_UNDEF;
	default: return TRAP_OTHER;
	}
}
