/*
 * swapbench PAGES [step]: issue 11's swap benchmarks from EL0, timed with
 * the virtual counter (under -icount shift=0, 1 ns = 1 instruction):
 *
 *   swapout_madv_pageout_zram_lz4  fill PAGES pages with the semi-
 *       compressible pattern (page p of the region holds pattern page p),
 *       madvise(MADV_PAGEOUT) all of it: ns per page of the madvise call
 *   swapin_majfault_zram_lz4  read the first word of each page: ns per
 *       major fault (getrusage's majflt delta must be PAGES); then verify
 *       every word of every page
 *
 * The read and verify loops run once over the resident pages before the
 * pageout, so that their own code is mapped and the timed phases fault on
 * the data pages only. With "step" it prints
 * "swapbench: paged out flag=<hex>" after the pageout and
 * "swapbench: read done" after the reads, each time waiting until the
 * kernel test sets the flag word to 1, then 2, so that the kernel can
 * read its counters between the phases. Exit status 0 when every word
 * came back, 1 otherwise, 2 on bad arguments.
 */
#include "sys.h"

#include <pagoda/page_pattern.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t freq;

static uint64_t ticks_to_ns(uint64_t t) { return t / freq * 1000000000ULL + t % freq * 1000000000ULL / freq; }

static unsigned long majflt(void)
{
	struct rusage_min ru = { 0 };

	sys_getrusage(RUSAGE_SELF, &ru);
	return ru.majflt;
}

/* The first word of each page (one fault per swapped-out page). */
static uint64_t __attribute__((noinline)) read_first(const volatile uint64_t *r, unsigned long pages)
{
	uint64_t x = 0;

	for (unsigned long i = 0; i < pages; i++)
		x ^= r[i * PATTERN_WORDS];
	return x;
}

static unsigned long __attribute__((noinline)) verify(const uint64_t *r, unsigned long pages)
{
	unsigned long bad = 0;

	for (unsigned long i = 0; i < pages; i++)
		bad += pattern_bad_words(r + i * PATTERN_WORDS, i);
	return bad;
}

static void per(const char *name, uint64_t ticks, unsigned long n, const char *unit, unsigned long maj)
{
	uint64_t ns = ticks_to_ns(ticks);

	printf("swapbench: %s %lu %ss: %lu ns per %s (%lu ns in all, majflt +%lu)\n", name, n, unit,
	       (unsigned long)(ns / n), unit, (unsigned long)ns, maj);
}

int main(int argc, char **argv)
{
	char *tok[2];
	int n = app_args(argc, argv, tok, 2);
	bool step = n == 2 && !strcmp(tok[1], "step");
	volatile uint64_t flag = 0;
	unsigned long pages, m0, bad;
	uint64_t *r, t0, t1;
	long rc;

	freq = read_cntfrq();
	pages = n >= 1 ? strtoul(tok[0], NULL, 0) : 0;
	if (!pages || pages > (1UL << 20) || (n == 2 && !step) || !freq) {
		printf("swapbench: usage: swapbench PAGES [step] (PAGES 1..%lu)\n", 1UL << 20);
		return 2;
	}
	r = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED) {
		printf("swapbench: cannot map %lu pages\n", pages);
		return 1;
	}
	for (unsigned long i = 0; i < pages; i++)
		pattern_fill(r + i * PATTERN_WORDS, i);
	(void)read_first(r, pages); /* warm: map the loops' own code */
	bad = verify(r, pages);

	m0 = majflt();
	t0 = read_cntvct();
	rc = sys_madvise(r, pages * PAGE_SIZE, MADV_PAGEOUT);
	t1 = read_cntvct();
	if (rc) {
		printf("swapbench: madvise(MADV_PAGEOUT) returned %ld\n", rc);
		return 1;
	}
	per("swapout_madv_pageout_zram_lz4", t1 - t0, pages, "page", majflt() - m0);
	if (step) {
		printf("swapbench: paged out flag=%lx\n", (unsigned long)(uintptr_t)&flag);
		wait_flag(&flag, 1);
	}

	m0 = majflt();
	t0 = read_cntvct();
	(void)read_first(r, pages);
	t1 = read_cntvct();
	m0 = majflt() - m0;
	per("swapin_majfault_zram_lz4", t1 - t0, pages, "fault", m0);
	if (step) {
		printf("swapbench: read done\n");
		wait_flag(&flag, 2);
	}
	bad += verify(r, pages);
	printf("swapbench: verify %lu pages: %lu bad words\n", pages, bad);
	munmap(r, pages * PAGE_SIZE);
	return bad ? 1 : 0;
}
