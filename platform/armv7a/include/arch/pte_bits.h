/* ARMv7-A LPAE descriptors: the shared long-descriptor bits with 40-bit output addresses. */
#ifndef ARCH_PTE_BITS_H
#define ARCH_PTE_BITS_H

#define PTE_OA_BITS 40
/* kernel code: nothing (bit 54 is XN for PL1 too; AP[1]=0 already keeps
 * PL0 from fetching it) */
#define PTE_KERNEL_EXEC_XN 0
#include <arch/long_desc.h>

#endif
