/*
 * On-target proof of the MMU setup:
 *  - faults: writing text or rodata, executing data or stack, touching
 *    unmapped memory (vmalloc hole, stack guard page, TTBR0 with walks
 *    off, NULL) each fault with the right ESR and are recovered, the
 *    caller's callee-saved registers and stack intact;
 *  - the software walker agrees with the hardware (AT S1E1R/S1E1W) on
 *    every interesting kernel address;
 *  - W^X over the whole image; blocks vs pages in the linear map;
 *  - live changes on the hardware: split a 2 MiB block by protecting one
 *    page, check real writes, unmap (break-before-make on live tables).
 */
#include <arch/esr.h>
#include <arch/fault.h>
#include <arch/layout.h>
#include <arch/phys.h>
#include <arch/sysreg.h>
#include <arch/walk.h>
#include <kernel/ktest.h>
#include <mm/kmap.h>
#include <mm/memblock.h>
#include <mm/page_alloc.h>
#include <string.h>

extern char _text[], _etext[], _erodata[], __stack_guard[], __boot_stack[], _end[];

static const u32 ro_word = 0x12345678;
static u32 data_code[4] __aligned(16);

#define INSN_RET 0xd65f03c0u

static void write_u32(void *p) { *(volatile u32 *)p = 0xdeadbeef; }
static void read_u64(void *p) { (void)*(volatile u64 *)p; }
static void call_code(void *p) { ((void (*)(void))p)(); }

/* Run fn(arg) expecting a fault of class ec and type at far == addr. */
static void expect_fault(struct ktest *t, void (*fn)(void *), void *arg, unsigned ec, enum fault_type type)
{
	struct fault_catch fc = { 0 };
	int level;

	KT_ASSERT(t, fault_catch_call(&fc, fn, arg) == 1);
	KT_EXPECT_EQ(t, ESR_EC(fc.esr), ec);
	KT_EXPECT_EQ(t, esr_fault_type(fc.esr, &level), type);
	KT_EXPECT_EQ(t, fc.far, (u64)arg);
}

static void write_to_text_faults(struct ktest *t)
{
	expect_fault(t, write_u32, _text + 0x100, EC_DABT_CUR, FAULT_PERMISSION);
}

static void write_to_rodata_faults(struct ktest *t)
{
	expect_fault(t, write_u32, (void *)&ro_word, EC_DABT_CUR, FAULT_PERMISSION);
	KT_EXPECT_EQ(t, ro_word, 0x12345678);
}

static void exec_from_data_faults(struct ktest *t)
{
	data_code[0] = INSN_RET;
	arch_icache_sync_range((vaddr_t)data_code, sizeof(data_code));
	expect_fault(t, call_code, data_code, EC_IABT_CUR, FAULT_PERMISSION);
}

static void exec_from_stack_faults(struct ktest *t)
{
	u32 code[4] __aligned(16) = { INSN_RET };

	arch_icache_sync_range((vaddr_t)code, sizeof(code));
	expect_fault(t, call_code, code, EC_IABT_CUR, FAULT_PERMISSION);
}

static void unmapped_addresses_fault(struct ktest *t)
{
	expect_fault(t, read_u64, (void *)(VMALLOC_END - SZ_1G), EC_DABT_CUR, FAULT_TRANSLATION);
	expect_fault(t, read_u64, __stack_guard, EC_DABT_CUR, FAULT_TRANSLATION);
	expect_fault(t, read_u64, (void *)0x40000000, EC_DABT_CUR, FAULT_TRANSLATION); /* TTBR0: walks off */
	expect_fault(t, read_u64, NULL, EC_DABT_CUR, FAULT_TRANSLATION);
}

/* Fault with every callee-saved register and SP changed, as a function deep
 * in a call chain would: only fault_catch's landing pad can put them back. */
static void clobber_then_fault(void *p)
{
	__asm__ volatile("mov x19, #0x1119\n\tmov x20, #0x1120\n\tmov x21, #0x1121\n\tmov x22, #0x1122\n\t"
			 "mov x23, #0x1123\n\tmov x24, #0x1124\n\tmov x25, #0x1125\n\tmov x26, #0x1126\n\t"
			 "mov x27, #0x1127\n\tmov x28, #0x1128\n\tsub sp, sp, #256\n\t"
			 "ldr x0, [%0]"
			 :
			 : "r"(p)
			 : "x0", "x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "memory");
}

static void mark(void *p) { *(volatile int *)p = 1; }

static void caught_fault_restores_the_callers_context(struct ktest *t)
{
	/* values pinned in x19..x28 across the call, read back from them after */
	register u64 r19 __asm__("x19") = 0x19, r20 __asm__("x20") = 0x20, r21 __asm__("x21") = 0x21;
	register u64 r22 __asm__("x22") = 0x22, r23 __asm__("x23") = 0x23, r24 __asm__("x24") = 0x24;
	register u64 r25 __asm__("x25") = 0x25, r26 __asm__("x26") = 0x26, r27 __asm__("x27") = 0x27;
	register u64 r28 __asm__("x28") = 0x28;
	struct fault_catch fc = { .quiet = true }; /* the report would walk the clobbered frame */
	u64 sp_before, sp_after;
	int rc, ran = 0;

	__asm__ volatile("mov %0, sp" : "=r"(sp_before));
	__asm__ volatile("" : "+r"(r19), "+r"(r20), "+r"(r21), "+r"(r22), "+r"(r23), "+r"(r24), "+r"(r25), "+r"(r26),
			 "+r"(r27), "+r"(r28));
	rc = fault_catch_call(&fc, clobber_then_fault, NULL);
	__asm__ volatile("" : "+r"(r19), "+r"(r20), "+r"(r21), "+r"(r22), "+r"(r23), "+r"(r24), "+r"(r25), "+r"(r26),
			 "+r"(r27), "+r"(r28));
	__asm__ volatile("mov %0, sp" : "=r"(sp_after));
	KT_ASSERT(t, rc == 1);
	KT_EXPECT_EQ(t, fc.far, 0);
	KT_EXPECT_EQ(t, sp_after, sp_before);
	KT_EXPECT_EQ(t, r19, 0x19);
	KT_EXPECT_EQ(t, r20, 0x20);
	KT_EXPECT_EQ(t, r21, 0x21);
	KT_EXPECT_EQ(t, r22, 0x22);
	KT_EXPECT_EQ(t, r23, 0x23);
	KT_EXPECT_EQ(t, r24, 0x24);
	KT_EXPECT_EQ(t, r25, 0x25);
	KT_EXPECT_EQ(t, r26, 0x26);
	KT_EXPECT_EQ(t, r27, 0x27);
	KT_EXPECT_EQ(t, r28, 0x28);
	/* the catch is disarmed, and the next call runs and returns normally */
	KT_EXPECT(t, fault_catch_active == NULL);
	KT_EXPECT_EQ(t, fault_catch_call(&fc, mark, &ran), 0);
	KT_EXPECT_EQ(t, ran, 1);
	KT_EXPECT(t, fault_catch_active == NULL);
}

/* The hardware's view of va through AT S1E1R / S1E1W. */
static bool hw_translate(u64 va, bool write, phys_addr_t *pa)
{
	u64 par;

	if (write)
		__asm__ volatile("at s1e1w, %0" ::"r"(va));
	else
		__asm__ volatile("at s1e1r, %0" ::"r"(va));
	isb();
	par = read_sysreg(par_el1);
	if (par & 1)
		return false;
	*pa = (par & GENMASK(47, 12)) | (va & 0xfff);
	return true;
}

static void check_against_hw(struct ktest *t, u64 va)
{
	struct walk_result r;
	phys_addr_t hpa = 0;
	bool sw = arm64_walk(kernel_pgt.root, VA_BITS, true, true, va, &r);
	bool hw = hw_translate(va, false, &hpa);

	if (!KT_EXPECT_EQ(t, sw, hw))
		return;
	if (!sw)
		return;
	KT_EXPECT_EQ(t, r.pa, hpa);
	KT_EXPECT_EQ(t, r.el1_write, hw_translate(va, true, &hpa));
}

static void walker_matches_hardware(struct ktest *t)
{
	const u64 probes[] = {
		(u64)_text, (u64)_etext - 8, (u64)_etext, (u64)&ro_word, (u64)data_code, (u64)__stack_guard,
		(u64)__boot_stack, (u64)_end - 8, (u64)_end, PAGE_OFFSET + CONFIG_RAM_BASE,
		VMALLOC_START, VMALLOC_START + SZ_4K, VMALLOC_START + 3 * SZ_1G, PAGE_OFFSET,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(probes); i++)
		check_against_hw(t, probes[i]);
	for (unsigned i = 0; i < memblock.memory.cnt; i++) {
		phys_addr_t b = memblock.memory.r[i].base, sz = memblock.memory.r[i].size;

		for (u64 off = 0; off < sz; off += sz / 16 + SZ_4K)
			check_against_hw(t, PAGE_OFFSET + b + off);
		check_against_hw(t, PAGE_OFFSET + b + sz - 8);
		check_against_hw(t, PAGE_OFFSET + b + sz);
	}
}

static void image_is_w_xor_x(struct ktest *t)
{
	unsigned exec_pages = 0;

	for (u64 va = (u64)_text; va < (u64)_end; va += SZ_4K) {
		struct walk_result r;

		if (!arm64_walk(kernel_pgt.root, VA_BITS, true, true, va, &r))
			continue; /* the guard page */
		KT_EXPECT(t, !(r.el1_write && r.el1_exec));
		KT_EXPECT(t, !r.el0_read && !r.el0_exec);
		KT_EXPECT_EQ(t, r.el1_exec, va < (u64)_etext);
		exec_pages += r.el1_exec;
	}
	KT_EXPECT_EQ(t, exec_pages, ((u64)_etext - (u64)_text) / SZ_4K);
	KT_EXPECT(t, read_sysreg(sctlr_el1) & SCTLR_WXN);
}

static void linear_map_uses_blocks(struct ktest *t)
{
	int level;
	phys_addr_t pa;
	unsigned attrs;

	/* RAM below the image (2 MiB at RAM base) is one 2 MiB block */
	KT_ASSERT_EQ(t, pgt_query(&kernel_pgt, PAGE_OFFSET + CONFIG_RAM_BASE, &pa, &attrs, &level), 0);
	KT_EXPECT_EQ(t, level, 2);
	KT_EXPECT_EQ(t, attrs, MMU_KERNEL_RW);
	/* the image is page granular */
	KT_ASSERT_EQ(t, pgt_query(&kernel_pgt, (u64)_text, &pa, &attrs, &level), 0);
	KT_EXPECT_EQ(t, level, 3);
	KT_EXPECT_EQ(t, attrs, MMU_KERNEL_RX);
	/* every fully-RAM, 1 GiB aligned GiB is a 1 GiB block */
	for (unsigned i = 0; i < memblock.memory.cnt; i++) {
		phys_addr_t b = memblock.memory.r[i].base, e = b + memblock.memory.r[i].size;

		for (phys_addr_t g = ALIGN_UP(b, SZ_1G); g + SZ_1G <= e; g += SZ_1G) {
			if (virt_to_phys(_text) >= g && virt_to_phys(_text) < g + SZ_1G)
				continue;
			KT_ASSERT_EQ(t, pgt_query(&kernel_pgt, PAGE_OFFSET + g, &pa, &attrs, &level), 0);
			KT_EXPECT_EQ(t, level, 1);
		}
	}
}

static void live_split_and_unmap(struct ktest *t)
{
	struct page *pg = alloc_pages(GFP_KERNEL, 9);
	phys_addr_t ram = pg ? page_to_phys(pg) : 0;
	u64 va = VMALLOC_END; /* the unused last GiB: outside the vmalloc allocator's window */
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
	KT_EXPECT_EQ(t, fault_catch_call(&fc, write_u32, (void *)(va + SZ_1M)), 1);
	KT_EXPECT_EQ(t, fault_catch_call(&fc, write_u32, (void *)(va + SZ_1M - SZ_4K)), 0);
	KT_EXPECT_EQ(t, fault_catch_call(&fc, write_u32, (void *)(va + SZ_1M + SZ_4K)), 0);
	KT_EXPECT_EQ(t, alias[SZ_1M / 8], 0x2222); /* data survived the split */
	KT_EXPECT_EQ(t, alias[0], 0x1111);
	KT_ASSERT_EQ(t, pgt_query(&kernel_pgt, va, NULL, NULL, &level), 0);
	KT_EXPECT_EQ(t, level, 3);
	/* unmap: the alias faults, the linear map still holds the data */
	KT_ASSERT_EQ(t, pgt_unmap(&kernel_pgt, va, SZ_2M), 0);
	KT_EXPECT_EQ(t, fault_catch_call(&fc, read_u64, (void *)va), 1);
	KT_EXPECT_EQ(t, fault_catch_call(&fc, read_u64, (void *)(va + SZ_1M)), 1);
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
