/* include/kernel/libc.h over picolibc: FDEV streams, the kernel's TLS block. */
#include <kernel/libc.h>
#include <mm/slab.h>

struct put_stream {
	FILE file; /* first: the put function gets &file */
	int (*put)(char c, void *cookie);
	void *cookie;
};

static int put_char(char c, FILE *f)
{
	struct put_stream *s = (struct put_stream *)f;

	return s->put(c, s->cookie);
}

FILE *stream_open(int (*put)(char c, void *cookie), void *cookie)
{
	struct put_stream *s = kmalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	*s = (struct put_stream){ .file = FDEV_SETUP_STREAM(put_char, NULL, NULL, _FDEV_SETUP_WRITE),
				  .put = put, .cookie = cookie };
	return &s->file;
}

void stream_close(FILE *f) { kfree(f); } /* picolibc's FDEV streams have no buffer */

extern char __kernel_tls[]; /* the linker script's TLS block (picolibc keeps errno there) */
void _init_tls(void *);
void _set_tls(void *);

void libc_init(void)
{
	_init_tls(__kernel_tls);
	_set_tls(__kernel_tls);
}

void libc_init_late(void) {} /* FDEV_SETUP_STREAM streams keep nothing */
