/*
 * The knobs over kernel/ and the swap device (kernel/proc_table.h):
 *   /proc/sys/vm/panic_on_oom 0..2, oom_kill_allocating_task 0..1,
 *   drop_caches (write-only: 1 clean page cache, 2 slab, 3 both, 4 nothing);
 *   /sys/block/zram0/{mm_stat,io_stat,disksize} read-only, compact
 *   (write-only, any value, as Linux), mem_limit (write-only, bytes with an
 *   optional K/M/G suffix, 0 = none).
 * zram0's reset is left out: the device is always in use as swap, where
 * Linux answers -EBUSY; disksize is read-only for the same reason.
 */
#include <errno.h>
#include <kernel/appimg.h>
#include <kernel/oom.h>
#include <mm/filemap.h>
#include <mm/gfp.h>
#include <mm/report.h>
#include <mm/shrinker.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/zram.h>

#include "proc_table.h"

/* The clean, unmapped page cache of the app image's files; pages freed. */
static u64 drop_pagecache(void)
{
	u64 freed = 0;

	for (unsigned i = 0; i < appimg_count(); i++) {
		int err = 0;
		struct address_space *as = appimg_open(appimg_entry(i)->name, &err);

		if (as) {
			freed += address_space_drop_clean(as);
			address_space_put(as);
		}
	}
	return freed;
}

int drop_caches(long v)
{
	if (v < 1 || v > 4)
		return -EINVAL;
	if (v & 1)
		drop_pagecache();
	if (v & 2) {
		run_shrinkers(GFP_KERNEL, 0);
		kmem_cache_shrink_all();
	}
	return 0;
}

static long panic_on_oom_get(void) { return get_panic_on_oom(); }
static int panic_on_oom_set(long v) { return v < 0 || v > 2 ? -EINVAL : set_panic_on_oom((int)v); }
static long kill_allocating_get(void) { return get_oom_kill_allocating_task(); }
static int kill_allocating_set(long v) { return v < 0 || v > 1 ? -EINVAL : set_oom_kill_allocating_task((int)v); }

static int zram_mm_stat(FILE *f, int pid)
{
	(void)pid;
	show_zram_mm_stat(f);
	return 0;
}

static int zram_io_stat(FILE *f, int pid)
{
	(void)pid;
	show_zram_io_stat(f);
	return 0;
}

static int zram_disksize(FILE *f, int pid)
{
	struct zram *z = swap_zram();

	(void)pid;
	fprintf(f, "%llu\n", z ? (unsigned long long)zram_nr_slots(z) * PAGE_SIZE : 0ull);
	return 0;
}

static int zram_compact_store(const char *s, int pid)
{
	(void)s;
	(void)pid;
	if (!swap_zram())
		return -ENODEV;
	zram_compact(swap_zram());
	return 0;
}

/* Linux's memparse: a number and an optional K, M or G (binary units). */
static int parse_size(const char *s, u64 *out)
{
	u64 v = 0;
	unsigned shift = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (~0ull - 9) / 10)
			return -EINVAL;
		v = v * 10 + (u64)(*s - '0');
	}
	switch (*s) {
	case 'k': case 'K': shift = 10; s++; break;
	case 'm': case 'M': shift = 20; s++; break;
	case 'g': case 'G': shift = 30; s++; break;
	}
	if (*s || (shift && v >> (64 - shift)))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

static int zram_mem_limit_store(const char *s, int pid)
{
	u64 bytes;

	(void)pid;
	if (parse_size(s, &bytes))
		return -EINVAL;
	if (!swap_zram())
		return -ENODEV;
	return zram_set_mem_limit(swap_zram(), bytes);
}

static const struct proc_entry sys_files[] = {
	{ "proc/sys/vm/panic_on_oom", .get = panic_on_oom_get, .set = panic_on_oom_set },
	{ "proc/sys/vm/oom_kill_allocating_task", .get = kill_allocating_get, .set = kill_allocating_set },
	{ "proc/sys/vm/drop_caches", .set = drop_caches },
	{ "sys/block/zram0/disksize", .show = zram_disksize },
	{ "sys/block/zram0/mm_stat", .show = zram_mm_stat },
	{ "sys/block/zram0/io_stat", .show = zram_io_stat },
	{ "sys/block/zram0/compact", .store = zram_compact_store },
	{ "sys/block/zram0/mem_limit", .store = zram_mem_limit_store },
};

PROC_TABLE(proc_sys_table, sys_files);
