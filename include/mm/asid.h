/*
 * ASID allocation with generations (mm/asid.c), as Linux's arm64 scheme:
 * an mm's ASID is valid while its generation is the current one; when the
 * ASID space (8 or 16 bits) runs out, the generation is bumped, the bitmap
 * cleared (except for the ASIDs of mms currently installed) and the whole
 * TLB invalidated once. ASID 0 is reserved for "no app" (kernel threads).
 */
#ifndef MM_ASID_H
#define MM_ASID_H

#include <types.h>

/* bits: 8 or 16. Boot (host tests may re-init). */
void asid_init(unsigned bits);
/* Make *ctx (an mm's asid field: generation << 16 | asid) valid for the
 * current generation, allocating a new ASID if needed (with rollover and
 * a full TLB flush). Returns the hardware ASID to install. */
unsigned asid_get(u64 *ctx);
/* Release the ASID of ctx (mm destroyed): its TLB entries are flushed. */
void asid_put(u64 *ctx);
/* Rollovers so far (stats, tests). */
u64 asid_generation(void);

#endif
