/*
 * On-target tests of slab/kmalloc and of the memory accounting:
 *  - kmalloc/kfree from the timer interrupt, racing the thread;
 *  - a walk over every page frame: each managed page is free (buddy or
 *    per-CPU list) or inside an allocated block, so free + used = total;
 *  - meminfo: Slab = SReclaimable + SUnreclaim, and it equals what
 *    slabinfo's caches hold plus large kmallocs;
 *  - debug board (SLAB_DEBUG=FZPU): an overflow, a write before the
 *    object, a write after free and a double free are each reported and
 *    the system keeps running; the leak check finds a growing call site.
 */
#include <arch/irqflags.h>
#include <arch/timer.h>
#include <kernel/console.h>
#include <kernel/ktest.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/slab.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile u64 irq_kmallocs;

static void kmalloc_in_tick(void)
{
	void *p = kmalloc(64 + irq_kmallocs % 512, GFP_ATOMIC);

	if (p) {
		memset(p, 0x3c, 64);
		kfree(p);
		irq_kmallocs++;
	}
}

static void kmalloc_from_interrupt_context(struct ktest *t)
{
	void (*old)(void) = timer_set_tick_hook(kmalloc_in_tick);
	u64 start = timer_ticks(), n = 0;

	irq_kmallocs = 0;
	while (timer_ticks() - start < 10) {
		void *p = kmalloc(64 + n % 512, GFP_KERNEL);

		KT_ASSERT(t, p != NULL);
		memset(p, 0x5a, 64);
		kfree(p);
		n++;
	}
	timer_set_tick_hook(old);
	KT_EXPECT(t, irq_kmallocs >= 9);
	KT_EXPECT(t, n > 100);
}

struct accounting {
	u64 free, used, unaccounted, reserved;
};

/* Classify every frame of a zone by walking mem_map block by block. */
static void account_zone(const struct zone *z, struct accounting *a)
{
	for (u64 pfn = z->start_pfn; pfn < z->end_pfn;) {
		const struct page *p = pfn_to_page(pfn);
		u64 n = 1;

		if (PAGE_FLAG(p, PG_reserved))
			a->reserved++;
		else if (PAGE_FLAG(p, PG_buddy))
			a->free += n = 1ULL << p->order;
		else if (PAGE_FLAG(p, PG_pcp))
			a->free += n = 1ULL << p->order; /* head of a block on a per-CPU list */
		else if (p->refcount > 0)
			a->used += n = 1ULL << p->order; /* head of an allocated block */
		else
			a->unaccounted++;
		pfn += n;
	}
}

static void free_plus_used_is_total(struct ktest *t)
{
	void *held[64];

	for (int i = 0; i < 64; i++)
		held[i] = kmalloc(16u << (i % 10), GFP_KERNEL); /* slabs and large kmallocs in use */
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct accounting a = { 0 };
		unsigned long f = arch_irq_save(); /* the tick must not allocate mid-walk */

		account_zone(&zones[z], &a);
		KT_EXPECT_EQ(t, a.free, zones[z].nr_free + zones[z].pcp.count);
		KT_EXPECT_EQ(t, a.free + a.used, zones[z].managed_pages);
		KT_EXPECT_EQ(t, a.unaccounted, 0);
		arch_irq_restore(f);
	}
	for (int i = 0; i < 64; i++)
		kfree(held[i]);
}

static void slab_lines_add_up(struct ktest *t)
{
	struct meminfo mi;
	struct slab_totals st;
	void *held[200];
	char *buf;
	size_t len;
	FILE *f;
	u64 pages = 0;

	for (int i = 0; i < 200; i++)
		held[i] = kmalloc(200, GFP_KERNEL);
	meminfo_read(&mi);
	slab_totals(&st);
	KT_EXPECT_EQ(t, mi.slab, mi.sreclaimable + mi.sunreclaim);
	KT_EXPECT_EQ(t, mi.slab * 1024, st.reclaimable + st.unreclaimable + st.large_kmalloc);
	/* slabinfo: the slabs behind the caches are the same pages */
	buf = malloc(16384);
	KT_ASSERT(t, buf != NULL);
	f = fmemopen(buf, 16384, "w");
	KT_ASSERT(t, f != NULL);
	show_slabinfo(f);
	len = (size_t)ftell(f);
	fclose(f);
	buf[MIN(len, (size_t)16383)] = 0;
	for (char *l = strchr(buf, '\n'); l && *l; l = strchr(l + 1, '\n')) {
		char name[32];
		unsigned long a, n, sz, per, pps, as, ns;

		if (sscanf(l + 1, "%31s %lu %lu %lu %lu %lu : tunables %*u %*u %*u : slabdata %lu %lu", name, &a, &n,
			   &sz, &per, &pps, &as, &ns) == 8)
			pages += ns * pps;
	}
	KT_EXPECT_EQ(t, pages * PAGE_SIZE, st.reclaimable + st.unreclaimable);
	free(buf);
	for (int i = 0; i < 200; i++)
		kfree(held[i]);
}

static bool debug_board(struct ktest *t)
{
	if (!strchr(CONFIG_SLAB_DEBUG, 'Z') || !strchr(CONFIG_SLAB_DEBUG, 'P') || strchr(CONFIG_SLAB_DEBUG, ',')) {
		ktest_skip(t, "needs SLAB_DEBUG with Z and P for every cache (boards/qemu-virt-debug.cfg)");
		return false;
	}
	return true;
}

/* True if the last line of text starting with label ("Allocated by [<")
 * names function fn after the address, as kallsyms prints it: "] fn+0x". */
static bool last_site_is(const char *text, const char *label, const char *fn)
{
	const char *line = NULL, *end;

	for (const char *s = text; (s = strstr(s, label)); s++)
		line = s;
	if (!line || !(end = strchr(line, ']')) || strncmp(end, "] ", 2))
		return false;
	return !strncmp(end + 2, fn, strlen(fn)) && !strncmp(end + 2 + strlen(fn), "+0x", 3);
}

static void debug_checks_fire_and_system_survives(struct ktest *t)
{
	static char tail[4096];
	struct slab_error_counts before = slab_errors;
	u8 *p, *q;
	size_t n;

	if (!debug_board(t))
		return;
	p = kmalloc(50, GFP_KERNEL);
	p[50 + 7] = 1; /* 8 bytes past what was asked */
	kfree(p);
	KT_EXPECT_EQ(t, slab_errors.redzone, before.redzone + 1);
	/* the report names the call sites (this function) through kallsyms */
	n = console_ring_tail(tail, sizeof(tail) - 1);
	tail[n] = 0;
	KT_EXPECT(t, last_site_is(tail, "Allocated by [<", __func__));
	KT_EXPECT(t, last_site_is(tail, ") seen by [<", __func__));
	p = kmalloc(100, GFP_KERNEL);
	p[-3] = 1; /* before the object */
	kfree(p);
	KT_EXPECT_EQ(t, slab_errors.redzone, before.redzone + 2);
	unsigned long f = arch_irq_save(); /* keep the tick away from the freed object */
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	p[5] = 9; /* write after free */
	q = kmalloc(64, GFP_KERNEL);
	arch_irq_restore(f);
	KT_EXPECT_EQ(t, slab_errors.poison, before.poison + 1);
	KT_EXPECT(t, q != p);
	kfree(q);
	kfree(q); /* double free */
	KT_EXPECT_EQ(t, slab_errors.double_free, before.double_free + 1);
	/* still fine */
	for (int i = 0; i < 1000; i++)
		kfree(kmalloc(1 + i % 300, GFP_KERNEL));
	KT_EXPECT_EQ(t, slab_errors.redzone, before.redzone + 2);
}

/* The call site of its objects: not a tail call, so that kmalloc's caller is leaky itself. */
static __attribute__((noinline)) void *leaky(void)
{
	void *p = kmalloc(24, GFP_KERNEL);

	__asm__ volatile("" ::"r"(p) : "memory");
	return p;
}

static void leak_check_on_target(struct ktest *t)
{
	static struct slab_sample s[3];
	static char report[2048];
	void *keep[15];
	FILE *f;

	if (!strchr(CONFIG_SLAB_DEBUG, 'U')) {
		ktest_skip(t, "needs SLAB_DEBUG with U (boards/qemu-virt-debug.cfg)");
		return;
	}
	for (int r = 0; r < 3; r++) {
		for (int i = 0; i < 5; i++)
			keep[r * 5 + i] = leaky();
		slab_track_sample(&s[r]);
	}
	f = fmemopen(report, sizeof(report), "w");
	KT_EXPECT(t, slab_leak_check(s, 3, f) >= 1);
	fclose(f);
	fputs(report, stdout);
	/* the growing site is leaky(), named by kallsyms after the counts */
	KT_EXPECT(t, strstr(report, " bytes  leaky+0x") != NULL);
	for (int i = 0; i < 15; i++)
		kfree(keep[i]);
}

static const struct ktest_case slab_cases[] = {
	KTEST_CASE(kmalloc_from_interrupt_context),
	KTEST_CASE(free_plus_used_is_total),
	KTEST_CASE(slab_lines_add_up),
	KTEST_CASE(debug_checks_fire_and_system_survives),
	KTEST_CASE(leak_check_on_target),
	{ 0 },
};
KTEST_SUITE(slab, slab_cases);
