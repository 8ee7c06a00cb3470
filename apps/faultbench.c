/*
 * faultbench [N]: the cost of a page fault, timed with the virtual counter
 * (CNTVCT_EL0; the kernel enables EL0 access) around N faults of each
 * kind (default 256, one access per page):
 *
 *   anon-write  first write to anonymous memory (allocate a zeroed page)
 *   zero-read   first read of anonymous memory (map the shared zero page)
 *   file-read   first read of a file of the app image ("blob", mapped
 *               MAP_PRIVATE PROT_READ): a major fault reading the flash,
 *               or a minor one if the page cache already has the page
 *   baseline    the same loop over pages already mapped (subtracted)
 *
 * Prints ticks and ns per fault (under -icount shift=0, 1 ns is one
 * instruction) and the getrusage fault deltas of each phase.
 */
#include "sys.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef BLOB_SIZE
#define BLOB_SIZE (1UL << 20) /* apps/apps.mk generates the blob with this size */
#endif

struct phase {
	uint64_t ticks;
	unsigned long minflt, majflt;
};

static uint64_t freq;

static uint64_t ticks_to_ns(uint64_t t) { return t / freq * 1000000000ULL + t % freq * 1000000000ULL / freq; }

typedef void (*touch_fn)(volatile char *p, unsigned long n);

static void touch_write(volatile char *p, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		p[i * PAGE_SIZE] = (char)i;
}

static void touch_read(volatile char *p, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		(void)p[i * PAGE_SIZE];
}

static struct phase timed(touch_fn fn, volatile char *p, unsigned long n)
{
	struct rusage_min a = { 0 }, b = { 0 };
	struct phase ph;
	uint64_t t0, t1;

	sys_getrusage(RUSAGE_SELF, &a);
	t0 = read_cntvct();
	fn(p, n);
	t1 = read_cntvct();
	sys_getrusage(RUSAGE_SELF, &b);
	ph.ticks = t1 - t0;
	ph.minflt = b.minflt - a.minflt;
	ph.majflt = b.majflt - a.majflt;
	return ph;
}

static void print(const char *what, struct phase ph, const struct phase *base, unsigned long n)
{
	uint64_t t = base && ph.ticks > base->ticks ? ph.ticks - base->ticks : ph.ticks;

	printf("faultbench: %-10s %6lu.%lu ticks %8lu ns per %s (minflt +%lu majflt +%lu)\n", what,
	       (unsigned long)(t / n), (unsigned long)(t * 10 / n % 10), (unsigned long)(ticks_to_ns(t) / n),
	       base ? "fault" : "page", ph.minflt, ph.majflt);
}

static volatile char *map_anon(unsigned long n)
{
	void *p = mmap(NULL, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("faultbench: mmap of %lu anonymous pages failed\n", n);
		exit(1);
	}
	return p;
}

int main(int argc, char **argv)
{
	char *tok[1];
	unsigned long n = app_args(argc, argv, tok, 1) ? strtoul(tok[0], NULL, 0) : 256, nfile;
	volatile char *wr, *rd, *file;
	struct phase base, w, z, f;
	int fd;

	freq = read_cntfrq();
	if (!n || n > 65536 || !freq) {
		printf("faultbench: N must be 1..65536 (counter %lu Hz)\n", (unsigned long)freq);
		return 2;
	}
	printf("faultbench: %lu faults of each kind, counter %lu Hz (pid %d)\n", n, (unsigned long)freq,
	       getpid());
	wr = map_anon(n);
	rd = map_anon(n);
	w = timed(touch_write, wr, n);
	base = timed(touch_write, wr, n);
	z = timed(touch_read, rd, n);

	fd = open_image("blob");
	if (fd < 0) {
		printf("faultbench: open_image(\"blob\") failed\n");
		return 1;
	}
	nfile = n < BLOB_SIZE / PAGE_SIZE ? n : BLOB_SIZE / PAGE_SIZE;
	file = mmap(NULL, nfile * PAGE_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (file == MAP_FAILED) {
		printf("faultbench: mmap of blob (%lu pages) failed\n", nfile);
		return 1;
	}
	f = timed(touch_read, file, nfile);

	print("baseline", base, NULL, n);
	print("anon-write", w, &base, n);
	print("zero-read", z, &base, n);
	print("file-read", f, &base, nfile);
	if (!f.majflt)
		printf("faultbench: file-read faults were minor: blob was already in the page cache\n");
	munmap((void *)file, nfile * PAGE_SIZE);
	munmap((void *)wr, n * PAGE_SIZE);
	munmap((void *)rd, n * PAGE_SIZE);
	return 0;
}
