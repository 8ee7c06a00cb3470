/*
 * On-target proof of the MMU setup, on every platform (through
 * include/arch/mmu_probe.h and fault.h, never a system register here):
 *  - faults: writing text or rodata, executing data or stack, touching
 *    unmapped memory (a kernel VA hole, the stack guard page, TTBR0 while
 *    no app runs, NULL) each fault with the right kind and address and are
 *    recovered, the caller's callee-saved registers and stack intact;
 *  - the software walker (arch/walk.h) agrees with the hardware
 *    (AT S1E1R/W; ATS1CPR/W) on every interesting kernel address;
 *  - W^X over the whole image; blocks vs pages in the linear map;
 *  - live changes on the hardware: split a 2 MiB block by protecting one
 *    page, check real writes, unmap (break-before-make on live tables).
 */
#include <arch/cpu.h>
#include <arch/fault.h>
#include <arch/layout.h>
#include <arch/mmu_probe.h>
#include <arch/phys.h>
#include <kernel/ktest.h>
#include <mm/kmap.h>
#include <mm/memblock.h>
#include <mm/page_alloc.h>
#include <mm/pgtable.h>
#include <stdio.h>
#include <string.h>

extern char _text[], _etext[], _erodata[], __stack_guard[], __boot_stack[], _end[];

static const u32 ro_word = 0x12345678;
static u32 data_code[4] __aligned(16);

static void write_u32(void *p) { *(volatile u32 *)p = 0xdeadbeef; }
static void read_u64(void *p) { (void)*(volatile u64 *)p; }
static void call_code(void *p) { ((void (*)(void))p)(); }

/* Run fn(arg) expecting an abort of class cls and type at far == addr. */
static void expect_fault_at(struct ktest *t, void (*fn)(void *), void *arg, vaddr_t addr, enum trap_class cls,
			    enum fault_type type)
{
	struct fault_catch fc = { 0 };
	enum fault_type got;
	int level;

	KT_ASSERT(t, fault_catch_call(&fc, fn, arg) == 1);
	KT_EXPECT_EQ(t, fault_catch_decode(&fc, &got, &level), cls);
	KT_EXPECT_EQ(t, got, type);
	KT_EXPECT_EQ(t, fc.far, (u64)addr);
}

static void expect_data_fault(struct ktest *t, void (*fn)(void *), void *addr, enum fault_type type)
{
	expect_fault_at(t, fn, addr, (vaddr_t)addr, TRAP_DATA_ABORT, type);
}

/* Call a return stub written at buf: the fetch must fault at buf. */
static void expect_exec_fault(struct ktest *t, void *buf)
{
	void (*stub)(void) = arch_write_return_stub(buf);

	expect_fault_at(t, call_code, (void *)stub, (vaddr_t)buf, TRAP_INST_ABORT, FAULT_PERMISSION);
}

static void write_to_text_faults(struct ktest *t) { expect_data_fault(t, write_u32, _text + 0x100, FAULT_PERMISSION); }

static void write_to_rodata_faults(struct ktest *t)
{
	expect_data_fault(t, write_u32, (void *)&ro_word, FAULT_PERMISSION);
	KT_EXPECT_EQ(t, ro_word, 0x12345678);
}

static void exec_from_data_faults(struct ktest *t) { expect_exec_fault(t, data_code); }

static void exec_from_stack_faults(struct ktest *t)
{
	u32 code[4] __aligned(16) = { 0 };

	expect_exec_fault(t, code);
}

static void unmapped_addresses_fault(struct ktest *t)
{
	expect_data_fault(t, read_u64, (void *)(UNUSED_VA_START + UNUSED_VA_SIZE / 2), FAULT_TRANSLATION);
	expect_data_fault(t, read_u64, __stack_guard, FAULT_TRANSLATION);
	expect_data_fault(t, read_u64, (void *)0x40000000, FAULT_TRANSLATION); /* TTBR0: no app runs */
	expect_data_fault(t, read_u64, NULL, FAULT_TRANSLATION);
}

static void mark(void *p) { *(volatile int *)p = 1; }

/* A fault deep in a call chain (every callee-saved register and SP changed):
 * only fault_catch's landing pad can put them back. */
static void caught_fault_restores_the_callers_context(struct ktest *t)
{
	struct fault_catch fc = { .quiet = true }; /* the report would walk the clobbered frame */
	int rc = -1, ran = 0;
	u32 lost = fault_catch_check_regs(&fc, fault_catch_clobber_load, NULL, &rc);

	KT_ASSERT(t, rc == 1);
	KT_EXPECT_EQ(t, fc.far, 0);
	KT_EXPECT_EQ(t, lost, 0); /* bit i: the i-th callee-saved register; bit 31: SP */
	/* the catch is disarmed, and the next call runs and returns normally,
	 * giving back every register too */
	KT_EXPECT(t, fault_catch_active == NULL);
	KT_EXPECT_EQ(t, fault_catch_check_regs(&fc, mark, &ran, &rc), 0);
	KT_EXPECT_EQ(t, rc, 0);
	KT_EXPECT_EQ(t, ran, 1);
	KT_EXPECT(t, fault_catch_active == NULL);
}

static void check_against_hw(struct ktest *t, vaddr_t va)
{
	struct walk_result r;
	phys_addr_t hpa = 0;
	bool sw = arch_walk_kernel(va, &r);
	bool hw = arch_mmu_probe(va, false, &hpa);

	if (!KT_EXPECT_EQ(t, sw, hw))
		return;
	if (!sw)
		return;
	KT_EXPECT_EQ(t, r.pa, hpa);
	KT_EXPECT_EQ(t, r.el1_write, arch_mmu_probe(va, true, &hpa));
}

/* The linearly mapped part of memblock region i: [*b, *e), false if none. */
static bool lowmem_part(unsigned i, phys_addr_t *b, phys_addr_t *e)
{
	phys_addr_t end = memblock_lowmem_end();

	*b = memblock.memory.r[i].base;
	*e = *b + memblock.memory.r[i].size;
	if (*e > end)
		*e = end;
	return *b < *e;
}

static void walker_matches_hardware(struct ktest *t)
{
	const vaddr_t probes[] = {
		(vaddr_t)_text, (vaddr_t)_etext - 8, (vaddr_t)_etext, (vaddr_t)&ro_word, (vaddr_t)data_code,
		(vaddr_t)__stack_guard, (vaddr_t)__boot_stack, (vaddr_t)_end - 8, (vaddr_t)_end,
		(vaddr_t)phys_to_virt(CONFIG_RAM_BASE), VMALLOC_START, VMALLOC_START + SZ_4K,
		VMALLOC_START + (VMALLOC_END - VMALLOC_START) / 2, PAGE_OFFSET, UNUSED_VA_START, PKMAP_BASE, FIXADDR_START,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(probes); i++)
		check_against_hw(t, probes[i]);
	for (unsigned i = 0; i < memblock.memory.cnt; i++) {
		phys_addr_t b, e;

		if (!lowmem_part(i, &b, &e))
			continue;
		for (phys_addr_t off = 0; off < e - b; off += (e - b) / 16 + SZ_4K)
			check_against_hw(t, (vaddr_t)phys_to_virt(b + off));
		check_against_hw(t, (vaddr_t)phys_to_virt(e - 8));
		if (e == memblock_lowmem_end() && PAGE_OFFSET + (e - PHYS_OFFSET) < VMALLOC_START)
			check_against_hw(t, PAGE_OFFSET + (vaddr_t)(e - PHYS_OFFSET)); /* past the linear map */
	}
}

static void image_is_w_xor_x(struct ktest *t)
{
	unsigned exec_pages = 0;

	for (vaddr_t va = (vaddr_t)_text; va < (vaddr_t)_end; va += SZ_4K) {
		struct walk_result r;

		if (!arch_walk_kernel(va, &r))
			continue; /* the guard page */
		KT_EXPECT(t, !(r.el1_write && r.el1_exec));
		KT_EXPECT(t, !r.el0_read && !r.el0_exec);
		KT_EXPECT_EQ(t, r.el1_exec, va < (vaddr_t)_etext);
		exec_pages += r.el1_exec;
	}
	KT_EXPECT_EQ(t, exec_pages, ((vaddr_t)_etext - (vaddr_t)_text) / SZ_4K);
	KT_EXPECT(t, arch_mmu_wxn());
}

/* The leaf level the linear map should use at RAM address g (2 MiB
 * aligned, in the lowmem part [b, e) of a region): a 1 GiB block where the
 * kernel's walk has level 1 and the whole GiB is RAM without the image,
 * else a 2 MiB block, or 0 where the image makes it page granular. */
static int expected_level(phys_addr_t g, phys_addr_t b, phys_addr_t e, phys_addr_t image)
{
	phys_addr_t gib = ALIGN_DOWN(g, SZ_1G);

	if (pt_top_level(KERNEL_VA_BITS) <= 1 && gib >= b && gib + SZ_1G <= e && !(image >= gib && image < gib + SZ_1G))
		return 1;
	return image >= g && image < g + SZ_2M ? 0 : 2;
}

static void linear_map_uses_blocks(struct ktest *t)
{
	phys_addr_t image = virt_to_phys(_text);
	unsigned checked[3] = { 0 };
	int level;
	phys_addr_t pa;
	unsigned attrs;

	/* RAM below the image (2 MiB at RAM base) is one 2 MiB block */
	KT_ASSERT_EQ(t, pgt_query(&kernel_pgt, (vaddr_t)phys_to_virt(CONFIG_RAM_BASE), &pa, &attrs, &level), 0);
	KT_EXPECT_EQ(t, level, 2);
	KT_EXPECT_EQ(t, attrs, MMU_KERNEL_RW);
	/* the image is page granular */
	KT_ASSERT_EQ(t, pgt_query(&kernel_pgt, (vaddr_t)_text, &pa, &attrs, &level), 0);
	KT_EXPECT_EQ(t, level, 3);
	KT_EXPECT_EQ(t, attrs, MMU_KERNEL_RX);
	/* all other lowmem RAM: the largest block that fits (1 GiB blocks
	 * only where the walk has level 1: not ARMv7-A's 1 GiB TTBR1) */
	for (unsigned i = 0; i < memblock.memory.cnt; i++) {
		phys_addr_t b, e;

		if (!lowmem_part(i, &b, &e))
			continue;
		for (phys_addr_t g = ALIGN_UP(b, SZ_2M); g + SZ_2M <= e; g += SZ_2M) {
			int want = expected_level(g, b, e, image);

			if (!want)
				continue;
			KT_ASSERT_EQ(t, pgt_query(&kernel_pgt, (vaddr_t)phys_to_virt(g), &pa, &attrs, &level), 0);
			KT_EXPECT_EQ(t, level, want);
			KT_EXPECT_EQ(t, pa, g);
			checked[want]++;
		}
	}
	printf("    # %u x 2 MiB checked in 1 GiB blocks, %u in 2 MiB blocks\n", checked[1], checked[2]);
	KT_EXPECT(t, checked[1] + checked[2] > 0);
}

static void live_split_and_unmap(struct ktest *t)
{
	struct page *pg = alloc_pages(GFP_KERNEL, 9);
	phys_addr_t ram = pg ? page_to_phys(pg) : 0;
	vaddr_t va = UNUSED_VA_START; /* nothing maps there: outside the vmalloc allocator's window */
	u64 *linear, *alias;
	struct fault_catch fc = { .quiet = true };
	int level;

	KT_ASSERT(t, ram != 0);
	linear = phys_to_virt(ram);
	alias = (u64 *)va;
	KT_ASSERT_EQ(t, pgt_map(&kernel_pgt, va, ram, SZ_2M, MMU_KERNEL_RW), 0);
	KT_ASSERT_EQ(t, pgt_query(&kernel_pgt, va, NULL, NULL, &level), 0);
	KT_EXPECT_EQ(t, level, 2);
	alias[0] = 0x1111;
	alias[SZ_1M / 8] = 0x2222;
	KT_EXPECT_EQ(t, linear[0], 0x1111);
	KT_EXPECT_EQ(t, linear[SZ_1M / 8], 0x2222);
	/* protect one page in the middle: splits the live 2 MiB block */
	KT_ASSERT_EQ(t, pgt_protect(&kernel_pgt, va + SZ_1M, SZ_4K, MMU_KERNEL_RO), 0);
	KT_EXPECT_EQ(t, fault_catch_call(&fc, write_u32, (void *)(uintptr_t)(va + SZ_1M)), 1);
	KT_EXPECT_EQ(t, fault_catch_call(&fc, write_u32, (void *)(uintptr_t)(va + SZ_1M - SZ_4K)), 0);
	KT_EXPECT_EQ(t, fault_catch_call(&fc, write_u32, (void *)(uintptr_t)(va + SZ_1M + SZ_4K)), 0);
	KT_EXPECT_EQ(t, alias[SZ_1M / 8], 0x2222); /* data survived the split */
	KT_EXPECT_EQ(t, alias[0], 0x1111);
	KT_ASSERT_EQ(t, pgt_query(&kernel_pgt, va, NULL, NULL, &level), 0);
	KT_EXPECT_EQ(t, level, 3);
	/* unmap: the alias faults, the linear map still holds the data */
	KT_ASSERT_EQ(t, pgt_unmap(&kernel_pgt, va, SZ_2M), 0);
	KT_EXPECT_EQ(t, fault_catch_call(&fc, read_u64, (void *)va), 1);
	KT_EXPECT_EQ(t, fault_catch_call(&fc, read_u64, (void *)(uintptr_t)(va + SZ_1M)), 1);
	KT_EXPECT_EQ(t, linear[SZ_1M / 8], 0x2222);
	free_pages(pg, 9);
}

static const struct ktest_case mmu_cases[] = {
	KTEST_CASE(write_to_text_faults),
	KTEST_CASE(write_to_rodata_faults),
	KTEST_CASE(exec_from_data_faults),
	KTEST_CASE(exec_from_stack_faults),
	KTEST_CASE(unmapped_addresses_fault),
	KTEST_CASE(caught_fault_restores_the_callers_context),
	KTEST_CASE(walker_matches_hardware),
	KTEST_CASE(image_is_w_xor_x),
	KTEST_CASE(linear_map_uses_blocks),
	KTEST_CASE(live_split_and_unmap),
	{ 0 },
};
KTEST_SUITE(mmu, mmu_cases);
