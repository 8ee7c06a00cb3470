/*
 * The /proc files' stream on the target: a picolibc FILE whose put
 * function copies into a buffer and counts (kernel/proc_table.h).
 */
#include <mm/slab.h>
#include <stdio.h>

#include "proc_table.h"

struct sink_file {
	FILE file; /* first: the put function gets &file */
	struct proc_sink *s;
};

static int sink_put(char c, FILE *f)
{
	struct proc_sink *s = ((struct sink_file *)f)->s;

	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
	return (unsigned char)c;
}

FILE *proc_sink_open(struct proc_sink *s)
{
	struct sink_file *sf = kmalloc(sizeof(*sf), GFP_KERNEL);

	if (!sf)
		return NULL;
	*sf = (struct sink_file){ .file = FDEV_SETUP_STREAM(sink_put, NULL, NULL, _FDEV_SETUP_WRITE), .s = s };
	s->len = 0;
	s->impl = sf;
	return &sf->file;
}

size_t proc_sink_close(struct proc_sink *s, FILE *f)
{
	(void)f;
	kfree(s->impl);
	s->impl = NULL;
	if (s->size)
		s->buf[s->len < s->size ? s->len : s->size - 1] = 0;
	return s->len;
}
