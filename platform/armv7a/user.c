/*
 * Tasks and apps on ARMv7-A (include/arch/context.h): contexts, user
 * frames, TTBR0 with 8-bit ASIDs.
 *
 * TTBR0 when no app runs: a reserved all-invalid level-1 table with ASID
 * 0, which no app gets (the generic ASID allocator starts at 1).
 */
#include <arch/context.h>
#include <arch/exception.h>
#include <arch/mmu.h>
#include <arch/phys.h>
#include <arch/sysreg.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(struct user_frame) == USER_FRAME_SIZE, "USER_FRAME_SIZE (arch/frame.h) is wrong");
_Static_assert(sizeof(struct exc_frame) == EXC_FRAME_SIZE, "EXC_FRAME_SIZE (arch/exception.h) is wrong");

static u64 reserved_ttbr0[512] __aligned(4096);

void task_entry(void);    /* switch.S */
void exc_return(void);    /* vectors.S */

void arch_context_init(struct cpu_context *ctx, void *stack_top, void (*fn)(void *), void *arg)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->r4 = (u32)(uintptr_t)fn;
	ctx->r5 = (u32)(uintptr_t)arg;
	ctx->sp = (u32)(uintptr_t)stack_top;
	ctx->pc = (u32)(uintptr_t)task_entry;
}

void arch_context_init_user(struct cpu_context *ctx, void *stack_top)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->sp = (u32)(uintptr_t)user_frame_at(stack_top);
	ctx->pc = (u32)(uintptr_t)exc_return;
}

void arch_user_frame_init(struct user_frame *uf, u64 pc, u64 sp, u64 arg0)
{
	memset(uf, 0, sizeof(*uf));
	uf->regs.pc = (u32)pc & ~1u;
	uf->regs.cpsr = PSR_MODE_USR | (pc & 1 ? PSR_T : 0); /* IRQs on; Thumb entry if bit 0 */
	uf->regs.sp = (u32)sp;
	uf->regs.r[0] = (u32)arg0;
}

#define CNTKCTL_PL0VCTEN BIT(1) /* USR may read CNTVCT and CNTFRQ (apps time themselves) */

void arch_user_init(void)
{
	write_cp15(0, c14, c1, 0, read_cp15(0, c14, c1, 0) | CNTKCTL_PL0VCTEN); /* CNTKCTL */
	write_ttbr0(virt_to_phys(reserved_ttbr0));
	isb();
	write_ttbcr(read_ttbcr() & ~TTBCR_EPD0);
	isb();
	arch_tlb_flush_all();
}

void arch_switch_user_tables(phys_addr_t root, unsigned asid)
{
	if (!root) {
		root = virt_to_phys(reserved_ttbr0);
		asid = 0;
	}
	write_ttbr0(root | (u64)(asid & 0xff) << 48);
	isb();
}

unsigned arch_current_asid(void) { return (unsigned)(read_ttbr0() >> 48) & 0xff; }

unsigned arch_asid_bits(void) { return 8; }

void arch_show_user_regs(const struct user_frame *uf)
{
	const struct exc_frame *f = &uf->regs;

	for (int i = 0; i < 13; i += 2) {
		if (i == 12)
			printf("  r12 %08lx  sp  %08lx\n", (unsigned long)f->r[12], (unsigned long)f->sp);
		else
			printf("  r%-2d %08lx  r%-2d %08lx\n", i, (unsigned long)f->r[i], i + 1, (unsigned long)f->r[i + 1]);
	}
	printf("  lr  %08lx  pc  %08lx  cpsr %08lx  tls %08lx\n", (unsigned long)f->lr, (unsigned long)f->pc,
	       (unsigned long)f->cpsr, (unsigned long)uf->tpidrurw);
}
