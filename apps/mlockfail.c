/*
 * mlockfail BYTES: mlock calls that must fail having done nothing.
 *  1. lengths near 2^64 that wrap when rounded up or added to the start:
 *     mlock/munlock -EINVAL, mprotect -ENOMEM, madvise -EINVAL (Linux's
 *     errnos), and the page they name keeps its contents and protection;
 *  2. mlock of a fresh BYTES-long anonymous mapping that the kernel cannot
 *     fault in: -EAGAIN. It maps the region, prints
 *     "mlockfail: region=<hex> len=<hex> flag=<hex>" and waits until the
 *     kernel test, having taken all but a little of the free memory, sets
 *     the flag word; then it calls mlock and prints "mlockfail: rc=<n>".
 * Prints "mlockfail: wraps ok" (or a line per mismatch) first, and after
 * the mlock sleeps until killed, so that the kernel can check that nothing
 * of the region stayed mapped or locked. Exits 1 early if the mapping
 * fails, 2 on bad arguments.
 */
#include "sys.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void expect(const char *what, unsigned long len, long got, long want)
{
	if (got == want)
		return;
	printf("mlockfail: %s(len %#lx) returned %ld, expected %ld\n", what, len, got, want);
	failures++;
}

int main(int argc, char **argv)
{
	static const unsigned long lens[] = { ~0UL, ~0UL - 1, -PAGE_SIZE, -2 * PAGE_SIZE, (unsigned long)-PAGE_SIZE + 1 };
	char *tok[1], *page, *region;
	unsigned long len;
	long rc;
	volatile uint64_t flag = 0;

	if (app_args(argc, argv, tok, 1) != 1) {
		printf("mlockfail: usage: mlockfail BYTES\n");
		return 2;
	}
	len = strtoul(tok[0], NULL, 0);
	page = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	strcpy(page, "kept");
	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		expect("mlock", lens[i], sys_mlock(page, lens[i]), -EINVAL);
		expect("mlock+1", lens[i], sys_mlock(page + 1, lens[i]), -EINVAL);
		expect("munlock", lens[i], sys_munlock(page, lens[i]), -EINVAL);
		expect("mprotect", lens[i], sys_mprotect(page, lens[i], PROT_READ), -ENOMEM);
		expect("madvise", lens[i], sys_madvise(page, lens[i], MADV_DONTNEED), -EINVAL);
	}
	page[5] = '!'; /* still writable: mprotect(PROT_READ) did nothing */
	expect("contents kept", 0, strcmp(page, "kept"), 0);
	if (!failures)
		printf("mlockfail: wraps ok\n");

	region = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED) {
		printf("mlockfail: cannot map %#lx bytes\n", len);
		return 1;
	}
	printf("mlockfail: region=%lx len=%lx flag=%lx\n", (unsigned long)(uintptr_t)region, len,
	       (unsigned long)(uintptr_t)&flag);
	while (!flag)
		sleep_ms(1);
	rc = sys_mlock(region, len);
	printf("mlockfail: rc=%ld\n", rc);
	for (;;)
		sleep_ms(1000);
}
