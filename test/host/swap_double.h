/*
 * Temporary test double for the few include/mm/swap.h functions the
 * reports call (swap_get_info, swap_zram, swap_pte_count), until the
 * lead's mm/swap.c is merged; host tests of the reports only. Tests set
 * the state below; swap_double_reset() makes it "no swap device".
 */
#ifndef TEST_SWAP_DOUBLE_H
#define TEST_SWAP_DOUBLE_H

#include <mm/swap.h>

#define SWAP_DOUBLE_SLOTS 64

extern struct swap_info swap_double_info;
extern struct zram *swap_double_zram;
/* swap_pte_count(offset) for offset < SWAP_DOUBLE_SLOTS (others: 0). */
extern unsigned swap_double_count[SWAP_DOUBLE_SLOTS];

void swap_double_reset(void);

#endif
