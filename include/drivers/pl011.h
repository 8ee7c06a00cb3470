/* ARM PL011 UART: the console (drivers/pl011.c). */
#ifndef DRIVERS_PL011_H
#define DRIVERS_PL011_H

#include <types.h>

/* Point the driver at its registers (a kernel VA) and enable TX/RX. */
void pl011_init(vaddr_t base);
/* Move to a new mapping of the same registers (no reprogramming). */
void pl011_set_base(vaddr_t base);
/* Blocking transmit of one byte. */
void pl011_putc(char c);
/* Receive by interrupt from now on: request intid, enable the FIFO and the
 * RX interrupts. hook (may be NULL) sees every byte in the interrupt
 * handler first and returns true to consume it (kept out of the input).
 * 0, -ENODEV (no UART), or irq_request's error. Task context, boot. */
int pl011_rx_irq_init(unsigned intid, bool (*hook)(char c));
/* Receive one byte; returns -1 if none is waiting. Any context. */
int pl011_getc(void);
/* Receive one byte, sleeping until one comes (task context; before
 * pl011_rx_irq_init it spins on the register). */
int pl011_getc_wait(void);
/* Bytes received since boot, and how often the input ring was full. */
void pl011_rx_stats(u64 *bytes, u64 *held);

#endif
