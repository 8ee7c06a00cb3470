/*
 * ARMv8-A stage-1 translation walk, 4 KiB granule, no FEAT_LPA/LPA2,
 * following the pseudocode's order of checks (ARM ARM D8.2 - D8.4):
 *   1. the VA's top bits must all equal the range's (1s for TTBR1);
 *   2. the walk starts at level 4 - ceil((va_bits - 12) / 9), and the
 *      top table is indexed with only the remaining bits;
 *   3. at each level, bit 0 clear is a translation fault; 0b01 is a block
 *      only at levels 1-2 (else a fault); 0b11 is a table at levels 0-2
 *      and a page at level 3;
 *   4. hierarchical APTable/UXNTable/PXNTable bits accumulate;
 *   5. AF = 0 at the leaf is an access-flag fault;
 *   6. permissions: AP[2:1] with the table limits, PXN/UXN, "writable at
 *      EL0 implies PXN", and WXN (writable implies XN) when enabled.
 *      EL0 execution depends on UXN only (AP[1]=0 + UXN=0 is the
 *      architecture's execute-only memory).
 */
#include <arch/phys.h>
#include <arch/walk.h>

#define D_VALID 1ULL
#define D_TYPE 3ULL
#define D_ADDR 0x0000fffffffff000ULL

bool arm64_walk(phys_addr_t root, unsigned va_bits, bool ttbr1, bool wxn, u64 va, struct walk_result *r)
{
	u64 top_mask = va_bits < 64 ? ~0ULL << va_bits : 0;
	int levels = (int)((va_bits - 12 + 8) / 9);
	int level = 4 - levels;
	bool ap_noel0 = false, ap_ro = false, uxn_t = false, pxn_t = false;
	phys_addr_t table = root;

	*r = (struct walk_result){ .fault_level = level };
	if ((va & top_mask) != (ttbr1 ? top_mask : 0))
		return false; /* level-0 translation fault in hardware terms */

	for (;; level++) {
		unsigned shift = 12 + 9 * (3 - level);
		unsigned bits = level == 4 - levels ? va_bits - shift : 9;
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
			uxn_t |= (d >> 60) & 1;
			ap_noel0 |= (d >> 61) & 1;
			ap_ro |= (d >> 62) & 1;
			table = d & D_ADDR;
			continue;
		}
		/* leaf: block at level 1/2, page at level 3 */
		if (!(d & (1ULL << 10))) {
			r->access_flag = true;
			return false;
		}
		u64 size = 1ULL << shift;
		bool ap1 = (d >> 6) & 1, ap2 = (d >> 7) & 1;

		r->ok = true;
		r->level = level;
		r->desc = d;
		r->pa = (d & D_ADDR & ~(size - 1)) | (va & (size - 1));
		r->attr_index = (d >> 2) & 7;
		r->el1_read = true;
		r->el1_write = !ap2 && !ap_ro;
		r->el0_read = ap1 && !ap_noel0;
		r->el0_write = r->el0_read && r->el1_write;
		r->el1_exec = !((d >> 53) & 1) && !pxn_t && !r->el0_write && !(wxn && r->el1_write);
		r->el0_exec = !((d >> 54) & 1) && !uxn_t && !(wxn && r->el0_write);
		return true;
	}
}
