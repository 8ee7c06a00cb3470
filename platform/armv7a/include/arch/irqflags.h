/*
 * The CPU's interrupt mask (the arch contract every platform implements
 * in its arch/irqflags.h). ARMv7-A: CPSR.I.
 */
#ifndef ARCH_IRQFLAGS_H
#define ARCH_IRQFLAGS_H

#include <types.h>

#define PSR_I_BIT (1UL << 7)

/* Mask IRQs and return the previous CPSR. */
static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, cpsr\n\tcpsid i" : "=r"(flags)::"memory");
	return flags;
}

/* Restore the IRQ mask of the state returned by arch_irq_save(). */
static inline void arch_irq_restore(unsigned long flags) { __asm__ volatile("msr cpsr_c, %0" ::"r"(flags) : "memory"); }

/* Unmask / mask IRQs. */
static inline void arch_irq_enable(void) { __asm__ volatile("cpsie i" ::: "memory"); }
static inline void arch_irq_disable(void) { __asm__ volatile("cpsid i" ::: "memory"); }

/* Whether IRQs are masked on this CPU. */
static inline bool arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ volatile("mrs %0, cpsr" : "=r"(flags));
	return flags & PSR_I_BIT;
}

#endif
