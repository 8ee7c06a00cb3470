/*
 * AArch64 system-register access and barriers. Only platform/aarch64
 * includes this; mm/ and kernel/ go through include/arch/mmu.h etc.
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <types.h>

#define read_sysreg(reg)                                           \
	({                                                         \
		u64 __v;                                           \
		__asm__ volatile("mrs %0, " #reg : "=r"(__v));     \
		__v;                                               \
	})
#define write_sysreg(reg, v) \
	__asm__ volatile("msr " #reg ", %0" ::"r"((u64)(v)) : "memory")

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")

/* SCTLR_EL1 bits we use */
#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_I BIT(12)
#define SCTLR_WXN BIT(19)

/* TCR_EL1 fields */
#define TCR_T0SZ(x) ((u64)(x) << 0)
#define TCR_EPD0 BIT(7)
#define TCR_T1SZ(x) ((u64)(x) << 16)
#define TCR_EPD1 BIT(23)
#define TCR_IPS_SHIFT 32
#define TCR_AS BIT(36)
#define TCR_HA BIT(39) /* hardware access flag update (FEAT_HAFDBS) */

#include <arch/irqflags.h> /* arch_irq_enable/disable, once defined here */

#endif
