/* panic() and dump_stack() for host builds: tests must never reach panic. */
#include <lib/panic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void panic(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "host panic: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

void dump_stack(void) { printf("Call trace: (host build: not available)\n"); }
