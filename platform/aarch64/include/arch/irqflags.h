/*
 * The CPU's interrupt mask (the arch contract every platform implements
 * in its arch/irqflags.h; host builds shadow it with no-ops in
 * platform/host/include/arch/irqflags.h). AArch64: DAIF.I.
 */
#ifndef ARCH_IRQFLAGS_H
#define ARCH_IRQFLAGS_H

#include <types.h>

/* Mask IRQs and return the previous DAIF state. */
static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(flags)::"memory");
	return flags;
}

/* Restore the state returned by arch_irq_save(). */
static inline void arch_irq_restore(unsigned long flags) { __asm__ volatile("msr daif, %0" ::"r"(flags) : "memory"); }

/* Unmask / mask IRQs. */
static inline void arch_irq_enable(void) { __asm__ volatile("msr daifclr, #2" ::: "memory"); }
static inline void arch_irq_disable(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }

/* Whether IRQs are masked on this CPU. */
static inline bool arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, daif" : "=r"(flags));
	return flags & (1UL << 7); /* DAIF.I */
}

#endif
