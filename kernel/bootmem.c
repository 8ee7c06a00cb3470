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
#include <mm/page.h>
#include <stdio.h>

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
