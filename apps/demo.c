/*
 * demo: a first EL0 app. Says hello with its pid, mallocs and touches a
 * few pages (heap: minor faults, allocate-on-write), maps an anonymous
 * region and reads half of it (zero-page faults) and writes the other
 * half, prints its fault counts from getrusage, sleeps a little, exits 0.
 */
#include "sys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAP_PAGES 8
#define MAP_PAGES 16

static void report(const char *when)
{
	struct rusage_min ru;

	if (getrusage(RUSAGE_SELF, &ru))
		printf("demo: getrusage failed\n");
	else
		printf("demo: %-22s minflt=%lu majflt=%lu rss=%lu kB maxrss=%lu kB\n", when, ru.minflt,
		       ru.majflt, ru.rss_kb, ru.maxrss_kb);
}

int main(int argc, char **argv)
{
	char *heap, *map;
	unsigned long sum = 0;

	printf("demo: hello from pid %d (parent %d), argc=%d argv[0]=%s\n", getpid(), getppid(), argc,
	       argc > 0 ? argv[0] : "?");
	report("at start:");

	heap = malloc(HEAP_PAGES * PAGE_SIZE);
	if (!heap) {
		printf("demo: malloc(%lu) failed\n", HEAP_PAGES * PAGE_SIZE);
		return 1;
	}
	for (unsigned i = 0; i < HEAP_PAGES; i++)
		heap[i * PAGE_SIZE] = (char)i;
	printf("demo: malloc'd %d pages at %p, break now %p\n", HEAP_PAGES, (void *)heap, sbrk(0));
	report("after heap writes:");

	map = mmap(NULL, MAP_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		printf("demo: mmap failed\n");
		return 1;
	}
	for (unsigned i = 0; i < MAP_PAGES / 2; i++)
		sum += (unsigned char)map[i * PAGE_SIZE];
	for (unsigned i = MAP_PAGES / 2; i < MAP_PAGES; i++)
		memset(map + i * PAGE_SIZE, 0x5a, 64);
	printf("demo: mmap'd %d pages at %p: read %d (sum %lu, zero pages), wrote %d\n", MAP_PAGES,
	       (void *)map, MAP_PAGES / 2, sum, MAP_PAGES / 2);
	report("after mmap read/write:");

	free(heap);
	munmap(map, MAP_PAGES * PAGE_SIZE);
	printf("demo: sleeping 20 ms\n");
	sleep_ms(20);
	printf("demo: bye\n");
	return 0;
}
