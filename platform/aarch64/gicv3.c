/*
 * GICv3 back end (QEMU virt gic-version=3, GIC-500/600): memory-mapped
 * distributor and redistributors, CPU interface as system registers.
 *
 * Terminology: see gic_ops.h. GICv3 specifics:
 *   ARE          affinity routing: SPIs are routed by GICD_IROUTER<n> to an
 *                MPIDR affinity, SGIs/PPIs live in the redistributor.
 *   affinity     Aff3.Aff2.Aff1.Aff0 from MPIDR_EL1, the CPU's address.
 *   RD frame     per-CPU redistributor, found by matching GICR_TYPER's
 *                affinity with ours; frames follow each other until one
 *                has GICR_TYPER.Last:
 *
 *     region base -> +--------------+ 64 KiB RD_base: CTLR, TYPER, WAKER
 *                    | CPU 0        |
 *                    |              | 64 KiB SGI_base: the GICD-style
 *                    +--------------+        registers for INTIDs 0..31
 *                    | CPU 1 ...    | (+128 KiB of vLPI frames if VLPIS)
 *
 *   WAKER        a redistributor starts asleep (ProcessorSleep=1) and
 *                forwards nothing until woken.
 *   RWP          "register write pending" (GICD_CTLR bit 31, GICR_CTLR
 *                bit 3): after disabling a line, wait for it to clear.
 *   Group 1      every INTID is Non-secure Group 1 (IGROUPR=1), signalled
 *                as IRQ and enabled by ICC_IGRPEN1_EL1.
 */
#include <arch/sysreg.h>
#include <lib/errno.h>
#include <mm/ioremap.h>
#include <stdio.h>

#include "../common/gic_ops.h"

#define GICD_CTLR_ENABLE_G1 BIT(0)  /* EnableGrp0 if GICD_CTLR.DS=1: harmless */
#define GICD_CTLR_ENABLE_G1A BIT(1) /* EnableGrp1 if DS=1 */
#define GICD_CTLR_ARE_NS BIT(4)     /* ARE if DS=1 */
#define GICD_CTLR_RWP BIT(31)
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xffe8

#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_CTLR_RWP BIT(3)
#define GICR_TYPER_VLPIS BIT(1)
#define GICR_TYPER_LAST BIT(4)
#define GICR_TYPER_AFF(t) ((u32)((t) >> 32))
#define GICR_WAKER_SLEEP BIT(1)
#define GICR_WAKER_ASLEEP BIT(2)
#define GICR_RD_SIZE 0x10000
#define GICR_SGI_OFFSET 0x10000
#define GICR_FRAMES_SIZE 0x20000      /* RD_base + SGI_base */
#define GICR_FRAMES_SIZE_VLPI 0x40000 /* + VLPI_base + reserved */

#define PIDR2_ARCHREV(v) (((v) >> 4) & 0xf)
#define PFR0_GIC(v) (((v) >> 24) & 0xf)
#define ICC_SRE_SRE BIT(0)
#define ICC_CTLR_EOIMODE BIT(1)
#define ICC_IAR_INTID(v) ((unsigned)((v) & 0xffffff))

#define POLL_LIMIT 1000000

static volatile void *gicd, *gicr_sgi;
static volatile void *gicr_rd;

static u64 mpidr(void) { return read_sysreg(mpidr_el1); }

/* Our affinity as GICR_TYPER[63:32] spells it: Aff3.Aff2.Aff1.Aff0. */
static u32 gicv3_aff32(void)
{
	u64 m = mpidr();

	return (u32)(((m >> 8) & 0xff000000u) | (m & 0xffffffu));
}

/* Our affinity as GICD_IROUTER spells it (Interrupt_Routing_Mode 0). */
static u64 gicv3_router(void) { return mpidr() & 0xff00ffffffULL; }

static bool gicv3_wait_clear(volatile void *base, unsigned off, u32 bit, const char *what)
{
	for (int i = 0; i < POLL_LIMIT; i++)
		if (!(gic_read32(base, off) & bit))
			return true;
	printf("GICv3: timeout waiting for %s\n", what);
	return false;
}

static void gicd_wait_rwp(void) { gicv3_wait_clear(gicd, GICD_CTLR, GICD_CTLR_RWP, "GICD_CTLR.RWP"); }
static void gicr_wait_rwp(void) { gicv3_wait_clear(gicr_rd, GICR_CTLR, GICR_CTLR_RWP, "GICR_CTLR.RWP"); }

static bool gicv3_archrev_ok(volatile void *base, unsigned off)
{
	u32 rev = PIDR2_ARCHREV(gic_read32(base, off));

	return rev == 3 || rev == 4;
}

static void gicv3_dist_init(unsigned nr)
{
	gic_write32(gicd, GICD_CTLR, 0);
	gicd_wait_rwp();
	gic_reset_lines(gicd, GIC_FIRST_SPI, nr, true);
	gicd_wait_rwp();
	gic_write32(gicd, GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1A | GICD_CTLR_ENABLE_G1);
	gicd_wait_rwp();
	for (unsigned i = GIC_FIRST_SPI; i < nr; i++)
		gic_write64(gicd, GICD_IROUTER + 8 * i, gicv3_router());
}

/* Map this CPU's redistributor (RD_base + SGI_base), or return NULL. */
static volatile void *gicv3_find_rdist(phys_addr_t base, u64 size)
{
	u32 me = gicv3_aff32();
	u64 off = 0;

	while (off + GICR_FRAMES_SIZE <= size) {
		volatile void *rd = ioremap(base + off, GICR_RD_SIZE);
		u64 typer;

		if (!rd || !gicv3_archrev_ok(rd, GICR_PIDR2)) {
			if (rd)
				iounmap((void *)rd);
			return NULL;
		}
		typer = gic_read64(rd, GICR_TYPER);
		iounmap((void *)rd);
		if (GICR_TYPER_AFF(typer) == me)
			return ioremap(base + off, GICR_FRAMES_SIZE);
		if (typer & GICR_TYPER_LAST)
			return NULL;
		off += (typer & GICR_TYPER_VLPIS) ? GICR_FRAMES_SIZE_VLPI : GICR_FRAMES_SIZE;
	}
	return NULL;
}

static int gicv3_rdist_wake(void)
{
	u32 waker = gic_read32(gicr_rd, GICR_WAKER);

	gic_write32(gicr_rd, GICR_WAKER, waker & ~(u32)GICR_WAKER_SLEEP);
	if (!gicv3_wait_clear(gicr_rd, GICR_WAKER, GICR_WAKER_ASLEEP, "GICR_WAKER.ChildrenAsleep"))
		return -ETIMEDOUT;
	return 0;
}

static int gicv3_rdist_init(const struct gic_regs *r)
{
	gicr_rd = gicv3_find_rdist(r->cpu, r->cpu_size);
	if (!gicr_rd) {
		printf("GICv3: no redistributor for MPIDR %#llx in [%#llx, +%#llx)\n",
		       (unsigned long long)mpidr(), (unsigned long long)r->cpu,
		       (unsigned long long)r->cpu_size);
		return -ENODEV;
	}
	gicr_sgi = (volatile void *)((uintptr_t)gicr_rd + GICR_SGI_OFFSET);
	if (gicv3_rdist_wake())
		return -ETIMEDOUT;
	gic_reset_lines(gicr_sgi, 0, GIC_FIRST_SPI, true);
	gicr_wait_rwp();
	return 0;
}

static int gicv3_cpuif_init(void)
{
	write_sysreg(icc_sre_el1, read_sysreg(icc_sre_el1) | ICC_SRE_SRE);
	isb();
	if (!(read_sysreg(icc_sre_el1) & ICC_SRE_SRE)) {
		printf("GICv3: system register interface disabled by a higher EL\n");
		return -ENODEV;
	}
	write_sysreg(icc_pmr_el1, 0xff); /* let every priority in */
	write_sysreg(icc_bpr1_el1, 0);
	write_sysreg(icc_ctlr_el1, read_sysreg(icc_ctlr_el1) & ~ICC_CTLR_EOIMODE);
	write_sysreg(icc_igrpen1_el1, 1);
	isb();
	return 0;
}

static int gicv3_init(const struct gic_regs *r)
{
	unsigned nr;
	int err;

	if (!PFR0_GIC(read_sysreg(id_aa64pfr0_el1))) {
		printf("GICv3: this CPU has no GIC system register interface\n");
		return -ENODEV;
	}
	gicd = ioremap(r->dist, r->dist_size);
	if (!gicd)
		return -ENOMEM;
	if (!gicv3_archrev_ok(gicd, GICD_PIDR2)) {
		printf("GICv3: no GICv3/v4 distributor at %#llx\n", (unsigned long long)r->dist);
		return -ENODEV;
	}
	nr = MIN(GICD_TYPER_LINES(gic_read32(gicd, GICD_TYPER)), GIC_MAX_INTID);
	gicv3_dist_init(nr);
	err = gicv3_rdist_init(r);
	if (!err)
		err = gicv3_cpuif_init();
	return err ? err : (int)nr;
}

/* The register bank holding intid: the redistributor's for SGIs/PPIs. */
static volatile void *gicv3_bank(unsigned intid) { return intid < GIC_FIRST_SPI ? gicr_sgi : gicd; }

static void gicv3_unmask(unsigned intid)
{
	gic_write32(gicv3_bank(intid), GIC_BANK_REG(GICD_ISENABLER, intid), GIC_BANK_BIT(intid));
}

static void gicv3_mask(unsigned intid)
{
	gic_write32(gicv3_bank(intid), GIC_BANK_REG(GICD_ICENABLER, intid), GIC_BANK_BIT(intid));
	if (intid < GIC_FIRST_SPI)
		gicr_wait_rwp();
	else
		gicd_wait_rwp();
}

static unsigned gicv3_ack(u32 *token)
{
	u64 iar = read_sysreg(icc_iar1_el1);

	dsb(sy); /* the activation is seen before the handler's accesses */
	*token = (u32)iar;
	return ICC_IAR_INTID(iar);
}

static void gicv3_eoi(u32 token)
{
	write_sysreg(icc_eoir1_el1, token);
	isb();
}

/* ICC_SGI1R_EL1 value sending sgi to this CPU only. */
static u64 gicv3_sgi1r_self(unsigned sgi)
{
	u64 m = mpidr();
	u64 aff0 = m & 0xff, aff1 = (m >> 8) & 0xff, aff2 = (m >> 16) & 0xff, aff3 = (m >> 32) & 0xff;

	return aff3 << 48 | aff2 << 32 | (u64)sgi << 24 | aff1 << 16 | (aff0 >> 4) << 44 |
	       BIT(aff0 & 0xf);
}

static void gicv3_raise(unsigned intid)
{
	dsb(ishst); /* what the handler will read is visible first */
	if (intid < GIC_NR_SGI) {
		write_sysreg(icc_sgi1r_el1, gicv3_sgi1r_self(intid));
		isb();
	} else {
		gic_write32(gicv3_bank(intid), GIC_BANK_REG(GICD_ISPENDR, intid), GIC_BANK_BIT(intid));
	}
}

const struct gic_ops gicv3_ops = {
	.name = "GICv3",
	.init = gicv3_init,
	.unmask = gicv3_unmask,
	.mask = gicv3_mask,
	.ack = gicv3_ack,
	.eoi = gicv3_eoi,
	.raise = gicv3_raise,
};
