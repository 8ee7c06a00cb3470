/*
 * The console: picolibc's stdin/stdout/stderr on the PL011.
 * "\n" becomes "\r\n" on the wire so terminals and logs read well.
 * Everything written is also kept in a ring of the last CONSOLE_RING_SIZE
 * bytes (as written, "\n" only), which a panic saves to pstore.
 */
#include <stdio.h>
#include <drivers/pl011.h>
#include <kernel/console.h>

static char ring[CONSOLE_RING_SIZE];
static size_t ring_written; /* bytes ever written; the next one goes to ring[ring_written % size] */

static void put_char(char c)
{
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

static int console_put(char c, FILE *f)
{
	(void)f;
	put_char(c);
	return (unsigned char)c;
}

static int console_get(FILE *f)
{
	int c;

	(void)f;
	while ((c = pl011_getc()) < 0)
		;
	return c;
}

static FILE console = FDEV_SETUP_STREAM(console_put, console_get, NULL, _FDEV_SETUP_RW);
FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;
