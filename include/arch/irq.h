/*
 * Interrupts: the GIC (v2 or v3, chosen from the DTB) behind one small
 * interface. INTIDs are GIC interrupt IDs (PPIs 16..31, SPIs 32..).
 */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <types.h>

typedef void (*irq_handler_t)(unsigned intid, void *arg);

#define IRQ_FIRST_PPI 16
#define IRQ_FIRST_SPI 32
#define IRQ_MAX_INTID 1020 /* INTIDs 1020..1023 are special */

/* Probe the GIC from the DTB (compatible string) and initialise it.
 * Returns 0, -ENODEV if no supported GIC is described, or -EINVAL if
 * board.cfg's CONFIG_GIC_* addresses differ from the DTB's (printed). */
int irq_init(const void *fdt);
/* "GICv2" / "GICv3" once initialised, else "none". */
const char *irq_controller_name(void);
/* Whether intid can be given to a device the DTB does not describe: an SPI
 * within the GIC's range that no DTB device uses and nobody requested.
 * 0, or -EINVAL/-EBUSY with the reason written to why. */
int irq_check_spi(unsigned intid, char *why, size_t len);
/* Install a handler for intid and unmask it. -EINVAL bad id, -EBUSY taken. */
int irq_request(unsigned intid, irq_handler_t handler, void *arg);
/* Mask intid and remove its handler. */
void irq_free(unsigned intid);
/* Called from the exception vectors on an IRQ: acknowledge, run, EOI. */
void irq_dispatch(void);
/* Make intid pending on this CPU (SGI to self, or the pending bit of a
 * PPI/SPI): for self-tests now, the base of IPIs later. */
void irq_raise(unsigned intid);
/* Number of interrupts taken on intid since boot. */
u64 irq_count(unsigned intid);

#endif
