/* The end of the apps' address space (include/mm/mm_types.h): 512 GiB,
 * which fits 39- and 48-bit boards (TTBR0). */
#ifndef ARCH_USER_VA_H
#define ARCH_USER_VA_H

#define USER_VA_END (1ULL << 39)
/* The apps' address and length width (64 bits): a range whose end is past
 * it wraps for them, as it would in their unsigned long (mm/mmap.c). */
#define USER_WORD_MASK ~0ULL

#endif
