/*
 * The FP/SIMD state fpstress checks, shared by both arches: FP_NREGS
 * 16-byte vector registers (defined by arch_app.h before including this)
 * and the status/control words, with the bits AArch64's FPSR/FPCR and
 * ARMv7-A's FPSCR have in the same places.
 */
#ifndef APPS_FPSTATE_H
#define APPS_FPSTATE_H

#include <stdint.h>

struct fpstate {
	unsigned char v[FP_NREGS][16];
	uint64_t fpsr, fpcr;
};
#define FPCR_RZ (3ul << 22)
#define FPCR_FZ (1ul << 24)
#define FPCR_DN (1ul << 25)
#define FPCR_AHP (1ul << 26)
#define FPSR_QC (1ul << 27)

/* Load every register of s (arch/<arch>/fpstate.c). */
void fp_load(const struct fpstate *s);
/* Store every register into s. */
void fp_store(struct fpstate *s);

#endif
