/*
 * The boot-time RAM budget: board.cfg says how much memory is set aside
 * for CMA, the swiotlb bounce pool, the zram pool and the free-page
 * reserve; the DTB says how much RAM there is. If the first does not fit
 * in the second, boot stops here with the numbers, instead of a mystery
 * allocation failure later.
 */
#include <errno.h>
#include <generated/board.h>
#include <kernel/bootmem.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/mmzone.h>
#include <mm/page.h>
#include <mm/page_alloc.h>
#include <stdio.h>

#define ULL(x) ((unsigned long long)(x))

/* What must stay for the kernel heap and at least one app. */
#define BOOT_MIN_HEADROOM (8 * SZ_1M)

struct budget_line {
	const char *what;
	const char *option;
	u64 bytes;
};

static void line(const char *what, const char *option, u64 bytes)
{
	printf("  %-28s %8llu KiB  %s\n", what, (unsigned long long)(bytes >> 10), option);
}

int bootmem_check_budget(void)
{
	u64 ram = memblock_phys_mem_size();
	const struct budget_line lines[] = {
		{ "reserved (image, DTB, ...)", "", memblock_reserved_size() },
		{ "page array", "", ram / SZ_4K * PAGE_ARRAY_BYTES_PER_PAGE },
		{ "CMA", "CONFIG_CMA_SIZE_MB", (u64)CONFIG_CMA_SIZE_MB * SZ_1M },
		{ "swiotlb bounce pool", "CONFIG_SWIOTLB_SIZE_KB", (u64)CONFIG_SWIOTLB_SIZE_KB * 1024 },
		{ "zram pool limit", "CONFIG_ZRAM_MEM_LIMIT_MB", (u64)CONFIG_ZRAM_MEM_LIMIT_MB * SZ_1M },
		{ "free-page reserve", "CONFIG_MIN_FREE_KBYTES", (u64)CONFIG_MIN_FREE_KBYTES * 1024 },
		{ "minimum headroom", "", BOOT_MIN_HEADROOM },
	};
	u64 need = 0;

	printf("Memory budget (board.cfg against RAM from the DTB):\n");
	for (unsigned i = 0; i < ARRAY_SIZE(lines); i++) {
		line(lines[i].what, lines[i].option, lines[i].bytes);
		need += lines[i].bytes;
	}
	line("RAM", "", ram);
	if (need > ram) {
		printf("\nboot: RAM too small for this board configuration: board.cfg needs %llu KiB,"
		       " the device tree describes %llu KiB.\n"
		       "boot: reduce CONFIG_CMA_SIZE_MB, CONFIG_ZRAM_MEM_LIMIT_MB, CONFIG_SWIOTLB_SIZE_KB"
		       " or CONFIG_MIN_FREE_KBYTES, or give the machine more RAM (QEMU -m).\n",
		       (unsigned long long)(need >> 10), (unsigned long long)(ram >> 10));
		return -ENOMEM;
	}
	line("left for apps and caches", "", ram - need);
	return 0;
}

/*
 * See include/kernel/bootmem.h. Zone DMA is what the narrowest engine
 * reaches; the swiotlb pool (allocated whole, a power-of-two block up to
 * MAX_ORDER) and that engine's rings (one page each, drivers/dma_engine.c)
 * must fit in its free, non-CMA frames.
 */
int bootmem_check_dma_zone(const struct mm_board *b)
{
	const struct zone *z = &zones[ZONE_DMA];
	u64 pool = (u64)CONFIG_SWIOTLB_SIZE_KB * 1024, need, have, end_needed;
	phys_addr_t lo, hi, zhi = pfn_to_phys(z->end_pfn);
	unsigned n = 0, bits;

	if (!b->nr_engines || z->start_pfn >= z->end_pfn)
		return 0;
	for (unsigned i = 1; i < b->nr_engines; i++) {
		phys_addr_t l, h, hn;

		dma_engine_reach(&b->engines[i], &l, &h);
		dma_engine_reach(&b->engines[n], &l, &hn);
		if (h < hn)
			n = i;
	}
	pool = get_order(pool) <= MAX_ORDER ? PAGE_SIZE << get_order(pool) : ALIGN_UP(pool, PAGE_SIZE << MAX_ORDER);
	need = pool + (u64)b->engines[n].channels * PAGE_SIZE;
	have = (z->nr_free - z->nr_free_cma) * PAGE_SIZE;
	if (have >= need)
		return 0;
	/* assume what lies just above the zone is free: the reach that would cover the shortfall */
	dma_engine_reach(&b->engines[n], &lo, &hi);
	end_needed = zhi + (need - have);
	for (bits = b->engines[n].addr_bits + 1; bits < 64 && lo + (1ULL << bits) < end_needed; bits++)
		;
	printf("\nboot: DMA engine %u (%s) reaches only [mem %#llx-%#llx] (CONFIG_DMA%u_ADDR_BITS=%u): its zone DMA\n"
	       "boot: has %llu KiB free, but the swiotlb bounce pool (CONFIG_SWIOTLB_SIZE_KB=%u, %llu KiB allocated)\n"
	       "boot: and the engine's %u rings (%llu KiB) need %llu KiB there.\n"
	       "boot: set CONFIG_DMA%u_ADDR_BITS to at least %u",
	       n, b->engines[n].name, ULL(lo), ULL(MIN(hi, zhi) - 1), n, b->engines[n].addr_bits, ULL(have >> 10),
	       CONFIG_SWIOTLB_SIZE_KB, ULL(pool >> 10), b->engines[n].channels,
	       ULL((u64)b->engines[n].channels * PAGE_SIZE >> 10), ULL(need >> 10), n, bits);
	if (have > (u64)b->engines[n].channels * PAGE_SIZE)
		printf(", or CONFIG_SWIOTLB_SIZE_KB to at most %llu",
		       ULL((have - (u64)b->engines[n].channels * PAGE_SIZE) >> 10));
	printf(".\n");
	return -ENOMEM;
}
