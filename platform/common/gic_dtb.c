/*
 * Which INTIDs the device tree's devices use: every node with an
 * "interrupts" property whose interrupt parent is the GIC, decoded in the
 * GIC binding's 3-cell format <type number flags> (type 0: SPI, INTID
 * 32 + number; type 1: PPI, INTID 16 + number). Boot code asks before it
 * gives a line to a device the DTB does not describe (a DMA engine of
 * board.cfg), so that two devices never share one line by accident.
 *
 * Locking: written once by gic_dtb_note_lines at boot (one CPU), read-only
 * afterwards.
 */
#include <libfdt.h>

#include "gic_ops.h"

static const char *owner[GIC_MAX_INTID]; /* the DTB node's name (in the DTB), or NULL */

#define DTB_MAX_DEPTH 32 /* inherited by depth up to here (QEMU's virt DTB has 3 levels) */

/* The phandle of node's interrupt parent, looking up the tree; 0 if none
 * (for nodes deeper than DTB_MAX_DEPTH: each step walks from the root). */
static u32 interrupt_parent_slow(const void *fdt, int node)
{
	for (; node >= 0; node = fdt_parent_offset(fdt, node)) {
		int len;
		const fdt32_t *p = fdt_getprop(fdt, node, "interrupt-parent", &len);

		if (p && len == 4)
			return fdt32_to_cpu(*p);
	}
	return 0;
}

/* node's own "interrupt-parent" phandle, or inherited (the parent's). */
static u32 own_interrupt_parent(const void *fdt, int node, u32 inherited)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "interrupt-parent", &len);

	return p && len == 4 ? fdt32_to_cpu(*p) : inherited;
}

/* Boot, from irq_init: record the lines of the devices whose parent is gic_node. */
void gic_dtb_note_lines(const void *fdt, int gic_node)
{
	u32 gic_phandle = fdt_get_phandle(fdt, gic_node);
	int len, node, depth = 0, cells = 3;
	u32 parent_at[DTB_MAX_DEPTH];
	const fdt32_t *p = fdt_getprop(fdt, gic_node, "#interrupt-cells", &len);

	if (p && len == 4)
		cells = (int)fdt32_to_cpu(*p);
	if (cells < 2)
		return;
	/* one pass over the tree, the interrupt parent inherited by depth
	 * (libfdt's fdt_parent_offset walks from the root: per node, that
	 * would make the pass quadratic) */
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0; node = fdt_next_node(fdt, node, &depth)) {
		const fdt32_t *irqs;
		u32 parent;

		if (depth < 0)
			continue;
		if (depth < DTB_MAX_DEPTH)
			parent = parent_at[depth] = own_interrupt_parent(fdt, node, depth ? parent_at[depth - 1] : 0);
		else
			parent = interrupt_parent_slow(fdt, node);
		irqs = fdt_getprop(fdt, node, "interrupts", &len);
		if (!irqs)
			continue;
		if (parent && parent != gic_phandle)
			continue;
		for (int i = 0; i + cells <= len / 4; i += cells) {
			u32 type = fdt32_to_cpu(irqs[i]), nr = fdt32_to_cpu(irqs[i + 1]);
			u32 intid = type == 0 ? GIC_FIRST_SPI + nr : type == 1 ? GIC_NR_SGI + nr : GIC_MAX_INTID;

			if (intid < GIC_MAX_INTID && !owner[intid])
				owner[intid] = fdt_get_name(fdt, node, NULL);
		}
	}
}

/* Any context after boot: the DTB node using intid, or NULL. */
const char *gic_dtb_owner(unsigned intid) { return intid < GIC_MAX_INTID ? owner[intid] : NULL; }
