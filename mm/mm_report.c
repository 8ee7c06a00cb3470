/*
 * Per-address-space memory and Linux's /proc/<pid>/maps, smaps and
 * smaps_rollup (include/mm/mm_report.h); the layouts are Linux 5.12-5.19's
 * (fs/proc/task_mmu.c), like the other reports (mm/report.c).
 *
 * Counting walks the mm's page table over each VMA (pgt_for_each_leaf),
 * one struct page per resident 4 KiB (a block leaf counts as its pages):
 *
 *   rss        every resident page but the zero page (Linux's
 *              vm_normal_page() does not count it either) and frames
 *              outside the page array
 *   pss        PAGE_SIZE << PSS_SHIFT, divided by the page's mapcount when
 *              >= 2; the division is per page, the fraction kept in the
 *              PSS_SHIFT bits and dropped only when printed in kB
 *   shared     mapcount >= 2, else private (= uss)
 *   dirty      anon pages (written, or copied on write: the only copy of
 *              their data is in RAM) and page-cache pages with PG_dirty;
 *              other page-cache pages are clean
 *   referenced every resident page (no access-flag aging until reclaim)
 *   anonymous  page->mapping is an anon_vma
 *   locked     resident bytes in VM_LOCKED VMAs (struct mem_usage);
 *              smaps' "Locked:" is Linux's PSS of those pages instead
 *   swap       PAGE_SIZE per swap PTE of the range (pgt_for_each_entry)
 *   swap_pss   per swap PTE, PAGE_SIZE << PSS_SHIFT divided by the swap
 *              PTEs holding its slot (swap_pte_count) when >= 2: Linux's
 *              SwapPss, with the same per-entry division and truncation
 *              to kB at print time as pss
 *
 * maps line, Linux's show_vma_header_prefix() then the name column:
 *
 *   00400000-00452000 r-xp 00000000 00:00 2          ...          /apps/demo
 *   start    end      perms offset dev   inode         name at offset 73
 *
 * perms: r/w/x from VM_READ/WRITE/EXEC, then 's' (VM_SHARED) or 'p'.
 * offset: pgoff << PAGE_SHIFT for file VMAs, 0 for anonymous ones. The
 * header is padded with blanks to 72 columns, then one blank and the name
 * (a longer header gets just the blank); a VMA without a name ends after
 * the inode's trailing blank, as in Linux. Names: the file's, else
 * vma->name, else [heap] (VM_HEAP) or [stack] (VM_GROWSDOWN).
 *
 * VmFlags: Linux's two-letter codes in Linux's bit order, for the flags
 * that exist here: VM_SHARED shows as "sh" and "ms" (Pagoda has no
 * separate VM_MAYSHARE), and "ac" (VM_ACCOUNT, charged to overcommit) is
 * derived as Linux sets it: private and writable. VM_HEAP has no code.
 *
 * Locking: none (include/mm/mm_types.h); the caller runs in the kernel
 * on one CPU, so the tables and VMAs cannot change during a report.
 */
#include <arch/layout.h>
#include <mm/memory.h>
#include <mm/mm_report.h>
#include <mm/rmap.h>
#include <mm/swap.h>
#include <mm/vma.h>
#include <string.h>

#define ULL(x) ((unsigned long long)(x))
#define MAPS_PAD (25 + 8 * 6 - 1) /* Linux's seq_setwidth() for 64-bit: the name follows at 73 */

/* What smaps needs beyond struct mem_usage (<< PSS_SHIFT). */
struct smaps_usage {
	struct mem_usage u;
	u64 pss_anon, pss_file, pss_shmem, pss_locked;
};

struct walk_ctx {
	struct smaps_usage *s;
	bool locked;
};

static void account_page(struct smaps_usage *s, struct page *p, bool locked)
{
	struct mem_usage *u = &s->u;
	bool anon = page_is_anon(p);
	const struct address_space *as = page_file_mapping(p);
	bool dirty = anon || PAGE_FLAG(p, PG_dirty);
	bool shared = p->mapcount >= 2;
	u64 pss = (u64)PAGE_SIZE << PSS_SHIFT;

	if (shared)
		pss /= (u64)p->mapcount;
	u->rss += PAGE_SIZE;
	u->pss += pss;
	u->referenced += PAGE_SIZE;
	if (shared) {
		*(dirty ? &u->shared_dirty : &u->shared_clean) += PAGE_SIZE;
	} else {
		u->uss += PAGE_SIZE;
		*(dirty ? &u->private_dirty : &u->private_clean) += PAGE_SIZE;
	}
	if (anon) {
		u->anonymous += PAGE_SIZE;
		s->pss_anon += pss;
	} else if (as && as->shmem) {
		s->pss_shmem += pss;
	} else {
		s->pss_file += pss;
	}
	if (locked) {
		u->locked += PAGE_SIZE;
		s->pss_locked += pss;
	}
}

static void walk_leaf(void *arg, u64 va, phys_addr_t pa, u64 size, int level, unsigned attrs)
{
	struct walk_ctx *w = arg;

	(void)va, (void)level, (void)attrs;
	for (u64 off = 0; off < size; off += PAGE_SIZE) {
		u64 pfn = phys_to_pfn(pa + off);
		struct page *p;

		if (!pfn_valid(pfn))
			continue;
		p = pfn_to_page(pfn);
		if (p == zero_page)
			continue;
		account_page(w->s, p, w->locked);
	}
}

static void walk_swap(void *arg, u64 va, pte_t pte, int level)
{
	struct mem_usage *u = &((struct walk_ctx *)arg)->s->u;
	u64 pss = (u64)PAGE_SIZE << PSS_SHIFT;
	unsigned sharers;

	(void)va, (void)level; /* swap entries are 4 KiB PTEs (platform/common/include/arch/long_desc.h) */
	if (!arch_pte_is_swap(pte))
		return;
	sharers = swap_pte_count(arch_pte_swap_offset(pte));
	if (sharers >= 2)
		pss /= sharers;
	u->swap += PAGE_SIZE;
	u->swap_pss += pss;
}

static void smaps_vma(struct vm_area_struct *vma, struct smaps_usage *s)
{
	struct walk_ctx w = { s, (vma->flags & VM_LOCKED) != 0 };

	s->u.size += vma->end - vma->start;
	pgt_for_each_entry(&vma->mm->pgt, vma->start, vma->end - 1, walk_leaf, walk_swap, &w);
}

void vma_usage(struct vm_area_struct *vma, struct mem_usage *u)
{
	struct smaps_usage s = { .u = *u };

	smaps_vma(vma, &s);
	*u = s.u;
}

/* Adds to u, like vma_usage (u may already hold other mms' sums). */
void mm_usage(struct mm_struct *mm, struct mem_usage *u)
{
	struct vm_area_struct *vma;

	for_each_vma(mm, vma)
		vma_usage(vma, u);
}

/* ---- maps ------------------------------------------------------------------ */

static const char *vma_name(const struct vm_area_struct *vma)
{
	if (vma->file)
		return vma->file->name;
	if (vma->name)
		return vma->name;
	if (vma->flags & VM_HEAP)
		return "[heap]";
	if (vma->flags & VM_GROWSDOWN)
		return "[stack]";
	return NULL;
}

/* Linux's show_vma_header_prefix() + the padded name (name may be NULL). */
static void maps_line(FILE *f, u64 start, u64 end, u64 flags, u64 offset, u32 ino, const char *name)
{
	int len = fprintf(f, "%08llx-%08llx %c%c%c%c %08llx 00:00 %u ", ULL(start), ULL(end),
			  flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-',
			  flags & VM_SHARED ? 's' : 'p', ULL(offset), ino);

	if (name)
		fprintf(f, "%*s%s", len < MAPS_PAD ? MAPS_PAD - len + 1 : 1, "", name);
	fputc('\n', f);
}

void show_map_vma(FILE *f, const struct vm_area_struct *vma)
{
	u64 offset = vma->file ? vma->pgoff << PAGE_SHIFT : 0;

	maps_line(f, vma->start, vma->end, vma->flags, offset, vma->file ? vma->file->ino : 0, vma_name(vma));
}

void show_maps(FILE *f, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	for_each_vma(mm, vma)
		show_map_vma(f, vma);
}

/* ---- smaps ----------------------------------------------------------------- */

/* Linux's SEQ_PUT_DEC: the label as Linux spells it (padded to 16
 * columns), the kB value right-aligned in width. */
static void kb_line(FILE *f, const char *label, int width, u64 bytes)
{
	fprintf(f, "%s%*llu kB\n", label, width, ULL(bytes >> 10));
}

static void kb(FILE *f, const char *label, u64 bytes) { kb_line(f, label, 8, bytes); }
static u64 pss_bytes(u64 pss) { return pss >> PSS_SHIFT; }

static void show_smap_counts(FILE *f, const struct smaps_usage *s, bool rollup)
{
	const struct mem_usage *u = &s->u;

	kb(f, "Rss:            ", u->rss);
	kb(f, "Pss:            ", pss_bytes(u->pss));
	if (rollup) {
		kb(f, "Pss_Anon:       ", pss_bytes(s->pss_anon));
		kb(f, "Pss_File:       ", pss_bytes(s->pss_file));
		kb(f, "Pss_Shmem:      ", pss_bytes(s->pss_shmem));
	}
	kb(f, "Shared_Clean:   ", u->shared_clean);
	kb(f, "Shared_Dirty:   ", u->shared_dirty);
	kb(f, "Private_Clean:  ", u->private_clean);
	kb(f, "Private_Dirty:  ", u->private_dirty);
	kb(f, "Referenced:     ", u->referenced);
	kb(f, "Anonymous:      ", u->anonymous);
	kb(f, "LazyFree:       ", 0);
	kb(f, "AnonHugePages:  ", 0);
	kb(f, "ShmemPmdMapped: ", 0);
	kb(f, "FilePmdMapped:  ", 0);
	kb(f, "Shared_Hugetlb: ", 0);
	kb_line(f, "Private_Hugetlb: ", 7, 0); /* Linux's one 17-column label */
	kb(f, "Swap:           ", u->swap);
	kb(f, "SwapPss:        ", pss_bytes(u->swap_pss));
	kb(f, "Locked:         ", pss_bytes(s->pss_locked));
}

static void show_vmflags(FILE *f, u64 flags)
{
	static const struct {
		u64 flag;
		char code[3];
	} codes[] = { /* Linux's bit order */
		{ VM_READ, "rd" },      { VM_WRITE, "wr" },      { VM_EXEC, "ex" },    { VM_SHARED, "sh" },
		{ VM_MAYREAD, "mr" },   { VM_MAYWRITE, "mw" },   { VM_MAYEXEC, "me" }, { VM_SHARED, "ms" },
		{ VM_GROWSDOWN, "gd" }, { VM_LOCKED, "lo" },     { VM_SEQ_READ, "sr" }, { VM_RAND_READ, "rr" },
	};

	fputs("VmFlags: ", f);
	for (unsigned i = 0; i < ARRAY_SIZE(codes); i++)
		if (flags & codes[i].flag)
			fprintf(f, "%s ", codes[i].code);
	if ((flags & (VM_SHARED | VM_WRITE)) == VM_WRITE)
		fputs("ac ", f);
	fputc('\n', f);
}

void show_smaps(FILE *f, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	for_each_vma(mm, vma) {
		struct smaps_usage s;

		memset(&s, 0, sizeof(s));
		smaps_vma(vma, &s);
		show_map_vma(f, vma);
		kb(f, "Size:           ", s.u.size);
		kb(f, "KernelPageSize: ", PAGE_SIZE);
		kb(f, "MMUPageSize:    ", PAGE_SIZE);
		show_smap_counts(f, &s, false);
		fprintf(f, "THPeligible:    %d\n", 0);
		show_vmflags(f, vma->flags);
	}
}

void show_smaps_rollup(FILE *f, struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	struct smaps_usage s;
	u64 start = 0, end = 0;

	if (list_empty(&mm->vma_list))
		return; /* Linux prints nothing */
	memset(&s, 0, sizeof(s));
	for_each_vma(mm, vma) {
		if (!end)
			start = vma->start;
		smaps_vma(vma, &s);
		end = vma->end;
	}
	maps_line(f, start, end, 0, 0, 0, "[rollup]");
	show_smap_counts(f, &s, true);
}

/* ---- /proc/<pid>/status: the memory lines ----------------------------------- */

/* Linux's SEQ_PUT_DEC in task_mem(): "Name:\t" then kB right-aligned in 8. */
static void status_kb(FILE *f, const char *name, u64 kb) { fprintf(f, "%s:\t%8llu kB\n", name, ULL(kb)); }
static u64 pg_kb(u64 pages) { return pages << (PAGE_SHIFT - 10); }

void show_mm_status(FILE *f, const struct mm_struct *mm)
{
	u64 rss = mm_rss(mm);
	u64 text = mm->end_code > mm->start_code ? ALIGN_UP(mm->end_code, PAGE_SIZE) - ALIGN_DOWN(mm->start_code, PAGE_SIZE) : 0;

	status_kb(f, "VmSize", pg_kb(mm->total_vm));
	status_kb(f, "VmLck", pg_kb(mm->locked_vm));
	status_kb(f, "VmHWM", pg_kb(mm->hiwater_rss > rss ? mm->hiwater_rss : rss));
	status_kb(f, "VmRSS", pg_kb(rss));
	status_kb(f, "RssAnon", pg_kb(mm->rss[MM_ANONPAGES]));
	status_kb(f, "RssFile", pg_kb(mm->rss[MM_FILEPAGES]));
	status_kb(f, "RssShmem", pg_kb(mm->rss[MM_SHMEMPAGES]));
	status_kb(f, "VmExe", text >> 10);
	status_kb(f, "VmLib", 0);
	status_kb(f, "VmPTE", pg_kb(mm->pgt.nr_tables > 1 ? mm->pgt.nr_tables - 1 : 0));
	status_kb(f, "VmSwap", pg_kb(mm->rss[MM_SWAPENTS]));
}
