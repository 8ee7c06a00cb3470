/*
 * fpstress: an app's FP/SIMD registers survive context switches, timer
 * preemption and page faults (include/arch/fpsimd.h).
 *
 *   fpstress SEED [ROUNDS]
 *
 * Loads v0-v31 with a pattern derived from SEED (byte j of v[i] is
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
#include "sys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fpstate {
	unsigned char v[32][16];
	uint64_t fpsr, fpcr;
};

/* fp_load(const struct fpstate *): v0-v31, then FPSR and FPCR. */
/* fp_store(struct fpstate *): the reverse. */
__asm__(".text\n"
	".arch_extension fp\n.arch_extension simd\n"
	".global fp_load\n.type fp_load, %function\n"
	"fp_load:\n"
	"	ld1 {v0.16b, v1.16b, v2.16b, v3.16b}, [x0], #64\n"
	"	ld1 {v4.16b, v5.16b, v6.16b, v7.16b}, [x0], #64\n"
	"	ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x0], #64\n"
	"	ld1 {v12.16b, v13.16b, v14.16b, v15.16b}, [x0], #64\n"
	"	ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x0], #64\n"
	"	ld1 {v20.16b, v21.16b, v22.16b, v23.16b}, [x0], #64\n"
	"	ld1 {v24.16b, v25.16b, v26.16b, v27.16b}, [x0], #64\n"
	"	ld1 {v28.16b, v29.16b, v30.16b, v31.16b}, [x0], #64\n"
	"	ldp x1, x2, [x0]\n"
	"	msr fpsr, x1\n"
	"	msr fpcr, x2\n"
	"	ret\n"
	".size fp_load, . - fp_load\n"
	".global fp_store\n.type fp_store, %function\n"
	"fp_store:\n"
	"	st1 {v0.16b, v1.16b, v2.16b, v3.16b}, [x0], #64\n"
	"	st1 {v4.16b, v5.16b, v6.16b, v7.16b}, [x0], #64\n"
	"	st1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x0], #64\n"
	"	st1 {v12.16b, v13.16b, v14.16b, v15.16b}, [x0], #64\n"
	"	st1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x0], #64\n"
	"	st1 {v20.16b, v21.16b, v22.16b, v23.16b}, [x0], #64\n"
	"	st1 {v24.16b, v25.16b, v26.16b, v27.16b}, [x0], #64\n"
	"	st1 {v28.16b, v29.16b, v30.16b, v31.16b}, [x0], #64\n"
	"	mrs x1, fpsr\n"
	"	mrs x2, fpcr\n"
	"	stp x1, x2, [x0]\n"
	"	ret\n"
	".size fp_store, . - fp_store\n");
void fp_load(const struct fpstate *s);
void fp_store(struct fpstate *s);

#define FPCR_RZ (3ul << 22)
#define FPCR_FZ (1ul << 24)
#define FPCR_DN (1ul << 25)
#define FPCR_AHP (1ul << 26)
#define FPSR_QC (1ul << 27)

static struct fpstate want, got;

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t counter_hz(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

int main(int argc, char **argv)
{
	unsigned seed = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1;
	unsigned rounds = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 64;
	uint64_t spin = counter_hz() * 3 / 2 / 100; /* 1.5 periods of a 100 Hz tick */
	volatile char *mem;

	mem = mmap(NULL, rounds * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		printf("fpstress %u: FAIL mmap\n", seed);
		return 1;
	}
	for (unsigned i = 0; i < 32; i++)
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
			for (uint64_t t0 = counter(); counter() - t0 < spin;)
				;
	}
	fp_store(&got);

	unsigned bad = 0, first = 32;
	for (unsigned i = 0; i < 32; i++)
		if (memcmp(want.v[i], got.v[i], 16)) {
			bad++;
			first = first < i ? first : i;
		}
	if (bad) {
		printf("fpstress %u: FAIL %u of 32 registers wrong, first v%u:", seed, bad, first);
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
