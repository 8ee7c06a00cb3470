/*
 * The ARMv7-A EHABI unwinder (platform/armv7a/unwind.c) on the host: the
 * unwind instructions on a simulated stack, the index lookup on a built
 * table. The unwinder works on 32-bit addresses, so the stack and the
 * tables live in memory mapped below 4 GiB (MAP_32BIT on x86-64; any
 * address in the 32-bit build).
 */
#include <arch/unwind.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#ifndef MAP_32BIT
#define MAP_32BIT 0
#endif

static u32 *low;          /* 4 KiB below 4 GiB: [0, 512) the stack, [512, 1024) tables */
static u32 refuse_above;  /* readable() refuses addresses at or above this */

static u32 addr(const void *p) { return (u32)(uintptr_t)p; }
static bool readable(u32 a) { return !(a & 3) && a >= addr(low) && a < refuse_above; }

static int setup(void **state)
{
	(void)state;
	low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	assert_true(low != MAP_FAILED);
	assert_true((uintptr_t)low + 4096 <= 0xffffffffu);
	for (unsigned i = 0; i < 512; i++)
		low[i] = 0x1000 + i; /* the word at stack slot i */
	refuse_above = addr(low + 512);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	munmap(low, 4096);
	return 0;
}

static void regs_at(struct unwind_regs *r, unsigned slot)
{
	memset(r, 0, sizeof(*r));
	r->r[13] = addr(low + slot);
	r->r[14] = 0xc0001235; /* a Thumb return address */
	r->r[15] = 0xc0000100;
}

/* push {r4, r5, r7, lr} ; sub sp, #8: the common Thumb prologue */
static void pops_registers_and_lr(void **state)
{
	static const u8 ops[] = { 0x01, 0x84, 0x0b, 0xb0 }; /* vsp += 8; pop {r4,r5,r7,lr}; finish */
	struct unwind_regs r;

	(void)state;
	regs_at(&r, 10);
	assert_int_equal(ehabi_execute(&r, ops, sizeof(ops), readable), 0);
	assert_int_equal(r.r[4], 0x1000 + 12);
	assert_int_equal(r.r[5], 0x1000 + 13);
	assert_int_equal(r.r[7], 0x1000 + 14);
	assert_int_equal(r.r[14], 0x1000 + 15);
	assert_int_equal(r.r[15], 0x1000 + 15); /* pc not popped: pc = lr */
	assert_int_equal(r.r[13], addr(low + 16));
}

/* vsp = r7 ; vsp += 72 ; pop {r4-r5, lr} (0xa9), as gcc emits with a frame pointer */
static void vsp_from_register_and_short_pops(void **state)
{
	static const u8 ops[] = { 0x97, 0x11, 0xa9 };
	struct unwind_regs r;

	(void)state;
	regs_at(&r, 0);
	r.r[7] = addr(low + 20);
	assert_int_equal(ehabi_execute(&r, ops, sizeof(ops), readable), 0);
	assert_int_equal(r.r[4], 0x1000 + 38);
	assert_int_equal(r.r[5], 0x1000 + 39);
	assert_int_equal(r.r[14], 0x1000 + 40);
	assert_int_equal(r.r[15], 0x1000 + 40);
	assert_int_equal(r.r[13], addr(low + 41));
}

static void pc_pop_low_registers_and_big_adjust(void **state)
{
	/* pop {r0} ; vsp -= 4 ; pop {pc} (0x80 0x80: r15 = bit 11) ; vsp += 0x204 + (1 << 2) */
	static const u8 ops[] = { 0xb1, 0x01, 0x40, 0x88, 0x00, 0xb2, 0x01 };
	struct unwind_regs r;

	(void)state;
	regs_at(&r, 4);
	assert_int_equal(ehabi_execute(&r, ops, sizeof(ops), readable), 0);
	assert_int_equal(r.r[0], 0x1000 + 4);
	assert_int_equal(r.r[15], 0x1000 + 4); /* pc popped from the same slot (vsp went back) */
	assert_int_equal(r.r[14], 0xc0001235); /* lr untouched */
	assert_int_equal(r.r[13], addr(low + 5) + 0x204 + 4);
}

static void refused_and_unreadable(void **state)
{
	static const u8 refuse[] = { 0x80, 0x00 }, vfp[] = { 0xc8, 0x00 }, sp13[] = { 0x9d }, cut[] = { 0x84 };
	static const u8 popit[] = { 0x84, 0x00 }; /* pop {lr} (mask bit 10: r4 + 10) */
	struct unwind_regs r;

	(void)state;
	regs_at(&r, 0);
	assert_int_equal(ehabi_execute(&r, refuse, sizeof(refuse), readable), -EINVAL);
	assert_int_equal(ehabi_execute(&r, vfp, sizeof(vfp), readable), -EINVAL);
	assert_int_equal(ehabi_execute(&r, sp13, sizeof(sp13), readable), -EINVAL);
	assert_int_equal(ehabi_execute(&r, cut, sizeof(cut), readable), -EINVAL);
	regs_at(&r, 511);
	refuse_above = addr(low + 511); /* the slot it would read */
	assert_int_equal(ehabi_execute(&r, popit, sizeof(popit), readable), -EFAULT);
	refuse_above = addr(low + 512);
}

/* An index of three functions: inline instructions, a .ARM.extab entry of
 * personality 1 with one more word, and one that cannot be unwound. */
static u32 *build_table(u32 fn_base)
{
	u32 *tab = low + 512, *extab = low + 600;

	/* prel31 offsets from each word's own address */
	tab[0] = (fn_base + 0x000 - addr(&tab[0])) & 0x7fffffff;
	tab[1] = 0x80a8b0b0;                 /* pop {r4, lr}; finish; finish */
	tab[2] = (fn_base + 0x100 - addr(&tab[2])) & 0x7fffffff;
	tab[3] = (addr(extab) - addr(&tab[3])) & 0x7fffffff;
	tab[4] = (fn_base + 0x200 - addr(&tab[4])) & 0x7fffffff;
	tab[5] = 1;                          /* EXIDX_CANTUNWIND */
	extab[0] = 0x81010102;               /* personality 1, 1 more word; ops 0x01 0x02 */
	extab[1] = 0xa9b0b0b0;
	return tab;
}

static void index_lookup(void **state)
{
	u32 fn = addr(low) + 0x800 + 0x1000, *tab = build_table(fn);
	u8 ops[16];

	(void)state;
	assert_int_equal(ehabi_find(tab, tab + 6, fn - 2, ops, sizeof(ops)), 0); /* before the first */
	assert_int_equal(ehabi_find(tab, tab + 6, fn + 0x10, ops, sizeof(ops)), 3);
	assert_memory_equal(ops, ((u8[]){ 0xa8, 0xb0, 0xb0 }), 3);
	assert_int_equal(ehabi_find(tab, tab + 6, fn + 0x1fe, ops, sizeof(ops)), 6);
	assert_memory_equal(ops, ((u8[]){ 0x01, 0x02, 0xa9, 0xb0, 0xb0, 0xb0 }), 6);
	assert_int_equal(ehabi_find(tab, tab + 6, fn + 0x300, ops, sizeof(ops)), 0); /* cannot unwind */
	assert_int_equal(ehabi_find(tab, tab, fn, ops, sizeof(ops)), 0);           /* empty index */
}

static void step_to_the_caller(void **state)
{
	u32 fn = addr(low) + 0x800 + 0x1000, *tab = build_table(fn);
	struct unwind_regs r;

	(void)state;
	regs_at(&r, 8);
	r.r[15] = fn + 0x20;
	low[8] = 0x44;          /* r4 */
	low[9] = fn + 0x105;    /* lr: a Thumb return into the second function */
	assert_true(unwind_step(&r, tab, tab + 6, readable));
	assert_int_equal(r.r[4], 0x44);
	assert_int_equal(r.r[15], fn + 0x105);
	assert_int_equal(r.r[13], addr(low + 10));
	/* a return address just past the second function's end looks up its last halfword */
	regs_at(&r, 20);
	r.r[15] = fn + 0x201; /* Thumb bit: (pc & ~1) - 2 is in the second function */
	assert_true(unwind_step(&r, tab, tab + 6, readable));
	assert_int_equal(r.r[13], addr(low + 20) + 8 + 12 + 12); /* vsp += 8, += 12, pop {r4, r5, lr} */
	assert_int_equal(r.r[14], 0x1000 + 27);
	/* no progress (same pc, sp not moving up) ends the trace */
	regs_at(&r, 30);
	low[31] = fn + 0x20;
	r.r[15] = fn + 0x20;
	r.r[13] = addr(low + 30);
	low[30] = 0;
	assert_true(unwind_step(&r, tab, tab + 6, readable)); /* sp moved up: progress */
	r.r[15] = fn + 0x300;
	assert_false(unwind_step(&r, tab, tab + 6, readable)); /* cannot unwind */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pops_registers_and_lr, setup, teardown),
		cmocka_unit_test_setup_teardown(vsp_from_register_and_short_pops, setup, teardown),
		cmocka_unit_test_setup_teardown(pc_pop_low_registers_and_big_adjust, setup, teardown),
		cmocka_unit_test_setup_teardown(refused_and_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(index_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(step_to_the_caller, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
