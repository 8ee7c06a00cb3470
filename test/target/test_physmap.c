/*
 * On-target tests of the physical memory map (mm/physmap_report.c,
 * /sys/kernel/debug/pagoda/physmap):
 *  - its runs, read through the /proc tree, cover the page array once, in
 *    pfn order, with known zone, migratetype and owner names;
 *  - its free frames are MemFree's (read right after it, nothing runs in
 *    between: the test task does not sleep);
 *  - pages of each kind the test makes are classified as their owner:
 *    kernel, slab, pagetable (a new mm's top table), zram (a new pool's
 *    pages), cma_alloc, free once given back.
 */
#include <kernel/ktest.h>
#include <kernel/procfs.h>
#include <mm/cma.h>
#include <mm/mm_types.h>
#include <mm/mmap.h>
#include <mm/mmzone.h>
#include <mm/page_alloc.h>
#include <mm/physmap.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>
#include <mm/zpool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAP_BUF (1u << 20)
#define INFO_BUF 8192

static int name_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

static bool zone_name_ok(const char *s)
{
	if (!strcmp(s, "-"))
		return true;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (!strcmp(zones[i].name, s))
			return true;
	return false;
}

/* Read physmap and check its runs; the free frames, or -1 after a failure. */
static s64 check_runs(struct ktest *t, char *buf)
{
	long n = proc_read("/sys/kernel/debug/pagoda/physmap", buf, MAP_BUF);
	u64 next = mem_map_base_pfn, free = 0;
	unsigned lines = 0;
	char *line, *save = NULL;

	if (!KT_EXPECT(t, n > 0 && n < (long)MAP_BUF))
		return -1;
	line = strtok_r(buf, "\n", &save);
	if (!KT_EXPECT(t, line && !strcmp(line, "pfn frames zone migratetype owner")))
		return -1;
	while ((line = strtok_r(NULL, "\n", &save))) {
		unsigned long long pfn, nr;
		char zone[16], mt[16], owner[16];
		int o;

		if (!KT_EXPECT(t, sscanf(line, "%llx %llu %15s %15s %15s", &pfn, &nr, zone, mt, owner) == 5)) {
			printf("# bad line: %s\n", line);
			return -1;
		}
		o = name_index(physmap_owner_names, PHYS_NR_OWNERS, owner);
		if (!KT_EXPECT_EQ(t, pfn, next) || !KT_EXPECT(t, nr > 0) || !KT_EXPECT(t, o >= 0) ||
		    !KT_EXPECT(t, zone_name_ok(zone)) ||
		    !KT_EXPECT(t, !strcmp(mt, "-") || name_index(migratetype_names, MIGRATE_TYPES, mt) >= 0)) {
			printf("# line %u: %s\n", lines + 1, line);
			return -1;
		}
		if (o == PHYS_FREE)
			free += nr;
		next = pfn + nr;
		lines++;
	}
	KT_EXPECT_EQ(t, next, mem_map_base_pfn + mem_map_nr);
	printf("# %u runs over %llu frames, %llu free\n", lines, (unsigned long long)mem_map_nr,
	       (unsigned long long)free);
	return (s64)free;
}

static u64 meminfo_kb(const char *info, const char *name)
{
	const char *s = strstr(info, name);

	return s ? strtoull(s + strlen(name), NULL, 10) : ~0ull;
}

static void runs_cover_every_frame_once(struct ktest *t)
{
	char *buf = vmalloc(MAP_BUF);

	KT_ASSERT(t, buf);
	check_runs(t, buf);
	vfree(buf);
}

static void free_frames_are_memfree(struct ktest *t)
{
	char *buf = vmalloc(MAP_BUF), *info = vmalloc(INFO_BUF);
	s64 free;

	if (!KT_EXPECT(t, buf && info))
		goto out;
	free = check_runs(t, buf);
	KT_ASSERT(t, proc_read("/proc/meminfo", info, INFO_BUF) > 0);
	if (free >= 0)
		KT_EXPECT_EQ(t, (u64)free * (PAGE_SIZE >> 10), meminfo_kb(info, "MemFree:"));
out:
	vfree(buf);
	vfree(info);
}

static enum physmap_owner owner_of(const struct page *p)
{
	unsigned long f = spin_lock_irqsave(&page_zone(p)->lock);
	enum physmap_owner o = physmap_page_owner(p);

	spin_unlock_irqrestore(&page_zone(p)->lock, f);
	return o;
}

static void pages_classified_by_owner(struct ktest *t)
{
	struct page *kpage = alloc_page(GFP_KERNEL), *cma;
	void *obj = kmalloc(64, GFP_KERNEL);
	struct mm_struct *mm = mm_create();
	struct zpool *pool = zpool_create(GFP_KERNEL);

	if (KT_EXPECT(t, kpage)) {
		KT_EXPECT_EQ(t, owner_of(kpage), PHYS_KERNEL);
		free_page(kpage);
		KT_EXPECT_EQ(t, owner_of(kpage), PHYS_FREE);
	}
	if (KT_EXPECT(t, obj))
		KT_EXPECT_EQ(t, owner_of(virt_to_page(obj)), PHYS_SLAB);
	kfree(obj);
	if (KT_EXPECT(t, mm)) {
		struct page *root = pfn_to_page(phys_to_pfn(mm->pgt.root));

		KT_EXPECT_EQ(t, owner_of(root), PHYS_PAGETABLE);
		mm_destroy(mm);
		KT_EXPECT(t, owner_of(root) != PHYS_PAGETABLE);
	}
	if (KT_EXPECT(t, pool)) {
		KT_EXPECT_EQ(t, owner_of(virt_to_page(pool)), PHYS_ZRAM);
		zpool_destroy(pool);
	}
	cma = cma_alloc(1, 0);
	if (cma) { /* a board without CMA: nothing to check */
		KT_EXPECT_EQ(t, owner_of(cma), PHYS_CMA_ALLOC);
		cma_release(cma, 1);
	}
}

static const struct ktest_case cases[] = {
	KTEST_CASE(runs_cover_every_frame_once),
	KTEST_CASE(free_frames_are_memfree),
	KTEST_CASE(pages_classified_by_owner),
	{ 0 },
};

KTEST_SUITE(physmap, cases);
