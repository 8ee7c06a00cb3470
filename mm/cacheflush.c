/*
 * The cacheflush system call (include/mm/cacheflush.h): the app's own
 * virtual addresses go to the arch's cache maintenance by VA
 * (arch_icache_sync_range: clean D to PoU, invalidate I), page by page and
 * only where a page is present, so that maintenance never faults; the
 * app's tables are the live TTBR0 ones while it is in a system call.
 */
#include <arch/layout.h>
#include <arch/mmu.h>
#include <errno.h>
#include <mm/cacheflush.h>
#include <mm/mm_types.h>
#include <mm/pgtable.h>
#include <mm/vma.h>

int do_cacheflush(struct mm_struct *mm, u64 start, u64 end, u64 flags)
{
	u64 at = start;

	if (flags || end < start)
		return -EINVAL;
	for (struct vm_area_struct *v = find_vma(mm, start); at < end; v = vma_next(mm, v)) {
		if (!v || v->start > at)
			return -EFAULT; /* a hole: Linux's access_ok/fixup says the same */
		for (; at < end && at < v->end; at = ALIGN_DOWN(at, PAGE_SIZE) + PAGE_SIZE) {
			u64 stop = MIN(MIN(end, v->end), ALIGN_DOWN(at, PAGE_SIZE) + PAGE_SIZE);

			if (!pgt_query(&mm->pgt, at, NULL, NULL, NULL))
				arch_icache_sync_range((vaddr_t)at, (size_t)(stop - at));
		}
	}
	return 0;
}
