/*
 * The arch contract for checking the MMU against the software model
 * (arch/walk.h): the on-target mmu suite asks the hardware how it
 * translates a kernel address and walks the live kernel tables with the
 * model in the regime the MMU runs. Implemented by platform/<arch>/
 * mmu_probe.c; nothing outside tests needs it.
 */
#ifndef ARCH_MMU_PROBE_H
#define ARCH_MMU_PROBE_H

#include <arch/walk.h>
#include <types.h>

/* The MMU's own stage-1 translation of kernel address va for a privileged
 * read or write (AT S1E1R/W on AArch64, ATS1CPR/W on ARMv7-A): true and
 * *pa, or false if the access would fault. */
bool arch_mmu_probe(vaddr_t va, bool write, phys_addr_t *pa);
/* The software model's walk of va in the tables TTBR1 holds now, with the
 * VA size and WXN state the MMU is configured with. Returns r->ok. */
bool arch_walk_kernel(vaddr_t va, struct walk_result *r);
/* Whether the MMU enforces "writable implies execute-never" (SCTLR.WXN). */
bool arch_mmu_wxn(void);

#endif
