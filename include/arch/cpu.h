/*
 * The arch contract for the CPU's small services that kernel/ and
 * drivers/ need (implemented by platform/<arch>/cpu.c): the free-running
 * counter, waiting for an interrupt, a DMA write barrier and the
 * kernel's thread pointer. Interrupt masking is in arch/irqflags.h.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <types.h>

/* The generic timer's virtual counter, read after every earlier
 * instruction (ticks at timer_freq() Hz). Any context. */
u64 arch_counter(void);
/* Sleep until an interrupt is pending; returns even with IRQs masked
 * (the interrupt is then taken when they are unmasked). */
void arch_wait_for_interrupt(void);
/* Order earlier stores to normal memory (descriptors) before later
 * stores a DMA master acts on (Linux's dma_wmb). Any context. */
void arch_dma_wmb(void);
/* Record the current thread pointer (the kernel's TLS, set by the C
 * library's start-up) as the one reinstalled on every entry from an app.
 * Boot, once, before the first app. */
void arch_save_kernel_tls(void);
/* Execute an instruction the architecture defines as undefined (the
 * crash test of the undefined-instruction report). Returns only if the
 * exception handler skips it. */
void arch_exec_undefined(void);
/* Write into buf (16 bytes, 16-aligned) a function that only returns,
 * make it visible to instruction fetch and return the pointer to call it
 * (the mmu suite expects that call to fault where data is execute-never). */
void (*arch_write_return_stub(void *buf))(void);
/* arch_counter() at the entry of start.S and when it turned the MMU on. */
extern u64 boot_counter_entry, boot_counter_mmu_on;

#endif
