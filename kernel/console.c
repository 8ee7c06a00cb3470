/*
 * The console: the C library's stdin/stdout/stderr on the PL011 (bound in
 * kernel/libc/<libc>/).
 *
 * Output: "\n" becomes "\r\n" on the wire so terminals and logs read well.
 * Everything written is also kept (as written, "\n" only) twice over:
 *
 *   bytes ever written:  0 ............ BOOTLOG ............ written
 *   bootlog[]:           [ the first CONSOLE_BOOTLOG_SIZE ]
 *   ring[]:                                    [ the last CONSOLE_RING_SIZE ]
 *
 * so the boot log survives however long the session runs (dmesg prints
 * both, and says how much in between is gone), and a panic saves the
 * ring's tail to pstore. The line editor's echo (console_echo) is neither:
 * it is terminal control, not output.
 *
 * Input: pl011_getc_wait() (interrupt-driven after console_input_init).
 * The UART interrupt handler passes every byte to rx_hook first: a ^C
 * while a command runs (console_set_busy) is taken out of the input, sets
 * the interrupt flag the command polls (console_interrupted), and kills
 * the foreground app if there is one.
 *
 * Locking: output runs in task context (and the panic path); with one CPU
 * and a cooperative kernel nothing interleaves inside put_char. The busy
 * state and foreground pid are written by the shell's task and read by
 * the interrupt handler (plain volatile words).
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <arch/irq.h>
#include <generated/board.h>
#include <drivers/pl011.h>
#include <kernel/console.h>
#include <kernel/task.h>
#include <lib/errno.h>
#include <uapi/pagoda/syscall.h>

static char ring[CONSOLE_RING_SIZE];
static char bootlog[CONSOLE_BOOTLOG_SIZE];
static size_t ring_written; /* bytes ever written; the next one goes to ring[ring_written % size] */

static volatile bool busy, interrupted;
static volatile int fg_pid;

static void put_char(char c)
{
	if (ring_written < CONSOLE_BOOTLOG_SIZE)
		bootlog[ring_written] = c;
	ring[ring_written++ % CONSOLE_RING_SIZE] = c;
	if (c == '\n')
		pl011_putc('\r');
	pl011_putc(c);
}

size_t console_ring_tail(char *buf, size_t n)
{
	size_t have = ring_written < CONSOLE_RING_SIZE ? ring_written : CONSOLE_RING_SIZE;

	if (n > have)
		n = have;
	for (size_t i = 0; i < n; i++)
		buf[i] = ring[(ring_written - n + i) % CONSOLE_RING_SIZE];
	return n;
}

void console_write(const char *s, size_t n)
{
	while (n--)
		put_char(*s++);
}

void console_echo(const char *s, size_t n)
{
	while (n--)
		pl011_putc(*s++);
}

void show_dmesg(FILE *f)
{
	size_t end = ring_written, boot = MIN(end, (size_t)CONSOLE_BOOTLOG_SIZE);
	size_t from = end > CONSOLE_RING_SIZE ? end - CONSOLE_RING_SIZE : 0;
	char chunk[256];

	fwrite(bootlog, 1, boot, f);
	if (from > boot)
		fprintf(f, "[... %zu bytes of console output not kept ...]\n", from - boot);
	else
		from = boot;
	/* front to back in chunks: what this prints lands in ring slots already read */
	while (from < end) {
		size_t n = MIN(sizeof(chunk), end - from);

		for (size_t i = 0; i < n; i++)
			chunk[i] = ring[(from + i) % CONSOLE_RING_SIZE];
		fwrite(chunk, 1, n, f);
		from += n;
	}
}

/* The UART interrupt handler's first look at each byte. */
static bool rx_hook(char c)
{
	if (c != CONSOLE_INTR || !busy)
		return false;
	interrupted = true;
	if (fg_pid > 0)
		task_kill(fg_pid, SIGKILL);
	return true;
}

/* The INTID of the PL011 at CONFIG_UART_BASE from its DTB node ("interrupts"
 * in the GIC's <type number flags> cells), or -ENOENT. */
static int uart_intid(const void *fdt)
{
	for (int node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011"); node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, "arm,pl011")) {
		int len, ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", NULL);
		u64 addr = 0;

		if (!reg || ac < 1 || ac > 2 || len < ac * 4)
			continue;
		for (int i = 0; i < ac; i++)
			addr = addr << 32 | fdt32_to_cpu(reg[i]);
		if (addr != CONFIG_UART_BASE)
			continue;
		if (!irq || fdt_getprop(fdt, node, "interrupts", &len) == NULL || len < 12)
			return -ENOENT;
		return (int)fdt32_to_cpu(irq[1]) + (fdt32_to_cpu(irq[0]) == 0 ? IRQ_FIRST_SPI : IRQ_FIRST_PPI);
	}
	return -ENOENT;
}

int console_input_init(const void *fdt)
{
	int intid = uart_intid(fdt);

	if (intid < 0)
		return intid;
	return pl011_rx_irq_init((unsigned)intid, rx_hook);
}

int console_getc(void) { return pl011_getc_wait(); }

void console_set_busy(bool on)
{
	fg_pid = 0;
	interrupted = false;
	busy = on;
}

void console_set_foreground(int pid)
{
	fg_pid = pid;
	if (pid > 0 && interrupted) /* ^C came while it was being started */
		task_kill(pid, SIGKILL);
}

bool console_interrupted(void) { return interrupted; }
