/*
 * orphans N: leaves N children behind. It spawns N copies of itself as
 * "orphans child MS": the first half exit at once (MS 0) and are zombies
 * when it exits, the second half sleep MS = 30 ms and outlive it as
 * orphans. It waits for none of them and exits 0 (1 if a spawn failed,
 * e.g. -EAGAIN because the task table is full of unreaped zombies).
 */
#include "sys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char *tok[2];
	int ntok = app_args(argc, argv, tok, 2);
	unsigned long n;

	if (ntok == 2 && !strcmp(tok[0], "child")) {
		sleep_ms((unsigned)strtoul(tok[1], NULL, 10));
		return 0;
	}
	if (ntok != 1) {
		printf("orphans: usage: orphans N\n");
		return 2;
	}
	n = strtoul(tok[0], NULL, 10);
	for (unsigned long i = 0; i < n; i++) {
		long pid = sys_spawn("orphans", i < n / 2 ? "child 0" : "child 30");

		if (pid <= 0) {
			printf("orphans: spawn %lu of %lu failed: %ld\n", i + 1, n, pid);
			return 1;
		}
	}
	sleep_ms(5); /* the first half are zombies by now */
	printf("orphans: left %lu children\n", n);
	return 0;
}
