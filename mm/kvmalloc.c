/*
 * kvmalloc/kvfree (include/mm/vmalloc.h), as Linux has them: a buffer
 * that need not be physically contiguous. kmalloc first, without retrying
 * hard or warning when it takes more than a page (a fragmented or nearly
 * full machine has no order-2 block to spare), then vmalloc, which maps
 * single pages. /proc file snapshots and the shell's cat use it.
 */
#include <mm/gfp.h>
#include <mm/page.h>
#include <mm/slab.h>
#include <mm/vmalloc.h>

void *kvmalloc(size_t size, gfp_t gfp)
{
	void *p = kmalloc(size, size > PAGE_SIZE ? gfp | __GFP_NORETRY | __GFP_NOWARN : gfp);

	return p ? p : vmalloc(size);
}

void kvfree(const void *p)
{
	if (is_vmalloc_addr(p))
		vfree(p);
	else
		kfree(p);
}
