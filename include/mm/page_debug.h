/*
 * Page-allocator diagnostics: page poisoning (fill on free, check on
 * allocation), bad-page reports, and the allocation-failure report.
 * A detected problem is reported and the system keeps running: a
 * corrupted free page is re-initialised, a bad free is refused (the page
 * is leaked rather than put on a free list twice).
 */
#ifndef MM_PAGE_DEBUG_H
#define MM_PAGE_DEBUG_H

#include <mm/gfp.h>
#include <mm/page.h>

/* Fill a free page with PAGE_POISON and mark it PG_poisoned. */
void poison_page(struct page *p);
/* Check a PG_poisoned page being allocated; report corruption. Returns
 * the number of corrupted bytes (0 if intact). Clears PG_poisoned. */
u64 check_page_poison(struct page *p);
/* Report a page in a bad state ("BUG: Bad page state"). */
void bad_page(const struct page *p, const char *reason);
/* Report an allocation failure with the zones' free memory (Linux's
 * "page allocation failure" + Mem-Info). why: extra reason or NULL. */
void warn_alloc(gfp_t gfp, unsigned order, const char *why);
/* Print Mem-Info: per-zone free/min/low/high/managed and free blocks per order. */
void show_free_areas(void);

/* Totals of detected problems since boot (self-tests read them). */
extern u64 page_poison_errors, bad_page_reports, alloc_failure_reports;

#endif
