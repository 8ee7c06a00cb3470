/* ARM PL011 UART: the console. */
#ifndef DRIVERS_PL011_H
#define DRIVERS_PL011_H

#include <types.h>

/* Point the driver at its registers (a kernel VA) and enable TX/RX. */
void pl011_init(vaddr_t base);
/* Move to a new mapping of the same registers (no reprogramming). */
void pl011_set_base(vaddr_t base);
/* Blocking transmit of one byte. */
void pl011_putc(char c);
/* Receive one byte; returns -1 if none is waiting. */
int pl011_getc(void);

#endif
