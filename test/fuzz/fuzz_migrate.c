/*
 * libFuzzer target for page migration and CMA (mm/migrate.c, mm/cma.c,
 * mm/cma_migrate.c) under the real fault path (mm/memory.c, rmap, lru,
 * filemap, swap, zram), on the host fixture board (test/host/mm_fixture.c)
 * brought up once for the run. At start-up every free frame outside CMA but
 * RESERVE is taken for good (a fence, as test_cma.c does), so that the
 * apps' movable pages land in the 16 MiB CMA region and migration and
 * cma_alloc have work to do.
 *
 * Each input runs on two fresh mms, each with three regions of NPG pages:
 *   R_ANON  private anonymous, read-write
 *   R_FILE  private mapping of a 16-page read-only file (page i reads
 *           0x40 + i), read-write: a write copies the page (COW)
 *   R_SHMEM a shared shmem object, the same one in both mms
 * The input is opcode bytes and their operands (mr = (mm << 0) | (region
 * << 1) in one byte, pg a page index in a byte, taken modulo):
 *   MAP mr        map the region (if nothing of it is mapped)
 *   UNMAP mr pg   munmap one page (pg < NPG) or the whole region
 *   TOUCH mr pg a read (a & 1 = 0) or write the page, faulting as the CPU
 *                 would; a write fills it with pattern a >> 1
 *   FORK          what fork does to mm 0's anon region, by hand: mm 1 gets a
 *                 VMA on its anon_vma (not VM_LOCKED) and read-only PTEs to
 *                 its plain anon pages, mm 0's turn read-only (COW for both)
 *   MLOCK mr a    mlock (a & 1) / munlock the whole region (if mapped)
 *   PIN mr pg     take an extra reference on the page mapped there
 *   UNPIN i       drop pin i
 *   SWAPOUT mr pg MADV_PAGEOUT of the page
 *   MIGRATE i     migrate_page (migrate_alloc_gfp) of in-use page i (the
 *                 census below: mapped, page/shmem/swap cache, pinned), or
 *                 of the zero page (i = census size: refused, off the LRU)
 *   MIGRATE_LIST i n  the list form compaction uses: migrate_isolate then
 *                 migrate_pages of 1 + n % 8 census pages from i on; with
 *                 n & 0x80 the new_page_t finds no memory
 *   CMA n16 a     cma_alloc(1 + n % 4096, a % 12), kept in a hold
 *   CMA_REL i     cma_release of hold i
 *   COMPACT o m   compact_zone_order(the CMA zone, o % 12 - 1, mode m % 3):
 *                 pinned pages stay, every VA of a moved page follows it to
 *                 one new frame, pgmigrate_success grows by the pages it
 *                 says it moved, no isolated free page is left behind
 * The model holds what each mapped page reads (zero, the file's bytes, or
 * a pattern), which VAs are mapped, which regions are locked, the pins and
 * the CMA holds. After every operation (check()):
 *  - every present PTE reads its page's model content; a page with data
 *    is present or a swap entry, never gone;
 *  - the census of in-use pages (PTEs, both caches, the swap cache, pins):
 *    mapcount = its PTEs, refcount = PTEs + page cache + pins, on an LRU
 *    list, PG_mlocked for a page in a locked region;
 *  - lru_count[], NR_ANON_MAPPED, NR_FILE_MAPPED, NR_FILE_PAGES, NR_SHMEM,
 *    NR_MLOCK, NR_SWAPCACHE and each mm's rss as the census counts them;
 *  - free + census + page tables + zram + slab + CMA holds = the total at
 *    start-up (no page lost or counted twice), less at most zpool's
 *    reserve (ZPOOL_RESERVE pages that zram's mem_used_total leaves out);
 * MIGRATE: a pinned page fails -EBUSY with nothing changed; any other
 * moves (or -ENOMEM): every PTE to it now maps one new frame, every other
 * PTE unchanged, the old frame free. CMA: the range inside the region,
 * aligned, every page PG_cma_alloc with refcount 1 and none in the census;
 * pinned pages never change frame. At the end everything is torn down and
 * every page is free again, every counter 0.
 * A violation prints one line on stderr and traps.
 *
 * Reproduce: build/board/fuzz/fuzz_migrate <crash-file>
 */
#include <arch/mmu.h>
#include <arch/phys.h>
#include <errno.h>
#include <host.h>
#include <mm/cma.h>
#include <mm/compaction.h>
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/migrate.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/rmap.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/vma.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>
#include <mm/zpool.h>
#include <mm/zram.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../host/user_fixture.h"
#include "../host/page_pattern.h"

#define FUZZ_NAME "fuzz_migrate"
#include "fuzz_check.h"

#define RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define NMM 2
#define NPG 8
#define FILE_PAGES 16
#define RESERVE 1024 /* frames outside CMA left free: tables, slab, zram, targets */
#define NPIN 4
#define NHOLD 4
#define MAXCENSUS 256

enum { R_ANON, R_FILE, R_SHMEM, NR_REGIONS };
enum { OP_MAP, OP_UNMAP, OP_TOUCH, OP_FORK, OP_MLOCK, OP_PIN, OP_UNPIN, OP_SWAPOUT, OP_MIGRATE, OP_CMA,
       OP_CMA_REL, OP_MIGRATE_LIST, OP_COMPACT, NR_OPS };

/* What a page reads: zero, the file's own bytes, or pattern 1..255. */
#define C_ZERO 0
#define C_FILE 0x100

static u64 region_va(int r, int pg) { return 0x400000ULL + (u64)r * 0x100000 + (u64)pg * PAGE_SIZE; }

static struct {
	struct mm_struct *mm[NMM];
	struct address_space *shm;
	bool mapped[NMM][NR_REGIONS][NPG];
	u16 content[NMM][NR_REGIONS][NPG]; /* R_SHMEM: shm_content instead */
	u16 shm_content[NPG];
	bool locked[NMM][NR_REGIONS];
	struct page *pin[NPIN];
	int npin;
	struct { struct page *first; u64 n; } hold[NHOLD];
	int nhold;
} st;

static struct address_space file;
static LIST_HEAD(fence);
static u64 free0, total0;
static struct page *last_new;

static int file_readpage(struct address_space *as, u64 index, void *dst)
{
	(void)as;
	memset(dst, 0x40 + (int)index, PAGE_SIZE);
	return 0;
}
static const struct address_space_ops file_ops = { .readpage = file_readpage };

static struct page *new_frame(struct page *old, unsigned long gfp)
{
	last_new = migrate_alloc_gfp(old, gfp);
	return last_new;
}

static struct page *no_frame(struct page *old, unsigned long gfp)
{
	(void)old, (void)gfp;
	return NULL;
}

static u16 *content_of(int m, int r, int pg) { return r == R_SHMEM ? &st.shm_content[pg] : &st.content[m][r][pg]; }

static bool content_ok(const void *page, u16 c, int pg)
{
	const u64 *w = page;

	for (u64 k = 0; k < PAGE_SIZE / 8; k++) {
		u64 want = c == C_ZERO ? 0 : c == C_FILE ? 0x0101010101010101ULL * (u8)(0x40 + pg) : mix64((u64)c << 9 | k);

		if (w[k] != want)
			return false;
	}
	return true;
}

static void fill(void *page, u16 c)
{
	u64 *w = page;

	for (u64 k = 0; k < PAGE_SIZE / 8; k++)
		w[k] = mix64((u64)c << 9 | k);
}

/* The page mapped at va of mm m (NULL: none or a swap entry); *e the raw entry. */
static struct page *page_at(int m, u64 va, pte_t *e)
{
	pte_t x = 0;

	pgt_query_entry(&st.mm[m]->pgt, va, &x, NULL);
	if (e)
		*e = x;
	if (!x || arch_pte_is_swap(x))
		return NULL;
	{
		phys_addr_t pa;

		CHECK(pgt_query(&st.mm[m]->pgt, va, &pa, NULL, NULL) == 0, "entry %#llx at %#llx but no mapping",
		      (unsigned long long)x, (unsigned long long)va);
		return pfn_to_page(phys_to_pfn(pa));
	}
}

static unsigned attrs_at(int m, u64 va)
{
	unsigned a = 0;

	pgt_query(&st.mm[m]->pgt, va, NULL, &a, NULL);
	return a;
}

static int pins_of(const struct page *p)
{
	int n = 0;

	for (int i = 0; i < st.npin; i++)
		n += st.pin[i] == p;
	return n;
}

/* ---- the census of in-use pages -------------------------------------------------------- */

struct entry {
	struct page *p;
	int ptes, cached;
	int ptes_in[NMM];
	bool locked; /* mapped in a locked region */
};
static struct entry census[MAXCENSUS];
static int ncensus;

static struct entry *find(struct page *p)
{
	for (int i = 0; i < ncensus; i++)
		if (census[i].p == p)
			return &census[i];
	CHECK(ncensus < MAXCENSUS, "census full");
	census[ncensus] = (struct entry){ .p = p };
	return &census[ncensus++];
}

static void take_census(void)
{
	struct swap_info si;

	ncensus = 0;
	for (int m = 0; m < NMM; m++)
		for (int r = 0; r < NR_REGIONS; r++)
			for (int pg = 0; pg < NPG; pg++) {
				struct page *p = page_at(m, region_va(r, pg), NULL);
				struct entry *e;

				if (!p || p == zero_page)
					continue;
				e = find(p);
				e->ptes++;
				e->ptes_in[m]++;
				e->locked |= st.locked[m][r];
			}
	for (u64 i = 0; i < FILE_PAGES; i++) {
		struct page *p = filemap_find_page(&file, i);

		if (p)
			find(p)->cached++;
	}
	for (u64 i = 0; i < NPG; i++) {
		struct page *p = filemap_find_page(st.shm, i);

		if (p)
			find(p)->cached++;
	}
	swap_get_info(&si);
	for (u64 s = 0; s < si.nr_slots; s++) {
		struct page *p = swap_cache_lookup(s);

		if (p) {
			CHECK(PAGE_FLAG(p, PG_swapcache) && p->private == s, "swap cache slot %llu: page without it",
			      (unsigned long long)s);
			find(p);
		}
	}
	for (int i = 0; i < st.npin; i++)
		find(st.pin[i]);
}

/* ---- the checks after every operation -------------------------------------------------- */

static void check_contents(void)
{
	for (int m = 0; m < NMM; m++)
		for (int r = 0; r < NR_REGIONS; r++)
			for (int pg = 0; pg < NPG; pg++) {
				u64 va = region_va(r, pg);
				u16 c = *content_of(m, r, pg);
				pte_t e;
				struct page *p = page_at(m, va, &e);

				if (!st.mapped[m][r][pg]) {
					CHECK(!e, "mm %d va %#llx unmapped but has entry %#llx", m,
					      (unsigned long long)va, (unsigned long long)e);
					continue;
				}
				if (p) {
					CHECK(content_ok(page_address(p), c, pg), "mm %d va %#llx (pfn %#llx) does not read %#x",
					      m, (unsigned long long)va, (unsigned long long)page_to_pfn(p), c);
					if (st.locked[m][r])
						CHECK(p != zero_page, "mm %d va %#llx locked but maps the zero page", m,
						      (unsigned long long)va);
				} else if (r != R_SHMEM && c != C_ZERO && c != C_FILE) {
					CHECK(e && arch_pte_is_swap(e), "mm %d va %#llx: data %#x gone (entry %#llx)", m,
					      (unsigned long long)va, c, (unsigned long long)e);
				}
			}
}

static void check_census(void)
{
	u64 lru[NR_LRU_LISTS] = { 0 }, anon_mapped = 0, file_mapped = 0, file_pages = 0, shmem = 0, mlock = 0,
	    swapcache = 0, rss[NMM][NR_MM_COUNTERS] = { { 0 } };

	for (int i = 0; i < ncensus; i++) {
		struct entry *e = &census[i];
		struct page *p = e->p;
		int want_ref = e->ptes + e->cached + pins_of(p);
		bool anon = page_is_anon(p);
		const struct address_space *as = anon ? NULL : (const struct address_space *)p->mapping;

		CHECK(p->mapcount == e->ptes, "pfn %#llx mapcount %d, %d PTEs", (unsigned long long)page_to_pfn(p),
		      (int)p->mapcount, e->ptes);
		CHECK(p->refcount == want_ref, "pfn %#llx refcount %d, expected %d (%d PTEs, %d cache, %d pins)",
		      (unsigned long long)page_to_pfn(p), (int)p->refcount, want_ref, e->ptes, e->cached, pins_of(p));
		CHECK(PAGE_FLAG(p, PG_lru) && !PAGE_FLAG(p, PG_isolated), "pfn %#llx in use, not on an LRU list (flags %#x)",
		      (unsigned long long)page_to_pfn(p), (unsigned)p->flags);
		CHECK(!e->locked || PAGE_FLAG(p, PG_mlocked), "pfn %#llx in a locked region, not mlocked",
		      (unsigned long long)page_to_pfn(p));
		if (PAGE_FLAG(p, PG_mlocked))
			lru[LRU_UNEVICTABLE]++, mlock++;
		else
			lru[(PAGE_FLAG(p, PG_swapbacked) ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE) +
			    PAGE_FLAG(p, PG_active)]++;
		if (e->ptes && anon)
			anon_mapped++;
		if (e->ptes && !anon)
			file_mapped++;
		if (e->cached)
			file_pages++, shmem += as && as->shmem;
		if (PAGE_FLAG(p, PG_swapcache))
			swapcache++, file_pages++;
		for (int m = 0; m < NMM; m++)
			rss[m][anon ? MM_ANONPAGES : as && as->shmem ? MM_SHMEMPAGES : MM_FILEPAGES] += e->ptes_in[m];
	}
	for (int l = 0; l < NR_LRU_LISTS; l++)
		CHECK(lru_count[l] == lru[l], "lru_count[%d] %llu, census %llu", l, (unsigned long long)lru_count[l],
		      (unsigned long long)lru[l]);
#define STAT(i, v) CHECK(vm_stat[i] == (s64)(v), #i " %lld, census %llu", (long long)vm_stat[i], (unsigned long long)(v))
	STAT(NR_ANON_MAPPED, anon_mapped);
	STAT(NR_FILE_MAPPED, file_mapped);
	STAT(NR_FILE_PAGES, file_pages);
	STAT(NR_SHMEM, shmem);
	STAT(NR_MLOCK, mlock);
	STAT(NR_SWAPCACHE, swapcache);
	for (int m = 0; m < NMM; m++)
		for (int c = MM_ANONPAGES; c <= MM_SHMEMPAGES; c++)
			CHECK(st.mm[m]->rss[c] == rss[m][c], "mm %d rss[%d] %llu, census %llu", m, c,
			      (unsigned long long)st.mm[m]->rss[c], (unsigned long long)rss[m][c]);
}

/* Every page the machine has, counted once: free, in use by the apps,
 * their tables, zram's store, slab, CMA holds. */
static u64 pages_total(void)
{
	struct slab_totals t;
	u64 held = 0;

	slab_totals(&t);
	for (int i = 0; i < st.nhold; i++)
		held += st.hold[i].n;
	return nr_free_pages() + (u64)ncensus + (u64)vm_stat[NR_USER_PAGETABLES] + zram_pages_used(swap_zram()) +
	       (t.reclaimable + t.unreclaimable + t.large_kmalloc) / PAGE_SIZE + held;
}

static void check(void)
{
	check_contents();
	take_census();
	check_census();
	/* zpool's reserve (up to ZPOOL_RESERVE pages) is in no count it publishes */
	CHECK(pages_total() <= total0 && pages_total() + ZPOOL_RESERVE >= total0,
	      "pages: %llu counted, %llu at start (free %llu, in use %d)", (unsigned long long)pages_total(),
	      (unsigned long long)total0, (unsigned long long)nr_free_pages(), ncensus);
	CHECK(host_mmu.bbm_violations == 0, "break-before-make violated");
}

/* ---- operations ------------------------------------------------------------------------ */

static bool region_all(int m, int r, bool mapped)
{
	for (int pg = 0; pg < NPG; pg++)
		if (st.mapped[m][r][pg] != mapped)
			return false;
	return true;
}

static void op_map(int m, int r)
{
	u64 flags = RW | (r == R_SHMEM ? VM_SHARED : 0);
	struct address_space *as = r == R_FILE ? &file : r == R_SHMEM ? st.shm : NULL;
	struct vm_area_struct *v;

	if (!region_all(m, r, false))
		return;
	v = vma_alloc(st.mm[m], region_va(r, 0), region_va(r, NPG), flags, as, 0, NULL);
	CHECK(v && vma_link(st.mm[m], v) == 0, "map region %d in mm %d", r, m);
	st.locked[m][r] = false;
	for (int pg = 0; pg < NPG; pg++) {
		st.mapped[m][r][pg] = true;
		if (r != R_SHMEM)
			st.content[m][r][pg] = r == R_FILE ? C_FILE : C_ZERO;
	}
}

static void op_unmap(int m, int r, int pg)
{
	u64 va = region_va(r, pg < NPG ? pg : 0);

	CHECK(do_munmap(st.mm[m], va, pg < NPG ? PAGE_SIZE : NPG * PAGE_SIZE) == 0, "munmap");
	for (int k = 0; k < NPG; k++)
		if (pg == NPG || k == pg)
			st.mapped[m][r][k] = false;
	if (region_all(m, r, false))
		st.locked[m][r] = false;
}

static void op_touch(int m, int r, int pg, u8 a)
{
	bool write = a & 1;
	u16 seed = a >> 1 ? a >> 1 : 1;
	u64 va = region_va(r, pg);
	unsigned acc = FAULT_USER | (write ? FAULT_WRITE : FAULT_READ);
	struct fault_info fi;
	pte_t e;
	struct page *p = page_at(m, va, &e);
	unsigned at = attrs_at(m, va);
	int rc;

	if (!st.mapped[m][r][pg]) {
		CHECK(handle_mm_fault(st.mm[m], va, acc, &fi) == -EFAULT, "fault outside every VMA");
		return;
	}
	if (!p || !arch_pte_is_young(e) || (write && !(at & MMU_WRITE))) {
		rc = handle_mm_fault(st.mm[m], va, acc, &fi);
		if (rc == -ENOMEM)
			return; /* nothing changed */
		CHECK(rc == 0, "fault mm %d va %#llx %s: %d (%s)", m, (unsigned long long)va, write ? "write" : "read",
		      rc, fault_kind_name(fi.kind));
		p = page_at(m, va, NULL);
		CHECK(p, "no page after the fault at %#llx", (unsigned long long)va);
		at = attrs_at(m, va);
	}
	if (!write) {
		CHECK(content_ok(page_address(p), *content_of(m, r, pg), pg), "read of %#llx in mm %d: not %#x",
		      (unsigned long long)va, m, *content_of(m, r, pg));
		return;
	}
	CHECK(at & MMU_WRITE, "writable after a write fault at %#llx", (unsigned long long)va);
	CHECK(p != zero_page, "write to the zero page at %#llx", (unsigned long long)va);
	fill(page_address(p), seed);
	*content_of(m, r, pg) = seed;
}

static void op_fork(void)
{
	struct vm_area_struct *v, *v2;

	if (!region_all(0, R_ANON, true) || !region_all(1, R_ANON, false))
		return;
	v = vma_lookup(st.mm[0], region_va(R_ANON, 0));
	CHECK(v && v->start == region_va(R_ANON, 0) && v->end == region_va(R_ANON, NPG), "mm 0's anon VMA");
	v2 = vma_alloc(st.mm[1], v->start, v->end, v->flags & ~VM_LOCKED, NULL, 0, NULL);
	CHECK(v2, "fork: vma_alloc");
	if (v->anon_vma) {
		v2->anon_vma = v->anon_vma;
		v->anon_vma->refs++;
	}
	CHECK(vma_link(st.mm[1], v2) == 0, "fork: vma_link");
	for (int pg = 0; pg < NPG; pg++) {
		u64 va = region_va(R_ANON, pg);
		struct page *p = page_at(0, va, NULL);
		unsigned ro = attrs_at(0, va) & ~MMU_WRITE;
		pte_t *ptep;

		st.mapped[1][R_ANON][pg] = true;
		st.content[1][R_ANON][pg] = C_ZERO;
		if (!p || p == zero_page || !page_is_anon(p) || PAGE_FLAG(p, PG_swapcache))
			continue; /* mm 1 starts with nothing there: it reads zero */
		CHECK(pgt_protect(&st.mm[0]->pgt, va, PAGE_SIZE, ro) == 0, "fork: write-protect");
		ptep = pgt_walk_pte(&st.mm[1]->pgt, va, true);
		if (!ptep)
			continue;
		pgt_set_pte(&st.mm[1]->pgt, ptep, va, arch_pte_mk_leaf(page_to_phys(p), PT_LEAF_LEVEL, ro));
		p->mapcount++;
		p->refcount++;
		st.mm[1]->rss[MM_ANONPAGES]++;
		st.content[1][R_ANON][pg] = st.content[0][R_ANON][pg];
	}
}

static void op_mlock(int m, int r, bool lock)
{
	int rc;

	if (!region_all(m, r, true))
		return;
	rc = do_mlock(st.mm[m], region_va(r, 0), NPG * PAGE_SIZE, lock);
	if (rc == -EAGAIN && lock)
		return; /* no memory to fault it in: nothing changed */
	CHECK(rc == 0, "%s mm %d region %d: %d", lock ? "mlock" : "munlock", m, r, rc);
	st.locked[m][r] = lock;
}

static void op_pin(int m, int r, int pg)
{
	struct page *p = st.mapped[m][r][pg] ? page_at(m, region_va(r, pg), NULL) : NULL;

	if (!p || p == zero_page || st.npin == NPIN)
		return;
	p->refcount++; /* held by the kernel or under DMA */
	st.pin[st.npin++] = p;
}

static void op_unpin(int i)
{
	if (!st.npin)
		return;
	i %= st.npin;
	put_user_page(st.pin[i]);
	st.pin[i] = st.pin[--st.npin];
}

static void op_swapout(int m, int r, int pg)
{
	u64 va = region_va(r, pg);

	if (st.mapped[m][r][pg])
		madvise_pageout_range(vma_lookup(st.mm[m], va), va, va + PAGE_SIZE);
}

/* The frame every VA of the machine maps (NULL: none). */
struct frames {
	struct page *p[NMM][NR_REGIONS][NPG];
};

static void frames(struct frames *f)
{
	for (int m = 0; m < NMM; m++)
		for (int r = 0; r < NR_REGIONS; r++)
			for (int pg = 0; pg < NPG; pg++)
				f->p[m][r][pg] = page_at(m, region_va(r, pg), NULL);
}

/* Pinned pages never change frame: a VA that mapped one maps it still. */
static void pins_stayed(const struct frames *before)
{
	struct frames now;

	frames(&now);
	for (int m = 0; m < NMM; m++)
		for (int r = 0; r < NR_REGIONS; r++)
			for (int pg = 0; pg < NPG; pg++)
				if (before->p[m][r][pg] && pins_of(before->p[m][r][pg]))
					CHECK(now.p[m][r][pg] == before->p[m][r][pg], "pinned pfn %#llx moved",
					      (unsigned long long)page_to_pfn(before->p[m][r][pg]));
}

static void op_migrate(int i)
{
	struct frames before, after;
	struct page *p, *new;
	const char *why = NULL;
	u64 ok0 = vm_events[PGMIGRATE_SUCCESS], fail0 = vm_events[PGMIGRATE_FAIL];
	s32 ref, map;
	u32 flags;
	int rc;

	take_census();
	i %= ncensus + 1;
	p = i < ncensus ? census[i].p : zero_page;
	ref = p->refcount;
	map = p->mapcount;
	flags = p->flags;
	frames(&before);
	last_new = NULL;
	rc = migrate_page(p, new_frame, GFP_HIGHUSER_MOVABLE, MR_SYSCALL, &why);
	frames(&after);
	if (p == zero_page) {
		CHECK(rc == -EBUSY && why && strstr(why, "LRU"), "migrate of the zero page: %d (%s)", rc, why ? why : "");
		CHECK(!memcmp(&before, &after, sizeof(after)), "a refused migrate changed a PTE");
		return;
	}
	if (pins_of(p) || rc) {
		CHECK(!pins_of(p) || rc == -EBUSY, "migrate of pinned pfn %#llx: %d", (unsigned long long)page_to_pfn(p),
		      rc);
		CHECK(rc == -EBUSY || rc == -ENOMEM, "migrate of pfn %#llx: %d (%s)", (unsigned long long)page_to_pfn(p),
		      rc, why ? why : "no reason");
		CHECK(rc != -EBUSY || pins_of(p), "unpinned pfn %#llx refused: %s", (unsigned long long)page_to_pfn(p),
		      why ? why : "no reason");
		CHECK(why, "refusal without a reason");
		CHECK(!memcmp(&before, &after, sizeof(after)), "a refused migrate changed a PTE");
		CHECK(p->refcount == ref && p->mapcount == map && p->flags == flags, "a refused migrate changed the page");
		CHECK(vm_events[PGMIGRATE_FAIL] == fail0 + 1 && vm_events[PGMIGRATE_SUCCESS] == ok0, "pgmigrate counts");
		return;
	}
	new = last_new;
	CHECK(new && new != p, "moved, but to no new frame");
	CHECK(p->refcount == 0 && !p->mapping && !p->mapcount && !PAGE_FLAG(p, PG_lru), "old frame not free");
	CHECK(new->refcount == ref && new->mapcount == map, "new frame counts %d/%d, old %d/%d", (int)new->refcount,
	      (int)new->mapcount, (int)ref, (int)map);
	for (int m = 0; m < NMM; m++)
		for (int r = 0; r < NR_REGIONS; r++)
			for (int pg = 0; pg < NPG; pg++)
				CHECK(after.p[m][r][pg] == (before.p[m][r][pg] == p ? new : before.p[m][r][pg]),
				      "mm %d va %#llx after moving pfn %#llx", m, (unsigned long long)region_va(r, pg),
				      (unsigned long long)page_to_pfn(p));
	CHECK(vm_events[PGMIGRATE_SUCCESS] == ok0 + 1 && vm_events[PGMIGRATE_FAIL] == fail0, "pgmigrate counts");
}

/* The list form (what compaction calls): isolate, migrate_pages, the
 * pinned ones back on their lists, every other moved (with memory). */
static void op_migrate_list(int i, u8 n)
{
	struct page *old[8], *map_old[NMM * NR_REGIONS * NPG], *map_new[NMM * NR_REGIONS * NPG];
	int want = 1 + n % 8, nold = 0, npinned = 0, nmap = 0;
	bool nomem = n & 0x80;
	u64 ok0 = vm_events[PGMIGRATE_SUCCESS], fail0 = vm_events[PGMIGRATE_FAIL];
	struct frames before, after;
	LIST_HEAD(list);
	unsigned moved, failed = 99;

	take_census();
	if (!ncensus)
		return;
	for (int k = 0; k < want && k < ncensus; k++) {
		struct page *p = census[(i + k) % ncensus].p;
		const char *why = NULL;

		CHECK(migrate_isolate(p, &why) == 0, "isolate pfn %#llx: %s", (unsigned long long)page_to_pfn(p),
		      why ? why : "");
		CHECK(migrate_isolate(p, &why) == -EBUSY, "isolated twice");
		list_add_tail(&p->lru, &list);
		old[nold++] = p;
		npinned += pins_of(p) > 0;
	}
	frames(&before);
	moved = migrate_pages(&list, nomem ? no_frame : new_frame, GFP_HIGHUSER_MOVABLE, MR_COMPACTION, &failed);
	frames(&after);
	CHECK(list_empty(&list), "migrate_pages left pages on the list");
	CHECK(moved + failed == (unsigned)nold, "moved %u + failed %u of %d", moved, failed, nold);
	CHECK(nomem ? moved == 0 : failed == (unsigned)npinned, "moved %u failed %u, %d pinned%s", moved, failed, npinned,
	      nomem ? ", no memory" : "");
	CHECK(vm_events[PGMIGRATE_SUCCESS] == ok0 + moved && vm_events[PGMIGRATE_FAIL] == fail0 + failed,
	      "pgmigrate counts");
	pins_stayed(&before);
	/* a VA keeps its frame unless that frame was on the list and moved;
	 * every VA of one moved page follows it to the same new frame */
	for (int m = 0; m < NMM; m++)
		for (int r = 0; r < NR_REGIONS; r++)
			for (int pg = 0; pg < NPG; pg++) {
				struct page *b = before.p[m][r][pg], *a = after.p[m][r][pg];
				bool listed = false;

				for (int k = 0; k < nold; k++)
					listed |= b == old[k];
				CHECK(a == b || (listed && a && !pins_of(b) && !nomem), "mm %d va %#llx: %p -> %p", m,
				      (unsigned long long)region_va(r, pg), (void *)b, (void *)a);
				if (a == b || !b)
					continue;
				for (int k = 0; k <= nmap; k++) {
					if (k == nmap) {
						map_old[nmap] = b, map_new[nmap++] = a;
						break;
					}
					if (map_old[k] == b) {
						CHECK(map_new[k] == a, "one page moved to two frames");
						break;
					}
				}
			}
}

static void op_compact(u8 o, u8 mode)
{
	struct zone *z = page_zone(pfn_to_page(phys_to_pfn(cma_base)));
	u64 ok0 = vm_events[PGMIGRATE_SUCCESS];
	struct frames before, after;
	struct compact_control cc;
	struct page *from[NMM * NR_REGIONS * NPG], *to[NMM * NR_REGIONS * NPG];
	int nmoved = 0;

	frames(&before);
	compact_zone_order(z, (int)(o % 12) - 1, (enum compact_mode)(mode % 3), MIGRATE_MOVABLE, &cc);
	frames(&after);
	CHECK(cc.nr_freepages == 0 && list_empty(&cc.freepages), "compaction kept %llu isolated free pages",
	      (unsigned long long)cc.nr_freepages);
	CHECK(vm_events[PGMIGRATE_SUCCESS] == ok0 + cc.nr_migrated, "pgmigrate_success +%llu, compaction says %llu",
	      (unsigned long long)(vm_events[PGMIGRATE_SUCCESS] - ok0), (unsigned long long)cc.nr_migrated);
	pins_stayed(&before);
	/* one page, one new frame: every VA that mapped it follows it there */
	for (int m = 0; m < NMM; m++)
		for (int r = 0; r < NR_REGIONS; r++)
			for (int pg = 0; pg < NPG; pg++) {
				struct page *b = before.p[m][r][pg], *a = after.p[m][r][pg];
				int k;

				CHECK(!b == !a, "mm %d va %#llx mapped %p -> %p by compaction", m,
				      (unsigned long long)region_va(r, pg), (void *)b, (void *)a);
				if (a == b)
					continue;
				for (k = 0; k < nmoved && from[k] != b; k++)
					;
				if (k == nmoved)
					from[nmoved] = b, to[nmoved++] = a;
				CHECK(to[k] == a, "one page moved to two frames by compaction");
			}
}

static void op_cma(u16 n, u8 a)
{
	struct frames before;
	u64 count = 1 + n % (cma_size / PAGE_SIZE), pfn, base = phys_to_pfn(cma_base);
	unsigned align = a % 12;
	struct page *c;

	if (st.nhold == NHOLD)
		return;
	frames(&before);
	c = cma_alloc(count, align);
	pins_stayed(&before);
	if (!c)
		return;
	pfn = page_to_pfn(c);
	CHECK(pfn >= base && pfn + count <= base + cma_size / PAGE_SIZE, "cma range %#llx outside the region",
	      (unsigned long long)pfn);
	CHECK(!(pfn & ((1ULL << align) - 1)), "cma range %#llx not aligned to order %u", (unsigned long long)pfn, align);
	for (u64 k = 0; k < count; k++)
		CHECK(PAGE_FLAG(&c[k], PG_cma_alloc) && c[k].refcount == 1, "cma page %llu of %llu",
		      (unsigned long long)k, (unsigned long long)count);
	take_census();
	for (int k = 0; k < ncensus; k++)
		CHECK(census[k].p < c || census[k].p >= c + count, "in-use pfn %#llx inside the cma range",
		      (unsigned long long)page_to_pfn(census[k].p));
	st.hold[st.nhold].first = c;
	st.hold[st.nhold++].n = count;
}

static void op_cma_release(int i)
{
	if (!st.nhold)
		return;
	i %= st.nhold;
	CHECK(cma_release(st.hold[i].first, st.hold[i].n), "cma_release");
	st.hold[i] = st.hold[--st.nhold];
}

/* ---- the run --------------------------------------------------------------------------- */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct page *p;

	(void)argc;
	(void)argv;
	fix_user_setup();
	if (swap_init() || swap_reinit(1ull << 20, 0))
		abort();
	cma_migrate_init();
	/* the fence: every free frame outside CMA but RESERVE */
	while ((p = alloc_page(__GFP_NOWARN)))
		list_add(&p->lru, &fence);
	for (int i = 0; i < RESERVE && !list_empty(&fence); i++) {
		p = list_first_entry(&fence, struct page, lru);
		list_del(&p->lru);
		free_page(p);
	}
	kmem_cache_shrink_all();
	free0 = nr_free_pages();
	ncensus = 0;
	memset(&st, 0, sizeof(st));
	total0 = pages_total();
	return 0;
}

static void setup(void)
{
	memset(&st, 0, sizeof(st));
	CHECK(address_space_init(&file, "/apps/data", FILE_PAGES * PAGE_SIZE, &file_ops, NULL, 9) == 0, "file");
	st.shm = shmem_create(NPG * PAGE_SIZE);
	CHECK(st.shm, "shmem_create");
	for (int m = 0; m < NMM; m++) {
		st.mm[m] = mm_create();
		CHECK(st.mm[m], "mm_create");
		st.mm[m]->pgt.asid = (u16)(m + 1);
	}
}

static void teardown(void)
{
	struct swap_info si;

	while (st.nhold)
		op_cma_release(0);
	for (int m = 0; m < NMM; m++) {
		mm_destroy(st.mm[m]);
		arch_tlb_flush_asid((unsigned)m + 1); /* the ASID's release (the caller's part) */
	}
	while (st.npin)
		op_unpin(0);
	address_space_put(st.shm);
	address_space_put(&file);
	swap_get_info(&si);
	CHECK(si.inuse_slots == 0 && si.cached == 0, "swap slots %llu, cached %llu after teardown",
	      (unsigned long long)si.inuse_slots, (unsigned long long)si.cached);
	for (int i = 0; i < NR_VM_STAT_ITEMS; i++)
		CHECK(vm_stat[i] == 0, "vm_stat[%d] = %lld after teardown", i, (long long)vm_stat[i]);
	for (int i = 0; i < NR_LRU_LISTS; i++)
		CHECK(lru_count[i] == 0, "lru_count[%d] = %llu after teardown", i, (unsigned long long)lru_count[i]);
	zram_compact(swap_zram()); /* an empty pool gives its reserve back */
	kmem_cache_shrink_all();   /* empty slabs the caches kept */
	CHECK(nr_free_pages() == free0, "pages lost: %llu free, %llu at start", (unsigned long long)nr_free_pages(),
	      (unsigned long long)free0);
	CHECK(host_mmu.bbm_violations == 0, "break-before-make violated");
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	size_t i = 0;

	setup();
	while (i < size) {
		u8 op = data[i++] % NR_OPS;
		u8 b = i < size ? data[i] : 0, c = i + 1 < size ? data[i + 1] : 0, d = i + 2 < size ? data[i + 2] : 0;
		int m = b & 1, r = (b >> 1) % NR_REGIONS, pg = c % NPG;

		switch (op) {
		case OP_MAP: op_map(m, r), i += 1; break;
		case OP_UNMAP: op_unmap(m, r, c % (NPG + 1)), i += 2; break;
		case OP_TOUCH: op_touch(m, r, pg, d), i += 3; break;
		case OP_FORK: op_fork(); break;
		case OP_MLOCK: op_mlock(m, r, c & 1), i += 2; break;
		case OP_PIN: op_pin(m, r, pg), i += 2; break;
		case OP_UNPIN: op_unpin(b), i += 1; break;
		case OP_SWAPOUT: op_swapout(m, r, pg), i += 2; break;
		case OP_MIGRATE: op_migrate(b), i += 1; break;
		case OP_CMA: op_cma((u16)(b | c << 8), d), i += 3; break;
		case OP_CMA_REL: op_cma_release(b), i += 1; break;
		case OP_MIGRATE_LIST: op_migrate_list(b, c), i += 2; break;
		default: op_compact(b, c), i += 2; break; /* OP_COMPACT */
		}
		check();
	}
	teardown();
	return 0;
}
