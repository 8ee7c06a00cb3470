/*
 * Swap reports in Linux's formats (include/mm/report.h): /proc/swaps, the
 * meminfo lines SwapTotal and SwapFree, and zram0's sysfs files.
 *
 * /proc/swaps, Linux's swap_show() (mm/swapfile.c): a header of tabs, then
 * per device the path, blanks up to column 40, the type ("partition" for a
 * block device such as zram), Size and Used in kB, each followed by a
 * second tab while below 10000000, and the priority:
 *
 *   Filename<TAB><TAB><TAB><TAB>Type<TAB><TAB>Size<TAB><TAB>Used<TAB><TAB>Priority
 *   /dev/zram0<30 blanks>partition<TAB>65536<TAB><TAB>1204<TAB><TAB>100
 *
 * Size is every slot of the device (Linux subtracts one page for the swap
 * header a swapon'd device carries; zram0 here has none), Used the slots
 * held by swap PTEs or the swap cache; SwapTotal/SwapFree are the same
 * slots in kB. No device (CONFIG_ZRAM_SIZE_MB 0): the header only, as
 * Linux prints with swap off, and SwapTotal 0.
 *
 * Locking: swap_get_info() and the zram_show_* functions take the locks
 * they need (swap_lock, the device's lock); callers hold none.
 */
#include <mm/report.h>
#include <mm/swap.h>
#include <mm/zram.h>

#define SWAPS_NAME_COLS 40 /* Linux pads the path to 40 columns */
#define SWAPS_TAB_BELOW 10000000ULL

static u64 slots_kb(u64 slots) { return slots << (PAGE_SHIFT - 10); }

void show_swaps(FILE *f)
{
	struct swap_info si;
	int len;
	u64 size, used;

	fputs("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n", f);
	swap_get_info(&si);
	if (!si.nr_slots)
		return;
	size = slots_kb(si.nr_slots);
	used = slots_kb(si.inuse_slots);
	len = fprintf(f, "%s", si.name);
	fprintf(f, "%*s%s\t%llu\t%s%llu\t%s%d\n", len < SWAPS_NAME_COLS ? SWAPS_NAME_COLS - len : 1, " ",
		"partition", (unsigned long long)size, size < SWAPS_TAB_BELOW ? "\t" : "", (unsigned long long)used,
		used < SWAPS_TAB_BELOW ? "\t" : "", si.prio);
}

static void swap_meminfo(struct meminfo *mi)
{
	struct swap_info si;

	swap_get_info(&si);
	mi->swap_total += slots_kb(si.nr_slots);
	mi->swap_free += slots_kb(si.nr_slots - si.inuse_slots);
}

void swap_meminfo_register(void)
{
	static struct meminfo_provider provider = { .fill = swap_meminfo };
	static bool registered;

	if (!registered) {
		registered = true;
		meminfo_add_provider(&provider);
	}
}

void show_zram_mm_stat(FILE *f)
{
	struct zram *z = swap_zram();

	if (z)
		zram_show_mm_stat(z, f);
}

void show_zram_io_stat(FILE *f)
{
	struct zram *z = swap_zram();

	if (z)
		zram_show_io_stat(z, f);
}

void show_swap_reports(FILE *f)
{
	struct zram *z = swap_zram();

	fputs("\n$ cat /proc/swaps\n", f);
	show_swaps(f);
	if (!z)
		return;
	fputs("\n$ cat /sys/block/zram0/mm_stat\n", f);
	zram_show_mm_stat(z, f);
	fputs("\n$ cat /sys/block/zram0/io_stat\n", f);
	zram_show_io_stat(z, f);
}
