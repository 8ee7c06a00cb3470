/*
 * procread: reads and writes /proc files from EL0 through openat, read,
 * write and close (the kernel test "procfs" drives it).
 *
 *   procread cat PATH        print "procread: cat PATH", read PATH twice
 *                            (the first warms up the buffers), print
 *                            each line of the second read
 *                            as "procread: LINE", then "procread: done N"
 *                            (bytes) and sleep until killed
 *   procread write PATH VAL  "procread: write=R errno=E" (R: write's result)
 *   procread efault PATH     read into an unmapped address and open a path
 *                            at one: "procread: efault read=R/E open=R/E"
 * Exits 2 on bad arguments, 1 if PATH cannot be opened ("procread: open
 * errno=E").
 */
#include "sys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static char buf[16384];

static long slurp(const char *path)
{
	long n = 0, r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	return r < 0 ? -errno : n;
}

int main(int argc, char **argv)
{
	char *tok[3];
	int ntok = app_args(argc, argv, tok, 3);

	if (ntok >= 2 && !strcmp(tok[0], "cat")) {
		long n;

		/* printf's code and stdout's buffer in first, so that the second
		 * read sees the RSS this app keeps while it sleeps (newlib's
		 * printf spans more pages than picolibc's) */
		printf("procread: cat %.*s\n", (int)strlen(tok[1]), tok[1]);
		n = slurp(tok[1]);

		if (n >= 0)
			n = slurp(tok[1]);
		if (n < 0) {
			printf("procread: open errno=%ld\n", -n);
			return 1;
		}
		for (char *line = buf, *nl; *line; line = nl + 1) {
			nl = strchr(line, '\n');
			if (!nl)
				nl = line + strlen(line) - 1;
			printf("procread: %.*s\n", (int)(nl - line), line);
		}
		printf("procread: done %ld\n", n);
		for (;;)
			sleep_ms(1000);
	}
	if (ntok == 3 && !strcmp(tok[0], "write")) {
		int fd = open(tok[1], O_WRONLY);
		long r;

		if (fd < 0) {
			printf("procread: open errno=%d\n", errno);
			return 1;
		}
		errno = 0;
		r = write(fd, tok[2], strlen(tok[2]));
		printf("procread: write=%ld errno=%d\n", r, r < 0 ? errno : 0);
		close(fd);
		return 0;
	}
	if (ntok == 2 && !strcmp(tok[0], "efault")) {
		int fd = open(tok[1], O_RDONLY);
		long r, o;
		int e1, e2;

		if (fd < 0) {
			printf("procread: open errno=%d\n", errno);
			return 1;
		}
		r = read(fd, (void *)16, 64);
		e1 = errno;
		o = open((const char *)16, O_RDONLY);
		e2 = errno;
		printf("procread: efault read=%ld/%d open=%ld/%d\n", r, e1, o, e2);
		close(fd);
		return 0;
	}
	printf("usage: procread cat PATH | write PATH VALUE | efault PATH\n");
	return 2;
}
