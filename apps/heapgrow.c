/*
 * heapgrow [MiB]: grows the heap with malloc in 256 KiB steps up to MiB
 * (default 4), touching every page, printing the break as it grows; then
 * frees everything and exits 0.
 */
#include "sys.h"

#include <stdio.h>
#include <stdlib.h>

#define STEP (256 * 1024UL)
#define MAX_STEPS 4096

static char *chunk[MAX_STEPS];

int main(int argc, char **argv)
{
	char *tok[1];
	unsigned long mib = app_args(argc, argv, tok, 1) ? strtoul(tok[0], NULL, 10) : 4;
	unsigned long steps = mib * (1024 * 1024 / STEP), n;
	struct rusage_min ru;

	if (!mib || steps > MAX_STEPS) {
		printf("heapgrow: size must be 1..%lu MiB\n", MAX_STEPS * STEP >> 20);
		return 2;
	}
	printf("heapgrow: growing the heap to %lu MiB, break starts at %p\n", mib, sbrk(0));
	for (n = 0; n < steps; n++) {
		chunk[n] = malloc(STEP);
		if (!chunk[n]) {
			printf("heapgrow: malloc failed after %lu KiB\n", n * STEP >> 10);
			break;
		}
		for (unsigned long off = 0; off < STEP; off += PAGE_SIZE)
			chunk[n][off] = (char)(n + off);
		if ((n + 1) % 4 == 0 || n + 1 == steps)
			printf("heapgrow: %5lu KiB allocated, break %p\n", (n + 1) * STEP >> 10, sbrk(0));
	}
	if (!getrusage(RUSAGE_SELF, &ru))
		printf("heapgrow: minflt=%lu rss=%lu kB maxrss=%lu kB\n", ru.minflt, ru.rss_kb, ru.maxrss_kb);
	while (n)
		free(chunk[--n]);
	printf("heapgrow: freed, break %p\n", sbrk(0));
	return 0;
}
