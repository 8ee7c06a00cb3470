/*
 * A software model of the long-descriptor stage-1 translation table walk
 * (4 KiB granule) that AArch64 and ARMv7-A LPAE share, written from the
 * architectures' rules and independent of the table builder: it is the
 * tests' oracle on the host and on the target (where it is also checked
 * against the MMU: arch_mmu_probe in include/arch/mmu_probe.h).
 * el1 means the privileged level (EL1; PL1 on ARMv7-A), el0 the
 * unprivileged one (EL0; PL0).
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

/* The translation regime a walk models. */
struct walk_regime {
	unsigned space_bits; /* the VA's width: 64 (AArch64) or 32 (ARMv7-A) */
	unsigned va_bits;    /* bits the range translates: space_bits - TnSZ */
	unsigned oa_bits;    /* output address bits: 48 or 40 (LPAE) */
	bool ttbr1;          /* the upper range: the VA's bits above va_bits are all ones */
	bool aarch32;        /* ARMv7-A's permission rules (bit 54 XN at both levels) */
	bool wxn;            /* SCTLR.WXN: writable implies execute-never */
	bool uwxn;           /* SCTLR.UWXN (ARMv7-A): EL0-writable implies PL1 XN */
};

/* Walk va in the tables at root (a physical address, read through
 * phys_to_virt) as rg describes. Returns r->ok. */
bool long_desc_walk(phys_addr_t root, const struct walk_regime *rg, u64 va, struct walk_result *r);

/* AArch64 EL1&0: va_bits is 64-TnSZ; wxn models SCTLR_EL1.WXN. */
static inline bool arm64_walk(phys_addr_t root, unsigned va_bits, bool ttbr1, bool wxn, u64 va, struct walk_result *r)
{
	const struct walk_regime rg = { .space_bits = 64, .va_bits = va_bits, .oa_bits = 48, .ttbr1 = ttbr1, .wxn = wxn };

	return long_desc_walk(root, &rg, va, r);
}

/* ARMv7-A LPAE PL1&0: va_bits is 32-TnSZ (30 for the kernel's TTBR1 with T1SZ=2). */
static inline bool lpae_walk(phys_addr_t root, unsigned va_bits, bool ttbr1, bool wxn, bool uwxn, u32 va,
			     struct walk_result *r)
{
	const struct walk_regime rg = {
		.space_bits = 32, .va_bits = va_bits, .oa_bits = 40, .ttbr1 = ttbr1, .aarch32 = true, .wxn = wxn, .uwxn = uwxn,
	};

	return long_desc_walk(root, &rg, va, r);
}

#endif
