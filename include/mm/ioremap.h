/*
 * Mapping device registers into the kernel's address space: areas of the
 * vmalloc window (include/mm/vmalloc.h, implemented in mm/vmalloc.c), each
 * followed by an unmapped guard page, execute-never. RAM is refused: a
 * Device or Non-cacheable alias of memory the linear map holds as
 * write-back would break the architecture's attribute rules.
 * Errors: NULL (a message says why). Process context; takes the vmalloc locks.
 */
#ifndef MM_IOREMAP_H
#define MM_IOREMAP_H

#include <types.h>

/* Map [pa, pa+size) Device-nGnRE, RW, execute-never. Returns the VA of pa
 * (same offset in its page), or NULL (size 0, wraps, overlaps RAM, no room).
 * A range of 2 MiB or more starting 2 MiB aligned is mapped with blocks. */
void *ioremap(phys_addr_t pa, size_t size);
/* Like ioremap() but Normal Non-cacheable (write-combining: frame buffers). */
void *ioremap_wc(phys_addr_t pa, size_t size);
/* Undo ioremap()/ioremap_wc(); takes any address in the area's first page.
 * NULL is ignored; anything else that is not an ioremap area is reported. */
void iounmap(volatile void *va);

#endif
