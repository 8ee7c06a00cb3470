/*
 * The page level of user address spaces (mm/memory.c): the fault handler
 * and the range operations mm/mmap.c builds on. Independent of the CPU:
 * the PTE is read and written through mm/pgtable.c, so it all runs on the
 * host too.
 *
 * PTE permissions of a user page (MMU_USER | MMU_NG always):
 *   VMA readable           -> MMU_READ
 *   VMA executable         -> MMU_EXEC
 *   VMA writable and the page is the mm's own (anon, exclusively mapped,
 *   or a shared-file page)  -> MMU_WRITE; otherwise read-only, and a write
 *   fault copies (COW) or, for the zero page, allocates.
 * A PROT_NONE VMA has no PTEs.
 */
#ifndef MM_MEMORY_H
#define MM_MEMORY_H

#include <mm/mm_types.h>

/* Fault access bits */
#define FAULT_READ 0x1u
#define FAULT_WRITE 0x2u
#define FAULT_EXEC 0x4u
#define FAULT_USER 0x8u   /* from EL0 (vs. the kernel's uaccess) */

/* What a fault was, decided before anything changes (fault_classify). */
enum fault_kind {
	FAULT_KIND_ZERO,        /* minor: read of untouched anon -> the zero page, read-only */
	FAULT_KIND_ANON,        /* minor: write of untouched anon -> new zeroed page */
	FAULT_KIND_COW,         /* minor: write to a read-only private page (zero, file or shared anon) -> copy */
	FAULT_KIND_REUSE,       /* minor: write to a read-only anon page we alone map -> make writable */
	FAULT_KIND_FILE_CACHED, /* minor: file page already in the page cache -> map it */
	FAULT_KIND_FILE_READ,   /* major: file page read from the app image into the cache */
	FAULT_KIND_SHMEM,       /* minor: shmem page (new zeroed or cached) */
	FAULT_KIND_SWAP,        /* major: swap entry -> the page read back by the swap backend */
	FAULT_KIND_ACCESSED,    /* minor: the PTE allows it but is old (AF clear) -> made young */
	FAULT_KIND_SPURIOUS,    /* the PTE already allows the access (TLB was stale) */
	/* failures: the app gets a signal */
	FAULT_KIND_MAPERR,      /* SIGSEGV: no VMA at the address */
	FAULT_KIND_ACCERR,      /* SIGSEGV: the VMA does not allow the access */
	FAULT_KIND_GUARD,       /* SIGSEGV: the stack's guard page (stack overflow) */
	FAULT_KIND_SIGBUS,      /* SIGBUS: file VMA beyond the end of its file */
	FAULT_KIND_OOM,         /* no memory for the page or a table */
	FAULT_KIND_NOPROGRESS,  /* SIGSEGV: the PTE allows the access, yet the CPU faults again
				 * at the same page with the same PTE after a TLB invalidate */
	FAULT_KIND_SWAPERR,     /* SIGBUS: a swap entry that cannot be read back (no swap
				 * backend, a broken entry, or the backend's I/O error) */
	NR_FAULT_KINDS
};

struct fault_info {
	enum fault_kind kind;
	bool major;                  /* I/O was done */
	struct vm_area_struct *vma;  /* the VMA involved (NULL for MAPERR) */
	u64 addr;                    /* faulting address */
	unsigned access;             /* FAULT_* */
};

/* The state of the PTE at the faulting address, as fault_classify sees it. */
struct pte_state {
	bool swap;        /* not present but not none: a swap entry */
	bool present;
	bool young;       /* present and its access flag set */
	bool writable;
	bool executable;
	bool zero_page;   /* maps the shared zero page */
	bool exclusive;   /* anon page mapped once (mapcount 1, not in a cache) */
};

/*
 * Decide what to do: pure, no side effects (host-tested exhaustively).
 * vma may be NULL (no VMA); guard says addr is in a stack guard page.
 */
enum fault_kind fault_classify(const struct vm_area_struct *vma, bool guard,
			       const struct pte_state *pte, unsigned access);

/*
 * Handle a fault at addr in mm: classify, then map/copy/read in. Returns 0
 * (fi->kind says what was done; mm->min_flt or maj_flt counted) or a
 * negative errno: -EFAULT (MAPERR/GUARD/NOPROGRESS), -EACCES (ACCERR),
 * -EIO (SIGBUS, SWAPERR or a failed read), -ENOMEM (OOM). fi is filled in either case.
 * A fault whose PTE already allows the access (SPURIOUS) is retried once
 * after invalidating the page's TLB entry; SPURIOUS_MAX in a row at the
 * same page with the same PTE make NOPROGRESS instead of a retry loop.
 */
#define SPURIOUS_MAX 3
int handle_mm_fault(struct mm_struct *mm, u64 addr, unsigned access, struct fault_info *fi);

/*
 * The swap backend (mm/swap.c registers zram0): how a swap entry's page
 * comes back and how its slot is released. Without one, a fault on a swap
 * entry is SWAPERR (never a zero page) and zap just clears the entry.
 * swap_in: fill page (fresh, not mapped) with the data of slot (type,
 *   offset); 0 or -EIO/-ENOMEM. The PTE's hold on the slot stays (the
 *   fault releases it with swap_free once the page is mapped). For a read
 *   (write false) the backend may keep the page in its swap cache
 *   (PG_swapcache): its stored copy stays valid, so the page is mapped
 *   read-only and a later write fault calls cache_drop first.
 * swap_free: one PTE holding (type, offset) is gone.
 * cache_drop: page leaves the swap cache (before it turns writable or is
 *   freed); may be NULL for a backend without a cache.
 */
struct swap_ops {
	int (*swap_in)(unsigned type, u64 offset, struct page *page, bool write);
	void (*swap_free)(unsigned type, u64 offset);
	void (*cache_drop)(struct page *page);
};
/* Install ops as the swap backend (NULL: none). */
void swap_ops_register(const struct swap_ops *ops);
/* The installed backend, or NULL (the page cache's swapped shmem pages). */
const struct swap_ops *swap_ops_current(void);
/* Make the swap entry (type, offset) the PTE of the 4 KiB page at va of
 * vma, where nothing is mapped; counted in MM_SWAPENTS. 0, -EEXIST
 * (something is there) or -ENOMEM (no table page). For reclaim and tests. */
int set_swap_pte(struct vm_area_struct *vma, u64 va, unsigned type, u64 offset);

/* Human-readable name of a kind ("zero-page", "cow", ...) for reports/stats. */
const char *fault_kind_name(enum fault_kind k);
/* Global count of each kind since boot (for the fault report and tests). */
extern u64 fault_kind_count[NR_FAULT_KINDS];

/* Drop every page mapped in [start, end) of vma: PTEs cleared (TLB flushed
 * by ASID), rmap and counters updated, page references put. */
void zap_page_range(struct vm_area_struct *vma, u64 start, u64 end);
/* zap_page_range where nothing is mapped in [floor, ceiling) outside
 * [start, end) (munmap: the gap between the neighbouring VMAs): the table
 * pages inside the gap are freed without being scanned. */
void zap_page_range_gap(struct vm_area_struct *vma, u64 start, u64 end, u64 floor, u64 ceiling);
/* Unmap up to nr clean page-cache pages (not COW copies, not shmem) from
 * vma's mm only, skipping and aging young PTEs if old_only; none from a
 * locked VMA. The pages stay cached. Returns the pages unmapped. */
u64 unmap_file_pages(struct vm_area_struct *vma, u64 nr, bool old_only);
/* Re-derive the PTE permissions of [start, end) of vma from vma->flags
 * (after mprotect). */
void change_protection(struct vm_area_struct *vma, u64 start, u64 end);
/* Fault in every page of [start, end) of vma as a read, or a write if the
 * VMA is writable (mlock, MAP_POPULATE). 0 or -ENOMEM/-EIO. */
int populate_range(struct vm_area_struct *vma, u64 start, u64 end);

/* What populate_range_logged mapped where no page was mapped before, as
 * runs of VAs, so that a failed mlock can take it back. Initialise with
 * POPULATE_LOG_INIT(log); populate_log_end releases it. */
struct populate_run {
	u64 start, end;
};
struct populate_log {
	unsigned n, cap;
	struct populate_run *runs; /* inline, or kmalloc'd once it outgrows it */
	struct populate_run inline_runs[4];
};
#define POPULATE_LOG_INIT(log) { 0, 4, (log).inline_runs, { { 0, 0 } } }
/* populate_range that logs into log; also -ENOMEM if the log cannot grow. */
int populate_range_logged(struct vm_area_struct *vma, u64 start, u64 end, struct populate_log *log);
/* Release log; with undo, first unmap every page it logged in mm (the
 * VMAs must be the ones populated: no split or merge since). */
void populate_log_end(struct mm_struct *mm, struct populate_log *log, bool undo);
/* Read file pages of [start, end) of vma into the page cache without
 * mapping them (MADV_WILLNEED). 0 or -EIO/-ENOMEM. */
int readahead_range(struct vm_area_struct *vma, u64 start, u64 end);
/* Set/clear PG_mlocked on the pages of [start, end) (mlock accounting). */
void mlock_range(struct vm_area_struct *vma, u64 start, u64 end, bool lock);

/* Drop one reference to a user page (anon or page cache); the last one
 * takes it off its LRU list and out of Mlocked, clears its user state and
 * frees it. The page cache holds its own reference on cached pages. */
void put_user_page(struct page *p);

/* The shared zero page (one, reserved, never freed; mapped read-only). */
extern struct page *zero_page;
/* Allocate the zero page and the page-level caches (boot, after the page allocator). */
void memory_init_user(void);

#endif
