/*
 * A software model of the ARMv8-A stage-1 translation table walk
 * (4 KiB granule), written from the architecture's rules and independent
 * of the table builder: it is the tests' oracle on the host and on the
 * target (where it is also checked against the MMU with AT S1E1R).
 */
#ifndef ARCH_WALK_H
#define ARCH_WALK_H

#include <types.h>

struct walk_result {
	bool ok;            /* translation succeeded */
	int fault_level;    /* level of the translation/AF fault when !ok */
	bool access_flag;   /* fault was an access-flag fault */
	int level;          /* level of the leaf (block or page) */
	phys_addr_t pa;     /* output address of va */
	u64 desc;           /* the leaf descriptor */
	unsigned attr_index;/* MAIR index */
	bool el1_read, el1_write, el1_exec;
	bool el0_read, el0_write, el0_exec;
};

/*
 * Walk va in the tables at root (a physical address, read through
 * phys_to_virt). ttbr1 selects the upper VA range; va_bits is 64-TnSZ;
 * wxn models SCTLR_EL1.WXN. Returns r->ok.
 */
bool arm64_walk(phys_addr_t root, unsigned va_bits, bool ttbr1, bool wxn, u64 va, struct walk_result *r);

#endif
