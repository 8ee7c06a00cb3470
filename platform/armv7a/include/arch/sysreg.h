/*
 * ARMv7-A CP15 system-register access and barriers. Only platform/armv7a
 * includes this; mm/ and kernel/ go through the contract in include/arch.
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <types.h>

#define read_cp15(op1, crn, crm, op2)                                                              \
	({                                                                                         \
		u32 __v;                                                                           \
		__asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(__v)); \
		__v;                                                                               \
	})
#define write_cp15(op1, crn, crm, op2, v) \
	__asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 ::"r"((u32)(v)) : "memory")
#define read_cp15_64(op1, crm)                                                      \
	({                                                                          \
		u64 __v;                                                            \
		__asm__ volatile("mrrc p15, " #op1 ", %Q0, %R0, " #crm : "=r"(__v)); \
		__v;                                                                \
	})
#define write_cp15_64(op1, crm, v) \
	__asm__ volatile("mcrr p15, " #op1 ", %Q0, %R0, " #crm ::"r"((u64)(v)) : "memory")

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")

/* The registers, as (op1, CRn, CRm, op2) or (op1, CRm) for 64-bit ones */
#define read_sctlr() read_cp15(0, c1, c0, 0)
#define write_sctlr(v) write_cp15(0, c1, c0, 0, v)
#define read_ttbcr() read_cp15(0, c2, c0, 2)
#define write_ttbcr(v) write_cp15(0, c2, c0, 2, v)
#define read_ttbr0() read_cp15_64(0, c2)
#define write_ttbr0(v) write_cp15_64(0, c2, v)
#define read_ttbr1() read_cp15_64(1, c2)
#define write_ttbr1(v) write_cp15_64(1, c2, v)
#define read_dfsr() read_cp15(0, c5, c0, 0)
#define read_ifsr() read_cp15(0, c5, c0, 1)
#define read_dfar() read_cp15(0, c6, c0, 0)
#define read_ifar() read_cp15(0, c6, c0, 2)
#define read_mpidr() read_cp15(0, c0, c0, 5)
#define read_cntfrq() read_cp15(0, c14, c0, 0)
#define read_cntvct() read_cp15_64(1, c14)
#define read_cntpct() read_cp15_64(0, c14)
#define read_tpidrurw() read_cp15(0, c13, c0, 2)
#define write_tpidrurw(v) write_cp15(0, c13, c0, 2, v)
#define read_tpidrprw() read_cp15(0, c13, c0, 4)
#define write_tpidrprw(v) write_cp15(0, c13, c0, 4, v)

/* SCTLR bits */
#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_Z BIT(11)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)
#define SCTLR_UWXN BIT(20)

/* TTBCR (long-descriptor) */
#define TTBCR_EAE BIT(31)
#define TTBCR_EPD0 BIT(7)
#define TTBCR_EPD1 BIT(23)

#include <arch/irqflags.h>

#endif
