/*
 * leaky STEP_KB [file]: an app that leaks: at each step it maps STEP_KB of
 * anonymous memory, writes every page and never frees it. It steps when
 * the kernel test raises the flag word to the step's number (a handshake,
 * so the test samples between steps without timing), or on its own every
 * 20 ms once the flag is ~0.
 *
 *   file   first map the image's "blob" file (1 MiB) privately and read
 *          every page: 256 clean page-cache pages the budget can reclaim
 *
 * Prints "leaky: flag=<hex> file=<pages>" when ready, then
 * "leaky: step N, K kB" after each step. Exits 1 if a mapping fails (it
 * runs until killed otherwise), 2 on bad arguments.
 */
#include "sys.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile uint64_t flag;

int main(int argc, char **argv)
{
	char *tok[2];
	int ntok = app_args(argc, argv, tok, 2);
	unsigned long step_kb = ntok >= 1 ? strtoul(tok[0], NULL, 10) : 0, file_pages = 0;
	unsigned long sum = 0;

	if (!step_kb || step_kb % 4 || step_kb > 65536) {
		printf("leaky: STEP_KB must be a multiple of 4 in 4..65536\n");
		return 2;
	}
	if (ntok == 2 && !strcmp(tok[1], "file")) {
		int fd = open_image("blob");
		volatile char *m = fd < 0 ? MAP_FAILED : mmap(NULL, BLOB_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);

		if (m == MAP_FAILED) {
			printf("leaky: cannot map blob\n");
			return 1;
		}
		for (unsigned long off = 0; off < BLOB_SIZE; off += PAGE_SIZE)
			sum += m[off];
		file_pages = BLOB_SIZE / PAGE_SIZE;
	}
	printf("leaky: flag=%p file=%lu sum=%lu\n", (void *)&flag, file_pages, sum);
	for (unsigned long n = 1;; n++) {
		char *p;

		while (flag < n) {
			struct timespec ts = { 0, 1000000 };

			nanosleep(&ts, NULL);
		}
		p = mmap(NULL, step_kb * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			printf("leaky: mmap failed at step %lu\n", n);
			return 1;
		}
		for (unsigned long off = 0; off < step_kb * 1024; off += PAGE_SIZE)
			p[off] = (char)n;
		printf("leaky: step %lu, %lu kB\n", n, n * step_kb);
		if (flag == UINT64_MAX) {
			struct timespec ts = { 0, 20000000 };

			nanosleep(&ts, NULL);
		}
	}
}
