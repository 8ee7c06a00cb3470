/*
 * Basic fixed-width types and helpers shared by every part of Pagoda,
 * on the target and on the host.
 *
 * phys_addr_t is 64 bits everywhere (also on the planned ARMv7-A LPAE
 * port) so that mm/ never truncates a physical address.
 */
#ifndef PAGODA_TYPES_H
#define PAGODA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
/* unsigned int, not uint32_t: arm-none-eabi's newlib makes uint32_t an
 * unsigned long, and every printf of a u32 says %u/%x (the same type
 * wherever int is 32 bits, which is everywhere Pagoda runs) */
typedef unsigned int u32;
typedef uint64_t u64;
typedef int s32;
typedef int64_t s64;

typedef u64 phys_addr_t;   /* a physical (CPU) address */
typedef uintptr_t vaddr_t; /* a virtual address in the current regime */
typedef u64 dma_addr_t;    /* an address as a bus master sees it */

#define BIT(n) (1ULL << (n))
#define GENMASK(hi, lo) (((~0ULL) >> (63 - (hi))) & ~((1ULL << (lo)) - 1))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define SZ_4K 0x1000ULL
#define SZ_1M 0x100000ULL
#define SZ_2M 0x200000ULL
#define SZ_1G 0x40000000ULL

/* picolibc's <sys/cdefs.h> defines some of these the same way */
#include <sys/cdefs.h>
#ifndef __unused
#define __unused __attribute__((unused))
#endif
#ifndef __noreturn
#define __noreturn __attribute__((noreturn))
#endif
#ifndef __aligned
#define __aligned(n) __attribute__((aligned(n)))
#endif
#ifndef __section
#define __section(s) __attribute__((section(s)))
#endif
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
/* The compiler forgets what it knows of var (Linux's macro of the name):
 * a hot path's computed pointer is formed once in a register instead of
 * its address being re-formed in every load that uses it. */
#define OPTIMIZER_HIDE_VAR(var) __asm__("" : "+r"(var))

#endif
