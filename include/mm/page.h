/* Page-frame facts shared before the page array exists. */
#ifndef MM_PAGE_H
#define MM_PAGE_H

/*
 * Budget for the page array (one struct page per 4 KiB frame), used by
 * the boot-time RAM check. The page allocator asserts at build time that
 * sizeof(struct page) stays within it.
 */
#define PAGE_ARRAY_BYTES_PER_PAGE 64

#endif
