/*
 * libFuzzer target for the page allocator (mm/page_alloc.c, mm_init.c,
 * cma.c, page_debug.c — the real sources, on platform/host's RAM arena).
 *
 * Each input is one boot and one workload:
 *
 *   byte 0        board (fuzz_boards[] below: zones, CMA, a RAM hole, zone
 *                 limits inside MAX_ORDER blocks)
 *   byte 1        initial page_alloc_debug (bit 0 poison, bit 1 init_on_free)
 *   then ops      one opcode byte + operands, until the input ends:
 *     ALLOC       order (byte % 12: 11 must fail), gfp (16 bits: the low
 *                 __GFP_BITS are the mask, all combinations including the
 *                 invalid DMA|DMA32; bit 12 uses get_free_pages/put_free_pages)
 *     FREE        a held block (16-bit index modulo the number held)
 *     BURST       ALLOC repeated (count byte + 1) times until the first failure
 *     FREE_STRIDE free every k-th held block (k = 2..9): fragmentation
 *     CMA_ALLOC   count (16 bits modulo the CMA size + 2), align order 0..15
 *     DRAIN       drain_pcp_pages() and a full check of the free lists
 *     DEBUG       set page_alloc_debug.poison / init_on_free
 *     BAD_FREE    a wrong free of a held block (16 bits: low 2 select double
 *                 free, wrong order, cma_release of buddy pages, NULL)
 *     ALLOC_PCP, BURST_PCP  ALLOC and BURST at orders 0..3 (order byte % 4):
 *                 the orders with per-CPU lists
 *     CHECK       the full walk of DRAIN without draining: per-CPU blocks
 *                 as they are
 *
 * The reference model is a byte map of the frames the workload owns. Every
 * operation is checked against it and against the board's own numbers
 * (zone limits, RAM banks, the metadata mm_init carved out):
 *  - an allocated block is naturally aligned, inside one RAM bank, inside
 *    one zone no higher than gfp_zone(), below the DMA limit for __GFP_DMA,
 *    outside CMA unless __GFP_MOVABLE, outside the page array, pageblock
 *    maps and firmware, and overlaps no owned frame; its struct pages are
 *    not marked free; with __GFP_ZERO it is zero; the zone it came from is
 *    still above its min watermark + lowmem reserve (half of min for
 *    __GFP_HIGH);
 *  - every free and every failed call moves nr_free_pages() by exactly
 *    what it should (nothing, on failure);
 *  - a signature written into every owned page is intact when it is freed
 *    (the allocator neither handed it out again nor scribbled on it);
 *  - no bad-page report and no poison error ever (the workload frees only
 *    what it owns and never writes free memory), except exactly one for
 *    each BAD_FREE, which must change nothing;
 *  - DRAIN, CHECK and the end of the input walk every free list and per-CPU
 *    list (orders 0..3): flags, order, alignment, zone, CMA/non-CMA
 *    separation, no isolated pageblock on a per-CPU list, counters (the
 *    per-CPU count in pages, at most PCP_HIGH after every operation);
 *  - a free of order <= 3 to a pageblock with per-CPU lists puts the block
 *    first on its (order, type) list, or drains at least PCP_BATCH pages
 *    when it takes the count above PCP_HIGH; any other free leaves the
 *    per-CPU count alone;
 *  - at the end everything is freed: every RAM frame outside the metadata
 *    is free exactly once, and each zone's free blocks per order equal the
 *    snapshot taken after boot (everything coalesced back).
 * A violation prints one line on stderr and traps, which libFuzzer reports
 * as a crash with the input saved.
 *
 * Reproduce: build/board/fuzz/fuzz_page_alloc <crash-file>
 * (PAGODA_FUZZ_TRACE=1 also prints every operation on stderr).
 */
#include <arch/phys.h>
#include <host.h>
#include <mm/cma.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/page_alloc.h>
#include <mm/page_debug.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BASE 0x40000000ULL
#define ARENA_SIZE (32ULL << 20)
#define ARENA_FRAMES (ARENA_SIZE / PAGE_SIZE)
#define MiB(x) ((u64)(x) << 20)
#define FIRMWARE_SIZE MiB(1) /* reserved at the base of RAM, as on the target */

#define MAX_HELD 1024 /* blocks held at once (more makes CMA searches, and so inputs, very slow) */
#define GFP_USE_VA 0x1000u /* operand bit: go through get_free_pages/put_free_pages */

#define FUZZ_NAME "fuzz_page_alloc"
#include "fuzz_check.h"

/* ---- boards ---------------------------------------------------------------
 * Offsets are from ARENA_BASE. zone_end[] and the CMA window are what the
 * board's engines imply, written down independently of mm_init.
 */
#define ENGINE(n, bits, offset, cma) \
	{ .name = n, .addr_bits = bits, .bus_offset = offset, .channels = 1, .uses_cma = cma }

struct fuzz_board {
	const char *name;
	unsigned nr_banks;
	struct { u64 off, size; } bank[2];
	u64 zone_end[MAX_NR_ZONES]; /* zone i is [zone_end[i-1] (or 0), zone_end[i]) */
	u64 cma_lo, cma_hi;         /* the CMA region must lie inside this */
	struct mm_board mm;
};

static const struct fuzz_board fuzz_boards[] = {
	{
		/* three zones: DMA 8 MiB (23-bit engine), DMA32 to 16 MiB (24-bit, CMA), Normal */
		.name = "three-zones",
		.nr_banks = 1, .bank = { { 0, MiB(32) } },
		.zone_end = { MiB(8), MiB(16), MiB(32) },
		.cma_lo = MiB(8), .cma_hi = MiB(16),
		.mm = { .nr_engines = 2,
			.engines = { ENGINE("dma23", 23, ARENA_BASE, false), ENGINE("dma24", 24, ARENA_BASE, true) },
			.cma_bytes = MiB(4), .cma_align = MiB(4), .min_free_kbytes = 256 },
	},
	{
		/* no DMA engines: everything is Normal; CMA anywhere */
		.name = "normal-only",
		.nr_banks = 1, .bank = { { 0, MiB(24) } },
		.zone_end = { 0, 0, MiB(24) },
		.cma_lo = 0, .cma_hi = MiB(24),
		.mm = { .nr_engines = 0, .cma_bytes = MiB(4), .cma_align = MiB(1), .min_free_kbytes = 128 },
	},
	{
		/* two banks with a 4 MiB hole; one 32-bit engine reaches all: DMA only */
		.name = "hole-dma-only",
		.nr_banks = 2, .bank = { { 0, MiB(12) }, { MiB(16), MiB(8) } },
		.zone_end = { MiB(24), MiB(24), MiB(24) },
		.cma_lo = 0, .cma_hi = MiB(24),
		.mm = { .nr_engines = 1,
			.engines = { ENGINE("dma32", 32, 0, true) },
			.cma_bytes = MiB(4), .cma_align = MiB(4), .min_free_kbytes = 192 },
	},
	{
		/* a 2 MiB DMA zone (half of it firmware), DMA32 the rest with 8 MiB of CMA */
		.name = "tiny-dma",
		.nr_banks = 1, .bank = { { 0, MiB(32) } },
		.zone_end = { MiB(2), MiB(32), MiB(32) },
		.cma_lo = MiB(2), .cma_hi = MiB(32),
		.mm = { .nr_engines = 2,
			.engines = { ENGINE("dma21", 21, ARENA_BASE, false), ENGINE("dma32", 32, 0, true) },
			.cma_bytes = MiB(6), .cma_align = MiB(1), .min_free_kbytes = 512 },
	},
	{
		/* engines with bus offsets: zone limits at 3 MiB and 13 MiB, inside
		 * MAX_ORDER blocks, so buddies of one block can sit in two zones */
		.name = "odd-limits",
		.nr_banks = 1, .bank = { { 0, MiB(32) } },
		.zone_end = { MiB(3), MiB(13), MiB(32) },
		.cma_lo = MiB(3), .cma_hi = MiB(13),
		.mm = { .nr_engines = 2,
			.engines = { ENGINE("dma22", 22, ARENA_BASE - MiB(1), false),
				     ENGINE("dma24", 24, ARENA_BASE - MiB(3), true) },
			.cma_bytes = MiB(4), .cma_align = MiB(4), .min_free_kbytes = 256 },
	},
};

/* ---- the reference model ------------------------------------------------ */

enum held_kind { HELD_PAGES, HELD_VA, HELD_CMA };

struct held {
	u64 pfn, count; /* frames [pfn, pfn + count) */
	u32 serial;
	u8 order, kind;
};

enum frame_state { F_NONE, F_FREE_TAIL, F_FREE_HEAD, F_PCP, F_PCP_TAIL };

static const struct fuzz_board *board;
static struct held held[MAX_HELD];
static unsigned nr_held;
static u32 next_serial;
static u8 owned[ARENA_FRAMES];     /* 1: the workload owns this frame */
static u8 forbidden[ARENA_FRAMES]; /* firmware, page array, pageblock maps, holes */
static u8 freemap[ARENA_FRAMES];   /* enum frame_state, rebuilt by check_free_lists() */
static u64 free_after_boot;
static u64 per_order_after_boot[MAX_NR_ZONES][NR_ORDERS];
static u64 bad_reports0, poison_errors0;
static bool trace;

static u64 base_pfn(void) { return ARENA_BASE >> PAGE_SHIFT; }
static u64 frame(u64 pfn) { return pfn - base_pfn(); }
static u64 pfn_off(u64 pfn) { return (pfn - base_pfn()) << PAGE_SHIFT; }

static int expected_zone(u64 pfn)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (pfn_off(pfn) < board->zone_end[z])
			return z;
	return -1;
}

static bool in_bank(u64 pfn, u64 count)
{
	for (unsigned b = 0; b < board->nr_banks; b++)
		if (pfn_off(pfn) >= board->bank[b].off &&
		    pfn_off(pfn) + (count << PAGE_SHIFT) <= board->bank[b].off + board->bank[b].size)
			return true;
	return false;
}

static bool in_cma(u64 pfn)
{
	return cma_size && pfn_to_phys(pfn) >= cma_base && pfn_to_phys(pfn) < cma_base + cma_size;
}

static void forbid_bytes(const void *va, u64 len)
{
	phys_addr_t pa = virt_to_phys(va);

	for (u64 pfn = phys_to_pfn(pa); pfn <= phys_to_pfn(pa + len - 1); pfn++)
		forbidden[frame(pfn)] = 1;
}

static u64 signature(u64 pfn, u32 serial)
{
	return (pfn * 0x9e3779b97f4a7c15ULL) ^ ((u64)serial << 32) ^ 0x50616730ULL;
}

static const unsigned sig_offsets[] = { 0, PAGE_SIZE / 2, PAGE_SIZE - 8 };

static void sign(const struct held *h)
{
	for (u64 i = 0; i < h->count; i++) {
		u8 *va = phys_to_virt(pfn_to_phys(h->pfn + i));

		for (unsigned k = 0; k < ARRAY_SIZE(sig_offsets); k++) {
			u64 s = signature(h->pfn + i, h->serial);

			memcpy(va + sig_offsets[k], &s, 8);
		}
	}
}

static void check_signature(const struct held *h)
{
	for (u64 i = 0; i < h->count; i++) {
		const u8 *va = phys_to_virt(pfn_to_phys(h->pfn + i));

		for (unsigned k = 0; k < ARRAY_SIZE(sig_offsets); k++) {
			u64 s;

			memcpy(&s, va + sig_offsets[k], 8);
			CHECK(s == signature(h->pfn + i, h->serial),
			      "owned pfn %#llx (block %#llx, serial %u) was overwritten at offset %u",
			      (unsigned long long)(h->pfn + i), (unsigned long long)h->pfn, h->serial, sig_offsets[k]);
		}
	}
}

static void check_no_reports(void)
{
	CHECK(bad_page_reports == bad_reports0, "bad page report (see stdout)");
	CHECK(page_poison_errors == poison_errors0, "poison error: free memory was written");
	for (int z = 0; z < MAX_NR_ZONES; z++) /* the per-CPU bound holds after every operation */
		CHECK(zones[z].pcp.count <= PCP_HIGH, "zone %s: per-CPU count %u above PCP_HIGH", zones[z].name,
		      zones[z].pcp.count);
}

/* Record a block the allocator just handed out, after checking it is not owned or forbidden. */
static void take(u64 pfn, u64 count, unsigned order, enum held_kind kind)
{
	struct held *h;

	CHECK(nr_held < MAX_HELD, "model full");
	for (u64 i = 0; i < count; i++) {
		CHECK(!owned[frame(pfn + i)], "pfn %#llx handed out twice", (unsigned long long)(pfn + i));
		CHECK(!forbidden[frame(pfn + i)], "pfn %#llx is firmware, allocator metadata or a hole",
		      (unsigned long long)(pfn + i));
		owned[frame(pfn + i)] = 1;
	}
	h = &held[nr_held++];
	*h = (struct held){ pfn, count, next_serial++, (u8)order, (u8)kind };
	sign(h);
}

static void check_allocated_pages(u64 pfn, u64 count, const char *what)
{
	for (u64 i = 0; i < count; i++) {
		const struct page *p = pfn_to_page(pfn + i);

		CHECK(!(p->flags & ((1u << PG_buddy) | (1u << PG_pcp) | (1u << PG_reserved) | (1u << PG_poisoned))),
		      "%s: pfn %#llx has flags %#x", what, (unsigned long long)(pfn + i), (unsigned)p->flags);
	}
}

/* ---- operations ---------------------------------------------------------- */

static bool do_alloc(unsigned order, unsigned operand)
{
	gfp_t gfp = operand & ((1u << __GFP_BITS) - 1);
	bool use_va = operand & GFP_USE_VA;
	int classzone = gfp_zone(gfp);
	u64 before = nr_free_pages();
	struct page *p;
	u64 pfn, n = 1ULL << (order > MAX_ORDER ? 0 : order);
	int zi;

	if (nr_held == MAX_HELD)
		return false;
	if (use_va) {
		void *va = get_free_pages(gfp, order);

		p = va ? virt_to_page(va) : NULL;
	} else {
		p = alloc_pages(gfp, order);
	}
	if (trace)
		fprintf(stderr, "alloc order %u gfp %#x%s -> %#llx\n", order, gfp, use_va ? " (va)" : "",
			p ? (unsigned long long)page_to_pfn(p) : 0ULL);
	check_no_reports();
	if (!p) {
		CHECK(nr_free_pages() == before, "failed allocation changed nr_free_pages %llu -> %llu",
		      (unsigned long long)before, (unsigned long long)nr_free_pages());
		return false;
	}
	CHECK(order <= MAX_ORDER, "order %u succeeded", order);
	CHECK(classzone >= 0, "invalid gfp %#x succeeded", gfp);
	pfn = page_to_pfn(p);
	CHECK(pfn % n == 0, "order-%u block at pfn %#llx is not naturally aligned", order, (unsigned long long)pfn);
	CHECK(pfn >= base_pfn() && frame(pfn) + n <= ARENA_FRAMES && in_bank(pfn, n),
	      "block %#llx+%llu is not inside one RAM bank", (unsigned long long)pfn, (unsigned long long)n);
	zi = expected_zone(pfn);
	CHECK(zi >= 0 && zi == expected_zone(pfn + n - 1), "block %#llx+%llu crosses a zone limit",
	      (unsigned long long)pfn, (unsigned long long)n);
	CHECK(zi <= classzone, "gfp %#x (highest zone %d) got pfn %#llx in zone %d", gfp, classzone,
	      (unsigned long long)pfn, zi);
	CHECK(p->zone == zi, "struct page says zone %u, the board says %d", p->zone, zi);
	if (gfp & __GFP_DMA)
		CHECK(pfn_off(pfn + n) <= board->zone_end[ZONE_DMA], "__GFP_DMA block above the DMA limit");
	if (!(gfp & __GFP_MOVABLE))
		for (u64 i = 0; i < n; i++)
			CHECK(!in_cma(pfn + i), "non-movable gfp %#x got CMA pfn %#llx", gfp, (unsigned long long)(pfn + i));
	CHECK(p->refcount == 1, "refcount %d", p->refcount);
	CHECK(!!(p->flags & (1u << PG_head)) == ((gfp & __GFP_COMP) && order), "PG_head %#x for gfp %#x order %u",
	      (unsigned)p->flags, gfp, order);
	check_allocated_pages(pfn, n, "allocated block");
	CHECK(nr_free_pages() == before - n, "nr_free_pages %llu -> %llu for %llu frames",
	      (unsigned long long)before, (unsigned long long)nr_free_pages(), (unsigned long long)n);
	{
		const struct zone *z = &zones[zi];
		s64 free = (s64)z->nr_free - ((gfp & __GFP_MOVABLE) ? 0 : (s64)z->nr_free_cma);
		s64 mark = (s64)z->watermark[WMARK_MIN];

		if (gfp & __GFP_HIGH)
			mark -= mark / 2;
		mark += (s64)z->lowmem_reserve[classzone];
		CHECK(free >= mark, "zone %s left with %lld free frames, below %lld (min watermark + reserve)", z->name,
		      (long long)free, (long long)mark);
	}
	if (gfp & __GFP_ZERO) {
		static const u8 zero[PAGE_SIZE];

		for (u64 i = 0; i < n; i++)
			CHECK(!memcmp(phys_to_virt(pfn_to_phys(pfn + i)), zero, PAGE_SIZE),
			      "__GFP_ZERO page %#llx is not zero", (unsigned long long)(pfn + i));
	}
	take(pfn, n, order, use_va ? HELD_VA : HELD_PAGES);
	return true;
}

static void do_cma_alloc(u64 count, unsigned align_order)
{
	u64 before = nr_free_pages();
	struct page *p;
	u64 pfn;

	if (nr_held == MAX_HELD || !cma_size)
		return;
	count %= cma_size / PAGE_SIZE + 2; /* 0 and one too many must fail */
	p = cma_alloc(count, align_order);
	if (trace)
		fprintf(stderr, "cma_alloc %llu align %u -> %#llx\n", (unsigned long long)count, align_order,
			p ? (unsigned long long)page_to_pfn(p) : 0ULL);
	check_no_reports();
	if (!p) {
		CHECK(nr_free_pages() == before, "failed cma_alloc changed nr_free_pages");
		return;
	}
	CHECK(count && count <= cma_size / PAGE_SIZE, "cma_alloc of %llu pages succeeded", (unsigned long long)count);
	pfn = page_to_pfn(p);
	CHECK(pfn % (1ULL << align_order) == 0, "cma_alloc result %#llx not aligned to order %u",
	      (unsigned long long)pfn, align_order);
	CHECK(in_cma(pfn) && in_cma(pfn + count - 1), "cma_alloc result %#llx+%llu outside CMA",
	      (unsigned long long)pfn, (unsigned long long)count);
	for (u64 i = 0; i < count; i++)
		CHECK(p[i].refcount == 1 && PAGE_FLAG(&p[i], PG_cma_alloc), "cma page %#llx: refcount %d flags %#x",
		      (unsigned long long)(pfn + i), p[i].refcount, (unsigned)p[i].flags);
	check_allocated_pages(pfn, count, "cma_alloc range");
	CHECK(nr_free_pages() == before - count, "cma_alloc of %llu: nr_free_pages %llu -> %llu",
	      (unsigned long long)count, (unsigned long long)before, (unsigned long long)nr_free_pages());
	take(pfn, count, 0, HELD_CMA);
}

static void do_free(unsigned idx)
{
	struct held h = held[idx];
	u64 before = nr_free_pages();
	const struct zone *hz = page_zone(pfn_to_page(h.pfn));
	u32 pcp_before = hz->pcp.count;
	/* the model's rule: a block of order <= 3 of a pageblock with per-CPU
	 * lists goes first on its list (unless that free drained a batch) */
	bool to_list = h.kind != HELD_CMA && h.order <= PAGE_ALLOC_COSTLY_ORDER &&
		       pageblock_migratetype(hz, h.pfn) < MIGRATE_PCPTYPES;

	held[idx] = held[--nr_held];
	check_signature(&h);
	if (trace)
		fprintf(stderr, "free %#llx+%llu (%s)\n", (unsigned long long)h.pfn, (unsigned long long)h.count,
			h.kind == HELD_CMA ? "cma" : "pages");
	switch (h.kind) {
	case HELD_PAGES:
		free_pages(pfn_to_page(h.pfn), h.order);
		break;
	case HELD_VA:
		put_free_pages(phys_to_virt(pfn_to_phys(h.pfn)), h.order);
		break;
	case HELD_CMA:
		CHECK(cma_release(pfn_to_page(h.pfn), h.count), "cma_release refused its own range");
		break;
	}
	check_no_reports();
	CHECK(nr_free_pages() == before + h.count, "free of %llu frames: nr_free_pages %llu -> %llu",
	      (unsigned long long)h.count, (unsigned long long)before, (unsigned long long)nr_free_pages());
	for (u64 i = 0; i < h.count; i++)
		owned[frame(h.pfn + i)] = 0;
	if (!to_list) {
		CHECK(hz->pcp.count == pcp_before, "free of %#llx order %u to the buddy moved the per-CPU count %u -> %u",
		      (unsigned long long)h.pfn, h.order, pcp_before, hz->pcp.count);
	} else if (pcp_before + h.count <= PCP_HIGH) {
		const struct page *p = pfn_to_page(h.pfn);
		const struct list_head *l = &hz->pcp.lists[h.order * MIGRATE_PCPTYPES +
							   (unsigned)pageblock_migratetype(hz, h.pfn)];

		CHECK(hz->pcp.count == pcp_before + h.count && PAGE_FLAG(p, PG_pcp) && p->order == h.order &&
			      l->next == &p->lru,
		      "free of %#llx order %u: not first on its per-CPU list (count %u -> %u, flags %#x)",
		      (unsigned long long)h.pfn, h.order, pcp_before, hz->pcp.count, (unsigned)p->flags);
	} else {
		CHECK(hz->pcp.count + PCP_BATCH <= pcp_before + h.count, "free above PCP_HIGH drained no batch (count %u -> %u)",
		      pcp_before, hz->pcp.count);
	}
}

/*
 * A wrong free must be reported once (bad_page) and change nothing:
 * how 0 frees a held block twice, 1 frees it with another order,
 * 2 gives a non-CMA block to cma_release, 3 frees NULL (no report).
 */
static void do_bad_free(unsigned idx, unsigned how)
{
	struct held h = held[idx];
	struct page *p = pfn_to_page(h.pfn);
	u64 before, reports;
	bool reported = true;

	if (how == 0)
		do_free(idx); /* the legitimate free; held[idx] is gone */
	before = nr_free_pages();
	reports = bad_page_reports;
	if (trace)
		fprintf(stderr, "bad free %u of %#llx+%llu\n", how, (unsigned long long)h.pfn, (unsigned long long)h.count);
	switch (how) {
	case 0:
		if (h.kind == HELD_CMA)
			CHECK(!cma_release(p, h.count), "cma_release accepted a double release");
		else
			free_pages(p, h.order);
		break;
	case 1:
		if (h.kind == HELD_CMA)
			return;
		free_pages(p, (h.order + 1) % NR_ORDERS);
		break;
	case 2:
		if (h.kind == HELD_CMA)
			return;
		CHECK(!cma_release(p, h.count), "cma_release accepted pages alloc_pages handed out");
		break;
	default:
		free_pages(NULL, h.order);
		reported = false;
		break;
	}
	CHECK(bad_page_reports == reports + reported, "bad free %u: %llu reports, expected %u", how,
	      (unsigned long long)(bad_page_reports - reports), reported);
	CHECK(nr_free_pages() == before, "bad free %u changed nr_free_pages %llu -> %llu", how,
	      (unsigned long long)before, (unsigned long long)nr_free_pages());
	bad_reports0 = bad_page_reports;
	if (how != 0)
		check_signature(&h); /* refused: still ours, untouched */
}

/* Free the held blocks whose index is r modulo k. Walking down, the block
 * do_free() moves into slot i comes from above i: already visited. */
static void do_free_stride(unsigned k, unsigned r)
{
	for (unsigned i = nr_held; i-- > 0;)
		if (i % k == r)
			do_free(i);
}

/* ---- whole-state checks -------------------------------------------------- */

/*
 * Walk every free list and per-CPU list; rebuild freemap. With all_free,
 * also require that every RAM frame outside the metadata is free.
 */
static void check_free_lists(bool all_free)
{
	u64 total = 0;

	memset(freemap, F_NONE, sizeof(freemap));
	for (int zi = 0; zi < MAX_NR_ZONES; zi++) {
		const struct zone *z = &zones[zi];
		u64 frames_free = 0, frames_cma = 0, pcp = 0;

		if (z->end_pfn <= z->start_pfn)
			continue;
		for (unsigned o = 0; o < NR_ORDERS; o++) {
			u64 blocks = 0;

			for (int t = 0; t < MIGRATE_TYPES; t++) {
				const struct list_head *l = &z->free_area[o].free_list[t];
				u64 steps = 0;

				for (const struct list_head *e = l->next; e != l; e = e->next) {
					const struct page *p = list_entry(e, struct page, lru);
					u64 pfn = page_to_pfn(p);

					CHECK(++steps <= ARENA_FRAMES, "zone %s order %u type %d: list does not end", z->name, o, t);
					CHECK(t != MIGRATE_ISOLATE, "isolated free block %#llx outside cma_alloc", (unsigned long long)pfn);
					CHECK(PAGE_FLAG(p, PG_buddy) && p->order == o && p->private == (uintptr_t)t &&
						      !PAGE_FLAG(p, PG_pcp) && !PAGE_FLAG(p, PG_reserved),
					      "free block %#llx on %s order %u list %d: flags %#x order %u private %llu", (unsigned long long)pfn,
					      z->name, o, t, (unsigned)p->flags, p->order, (unsigned long long)p->private);
					CHECK(pfn % (1ULL << o) == 0 && pfn >= z->start_pfn && pfn + (1ULL << o) <= z->end_pfn,
					      "free block %#llx order %u misaligned or outside zone %s", (unsigned long long)pfn, o, z->name);
					/* CMA is MAX_ORDER aligned: a block is all in or all out */
					CHECK(in_cma(pfn) == (t == MIGRATE_CMA) && in_cma(pfn + (1ULL << o) - 1) == (t == MIGRATE_CMA),
					      "block %#llx order %u (%sCMA) on the %s list", (unsigned long long)pfn, o,
					      in_cma(pfn) ? "" : "not ", migratetype_names[t]);
					for (u64 i = 0, f = frame(pfn); i < (1ULL << o); i++, f++) {
						CHECK(!owned[f] && !forbidden[f] && freemap[f] == F_NONE,
						      "pfn %#llx on a free list is owned (%u), metadata or a hole (%u), or free twice (%u)",
						      (unsigned long long)(pfn + i), owned[f], forbidden[f], freemap[f]);
						freemap[f] = F_FREE_TAIL;
					}
					freemap[frame(pfn)] = F_FREE_HEAD;
					blocks++;
					frames_free += 1ULL << o;
					if (t == MIGRATE_CMA)
						frames_cma += 1ULL << o;
				}
			}
			CHECK(blocks == z->free_area[o].nr_free, "zone %s order %u: %llu blocks listed, nr_free %llu", z->name, o,
			      (unsigned long long)blocks, (unsigned long long)z->free_area[o].nr_free);
		}
		CHECK(frames_free == z->nr_free, "zone %s: %llu frames listed, nr_free %llu", z->name,
		      (unsigned long long)frames_free, (unsigned long long)z->nr_free);
		CHECK(frames_cma == z->nr_free_cma, "zone %s: %llu CMA frames listed, nr_free_cma %llu", z->name,
		      (unsigned long long)frames_cma, (unsigned long long)z->nr_free_cma);
		/* per-CPU lists: [order * MIGRATE_PCPTYPES + type], orders 0..PAGE_ALLOC_COSTLY_ORDER */
		for (unsigned li = 0; li < NR_PCP_LISTS; li++) {
			const struct list_head *l = &z->pcp.lists[li];
			unsigned o = li / MIGRATE_PCPTYPES, t = li % MIGRATE_PCPTYPES;

			for (const struct list_head *e = l->next; e != l; e = e->next) {
				const struct page *p = list_entry(e, struct page, lru);
				u64 pfn = page_to_pfn(p), f = frame(pfn);

				pcp += 1ULL << o;
				CHECK(pcp <= ARENA_FRAMES, "zone %s: per-CPU list does not end", z->name);
				CHECK(PAGE_FLAG(p, PG_pcp) && !PAGE_FLAG(p, PG_buddy) && p->order == o && p->refcount == 0,
				      "pcp block %#llx on the order-%u list: flags %#x order %u refcount %d", (unsigned long long)pfn,
				      o, (unsigned)p->flags, p->order, p->refcount);
				CHECK(pfn % (1ULL << o) == 0 && pfn >= z->start_pfn && pfn + (1ULL << o) <= z->end_pfn,
				      "pcp block %#llx order %u misaligned or outside zone %s", (unsigned long long)pfn, o, z->name);
				CHECK(!in_cma(pfn) || t == MIGRATE_MOVABLE, "CMA page %#llx on the %s per-CPU list",
				      (unsigned long long)pfn, migratetype_names[t]);
				CHECK(pageblock_migratetype(z, pfn) != MIGRATE_ISOLATE, "isolated pfn %#llx on a per-CPU list",
				      (unsigned long long)pfn);
				for (u64 i = 0; i < (1ULL << o); i++) {
					CHECK(!owned[f + i] && !forbidden[f + i] && freemap[f + i] == F_NONE,
					      "pcp pfn %#llx owned, metadata or free twice", (unsigned long long)(pfn + i));
					freemap[f + i] = i ? F_PCP_TAIL : F_PCP;
				}
			}
		}
		CHECK(pcp == z->pcp.count, "zone %s: %llu pages on per-CPU lists, count %u", z->name,
		      (unsigned long long)pcp, z->pcp.count);
		CHECK(z->pcp.count <= PCP_HIGH, "zone %s: per-CPU count %u above PCP_HIGH", z->name, z->pcp.count);
		total += frames_free + pcp;
	}
	CHECK(total == nr_free_pages(), "free lists hold %llu frames, nr_free_pages %llu", (unsigned long long)total,
	      (unsigned long long)nr_free_pages());
	/* no stray free markers; with all_free, nothing but metadata is missing
	 * (mem_map starts at the arena's first frame: checked at boot) */
	for (u64 f = 0; f < mem_map_nr; f++) {
		u32 flags = mem_map[f].flags;
		bool buddy = flags & (1u << PG_buddy), pcp = flags & (1u << PG_pcp), rsv = flags & (1u << PG_reserved);

		if (likely(buddy == (freemap[f] == F_FREE_HEAD) && pcp == (freemap[f] == F_PCP) && rsv == forbidden[f] &&
			   (!all_free || forbidden[f] || freemap[f] != F_NONE)))
			continue;
		CHECK(false, "pfn %#llx: flags %#x, listed as %u (0 none, 1 tail, 2 head, 3 per-CPU, 4 per-CPU tail), metadata/hole %u%s",
		      (unsigned long long)(mem_map_base_pfn + f), (unsigned)flags, freemap[f], forbidden[f],
		      all_free ? ": lost after freeing everything?" : "");
	}
}

/* ---- boot ---------------------------------------------------------------- */

static void boot(unsigned which)
{
	static u8 holes[ARRAY_SIZE(fuzz_boards)][ARENA_FRAMES]; /* firmware + holes, per board */
	static bool holes_known[ARRAY_SIZE(fuzz_boards)], checked[ARRAY_SIZE(fuzz_boards)];
	unsigned idx = which % ARRAY_SIZE(fuzz_boards);
	u64 managed = 0, expect_managed = 0;

	board = &fuzz_boards[idx];
	memblock_reset();
	for (unsigned b = 0; b < board->nr_banks; b++)
		memblock_add(ARENA_BASE + board->bank[b].off, board->bank[b].size);
	memblock_reserve(ARENA_BASE, FIRMWARE_SIZE, "firmware");
	CHECK(mm_init(&board->mm) == 0, "mm_init failed on board %s", board->name);

	/* zones and CMA where the board says (no highmem on these boards) */
	CHECK(!zone_populated(&zones[ZONE_HIGHMEM]), "board %s has highmem", board->name);
	for (int z = 0; z < ZONE_HIGHMEM; z++) {
		u64 start = z ? board->zone_end[z - 1] : 0;

		CHECK(pfn_off(zones[z].start_pfn) == start && pfn_off(zones[z].end_pfn) == board->zone_end[z],
		      "board %s zone %d is [%#llx, %#llx)", board->name, z, (unsigned long long)pfn_off(zones[z].start_pfn),
		      (unsigned long long)pfn_off(zones[z].end_pfn));
		managed += zones[z].managed_pages;
	}
	CHECK(cma_size == ALIGN_UP(board->mm.cma_bytes, MiB(4)), "CMA size %llu", (unsigned long long)cma_size);
	CHECK(cma_base % MAX(board->mm.cma_align, MiB(4)) == 0 && cma_base - ARENA_BASE >= board->cma_lo &&
		      cma_base + cma_size - ARENA_BASE <= board->cma_hi,
	      "CMA at %#llx outside [%#llx, %#llx)", (unsigned long long)cma_base, (unsigned long long)board->cma_lo,
	      (unsigned long long)board->cma_hi);
	CHECK(expected_zone(phys_to_pfn(cma_base)) == expected_zone(phys_to_pfn(cma_base + cma_size - 1)),
	      "CMA straddles a zone limit");

	/* the frames mm_init must never hand out */
	if (!holes_known[idx]) {
		for (u64 pfn = base_pfn(); pfn < base_pfn() + ARENA_FRAMES; pfn++)
			holes[idx][frame(pfn)] = !in_bank(pfn, 1) || pfn_off(pfn) < FIRMWARE_SIZE;
		holes_known[idx] = true;
	}
	memcpy(forbidden, holes[idx], sizeof(forbidden));
	memset(owned, 0, sizeof(owned));
	CHECK(mem_map_base_pfn == base_pfn() && mem_map_nr <= ARENA_FRAMES, "page array covers %#llx+%llu",
	      (unsigned long long)mem_map_base_pfn, (unsigned long long)mem_map_nr);
	forbid_bytes(mem_map, mem_map_nr * sizeof(struct page));
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (zones[z].end_pfn > zones[z].start_pfn)
			forbid_bytes(zones[z].pageblock_type,
				     ALIGN_UP(((zones[z].end_pfn + PAGEBLOCK_PAGES - 1) >> PAGEBLOCK_ORDER) -
						      (zones[z].start_pfn >> PAGEBLOCK_ORDER), 8ULL)); /* as mm_init sizes it */
	for (u64 pfn = base_pfn(); pfn < base_pfn() + mem_map_nr; pfn++)
		expect_managed += !forbidden[frame(pfn)];
	CHECK(managed == expect_managed, "board %s: %llu frames managed, %llu outside the metadata", board->name,
	      (unsigned long long)managed, (unsigned long long)expect_managed);

	nr_held = 0;
	next_serial = 1;
	bad_reports0 = bad_page_reports;
	poison_errors0 = page_poison_errors;
	/* mm_init is deterministic: walking its free lists once per board is enough */
	if (!checked[idx]) {
		check_free_lists(true);
		checked[idx] = true;
	}
	free_after_boot = nr_free_pages();
	CHECK(free_after_boot == managed, "%llu free after boot, %llu managed", (unsigned long long)free_after_boot,
	      (unsigned long long)managed);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (unsigned o = 0; o < NR_ORDERS; o++)
			per_order_after_boot[z][o] = zones[z].free_area[o].nr_free;
}

/* Free everything and require the boot state back. */
static void finish(void)
{
	check_free_lists(false);
	while (nr_held)
		do_free(nr_held - 1);
	drain_pcp_pages();
	check_free_lists(true);
	CHECK(nr_free_pages() == free_after_boot, "%llu free after freeing everything, %llu after boot",
	      (unsigned long long)nr_free_pages(), (unsigned long long)free_after_boot);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (unsigned o = 0; o < NR_ORDERS; o++)
			CHECK(zones[z].free_area[o].nr_free == per_order_after_boot[z][o],
			      "zone %s order %u: %llu free blocks, %llu after boot (not coalesced back)", zones[z].name, o,
			      (unsigned long long)zones[z].free_area[o].nr_free,
			      (unsigned long long)per_order_after_boot[z][o]);
}

/* ---- input decoding ------------------------------------------------------ */

struct input {
	const u8 *p;
	size_t n;
};

/* Read k little-endian bytes; false at the end of the input. */
static bool get(struct input *in, unsigned k, unsigned *v)
{
	if (in->n < k)
		return false;
	*v = 0;
	for (unsigned i = 0; i < k; i++)
		*v |= (unsigned)in->p[i] << (8 * i);
	in->p += k;
	in->n -= k;
	return true;
}

/* opcode byte % NR_OPS; allocation and free have more values than the rest */
enum op {
	OP_ALLOC, OP_ALLOC2, OP_ALLOC3, OP_FREE, OP_FREE2, OP_BURST, OP_FREE_STRIDE, OP_CMA_ALLOC, OP_DRAIN, OP_DEBUG,
	OP_BAD_FREE, OP_ALLOC_PCP, OP_BURST_PCP, OP_CHECK, NR_OPS
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	host_phys_init(ARENA_BASE, ARENA_SIZE);
	trace = getenv("PAGODA_FUZZ_TRACE") != NULL;
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	unsigned op, a, b, c;

	if (!get(&in, 1, &a))
		return 0;
	boot(a);
	if (get(&in, 1, &a)) {
		page_alloc_debug.poison = a & 1;
		page_alloc_debug.init_on_free = a & 2;
	}
	if (trace)
		fprintf(stderr, "board %s poison %d init_on_free %d\n", board->name, page_alloc_debug.poison,
			page_alloc_debug.init_on_free);
	while (get(&in, 1, &op)) {
		switch (op % NR_OPS) {
		case OP_ALLOC:
		case OP_ALLOC2:
		case OP_ALLOC3:
			if (!get(&in, 1, &a) || !get(&in, 2, &b))
				goto out;
			do_alloc(a % (NR_ORDERS + 1), b);
			break;
		case OP_FREE:
		case OP_FREE2:
			if (!get(&in, 2, &a))
				goto out;
			if (nr_held)
				do_free(a % nr_held);
			break;
		case OP_BURST:
			if (!get(&in, 1, &a) || !get(&in, 2, &b) || !get(&in, 1, &c))
				goto out;
			for (unsigned i = 0; i <= c && do_alloc(a % (NR_ORDERS + 1), b); i++)
				;
			break;
		case OP_ALLOC_PCP: /* the orders with per-CPU lists */
			if (!get(&in, 1, &a) || !get(&in, 2, &b))
				goto out;
			do_alloc(a % (PAGE_ALLOC_COSTLY_ORDER + 1), b);
			break;
		case OP_BURST_PCP:
			if (!get(&in, 1, &a) || !get(&in, 2, &b) || !get(&in, 1, &c))
				goto out;
			for (unsigned i = 0; i <= c && do_alloc(a % (PAGE_ALLOC_COSTLY_ORDER + 1), b); i++)
				;
			break;
		case OP_CHECK: /* every list as it is, per-CPU lists not drained */
			check_free_lists(false);
			break;
		case OP_FREE_STRIDE:
			if (!get(&in, 1, &a))
				goto out;
			do_free_stride(a % 8 + 2, (a >> 3) % (a % 8 + 2));
			break;
		case OP_CMA_ALLOC:
			if (!get(&in, 2, &a) || !get(&in, 1, &b))
				goto out;
			do_cma_alloc(a, b % 16);
			break;
		case OP_DRAIN:
			if (trace)
				fprintf(stderr, "drain\n");
			{
				u64 before = nr_free_pages();

				drain_pcp_pages();
				CHECK(nr_free_pages() == before, "drain changed nr_free_pages");
				for (int z = 0; z < MAX_NR_ZONES; z++)
					CHECK(zones[z].pcp.count == 0, "zone %s: %u pages left on per-CPU lists after drain",
					      zones[z].name, zones[z].pcp.count);
			}
			check_free_lists(false);
			break;
		case OP_BAD_FREE:
			if (!get(&in, 2, &a))
				goto out;
			if (nr_held)
				do_bad_free((a >> 2) % nr_held, a & 3);
			break;
		case OP_DEBUG:
			if (!get(&in, 1, &a))
				goto out;
			page_alloc_debug.poison = a & 1;
			page_alloc_debug.init_on_free = a & 2;
			if (trace)
				fprintf(stderr, "debug poison %d init_on_free %d\n", a & 1, !!(a & 2));
			break;
		}
	}
out:
	finish();
	return 0;
}
