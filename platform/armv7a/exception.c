/*
 * Exceptions on ARMv7-A: the crash report (the fault decoded from
 * DFSR/IFSR in the long-descriptor format, DFAR/IFAR, the registers),
 * expected-fault recovery (arch/fault.h) and IRQ dispatch; exceptions
 * from an app go to kernel/entry.c (aborts to user_fault_fast, the rest
 * to user_exception). Called by vectors.S with IRQs masked, on the SVC
 * stack.
 *
 * The call trace has the PC and LR only: Thumb-2 code built by GCC keeps
 * no frame-record chain to walk (unlike AArch64's x29 records).
 */
#include <arch/context.h>
#include <arch/exception.h>
#include <arch/fault.h>
#include <arch/fsr.h>
#include <arch/irq.h>
#include <arch/layout.h>
#include <lib/kallsyms.h>
#include <lib/panic.h>
#include <stdio.h>

struct fault_catch *volatile fault_catch_active;

/* The SVC sp at a kernel stack overflow: vectors.S sets it and moves SVC
 * to the overflow stack (0: none). */
uintptr_t kernel_stack_overflow_sp;

static const char *const kind_names[8] = {
	"Reset", "Undefined instruction", "Supervisor call", "Prefetch abort",
	"Data abort", "HYP trap", "IRQ", "FIQ",
};

static const char *mode_name(u32 cpsr)
{
	switch (cpsr & PSR_MODE_MASK) {
	case PSR_MODE_USR: return "USR";
	case PSR_MODE_FIQ: return "FIQ";
	case PSR_MODE_IRQ: return "IRQ";
	case PSR_MODE_SVC: return "SVC";
	case PSR_MODE_ABT: return "ABT";
	case PSR_MODE_HYP: return "HYP";
	case PSR_MODE_UND: return "UND";
	case PSR_MODE_SYS: return "SYS";
	default: return "?";
	}
}

void dump_stack(void)
{
	char sym[KSYM_BUF];
	u32 lr = (u32)(uintptr_t)__builtin_return_address(0);

	printf("Call trace:\n  [<%08lx>] %s\n", (unsigned long)lr, sprint_symbol(lr, sym, sizeof(sym)));
}

/* The decoded fault lines, each starting with pfx (crash reports and
 * caught faults, which print as KTAP diagnostics). */
static void report_fault(const struct exc_frame *f, unsigned kind, const char *pfx)
{
	char what[96], sym[KSYM_BUF];
	bool abort = kind == EXC_DABT || kind == EXC_PABT;

	printf("%s %s in %s mode\n", pfx, kind_names[kind & 7], mode_name(f->cpsr));
	if (abort) {
		fsr_describe(f->fsr, kind == EXC_DABT, what, sizeof(what));
		printf("%s %s  %08lx (%s)\n", pfx, kind == EXC_DABT ? "DFSR" : "IFSR", (unsigned long)f->fsr, what);
		printf("%s %s  %08lx\n", pfx, kind == EXC_DABT ? "DFAR" : "IFAR", (unsigned long)f->far);
	}
	printf("%s PC    %08lx %s\n", pfx, (unsigned long)f->pc, sprint_symbol(f->pc, sym, sizeof(sym)));
	printf("%s CPSR  %08lx (%s, %s, %c%c%c, NZCV=%lx)\n", pfx, (unsigned long)f->cpsr, mode_name(f->cpsr),
	       f->cpsr & PSR_T ? "Thumb" : "ARM", f->cpsr & PSR_A ? 'A' : '-', f->cpsr & PSR_I ? 'I' : '-',
	       f->cpsr & PSR_F ? 'F' : '-', (unsigned long)(f->cpsr >> 28));
}

static void __noreturn crash(const struct exc_frame *f, unsigned kind, const char *why)
{
	char sym[KSYM_BUF];

	printf("\nInternal error: %s\n", why);
	report_fault(f, kind, "");
	for (int i = 0; i < 13; i += 2) {
		if (i == 12)
			printf(" r12 %08lx  sp  %08lx\n", (unsigned long)f->r[12], (unsigned long)f->sp);
		else
			printf(" r%-2d %08lx  r%-2d %08lx\n", i, (unsigned long)f->r[i], i + 1, (unsigned long)f->r[i + 1]);
	}
	printf(" lr  %08lx  pc  %08lx\n", (unsigned long)f->lr, (unsigned long)f->pc);
	printf("Call trace:\n  [<%08lx>] %s (pc)\n", (unsigned long)f->pc, sprint_symbol(f->pc, sym, sizeof(sym)));
	printf("  [<%08lx>] %s (lr)\n", (unsigned long)f->lr, sprint_symbol(f->lr, sym, sizeof(sym)));
	panic("fatal exception: %s", kind_names[kind & 7]);
}

static void catch_fault(struct exc_frame *f, unsigned kind, struct fault_catch *fc)
{
	fault_catch_active = NULL;
	fc->esr = f->fsr | (u64)kind << 32; /* the syndrome: FSR, and the vector above it */
	fc->far = f->far;
	fc->elr = f->pc;
	if (!fc->quiet) {
		printf("    # expected fault caught:\n");
		report_fault(f, kind, "    #");
	}
	/* resume in fault_catch_landing(fc), ARM state (it is ARM code), SVC mode */
	f->pc = (u32)(uintptr_t)fault_catch_landing;
	f->cpsr &= ~PSR_T;
	f->r[0] = (u32)(uintptr_t)fc;
}

void exception_entry(struct exc_frame *f, unsigned kind)
{
	struct fault_catch *fc = fault_catch_active;

	if ((f->cpsr & PSR_MODE_MASK) == PSR_MODE_USR) {
		struct user_frame *uf = (struct user_frame *)((char *)f - offsetof(struct user_frame, regs));

		if (kind == EXC_DABT || kind == EXC_PABT) {
			if (user_fault_fast(uf))
				user_exit_work();
		} else {
			user_exception(uf, kind);
		}
		return;
	}
	switch (kind) {
	case EXC_IRQ:
		irq_dispatch();
		return;
	case EXC_UNDEF:
	case EXC_SVC:
	case EXC_PABT:
	case EXC_DABT:
		if (kind == EXC_DABT && kernel_stack_overflow_sp) {
			/* vectors.S moved SVC to the overflow stack: report the sp it had */
			f->sp = kernel_stack_overflow_sp;
			printf("\nKernel stack overflow: SP ran into the guard page (sp %08lx)\n",
			       (unsigned long)kernel_stack_overflow_sp);
			crash(f, kind, "Oops");
		}
		if (fc) {
			catch_fault(f, kind, fc);
			return;
		}
		if (kind == EXC_DABT || kind == EXC_PABT)
			printf("\nUnable to handle kernel %s at virtual address %08lx\n",
			       kind == EXC_PABT ? "instruction fetch" : "paging request", (unsigned long)f->far);
		crash(f, kind, "Oops");
	default:
		crash(f, kind, "unexpected exception");
	}
}
