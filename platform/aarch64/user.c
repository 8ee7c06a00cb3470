/*
 * EL0 support for the task code (include/arch/context.h): new user
 * frames and contexts, TTBR0 switching with ASIDs, and the system
 * register settings apps need.
 *
 * TTBR0 when no app runs: a reserved all-invalid table with ASID 0 (which
 * the ASID allocator never hands out), so a kernel thread never walks an
 * app's tables and EL0 addresses fault.
 */
#include <arch/context.h>
#include <arch/mmu.h>
#include <arch/phys.h>
#include <arch/sysreg.h>
#include <lib/panic.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(struct user_frame) == USER_FRAME_SIZE, "vectors.S knows the user frame size");
_Static_assert(offsetof(struct user_frame, tpidr_el0) == 288, "vectors.S: UF_TPIDR");
_Static_assert(offsetof(struct user_frame, fpsr) == 304, "vectors.S: UF_FP");
_Static_assert(offsetof(struct cpu_context, pc) == 96, "switch.S knows struct cpu_context");

#define SCTLR_DZE BIT(14)   /* EL0 may use DC ZVA (picolibc's memset) */
#define SCTLR_UCT BIT(15)   /* EL0 may read CTR_EL0 (cache line sizes) */
#define SCTLR_UCI BIT(26)   /* EL0 may clean/invalidate to PoU: DC CVAU, DC CIVAC, IC IVAU (JITs) */
#define CNTKCTL_EL0VCTEN BIT(1) /* EL0 may read CNTVCT_EL0/CNTFRQ_EL0 */
#define TTBR_ASID_SHIFT 48
#define SPSR_EL0T 0x0       /* EL0, SP_EL0, D/A/I/F unmasked */

void task_entry_trampoline(void);
void ret_to_user(void);

static u64 reserved_ttbr0[512] __aligned(4096);

void arch_context_init(struct cpu_context *ctx, void *stack_top, void (*fn)(void *), void *arg)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->x19 = (u64)(uintptr_t)fn;
	ctx->x20 = (u64)(uintptr_t)arg;
	ctx->sp = (u64)(uintptr_t)stack_top;
	ctx->pc = (u64)(uintptr_t)task_entry_trampoline;
}

void arch_context_init_user(struct cpu_context *ctx, void *stack_top)
{
	/* ret_to_user expects sp = frame record, the user frame above it */
	u64 *record = (u64 *)((char *)user_frame_at(stack_top) - 16);

	record[0] = 0;
	record[1] = 0;
	memset(ctx, 0, sizeof(*ctx));
	ctx->sp = (u64)(uintptr_t)record;
	ctx->pc = (u64)(uintptr_t)ret_to_user;
}

void arch_user_frame_init(struct user_frame *uf, u64 pc, u64 sp, u64 arg0)
{
	memset(uf, 0, sizeof(*uf));
	uf->regs.elr = pc;
	uf->regs.sp = sp;
	uf->regs.spsr = SPSR_EL0T;
	uf->regs.x[0] = arg0;
	uf->fpcr = 0;
}

void arch_user_init(void)
{
	u64 tcr = read_sysreg(tcr_el1);

	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | SCTLR_DZE | SCTLR_UCT | SCTLR_UCI);
	write_sysreg(cntkctl_el1, read_sysreg(cntkctl_el1) | CNTKCTL_EL0VCTEN);
	write_sysreg(ttbr0_el1, virt_to_phys(reserved_ttbr0));
	isb();
	write_sysreg(tcr_el1, tcr & ~TCR_EPD0);
	isb();
	arch_tlb_flush_all();
}

void arch_switch_user_tables(phys_addr_t root, unsigned asid)
{
	if (!root) {
		root = virt_to_phys(reserved_ttbr0);
		asid = 0;
	}
	write_sysreg(ttbr0_el1, root | ((u64)asid << TTBR_ASID_SHIFT));
	isb();
}

unsigned arch_asid_bits(void)
{
	return (read_sysreg(tcr_el1) & TCR_AS) ? 16 : 8;
}

void arch_show_user_regs(const struct user_frame *uf)
{
	const struct exc_frame *f = &uf->regs;

	printf("  pc %016llx  lr %016llx  sp %016llx  pstate %08llx\n", (unsigned long long)f->elr,
	       (unsigned long long)f->x[30], (unsigned long long)f->sp, (unsigned long long)f->spsr);
	for (int i = 0; i < 30; i += 3)
		printf("  x%-2d %016llx  x%-2d %016llx  x%-2d %016llx\n", i, (unsigned long long)f->x[i], i + 1,
		       (unsigned long long)f->x[i + 1], i + 2, (unsigned long long)f->x[i + 2]);
}

unsigned arch_current_asid(void) { return (unsigned)(read_sysreg(ttbr0_el1) >> TTBR_ASID_SHIFT); }
