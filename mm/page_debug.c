/*
 * Page-allocator diagnostics; see include/mm/page_debug.h.
 * Report formats follow Linux's so that habits carry over:
 *
 *   pagealloc: memory corruption at pfn 0x40123 (phys 0x40123000): 8 bytes
 *   changed, first at offset 0x10:
 *   00000010: 41 41 41 41 41 41 41 41 aa aa aa aa aa aa aa aa
 *
 *   pagoda: page allocation failure: order:10, mode:0x...(GFP_KERNEL)
 *   Mem-Info:
 *   DMA free:15908kB min:88kB low:108kB high:128kB ... managed:15908kB
 *   DMA: 1*4kB (U) 1*8kB (M) ... = 15908kB
 */
#include <arch/irqflags.h>
#include <lib/panic.h>
#include <mm/highmem.h>
#include <mm/mmzone.h>
#include <mm/page_alloc.h>
#include <mm/page_debug.h>
#include <stdio.h>
#include <string.h>

u64 page_poison_errors, bad_page_reports, alloc_failure_reports;

void poison_page(struct page *p)
{
	void *va = kmap_local_page(p);

	memset(va, PAGE_POISON, PAGE_SIZE);
	kunmap_local(va);
	page_set_flag(p, PG_poisoned);
}

static void hexdump_line(const u8 *base, unsigned off)
{
	printf("%08x:", off);
	for (unsigned i = 0; i < 16; i++)
		printf(" %02x", base[off + i]);
	printf("\n");
}

u64 check_page_poison(struct page *p)
{
	const u64 pattern = 0x0101010101010101ULL * PAGE_POISON;
	const u64 *w = kmap_local_page(p);
	const u8 *b = (const u8 *)w;
	unsigned first = PAGE_SIZE;
	u64 bad = 0;

	page_clear_flag(p, PG_poisoned);
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++) {
		if (w[i] == pattern)
			continue;
		for (unsigned j = 0; j < 8; j++) {
			if (b[i * 8 + j] != PAGE_POISON) {
				bad++;
				first = MIN(first, i * 8 + j);
			}
		}
	}
	if (!bad) {
		kunmap_local(w);
		return 0;
	}
	unsigned long f = arch_irq_save();

	page_poison_errors++;
	page_zone(p)->stats.poison_errors++;
	arch_irq_restore(f);
	printf("pagealloc: memory corruption at pfn %#llx (phys %#llx): %llu bytes changed, first at offset %#x:\n",
	       (unsigned long long)page_to_pfn(p), (unsigned long long)page_to_phys(p), (unsigned long long)bad,
	       first);
	hexdump_line(b, first & ~15u);
	if ((first & ~15u) + 16 < PAGE_SIZE)
		hexdump_line(b, (first & ~15u) + 16);
	kunmap_local(w);
	dump_stack();
	return bad;
}

void bad_page(const struct page *p, const char *reason)
{
	bad_page_reports++;
	printf("BUG: Bad page state: pfn:%#llx refcount:%d mapcount:%d flags:%#x order:%u zone:%s\n",
	       (unsigned long long)page_to_pfn(p), (int)p->refcount, (int)p->mapcount, (unsigned)p->flags,
	       (unsigned)p->order, zones[p->zone].name);
	printf("page dumped because: %s\n", reason);
	dump_stack();
	printf("Disabling this page: it is leaked instead of freed.\n");
}

const char *gfp_describe(gfp_t gfp, char *buf, unsigned len)
{
	static const struct {
		gfp_t bits;
		const char *name;
	} names[] = {
		{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" }, { GFP_HIGHUSER, "GFP_HIGHUSER" },
		{ GFP_KERNEL, "GFP_KERNEL" }, { __GFP_HIGHMEM, "__GFP_HIGHMEM" },
		{ GFP_ATOMIC, "GFP_ATOMIC" },     { GFP_NOWAIT, "GFP_NOWAIT" },
		{ __GFP_DMA, "__GFP_DMA" },       { __GFP_DMA32, "__GFP_DMA32" },
		{ __GFP_MOVABLE, "__GFP_MOVABLE" }, { __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
		{ __GFP_HIGH, "__GFP_HIGH" },     { __GFP_ZERO, "__GFP_ZERO" },
		{ __GFP_NOWARN, "__GFP_NOWARN" }, { __GFP_NORETRY, "__GFP_NORETRY" },
		{ __GFP_COMP, "__GFP_COMP" },
	};
	gfp_t left = gfp;
	unsigned n = 0;

	buf[0] = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(names) && left; i++) {
		if ((left & names[i].bits) == names[i].bits) {
			n += (unsigned)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? "|" : "", names[i].name);
			left &= ~names[i].bits;
		}
	}
	if (left || !gfp)
		snprintf(buf + n, n < len ? len - n : 0, "%s%#x", n ? "|" : "", left);
	return buf;
}

static void show_zone_orders(const struct zone *z)
{
	static const char type_letter[MIGRATE_TYPES] = { 'U', 'M', 'E', 'C', 'I' };
	u64 total = 0;

	printf("%s:", z->name);
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		char types[MIGRATE_TYPES + 1];
		unsigned nt = 0;

		for (int t = 0; t < MIGRATE_TYPES; t++)
			if (!list_empty(&z->free_area[o].free_list[t]))
				types[nt++] = type_letter[t];
		types[nt] = 0;
		printf(" %llu*%llukB", (unsigned long long)z->free_area[o].nr_free, 4ULL << o);
		if (nt)
			printf(" (%s)", types);
		total += z->free_area[o].nr_free << o;
	}
	printf(" = %llukB\n", (unsigned long long)total * 4);
}

void show_free_areas(void)
{
	printf("Mem-Info:\n");
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *z = &zones[i];

		if (!zone_populated(z))
			continue;
		printf("%s free:%llukB min:%llukB low:%llukB high:%llukB pcp:%ukB present:%llukB managed:%llukB"
		       " free_cma:%llukB\n", z->name, (unsigned long long)z->nr_free * 4,
		       (unsigned long long)z->watermark[WMARK_MIN] * 4, (unsigned long long)z->watermark[WMARK_LOW] * 4,
		       (unsigned long long)z->watermark[WMARK_HIGH] * 4, z->pcp.count * 4,
		       (unsigned long long)z->present_pages * 4, (unsigned long long)z->managed_pages * 4,
		       (unsigned long long)z->nr_free_cma * 4);
		printf("lowmem_reserve[]: %llu %llu %llu\n", (unsigned long long)z->lowmem_reserve[0],
		       (unsigned long long)z->lowmem_reserve[1], (unsigned long long)z->lowmem_reserve[2]);
	}
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (zone_populated(&zones[i]))
			show_zone_orders(&zones[i]);
}

void warn_alloc(gfp_t gfp, unsigned order, const char *why)
{
	char mode[128];

	alloc_failure_reports++;
	printf("pagoda: page allocation failure: order:%u, mode:%#x(%s)%s%s\n", order, gfp,
	       gfp_describe(gfp, mode, sizeof(mode)), why ? ": " : "", why ? why : "");
	dump_stack();
	show_free_areas();
}
