/*
 * ARM PrimeCell UART (PL011), polled. QEMU's virt board has one at
 * CONFIG_UART_BASE; the firmware uses it as the console behind
 * picolibc's stdio (kernel/console.c).
 *
 * Registers used: DR (data), FR (flags: TXFF, RXFE, BUSY), CR (enable).
 */
#include <drivers/pl011.h>

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_CR 0x30
#define UART_IMSC 0x38
#define FR_BUSY BIT(3)
#define FR_RXFE BIT(4)
#define FR_TXFF BIT(5)
#define CR_UARTEN BIT(0)
#define CR_TXE BIT(8)
#define CR_RXE BIT(9)

static volatile u32 *uart;

static inline u32 rd(unsigned off) { return uart[off / 4]; }
static inline void wr(unsigned off, u32 v) { uart[off / 4] = v; }

void pl011_init(vaddr_t base)
{
	uart = (volatile u32 *)base;
	wr(UART_IMSC, 0);
	wr(UART_CR, CR_UARTEN | CR_TXE | CR_RXE);
}

void pl011_set_base(vaddr_t base) { uart = (volatile u32 *)base; }

void pl011_putc(char c)
{
	if (!uart)
		return;
	while (rd(UART_FR) & FR_TXFF)
		;
	wr(UART_DR, (u8)c);
}

int pl011_getc(void)
{
	if (!uart || (rd(UART_FR) & FR_RXFE))
		return -1;
	return (int)(rd(UART_DR) & 0xff);
}
