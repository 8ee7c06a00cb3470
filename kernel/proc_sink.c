/*
 * The /proc files' stream on the target: a C-library FILE whose put
 * function copies into a buffer and counts (kernel/proc_table.h).
 */
#include <kernel/libc.h>
#include <stdio.h>

#include "proc_table.h"

static int sink_put(char c, void *cookie)
{
	struct proc_sink *s = cookie;

	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
	return (unsigned char)c;
}

FILE *proc_sink_open(struct proc_sink *s)
{
	FILE *f = stream_open(sink_put, s);

	s->len = 0;
	s->impl = f;
	return f;
}

size_t proc_sink_close(struct proc_sink *s, FILE *f)
{
	stream_close(f); /* the last bytes reach sink_put first */
	s->impl = NULL;
	if (s->size)
		s->buf[s->len < s->size ? s->len : s->size - 1] = 0;
	return s->len;
}
