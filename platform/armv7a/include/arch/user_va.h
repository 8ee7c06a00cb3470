/* The end of the apps' address space (include/mm/mm_types.h): 3 GiB, where
 * TTBR1's kernel half starts (PAGE_OFFSET, TTBCR.T1SZ = 2). */
#ifndef ARCH_USER_VA_H
#define ARCH_USER_VA_H

#define USER_VA_END 0xC0000000ULL
/* The apps' address and length width (32 bits: ARM apps' unsigned long): a range whose end is past
 * it wraps for them, as it would in their unsigned long (mm/mmap.c). */
#define USER_WORD_MASK 0xFFFFFFFFULL

#endif
