/*
 * Address -> symbol lookup in a kallsyms table (include/lib/kallsyms.h):
 * a binary search for the last symbol starting at or below the address,
 * then a check that the address is inside it.
 */
#include <lib/kallsyms.h>
#include <stdio.h>

bool ksym_table_lookup(const struct ksym_table *t, uintptr_t addr, struct ksym *sym)
{
	u32 lo = 0, hi = t->count; /* the answer is lo - 1: offs[lo - 1] <= off < offs[lo] */
	u64 off;

	if (!t->count || addr < t->base || addr - t->base > UINT32_MAX)
		return false;
	off = addr - t->base;
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (t->offs[mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || off - t->offs[lo - 1] >= t->sizes[lo - 1])
		return false;
	sym->name = t->names + t->name_offs[lo - 1];
	sym->start = (uintptr_t)(t->base + t->offs[lo - 1]);
	sym->size = t->sizes[lo - 1];
	return true;
}

const char *ksym_table_sprint(const struct ksym_table *t, uintptr_t addr, char *buf, size_t n)
{
	struct ksym s;

	if (ksym_table_lookup(t, addr, &s))
		snprintf(buf, n, "%s+0x%llx/0x%llx", s.name, (unsigned long long)(addr - s.start),
			 (unsigned long long)s.size);
	else
		snprintf(buf, n, "0x%llx", (unsigned long long)addr);
	return buf;
}

bool kallsyms_lookup(uintptr_t addr, struct ksym *sym)
{
	return ksym_table_lookup(&kallsyms_image, addr, sym);
}

const char *sprint_symbol(uintptr_t addr, char *buf, size_t n)
{
	return ksym_table_sprint(&kallsyms_image, addr, buf, n);
}
