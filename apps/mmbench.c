/*
 * mmbench [PAGES]: the Linux workloads of issue 16, with Linux 6.1's names
 * and method, timed from EL0 with the virtual counter (CNTVCT; under
 * -icount shift=0,sleep=off 1 ns of virtual time is one instruction, so
 * the figures are instructions and repeat exactly). Each figure is an
 * average over thousands of operations; what is subtracted is only the
 * loop itself, the same loop run where the operation costs nothing (over
 * pages already mapped, or with no system call in it), as Linux's method
 * does. PAGES (default 16384: the 64 MiB of write_fault_4k_nohugepage).
 *
 *   write_fault_4k_nohugepage       a 64 MiB anonymous mapping, one byte
 *                                   written per page (per page)
 *   read_fault_zero_page_4k         one byte read per page of a fresh
 *                                   anonymous mapping (shared zero page)
 *   write_after_read_cow_zero_4k    then one byte written per page (a copy
 *                                   on write of the zero page)
 *   munmap_populated_4k_nohugepage  munmap of the populated 64 MiB (per page)
 *   mmap+munmap_4k_untouched        mmap of 4 KiB + munmap (per iteration)
 *   mmap+touch+munmap_4k            the same with one byte written
 *   syscall_getpid_baseline         getpid (per call)
 *   file_major_fault_4k             one byte read per page of the app
 *                                   image's "blob", mapped MAP_PRIVATE
 *                                   PROT_READ: 4 KiB read from the flash
 *
 * Prints "mmbench: NAME N.N instructions per OP (COUNT OPs, minflt +A majflt +B)".
 * There is no THP in Pagoda: every mapping is "nohugepage".
 */
#include "sys.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef BLOB_SIZE
#define BLOB_SIZE (1UL << 20) /* apps/apps.mk generates the blob with this size */
#endif
#define ITERS 4096UL /* mmap/munmap and getpid iterations */

struct sample {
	uint64_t ticks;
	unsigned long minflt, majflt;
};

static uint64_t freq;
static struct rusage_min ru0;
static uint64_t t0;

static void start(void)
{
	sys_getrusage(RUSAGE_SELF, &ru0);
	t0 = read_cntvct();
}

static struct sample stop(void)
{
	uint64_t t1 = read_cntvct();
	struct rusage_min ru1 = { 0 };
	struct sample s;

	sys_getrusage(RUSAGE_SELF, &ru1);
	s.ticks = t1 - t0;
	s.minflt = ru1.minflt - ru0.minflt;
	s.majflt = ru1.majflt - ru0.majflt;
	return s;
}

/* Prints one workload: (s - loop) in instructions (ns of virtual time) per op, one decimal. */
static void report(const char *name, struct sample s, uint64_t loop, unsigned long ops, const char *op)
{
	uint64_t t = s.ticks > loop ? s.ticks - loop : 0;
	/* ticks -> ns x 10, per op: ticks * 1e10 / freq / ops, in two steps against overflow */
	uint64_t ns10 = t / freq * 10000000000ULL + t % freq * 10000000000ULL / freq;

	ns10 /= ops;
	printf("mmbench: %-32s %8lu.%lu instructions per %s (%lu %ss, minflt +%lu majflt +%lu)\n", name,
	       (unsigned long)(ns10 / 10), (unsigned long)(ns10 % 10), op, ops, op, s.minflt, s.majflt);
}

static void fail(const char *what)
{
	printf("mmbench: %s failed\n", what);
	exit(1);
}

static volatile char *map_anon(unsigned long pages)
{
	void *p = mmap(NULL, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap of the anonymous mapping");
	return p;
}

/* The loops, out of line so that the timed loop and its baseline are the same code. */
static __attribute__((noinline)) void write_pages(volatile char *p, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		p[i * PAGE_SIZE] = 1;
}

static __attribute__((noinline)) void read_pages(volatile char *p, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		(void)p[i * PAGE_SIZE];
}

static __attribute__((noinline)) void mmap_munmap(unsigned long n, int touch, int real)
{
	for (unsigned long i = 0; i < n; i++) {
		long a = real ? sys_mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
			      : 0;

		if (a < 0)
			fail("mmap of 4 KiB");
		if (!real)
			continue;
		if (touch)
			*(volatile char *)a = 1;
		if (sys_munmap((void *)a, PAGE_SIZE))
			fail("munmap of 4 KiB");
	}
}

static __attribute__((noinline)) void getpids(unsigned long n, int real)
{
	for (unsigned long i = 0; i < n; i++)
		if (real)
			sys_getpid();
		else
			__asm__ volatile("" ::: "memory");
}

/* The loop of write_pages/read_pages over pages already mapped: what is subtracted. */
static uint64_t loop_cost(void (*fn)(volatile char *, unsigned long), volatile char *p, unsigned long n)
{
	start();
	fn(p, n);
	return stop().ticks;
}

static void anon_workloads(unsigned long pages)
{
	volatile char *w = map_anon(pages), *r;
	struct sample s;
	uint64_t loop;

	start();
	write_pages(w, pages);
	s = stop();
	report("write_fault_4k_nohugepage", s, loop_cost(write_pages, w, pages), pages, "page");

	start();
	if (munmap((void *)w, pages * PAGE_SIZE))
		fail("munmap of the populated mapping");
	report("munmap_populated_4k_nohugepage", stop(), 0, pages, "page");

	r = map_anon(pages);
	start();
	read_pages(r, pages);
	s = stop();
	report("read_fault_zero_page_4k", s, loop_cost(read_pages, r, pages), pages, "page");
	start();
	write_pages(r, pages);
	s = stop();
	loop = loop_cost(write_pages, r, pages);
	report("write_after_read_cow_zero_4k", s, loop, pages, "page");
	if (munmap((void *)r, pages * PAGE_SIZE))
		fail("munmap of the zero-page mapping");
}

static void mmap_workloads(void)
{
	struct sample s;
	uint64_t loop;

	mmap_munmap(16, 1, 1); /* warm: the first VMAs come from fresh slab pages */
	start();
	mmap_munmap(ITERS, 0, 0);
	loop = stop().ticks;
	start();
	mmap_munmap(ITERS, 0, 1);
	report("mmap+munmap_4k_untouched", stop(), loop, ITERS, "iteration");
	start();
	mmap_munmap(ITERS, 1, 1);
	s = stop();
	report("mmap+touch+munmap_4k", s, loop, ITERS, "iteration");

	start();
	getpids(ITERS * 4, 0);
	loop = stop().ticks;
	start();
	getpids(ITERS * 4, 1);
	report("syscall_getpid_baseline", stop(), loop, ITERS * 4, "call");
}

static void file_workload(void)
{
	unsigned long pages = BLOB_SIZE / PAGE_SIZE;
	volatile char *f;
	struct sample s;
	int fd = open_image("blob");

	if (fd < 0)
		fail("open_image(\"blob\")");
	f = mmap(NULL, BLOB_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (f == MAP_FAILED)
		fail("mmap of the blob");
	start();
	read_pages(f, pages);
	s = stop();
	report("file_major_fault_4k", s, loop_cost(read_pages, f, pages), pages, "page");
	if (s.majflt != pages)
		printf("mmbench: file_major_fault_4k: %lu of %lu faults were major (blob already in the page cache)\n",
		       s.majflt, pages);
	munmap((void *)f, BLOB_SIZE);
}

int main(int argc, char **argv)
{
	char *tok[1];
	unsigned long pages = app_args(argc, argv, tok, 1) ? strtoul(tok[0], NULL, 0) : 16384;

	freq = read_cntfrq();
	if (pages < 256 || pages > 65536 || !freq) {
		printf("mmbench: PAGES must be 256..65536 (counter %lu Hz)\n", (unsigned long)freq);
		return 2;
	}
	printf("mmbench: Linux workloads, %lu pages (%lu KiB), counter %lu Hz\n", pages, pages * PAGE_SIZE / 1024,
	       (unsigned long)freq);
	file_workload(); /* first: nothing has read the blob into the page cache yet */
	anon_workloads(pages);
	mmap_workloads();
	printf("mmbench: done\n");
	return 0;
}
