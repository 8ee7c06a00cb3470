/*
 * stackrec: recursion with a ~1 KiB frame until the stack runs into its
 * guard page. The kernel kills it with SIGSEGV and reports the fault; if
 * it ever returns, the stack was unbounded and it says so (exit 3).
 */
#include "sys.h"

#include <stdio.h>

static volatile unsigned long deepest;

/* Not a loop: the callee gets the caller's frame, so every frame stays live. */
__attribute__((noinline, optimize("no-optimize-sibling-calls"))) static unsigned long
recurse(unsigned long depth, unsigned long sp_top, volatile char *parent)
{
	volatile char frame[1000];

	frame[0] = (char)(depth + parent[0]);
	frame[sizeof(frame) - 1] = (char)depth;
	deepest = depth;
	if (depth % 256 == 0) {
		printf("stackrec: depth %lu, %lu KiB of stack used\n", depth,
		       (sp_top - (unsigned long)frame) >> 10);
	}
	if (depth > 1000000)
		return depth;
	return recurse(depth + 1, sp_top, frame) + frame[0] + frame[sizeof(frame) - 1];
}

int main(void)
{
	volatile char top = 0;

	printf("stackrec: recursing with ~1 KiB frames until the guard page (pid %d)\n", getpid());
	recurse(1, (unsigned long)&top, &top);
	printf("stackrec: SURVIVED %lu frames\n", deepest);
	return 3;
}
