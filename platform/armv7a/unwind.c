/*
 * The EHABI unwinder (arch/unwind.h): the index lookup and the unwind
 * instruction interpreter. No kernel dependencies beyond types, so the
 * host tests compile this file as it is.
 */
#include <arch/unwind.h>
#include <errno.h>

#define EXIDX_CANTUNWIND 1u

/* A prel31 field: a 31-bit signed offset from the word's own address. */
static u32 prel31(const u32 *p) { return (u32)(uintptr_t)p + (u32)((s32)(*p << 1) >> 1); }

static int pop(struct unwind_regs *regs, u32 *vsp, unsigned reg, unwind_readable_fn readable)
{
	if (!readable(*vsp))
		return -EFAULT;
	regs->r[reg] = *(const u32 *)(uintptr_t)*vsp;
	*vsp += 4;
	return 0;
}

static int pop_mask(struct unwind_regs *regs, u32 *vsp, u32 mask, unsigned first, bool *pc_set,
		    unwind_readable_fn readable)
{
	u32 sp_popped = 0;
	bool sp_in_mask = false;

	for (unsigned i = 0; mask; i++, mask >>= 1) {
		if (!(mask & 1))
			continue;
		if (first + i == 13) { /* the new vsp is the popped value, after the others */
			if (!readable(*vsp))
				return -EFAULT;
			sp_popped = *(const u32 *)(uintptr_t)*vsp;
			sp_in_mask = true;
			*vsp += 4;
			continue;
		}
		if (pop(regs, vsp, first + i, readable))
			return -EFAULT;
		if (first + i == 15)
			*pc_set = true;
	}
	if (sp_in_mask)
		*vsp = sp_popped;
	return 0;
}

int ehabi_execute(struct unwind_regs *regs, const u8 *ops, unsigned n, unwind_readable_fn readable)
{
	u32 vsp = regs->r[13];
	bool pc_set = false;

	for (unsigned i = 0; i < n;) {
		u8 op = ops[i++];

		if ((op & 0xc0) == 0x00) {
			vsp += ((u32)(op & 0x3f) << 2) + 4;
		} else if ((op & 0xc0) == 0x40) {
			vsp -= ((u32)(op & 0x3f) << 2) + 4;
		} else if ((op & 0xf0) == 0x80) {
			u32 mask;

			if (i >= n)
				return -EINVAL;
			mask = ((u32)(op & 0x0f) << 8) | ops[i++];
			if (!mask)
				return -EINVAL; /* refuse to unwind */
			if (pop_mask(regs, &vsp, mask, 4, &pc_set, readable))
				return -EFAULT;
		} else if ((op & 0xf0) == 0x90) {
			if ((op & 0x0f) == 13 || (op & 0x0f) == 15)
				return -EINVAL;
			vsp = regs->r[op & 0x0f];
		} else if ((op & 0xf0) == 0xa0) {
			u32 mask = (2u << (op & 7)) - 1; /* r4 .. r4+nnn */

			if (op & 8)
				mask |= 1u << (14 - 4);
			if (pop_mask(regs, &vsp, mask, 4, &pc_set, readable))
				return -EFAULT;
		} else if (op == 0xb0) {
			break; /* finish */
		} else if (op == 0xb1) {
			if (i >= n || !ops[i] || (ops[i] & 0xf0))
				return -EINVAL;
			if (pop_mask(regs, &vsp, ops[i++], 0, &pc_set, readable))
				return -EFAULT;
		} else if (op == 0xb2) {
			u32 v = 0;
			unsigned shift = 0;

			do {
				if (i >= n || shift > 28)
					return -EINVAL;
				v |= (u32)(ops[i] & 0x7f) << shift;
				shift += 7;
			} while (ops[i++] & 0x80);
			vsp += 0x204 + (v << 2);
		} else {
			return -EINVAL; /* VFP, iWMMXt, spare: the kernel is built -mgeneral-regs-only */
		}
	}
	if (!pc_set)
		regs->r[15] = regs->r[14];
	regs->r[13] = vsp;
	return 0;
}

static unsigned compact_ops(const u32 *words, unsigned nwords, unsigned skip, u8 *ops, unsigned max)
{
	unsigned n = 0;

	for (unsigned w = 0; w < nwords; w++)
		for (int b = 3; b >= 0; b--) {
			if (w == 0 && (unsigned)(3 - b) < skip)
				continue;
			if (n < max)
				ops[n++] = (u8)(words[w] >> (8 * b));
		}
	return n;
}

unsigned ehabi_find(const u32 *start, const u32 *end, u32 pc, u8 *ops, unsigned max)
{
	const u32 *lo = start, *hi = end, *e;
	u32 w;

	if (end <= start || pc < prel31(start))
		return 0;
	while (hi - lo > 2) { /* the last entry whose function starts at or below pc */
		const u32 *mid = lo + ((hi - lo) / 4) * 2;

		if (prel31(mid) <= pc)
			lo = mid;
		else
			hi = mid;
	}
	e = lo;
	w = e[1];
	if (w == EXIDX_CANTUNWIND)
		return 0;
	if (w & 0x80000000u) { /* inline: personality 0, three instruction bytes */
		if ((w >> 24) != 0x80)
			return 0;
		return compact_ops(&w, 1, 1, ops, max);
	}
	{
		const u32 *tab = (const u32 *)(uintptr_t)prel31(&e[1]);
		u32 h = tab[0];
		unsigned pers = (h >> 24) & 0x0f;

		if (!(h & 0x80000000u))
			return 0; /* a generic personality routine: not in C kernel code */
		if (pers == 0)
			return compact_ops(tab, 1, 1, ops, max);
		if (pers == 1 || pers == 2)
			return compact_ops(tab, 1 + ((h >> 16) & 0xff), 2, ops, max);
		return 0;
	}
}

bool unwind_step(struct unwind_regs *regs, const u32 *start, const u32 *end, unwind_readable_fn readable)
{
	u8 ops[64];
	u32 sp = regs->r[13], pc = regs->r[15] & ~1u;
	/* a return address (Thumb bit set) may be just past a noreturn call
	 * ending its function: look up the call instruction's halfword */
	unsigned n = ehabi_find(start, end, regs->r[15] & 1u ? pc - 2 : pc, ops, sizeof(ops));

	if (!n || ehabi_execute(regs, ops, n, readable))
		return false;
	if (!regs->r[15] || (regs->r[13] <= sp && (regs->r[15] & ~1u) == pc))
		return false; /* no progress */
	return true;
}
