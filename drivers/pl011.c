/*
 * ARM PrimeCell UART (PL011). QEMU's virt board has one at
 * CONFIG_UART_BASE; the firmware uses it as the console behind
 * picolibc's stdio (kernel/console.c).
 *
 * Transmit is polled (wait while the TX FIFO is full). Receive is polled
 * until pl011_rx_irq_init(), then interrupt-driven:
 *
 *   byte on the wire -> RX FIFO -> RX/RX-timeout interrupt -> pl011_isr:
 *     each byte goes to the rx hook (console: ^C handling), then, unless
 *     the hook consumed it, into rx_ring; wake_up(rx_wait)
 *   pl011_getc_wait(): sleeps on rx_wait until rx_ring has a byte
 *
 * When rx_ring is full the ISR stops draining the FIFO and masks the RX
 * interrupts; the FIFO then fills and the sender is held back (QEMU stops
 * reading its chardev), so no byte is dropped. pl011_getc_wait unmasks
 * them once it has taken a byte, and drains the FIFO then.
 *
 * Registers used: DR (data), FR (flags: TXFF, RXFE), LCR_H (FIFO enable),
 * CR (enable), IMSC (interrupt mask), ICR (interrupt clear).
 *
 * Locking: rx_ring has one producer (the ISR, interrupts masked) and one
 * consumer (a task, which masks interrupts while it takes a byte), with
 * several CPUs it would take a spinlock in the same places.
 */
#include <arch/irq.h>
#include <arch/irqflags.h>
#include <drivers/pl011.h>
#include <kernel/task.h>
#include <kernel/wait.h>
#include <lib/errno.h>

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_LCR_H 0x2c
#define UART_CR 0x30
#define UART_IMSC 0x38
#define UART_ICR 0x44
#define FR_BUSY BIT(3)
#define FR_RXFE BIT(4)
#define FR_TXFF BIT(5)
#define LCR_H_FEN BIT(4)
#define LCR_H_WLEN8 (3u << 5)
#define CR_UARTEN BIT(0)
#define CR_TXE BIT(8)
#define CR_RXE BIT(9)
#define INT_RX BIT(4)
#define INT_RT BIT(6)

#define RX_RING_SIZE 1024 /* a power of two */

static volatile u32 *uart;
static char rx_ring[RX_RING_SIZE];
static volatile unsigned rx_head, rx_tail; /* written by the ISR / the reader; free-running */
static struct wait_queue_head rx_wait = WAIT_QUEUE_HEAD_INIT(rx_wait);
static bool rx_irq;                         /* pl011_rx_irq_init succeeded */
static bool rx_masked;                      /* RX masked: rx_ring was full */
static bool (*rx_hook)(char c);
static u64 rx_bytes, rx_held;               /* bytes received; times the ring was full */

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

/*
 * Interrupts masked: move the FIFO's bytes into rx_ring. The interrupt is
 * cleared first, then the FIFO drained: a byte that arrives after the last
 * look at RXFE raises the interrupt again (QEMU raises RX only when the
 * FIFO goes from empty to one byte; clearing it after the drain could
 * clear that byte's interrupt and leave it, and every byte behind it, in
 * the FIFO for good). With rx_ring full the rest stays in the FIFO, RX is
 * masked, and ring_take drains again when it unmasks.
 */
static void rx_drain(void)
{
	wr(UART_ICR, INT_RX | INT_RT);
	while (!(rd(UART_FR) & FR_RXFE)) {
		char c;

		if (rx_head - rx_tail == RX_RING_SIZE) {
			wr(UART_IMSC, 0); /* full: leave the rest in the FIFO */
			rx_masked = true;
			rx_held++;
			break;
		}
		c = (char)(rd(UART_DR) & 0xff);
		rx_bytes++;
		if (rx_hook && rx_hook(c))
			continue;
		rx_ring[rx_head % RX_RING_SIZE] = c;
		rx_head++;
	}
}

static void pl011_isr(unsigned intid, void *arg)
{
	(void)intid;
	(void)arg;
	rx_drain();
	wake_up(&rx_wait);
}

int pl011_rx_irq_init(unsigned intid, bool (*hook)(char c))
{
	int rc;
	if (!uart)
		return -ENODEV;
	rx_hook = hook;
	unsigned long flags;

	rc = irq_request(intid, pl011_isr, NULL);
	if (rc)
		return rc;
	flags = arch_irq_save();
	pl011_isr(intid, NULL); /* what came before: into the ring (a FIFO switch would drop it) */
	wr(UART_LCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	wr(UART_ICR, 0x7ff);
	rx_irq = true;
	wr(UART_IMSC, INT_RX | INT_RT);
	arch_irq_restore(flags);
	return 0;
}

/* A byte from rx_ring, or -1; unmasks RX interrupts masked by a full ring. */
static int ring_take(void)
{
	unsigned long flags = arch_irq_save();
	int c = -1;

	if (rx_head != rx_tail) {
		c = (unsigned char)rx_ring[rx_tail % RX_RING_SIZE];
		rx_tail++;
		if (rx_masked) { /* room again: what waited in the FIFO, then interrupts */
			rx_masked = false;
			wr(UART_IMSC, INT_RX | INT_RT);
			rx_drain();
		}
	}
	arch_irq_restore(flags);
	return c;
}

int pl011_getc(void)
{
	if (!uart)
		return -1;
	if (rx_irq)
		return ring_take();
	if (rd(UART_FR) & FR_RXFE)
		return -1;
	return (int)(rd(UART_DR) & 0xff);
}

int pl011_getc_wait(void)
{
	int c;

	if (!rx_irq) {
		while ((c = pl011_getc()) < 0)
			;
		return c;
	}
	while ((c = ring_take()) < 0)
		wait_event(rx_wait, rx_head != rx_tail);
	return c;
}

void pl011_rx_stats(u64 *bytes, u64 *held)
{
	*bytes = rx_bytes;
	*held = rx_held;
}
