/*
 * fpstress: an app's FP/SIMD registers survive context switches, timer
 * preemption and page faults (include/arch/fpsimd.h).
 *
 *   fpstress SEED [ROUNDS]
 *
 * Loads v0-v31 (AArch64; q0-q15 on ARM: apps/lib/arch/<arch>/arch_app.h)
 * with a pattern derived from SEED (byte j of v[i] is
 * SEED * 131 + i * 17 + j * 7 + 1) and sets FPCR (round towards zero,
 * flush-to-zero, default NaN, alternative half precision) and FPSR
 * (cumulative exception flags and QC, all from SEED); then, per round,
 * writes a fresh anonymous page (a page fault), yields every other round
 * and spins for 1.5 timer periods every 8th round (so that the tick
 * preempts it); finally checks every register. Between the load and the
 * check this program runs only general-register code and system calls
 * (it is built -mgeneral-regs-only and calls no library function).
 *
 * Prints "fpstress SEED: ok rounds=N" and exits 0, or "fpstress SEED: FAIL
 * ..." naming the first wrong register, and exits 1.
 */
#include "arch_app.h"
#include "sys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fpstate want, got;

int main(int argc, char **argv)
{
	unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1;
	unsigned rounds = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 64;
	uint64_t spin = read_cntfrq() * 3 / 2 / 100; /* 1.5 periods of a 100 Hz tick */
	volatile char *mem;

	mem = mmap(NULL, rounds * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		printf("fpstress %u: FAIL mmap\n", seed);
		return 1;
	}
	for (unsigned i = 0; i < FP_NREGS; i++)
		for (unsigned j = 0; j < 16; j++)
			want.v[i][j] = (unsigned char)(seed * 131 + i * 17 + j * 7 + 1);
	want.fpcr = FPCR_RZ | FPCR_FZ | FPCR_DN | ((seed & 1) ? FPCR_AHP : 0);
	want.fpsr = FPSR_QC | (seed & 0x1f) | 1; /* cumulative flags IOC..IXC */

	/* from here to fp_store: general registers and system calls only */
	fp_load(&want);
	for (unsigned r = 0; r < rounds; r++) {
		mem[r * PAGE_SIZE] = (char)r; /* a fresh page: a fault */
		if (r & 1)
			sys_sched_yield();
		if (!(r & 7))
			for (uint64_t t0 = read_cntvct(); read_cntvct() - t0 < spin;)
				;
	}
	fp_store(&got);

	unsigned bad = 0, first = FP_NREGS;
	for (unsigned i = 0; i < FP_NREGS; i++)
		if (memcmp(want.v[i], got.v[i], 16)) {
			bad++;
			first = first < i ? first : i;
		}
	if (bad) {
		printf("fpstress %u: FAIL %u of %u registers wrong, first v%u:", seed, bad, FP_NREGS, first);
		for (unsigned j = 0; j < 16; j++)
			printf(" %02x", got.v[first][j]);
		printf(" (want %02x ...)\n", want.v[first][0]);
		return 1;
	}
	if (got.fpcr != want.fpcr || got.fpsr != want.fpsr) {
		printf("fpstress %u: FAIL fpcr %#lx fpsr %#lx, want %#lx %#lx\n", seed, (unsigned long)got.fpcr,
		       (unsigned long)got.fpsr, (unsigned long)want.fpcr, (unsigned long)want.fpsr);
		return 1;
	}
	for (unsigned r = 0; r < rounds; r++)
		if (mem[r * PAGE_SIZE] != (char)r) {
			printf("fpstress %u: FAIL page %u\n", seed, r);
			return 1;
		}
	printf("fpstress %u: ok rounds=%u\n", seed, rounds);
	return 0;
}
