/*
 * Exception handling at EL1: dispatch from the vectors, the crash report
 * (ESR decoded, FAR/ELR/SPSR, all registers, a frame-pointer backtrace)
 * and the expected-fault recovery used by the self-tests.
 *
 * Taxonomy: an unexpected synchronous exception at EL1 is a kernel bug
 * and ends in panic() after the report; exceptions from EL0 will be
 * routed to the task code (issue 6) which kills only the app.
 */
#include <arch/esr.h>
#include <arch/exception.h>
#include <arch/fault.h>
#include <arch/irq.h>
#include <arch/layout.h>
#include <arch/sysreg.h>
#include <lib/kallsyms.h>
#include <lib/panic.h>
#include <stdio.h>

struct fault_catch *volatile fault_catch_active;

extern char __overflow_stack[], __boot_stack_top[], _text[], _etext[];

static const char *const kind_names[16] = {
	"Synchronous (EL1t)", "IRQ (EL1t)", "FIQ (EL1t)", "SError (EL1t)",
	"Synchronous (EL1h)", "IRQ (EL1h)", "FIQ (EL1h)", "SError (EL1h)",
	"Synchronous (EL0, AArch64)", "IRQ (EL0, AArch64)", "FIQ (EL0, AArch64)", "SError (EL0, AArch64)",
	"Synchronous (EL0, AArch32)", "IRQ (EL0, AArch32)", "FIQ (EL0, AArch32)", "SError (EL0, AArch32)",
};

static bool fp_valid(u64 fp)
{
	u64 sp = (u64)__builtin_frame_address(0);

	/* frame records live on a kernel stack: the boot/overflow stacks or the
	 * current task's (KSTACK_SIZE, at an odd multiple of its size) */
	if (!IS_ALIGNED(fp, 8))
		return false;
	if (fp >= (u64)__overflow_stack && fp + 16 <= (u64)__boot_stack_top)
		return true;
	return ALIGN_DOWN(fp, KSTACK_SIZE) == ALIGN_DOWN(sp, KSTACK_SIZE) && ((fp >> KSTACK_SHIFT) & 1) &&
	       (fp + 16) <= ALIGN_DOWN(sp, KSTACK_SIZE) + KSTACK_SIZE;
}

/* Print a frame-pointer backtrace from fp (and pc, if not 0); runs of the same return address
 * (deep recursion) are collapsed into one line with a count. */
static void backtrace_from(u64 fp, u64 pc)
{
	char sym[KSYM_BUF];
	u64 last = 0;
	unsigned repeats = 0;

	printf("Call trace:\n");
	if (pc)
		printf("  [<%016llx>] %s (pc)\n", (unsigned long long)pc, sprint_symbol(pc, sym, sizeof(sym)));
	for (int depth = 0; depth < 4096 && fp && fp_valid(fp); depth++) {
		const u64 *rec = (const u64 *)fp;
		u64 lr = rec[1];

		if (!lr)
			break;
		if (lr == last) {
			repeats++;
		} else {
			if (repeats)
				printf("  ... repeated %u more times\n", repeats);
			printf("  [<%016llx>] %s\n", (unsigned long long)(lr - 4),
			       sprint_symbol(lr - 4, sym, sizeof(sym)));
			last = lr;
			repeats = 0;
		}
		if (rec[0] <= fp)
			break; /* stacks grow down: the chain must go up */
		fp = rec[0];
	}
	if (repeats)
		printf("  ... repeated %u more times\n", repeats);
}

void dump_stack(void)
{
	backtrace_from((u64)__builtin_frame_address(0), 0);
	__asm__ volatile(""); /* no tail call: our frame record must outlive the walk */
}

static void print_spsr(u64 spsr)
{
	static const char *const modes[16] = { [0] = "EL0t", [4] = "EL1t", [5] = "EL1h" };
	const char *m = modes[spsr & 0xf];

	printf(" SPSR_EL1 %016llx (%s, DAIF=%c%c%c%c, NZCV=%llx)\n", (unsigned long long)spsr, m ? m : "?",
	       spsr & BIT(9) ? 'D' : '-', spsr & BIT(8) ? 'A' : '-', spsr & BIT(7) ? 'I' : '-',
	       spsr & BIT(6) ? 'F' : '-', (unsigned long long)(spsr >> 28));
}

/* Print the decoded fault lines, each starting with pfx (shared by crash
 * reports and caught faults, which print as KTAP diagnostics). */
static void report_fault(const struct exc_frame *f, unsigned kind, const char *pfx)
{
	char iss[96], sym[KSYM_BUF];

	esr_describe(f->esr, iss, sizeof(iss));
	printf("%s %s: %s\n", pfx, kind_names[kind], esr_class_name(f->esr));
	printf("%s ESR_EL1  %016llx (EC=0x%02llx IL=%llu: %s)\n", pfx, (unsigned long long)f->esr,
	       (unsigned long long)ESR_EC(f->esr), (unsigned long long)ESR_IL(f->esr), iss);
	printf("%s FAR_EL1  %016llx\n", pfx, (unsigned long long)f->far);
	printf("%s ELR_EL1  %016llx %s\n", pfx, (unsigned long long)f->elr, sprint_symbol(f->elr, sym, sizeof(sym)));
	printf("%s", pfx);
	print_spsr(f->spsr);
}

static void __noreturn crash(const struct exc_frame *f, unsigned kind, const char *why)
{
	printf("\nInternal error: %s\n", why);
	report_fault(f, kind, "");
	for (int i = 0; i < 31; i += 2) {
		if (i == 30)
			printf(" x30 %016llx  sp  %016llx\n", (unsigned long long)f->x[30], (unsigned long long)f->sp);
		else
			printf(" x%-2d %016llx  x%-2d %016llx\n", i, (unsigned long long)f->x[i], i + 1,
			       (unsigned long long)f->x[i + 1]);
	}
	backtrace_from(f->x[29], f->elr);
	panic("fatal exception: %s", esr_class_name(f->esr));
}

static void catch_fault(struct exc_frame *f, unsigned kind, struct fault_catch *fc)
{
	fault_catch_active = NULL;
	fc->esr = f->esr;
	fc->far = f->far;
	fc->elr = f->elr;
	if (!fc->quiet) {
		printf("    # expected fault caught:\n");
		report_fault(f, kind, "    #");
	}
	f->elr = (u64)fault_catch_landing;
	f->x[0] = (u64)fc;
}

void exception_entry(struct exc_frame *f, unsigned kind)
{
	struct fault_catch *fc = fault_catch_active;

	switch (kind) {
	case EXC_CUR_SPX_IRQ:
	case EXC_LOW64_IRQ:
		irq_dispatch();
		return;
	case EXC_CUR_SPX_SYNC:
		if (fc) {
			catch_fault(f, kind, fc);
			return;
		}
		if (ESR_EC(f->esr) == EC_DABT_CUR || ESR_EC(f->esr) == EC_IABT_CUR) {
			printf("\nUnable to handle kernel %s at virtual address %016llx\n",
			       ESR_EC(f->esr) == EC_IABT_CUR ? "instruction fetch" : "paging request",
			       (unsigned long long)f->far);
		}
		crash(f, kind, "Oops");
	default:
		crash(f, kind, "unexpected exception");
	}
}

void __noreturn kernel_stack_overflow(struct exc_frame *f)
{
	printf("\nInsufficient stack space to handle exception!\n");
	printf("Kernel stack overflow: SP ran into the guard page below %p\n", (void *)__boot_stack_top);
	crash(f, EXC_CUR_SPX_SYNC, "kernel stack overflow");
}
