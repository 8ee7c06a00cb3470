/*
 * The long-descriptor stage-1 walk, 4 KiB granule, no FEAT_LPA/LPA2,
 * following the pseudocode's order of checks (ARM ARM D8.2 - D8.4 for
 * AArch64; B3.6 for ARMv7-A LPAE):
 *   1. the VA's bits above the range must all equal the range's (1s for
 *      TTBR1), within the VA's width (64 or 32 bits);
 *   2. the walk starts at level 4 - ceil((va_bits - 12) / 9), and the
 *      top table is indexed with only the remaining bits (ARMv7-A: a
 *      32-bit TTBR0 starts at level 1 with 4 entries, a 1 GiB TTBR1 at
 *      level 2);
 *   3. at each level, bit 0 clear is a translation fault; 0b01 is a block
 *      only at levels 1-2 (else a fault); 0b11 is a table at levels 0-2
 *      and a page at level 3;
 *   4. hierarchical APTable / XNTable (UXNTable) / PXNTable accumulate;
 *   5. AF = 0 at the leaf is an access-flag fault;
 *   6. permissions from AP[2:1] with the table limits, then execution:
 *      AArch64: bit 54 is UXN (EL0 only), bit 53 PXN, "writable at EL0
 *        implies PXN", WXN; EL0 execution depends on UXN only (AP[1]=0 +
 *        UXN=0 is execute-only memory);
 *      ARMv7-A: bit 54 (and XNTable) is XN at both levels, bit 53 PXN,
 *        PL0 execution needs PL0 read access, WXN, and UWXN (PL0-writable
 *        implies PL1 XN); no implied PXN.
 */
#include <arch/phys.h>
#include <arch/walk.h>

#define D_VALID 1ULL
#define D_TYPE 3ULL

bool long_desc_walk(phys_addr_t root, const struct walk_regime *rg, u64 va, struct walk_result *r)
{
	u64 space = rg->space_bits < 64 ? (1ULL << rg->space_bits) - 1 : ~0ULL;
	u64 top_mask = (rg->va_bits < 64 ? ~0ULL << rg->va_bits : 0) & space;
	u64 d_addr = ((1ULL << rg->oa_bits) - 1) & ~0xfffULL;
	int levels = (int)((rg->va_bits - 12 + 8) / 9);
	int level = 4 - levels;
	bool ap_noel0 = false, ap_ro = false, xn_t = false, pxn_t = false;
	phys_addr_t table = root;

	*r = (struct walk_result){ .fault_level = level };
	if (va & ~space)
		return false; /* wider than the VA space */
	if ((va & top_mask) != (rg->ttbr1 ? top_mask : 0))
		return false; /* outside the range: a level-0 translation fault in hardware terms */

	for (;; level++) {
		unsigned shift = 12 + 9 * (3 - level);
		unsigned bits = level == 4 - levels ? rg->va_bits - shift : 9;
		u64 idx = (va >> shift) & ((1ULL << bits) - 1);
		u64 d = ((const u64 *)phys_to_virt(table))[idx];

		r->fault_level = level;
		if (!(d & D_VALID))
			return false;
		if ((d & D_TYPE) == 1) { /* block */
			if (level != 1 && level != 2)
				return false;
		} else if (level < 3) { /* table */
			pxn_t |= (d >> 59) & 1;
			xn_t |= (d >> 60) & 1;
			ap_noel0 |= (d >> 61) & 1;
			ap_ro |= (d >> 62) & 1;
			table = d & d_addr;
			continue;
		}
		/* leaf: block at level 1/2, page at level 3 */
		if (!(d & (1ULL << 10))) {
			r->access_flag = true;
			return false;
		}
		u64 size = 1ULL << shift;
		bool ap1 = (d >> 6) & 1, ap2 = (d >> 7) & 1;
		bool pxn = ((d >> 53) & 1) || pxn_t, xn = ((d >> 54) & 1) || xn_t;

		r->ok = true;
		r->level = level;
		r->desc = d;
		r->pa = (d & d_addr & ~(size - 1)) | (va & (size - 1));
		r->attr_index = (d >> 2) & 7;
		r->el1_read = true;
		r->el1_write = !ap2 && !ap_ro;
		r->el0_read = ap1 && !ap_noel0;
		r->el0_write = r->el0_read && r->el1_write;
		if (rg->aarch32) {
			r->el1_exec = !xn && !pxn && !(rg->wxn && r->el1_write) && !(rg->uwxn && r->el0_write);
			r->el0_exec = !xn && r->el0_read && !(rg->wxn && r->el0_write);
		} else {
			r->el1_exec = !pxn && !r->el0_write && !(rg->wxn && r->el1_write);
			r->el0_exec = !xn && !(rg->wxn && r->el0_write);
		}
		return true;
	}
}
