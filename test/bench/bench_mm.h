/* The host benchmarks' page allocator: board.cfg's policy on a malloc'd arena. */
#ifndef TEST_BENCH_MM_H
#define TEST_BENCH_MM_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <generated/board.h>
#include <host.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>

void mm_board_from_config(struct mm_board *b);

/* Boot the allocator on ram_size bytes at CONFIG_RAM_BASE (1 MiB reserved
 * at the base, as QEMU's DTB); mm_init's log is dropped; exits on failure. */
static inline void bench_mm_setup(u64 ram_size)
{
	struct mm_board b;
	int saved = dup(1), null = open("/dev/null", O_WRONLY);
	int rc;

	host_phys_init(CONFIG_RAM_BASE, ram_size);
	memblock_reset();
	memblock_add(CONFIG_RAM_BASE, ram_size);
	memblock_reserve(CONFIG_RAM_BASE, 1ULL << 20, "device tree");
	mm_board_from_config(&b);
	fflush(stdout);
	dup2(null, 1);
	rc = mm_init(&b);
	fflush(stdout);
	dup2(saved, 1);
	close(null);
	close(saved);
	if (rc) {
		fprintf(stderr, "bench: mm_init failed (%d)\n", rc);
		exit(1);
	}
}

#endif
