/* The end of the apps' address space (include/mm/mm_types.h): 512 GiB,
 * which fits 39- and 48-bit boards (TTBR0). */
#ifndef ARCH_USER_VA_H
#define ARCH_USER_VA_H

#define USER_VA_END (1ULL << 39)

#endif
