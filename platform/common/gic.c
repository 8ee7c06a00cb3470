/*
 * Interrupts, common part: find the GIC in the device tree, pick the
 * GICv2 or GICv3 back end (gic_ops.h) at run time, keep the handler table
 * and the per-INTID counts, and dispatch.
 *
 * Terminology: see gic_ops.h (INTID, SGI/PPI/SPI, GICD/GICC/GICR, ack,
 * EOI). "Line" below is one INTID with its handler.
 *
 *   DTB /intc compatible ---------> gicv2_ops | gicv3_ops
 *   DTB /intc reg (checked against board.cfg) -> struct gic_regs
 *
 *   IRQ exception -> irq_dispatch: ack -> count -> handler -> EOI, until
 *                    the GIC answers 1023 (nothing more pending)
 *
 * The DTB only chooses the version and gives the addresses it describes;
 * board.cfg's CONFIG_GIC_* are cross-checked against it and a mismatch
 * stops the boot naming the option and the DTB's address (board.cfg is the
 * board's description; one that disagrees with the hardware is a bug to fix,
 * not to paper over).
 *
 * Locking: one CPU, no lock. lines[] is written by irq_request/irq_free
 * with IRQs masked on this CPU and read by irq_dispatch, which runs with
 * IRQs masked; counts[] is written only by irq_dispatch. Handlers run with
 * IRQs masked and may request or free lines, their own included.
 */
#include <arch/irq.h>
#include <arch/layout.h>
#include <arch/irqflags.h>
#include <lib/panic.h>
#include <lib/errno.h>
#include <libfdt.h>
#include <stdio.h>

#include "gic_ops.h"

struct irq_line {
	irq_handler_t fn;
	void *arg;
};

struct gic_model {
	const char *compatible;
	const struct gic_ops *ops;
	phys_addr_t cfg_cpu;   /* board.cfg address of the second reg entry */
	const char *cpu_what;  /* what that entry is */
	const char *cpu_option; /* and its board.cfg option */
	u64 default_cpu_size;  /* if the DTB gives no size */
};

static const struct gic_model gic_models[] = {
	{ "arm,gic-v3", &gicv3_ops, CONFIG_GIC_REDIST_BASE, "redistributor", "CONFIG_GIC_REDIST_BASE", 128 * 1024 },
	{ "arm,gic-400", &gicv2_ops, CONFIG_GIC_CPU_BASE, "CPU interface", "CONFIG_GIC_CPU_BASE", 8 * 1024 },
	{ "arm,cortex-a15-gic", &gicv2_ops, CONFIG_GIC_CPU_BASE, "CPU interface", "CONFIG_GIC_CPU_BASE", 8 * 1024 },
};

#define GICD_DEFAULT_SIZE (64 * 1024)

static const struct gic_ops *gic;
static unsigned nr_intids;
static struct irq_line lines[GIC_MAX_INTID];
static u64 counts[GIC_MAX_INTID];

static unsigned long irq_save(void) { return arch_irq_save(); }

static void irq_restore(unsigned long flags) { arch_irq_restore(flags); }

static u64 fdt_cells(const fdt32_t *p, int n)
{
	u64 v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

/* Entry index of node's "reg", in its parent's address/size cells. */
static int fdt_reg(const void *fdt, int node, int index, u64 *addr, u64 *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return -ENOENT;
	if (len < (index + 1) * (ac + sc) * 4)
		return -ENOENT;
	reg += index * (ac + sc);
	*addr = fdt_cells(reg, ac);
	*size = fdt_cells(reg + ac, sc);
	return 0;
}

/* One register block: board.cfg's address, checked against the DTB's.
 * 0, or -EINVAL with the option and the DTB's address printed. */
static int gic_pick(const char *what, const char *option, int err, u64 dtb, phys_addr_t cfg, phys_addr_t *pa)
{
	*pa = cfg;
	if (err) {
		printf("GIC: warning: the DTB gives no %s address; using board.cfg's %#llx\n", what,
		       (unsigned long long)cfg);
		return 0;
	}
	if (dtb == cfg)
		return 0;
	printf("GIC: %s=%#llx, but the device tree's GIC %s is at %#llx:\n"
	       "GIC: set %s=%#llx in board.cfg\n",
	       option, (unsigned long long)cfg, what, (unsigned long long)dtb, option, (unsigned long long)dtb);
	return -EINVAL;
}

static int gic_read_regs(const void *fdt, int node, const struct gic_model *m, struct gic_regs *r)
{
	u64 addr = 0, size = 0;
	int err, rc;

	err = fdt_reg(fdt, node, 0, &addr, &size);
	rc = gic_pick("distributor", "CONFIG_GIC_DIST_BASE", err, addr, CONFIG_GIC_DIST_BASE, &r->dist);
	r->dist_size = !err && size ? size : GICD_DEFAULT_SIZE;
	err = fdt_reg(fdt, node, 1, &addr, &size);
	rc |= gic_pick(m->cpu_what, m->cpu_option, err, addr, m->cfg_cpu, &r->cpu);
	r->cpu_size = !err && size ? size : m->default_cpu_size;
	return rc ? -EINVAL : 0;
}

/* The first supported GIC the DTB describes, or NULL. */
static const struct gic_model *gic_find(const void *fdt, int *node)
{
	for (size_t i = 0; i < ARRAY_SIZE(gic_models); i++) {
		*node = fdt_node_offset_by_compatible(fdt, -1, gic_models[i].compatible);
		if (*node >= 0)
			return &gic_models[i];
	}
	return NULL;
}

/* Boot, once, IRQs masked: probe the DTB, bring the GIC up all masked. */
int irq_init(const void *fdt)
{
	const struct gic_model *m;
	struct gic_regs regs;
	int node, n;

	BUG_ON(gic);
	m = gic_find(fdt, &node);
	if (!m)
		return -ENODEV;
	if (gic_read_regs(fdt, node, m, &regs))
		return -EINVAL;
	n = m->ops->init(&regs);
	if (n < 0) {
		printf("GIC: %s (%s) failed to initialise: %d\n", m->ops->name, m->compatible, n);
		return n;
	}
	nr_intids = (unsigned)n;
	gic = m->ops;
	gic_dtb_note_lines(fdt, node);
	printf("GIC: %s (%s), distributor %#llx, %s %#llx, %u INTIDs\n", gic->name, m->compatible,
	       (unsigned long long)regs.dist, m->cpu_what, (unsigned long long)regs.cpu, nr_intids);
	return 0;
}

/* Any context: the back end's name, "none" before irq_init. */
const char *irq_controller_name(void) { return gic ? gic->name : "none"; }

/* Boot, after irq_init: see include/arch/irq.h. */
int irq_check_spi(unsigned intid, char *why, size_t len)
{
	const char *owner = gic_dtb_owner(intid);

	if (intid >= nr_intids) {
		snprintf(why, len, "INTID %u is beyond the GIC's %u INTIDs (SPIs are %u..%u)", intid, nr_intids,
			 GIC_FIRST_SPI, nr_intids - 1);
		return -EINVAL;
	}
	if (intid < GIC_FIRST_SPI) {
		snprintf(why, len, "INTID %u is an SGI or PPI (0..31), not a shared peripheral interrupt", intid);
		return -EINVAL;
	}
	if (owner) {
		snprintf(why, len, "INTID %u is the interrupt of the device tree's %s", intid, owner);
		return -EBUSY;
	}
	if (lines[intid].fn) {
		snprintf(why, len, "INTID %u is already taken", intid);
		return -EBUSY;
	}
	return 0;
}

/* Any context (masks IRQs itself): take a free line and unmask it. */
int irq_request(unsigned intid, irq_handler_t handler, void *arg)
{
	unsigned long flags;
	int ret = 0;

	if (!handler || intid >= nr_intids)
		return -EINVAL;
	flags = irq_save();
	if (lines[intid].fn) {
		ret = -EBUSY;
	} else {
		lines[intid].fn = handler;
		lines[intid].arg = arg;
		gic->unmask(intid);
	}
	irq_restore(flags);
	return ret;
}

/* Any context (masks IRQs itself): mask a requested line, drop its handler;
 * panics on a line that is not requested (a programming error). */
void irq_free(unsigned intid)
{
	unsigned long flags;

	BUG_ON(intid >= nr_intids || !lines[intid].fn);
	flags = irq_save();
	gic->mask(intid);
	lines[intid].fn = NULL;
	lines[intid].arg = NULL;
	irq_restore(flags);
}

/* An interrupt nobody asked for: mask it so that it cannot storm. */
static void irq_unhandled(unsigned intid)
{
	gic->mask(intid);
	printf("IRQ: INTID %u has no handler; masked\n", intid);
}

/* IRQ exception, IRQs masked: handle everything pending, then return. */
void irq_dispatch(void)
{
	unsigned intid;
	u32 token;

	BUG_ON(!gic);
	for (;;) {
		intid = gic->ack(&token);
		if (intid >= GIC_MAX_INTID)
			break; /* 1023: nothing (more) pending */
		counts[intid]++;
		if (lines[intid].fn)
			lines[intid].fn(intid, lines[intid].arg);
		else
			irq_unhandled(intid);
		gic->eoi(token);
	}
}

/* Any context: interrupts acknowledged on intid (0 for invalid ids). */
u64 irq_count(unsigned intid) { return intid < GIC_MAX_INTID ? READ_ONCE(counts[intid]) : 0; }

/* Any context, after irq_init: see include/arch/irq.h. */
void irq_raise(unsigned intid)
{
	BUG_ON(!gic || intid >= nr_intids);
	gic->raise(intid);
}

/* Back ends' init only: see gic_ops.h. */
void gic_reset_lines(volatile void *base, unsigned first, unsigned end, bool group1)
{
	const u32 prio4 = GIC_PRIO_DEFAULT * 0x01010101u;

	for (unsigned i = first; i < end; i += 32) {
		gic_write32(base, GIC_BANK_REG(GICD_ICENABLER, i), ~0u);
		gic_write32(base, GIC_BANK_REG(GICD_ICPENDR, i), ~0u);
		gic_write32(base, GIC_BANK_REG(GICD_ICACTIVER, i), ~0u);
		if (group1)
			gic_write32(base, GIC_BANK_REG(GICD_IGROUPR, i), ~0u);
	}
	for (unsigned i = first; i < end; i += 4)
		gic_write32(base, GICD_IPRIORITYR + i, prio4);
	/* two bits per INTID, 0 = level; SGIs (0..15) are fixed */
	for (unsigned i = MAX(first, GIC_NR_SGI); i < end; i += 16)
		gic_write32(base, GICD_ICFGR + i / 4, 0);
}
