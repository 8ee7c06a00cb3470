/*
 * Internal to platform/aarch64: the contract between the common GIC code
 * (gic.c: DTB probing, handler table, dispatch, counts) and the two
 * hardware back ends (gicv2.c, gicv3.c), chosen at run time.
 *
 * Terminology (Arm GIC architecture):
 *   INTID      interrupt ID: SGI 0..15 (software-generated, per CPU),
 *              PPI 16..31 (private peripheral, per CPU), SPI 32..1019
 *              (shared peripheral); 1020..1023 are special, 1023 means
 *              "spurious: nothing pending".
 *   GICD       distributor: SPI enable/priority/routing (both versions).
 *   GICC       GICv2 CPU interface, memory mapped: acknowledge (IAR),
 *              end of interrupt (EOIR), priority mask (PMR).
 *   GICR       GICv3 redistributor, one 128 KiB frame pair per CPU
 *              (RD_base, then SGI_base holding the SGI/PPI registers).
 *   ICC_*_EL1  GICv3 CPU interface, as system registers.
 *   ack / EOI  reading IAR activates the highest-priority pending
 *              interrupt; writing the same value to EOIR ends it (with
 *              EOImode 0 this both drops the priority and deactivates).
 *
 * Back ends run on one CPU with no locks: gic.c calls mask/unmask with
 * IRQs masked on this CPU and ack/eoi from irq_dispatch (IRQs masked).
 */
#ifndef PLATFORM_COMMON_GIC_OPS_H
#define PLATFORM_COMMON_GIC_OPS_H

#include <types.h>

#define GIC_NR_SGI 16
#define GIC_FIRST_SPI 32
#define GIC_MAX_INTID 1020 /* INTIDs 0..1019 can be handled */
#define GIC_SPURIOUS 1023
#define GIC_PRIO_DEFAULT 0xa0

/* gic_dtb.c: the INTIDs the device tree's devices use (see there). */
void gic_dtb_note_lines(const void *fdt, int gic_node);
const char *gic_dtb_owner(unsigned intid);

/* Where the GIC's registers are (physical), as the DTB describes them. */
struct gic_regs {
	phys_addr_t dist;
	u64 dist_size;
	phys_addr_t cpu;  /* v2: GICC; v3: the first redistributor region */
	u64 cpu_size;
};

struct gic_ops {
	const char *name; /* "GICv2" / "GICv3" */
	/* Reset and enable the distributor and this CPU's interface with every
	 * line masked. Returns the number of INTIDs (<= GIC_MAX_INTID) or a
	 * negative errno. */
	int (*init)(const struct gic_regs *regs);
	/* Enable / disable forwarding of intid to this CPU. mask() returns only
	 * once the GIC has stopped forwarding it. */
	void (*unmask)(unsigned intid);
	void (*mask)(unsigned intid);
	/* Acknowledge: returns the INTID (GIC_SPURIOUS if none) and sets *token
	 * to the value eoi() must be given. */
	unsigned (*ack)(u32 *token);
	void (*eoi)(u32 token);
	/* Make intid pending on this CPU by software: an SGI to self, or the
	 * pending bit of a PPI/SPI. */
	void (*raise)(unsigned intid);
};

extern const struct gic_ops gicv2_ops;
extern const struct gic_ops gicv3_ops;


/* 32/64-bit register access for the back ends (Device memory). */
static inline u32 gic_read32(volatile void *base, unsigned off)
{
	return *(volatile u32 *)((uintptr_t)base + off);
}

static inline void gic_write32(volatile void *base, unsigned off, u32 v)
{
	*(volatile u32 *)((uintptr_t)base + off) = v;
}

static inline u64 gic_read64(volatile void *base, unsigned off)
{
	return *(volatile u64 *)((uintptr_t)base + off);
}

static inline void gic_write64(volatile void *base, unsigned off, u64 v)
{
	*(volatile u64 *)((uintptr_t)base + off) = v;
}

/* Distributor registers common to both versions: one bit, one byte or two
 * bits per INTID. */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_TYPER_LINES(t) (32 * (((t) & 0x1f) + 1))

/* Register and bit of intid in a one-bit-per-INTID bank at off. */
#define GIC_BANK_REG(off, intid) ((off) + 4 * ((intid) / 32))
#define GIC_BANK_BIT(intid) ((u32)1 << ((intid) % 32))

/*
 * Put INTIDs [first, end) (multiples of 32) of the bank at base in a known
 * state: disabled, neither pending nor active, priority GIC_PRIO_DEFAULT,
 * level-triggered, and in Group 1 if group1. base is the GICD, or for
 * 0..31 on GICv3 the redistributor's SGI frame (same register offsets).
 */
void gic_reset_lines(volatile void *base, unsigned first, unsigned end, bool group1);

#endif
