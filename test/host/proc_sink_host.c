/* The /proc files' stream on the host (kernel/proc_table.h): a glibc
 * fopencookie stream that copies into the buffer and counts. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "../../kernel/proc_table.h"

static ssize_t sink_write(void *cookie, const char *b, size_t n)
{
	struct proc_sink *s = cookie;

	for (size_t i = 0; i < n; i++, s->len++)
		if (s->len + 1 < s->size)
			s->buf[s->len] = b[i];
	return (ssize_t)n;
}

FILE *proc_sink_open(struct proc_sink *s)
{
	s->len = 0;
	return fopencookie(s, "w", (cookie_io_functions_t){ .write = sink_write });
}

size_t proc_sink_close(struct proc_sink *s, FILE *f)
{
	fclose(f);
	if (s->size)
		s->buf[s->len < s->size ? s->len : s->size - 1] = 0;
	return s->len;
}
