/*
 * make bench: issue 13's compaction throughput, in the bench-swap boot
 * (QEMU virt, cortex-a53, 256 MiB, -icount shift=0: 1 ns = 1 instruction).
 *
 * The highest zone is fragmented (test/target/fragment.h: a memverify app
 * with every other page given back), then timed:
 *   compact_memory(1)   the whole zone: instructions, pages moved, pages
 *                       scanned by each scanner, order-9 blocks before and
 *                       after
 *   an order-9 GFP_KERNEL allocation that must compact (every free block
 *   of order 9 held first): instructions for the call
 * The app verifies every byte after each. Lines start "bench-compact:";
 * tools/bench_tables.py makes the table.
 */
#include <arch/cpu.h>
#include <arch/timer.h>
#include <kernel/syscall.h>
#include <mm/compaction.h>
#include <mm/page_alloc.h>
#include <mm/vmstat.h>
#include <stdio.h>

#include "fragment.h"

void bench_compaction(void);

#define GIVEN_PAGES 8192u
#define HELD_MAX 256u

static char out[4096];

static inline u64 counter(void)
{
	return arch_counter();
}

static u64 ticks_ns(u64 t) { return t * 1000000000ULL / timer_freq(); }

static void bench_compact_memory(void)
{
	u64 moved = vm_event_read(PGMIGRATE_SUCCESS), mscan = vm_event_read(COMPACTMIGRATE_SCANNED);
	u64 fscan = vm_event_read(COMPACTFREE_SCANNED), before, t0, ns;
	struct fragmented f;
	const char *why = fragment_zone(&f, GIVEN_PAGES, 21, out);

	if (why) {
		printf("bench-compact: cannot fragment: %s\n", why);
		return;
	}
	before = order9_blocks(f.zone);
	t0 = counter();
	compact_memory(1);
	ns = ticks_ns(counter() - t0);
	drain_pcp_pages();
	moved = vm_event_read(PGMIGRATE_SUCCESS) - moved;
	printf("bench-compact: compact_memory: %llu instructions, %llu pages moved, %llu per page moved, "
	       "scanned %llu migrate + %llu free, order-9 blocks %llu -> %llu, app status %d\n",
	       (unsigned long long)ns, (unsigned long long)moved, (unsigned long long)(moved ? ns / moved : 0),
	       (unsigned long long)(vm_event_read(COMPACTMIGRATE_SCANNED) - mscan),
	       (unsigned long long)(vm_event_read(COMPACTFREE_SCANNED) - fscan), (unsigned long long)before,
	       (unsigned long long)order9_blocks(f.zone), unfragment_zone(&f));
}

static void bench_direct(void)
{
	static struct page *held[HELD_MAX];
	u64 moved = vm_event_read(PGMIGRATE_SUCCESS), t0, ns;
	struct page *p;
	struct fragmented f;
	const char *why = fragment_zone(&f, GIVEN_PAGES, 22, out);
	unsigned n = 0;

	if (why) {
		printf("bench-compact: cannot fragment: %s\n", why);
		return;
	}
	while (n < HELD_MAX && (p = alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 9)))
		held[n++] = p;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		zones[i].compact_considered = zones[i].compact_defer_shift = 0;
	t0 = counter();
	p = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 9);
	ns = ticks_ns(counter() - t0);
	moved = vm_event_read(PGMIGRATE_SUCCESS) - moved;
	if (p)
		free_pages(p, 9);
	while (n)
		free_pages(held[--n], 9);
	printf("bench-compact: direct order-9: %llu instructions, %llu pages moved, %s, app status %d\n",
	       (unsigned long long)ns, (unsigned long long)moved, p ? "allocated" : "FAILED", unfragment_zone(&f));
}

void bench_compaction(void)
{
	unsigned saved = sysctl_compaction_proactiveness;

	printf("\nCompaction (issue 13's benchmark; -icount shift=0: 1 ns = 1 instruction)\n");
	set_compaction_proactiveness(0); /* kcompactd0 leaves the fragmented zone to the benchmark */
	syscall_capture(out, sizeof(out));
	bench_compact_memory();
	bench_direct();
	syscall_capture(NULL, 0);
	set_compaction_proactiveness(saved);
}
