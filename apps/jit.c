/*
 * jit [stuck]: generates code at run time as a JIT does, under W^X.
 *
 *   jit        writes "return N" into a RW anonymous page, makes it
 *              visible to instruction fetch (apps/lib/arch/<arch>/arch_app.h:
 *              AArch64 "mov w0, #N; ret" with DC CVAU, DSB, IC IVAU, DSB,
 *              ISB from EL0: SCTLR_EL1.UCI), mprotects it to R+X and calls it;
 *              then back to RW, rewrites N, and again. Prints
 *              "jit: ok <N1> <N2>" and exits 0 (1 if a call returned the
 *              wrong value; without UCI the first DC CVAU is SIGILL).
 *   jit stuck  writes the code and prints "jit: ready code=<hex>
 *              flag=<hex>", waits until the kernel test sets the flag word
 *              (after it forged the page writable and executable, which
 *              mmap/mprotect refuse), then calls it: a fault that cannot make
 *              progress, which must end in a kill, not a loop.
 */
#include "arch_app.h"
#include "sys.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	char *tok[1];
	int ntok = app_args(argc, argv, tok, 1);
	unsigned (*fn)(void);
	uint32_t *code = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned n1 = 0x1234 ^ (unsigned)(read_cntvct() & 0xff), n2 = n1 + 0x111, r1, r2;
	volatile uint64_t flag = 0;

	if (code == MAP_FAILED) {
		printf("jit: cannot map a page\n");
		return 1;
	}
	if (ntok == 1 && !strcmp(tok[0], "stuck")) {
		fn = jit_emit_return(code, n1);
		printf("jit: ready code=%lx flag=%lx\n", (unsigned long)(uintptr_t)code,
		       (unsigned long)(uintptr_t)&flag);
		while (!flag)
			sleep_ms(1);
		r1 = fn();
		printf("jit: stuck code returned %#x\n", r1); /* not reached: W+X is not executable */
		return 1;
	}
	fn = jit_emit_return(code, n1);
	if (mprotect(code, PAGE_SIZE, PROT_READ | PROT_EXEC)) {
		printf("jit: mprotect R+X failed\n");
		return 1;
	}
	r1 = fn();
	if (mprotect(code, PAGE_SIZE, PROT_READ | PROT_WRITE)) {
		printf("jit: mprotect RW failed\n");
		return 1;
	}
	fn = jit_emit_return(code, n2);
	if (mprotect(code, PAGE_SIZE, PROT_READ | PROT_EXEC)) {
		printf("jit: mprotect R+X failed\n");
		return 1;
	}
	r2 = fn();
	if (r1 != n1 || r2 != n2) {
		printf("jit: generated code returned %#x and %#x, expected %#x and %#x\n", r1, r2, n1, n2);
		return 1;
	}
	printf("jit: ok %#x %#x\n", r1, r2);
	return 0;
}
