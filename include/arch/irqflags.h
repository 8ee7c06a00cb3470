/* Saving and restoring the CPU's interrupt mask (the target's version; host
 * builds shadow it with no-ops in platform/host/include/arch/irqflags.h). */
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

#endif
