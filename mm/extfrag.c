/*
 * Fragmentation indices (the first half of include/mm/compaction.h): how
 * much of a zone's free memory an allocation of some order can use, as
 * Linux 6.1 defines them (mm/vmstat.c, mm/compaction.c).
 *
 * Terms, for a zone and a requested order o (all counts from the buddy
 * lists; blocks on MIGRATE_ISOLATE lists are taken out of use by
 * cma_alloc and are not free memory here):
 *
 *   free_pages     sum over orders k of blocks[k] << k
 *   blocks_total   sum of blocks[k]
 *   suitable       sum over k >= o of blocks[k] << (k - o): how many
 *                  blocks of order o the free memory holds
 *
 *   unusable index (thousandths)   (free_pages - suitable << o) * 1000 / free_pages
 *                                  1000 when nothing is free
 *   fragmentation index            -1000 when suitable > 0 (it would succeed);
 *   (thousandths)                  0 when nothing is free; else
 *                                  1000 - (1000 + free_pages * 1000 / 2^o) / blocks_total
 *                                  (towards 0: too little memory; towards 1000:
 *                                  enough memory, in blocks too small)
 *   score of a zone (0..100)       the unusable share at COMPACTION_HPAGE_ORDER
 *                                  in percent; 0 when nothing is free
 *   score of the system            sum over populated zones of
 *                                  present * score / (all zones' present + 1)
 *                                  (Linux's node score, rounding included)
 *
 * Reports, Linux's debugfs files, one line per populated zone:
 *
 *   extfrag/unusable_index   Node 0, zone      DMA 0.000 0.000 0.312 ... 1.000
 *   extfrag/extfrag_index    Node 0, zone      DMA -1.000 -1.000  0.875 ...
 *
 * ("%d.%03d " per order in unusable_index, "%2d.%03d " in extfrag_index,
 * as Linux 6.1 prints them.)
 *
 * Locking: each zone's lock (IRQs masked) while its per-order block counts
 * are copied; the arithmetic and printing run on that copy with no lock
 * held (a UART prints slowly). The caller holds no zone lock.
 */
#include <mm/compaction.h>
#include <mm/mmzone.h>

#define NODE_ID 0 /* one memory node */

/* Set up by mm_init (a zone without a name is not, e.g. before boot). */
static bool zone_known(const struct zone *z) { return z->name != NULL; }

/* Zone lock held: the free blocks of each order, isolated ones left out. */
static void count_free_blocks_locked(const struct zone *z, u64 blocks[NR_ORDERS])
{
	for (unsigned o = 0; o < NR_ORDERS; o++) {
		const struct list_head *pos;
		u64 isolated = 0;

		list_for_each(pos, &z->free_area[o].free_list[MIGRATE_ISOLATE])
			isolated++;
		blocks[o] = z->free_area[o].nr_free - isolated;
	}
}

static void snap_free_blocks(struct zone *z, u64 blocks[NR_ORDERS])
{
	unsigned long f = spin_lock_irqsave(&z->lock);

	count_free_blocks_locked(z, blocks);
	spin_unlock_irqrestore(&z->lock, f);
}

static void contig_info(const u64 blocks[NR_ORDERS], unsigned order, struct contig_page_info *info)
{
	*info = (struct contig_page_info){ 0 };
	for (unsigned k = 0; k < NR_ORDERS; k++) {
		info->free_blocks_total += blocks[k];
		info->free_pages += blocks[k] << k;
		if (k >= order)
			info->free_blocks_suitable += blocks[k] << (k - order);
	}
}

/* Pages of the free memory in blocks of order or larger (order < NR_ORDERS). */
static u64 usable_pages(const struct contig_page_info *info, unsigned order)
{
	return info->free_blocks_suitable << order;
}

static int unusable_of(const struct contig_page_info *info, unsigned order)
{
	if (!info->free_pages)
		return 1000; /* no free memory: all of it unusable */
	if (order >= NR_ORDERS)
		return 1000; /* no block that large exists */
	return (int)((info->free_pages - usable_pages(info, order)) * 1000 / info->free_pages);
}

static int fragmentation_of(const struct contig_page_info *info, unsigned order)
{
	if (order >= NR_ORDERS || !info->free_blocks_total)
		return 0; /* Linux: out of range (it warns), or nothing free */
	if (info->free_blocks_suitable)
		return -1000; /* the allocation would succeed */
	return 1000 - (int)((1000 + info->free_pages * 1000 / (1ULL << order)) / info->free_blocks_total);
}

static unsigned score_of(const u64 blocks[NR_ORDERS])
{
	struct contig_page_info info;

	contig_info(blocks, COMPACTION_HPAGE_ORDER, &info);
	if (!info.free_pages)
		return 0;
	return (unsigned)((info.free_pages - usable_pages(&info, COMPACTION_HPAGE_ORDER)) * 100 / info.free_pages);
}

void fill_contig_page_info(struct zone *z, unsigned order, struct contig_page_info *info)
{
	u64 blocks[NR_ORDERS];

	snap_free_blocks(z, blocks);
	contig_info(blocks, order, info);
}

int unusable_free_index(struct zone *z, unsigned order)
{
	struct contig_page_info info;

	fill_contig_page_info(z, order, &info);
	return unusable_of(&info, order);
}

int fragmentation_index(struct zone *z, unsigned order)
{
	struct contig_page_info info;

	fill_contig_page_info(z, order, &info);
	return fragmentation_of(&info, order);
}

unsigned fragmentation_score_zone(struct zone *z)
{
	u64 blocks[NR_ORDERS];

	snap_free_blocks(z, blocks);
	return score_of(blocks);
}

unsigned fragmentation_score(void)
{
	u64 present = 0, score = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (zone_known(&zones[i]))
			present += zones[i].present_pages;
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];

		if (!zone_known(z) || !zone_populated(z))
			continue;
		score += z->present_pages * fragmentation_score_zone(z) / (present + 1);
	}
	return (unsigned)score;
}

/* One report line per populated zone: index(order) for every order. */
static void show_index(FILE *f, bool wide, int (*index)(const struct contig_page_info *, unsigned))
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &zones[i];
		u64 blocks[NR_ORDERS];

		if (!zone_known(z) || !zone_populated(z))
			continue;
		snap_free_blocks(z, blocks);
		fprintf(f, "Node %d, zone %8s ", NODE_ID, z->name);
		for (unsigned o = 0; o < NR_ORDERS; o++) {
			struct contig_page_info info;
			int v;

			contig_info(blocks, o, &info);
			v = index(&info, o);
			fprintf(f, wide ? "%2d.%03d " : "%d.%03d ", v / 1000, (v < 0 ? -v : v) % 1000);
		}
		fputc('\n', f);
	}
}

void show_unusable_index(FILE *f) { show_index(f, false, unusable_of); }

void show_extfrag_index(FILE *f) { show_index(f, true, fragmentation_of); }
