/*
 * GICv3 on ARMv7-A: not supported (Cortex-A15/A7 boards have a GICv2;
 * its CPU interface would be CP15 registers here). The DTB probe in
 * platform/common/gic.c still lists it, so a GICv3 machine gets a clear
 * error instead of a hang.
 */
#include <lib/errno.h>
#include <stdio.h>

#include "../common/gic_ops.h"

static int gicv3_init(const struct gic_regs *r)
{
	(void)r;
	printf("GIC: GICv3 is not supported on ARMv7-A: boot with -M virt,gic-version=2\n");
	return -ENODEV;
}

const struct gic_ops gicv3_ops = {
	.name = "GICv3",
	.init = gicv3_init,
};
