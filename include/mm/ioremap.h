/* Mapping device registers into the kernel's address space. */
#ifndef MM_IOREMAP_H
#define MM_IOREMAP_H

#include <types.h>

/* Map [pa, pa+size) as Device-nGnRE, execute-never, in the vmalloc
 * window (with a guard page after it). Returns the VA of pa, or NULL. */
void *ioremap(phys_addr_t pa, size_t size);
/* Undo ioremap(). */
void iounmap(void *va);

#endif
