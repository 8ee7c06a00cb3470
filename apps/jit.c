/*
 * jit [stuck]: generates code at run time as a JIT does, under W^X.
 *
 *   jit        writes "mov w0, #N; ret" into a RW anonymous page, makes it
 *              visible to instruction fetch from EL0 (DC CVAU, DSB, IC IVAU,
 *              DSB, ISB: SCTLR_EL1.UCI), mprotects it to R+X and calls it;
 *              then back to RW, rewrites N, and again. Prints
 *              "jit: ok <N1> <N2>" and exits 0 (1 if a call returned the
 *              wrong value; without UCI the first DC CVAU is SIGILL).
 *   jit stuck  writes the code and prints "jit: ready code=<hex>
 *              flag=<hex>", waits until the kernel test sets the flag word
 *              (after it forged the page writable and executable, which
 *              mmap/mprotect refuse), then calls it: a fault that cannot make
 *              progress, which must end in a kill, not a loop.
 */
#include "sys.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MOV_W0(imm) (0x52800000u | ((uint32_t)(imm) << 5)) /* movz w0, #imm16 */
#define RET 0xd65f03c0u

/* Clean the data cache and invalidate the instruction cache over
 * [p, p + len) to the point of unification, by the line sizes in CTR_EL0. */
static void sync_icache(void *p, size_t len)
{
	uint64_t ctr, dline, iline, a;
	uintptr_t start = (uintptr_t)p, end = start + len;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	dline = 4u << ((ctr >> 16) & 0xf);
	iline = 4u << (ctr & 0xf);
	for (a = start & ~(dline - 1); a < end; a += dline)
		__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish" : : : "memory");
	for (a = start & ~(iline - 1); a < end; a += iline)
		__asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb ish\n\tisb" : : : "memory");
}

static void emit(uint32_t *code, unsigned n)
{
	code[0] = MOV_W0(n);
	code[1] = RET;
	sync_icache(code, 2 * sizeof(*code));
}

int main(int argc, char **argv)
{
	char *tok[1];
	int ntok = app_args(argc, argv, tok, 1);
	uint32_t *code = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned n1 = 0x1234 ^ (unsigned)(read_cntvct() & 0xff), n2 = n1 + 0x111, r1, r2;
	volatile uint64_t flag = 0;

	if (code == MAP_FAILED) {
		printf("jit: cannot map a page\n");
		return 1;
	}
	if (ntok == 1 && !strcmp(tok[0], "stuck")) {
		emit(code, n1);
		printf("jit: ready code=%lx flag=%lx\n", (unsigned long)(uintptr_t)code,
		       (unsigned long)(uintptr_t)&flag);
		while (!flag)
			sleep_ms(1);
		r1 = ((unsigned (*)(void))(uintptr_t)code)();
		printf("jit: stuck code returned %#x\n", r1); /* not reached: W+X is not executable */
		return 1;
	}
	emit(code, n1);
	if (mprotect(code, PAGE_SIZE, PROT_READ | PROT_EXEC)) {
		printf("jit: mprotect R+X failed\n");
		return 1;
	}
	r1 = ((unsigned (*)(void))(uintptr_t)code)();
	if (mprotect(code, PAGE_SIZE, PROT_READ | PROT_WRITE)) {
		printf("jit: mprotect RW failed\n");
		return 1;
	}
	emit(code, n2);
	if (mprotect(code, PAGE_SIZE, PROT_READ | PROT_EXEC)) {
		printf("jit: mprotect R+X failed\n");
		return 1;
	}
	r2 = ((unsigned (*)(void))(uintptr_t)code)();
	if (r1 != n1 || r2 != n2) {
		printf("jit: generated code returned %#x and %#x, expected %#x and %#x\n", r1, r2, n1, n2);
		return 1;
	}
	printf("jit: ok %#x %#x\n", r1, r2);
	return 0;
}
