/* fp_load/fp_store of arch_app.h on ARMv7-A: d0-d31, FPSCR (status | control). */
#include "arch_app.h"

#define FPSCR_STATUS 0xf800009fu /* NZCV, QC, IDC, IXC..IOC */

__asm__(".text\n.syntax unified\n.thumb\n"
	".fpu neon-vfpv4\n"
	".global fp_load\n.type fp_load, %function\n.thumb_func\n"
	"fp_load:\n"
	"	vldmia r0!, {d0-d15}\n"
	"	vldmia r0!, {d16-d31}\n"
	"	ldr r1, [r0]\n"
	"	ldr r2, [r0, #8]\n"
	"	orr r1, r1, r2\n"
	"	vmsr fpscr, r1\n"
	"	bx lr\n"
	".size fp_load, . - fp_load\n"
	".global fp_store_all\n.type fp_store_all, %function\n.thumb_func\n"
	"fp_store_all:\n"
	"	vstmia r0!, {d0-d15}\n"
	"	vstmia r0!, {d16-d31}\n"
	"	vmrs r1, fpscr\n"
	"	str r1, [r0]\n"
	"	bx lr\n"
	".size fp_store_all, . - fp_store_all\n");
void fp_store_all(struct fpstate *s);

void fp_store(struct fpstate *s)
{
	uint32_t fpscr;

	fp_store_all(s); /* FPSCR lands in the low word of fpsr */
	fpscr = (uint32_t)s->fpsr;
	s->fpsr = fpscr & FPSCR_STATUS;
	s->fpcr = fpscr & ~FPSCR_STATUS;
}
