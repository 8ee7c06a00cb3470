/*
 * vmalloc and ioremap (mm/vmalloc*.c) on the real MMU, with the live
 * kernel table:
 *  - the guard page after an area faults (translation fault) while the
 *    area's last byte works; vfree'd memory faults;
 *  - a 4 MiB vmalloc over fragmented memory is usable and made of
 *    scattered physical pages (vmalloc_to_page and the linear map agree);
 *    freeing it returns every page;
 *  - vmap shows the given pages in the given order;
 *  - a fresh ioremap of the PL011 reads its PrimeCell ID registers, and
 *    iounmap makes it fault (the console keeps its own mapping);
 *  - vmallocinfo lists the console and the GIC as ioremap areas, its sizes
 *    add up, and meminfo's VmallocUsed is what its vmalloc and vmap areas
 *    map (their sizes less the guard pages);
 *  - a bad vfree is reported and leaves the area working.
 */
#include <arch/fault.h>
#include <arch/layout.h>
#include <arch/trap.h>
#include <kernel/ktest.h>
#include <kernel/libc.h>
#include <lib/list.h>
#include <mm/ioremap.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void read_u8(void *p) { (void)*(volatile u8 *)p; }
static void write_u8(void *p) { *(volatile u8 *)p = 0x5a; }
static void read_u32(void *p) { (void)*(volatile u32 *)p; }

/* fn(arg) must fault with a translation fault (data abort) at arg. */
static void expect_translation_fault(struct ktest *t, void (*fn)(void *), void *arg)
{
	struct fault_catch fc = { 0 };
	enum fault_type type;
	int level;

	KT_ASSERT(t, fault_catch_call(&fc, fn, arg) == 1);
	KT_EXPECT_EQ(t, fault_catch_decode(&fc, &type, &level), TRAP_DATA_ABORT);
	KT_EXPECT_EQ(t, type, FAULT_TRANSLATION);
	KT_EXPECT_EQ(t, fc.far, (uintptr_t)arg);
}

static bool runs_cleanly(void (*fn)(void *), void *arg)
{
	struct fault_catch fc = { .quiet = true };

	return fault_catch_call(&fc, fn, arg) == 0;
}

static u64 free_pages_now(void)
{
	drain_pcp_pages();
	return nr_free_pages();
}

static void guard_page_after_an_area_faults(struct ktest *t)
{
	size_t size = 3 * PAGE_SIZE + 100;
	u8 *p = vmalloc(size);
	struct vm_area *a = find_vm_area(p);

	KT_ASSERT(t, p && a);
	KT_EXPECT_EQ(t, a->size, 5 * PAGE_SIZE); /* 4 pages and the guard */
	KT_EXPECT(t, runs_cleanly(write_u8, p));
	KT_EXPECT(t, runs_cleanly(write_u8, p + size - 1));
	KT_EXPECT(t, runs_cleanly(write_u8, p + 4 * PAGE_SIZE - 1)); /* last byte of the last page */
	KT_EXPECT_EQ(t, p[size - 1], 0x5a);
	expect_translation_fault(t, read_u8, p + 4 * PAGE_SIZE);     /* first byte of the guard */
	expect_translation_fault(t, write_u8, p + 5 * PAGE_SIZE - 1); /* its last byte */
	vfree(p);
}

static void vfreed_memory_faults(struct ktest *t)
{
	u8 *p = vmalloc(2 * PAGE_SIZE);

	KT_ASSERT(t, p);
	memset(p, 0x11, 2 * PAGE_SIZE);
	vfree(p);
	KT_EXPECT(t, !find_vm_area(p));
	expect_translation_fault(t, read_u8, p);
	expect_translation_fault(t, write_u8, p + PAGE_SIZE + 7);
}

#define BIG_PAGES 1024 /* 4 MiB */

static void four_mib_from_scattered_pages(struct ktest *t)
{
	static struct page *held[2 * BIG_PAGES];
	u64 before = free_pages_now(), discontiguous = 0, bad = 0;
	u64 *p;

	/* fragment: take 8 MiB of pages and give back every other one */
	for (int i = 0; i < 2 * BIG_PAGES; i++) {
		held[i] = alloc_page(GFP_KERNEL);
		KT_ASSERT(t, held[i]);
	}
	for (int i = 1; i < 2 * BIG_PAGES; i += 2) {
		free_page(held[i]);
		held[i] = NULL;
	}
	p = vmalloc(BIG_PAGES * PAGE_SIZE);
	KT_ASSERT(t, p);
	for (u64 i = 0; i < BIG_PAGES * PAGE_SIZE / 8; i += 64) /* every 512 bytes */
		p[i] = i * 0x9e3779b97f4a7c15ULL;
	for (u64 pg = 0; pg < BIG_PAGES; pg++) {
		struct page *page = vmalloc_to_page((u8 *)p + pg * PAGE_SIZE + 100);
		const u64 *lin;

		KT_ASSERT(t, page);
		KT_EXPECT(t, page == find_vm_area(p)->pages[pg]);
		lin = page_address(page);
		for (u64 w = 0; w < PAGE_SIZE / 8; w += 64) {
			u64 i = pg * PAGE_SIZE / 8 + w;

			bad += lin[w] != i * 0x9e3779b97f4a7c15ULL;
		}
		if (pg && page_to_pfn(page) != page_to_pfn(vmalloc_to_page((u8 *)p + (pg - 1) * PAGE_SIZE)) + 1)
			discontiguous++;
	}
	KT_EXPECT_EQ(t, bad, 0); /* the linear map sees what the vmalloc map wrote: distinct pages */
	KT_EXPECT(t, discontiguous > BIG_PAGES / 4);
	printf("    # 4 MiB vmalloc: %llu of %d page steps are physically discontiguous\n",
	       (unsigned long long)discontiguous, BIG_PAGES - 1);
	vfree(p);
	for (int i = 0; i < 2 * BIG_PAGES; i += 2)
		free_page(held[i]);
	KT_EXPECT_EQ(t, free_pages_now(), before);
}

static void vmap_shows_pages_in_order(struct ktest *t)
{
	struct page *pg[3], *rev[3];
	u32 *v;

	for (int i = 0; i < 3; i++) {
		pg[i] = alloc_page(GFP_KERNEL);
		KT_ASSERT(t, pg[i]);
		*(u32 *)page_address(pg[i]) = 0xabc0 + i;
		rev[2 - i] = pg[i];
	}
	v = vmap(rev, 3, MMU_KERNEL_RW);
	KT_ASSERT(t, v);
	for (int i = 0; i < 3; i++)
		KT_EXPECT_EQ(t, v[i * PAGE_SIZE / 4], 0xabc0 + 2 - i);
	v[PAGE_SIZE / 4 + 1] = 0x1234;
	KT_EXPECT_EQ(t, ((u32 *)page_address(pg[1]))[1], 0x1234);
	expect_translation_fault(t, read_u32, (u8 *)v + 3 * PAGE_SIZE); /* guard */
	vunmap(v);
	expect_translation_fault(t, read_u32, v);
	KT_EXPECT_EQ(t, *(u32 *)page_address(pg[0]), 0xabc0); /* the pages are still ours */
	for (int i = 0; i < 3; i++)
		free_page(pg[i]);
}

static void ioremap_reads_pl011_ids(struct ktest *t)
{
	/* UARTPeriphID0..3, UARTPCellID0..3 at 0xfe0..0xffc */
	static const u32 ids[8] = { 0x11, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	volatile u32 *uart = ioremap(CONFIG_UART_BASE, SZ_4K);
	struct vm_area *a = find_vm_area((const void *)uart);

	KT_ASSERT(t, uart && a);
	KT_EXPECT_EQ(t, a->flags, VM_IOREMAP);
	KT_EXPECT_EQ(t, a->phys, CONFIG_UART_BASE);
	KT_EXPECT(t, !vmalloc_to_page((const void *)uart));
	for (int i = 0; i < 8; i++) {
		u32 v = uart[(0xfe0 + 4 * i) / 4] & 0xff;

		if (i == 2) /* PeriphID2: revision in bits 7:4 */
			KT_EXPECT_EQ(t, v & 0x0f, ids[i]);
		else
			KT_EXPECT_EQ(t, v, ids[i]);
	}
	iounmap(uart);
	expect_translation_fault(t, read_u32, (void *)&uart[0xfe0 / 4]);
	printf("    # the console still prints through its own mapping\n");
}

/* A stream into a buffer. */
struct mem_stream {
	char *buf;
	size_t len, pos;
};

static int mem_put(char c, void *cookie)
{
	struct mem_stream *m = cookie;

	if (m->pos + 1 >= m->len)
		return EOF;
	m->buf[m->pos++] = c;
	return (unsigned char)c;
}

/* A report into buf, NUL terminated. */
static void capture(void (*show)(FILE *), char *buf, size_t len)
{
	struct mem_stream m = { buf, len, 0 };
	FILE *f = stream_open(mem_put, &m);

	buf[0] = 0;
	if (!f)
		return;
	show(f);
	stream_close(f);
	buf[m.pos] = 0;
}

static void vmallocinfo_lists_devices_and_adds_up(struct ktest *t)
{
	static char info[8192], mi[2048];
	char uart[40], gicd[40];
	u64 sum = 0, mapped = 0, used_kb = ~0ULL, lines = 0;
	bool saw_uart = false, saw_gicd = false;
	u64 used_before = vmalloc_used_bytes(); /* other users' areas, e.g. the DMA engines' rings */
	struct page *pg = alloc_page(GFP_KERNEL);
	void *v = vmalloc(5 * PAGE_SIZE), *m = vmap(&pg, 1, MMU_KERNEL_RW);
	struct vmalloc_info vi;
	char *line, *save;

	KT_ASSERT(t, v && m);
	capture(show_vmallocinfo, info, sizeof(info));
	capture(show_meminfo, mi, sizeof(mi));
	get_vmalloc_info(&vi);
	snprintf(uart, sizeof(uart), " phys=0x%016llx ioremap", (unsigned long long)CONFIG_UART_BASE);
	snprintf(gicd, sizeof(gicd), " phys=0x%016llx ioremap", (unsigned long long)CONFIG_GIC_DIST_BASE);
	for (line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long start, end, size;
		size_t len = strlen(line);

		printf("    # %s\n", line);
		KT_ASSERT(t, sscanf(line, "0x%llx-0x%llx %llu", &start, &end, &size) == 3);
		KT_EXPECT_EQ(t, end - start, size);
		sum += size;
		lines++;
		if ((len > 8 && !strcmp(line + len - 8, " vmalloc")) || (len > 5 && !strcmp(line + len - 5, " vmap")))
			mapped += size - PAGE_SIZE;
		saw_uart |= strstr(line, uart) != NULL;
		saw_gicd |= strstr(line, gicd) != NULL;
	}
	KT_EXPECT(t, saw_uart);
	KT_EXPECT(t, saw_gicd);
	KT_EXPECT_EQ(t, lines, vi.nr_areas);
	KT_EXPECT_EQ(t, sum, vi.area_bytes);
	for (line = strtok_r(mi, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "Vmalloc", 7))
			continue;
		printf("    # %s\n", line);
		if (!strncmp(line, "VmallocUsed:", 12))
			used_kb = strtoull(line + 12, NULL, 10);
	}
	KT_EXPECT_EQ(t, mapped, vmalloc_used_bytes());
	KT_EXPECT_EQ(t, used_kb * 1024, mapped);
	KT_EXPECT_EQ(t, mapped - used_before, 6 * PAGE_SIZE);
	vunmap(m);
	vfree(v);
	free_page(pg);
}

static void bad_vfree_is_reported_and_harmless(struct ktest *t)
{
	u64 reports = vmalloc_bad_free_reports;
	u8 *p = vmalloc(2 * PAGE_SIZE);

	KT_ASSERT(t, p);
	vfree(p + PAGE_SIZE);
	iounmap(p);
	KT_EXPECT_EQ(t, vmalloc_bad_free_reports, reports + 2);
	KT_EXPECT(t, runs_cleanly(write_u8, p + 2 * PAGE_SIZE - 1));
	vfree(p);
	vfree(p); /* double free: reported */
	KT_EXPECT_EQ(t, vmalloc_bad_free_reports, reports + 3);
}

static const struct ktest_case vmalloc_cases[] = {
	KTEST_CASE(guard_page_after_an_area_faults),
	KTEST_CASE(vfreed_memory_faults),
	KTEST_CASE(four_mib_from_scattered_pages),
	KTEST_CASE(vmap_shows_pages_in_order),
	KTEST_CASE(ioremap_reads_pl011_ids),
	KTEST_CASE(vmallocinfo_lists_devices_and_adds_up),
	KTEST_CASE(bad_vfree_is_reported_and_harmless),
	{ 0 },
};
KTEST_SUITE(vmalloc, vmalloc_cases);
