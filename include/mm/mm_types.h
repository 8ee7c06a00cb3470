/*
 * Address spaces of EL0 apps: the structures shared by the VMA code
 * (mm/vma.c, mm/mmap.c), the fault path (mm/memory.c), the reverse map
 * (mm/rmap.c), the page cache (mm/filemap.c) and the reports.
 *
 *   user VA (TTBR0, 0 .. USER_VA_END: 512 GiB on AArch64, 3 GiB on ARMv7-A,
 *   the platform's arch/user_va.h)
 *   0x0000_0000_0000  unmapped (NULL pages, USER_VA_START = 64 KiB)
 *   0x0000_0040_0000  program text (file, r-x), data (file, rw- private), bss (anon)
 *                     [heap]: brk area, grows up from the end of bss
 *                     ... free ...
 *   mmap_base         mmap() allocates top-down below here
 *                     [stack] (anon, grows down to its fixed size) + 1 guard page
 *   USER_STACK_TOP
 *
 * Terminology (Linux's): a VMA is a page-aligned range [start, end) with
 * one set of permissions and one backing. Anonymous VMAs have no file;
 * their pages are "anon" and found by the reverse map through the VMA's
 * anon_vma. File VMAs map an address_space (the page cache of one file of
 * the app image, or a shmem object for MAP_SHARED|MAP_ANONYMOUS) from page
 * pgoff on. A private file VMA starts out sharing the page-cache pages
 * read-only and copies a page on the first write (COW); the copy is anon.
 *
 * struct page fields used for mapped pages (see include/mm/page.h):
 *   mapcount  PTEs that map the page (all mms)
 *   mapping   anon: (struct anon_vma *) | PAGE_MAPPING_ANON
 *             file/shmem: the struct address_space
 *   index     anon: user VA >> PAGE_SHIFT at the first fault (no mremap,
 *             so it never changes); file: offset in the file, in pages
 *   lru       on an LRU list (PG_lru), mm/lru.c
 *   refcount  one per mapping + one for the page cache + temporary gets
 *
 * Locking: one CPU and a kernel that is not preempted (tasks switch only
 * in schedule(), called from syscalls and on return to EL0), so the mm
 * structures have no lock of their own yet; interrupt handlers never touch
 * them. The lock order of all of mm, with the locks reclaim and SMP will
 * add, is the table at the top of mm/rmap.c.
 */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H

#include <arch/user_va.h> /* USER_VA_END */
#include <lib/list.h>
#include <lib/rbtree.h>
#include <mm/pgtable.h>
#include <types.h>

#define USER_VA_START 0x10000ULL           /* below: never mapped (NULL derefs fault) */
#define USER_STACK_TOP (USER_VA_END - SZ_1G) /* a gap above the stack */

/* vm_area_struct.flags */
#define VM_READ 0x1ULL
#define VM_WRITE 0x2ULL
#define VM_EXEC 0x4ULL
#define VM_SHARED 0x8ULL
#define VM_MAYREAD 0x10ULL   /* mprotect may add PROT_READ */
#define VM_MAYWRITE 0x20ULL  /* mprotect may add PROT_WRITE (not for read-only files) */
#define VM_MAYEXEC 0x40ULL
#define VM_GROWSDOWN 0x100ULL /* the stack (reported as [stack]) */
#define VM_LOCKED 0x2000ULL  /* mlock: populated, pages PG_mlocked */
#define VM_LOCKING 0x4000ULL /* mlock is populating it: reclaim treats it as locked */
#define VM_HEAP 0x10000ULL    /* the brk area ([heap]) */
#define VM_ACCOUNT 0x100000ULL   /* its pages are charged to Committed_AS (mm/commit.c) */
#define VM_NORESERVE 0x200000ULL /* MAP_NORESERVE in overcommit mode 0/1: never charged */
#define VM_RAND_READ 0x20000ULL /* MADV_RANDOM */
#define VM_SEQ_READ 0x40000ULL  /* MADV_SEQUENTIAL */
#define VM_PROT_MASK (VM_READ | VM_WRITE | VM_EXEC)

struct mm_struct;
struct address_space;

/* How an address_space's pages are read in (the app-image driver). */
struct address_space_ops {
	/* Fill the page at kernel VA dst with bytes [index*4K, index*4K+4K) of
	 * the file, zero past its end. 0 or a negative errno (-EIO). */
	int (*readpage)(struct address_space *as, u64 index, void *dst);
};

/*
 * The page cache of one file (or a shmem object: ops == NULL, pages start
 * zeroed, swap-backed later). Pages stay cached after their last unmap
 * (Cached in meminfo) until reclaim (issue 7) or address_space_release().
 */
struct address_space {
	const char *name;      /* path shown in maps, e.g. "/apps/demo"; "/dev/zero (deleted)" for shmem */
	u64 size;              /* bytes */
	u64 nr_slots;          /* DIV_ROUND_UP(size, PAGE_SIZE) */
	struct page **pages;   /* [nr_slots]: cached page or NULL (allocated at create) */
	u64 *evicted;          /* bitmap [nr_slots]: dropped by reclaim, not read back yet
				* (a major fault on one is a workingset refault) */
	u64 nrpages;           /* cached pages */
	u64 swapped;           /* shmem: slots of pages[] holding a swap entry instead */
	const struct address_space_ops *ops; /* NULL: shmem */
	void *host;            /* the owner's data (e.g. the flash offset) */
	struct list_head i_mmap; /* VMAs mapping it (vm_area_struct.shared_link) */
	u32 ino;               /* inode number shown in maps */
	u32 refs;              /* VMAs + owner references; freed at 0 (shmem) */
	bool shmem;
};

/* All VMAs whose anon pages may point here (one per anon VMA, shared by its split halves). */
struct anon_vma {
	struct list_head vmas; /* vm_area_struct.anon_link */
	u32 refs;              /* VMAs on the list */
};

struct vm_area_struct {
	u64 start, end;        /* [start, end), page aligned */
	u64 flags;             /* VM_* */
	struct mm_struct *mm;
	struct address_space *file; /* NULL: anonymous */
	u64 pgoff;             /* file page mapped at start (anon: start >> PAGE_SHIFT) */
	struct anon_vma *anon_vma; /* created at the first anon page (or COW copy) */
	const char *name;      /* "[heap]", "[stack]" or NULL (file name / anonymous) */
	struct rb_node rb;     /* mm->vma_tree, keyed by start */
	struct list_head list; /* mm->vma_list, sorted by start */
	struct list_head shared_link; /* file->i_mmap */
	struct list_head anon_link;   /* anon_vma->vmas */
};

/* Per-mm resident-page counters (Linux's MM_FILEPAGES etc.), in pages. */
enum mm_counter { MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES, MM_SWAPENTS, NR_MM_COUNTERS };

/* A per-app limit on resident + swap pages (Linux's memsw), mm/budget.c. */
struct mm_budget {
	u64 limit;             /* pages; 0 = no limit */
	u64 max_usage;         /* peak of resident + swap seen at a charge */
	u64 failcnt;           /* charges that found the limit reached */
	u64 reclaimed;         /* pages the budget's own reclaim unmapped */
};

struct mm_struct {
	struct pgtable pgt;    /* TTBR0 tables: pgt.user = true, pgt.asid = current hw ASID */
	u64 asid;              /* generation << 16 | asid, from mm/asid.c; 0 = none yet */
	struct rb_root vma_tree;
	struct list_head vma_list;
	u32 map_count;         /* VMAs */
	struct vm_area_struct *vma_cache; /* last VMA found (lookup shortcut) */
	u64 start_code, end_code, start_data, end_data;
	u64 start_brk, brk;    /* heap: [start_brk, brk) */
	u64 start_stack;       /* initial SP */
	u64 mmap_base;         /* top-down mmap search starts below here */
	u64 total_vm;          /* pages in VMAs (VSS) */
	u64 locked_vm;         /* pages in VM_LOCKED VMAs */
	u64 rss[NR_MM_COUNTERS];
	u64 hiwater_rss;       /* peak of anon + file + shmem */
	u64 min_flt, maj_flt;  /* faults handled (one task per mm) */
	u64 spurious_va;       /* the last spurious fault (mm/memory.c): its page, */
	u64 spurious_pte;      /* the PTE it found, and how many came in a row */
	u32 spurious_count;    /* there with that PTE (0: none pending) */
	void *owner;           /* the task (for reports), set by the kernel */
	struct mm_budget budget; /* resident + swap limit (mm/budget.c) */
};

static inline u64 mm_rss(const struct mm_struct *mm)
{
	return mm->rss[MM_ANONPAGES] + mm->rss[MM_FILEPAGES] + mm->rss[MM_SHMEMPAGES];
}

#define PAGE_MAPPING_ANON 0x1UL

#endif
