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
#include <arch/unwind.h>
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

extern const u32 __exidx_start[], __exidx_end[];
extern char __overflow_stack[], __overflow_stack_top[], __boot_stack[], __boot_stack_top[], _text[], _etext[];
static u32 trace_stack_base; /* the task stack the trace runs on, 0 if none */

/* A trace reads only kernel stacks: the boot and overflow stacks, and the
 * KSTACK_SIZE block of the task stack the trace started on. */
static bool stack_readable(u32 a)
{
	if (a & 3)
		return false;
	if (a >= (uintptr_t)__boot_stack && a + 4 <= (uintptr_t)__boot_stack_top)
		return true;
	if (a >= (uintptr_t)__overflow_stack && a + 4 <= (uintptr_t)__overflow_stack_top)
		return true;
	return trace_stack_base && a >= trace_stack_base && a + 4 <= trace_stack_base + KSTACK_SIZE;
}

/* Print the callers of the frame in r (and its pc first if show_pc); runs of
 * the same return address (deep recursion) collapse into one line. */
static void backtrace_regs(struct unwind_regs *r, bool show_pc)
{
	char sym[KSYM_BUF];
	u32 last = 0;
	unsigned repeats = 0;

	/* task stacks start at an odd multiple of their size (vmalloc_stack) */
	trace_stack_base = (r->r[13] >> KSTACK_SHIFT) & 1 ? ALIGN_DOWN(r->r[13], KSTACK_SIZE) : 0;
	printf("Call trace:\n");
	if (show_pc)
		printf("  [<%08lx>] %s (pc)\n", (unsigned long)r->r[15], sprint_symbol(r->r[15], sym, sizeof(sym)));
	for (int depth = 0; depth < 4096 && unwind_step(r, __exidx_start, __exidx_end, stack_readable); depth++) {
		u32 ret = r->r[15], call = (ret & ~1u) - 2; /* in the (Thumb) call instruction */

		if (call < (uintptr_t)_text || call >= (uintptr_t)_etext)
			break; /* not a return into kernel text: a corrupt frame */
		if (ret == last) {
			repeats++;
			continue;
		}
		if (repeats)
			printf("  ... repeated %u more times\n", repeats);
		printf("  [<%08lx>] %s\n", (unsigned long)call, sprint_symbol(call, sym, sizeof(sym)));
		last = ret;
		repeats = 0;
	}
	if (repeats)
		printf("  ... repeated %u more times\n", repeats);
}

void __attribute__((noinline)) dump_stack(void)
{
	struct unwind_regs r = { 0 };

	/* this function's own frame, in its body: the unwind starts here (its
	 * instructions may restore sp from r7, so r4-r11 are taken too) */
	__asm__ volatile("stmia %2, {r4-r11}\n\tmov %0, sp\n\tadr %1, 1f\n1:"
			 : "=r"(r.r[13]), "=r"(r.r[15])
			 : "r"(&r.r[4])
			 : "memory");
	backtrace_regs(&r, false);
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

	printf("\nInternal error: %s\n", why);
	report_fault(f, kind, "");
	for (int i = 0; i < 13; i += 2) {
		if (i == 12)
			printf(" r12 %08lx  sp  %08lx\n", (unsigned long)f->r[12], (unsigned long)f->sp);
		else
			printf(" r%-2d %08lx  r%-2d %08lx\n", i, (unsigned long)f->r[i], i + 1, (unsigned long)f->r[i + 1]);
	}
	printf(" lr  %08lx  pc  %08lx\n", (unsigned long)f->lr, (unsigned long)f->pc);
	{
		struct unwind_regs r;

		for (int i = 0; i < 13; i++)
			r.r[i] = f->r[i];
		r.r[13] = f->sp;
		r.r[14] = f->lr;
		r.r[15] = f->pc;
		backtrace_regs(&r, true);
	}
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
