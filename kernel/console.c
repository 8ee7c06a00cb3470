/*
 * The console: picolibc's stdin/stdout/stderr on the PL011.
 * "\n" becomes "\r\n" on the wire so terminals and logs read well.
 */
#include <stdio.h>
#include <drivers/pl011.h>
#include <kernel/console.h>

static void put_char(char c)
{
	if (c == '\n')
		pl011_putc('\r');
	pl011_putc(c);
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
