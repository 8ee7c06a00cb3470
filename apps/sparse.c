/*
 * sparse MIB MODE STRIDE_KB ACTION: one big mapping, touched sparsely.
 *   MIB        size of the anonymous private read-write mapping, in MiB
 *   MODE       plain | noreserve (MAP_NORESERVE) | populate (MAP_POPULATE)
 *   STRIDE_KB  read one byte every STRIDE_KB KiB of it (0: touch nothing);
 *              a read maps the shared zero page, so RSS stays tiny while
 *              every 2 MiB span read needs its own page-table page
 *   ACTION     exit (exit 0 after touching) | wait (sleep until killed) |
 *              spin (no mapping: count forever, yielding never, so that
 *              the kernel can see it get CPU time while another app exits)
 * Prints "sparse: mmap=<address or -errno>", then, if it mapped,
 * "sparse: touched=<n>". Exits 1 if mmap failed, 2 on bad arguments.
 */
#include "sys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char *tok[4];
	unsigned long mib, stride, touched = 0;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	volatile unsigned long spins = 0;
	volatile char sink = 0;
	long addr;

	if (app_args(argc, argv, tok, 4) != 4) {
		printf("sparse: usage: sparse MIB plain|noreserve|populate STRIDE_KB exit|wait|spin\n");
		return 2;
	}
	if (!strcmp(tok[3], "spin"))
		for (;;)
			spins++;
	mib = strtoul(tok[0], NULL, 0);
	stride = strtoul(tok[2], NULL, 0) << 10;
	if (!strcmp(tok[1], "noreserve"))
		flags |= MAP_NORESERVE;
	else if (!strcmp(tok[1], "populate"))
		flags |= MAP_POPULATE;
	else if (strcmp(tok[1], "plain"))
		return 2;
	addr = sys_mmap(NULL, mib << 20, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (addr < 0 && addr > -4096) {
		printf("sparse: mmap=%ld\n", addr);
		return 1;
	}
	printf("sparse: mmap=%#lx\n", (unsigned long)addr);
	for (unsigned long off = 0; stride && off < (mib << 20); off += stride, touched++)
		sink += ((volatile char *)addr)[off];
	printf("sparse: touched=%lu\n", touched);
	if (!strcmp(tok[3], "wait"))
		for (;;) {
			struct timespec ts = { 1000, 0 };

			sys_nanosleep(&ts, NULL);
		}
	(void)sink;
	return 0;
}
