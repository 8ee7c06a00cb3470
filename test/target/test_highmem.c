/*
 * ZONE_HIGHMEM and kmap on the target (boot with highmem=SIZE; without
 * highmem every case is skipped):
 *
 *  - HighMem starts where the linear map ends, and a highmem frame's
 *    would-be linear address faults (nothing maps it);
 *  - kmap/kunmap: the slot's mapping reaches the frame, counted, and the
 *    count returns to zero; kmap_local nests;
 *  - kmap_local from the timer interrupt while the interrupted thread
 *    holds its own mapping: both stay intact, the stack rebalances;
 *  - an app whose pages are all highmem (its anon region, and its .data,
 *    COWed from a highmem page-cache page) fills them, pages them out to
 *    zram, and verifies every byte as they come back;
 *  - kmap_active() is 0 at the end (no slot leaked).
 */
#include <arch/fault.h>
#include <arch/phys.h>
#include <arch/sysreg.h>
#include <arch/timer.h>
#include <kernel/appimg.h>
#include <kernel/ktest.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/highmem.h>
#include <mm/memblock.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <mm/rmap.h>
#include <mm/vma.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <string.h>

#include "app_wait.h"

#define APP_PAGES 2048 /* 8 MiB */

static char out[16384];

static bool no_highmem(struct ktest *t)
{
	if (zone_populated(&zones[ZONE_HIGHMEM]))
		return false;
	ktest_skip(t, "no highmem on this boot (boot with highmem=SIZE)");
	return true;
}

static void read_u64(void *p) { (void)*(volatile u64 *)p; }

static void linear_map_ends_at_highmem(struct ktest *t)
{
	struct fault_catch fc = { .quiet = true };
	struct page *p;
	u64 *va;

	if (no_highmem(t))
		return;
	KT_EXPECT_EQ(t, pfn_to_phys(zones[ZONE_HIGHMEM].start_pfn), memblock_lowmem_end());
	KT_EXPECT_EQ(t, pfn_to_phys(zones[ZONE_NORMAL].end_pfn) <= memblock_lowmem_end(), 1);
	p = alloc_page(GFP_HIGHUSER_MOVABLE);
	KT_ASSERT(t, p && PageHighMem(p));
	/* where the linear map would put it: unmapped */
	KT_EXPECT_EQ(t, fault_catch_call(&fc, read_u64, (void *)(uintptr_t)(PAGE_OFFSET + page_to_phys(p) - PHYS_OFFSET)),
		     1);
	va = kmap(p);
	KT_EXPECT(t, (vaddr_t)va >= PKMAP_BASE && (vaddr_t)va < PKMAP_BASE + LAST_PKMAP * PAGE_SIZE);
	va[0] = 0x1234;
	KT_EXPECT_EQ(t, kmap_active(), 1);
	kunmap(p);
	va = kmap_local_page(p);
	KT_EXPECT(t, (vaddr_t)va >= FIXADDR_START && (vaddr_t)va < FIXADDR_START + FIX_KMAP_SLOTS * PAGE_SIZE);
	KT_EXPECT_EQ(t, va[0], 0x1234); /* the same frame through another slot */
	kunmap_local(va);
	/* unmapped and flushed at once: the slot faults again */
	KT_EXPECT_EQ(t, fault_catch_call(&fc, read_u64, va), 1);
	KT_EXPECT_EQ(t, kmap_active(), 0);
	free_page(p);
}

static void kmap_local_nests(struct ktest *t)
{
	struct page *p[4];
	u32 *va[4];

	if (no_highmem(t))
		return;
	for (int i = 0; i < 4; i++) {
		p[i] = alloc_page(GFP_HIGHUSER_MOVABLE);
		KT_ASSERT(t, p[i] && PageHighMem(p[i]));
		va[i] = kmap_local_page(p[i]);
		va[i][0] = 0xa0 + (u32)i;
	}
	KT_EXPECT_EQ(t, kmap_local_depth, 4);
	for (int i = 3; i >= 0; i--) {
		KT_EXPECT_EQ(t, va[i][0], 0xa0 + (u32)i);
		kunmap_local(va[i]);
	}
	KT_EXPECT_EQ(t, kmap_active(), 0);
	for (int i = 0; i < 4; i++)
		free_page(p[i]);
}

static struct page *irq_page;
static volatile u64 irq_maps, irq_bad;

/* The timer tick: map a highmem page on top of whatever the thread holds. */
static void map_in_tick(void)
{
	unsigned depth = kmap_local_depth;
	u64 *va = kmap_local_page(irq_page);

	if (kmap_local_depth != depth + 1 || va[1] != irq_maps)
		irq_bad++;
	va[1] = ++irq_maps;
	kunmap_local(va);
	if (kmap_local_depth != depth)
		irq_bad++;
}

static void kmap_local_in_interrupts(struct ktest *t)
{
	struct page *mine;
	u64 start, *va, rounds = 0, bad = 0;
	void (*old)(void);

	if (no_highmem(t))
		return;
	mine = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
	irq_page = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
	KT_ASSERT(t, mine && irq_page && PageHighMem(mine) && PageHighMem(irq_page));
	irq_maps = irq_bad = 0;
	old = timer_set_tick_hook(map_in_tick);
	start = timer_ticks();
	/* the thread keeps its own mapping and rewrites it while ticks nest on top */
	while (timer_ticks() - start < 10) {
		va = kmap_local_page(mine);
		for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
			va[i] = rounds ^ i;
		for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
			bad += va[i] != (rounds ^ i);
		kunmap_local(va);
		rounds++;
	}
	timer_set_tick_hook(old);
	KT_EXPECT(t, irq_maps >= 9);
	KT_EXPECT_EQ(t, irq_bad, 0);
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, kmap_active(), 0);
	free_page(mine);
	free_page(irq_page);
}

static struct page *page_at(struct mm_struct *mm, u64 va)
{
	phys_addr_t pa;

	return pgt_query(&mm->pgt, va, &pa, NULL, NULL) ? NULL : pfn_to_page(phys_to_pfn(pa));
}

static void app_in_highmem_swaps_byte_exact(struct ktest *t)
{
	u64 in0 = vm_events[PSWPIN], out0 = vm_events[PSWPOUT], high = 0, swapped = 0;
	struct app a;
	struct task *task;
	struct page *data;

	if (no_highmem(t))
		return;
	if (!appimg_count()) {
		ktest_skip(t, "needs the app image");
		return;
	}
	syscall_capture(out, sizeof(out));
	if (!app_spawn_filled(t, &a, out, APP_PAGES, 5, "wait"))
		return;
	task = task_find(a.pid);
	KT_ASSERT(t, task && task->mm);
	for (u64 i = 0; i < APP_PAGES; i++) {
		struct page *p = page_at(task->mm, a.region + i * PAGE_SIZE);

		high += p && PageHighMem(p);
	}
	KT_EXPECT_EQ(t, high, APP_PAGES); /* every page of its region */
	/* its .data: a private file page written at start-up, COWed into highmem */
	data = page_at(task->mm, ALIGN_DOWN(task->mm->start_data, PAGE_SIZE));
	KT_EXPECT(t, data && PageHighMem(data) && page_is_anon(data));
	/* out to zram (the kernel's side of MADV_PAGEOUT), then the app verifies */
	KT_EXPECT_EQ(t, madvise_pageout_range(vma_lookup(task->mm, a.region), a.region,
					      a.region + APP_PAGES * PAGE_SIZE), APP_PAGES);
	for (u64 i = 0; i < APP_PAGES; i++)
		swapped += !page_at(task->mm, a.region + i * PAGE_SIZE);
	KT_EXPECT_EQ(t, swapped, APP_PAGES);
	KT_EXPECT(t, vm_events[PSWPOUT] - out0 >= APP_PAGES);
	KT_EXPECT_EQ(t, app_release(t, &a), 0); /* every byte came back */
	KT_EXPECT(t, vm_events[PSWPIN] - in0 >= APP_PAGES);
	syscall_capture(NULL, 0);
	KT_EXPECT_EQ(t, kmap_active(), 0);
}

/* Counter ticks over n operations -> instructions per operation under
 * -icount shift=0 (1 ns per instruction), in hundredths. */
static u64 centi_insns(u64 ticks, u64 n) { return ticks * 1000000000ull / timer_freq() * 100 / n; }

static u64 now_ticks(void)
{
	__asm__ volatile("isb" ::: "memory");
	return read_sysreg(cntvct_el0);
}

#define COST_ITERS 20000u
#define ULL(x) ((unsigned long long)(x))

/* What a kmap costs (meaningful under -icount shift=0; printed, not checked). */
static void kmap_cost(struct ktest *t)
{
	struct page *h, *l, *many[64];
	u64 t0, c[4];

	if (no_highmem(t))
		return;
	h = alloc_page(GFP_HIGHUSER_MOVABLE);
	l = alloc_page(GFP_KERNEL);
	KT_ASSERT(t, h && l && PageHighMem(h));
	for (unsigned i = 0; i < 64; i++)
		KT_ASSERT(t, (many[i] = alloc_page(GFP_HIGHUSER_MOVABLE)) != NULL);
	t0 = now_ticks();
	for (unsigned i = 0; i < COST_ITERS; i++) { /* the same page: its slot is reused (lazy flush) */
		void *va = kmap(h);

		__asm__ volatile("" : : "r"(va) : "memory");
		kunmap(h);
	}
	c[0] = centi_insns(now_ticks() - t0, COST_ITERS);
	t0 = now_ticks();
	for (unsigned i = 0; i < COST_ITERS; i++) { /* 64 pages in turn: new slots, a window flush every 512 */
		void *va = kmap(many[i % 64]);

		__asm__ volatile("" : : "r"(va) : "memory");
		kunmap(many[i % 64]);
	}
	c[1] = centi_insns(now_ticks() - t0, COST_ITERS);
	t0 = now_ticks();
	for (unsigned i = 0; i < COST_ITERS; i++) {
		void *va = kmap_local_page(h);

		__asm__ volatile("" : : "r"(va) : "memory");
		kunmap_local(va);
	}
	c[2] = centi_insns(now_ticks() - t0, COST_ITERS);
	t0 = now_ticks();
	for (unsigned i = 0; i < COST_ITERS; i++) {
		void *va = kmap_local_page(l);

		__asm__ volatile("" : : "r"(va) : "memory");
		kunmap_local(va);
	}
	c[3] = centi_insns(now_ticks() - t0, COST_ITERS);
	printf("    # kmap+kunmap same page %llu.%02llu, 64 pages in turn %llu.%02llu; kmap_local+kunmap_local "
	       "highmem %llu.%02llu, lowmem %llu.%02llu instructions (with -icount shift=0)\n",
	       ULL(c[0] / 100), ULL(c[0] % 100), ULL(c[1] / 100), ULL(c[1] % 100), ULL(c[2] / 100), ULL(c[2] % 100),
	       ULL(c[3] / 100), ULL(c[3] % 100));
	KT_EXPECT_EQ(t, kmap_active(), 0);
	for (unsigned i = 0; i < 64; i++)
		free_page(many[i]);
	free_page(h);
	free_page(l);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(linear_map_ends_at_highmem),
	KTEST_CASE(kmap_local_nests),
	KTEST_CASE(kmap_local_in_interrupts),
	KTEST_CASE(app_in_highmem_swaps_byte_exact),
	KTEST_CASE(kmap_cost),
	{ 0 },
};
KTEST_SUITE(highmem, cases);
