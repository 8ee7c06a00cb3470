/* AArch64 stage-1 descriptors: the shared long-descriptor bits with 48-bit output addresses. */
#ifndef ARCH_PTE_BITS_H
#define ARCH_PTE_BITS_H

#define PTE_OA_BITS 48
/* kernel code: UXN keeps EL0 from executing it */
#define PTE_KERNEL_EXEC_XN BIT(54)
#include <arch/long_desc.h>

#endif
