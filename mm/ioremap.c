/* TEMPORARY (replaced by the real vmalloc-window ioremap in this session):
 * the boot tables map the console's GiB as Device memory at PAGE_OFFSET+pa. */
#include <arch/layout.h>
#include <mm/ioremap.h>

void *ioremap(phys_addr_t pa, size_t size)
{
	(void)size;
	return (void *)(uintptr_t)(PAGE_OFFSET + pa);
}

void iounmap(void *va) { (void)va; }
