/*
 * Address-space system calls (include/mm/mmap.h) built on the VMA set
 * (mm/vma.c) and the page level (mm/memory.c). Terminology and the user VA
 * layout: include/mm/mm_types.h.
 *
 *   USER_STACK_TOP  ------------------------------------------
 *                   [stack] + guard   (MMAP_STACK_RESERVE: 8 MiB of stack,
 *                   ... gap ...        guard page and gap, 16 MiB in all)
 *   mmap_base       ------------------------------------------
 *                   mmap() without MAP_FIXED: the highest free gap below
 *                   mmap_base that fits (or the hint, if it is free)
 *                   ...
 *                   [heap] grows up from start_brk
 *   USER_VA_START
 *
 * Range operations (munmap, mprotect, madvise, mlock) first split the VMAs
 * at the two ends of the range so that every VMA is wholly inside or
 * outside it, then act on whole VMAs, then merge what became compatible.
 * Only the two end splits allocate, and a failed second split undoes the
 * first, so a call that fails with -ENOMEM for want of a VMA struct leaves
 * the set as it was. mprotect and mlock check the whole range (holes,
 * permissions) before changing anything.
 *
 * W^X policy: no mapping is ever writable and executable at once. mmap
 * with PROT_WRITE|PROT_EXEC and mprotect to PROT_WRITE|PROT_EXEC fail with
 * -EACCES and change nothing, as the ELF loader refuses a W+X segment
 * (the CPU runs with SCTLR_EL1.WXN, which makes a writable page
 * unexecutable anyway). mprotect sets the protection it is given, so
 * "adding" exec to a writable mapping means asking for W+X and is refused;
 * a JIT writes code into a RW mapping and then mprotects it to R+X.
 *
 * Where Pagoda differs from Linux (the reference for every errno):
 *  - mprotect/mlock/munlock fail before changing anything; Linux may have
 *    changed the VMAs before the hole or the refused one;
 *  - madvise(MADV_DONTNEED) on a range with a VM_LOCKED VMA fails with
 *    -EINVAL before zapping anything; madvise on a range with holes acts
 *    on the mapped parts and returns -ENOMEM, as Linux;
 *  - both MAP_SHARED and MAP_PRIVATE (Linux's MAP_SHARED_VALIDATE) and
 *    prot bits other than READ/WRITE/EXEC are -EINVAL;
 *  - no rlimits: mlock is limited by memory only;
 *  - mlock/munlock with a length that wraps when rounded up to pages
 *    (e.g. ~0UL) fail with -EINVAL; Linux returns 0 having done nothing
 *    (its madvise says -EINVAL for the same length, and so does Pagoda);
 *  - mlock that cannot fault its range in for want of memory fails with
 *    -EAGAIN (Linux's errno) having undone everything: no VM_LOCKED, the
 *    VMAs as before and every page it mapped unmapped again (a page
 *    already mapped may have been copied, COW, but keeps its contents);
 *    Linux leaves the range locked and partly populated.
 * mmap returns, besides the errors its contract lists, -EBADF (a file
 * mapping without a file) and -EPERM (MAP_FIXED below USER_VA_START, as
 * Linux's mmap_min_addr), as Linux does.
 *
 * Overcommit accounting (mm/commit.c, docs/overcommit.md), Linux's
 * VM_ACCOUNT: a private writable mapping (anon or file, the heap, the
 * stack) is charged to Committed_AS when it is created (mmap, brk) or
 * made writable (mprotect of a VMA never charged), unless it is
 * VM_NORESERVE (MAP_NORESERVE outside mode 2); the charge goes back when
 * its pages leave the mm (munmap, brk shrinking, MAP_FIXED replacing,
 * exit). The check comes before any change, so a refused call returns
 * -ENOMEM and changes nothing; the split halves and merges of VM_ACCOUNT
 * VMAs keep their pages charged exactly once.
 *
 * Locking: none (mm_types.h: one CPU, no preemption; only the mm's own
 * task calls these). exit_mmap may schedule between its batches, when it
 * holds no pointer into the mm that it has not re-read.
 */
#include <arch/layout.h>
#include <errno.h>
#include <lib/panic.h>
#include <mm/commit.h>
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/vma.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>
#include <uapi/pagoda/syscall.h>

/* Room kept free below USER_STACK_TOP for the stack (8 MiB max), its guard
 * page and a gap before the first mmap: mmap_base = USER_STACK_TOP - this. */
#define MMAP_STACK_RESERVE (16 * SZ_1M)

#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)
#define PROT_WX (PROT_WRITE | PROT_EXEC) /* never both: the W^X policy above */
#define VM_MAY_ALL (VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

/* ---- the mm and its tables ---------------------------------------------- */

static void unaccount_vma(const struct vm_area_struct *v);

static phys_addr_t user_table_alloc(void *ctx)
{
	struct page *p = alloc_page(GFP_KERNEL | __GFP_ZERO);

	(void)ctx;
	if (!p)
		return 0;
	page_set_flag(p, PG_pgtable); /* the physical map's "pagetable" (mm/physmap_report.c) */
	mod_vm_stat(NR_USER_PAGETABLES, 1);
	return page_to_phys(p);
}

static void user_table_free(void *ctx, phys_addr_t pa)
{
	struct page *p = pfn_to_page(phys_to_pfn(pa));

	(void)ctx;
	mod_vm_stat(NR_USER_PAGETABLES, -1);
	page_clear_flag(p, PG_pgtable);
	free_page(p);
}

struct mm_struct *mm_create(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	if (pgt_init(&mm->pgt, 0, USER_VA_BITS, user_table_alloc, user_table_free, NULL)) {
		kfree(mm);
		return NULL;
	}
	mm->pgt.user = true;
	mm->pgt.live = true; /* installed in TTBR0 when its task runs */
	mm->vma_tree = RB_ROOT;
	INIT_LIST_HEAD(&mm->vma_list);
	mm->mmap_base = USER_STACK_TOP - MMAP_STACK_RESERVE;
	return mm;
}

/*
 * Teardown in bounded steps. A sparse app (one page every 2 MiB over tens
 * of GiB) has one last-level table per page: freeing them all is seconds
 * of work. exit_mmap zaps one 2 MiB table span at a time and counts the
 * work done: EXIT_STEP_WORK per span visited plus one per page, swap
 * entry or table page freed; each EXIT_BATCH_WORK of it, it calls
 * resched (the caller's scheduling point). 512 is one dense span, or 16
 * spans of one page each.
 */
#define EXIT_STEP_WORK 32
#define EXIT_BATCH_WORK 512

static u64 mm_freeable(const struct mm_struct *mm)
{
	return mm_rss(mm) + mm->rss[MM_SWAPENTS] + mm->pgt.nr_tables;
}

void exit_mmap(struct mm_struct *mm, void (*resched)(void))
{
	u64 work = 0;

	/* TTBR0 no longer points at it and its ASID's TLB entries are gone:
	 * no break-before-make or TLB maintenance needed any more */
	mm->pgt.live = false;
	while (!list_empty(&mm->vma_list)) {
		struct vm_area_struct *v = list_first_entry(&mm->vma_list, struct vm_area_struct, list);

		for (u64 va = v->start; va < v->end;) {
			u64 next = MIN(ALIGN_DOWN(va, SZ_2M) + SZ_2M, v->end), before = mm_freeable(mm);

			zap_page_range(v, va, next);
			work += EXIT_STEP_WORK + before - mm_freeable(mm);
			va = next;
			if (resched && work >= EXIT_BATCH_WORK) {
				resched(); /* only this task changes mm's VMAs: v stays valid */
				work = 0;
			}
		}
		unaccount_vma(v);
		vma_unlink(mm, v);
		vma_free(v);
	}
	pgt_destroy(&mm->pgt);
	kfree(mm);
}

void mm_destroy(struct mm_struct *mm) { exit_mmap(mm, NULL); }

/* ---- overcommit accounting ------------------------------------------------ */

static u64 vma_pages(const struct vm_area_struct *v) { return (v->end - v->start) >> PAGE_SHIFT; }

/* Give back the charge of a VMA leaving the mm. */
static void unaccount_vma(const struct vm_area_struct *v)
{
	if (v->flags & VM_ACCOUNT)
		vm_unacct_memory(vma_pages(v));
}

/* Pages of [start, end) in VM_ACCOUNT VMAs (what MAP_FIXED gives back). */
static u64 accounted_pages(struct mm_struct *mm, u64 start, u64 end)
{
	struct vm_area_struct *v;
	u64 n = 0;

	for (v = find_vma(mm, start); v && v->start < end; v = vma_next(mm, v))
		if (v->flags & VM_ACCOUNT)
			n += (MIN(end, v->end) - MAX(start, v->start)) >> PAGE_SHIFT;
	return n;
}

/* Would mprotect to `want` charge v? Linux's mprotect_fixup: a private VMA
 * becoming writable that was never charged (nor writable, nor NORESERVE). */
static bool mprotect_charges(const struct vm_area_struct *v, u64 want)
{
	return (want & VM_WRITE) && !(v->flags & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE));
}

/* ---- helpers for range operations ---------------------------------------- */

static u64 prot_to_vm(unsigned prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/* Set a linked VMA's flags, keeping locked_vm right. */
static void set_vma_flags(struct mm_struct *mm, struct vm_area_struct *v, u64 flags)
{
	u64 pages = (v->end - v->start) >> PAGE_SHIFT;

	if ((v->flags ^ flags) & VM_LOCKED)
		mm->locked_vm += (flags & VM_LOCKED) ? pages : -pages;
	v->flags = flags;
}

/* Split so that no VMA straddles start or end. 0 or -ENOMEM (set unchanged). */
static int split_ends(struct mm_struct *mm, u64 start, u64 end)
{
	struct vm_area_struct *v = find_vma(mm, start), *lo = NULL;

	if (v && v->start < start) {
		if (!vma_split(mm, v, start))
			return -ENOMEM;
		lo = v;
	}
	v = vma_lookup(mm, end - 1);
	if (v && v->end > end && !vma_split(mm, v, end)) {
		if (lo)
			vma_merge(mm, lo); /* the two halves are compatible: one again */
		return -ENOMEM;
	}
	return 0;
}

/* Merge each VMA of [start, end) (split at both ends) with its neighbours,
 * and the one starting at end with what is then below it. */
static void merge_range(struct mm_struct *mm, u64 start, u64 end)
{
	struct vm_area_struct *v = find_vma(mm, start);

	while (v && v->start <= end) {
		v = vma_merge(mm, v);
		v = vma_next(mm, v);
	}
}

/* Is [start, end) covered by VMAs without a hole? */
static bool range_mapped(struct mm_struct *mm, u64 start, u64 end)
{
	struct vm_area_struct *v = find_vma(mm, start);
	u64 at = start;

	for (; v && v->start <= at && at < end; v = vma_next(mm, v))
		at = v->end;
	return at >= end;
}

/* Page-align [addr, addr + len) for mprotect/madvise: *end (addr if len is 0),
 * -EINVAL (addr unaligned) or -ENOMEM (the range wraps). */
static int user_range(u64 addr, u64 len, u64 *end)
{
	u64 aligned = ALIGN_UP(len, PAGE_SIZE) & USER_WORD_MASK; /* wraps in the app's word */

	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	*end = addr;
	if (!len)
		return 0;
	if (!aligned || ((addr + aligned) & USER_WORD_MASK) <= addr)
		return -ENOMEM;
	*end = addr + aligned;
	return 0;
}

/* Is [start, start + len) free, with the guard page below a stack kept? */
static bool range_free(struct mm_struct *mm, u64 start, u64 len)
{
	struct vm_area_struct *v = find_vma(mm, start);

	if (start < USER_VA_START || start > USER_VA_END - len)
		return false;
	if (!v)
		return true;
	if (v->flags & VM_GROWSDOWN)
		return v->start >= PAGE_SIZE && start + len <= v->start - PAGE_SIZE;
	return start + len <= v->start;
}

/* ---- munmap -------------------------------------------------------------- */

/* Remove [start, end) (page aligned) from mm, holes allowed. 0 or -ENOMEM. */
static int unmap_range(struct mm_struct *mm, u64 start, u64 end)
{
	struct vm_area_struct *v, *next, *prev, *after;
	u64 floor, ceiling;
	int rc = split_ends(mm, start, end);

	if (rc)
		return rc;
	/* the gap the unmap leaves: its table pages go without a scan (Linux's free_pgtables) */
	v = find_vma(mm, start);
	prev = v ? vma_prev(mm, v) : NULL;
	after = find_vma(mm, end);
	floor = prev ? prev->end : 0;
	ceiling = after ? after->start : USER_VA_END;
	for (; v && v->start < end; v = next) {
		next = vma_next(mm, v);
		/* nothing is mapped in [floor, ceiling) but v's range only up to the
		 * next VMA of the unmap, which is still to be zapped (the ones
		 * before are, already) */
		zap_page_range_gap(v, v->start, v->end, floor, next && next->start < end ? next->start : ceiling);
		unaccount_vma(v);
		vma_unlink(mm, v);
		vma_free(v);
	}
	return 0;
}

int do_munmap(struct mm_struct *mm, u64 addr, u64 len)
{
	if (!IS_ALIGNED(addr, PAGE_SIZE) || addr > USER_VA_END || len > USER_VA_END - addr)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len)
		return -EINVAL;
	return unmap_range(mm, addr, addr + len);
}

/* ---- mmap ---------------------------------------------------------------- */

/* Choose where a non-fixed mapping goes: the hint if free, else top-down. */
static u64 get_unmapped_area(struct mm_struct *mm, u64 hint, u64 len)
{
	hint = ALIGN_UP(hint, PAGE_SIZE);
	if (hint && range_free(mm, hint, len))
		return hint;
	return vma_find_gap_topdown(mm, len, USER_VA_START, mm->mmap_base);
}

s64 do_mmap(struct mm_struct *mm, u64 addr, u64 len, unsigned prot, unsigned flags,
	     struct address_space *file, u64 off, u64 vm_extra, const char *name)
{
	unsigned type = flags & (MAP_SHARED | MAP_PRIVATE);
	u64 vmf, pgoff;
	struct address_space *shm = NULL;
	struct vm_area_struct *v;
	u64 charged = 0;
	int rc;

	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (flags & MAP_ANONYMOUS)
		file = NULL; /* as Linux: the fd is ignored */
	else if (!file)
		return -EBADF;
	if (!len || (prot & ~PROT_ALL) || (type != MAP_SHARED && type != MAP_PRIVATE))
		return -EINVAL;
	if ((prot & PROT_WX) == PROT_WX)
		return -EACCES; /* W^X */
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len || len > USER_VA_END - USER_VA_START)
		return -ENOMEM;
	pgoff = off >> PAGE_SHIFT;
	if (flags & MAP_FIXED) {
		if (addr > USER_VA_END - len)
			return -ENOMEM;
		if (!IS_ALIGNED(addr, PAGE_SIZE))
			return -EINVAL;
		if (addr < USER_VA_START)
			return -EPERM; /* Linux: below mmap_min_addr */
	}

	vmf = prot_to_vm(prot) | VM_MAY_ALL | vm_extra;
	if (file) {
		if (!file->shmem && !file->ops)
			return -ENODEV;
		if (type == MAP_SHARED && file->ops) { /* an app-image file: read-only */
			if (prot & PROT_WRITE)
				return -EACCES;
			vmf &= ~VM_MAYWRITE;
		}
	} else if (type == MAP_SHARED) {
		pgoff = 0;
	}
	if (type == MAP_SHARED)
		vmf |= VM_SHARED;
	if ((flags & MAP_NORESERVE) && get_overcommit().mode != OVERCOMMIT_NEVER)
		vmf |= VM_NORESERVE; /* as Linux: mode 2 charges it anyway */
	if ((vmf & (VM_SHARED | VM_WRITE | VM_NORESERVE)) == VM_WRITE)
		vmf |= VM_ACCOUNT;

	if (!(flags & MAP_FIXED)) {
		addr = get_unmapped_area(mm, addr, len);
		if (!addr)
			return -ENOMEM;
	}
	if (vmf & VM_ACCOUNT) {
		u64 replacing = (flags & MAP_FIXED) ? accounted_pages(mm, addr, addr + len) : 0;

		if (vm_enough_memory(len >> PAGE_SHIFT, replacing))
			return -ENOMEM;
		charged = len >> PAGE_SHIFT;
	}
	if (!file && type == MAP_SHARED) {
		shm = shmem_create(len);
		if (!shm)
			return -ENOMEM; /* shared: nothing charged */
		file = shm;
	}
	v = vma_alloc(mm, addr, addr + len, vmf, file, pgoff, name);
	if (shm)
		address_space_put(shm); /* the VMA holds the only reference now */
	if (!v || ((flags & MAP_FIXED) && unmap_range(mm, addr, addr + len))) {
		vma_free(v);
		vm_unacct_memory(charged);
		return -ENOMEM;
	}
	rc = vma_link(mm, v);
	BUG_ON(rc);
	v = vma_merge(mm, v);
	if (flags & MAP_POPULATE)
		(void)populate_range(v, addr, addr + len); /* as Linux: failures show up as faults later */
	return (s64)addr;
}

/* ---- mprotect ------------------------------------------------------------ */

int do_mprotect(struct mm_struct *mm, u64 addr, u64 len, unsigned prot)
{
	struct vm_area_struct *v;
	u64 end, want = prot_to_vm(prot), charge = 0;
	int rc = user_range(addr, len, &end);

	if (rc || end == addr)
		return rc;
	if (prot & ~PROT_ALL)
		return -EINVAL;
	if ((prot & PROT_WX) == PROT_WX)
		return -EACCES; /* W^X */
	if (!range_mapped(mm, addr, end))
		return -ENOMEM;
	for (v = find_vma(mm, addr); v && v->start < end; v = vma_next(mm, v))
		if (want & ~(v->flags >> 4) & VM_PROT_MASK) /* VM_MAYx == VM_x << 4 */
			return -EACCES;
	for (v = find_vma(mm, addr); v && v->start < end; v = vma_next(mm, v))
		if (mprotect_charges(v, want))
			charge += (MIN(end, v->end) - MAX(addr, v->start)) >> PAGE_SHIFT;
	if (charge && vm_enough_memory(charge, 0))
		return -ENOMEM;
	rc = split_ends(mm, addr, end);
	if (rc) {
		vm_unacct_memory(charge);
		return rc;
	}
	for (v = find_vma(mm, addr); v && v->start < end; v = vma_next(mm, v)) {
		u64 old = v->flags;

		if (mprotect_charges(v, want))
			old |= VM_ACCOUNT; /* charged above */
		set_vma_flags(mm, v, (old & ~VM_PROT_MASK) | want);
		change_protection(v, v->start, v->end);
		/* as Linux: a locked private VMA made writable breaks COW now */
		if ((old & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED && (want & VM_WRITE))
			(void)populate_range(v, v->start, v->end);
	}
	merge_range(mm, addr, end);
	return 0;
}

/* ---- brk ----------------------------------------------------------------- */

u64 do_brk(struct mm_struct *mm, u64 newbrk)
{
	u64 oldbrk = mm->brk, old_end = ALIGN_UP(oldbrk, PAGE_SIZE), new_end;
	struct vm_area_struct *v;

	if (!mm->start_brk || newbrk < mm->start_brk || newbrk > USER_VA_END)
		return oldbrk;
	new_end = ALIGN_UP(newbrk, PAGE_SIZE);
	if (new_end < old_end) {
		if (unmap_range(mm, new_end, old_end))
			return oldbrk;
	} else if (new_end > old_end) {
		u64 pages = (new_end - old_end) >> PAGE_SHIFT;

		if (!range_free(mm, old_end, new_end - old_end) || vm_enough_memory(pages, 0))
			return oldbrk;
		v = vma_alloc(mm, old_end, new_end, VM_READ | VM_WRITE | VM_MAY_ALL | VM_HEAP | VM_ACCOUNT, NULL, 0,
			      "[heap]");
		if (!v) {
			vm_unacct_memory(pages);
			return oldbrk;
		}
		BUG_ON(vma_link(mm, v));
		vma_merge(mm, v);
	}
	mm->brk = newbrk;
	return newbrk;
}

/* ---- madvise ------------------------------------------------------------- */

int do_madvise(struct mm_struct *mm, u64 addr, u64 len, int advice)
{
	struct vm_area_struct *v;
	u64 end, set = 0;
	int rc = user_range(addr, len, &end);

	switch (advice) {
	case MADV_RANDOM: set = VM_RAND_READ; break;
	case MADV_SEQUENTIAL: set = VM_SEQ_READ; break;
	case MADV_NORMAL: case MADV_WILLNEED: case MADV_DONTNEED: case MADV_COLD: case MADV_PAGEOUT: break;
	default: return -EINVAL;
	}
	if (rc)
		return rc == -ENOMEM ? -EINVAL : rc; /* Linux: an overflowing range is -EINVAL here */
	if (end == addr)
		return 0;
	if (advice == MADV_DONTNEED)
		for (v = find_vma(mm, addr); v && v->start < end; v = vma_next(mm, v))
			if (v->flags & VM_LOCKED)
				return -EINVAL;
	if (advice <= MADV_SEQUENTIAL) { /* VMA flags: split, set, merge */
		rc = split_ends(mm, addr, end);
		if (rc)
			return rc;
		for (v = find_vma(mm, addr); v && v->start < end; v = vma_next(mm, v))
			set_vma_flags(mm, v, (v->flags & ~(VM_RAND_READ | VM_SEQ_READ)) | set);
		merge_range(mm, addr, end);
	} else {
		for (v = find_vma(mm, addr); v && v->start < end; v = vma_next(mm, v)) {
			u64 s = MAX(addr, v->start), e = MIN(end, v->end);

			if (advice == MADV_DONTNEED)
				zap_page_range(v, s, e);
			else if ((advice == MADV_COLD || advice == MADV_PAGEOUT) && (v->flags & VM_LOCKED))
				continue; /* Linux skips mlocked VMAs for these */
			else if (advice == MADV_COLD)
				madvise_cold_range(v, s, e);
			else if (advice == MADV_PAGEOUT)
				madvise_pageout_range(v, s, e);
			else if (v->file && (rc = readahead_range(v, s, e)))
				return rc;
		}
	}
	return range_mapped(mm, addr, end) ? 0 : -ENOMEM;
}

/* ---- mlock --------------------------------------------------------------- */

/* mlock's range as Linux rounds it: the start down to its page, the length
 * over the partial first page and up to pages. 0 and [*start, *end) (empty
 * if len rounds to nothing), or -EINVAL if the range wraps. */
static int lock_range(u64 addr, u64 len, u64 *start, u64 *end)
{
	u64 off = addr & (PAGE_SIZE - 1), total = (len + off) & USER_WORD_MASK;
	u64 aligned = ALIGN_UP(total, PAGE_SIZE) & USER_WORD_MASK; /* wraps in the app's word */

	*start = addr - off;
	*end = *start;
	if (total < len || (total && !aligned) || ((*start + aligned) & USER_WORD_MASK) < *start)
		return -EINVAL;
	*end = *start + aligned;
	return 0;
}

/* Fault in the VMAs of [start, end) (split there) that mlock is about to
 * lock; on failure unmap every page this mapped. 0, -EAGAIN (no memory)
 * or -ENOMEM (a page could not be read in, as Linux maps -EFAULT). PROT_NONE
 * VMAs are locked with nothing to fault in (as Linux). */
static int populate_for_lock(struct mm_struct *mm, u64 start, u64 end)
{
	struct populate_log log = POPULATE_LOG_INIT(log);
	struct vm_area_struct *v;
	int rc = 0;

	/* reclaim (in the faults' allocations) must not take back what this
	 * faults in before mlock_range marks it: VM_LOCKING while populating */
	for (v = find_vma(mm, start); v && v->start < end; v = vma_next(mm, v))
		v->flags |= VM_LOCKING;
	for (v = find_vma(mm, start); v && v->start < end && !rc; v = vma_next(mm, v))
		if (!(v->flags & VM_LOCKED) && (v->flags & VM_PROT_MASK))
			rc = populate_range_logged(v, v->start, v->end, &log);
	for (v = find_vma(mm, start); v && v->start < end; v = vma_next(mm, v))
		v->flags &= ~VM_LOCKING;
	populate_log_end(mm, &log, rc != 0);
	return rc == -ENOMEM ? -EAGAIN : rc ? -ENOMEM : 0;
}

int do_mlock(struct mm_struct *mm, u64 addr, u64 len, bool lock)
{
	struct vm_area_struct *v;
	u64 start, end;
	int rc = lock_range(addr, len, &start, &end);

	if (rc || end == start)
		return rc;
	if (!range_mapped(mm, start, end))
		return -ENOMEM;
	rc = split_ends(mm, start, end);
	if (rc)
		return rc;
	/* fault everything in first, so that a failure leaves the flags alone */
	if (lock)
		rc = populate_for_lock(mm, start, end);
	for (v = find_vma(mm, start); !rc && v && v->start < end; v = vma_next(mm, v)) {
		if (!(v->flags & VM_LOCKED) == !lock)
			continue; /* already as asked */
		set_vma_flags(mm, v, lock ? v->flags | VM_LOCKED : v->flags & ~VM_LOCKED);
		mlock_range(v, v->start, v->end, lock);
	}
	merge_range(mm, start, end);
	return rc;
}
