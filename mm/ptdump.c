/*
 * ptdump: leaves merged into runs of the same level and attributes with
 * contiguous VA and PA, printed one line per run:
 *
 *   0xffff000040000000-0xffff000040200000     2M PMD  RW NX      MEM/NORMAL
 *
 * Level names follow Linux/arm64 for the 4 KiB granule (PUD = 1 GiB
 * blocks, PMD = 2 MiB blocks, PTE = pages).
 */
#include <mm/ptdump.h>
#include <stdio.h>

struct run {
	u64 va, size;
	phys_addr_t pa;
	int level;
	unsigned attrs;
	const struct ptdump_marker *next_marker;
};

static const char *const level_names[4] = { "PGD", "PUD", "PMD", "PTE" };

void ptdump_attrs(unsigned attrs, char *buf, size_t len)
{
	static const char *const mt[] = { "MEM/NORMAL", "MEM/NORMAL-NC", "DEVICE/nGnRE", "DEVICE/nGnRnE" };

	snprintf(buf, len, "%s %s %s %s", attrs & MMU_WRITE ? "RW" : "ro", attrs & MMU_EXEC ? "x " : "NX",
		 attrs & MMU_USER ? "USR" : "   ", mt[(attrs & MMU_MT_MASK) >> MMU_MT_SHIFT]);
}

static void print_size(u64 size)
{
	static const char units[] = "KMGT";
	int u = 0;

	size >>= 10;
	while (size >= 1024 && !(size & 1023) && u < 3)
		size >>= 10, u++;
	printf("%7llu%c", (unsigned long long)size, units[u]);
}

static void flush_run(struct run *r)
{
	char attrs[48];

	if (!r->size)
		return;
	ptdump_attrs(r->attrs, attrs, sizeof(attrs));
	printf("0x%016llx-0x%016llx ", (unsigned long long)r->va, (unsigned long long)(r->va + r->size));
	print_size(r->size);
	printf(" %s  %s\n", level_names[r->level], attrs);
	r->size = 0;
}

static void markers_upto(struct run *r, u64 va)
{
	while (r->next_marker && r->next_marker->name && r->next_marker->va <= va) {
		flush_run(r);
		printf("---[ %s ]---\n", r->next_marker->name);
		r->next_marker++;
	}
}

static void on_leaf(void *arg, u64 va, phys_addr_t pa, u64 size, int level, unsigned attrs)
{
	struct run *r = arg;

	markers_upto(r, va);
	if (r->size && r->level == level && r->attrs == attrs && r->va + r->size == va && r->pa + r->size == pa &&
	    !(r->next_marker && r->next_marker->name && r->next_marker->va < va + size)) {
		r->size += size;
		return;
	}
	flush_run(r);
	*r = (struct run){ va, size, pa, level, attrs, r->next_marker };
}

void ptdump(const struct pgtable *pt, u64 start, u64 last, const struct ptdump_marker *markers)
{
	struct run r = { .next_marker = markers };

	pgt_for_each_leaf(pt, start, last, on_leaf, &r);
	flush_run(&r);
	markers_upto(&r, last);
}
