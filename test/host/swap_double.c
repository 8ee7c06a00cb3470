/* Test double of mm/swap.c for the report tests (see swap_double.h): slot
 * counts and device info set by the test, not by swapping. */
#include <string.h>

#include "swap_double.h"

struct swap_info swap_double_info;
struct zram *swap_double_zram;
unsigned swap_double_count[SWAP_DOUBLE_SLOTS];

void swap_double_reset(void)
{
	memset(&swap_double_info, 0, sizeof(swap_double_info));
	swap_double_info.name = "/dev/zram0";
	swap_double_info.prio = 100;
	swap_double_zram = NULL;
	memset(swap_double_count, 0, sizeof(swap_double_count));
}

void swap_get_info(struct swap_info *si) { *si = swap_double_info; }
struct zram *swap_zram(void) { return swap_double_zram; }
unsigned swap_pte_count(u64 offset) { return offset < SWAP_DOUBLE_SLOTS ? swap_double_count[offset] : 0; }
void swap_dup(u64 offset)
{
	if (offset < SWAP_DOUBLE_SLOTS)
		swap_double_count[offset]++;
}
