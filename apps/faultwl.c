/*
 * faultwl R W [hold]: the scripted fault workload of the self-tests. Maps
 * R+W anonymous pages, reads the first R (zero-page faults) and writes the
 * other W (allocate-on-write faults), and prints the region and the
 * getrusage deltas on one line:
 *
 *   faultwl: region=<hex address> minflt=<R+W> majflt=0
 *
 * (the kernel's exact counts are what the test checks). With "hold" it
 * then sleeps until it is killed, so that the kernel can inspect its page
 * tables. Exits 0; 1 if the mapping fails or a fresh page reads non-zero;
 * 2 on bad arguments.
 */
#include "sys.h"

#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char *tok[3];
	int ntok = app_args(argc, argv, tok, 3);
	bool hold = ntok == 3 && !strcmp(tok[2], "hold");
	unsigned long r, w;
	struct rusage_min before = { 0 }, after = { 0 }; /* written now: no stack fault inside */
	volatile char *map;
	unsigned long sum = 0;

	if (ntok < 2 || (ntok == 3 && !hold)) {
		printf("faultwl: usage: faultwl R W [hold] (pages to read, pages to write)\n");
		return 2;
	}
	r = strtoul(tok[0], NULL, 10);
	w = strtoul(tok[1], NULL, 10);
	if (!r && !w) {
		printf("faultwl: region=0 minflt=0 majflt=0\n");
		return 0;
	}
	map = mmap(NULL, (r + w) * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		printf("faultwl: mmap of %lu pages failed\n", r + w);
		return 1;
	}
	/* nothing between the two getrusage calls but the faults themselves */
	sys_getrusage(RUSAGE_SELF, &before);
	for (unsigned long i = 0; i < r; i++)
		sum += map[i * PAGE_SIZE];
	for (unsigned long i = r; i < r + w; i++)
		map[i * PAGE_SIZE] = 1;
	sys_getrusage(RUSAGE_SELF, &after);
	printf("faultwl: region=%lx minflt=%lu majflt=%lu\n", (unsigned long)(uintptr_t)map,
	       after.minflt - before.minflt, after.majflt - before.majflt);
	if (sum) {
		printf("faultwl: anonymous pages read back non-zero (sum %lu)\n", sum);
		return 1;
	}
	while (hold)
		sleep_ms(1000);
	return 0;
}
