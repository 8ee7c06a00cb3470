/*
 * picolibc's tinystdio streams for the apps: stdout (fd 1) and stderr
 * (fd 2) are line buffered on SYS_write; a full buffer or a newline
 * writes it out, fflush() and exit() (a destructor) too. stdin reads
 * nothing (apps take their input from argv).
 */
#include "sys.h"

#include <stdio.h>

#define LINE_MAX_BUF 256

struct line_file {
	FILE file; /* first: picolibc passes &file to the hooks */
	int fd;
	size_t len;
	char buf[LINE_MAX_BUF];
};

static int line_flush(FILE *f)
{
	struct line_file *lf = (struct line_file *)f;
	size_t done = 0;

	while (done < lf->len) {
		long r = sys_write(lf->fd, lf->buf + done, lf->len - done);

		if (r <= 0) {
			lf->len = 0;
			return EOF;
		}
		done += (size_t)r;
	}
	lf->len = 0;
	return 0;
}

static int line_put(char c, FILE *f)
{
	struct line_file *lf = (struct line_file *)f;

	lf->buf[lf->len++] = c;
	if ((c == '\n' || lf->len == sizeof(lf->buf)) && line_flush(f))
		return EOF;
	return (unsigned char)c;
}

static int no_get(FILE *f)
{
	(void)f;
	return EOF;
}

static struct line_file out = {
	.file = FDEV_SETUP_STREAM(line_put, NULL, line_flush, _FDEV_SETUP_WRITE), .fd = 1 };
static struct line_file err = {
	.file = FDEV_SETUP_STREAM(line_put, NULL, line_flush, _FDEV_SETUP_WRITE), .fd = 2 };
static FILE in = FDEV_SETUP_STREAM(NULL, no_get, NULL, _FDEV_SETUP_READ);

FILE *const stdout = &out.file;
FILE *const stderr = &err.file;
FILE *const stdin = &in;

__attribute__((destructor)) static void stdio_exit_flush(void)
{
	line_flush(stdout);
	line_flush(stderr);
}
