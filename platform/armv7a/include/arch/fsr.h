/*
 * Long-descriptor fault status decoding (DFSR/IFSR with TTBCR.EAE=1, ARM
 * ARM B4.1.52/B4.1.96): the crash report and the app fault path use it.
 *
 *   31 .. 14  13  12   11   10  9     8 .. 6   5 .......... 0
 *  +--------+---+----+----+---+-----+--------+---------------+
 *  |        |CM |ExT |WnR |   |LPAE |        |    STATUS     |
 *  +--------+---+----+----+---+-----+--------+---------------+
 *  STATUS: 0b0001LL translation, 0b0010LL access flag, 0b0011LL
 *  permission fault at level LL; 0b100001 alignment; 0b010000
 *  synchronous external abort; 0b110000 TLB conflict. WnR (DFSR only):
 *  the access was a write. LPAE (bit 9) is 1 in this format.
 */
#ifndef ARCH_FSR_H
#define ARCH_FSR_H

#include <arch/trap.h>
#include <types.h>

#define FSR_STATUS(fsr) ((fsr) & 0x3f)
#define FSR_WNR (1u << 11)
#define FSR_LPAE (1u << 9)
#define FSR_CM (1u << 13)

/* The kind of fault and its table level (-1 if none). */
enum fault_type fsr_fault_type(u32 fsr, int *level);
/* For a DFSR: whether the access was a write (cache maintenance is not). */
bool fsr_is_write(u32 fsr);
/* One-line description: "write, permission fault, level 3". data: a DFSR
 * (an IFSR is an instruction fetch). */
void fsr_describe(u32 fsr, bool data, char *buf, size_t len);

#endif
