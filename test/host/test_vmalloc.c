/*
 * vmalloc, vmap and ioremap (mm/vmalloc*.c) on the fixture board
 * (test/host/mm_fixture.c), over a live host page table for the kernel's
 * window, checked with the ARMv8 walker (platform/common/long_desc_walk.c): areas
 * never overlap and each is followed by an unmapped guard page, freed VA
 * is reused first fit and nothing leaks (free pages before == after,
 * table pages back to the root), vmap maps the given pages in order,
 * vmalloc_to_page round trips, ioremap refuses RAM and maps Device XN,
 * bad frees are reported and change nothing, a random workload follows a
 * first-fit model exactly, failures roll back, vmallocinfo parses and
 * adds up, and meminfo's Vmalloc lines agree with it.
 *
 * mm/kmap.c (target only) owns kernel_pgt; here it is a host table over
 * the fixture's arena whose table pages come from the page allocator, so
 * that table pages count in the free-page accounting.
 */
#include <arch/layout.h>
#include <arch/phys.h>
#include <arch/pte_bits.h>
#include <arch/walk.h>
#include <errno.h>
#include <host.h>
#include <mm/ioremap.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/vmalloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kernel_window.h"
#include "mm_fixture.h"

struct pgtable kernel_pgt;

#define UART_PA 0x09000000ULL /* device addresses below the fixture's RAM */
#define DEV_PA 0x10000000ULL

static long table_fail_after = -1; /* -1: never fail */
static u64 free_at_start;

static phys_addr_t table_alloc(void *ctx)
{
	struct page *p;

	(void)ctx;
	if (table_fail_after == 0)
		return 0;
	if (table_fail_after > 0)
		table_fail_after--;
	p = alloc_page(GFP_KERNEL | __GFP_ZERO);
	return p ? page_to_phys(p) : 0;
}

static void table_free(void *ctx, phys_addr_t pa)
{
	(void)ctx;
	free_page(pfn_to_page(phys_to_pfn(pa)));
}

static u64 free_pages_now(void)
{
	drain_pcp_pages();
	return nr_free_pages();
}

static int setup(void **state)
{
	(void)state;
	kw_reserve();
	fix_mm_setup(false, false);
	assert_int_equal(pgt_init(&kernel_pgt, KW_PAGE_OFFSET, KW_VA_BITS, table_alloc, table_free, NULL), 0);
	kernel_pgt.live = true;
	table_fail_after = -1;
	host_mmu_reset();
	assert_int_equal(vmalloc_init(&kernel_pgt, KW_VMALLOC_START, KW_VMALLOC_END), 0);
	free_at_start = free_pages_now();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(host_mmu.bbm_violations, 0);
	assert_int_equal(vmalloc_used_bytes(), 0);   /* every test frees what it made */
	assert_int_equal(free_pages_now(), free_at_start);
	assert_int_equal(kernel_pgt.nr_tables, 1);    /* only the root is left */
	pgt_destroy(&kernel_pgt);
	fix_mm_teardown();
	return 0;
}

static u64 va_of(const volatile void *p) { return (u64)(uintptr_t)p; }
static void *ptr(u64 va) { return (void *)(uintptr_t)va; }

static bool walk(u64 va, struct walk_result *r) { return arm64_walk(kernel_pgt.root, KW_VA_BITS, true, true, kw_walk_va(va), r); }

static bool mapped(u64 va)
{
	struct walk_result r;

	return walk(va, &r);
}

/* The area is mapped as its kind says, page by page, and its guard page is not. */
static void check_area(const struct vm_area *a)
{
	u64 guard = a->addr + a->size - PAGE_SIZE;

	assert_true(a->addr >= KW_VMALLOC_START && a->addr + a->size <= KW_VMALLOC_END);
	assert_int_equal(a->addr % PAGE_SIZE, 0);
	assert_true(a->size >= 2 * PAGE_SIZE);
	assert_false(mapped(guard));
	for (u64 va = a->addr; va < guard; va += PAGE_SIZE) {
		struct walk_result r;

		assert_true(walk(va, &r));
		assert_false(r.el1_exec);
		assert_false(r.el0_read);
		if (a->flags & VM_ALLOC) {
			assert_int_equal(r.pa, page_to_phys(a->pages[(va - a->addr) / PAGE_SIZE]));
			assert_true(r.el1_write);
			assert_int_equal(r.attr_index, MAIR_IDX_NORMAL);
			assert_int_equal(r.level, 3);
		} else if (a->flags & VM_IOREMAP) {
			assert_int_equal(r.pa, a->phys + (va - a->addr));
		}
	}
	if (a->flags & VM_ALLOC)
		assert_int_equal(a->nr_pages, a->size / PAGE_SIZE - 1);
}

/* Every area: in order, no overlap, mapped with its guard; they add up. */
static void check_all_areas(void)
{
	struct vm_area a;
	u64 from = 0, prev_end = KW_VMALLOC_START, sum = 0, mapped = 0, n = 0;
	struct vmalloc_info vi;

	while (vmalloc_next_area(from, &a)) {
		assert_true(a.addr >= prev_end);
		check_area(&a);
		sum += a.size;
		if (a.flags & (VM_ALLOC | VM_MAP))
			mapped += a.size - PAGE_SIZE;
		n++;
		prev_end = from = a.addr + a.size;
	}
	get_vmalloc_info(&vi);
	assert_int_equal(sum, vi.area_bytes);
	assert_int_equal(n, vi.nr_areas);
	assert_int_equal(mapped, vi.used);
	assert_int_equal(mapped, vmalloc_used_bytes());
}

static void check_unmapped(u64 va, u64 size)
{
	for (u64 off = 0; off < size; off += PAGE_SIZE)
		assert_false(mapped(va + off));
}

/* ---- layout and reuse ----------------------------------------------------- */

static void areas_never_overlap_and_keep_a_guard_page(void **state)
{
	static const size_t sizes[] = { 1, 4095, 4096, 4097, 3 * 4096, 20000, 5 * 4096 + 1, 65536, 123456 };
	void *p[ARRAY_SIZE(sizes)];
	struct page *pages[3];
	void *m, *io;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct vm_area *a;

		p[i] = vmalloc(sizes[i]);
		assert_non_null(p[i]);
		assert_true(is_vmalloc_addr(p[i]));
		a = find_vm_area(p[i]);
		assert_non_null(a);
		assert_int_equal(a->addr, va_of(p[i]));
		assert_int_equal(a->size, ALIGN_UP(sizes[i], PAGE_SIZE) + PAGE_SIZE);
		assert_int_equal(a->flags, VM_ALLOC);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(pages); i++)
		pages[i] = alloc_page(GFP_KERNEL);
	m = vmap(pages, 3, MMU_KERNEL_RW);
	io = ioremap(UART_PA, 0x1000);
	assert_non_null(m);
	assert_non_null(io);
	check_all_areas();
	/* back to back: each area starts right after the previous one's guard */
	for (unsigned i = 1; i < ARRAY_SIZE(sizes); i++)
		assert_int_equal(va_of(p[i]), va_of(p[i - 1]) + ALIGN_UP(sizes[i - 1], PAGE_SIZE) + PAGE_SIZE);
	assert_int_equal(va_of(p[0]), KW_VMALLOC_START);
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++)
		vfree(p[i]);
	vunmap(m);
	iounmap(io);
	for (unsigned i = 0; i < ARRAY_SIZE(pages); i++)
		free_page(pages[i]);
}

static void freed_va_is_reused_and_nothing_leaks(void **state)
{
	void *a, *b, *c, *d, *e;

	(void)state;
	a = vmalloc(3 * PAGE_SIZE);
	b = vmalloc(PAGE_SIZE);
	c = vmalloc(10 * PAGE_SIZE);
	assert_int_equal(va_of(b), va_of(a) + 4 * PAGE_SIZE);
	assert_int_equal(va_of(c), va_of(b) + 2 * PAGE_SIZE);
	vfree(b);
	check_unmapped(va_of(b), PAGE_SIZE);
	d = vmalloc(100); /* first fit: b's hole */
	assert_ptr_equal(d, b);
	vfree(a);
	e = vmalloc(5 * PAGE_SIZE); /* 6 pages with its guard: a's hole has 4 */
	assert_int_equal(va_of(e), va_of(c) + 11 * PAGE_SIZE);
	check_all_areas();
	vfree(c);
	vfree(d);
	vfree(e);
	assert_int_equal(vmalloc_used_bytes(), 0);
	assert_int_equal(free_pages_now(), free_at_start);
	assert_int_equal(kernel_pgt.nr_tables, 1); /* empty tables went back */
	a = vmalloc(PAGE_SIZE);
	assert_int_equal(va_of(a), KW_VMALLOC_START);
	vfree(a);
}

static void first_fit_goes_below_the_hint(void **state)
{
	void *p[10], *x, *y, *z, *wide, *small;

	(void)state;
	for (int i = 0; i < 10; i++)
		p[i] = vmalloc(PAGE_SIZE);
	vfree(p[6]);
	vfree(p[2]);
	x = vmalloc(PAGE_SIZE);
	y = vmalloc(PAGE_SIZE);
	z = vmalloc(PAGE_SIZE);
	assert_ptr_equal(x, p[2]);
	assert_ptr_equal(y, p[6]);
	assert_int_equal(va_of(z), va_of(p[9]) + 2 * PAGE_SIZE);
	/* a larger request skips the small hole and lands after the hint */
	vfree(p[4]);
	wide = vmalloc(2 * PAGE_SIZE);
	assert_int_equal(va_of(wide), va_of(z) + 2 * PAGE_SIZE);
	/* a small one still finds the hole below */
	small = vmalloc(PAGE_SIZE);
	assert_ptr_equal(small, p[4]);
	check_all_areas();
	for (int i = 0; i < 10; i++)
		if (i != 2 && i != 4 && i != 6)
			vfree(p[i]);
	vfree(x);
	vfree(y);
	vfree(z);
	vfree(wide);
	vfree(small);
}

/* ---- vmap, vmalloc_to_page, vzalloc ---------------------------------------- */

static void vmap_maps_the_pages_in_order(void **state)
{
	struct page *pages[5], *spare[5], *rev[5], *bad[2];
	void *v;

	(void)state;
	for (int i = 0; i < 5; i++) { /* interleaved: not physically contiguous */
		pages[i] = alloc_page(GFP_KERNEL);
		spare[i] = alloc_page(GFP_KERNEL);
		rev[4 - i] = pages[i]; /* mapped in reverse: the order is the array's */
	}
	v = vmap(rev, 5, MMU_KERNEL_RO);
	assert_non_null(v);
	for (int i = 0; i < 5; i++) {
		struct walk_result r;
		u64 va = va_of(v) + i * PAGE_SIZE;

		assert_true(walk(va + 8, &r));
		assert_int_equal(r.pa, page_to_phys(rev[i]) + 8);
		assert_false(r.el1_write);
		assert_false(r.el1_exec);
		assert_ptr_equal(vmalloc_to_page(ptr(va + 123)), rev[i]);
	}
	assert_false(mapped(va_of(v) + 5 * PAGE_SIZE));
	assert_int_equal(find_vm_area(v)->flags, VM_MAP);
	assert_int_equal(find_vm_area(v)->nr_pages, 0); /* as Linux: the caller owns them */
	vunmap(v);
	check_unmapped(va_of(v), 5 * PAGE_SIZE);
	assert_null(vmalloc_to_page(v));
	for (int i = 0; i < 5; i++)
		assert_int_equal(pages[i]->refcount, 1); /* still the caller's */

	/* refused: nothing, W+X, user, device memory, a missing page */
	assert_null(vmap(pages, 0, MMU_KERNEL_RW));
	assert_null(vmap(NULL, 1, MMU_KERNEL_RW));
	assert_null(vmap(pages, 1, MMU_READ | MMU_WRITE | MMU_EXEC));
	assert_null(vmap(pages, 1, MMU_KERNEL_RW | MMU_USER));
	assert_null(vmap(pages, 1, MMU_KERNEL_IO));
	bad[0] = pages[0];
	bad[1] = NULL;
	assert_null(vmap(bad, 2, MMU_KERNEL_RW));
	v = vmap(pages, 1, MMU_KERNEL_RX); /* read-only code is fine */
	assert_non_null(v);
	vunmap(v);
	assert_int_equal(vmalloc_used_bytes(), 0);
	for (int i = 0; i < 5; i++) {
		free_page(pages[i]);
		free_page(spare[i]);
	}
}

static void vmalloc_to_page_round_trips(void **state)
{
	u8 *p = vmalloc(10 * PAGE_SIZE);
	struct vm_area *a = find_vm_area(p);

	(void)state;
	assert_non_null(p);
	assert_int_equal(a->nr_pages, 10);
	for (unsigned i = 0; i < 10; i++) {
		struct page *pg = vmalloc_to_page(p + i * PAGE_SIZE + i * 7);
		struct walk_result r;

		assert_ptr_equal(pg, a->pages[i]);
		assert_true(walk(va_of(p) + i * PAGE_SIZE, &r));
		assert_int_equal(r.pa, page_to_phys(pg));
		assert_ptr_equal(virt_to_page(page_address(pg)), pg);
		assert_ptr_equal(find_vm_area(p + i * PAGE_SIZE + 5), a);
	}
	assert_null(vmalloc_to_page(p + 10 * PAGE_SIZE)); /* the guard page */
	assert_ptr_equal(find_vm_area(p + 10 * PAGE_SIZE), a); /* part of the area */
	assert_null(find_vm_area(p + 11 * PAGE_SIZE));
	assert_null(vmalloc_to_page(ptr(KW_LINEAR_VA))); /* linear map */
	assert_false(is_vmalloc_addr(ptr(KW_LINEAR_VA)));
	assert_false(is_vmalloc_addr(ptr(KW_VMALLOC_END)));
	assert_true(is_vmalloc_addr(ptr(KW_VMALLOC_END - 1)));
	vfree(p);
	assert_null(vmalloc_to_page(p));
	assert_null(find_vm_area(p));
}

static void vzalloc_zeroes_and_pages_arrays_grow(void **state)
{
	struct page *dirty[64];
	u8 *z, *big;
	struct vm_area *a;

	(void)state;
	for (int i = 0; i < 64; i++) {
		dirty[i] = alloc_page(GFP_KERNEL);
		memset(page_address(dirty[i]), 0x5a, PAGE_SIZE);
	}
	for (int i = 0; i < 64; i++)
		free_page(dirty[i]);
	z = vzalloc(64 * PAGE_SIZE);
	a = find_vm_area(z);
	for (int i = 0; i < 64; i++) {
		const u8 *b = page_address(a->pages[i]);

		for (unsigned j = 0; j < PAGE_SIZE; j++)
			assert_int_equal(b[j], 0);
	}
	/* 1500 pages: the pages array (12000 bytes) takes an order-2 block */
	big = vmalloc(1500 * PAGE_SIZE);
	assert_non_null(big);
	check_area(find_vm_area(big));
	assert_int_equal(find_vm_area(big)->nr_pages, 1500);
	vfree(big);
	vfree(z);
}

/* ---- ioremap ----------------------------------------------------------------- */

static void ioremap_maps_devices_and_refuses_ram(void **state)
{
	struct walk_result r;
	struct vm_area *a;
	void *io, *wc, *big;
	int level;

	(void)state;
	/* RAM, or a range that touches it, is refused */
	assert_null(ioremap(FIX_RAM_BASE, PAGE_SIZE));
	assert_null(ioremap(FIX_RAM_BASE + FIX_RAM_SIZE - 8, 8));
	assert_null(ioremap(FIX_RAM_BASE - PAGE_SIZE, 2 * PAGE_SIZE));
	assert_null(ioremap(FIX_RAM_BASE - 16, 17));
	assert_null(ioremap_wc(FIX_RAM_BASE + SZ_1M, PAGE_SIZE));
	assert_null(ioremap(UART_PA, 0));
	assert_null(ioremap(~0ULL - 10, 100));
	assert_int_equal(vmalloc_used_bytes(), 0);

	/* a device: offset kept, Device-nGnRE, writable, never executable */
	io = ioremap(UART_PA + 0x10, 0x20);
	assert_non_null(io);
	assert_int_equal(va_of(io) & (PAGE_SIZE - 1), 0x10);
	assert_true(walk(va_of(io), &r));
	assert_int_equal(r.pa, UART_PA + 0x10);
	assert_int_equal(r.attr_index, MAIR_IDX_DEVICE);
	assert_true(r.el1_write);
	assert_false(r.el1_exec);
	a = find_vm_area(io);
	assert_int_equal(a->flags, VM_IOREMAP);
	assert_int_equal(a->phys, UART_PA);
	assert_int_equal(a->size, 2 * PAGE_SIZE);
	assert_null(vmalloc_to_page(io)); /* no struct page behind a device */

	/* a range straddling a page boundary takes both pages */
	wc = ioremap_wc(DEV_PA + PAGE_SIZE - 4, 8);
	assert_non_null(wc);
	assert_int_equal(find_vm_area(wc)->size, 3 * PAGE_SIZE);
	assert_true(walk(va_of(wc) + 4, &r));
	assert_int_equal(r.pa, DEV_PA + PAGE_SIZE);
	assert_int_equal(r.attr_index, MAIR_IDX_NORMAL_NC);
	assert_false(r.el1_exec);

	/* 2 MiB aligned and large: VA aligned too, so blocks are used */
	big = ioremap(DEV_PA + 4 * SZ_2M, 2 * SZ_2M + PAGE_SIZE);
	assert_non_null(big);
	assert_int_equal(va_of(big) % SZ_2M, 0);
	assert_int_equal(pgt_query(&kernel_pgt, va_of(big), NULL, NULL, &level), 0);
	assert_int_equal(level, 2);
	assert_int_equal(pgt_query(&kernel_pgt, va_of(big) + 2 * SZ_2M, NULL, NULL, &level), 0);
	assert_int_equal(level, 3);
	check_all_areas();

	iounmap((u8 *)io + 0x30); /* any address in the first page */
	check_unmapped(va_of(io) & ~(PAGE_SIZE - 1), PAGE_SIZE);
	iounmap(wc);
	iounmap(big);
	assert_int_equal(vmalloc_used_bytes(), 0);
}

/* ---- bad frees --------------------------------------------------------------- */

/* Run fn(arg) with stdout captured into buf. */
static void capture_stdout(void (*fn)(void *), void *arg, char *buf, size_t len)
{
	FILE *tmp = tmpfile();
	int saved;
	size_t n;

	assert_non_null(tmp);
	fflush(stdout);
	saved = dup(1);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), 1) >= 0);
	fn(arg);
	fflush(stdout);
	assert_true(dup2(saved, 1) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, len - 1, tmp);
	buf[n] = 0;
	fclose(tmp);
}

static void vfree_fn(void *p) { vfree(p); }

static void bad_frees_are_reported_and_change_nothing(void **state)
{
	u64 reports = vmalloc_bad_free_reports, used;
	struct page *pg = alloc_page(GFP_KERNEL);
	u8 *p = vmalloc(2 * PAGE_SIZE), *q = vmalloc(PAGE_SIZE);
	void *io = ioremap(UART_PA, PAGE_SIZE), *m = vmap(&pg, 1, MMU_KERNEL_RW);
	char out[4096], expect[128];

	(void)state;
	used = vmalloc_used_bytes();
	capture_stdout(vfree_fn, p + PAGE_SIZE, out, sizeof(out));
	snprintf(expect, sizeof(expect), "vmalloc: bad vfree(%#llx): not the start of an area\n",
		 (unsigned long long)va_of(p + PAGE_SIZE));
	assert_non_null(strstr(out, expect));
	snprintf(expect, sizeof(expect), "vmalloc: nearest area: 0x%016llx-0x%016llx   12288 ",
		 (unsigned long long)va_of(p), (unsigned long long)va_of(p) + 3 * PAGE_SIZE);
	assert_non_null(strstr(out, expect));
	assert_non_null(strstr(out, "pages=2 vmalloc\n"));
	assert_non_null(strstr(out, "Call trace:"));

	vfree(p + 1);
	vfree(io);                          /* an ioremap area */
	vfree(m);                           /* a vmap area */
	iounmap(p);                         /* a vmalloc area */
	vunmap(p);
	vfree(ptr(0x1234));                 /* not in the window */
	vfree(ptr(KW_LINEAR_VA));
	vfree(ptr(KW_VMALLOC_START + (KW_VMALLOC_END - KW_VMALLOC_START) / 2));  /* in the window, no area */
	assert_int_equal(vmalloc_bad_free_reports, reports + 9);
	assert_int_equal(vmalloc_used_bytes(), used);
	check_all_areas();

	vfree(q);
	vfree(q); /* double free: the area is gone */
	assert_int_equal(vmalloc_bad_free_reports, reports + 10);
	vfree(NULL);
	iounmap(NULL);
	vunmap(NULL);
	assert_int_equal(vmalloc_bad_free_reports, reports + 10);
	vfree(p);
	iounmap(io);
	vunmap(m);
	free_page(pg);
}

/* ---- a random workload against a first-fit model --------------------------------- */

#define MODEL_MAX 256
struct model_area {
	u64 addr, size; /* size with the guard page */
	u8 *p;
};
static struct model_area model[MODEL_MAX]; /* sorted by address */
static unsigned model_n;

/* Where first fit puts size bytes (guard included), and the index it takes. */
static u64 model_fit(u64 size, unsigned *idx)
{
	u64 lo = KW_VMALLOC_START;

	for (unsigned i = 0; i <= model_n; i++) {
		u64 hi = i < model_n ? model[i].addr : KW_VMALLOC_END;

		if (hi - lo >= size) {
			*idx = i;
			return lo;
		}
		if (i < model_n)
			lo = model[i].addr + model[i].size;
	}
	fail();
	return 0;
}

static u64 random_pages(void)
{
	int r = rand() % 100;

	if (r < 70)
		return 1 + rand() % 4;
	if (r < 95)
		return 5 + rand() % 60;
	return 100 + rand() % 600; /* pages arrays of order 0..1 */
}

static void random_workload_follows_the_model(void **state)
{
	(void)state;
	srand(4242);
	model_n = 0;
	for (int op = 0; op < 4000; op++) {
		if (model_n < MODEL_MAX && (model_n == 0 || rand() % 100 < 55)) {
			u64 pages = random_pages(), expect;
			size_t bytes = pages * PAGE_SIZE - (size_t)(rand() % PAGE_SIZE);
			unsigned idx;
			u8 *p = rand() % 4 ? vmalloc(bytes) : vzalloc(bytes);
			struct vm_area *a = find_vm_area(p);

			expect = model_fit((pages + 1) * PAGE_SIZE, &idx);
			assert_non_null(p);
			assert_int_equal(va_of(p), expect);
			assert_int_equal(a->size, (pages + 1) * PAGE_SIZE);
			check_area(a);
			memmove(&model[idx + 1], &model[idx], (model_n - idx) * sizeof(model[0]));
			model[idx] = (struct model_area){ expect, (pages + 1) * PAGE_SIZE, p };
			model_n++;
		} else {
			unsigned i = (unsigned)rand() % model_n;

			vfree(model[i].p);
			check_unmapped(model[i].addr, model[i].size);
			memmove(&model[i], &model[i + 1], (model_n - i - 1) * sizeof(model[0]));
			model_n--;
		}
		if (op % 500 == 499) {
			u64 sum = 0;

			for (unsigned i = 0; i < model_n; i++)
				sum += model[i].size - PAGE_SIZE;
			assert_int_equal(vmalloc_used_bytes(), sum);
			check_all_areas();
		}
	}
	while (model_n)
		vfree(model[--model_n].p);
}

/* ---- limits and failures ----------------------------------------------------------- */

static void a_small_window_fills_up_and_reports_its_chunk(void **state)
{
	u64 start = KW_VMALLOC_START + (KW_VMALLOC_END - KW_VMALLOC_START) / 2;
	struct pgtable wide;
	struct vmalloc_info vi;
	void *a, *b, *c;

	(void)state;
	assert_int_equal(vmalloc_init(&kernel_pgt, start, start + 16 * PAGE_SIZE), 0);
	a = vmalloc(15 * PAGE_SIZE);
	assert_int_equal(va_of(a), start);
	assert_null(vmalloc(1));
	assert_null(ioremap(UART_PA, PAGE_SIZE));
	get_vmalloc_info(&vi);
	assert_int_equal(vi.total, 16 * PAGE_SIZE);
	assert_int_equal(vi.area_bytes, 16 * PAGE_SIZE);
	assert_int_equal(vi.used, 15 * PAGE_SIZE);
	assert_int_equal(vi.largest_chunk, 0);
	assert_int_equal(vi.nr_pages, 15);
	vfree(a);
	a = vmalloc(7 * PAGE_SIZE);
	b = vmalloc(7 * PAGE_SIZE);
	assert_int_equal(va_of(b), start + 8 * PAGE_SIZE);
	assert_null(vmalloc(1));
	vfree(a);
	get_vmalloc_info(&vi);
	assert_int_equal(vi.largest_chunk, 8 * PAGE_SIZE);
	c = vmalloc(2 * PAGE_SIZE);
	assert_int_equal(va_of(c), start);
	get_vmalloc_info(&vi);
	assert_int_equal(vi.largest_chunk, 5 * PAGE_SIZE);
	assert_null(vmalloc(17 * PAGE_SIZE)); /* larger than the window */
	vfree(b);
	vfree(c);
	/* bad windows */
	assert_int_equal(vmalloc_init(&kernel_pgt, start, start), -EINVAL);
	assert_int_equal(vmalloc_init(&kernel_pgt, start + 1, start + SZ_1M), -EINVAL);
	assert_int_equal(vmalloc_init(&kernel_pgt, 0x1000, 0x2000), -EINVAL); /* below the table */
	assert_int_equal(vmalloc_init(NULL, start, start + SZ_1M), -EINVAL);
	/* above 4 GiB: a window only 64-bit pointers can address */
	assert_int_equal(pgt_init(&wide, 0, 39, table_alloc, table_free, NULL), 0);
	assert_int_equal(vmalloc_init(&wide, 1ULL << 32, (1ULL << 32) + SZ_1M), KW_PTR32 ? -EINVAL : 0);
	pgt_destroy(&wide);
	assert_int_equal(vmalloc_init(&kernel_pgt, KW_VMALLOC_START, KW_VMALLOC_END), 0);
}

static void failures_roll_back(void **state)
{
	u64 before;
	void *p;

	(void)state;
	/* more than free memory: refused up front */
	assert_null(vmalloc(FIX_RAM_SIZE));
	/* no table page at all */
	before = free_pages_now();
	table_fail_after = 0;
	assert_null(vmalloc(PAGE_SIZE));
	assert_null(ioremap(UART_PA, PAGE_SIZE));
	/* tables for the first 2 MiB (those under the root down to one L3),
	 * none for the rest: 511 pages mapped, then undone */
	table_fail_after = 3 - kernel_pgt.top_level;
	assert_null(vmalloc(600 * PAGE_SIZE));
	table_fail_after = -1;
	assert_int_equal(free_pages_now(), before);
	assert_int_equal(vmalloc_used_bytes(), 0);
	assert_int_equal(kernel_pgt.nr_tables, 1);
	check_unmapped(KW_VMALLOC_START, 601 * PAGE_SIZE);
	/* and everything works again */
	p = vmalloc(600 * PAGE_SIZE);
	assert_int_equal(va_of(p), KW_VMALLOC_START);
	check_area(find_vm_area(p));
	vfree(p);
}

static void descriptor_pages_come_and_go(void **state)
{
	enum { N = 300 };
	static void *p[N];
	u64 before = free_pages_now(), pages_for_data;

	(void)state;
	for (int i = 0; i < N; i++)
		p[i] = vmalloc(PAGE_SIZE);
	check_all_areas();
	pages_for_data = before - free_pages_now();
	assert_true(pages_for_data > N + 4); /* pages, tables and descriptor pages */
	srand(7);
	for (int i = N - 1; i > 0; i--) { /* free in random order */
		int j = rand() % (i + 1);
		void *t = p[i];

		p[i] = p[j];
		p[j] = t;
	}
	for (int i = 0; i < N; i++)
		vfree(p[i]);
	assert_int_equal(free_pages_now(), before);
}

/* ---- reports -------------------------------------------------------------------- */

#define MAX_LINES 64
struct capture {
	char *buf;
	char *line[MAX_LINES];
	unsigned n;
};

static void capture(void (*show)(FILE *), struct capture *c)
{
	size_t len = 0;
	FILE *f = open_memstream(&c->buf, &len);

	assert_non_null(f);
	show(f);
	assert_int_equal(fclose(f), 0);
	c->n = 0;
	for (char *s = c->buf; *s;) {
		char *nl = strchr(s, '\n');

		assert_non_null(nl);
		*nl = 0;
		assert_true(c->n < MAX_LINES);
		c->line[c->n++] = s;
		s = nl + 1;
	}
}

/* "0x" and 16 lower-case hex digits; the value. */
static u64 hex16(const char *s)
{
	assert_true(s[0] == '0' && s[1] == 'x');
	for (int i = 2; i < 18; i++)
		assert_non_null(strchr("0123456789abcdef", s[i]));
	return strtoull(s + 2, NULL, 16);
}

static void vmallocinfo_parses_and_adds_up(void **state)
{
	struct page *pg[2] = { alloc_page(GFP_KERNEL), alloc_page(GFP_KERNEL) };
	void *v1 = vmalloc(PAGE_SIZE), *v2 = vzalloc(40 * PAGE_SIZE), *m = vmap(pg, 2, MMU_KERNEL_RW);
	void *io = ioremap(UART_PA, PAGE_SIZE), *gic = ioremap(0x08000000, 0x10000), *v3 = vmalloc(3 * PAGE_SIZE);
	u64 sum = 0, mapped = 0, prev_end = KW_VMALLOC_START, largest = 0, kb;
	const char *total = NULL, *used = NULL, *chunk = NULL;
	struct vmalloc_info vi;
	struct capture c, mi;
	bool saw_uart = false;

	(void)state;
	vfree(v1); /* leave a hole at the start */
	capture(show_vmallocinfo, &c);
	get_vmalloc_info(&vi);
	assert_int_equal(c.n, vi.nr_areas);
	assert_int_equal(c.n, 5);
	for (unsigned i = 0; i < c.n; i++) {
		const char *l = c.line[i], *rest;
		u64 start = hex16(l), end, size, caller;
		struct vm_area *a = find_vm_area(ptr(start));
		char tok[64];
		int used;

		assert_int_equal(l[18], '-');
		end = hex16(l + 19);
		assert_int_equal(l[37], ' ');
		assert_int_equal(sscanf(l + 38, "%7llu%n", (unsigned long long *)&size, &used), 1);
		assert_int_equal(used, 7); /* "%7lu": right-aligned in 7 columns */
		assert_int_equal(size, end - start);
		assert_non_null(a);
		assert_int_equal(a->addr, start);
		assert_int_equal(a->size, size);
		assert_int_equal(l[45], ' ');
		caller = hex16(l + 46);
		assert_int_equal(caller, (u64)(uintptr_t)a->caller);
		rest = l + 64;
		if (a->flags & VM_ALLOC) {
			snprintf(tok, sizeof(tok), " pages=%u vmalloc", a->nr_pages);
			assert_string_equal(rest, tok);
		} else if (a->flags & VM_MAP) {
			assert_string_equal(rest, " vmap");
		} else {
			snprintf(tok, sizeof(tok), " phys=0x%016llx ioremap", (unsigned long long)a->phys);
			assert_string_equal(rest, tok);
		}
		if (strstr(l, "    8192 ") == l + 37 && strstr(l, " phys=0x0000000009000000 ioremap"))
			saw_uart = true;
		assert_true(start >= prev_end);
		largest = MAX(largest, start - prev_end);
		prev_end = end;
		sum += size;
		if (!(a->flags & VM_IOREMAP))
			mapped += size - PAGE_SIZE;
	}
	largest = MAX(largest, KW_VMALLOC_END - prev_end);
	assert_true(saw_uart);
	assert_int_equal(sum, vi.area_bytes);
	assert_int_equal(sum, (41 + 3 + 2 + 17 + 4) * PAGE_SIZE); /* each with its guard page */
	assert_int_equal(mapped, vmalloc_used_bytes());
	assert_int_equal(mapped, (40 + 2 + 3) * PAGE_SIZE);       /* vmalloc and vmap only */

	/* meminfo's three lines, consecutive, in meminfo_line()'s columns */
	capture(show_meminfo, &mi);
	for (unsigned i = 0; i + 2 < mi.n; i++) {
		if (!strncmp(mi.line[i], "VmallocTotal:", 13)) {
			total = mi.line[i];
			used = mi.line[i + 1];
			chunk = mi.line[i + 2];
		}
	}
	assert_non_null(total);
	assert_int_equal(strncmp(total, "VmallocTotal:   ", 16), 0);
	assert_int_equal(sscanf(total + 16, "%llu kB", (unsigned long long *)&kb), 1);
	assert_int_equal(kb, (KW_VMALLOC_END - KW_VMALLOC_START) >> 10);
	assert_string_equal(used, "VmallocUsed:         180 kB"); /* 45 pages, "%8llu kB" */
	assert_int_equal(strncmp(chunk, "VmallocChunk:   ", 16), 0);
	assert_int_equal(sscanf(chunk + 16, "%llu kB", (unsigned long long *)&kb), 1);
	assert_int_equal(kb, largest >> 10);
	free(c.buf);
	free(mi.buf);
	vfree(v2);
	vfree(v3);
	vunmap(m);
	iounmap(io);
	iounmap(gic);
	free_page(pg[0]);
	free_page(pg[1]);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(areas_never_overlap_and_keep_a_guard_page),
		T(freed_va_is_reused_and_nothing_leaks),
		T(first_fit_goes_below_the_hint),
		T(vmap_maps_the_pages_in_order),
		T(vmalloc_to_page_round_trips),
		T(vzalloc_zeroes_and_pages_arrays_grow),
		T(ioremap_maps_devices_and_refuses_ram),
		T(bad_frees_are_reported_and_change_nothing),
		T(random_workload_follows_the_model),
		T(a_small_window_fills_up_and_reports_its_chunk),
		T(failures_roll_back),
		T(descriptor_pages_come_and_go),
		T(vmallocinfo_parses_and_adds_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
