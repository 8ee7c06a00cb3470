/*
 * The swap and vmstat reports (mm/vmstat_report.c, mm/swap_report.c) and
 * the meminfo swap lines, on the fixture board with the real page
 * allocator, LRU lists and zram; the swap layer's state comes from the
 * test double test/host/swap_double.c until mm/swap.c is merged. Every
 * expected line is written out here as a literal (names, order, tabs),
 * the numbers from a state the test sets up.
 */
#include <host.h>
#include <mm/mmzone.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/vmstat.h>
#include <mm/zram.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm_fixture.h"
#include "swap_double.h"

static char *capture(void (*show)(FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	show(f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static int setup(void **state)
{
	(void)state;
	fix_mm_setup(false, false);
	swap_double_reset();
	memset(vm_stat, 0, sizeof(vm_stat));
	memset(vm_events, 0, sizeof(vm_events));
	vmstat_meminfo_register();
	swap_meminfo_register();
	swap_meminfo_register(); /* twice: still one provider */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	memset(vm_stat, 0, sizeof(vm_stat));
	memset(vm_events, 0, sizeof(vm_events));
	fix_mm_teardown();
	return 0;
}

/* ---- /proc/vmstat ---------------------------------------------------------- */

/* Linux 6.1's names in its vmstat_text[] order, the ones Pagoda prints. */
static const char *const vmstat_names[] = {
	"nr_free_pages", "nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file",
	"nr_zone_active_file", "nr_zone_unevictable", "nr_mlock", "nr_free_cma", "nr_inactive_anon",
	"nr_active_anon", "nr_inactive_file", "nr_active_file", "nr_unevictable", "nr_slab_reclaimable",
	"nr_slab_unreclaimable", "workingset_refault_anon", "workingset_refault_file",
	"workingset_activate_anon", "workingset_activate_file", "nr_anon_pages", "nr_mapped", "nr_file_pages",
	"nr_shmem", "nr_kernel_stack", "nr_page_table_pages", "nr_swapcached", "pgpgin", "pgpgout", "pswpin",
	"pswpout", "pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgalloc_movable", "allocstall",
	"pgactivate", "pgdeactivate", "pgfault", "pgmajfault", "pgrefill", "pgsteal_kswapd", "pgsteal_direct",
	"pgscan_kswapd", "pgscan_direct", "pgscan_anon", "pgscan_file", "pgsteal_anon", "pgsteal_file",
	"slabs_scanned", "pageoutrun", "pgrotated", "oom_kill", "pgmigrate_success",
	"pgmigrate_fail", "compact_migrate_scanned", "compact_free_scanned", "compact_isolated",
	"compact_stall", "compact_fail", "compact_success", "compact_daemon_wake",
	"compact_daemon_migrate_scanned", "compact_daemon_free_scanned", "zram_checksum_kill", "lmk_kill",
};
#define NR_VMSTAT_LINES ARRAY_SIZE(vmstat_names)

/* Parse show_vmstat: exactly the names above, "name value\n" each. */
static void parse_vmstat(u64 val[NR_VMSTAT_LINES])
{
	char *buf = capture(show_vmstat), *p = buf;

	for (unsigned i = 0; i < NR_VMSTAT_LINES; i++) {
		size_t n = strlen(vmstat_names[i]);
		char *end;

		assert_memory_equal(p, vmstat_names[i], n);
		assert_int_equal(p[n], ' ');
		assert_true(p[n + 1] >= '0' && p[n + 1] <= '9');
		val[i] = strtoull(p + n + 1, &end, 10);
		assert_int_equal(*end, '\n');
		p = end + 1;
	}
	assert_int_equal(*p, 0); /* nothing after the last line */
	free(buf);
}

static u64 vmstat_value(const u64 val[NR_VMSTAT_LINES], const char *name)
{
	for (unsigned i = 0; i < NR_VMSTAT_LINES; i++)
		if (!strcmp(vmstat_names[i], name))
			return val[i];
	fail_msg("no %s", name);
	return 0;
}

static void vmstat_names_order_and_values(void **state)
{
	static const struct {
		const char *name;
		enum vm_event_item e;
	} events[] = {
		{ "pgpgin", PGPGIN },
		{ "pgpgout", PGPGOUT },
		{ "pswpin", PSWPIN },
		{ "pswpout", PSWPOUT },
		{ "allocstall", ALLOCSTALL },
		{ "pgactivate", PGACTIVATE },
		{ "pgdeactivate", PGDEACTIVATE },
		{ "pgfault", PGFAULT },
		{ "pgmajfault", PGMAJFAULT },
		{ "pgrefill", PGREFILL },
		{ "pgsteal_kswapd", PGSTEAL_KSWAPD },
		{ "pgsteal_direct", PGSTEAL_DIRECT },
		{ "pgscan_kswapd", PGSCAN_KSWAPD },
		{ "pgscan_direct", PGSCAN_DIRECT },
		{ "pgscan_anon", PGSCAN_ANON },
		{ "pgscan_file", PGSCAN_FILE },
		{ "pgsteal_anon", PGSTEAL_ANON },
		{ "pgsteal_file", PGSTEAL_FILE },
		{ "slabs_scanned", SLABS_SCANNED },
		{ "pageoutrun", PAGEOUTRUN },
		{ "pgrotated", PGROTATED },
		{ "workingset_refault_anon", WORKINGSET_REFAULT_ANON },
		{ "workingset_refault_file", WORKINGSET_REFAULT_FILE },
		{ "workingset_activate_anon", WORKINGSET_ACTIVATE_ANON },
		{ "workingset_activate_file", WORKINGSET_ACTIVATE_FILE },
		{ "oom_kill", OOM_KILL },
		{ "pgmigrate_success", PGMIGRATE_SUCCESS },
		{ "pgmigrate_fail", PGMIGRATE_FAIL },
		{ "compact_migrate_scanned", COMPACTMIGRATE_SCANNED },
		{ "compact_free_scanned", COMPACTFREE_SCANNED },
		{ "compact_isolated", COMPACTISOLATED },
		{ "compact_stall", COMPACTSTALL },
		{ "compact_fail", COMPACTFAIL },
		{ "compact_success", COMPACTSUCCESS },
		{ "compact_daemon_wake", KCOMPACTD_WAKE },
		{ "compact_daemon_migrate_scanned", KCOMPACTD_MIGRATE_SCANNED },
		{ "compact_daemon_free_scanned", KCOMPACTD_FREE_SCANNED },
		{ "zram_checksum_kill", ZRAM_CHECKSUM_KILL },
	};
	struct page *p[6];
	u64 val[NR_VMSTAT_LINES];
	struct meminfo mi;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(events); i++)
		vm_events[events[i].e] = 1000 + i * 7;
	vm_stat[NR_ANON_MAPPED] = 11;
	vm_stat[NR_FILE_MAPPED] = 5;
	vm_stat[NR_FILE_PAGES] = 30;
	vm_stat[NR_SHMEM] = 3;
	vm_stat[NR_MLOCK] = 2;
	vm_stat[NR_SWAPCACHE] = 9;
	vm_stat[NR_USER_PAGETABLES] = 4;
	for (unsigned i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		assert_non_null(p[i]);
		if (i == 5)
			page_set_flag(p[i], PG_mlocked);
		lru_add(p[i], i < 2); /* 2 anon, 3 file, 1 unevictable */
	}
	drain_pcp_pages();

	parse_vmstat(val);
	for (unsigned i = 0; i < ARRAY_SIZE(events); i++)
		assert_int_equal(vmstat_value(val, events[i].name), 1000 + i * 7);
	assert_int_equal(vmstat_value(val, "nr_zone_inactive_anon"), 2);
	assert_int_equal(vmstat_value(val, "nr_inactive_anon"), 2);
	assert_int_equal(vmstat_value(val, "nr_zone_inactive_file"), 3);
	assert_int_equal(vmstat_value(val, "nr_inactive_file"), 3);
	assert_int_equal(vmstat_value(val, "nr_zone_unevictable"), 1);
	assert_int_equal(vmstat_value(val, "nr_unevictable"), 1);
	assert_int_equal(vmstat_value(val, "nr_active_anon") + vmstat_value(val, "nr_active_file"), 0);
	assert_int_equal(vmstat_value(val, "nr_mlock"), 2);
	assert_int_equal(vmstat_value(val, "nr_anon_pages"), 11);
	assert_int_equal(vmstat_value(val, "nr_mapped"), 5);
	assert_int_equal(vmstat_value(val, "nr_file_pages"), 30);
	assert_int_equal(vmstat_value(val, "nr_shmem"), 3);
	assert_int_equal(vmstat_value(val, "nr_swapcached"), 9);
	assert_int_equal(vmstat_value(val, "pgalloc_movable"), 0);
	/* against meminfo (per-CPU lists drained: MemFree is the buddy lists) */
	meminfo_read(&mi);
	assert_int_equal(vmstat_value(val, "nr_free_pages") * 4, mi.mem_free);
	assert_int_equal(vmstat_value(val, "nr_free_cma") * 4, mi.cma_free);
	assert_int_equal(vmstat_value(val, "nr_page_table_pages") * 4, mi.page_tables);
	assert_int_equal(vmstat_value(val, "nr_kernel_stack"), mi.kernel_stack);
	assert_int_equal(vmstat_value(val, "nr_slab_unreclaimable") * 4, mi.sunreclaim);
	assert_int_equal(mi.swap_cached, 9 * 4);

	for (unsigned i = 0; i < ARRAY_SIZE(p); i++) {
		lru_del(p[i]);
		page_clear_flag(p[i], PG_mlocked);
		page_clear_flag(p[i], PG_swapbacked);
		free_pages(p[i], 0);
	}
}

/* pgalloc_<zone> counts pages handed out by each zone: an order-4 block
 * from ZONE_DMA is 16 more pgalloc_dma, nothing elsewhere. */
static void vmstat_pgalloc_per_zone(void **state)
{
	u64 before[NR_VMSTAT_LINES], after[NR_VMSTAT_LINES];
	struct page *pg;

	(void)state;
	parse_vmstat(before);
	pg = alloc_pages(GFP_KERNEL | __GFP_DMA, 4);
	assert_non_null(pg);
	parse_vmstat(after);
	assert_int_equal(vmstat_value(after, "pgalloc_dma") - vmstat_value(before, "pgalloc_dma"), 16);
	assert_int_equal(vmstat_value(after, "pgalloc_dma32"), vmstat_value(before, "pgalloc_dma32"));
	assert_int_equal(vmstat_value(after, "pgalloc_normal"), vmstat_value(before, "pgalloc_normal"));
	free_pages(pg, 4);
}

/* ---- meminfo's swap lines ------------------------------------------------- */

static void meminfo_swap_lines(void **state)
{
	struct meminfo mi;
	char *text;

	(void)state;
	meminfo_read(&mi);
	assert_int_equal(mi.swap_total + mi.swap_free + mi.swap_cached, 0); /* no device */
	swap_double_info.nr_slots = 16384;
	swap_double_info.inuse_slots = 1000;
	vm_stat[NR_FILE_PAGES] = 40; /* 12 of them swap cache, 4 buffers */
	vm_stat[NR_SWAPCACHE] = 12;
	vm_stat[NR_BUFFERS] = 4;
	meminfo_read(&mi);
	assert_int_equal(mi.swap_total, 65536);
	assert_int_equal(mi.swap_free, 65536 - 4000);
	assert_int_equal(mi.swap_cached, 48);
	assert_int_equal(mi.cached, (40 - 12 - 4) * 4);
	text = capture(show_meminfo);
	assert_non_null(strstr(text, "\nCached:               96 kB\nSwapCached:           48 kB\n"));
	assert_non_null(strstr(text, "\nSwapTotal:         65536 kB\nSwapFree:          61536 kB\n"));
	free(text);
}

/* ---- /proc/swaps ----------------------------------------------------------- */

static void swaps_without_device_is_the_header(void **state)
{
	char *text;

	(void)state;
	text = capture(show_swaps);
	assert_string_equal(text, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	free(text);
}

static void swaps_line_has_linux_tabs(void **state)
{
	char *text;

	(void)state;
	swap_double_info.nr_slots = 16384;
	swap_double_info.inuse_slots = 301;
	text = capture(show_swaps);
	assert_string_equal(text, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
				  "/dev/zram0                              partition\t65536\t\t1204\t\t100\n");
	free(text);
	/* 10000000 kB and more: one tab after the number, as in Linux */
	swap_double_info.nr_slots = 2500000;
	swap_double_info.inuse_slots = 2500000;
	text = capture(show_swaps);
	assert_string_equal(text, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
				  "/dev/zram0                              partition\t10000000\t10000000\t100\n");
	free(text);
}

/* ---- zram0's mm_stat / io_stat --------------------------------------------- */

static void zram_stats_absent_without_device(void **state)
{
	char *text;

	(void)state;
	text = capture(show_zram_mm_stat);
	assert_string_equal(text, "");
	free(text);
	text = capture(show_zram_io_stat);
	assert_string_equal(text, "");
	free(text);
	text = capture(show_swap_reports);
	assert_string_equal(text, "\n$ cat /proc/swaps\nFilename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	free(text);
}

static void zram_stats_of_the_swap_device(void **state)
{
	static u8 page[4096];
	struct zram *z;
	char *text, want[256];

	(void)state;
	assert_int_equal(zram_create(&z, 1ULL << 20, 0, GFP_KERNEL), 0);
	memset(page, 0x5a, sizeof(page)); /* same-filled: no memory */
	assert_int_equal(zram_store(z, 3, page, GFP_KERNEL), 0);
	for (unsigned i = 0; i < sizeof(page); i++)
		page[i] = (u8)(i * 7 / 13);
	assert_int_equal(zram_store(z, 4, page, GFP_KERNEL), 0);
	zram_free(z, 3);
	swap_double_zram = z;
	swap_double_info.nr_slots = zram_nr_slots(z);
	swap_double_info.inuse_slots = 1;

	text = capture(show_zram_mm_stat);
	{
		struct zram_stats st;

		zram_get_stats(z, &st);
		assert_int_equal(st.pages_stored, 1);
		snprintf(want, sizeof(want), "%8u %8llu %8llu %8u %8llu %8u %8u %8u %8u\n", 4096,
			 (unsigned long long)st.compr_data_size, (unsigned long long)st.mem_used_total, 0,
			 (unsigned long long)st.mem_used_max, 0, 0, 0, 0);
	}
	assert_string_equal(text, want);
	free(text);
	text = capture(show_zram_io_stat);
	assert_string_equal(text, "       0        0        0        1\n"); /* notify_free: slot 3 */
	free(text);
	text = capture(show_swap_reports);
	snprintf(want, sizeof(want), "/dev/zram0                              partition\t1024\t\t4\t\t100\n");
	assert_non_null(strstr(text, want));
	assert_non_null(strstr(text, "\n$ cat /sys/block/zram0/mm_stat\n    4096 "));
	assert_non_null(strstr(text, "\n$ cat /sys/block/zram0/io_stat\n       0        0        0        1\n"));
	free(text);
	swap_double_zram = NULL;
	zram_destroy(z);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(vmstat_names_order_and_values),
		T(vmstat_pgalloc_per_zone),
		T(meminfo_swap_lines),
		T(swaps_without_device_is_the_header),
		T(swaps_line_has_linux_tabs),
		T(zram_stats_absent_without_device),
		T(zram_stats_of_the_swap_device),
	};

	return cmocka_run_group_tests_name("vmstat_report", tests, NULL, NULL);
}
