/*
 * Spinlocks. Pagoda runs on one CPU today, so a lock is "interrupts
 * masked" plus a held flag that catches recursion (a deadlock on SMP).
 * SMP replaces the inside with a ticket lock without changing callers.
 */
#ifndef LIB_SPINLOCK_H
#define LIB_SPINLOCK_H

#include <arch/irqflags.h>
#include <lib/panic.h>

typedef struct {
	volatile int held;
} spinlock_t;

#define SPINLOCK_INIT { 0 }

/* Take the lock with interrupts masked; returns the flags to restore. */
static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = arch_irq_save();

	BUG_ON(l->held);
	l->held = 1;
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	l->held = 0;
	arch_irq_restore(flags);
}

#endif
