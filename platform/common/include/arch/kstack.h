/*
 * Kernel stack size and its log2, from the board's CONFIG_KERNEL_STACK_KB
 * (8, 16, 32 or 64): the vectors' stack-overflow check tests bit
 * KSTACK_SHIFT of SP (stacks start at an odd multiple of their size).
 * Included by each platform's arch/layout.h; usable from assembler.
 */
#ifndef ARCH_KSTACK_H
#define ARCH_KSTACK_H

#include <generated/board.h>

#define KSTACK_SIZE (CONFIG_KERNEL_STACK_KB * 1024)
#if CONFIG_KERNEL_STACK_KB == 8
#define KSTACK_SHIFT 13
#elif CONFIG_KERNEL_STACK_KB == 16
#define KSTACK_SHIFT 14
#elif CONFIG_KERNEL_STACK_KB == 32
#define KSTACK_SHIFT 15
#else
#define KSTACK_SHIFT 16
#endif

#endif
