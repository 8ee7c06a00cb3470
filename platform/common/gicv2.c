/*
 * GICv2 back end (GIC-400, the Cortex-A15 GIC; QEMU virt gic-version=2):
 * distributor (GICD) and CPU interface (GICC) both memory mapped.
 *
 * Terminology: see gic_ops.h. GICv2 specifics:
 *   banked      GICD registers for INTIDs 0..31 exist once per CPU.
 *   ITARGETSR   one byte per SPI: the set of CPU interfaces it goes to
 *               (read as 0 on uniprocessor GICs).
 *   GICD_SGIR   a write raises an SGI; TargetListFilter 0b10 = to self.
 *   IAR token   for SGIs, IAR also holds the source CPU (bits 12:10);
 *               EOIR must get the whole value back.
 *
 * Groups: GICD_IGROUPR is left as it is. Without the Security Extensions
 * (QEMU virt with no EL3) every INTID stays in Group 0, signalled as IRQ
 * because GICC_CTLR.FIQEn is 0 — Group 1 there would need the deprecated
 * GICC_CTLR.AckCtl, or IAR answers 1022 for it. Under secure firmware we
 * see the Non-secure view: IGROUPR is RAZ/WI, the firmware has put our
 * lines in Group 1, and bit 0 of GICD_CTLR/GICC_CTLR enables Group 1.
 * Either way "enable" is bit 0. (Linux's GICv2 driver does the same.)
 *
 * Some GICv2s (QEMU's among them) keep SGIs permanently enabled: mask()
 * cannot stop an SGI there.
 */
#include <arch/sysreg.h>
#include <lib/errno.h>
#include <mm/ioremap.h>
#include <stdio.h>

#include "gic_ops.h"

#define GICD_ITARGETSR 0x0800
#define GICD_SGIR 0x0f00
#define GICD_PIDR2 0x0fe8
#define GICD_CTLR_ENABLE BIT(0)
#define SGIR_TO_SELF (2u << 24)

#define GICC_CTLR 0x0000
#define GICC_PMR 0x0004
#define GICC_BPR 0x0008
#define GICC_IAR 0x000c
#define GICC_EOIR 0x0010
#define GICC_CTLR_ENABLE BIT(0)
#define GICC_CTLR_BYPASS 0x1e0 /* FIQ/IRQBypDisGrp0/1: firmware's choice */
#define GICC_IAR_INTID(v) ((v) & 0x3ff)

#define PIDR2_ARCHREV(v) (((v) >> 4) & 0xf)

static volatile void *gicd, *gicc;

/* This CPU's bit in ITARGETSR (any banked SGI/PPI byte names it). */
static u8 gicv2_cpu_mask(void)
{
	u32 v = 0;

	for (unsigned i = 0; i < GIC_FIRST_SPI; i += 4)
		v |= gic_read32(gicd, GICD_ITARGETSR + i);
	v |= v >> 16;
	v |= v >> 8;
	return (v & 0xff) ? (u8)v : 1;
}

static void gicv2_dist_init(unsigned nr)
{
	u32 targets = gicv2_cpu_mask() * 0x01010101u;

	gic_write32(gicd, GICD_CTLR, 0);
	gic_reset_lines(gicd, GIC_FIRST_SPI, nr, false);
	for (unsigned i = GIC_FIRST_SPI; i < nr; i += 4)
		gic_write32(gicd, GICD_ITARGETSR + i, targets);
	gic_write32(gicd, GICD_CTLR, GICD_CTLR_ENABLE);
}

static void gicv2_cpu_init(void)
{
	u32 bypass = gic_read32(gicc, GICC_CTLR) & GICC_CTLR_BYPASS;

	gic_reset_lines(gicd, 0, GIC_FIRST_SPI, false); /* this CPU's bank */
	gic_write32(gicc, GICC_PMR, 0xff);               /* let every priority in */
	gic_write32(gicc, GICC_BPR, 0);
	gic_write32(gicc, GICC_CTLR, bypass | GICC_CTLR_ENABLE);
}

static int gicv2_init(const struct gic_regs *r)
{
	unsigned nr;
	u32 rev;

	gicd = ioremap(r->dist, r->dist_size);
	gicc = ioremap(r->cpu, r->cpu_size);
	if (!gicd || !gicc)
		return -ENOMEM;
	rev = PIDR2_ARCHREV(gic_read32(gicd, GICD_PIDR2));
	if (rev != 1 && rev != 2) {
		printf("GICv2: no GICv1/v2 distributor at %#llx (PIDR2.ArchRev %u)\n",
		       (unsigned long long)r->dist, rev);
		return -ENODEV;
	}
	nr = MIN(GICD_TYPER_LINES(gic_read32(gicd, GICD_TYPER)), GIC_MAX_INTID);
	gicv2_dist_init(nr);
	gicv2_cpu_init();
	return (int)nr;
}

static void gicv2_unmask(unsigned intid)
{
	gic_write32(gicd, GIC_BANK_REG(GICD_ISENABLER, intid), GIC_BANK_BIT(intid));
}

static void gicv2_mask(unsigned intid)
{
	gic_write32(gicd, GIC_BANK_REG(GICD_ICENABLER, intid), GIC_BANK_BIT(intid));
	(void)gic_read32(gicd, GICD_CTLR); /* the write has reached the GICD */
}

static unsigned gicv2_ack(u32 *token)
{
	*token = gic_read32(gicc, GICC_IAR);
	return GICC_IAR_INTID(*token);
}

static void gicv2_eoi(u32 token) { gic_write32(gicc, GICC_EOIR, token); }

static void gicv2_raise(unsigned intid)
{
	dsb(ishst); /* what the handler will read is visible first */
	if (intid < GIC_NR_SGI)
		gic_write32(gicd, GICD_SGIR, SGIR_TO_SELF | intid);
	else
		gic_write32(gicd, GIC_BANK_REG(GICD_ISPENDR, intid), GIC_BANK_BIT(intid));
}

const struct gic_ops gicv2_ops = {
	.name = "GICv2",
	.init = gicv2_init,
	.unmask = gicv2_unmask,
	.mask = gicv2_mask,
	.ack = gicv2_ack,
	.eoi = gicv2_eoi,
	.raise = gicv2_raise,
};
