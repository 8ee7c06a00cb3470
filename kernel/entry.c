/*
 * Exceptions from EL0 (called by the platform's vectors with the
 * app's whole state in the user frame at the top of the kernel stack,
 * interrupts masked).
 *
 *   syscall        a system call (kernel/syscall.c), interrupts enabled
 *   data/instr.    a page fault: handle_mm_fault resolves it (zero page,
 *   abort          anon page, COW, page cache) or the app is killed with
 *                  a report (no VMA, wrong permissions, stack guard page,
 *                  beyond the file, out of memory)
 *   anything else  (undefined instruction, PC/SP alignment, BRK, ...) kills
 *                  the app with a report
 *   IRQ            the interrupt controller's handlers
 * and then, before returning: a pending kill ends the task, an expired time
 * slice switches to the next task. The kernel and the other apps are never
 * affected by what one app does.
 */
#include <arch/context.h>
#include <arch/layout.h>
#include <arch/irq.h>
#include <arch/irqflags.h>
#include <arch/trap.h>
#include <kernel/cpustat.h>
#include <kernel/oom.h>
#include <kernel/task.h>
#include <mm/memory.h>
#include <mm/mm_report.h>
#include <mm/vma.h>
#include <stdio.h>
#include <string.h>
#include <uapi/pagoda/syscall.h>

struct kill_info last_kill;
void (*user_fault_test_hook)(void);

static const char *signame(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGKILL: return "SIGKILL";
	default: return "signal";
	}
}

/* "  label 00400000-00402000 r-xp 00001000 00:00 3   /apps/demo" */
static void print_vma(const char *label, const struct vm_area_struct *v)
{
	if (!v)
		return;
	printf("  %s ", label);
	show_map_vma(stdout, v);
}

void __noreturn user_kill(struct user_frame *uf, int sig, int fault_kind, u64 addr, const char *what)
{
	struct task *t = current;
	struct mm_struct *mm = t->mm;
	struct kill_info *k = &t->killed;
	k->signal = sig;
	k->fault_kind = fault_kind;
	k->addr = addr;
	k->esr = arch_trap_syndrome(uf);
	k->pc = arch_user_pc(uf);
	snprintf(k->what, sizeof(k->what), "%s", what);
	last_kill = *k;

	printf("\napp %s (pid %d) killed by %s: %s at %#llx\n", t->name, t->pid, signame(sig), what,
	       (unsigned long long)addr);
	arch_trap_print(uf);
	if (mm) {
		struct vm_area_struct *v = vma_lookup(mm, addr), *n;

		if (v) {
			print_vma("VMA:", v);
		} else {
			n = find_vma(mm, addr);
			printf("  no VMA at this address\n");
			if (n && vma_prev(mm, n))
				print_vma("below:", vma_prev(mm, n));
			else if (!n && !list_empty(&mm->vma_list))
				print_vma("below:", list_entry(mm->vma_list.prev, struct vm_area_struct, list));
			print_vma("above:", n);
		}
		printf("  pc in: ");
		v = vma_lookup(mm, arch_user_pc(uf));
		if (v)
			printf("%s +%#llx\n", v->file ? v->file->name : v->name ? v->name : "[anon]",
			       (unsigned long long)(arch_user_pc(uf) - v->start + (v->file ? v->pgoff << PAGE_SHIFT : 0)));
		else
			printf("(no VMA)\n");
	}
	arch_show_user_regs(uf);
	if (mm)
		printf("  memory: VmSize %llu kB, VmRSS %llu kB, faults %llu minor %llu major\n",
		       (unsigned long long)mm->total_vm * 4, (unsigned long long)mm_rss(mm) * 4,
		       (unsigned long long)mm->min_flt, (unsigned long long)mm->maj_flt);
	task_exit(W_EXITCODE(0, sig));
}

static const char *fault_what(enum fault_kind k, unsigned access)
{
	switch (k) {
	case FAULT_KIND_MAPERR: return "access outside every VMA";
	case FAULT_KIND_GUARD: return "stack overflow into the guard page";
	case FAULT_KIND_SIGBUS: return "access beyond the end of the mapped file";
	case FAULT_KIND_SWAPERR: return "swapped-out page cannot be read back (zram checksum mismatch reported above, an I/O error, or no swap backend)";
	case FAULT_KIND_OOM: return "out of memory for a page";
	case FAULT_KIND_NOPROGRESS: return "no progress: the PTE allows it, even after a TLB flush";
	case FAULT_KIND_ACCERR:
		return access & FAULT_EXEC ? "execute in a non-executable VMA"
		       : access & FAULT_WRITE ? "write to a read-only VMA" : "read of a no-access VMA";
	default: return "unresolved fault";
	}
}

static void user_abort(struct user_frame *uf)
{
	struct trap_abort a;
	struct fault_info fi;
	unsigned access;
	u64 addr;

	arch_trap_abort(uf, &a);
	addr = a.addr;
	if (a.type != FAULT_TRANSLATION && a.type != FAULT_PERMISSION && a.type != FAULT_ACCESS_FLAG)
		user_kill(uf, SIGBUS, -1, addr, a.type == FAULT_ALIGNMENT ? "unaligned access" : "external abort");
	access = FAULT_USER | (a.exec ? FAULT_EXEC : a.write ? FAULT_WRITE : FAULT_READ);
	if (!handle_mm_fault(current->mm, addr, access, &fi))
		return;
	if (fi.kind == FAULT_KIND_OOM && !current->kill_sig && oom_victim_exiting()) {
		need_resched = true; /* the victim's exit frees memory when it runs: fault again after it */
		return;
	}
	user_kill(uf, fi.kind == FAULT_KIND_SIGBUS || fi.kind == FAULT_KIND_SWAPERR ? SIGBUS : fi.kind == FAULT_KIND_OOM ? SIGKILL : SIGSEGV,
		  fi.kind, addr, fault_what(fi.kind, access));
}

/* Work due before an app runs again; interrupts masked. */
void user_exit_work(void)
{
	for (;;) {
		if (current->kill_sig)
			task_exit(W_EXITCODE(0, current->kill_sig));
		if (!need_resched)
			return;
		schedule();
	}
}

/*
 * Page faults from EL0 come here from the vectors' fast path, with the
 * app's FP/SIMD registers still live (not saved): code here that uses
 * them (liblz4, printf) must call kernel_neon_begin() first, and a
 * schedule() saves them (include/arch/fpsimd.h). The fault path itself is
 * built general-registers-only and prints only when the app is killed,
 * when its registers no longer matter. Returns 0 to resume the app at
 * once, 1 if a reschedule or kill is due: the vectors then make sure
 * FP/SIMD is saved and call user_exit_work().
 */
int user_fault_fast(struct user_frame *uf)
{
	arch_irq_enable();
	user_abort(uf);
	if (user_fault_test_hook)
		user_fault_test_hook();
	arch_irq_disable();
	return current->kill_sig || need_resched;
}

/*
 * System calls from EL0 come here the same way (on platforms whose
 * vectors take the fast path; the others call user_exception): FP/SIMD
 * still live, the same 0 / 1 result as user_fault_fast.
 */
int user_syscall_fast(struct user_frame *uf)
{
	arch_irq_enable();
	do_syscall(uf);
	arch_irq_disable();
	return current->kill_sig || need_resched;
}

void user_exception(struct user_frame *uf, unsigned kind)
{
	if (arch_trap_is_irq(kind)) {
		cpustat_irq_from_user = true; /* a tick now is the app's time */
		irq_dispatch();
		cpustat_irq_from_user = false;
		user_exit_work();
		return;
	}
	arch_irq_enable();
	switch (arch_trap_class(uf)) {
	case TRAP_SYSCALL:
		do_syscall(uf);
		break;
	case TRAP_DATA_ABORT:
	case TRAP_INST_ABORT:
		user_abort(uf);
		break;
	case TRAP_PC_ALIGN:
		user_kill(uf, SIGBUS, -1, arch_trap_addr(uf), "misaligned PC");
	case TRAP_SP_ALIGN:
		user_kill(uf, SIGBUS, -1, arch_user_sp(uf), "misaligned SP");
	case TRAP_UNDEF:
		user_kill(uf, SIGILL, -1, arch_user_pc(uf), "undefined instruction");
	default:
		user_kill(uf, SIGILL, -1, arch_user_pc(uf), arch_trap_name(uf));
	}
	arch_irq_disable();
	user_exit_work();
}
