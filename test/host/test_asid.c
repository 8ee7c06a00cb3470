/*
 * The ASID allocator (mm/asid.c) for 8- and 16-bit ASIDs: numbers are
 * unique within a generation, the rollover comes after 2^bits - 1
 * allocations with exactly one TLB flush, the active mm keeps its number
 * across it, a put number is flushed and reused, and stale contexts are
 * renumbered. platform/host/mmu.c counts TLB maintenance calls
 * (host_mmu.tlb_flushes, every kind together): the allocator itself
 * makes no other TLB calls, so every flush counted here is its own.
 */
#include <host.h>
#include <mm/asid.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define NUM(ctx) ((unsigned)((ctx) & 0xffff))
#define GEN(ctx) ((ctx) >> 16)

static unsigned bits;

static int setup(void **state)
{
	bits = (unsigned)(uintptr_t)*state;
	asid_init(bits);
	host_mmu_reset();
	return 0;
}

static unsigned nr_asids(void) { return (1u << bits) - 1; } /* 0 is the kernel's */

/* One context per ASID of a generation, plus one more; freed by the caller. */
static u64 *new_ctxs(void) { return calloc(nr_asids() + 1, sizeof(u64)); }

static void unique_within_a_generation(void **state)
{
	u64 *ctx = new_ctxs();
	bool *seen = calloc(1u << bits, sizeof(bool));

	(void)state;
	for (unsigned i = 0; i < nr_asids(); i++) {
		unsigned n = asid_get(&ctx[i]);

		assert_true(n >= 1 && n <= nr_asids());
		assert_false(seen[n]);
		seen[n] = true;
		assert_int_equal(NUM(ctx[i]), n);
		assert_int_equal(GEN(ctx[i]), 0);
	}
	/* getting them again changes nothing and costs nothing */
	for (unsigned i = 0; i < nr_asids(); i++) {
		u64 before = ctx[i];

		assert_int_equal(asid_get(&ctx[i]), NUM(before));
		assert_int_equal(ctx[i], before);
	}
	assert_int_equal(asid_generation(), 0);
	assert_int_equal(host_mmu.tlb_flushes, 0);
	free(seen);
	free(ctx);
}

static void rollover_flushes_once_and_keeps_the_active(void **state)
{
	u64 *ctx = new_ctxs();
	unsigned active, n;

	(void)state;
	for (unsigned i = 0; i < nr_asids(); i++)
		asid_get(&ctx[i]);
	assert_int_equal(host_mmu.tlb_flushes, 0);
	assert_int_equal(asid_generation(), 0);
	/* ctx[3] runs again: it is the active one when the space runs out */
	active = asid_get(&ctx[3]);

	n = asid_get(&ctx[nr_asids()]); /* the 2^bits-th allocation */
	assert_int_equal(asid_generation(), 1);
	assert_int_equal(host_mmu.tlb_flushes, 1);
	assert_int_equal(GEN(ctx[nr_asids()]), 1);
	assert_int_not_equal(n, active); /* the active number stays taken */
	assert_true(n >= 1);

	/* the previously active mm gets its number back, in the new generation */
	assert_int_equal(asid_get(&ctx[3]), active);
	assert_int_equal(GEN(ctx[3]), 1);
	/* the others are renumbered without another flush, all distinct */
	{
		bool *seen = calloc(1u << bits, sizeof(bool));

		seen[active] = seen[n] = true;
		for (unsigned i = 0; i < nr_asids(); i++) {
			unsigned m;

			if (i == 3)
				continue;
			if (i == nr_asids() - 1)
				break; /* the space holds 2^bits - 1: the last one rolls over again */
			m = asid_get(&ctx[i]);
			assert_false(seen[m]);
			seen[m] = true;
			assert_int_equal(GEN(ctx[i]), 1);
		}
		free(seen);
	}
	assert_int_equal(host_mmu.tlb_flushes, 1);
	assert_int_equal(asid_generation(), 1);
	/* the next one rolls over again: exactly one more flush */
	asid_get(&ctx[nr_asids() - 1]);
	assert_int_equal(asid_generation(), 2);
	assert_int_equal(host_mmu.tlb_flushes, 2);
	free(ctx);
}

static void put_flushes_and_frees_the_number(void **state)
{
	u64 *ctx = new_ctxs();
	u64 flushes;
	unsigned n;

	(void)state;
	for (unsigned i = 0; i < nr_asids(); i++)
		asid_get(&ctx[i]);
	n = NUM(ctx[7]);
	asid_put(&ctx[7]);
	assert_int_equal(ctx[7], 0);
	assert_int_equal(host_mmu.tlb_flushes, 1); /* by ASID: the next owner starts clean */
	asid_put(&ctx[7]);                         /* a context without an ASID: nothing */
	assert_int_equal(host_mmu.tlb_flushes, 1);
	/* the space was full: the freed number is reused, no rollover */
	flushes = host_mmu.tlb_flushes;
	assert_int_equal(asid_get(&ctx[nr_asids()]), n);
	assert_int_equal(asid_generation(), 0);
	assert_int_equal(host_mmu.tlb_flushes, flushes);
	free(ctx);
}

static void stale_contexts_are_renumbered(void **state)
{
	u64 *ctx = new_ctxs();
	u64 a = 0, b = 0;

	(void)state;
	asid_get(&a);
	asid_get(&b);
	/* fill the space with others, so that a and b are neither active nor reserved */
	for (unsigned i = 0; i < nr_asids() - 2; i++)
		asid_get(&ctx[i]);
	asid_get(&ctx[nr_asids() - 2]); /* rollover #1: ctx[nr-3] reserved */
	assert_int_equal(asid_generation(), 1);
	/* a stale put: flushed by the rollover already, nothing to do */
	asid_put(&b);
	assert_int_equal(host_mmu.tlb_flushes, 1);
	assert_int_equal(b, 0);
	/* a stale get: a fresh number in the new generation */
	asid_get(&a);
	assert_int_equal(GEN(a), 1);
	assert_int_not_equal(NUM(a), NUM(ctx[nr_asids() - 3])); /* the reserved one */
	/* the reserved context is put before it runs again: its number comes free */
	asid_put(&ctx[nr_asids() - 3]);
	assert_int_equal(host_mmu.tlb_flushes, 2);
	free(ctx);
}

static void reinit_starts_over(void **state)
{
	u64 c = 0;

	(void)state;
	asid_get(&c);
	asid_init(bits);
	c = 0;
	assert_int_equal(asid_get(&c), 1);
	assert_int_equal(asid_generation(), 0);
}

#define T(fn, b) { #fn "/" #b "bit", fn, setup, NULL, (void *)(uintptr_t)(b) }
#define BOTH(fn) T(fn, 8), T(fn, 16)
int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(unique_within_a_generation),
		BOTH(rollover_flushes_once_and_keeps_the_active),
		BOTH(put_flushes_and_frees_the_number),
		BOTH(stale_contexts_are_renumbered),
		BOTH(reinit_starts_over),
	};

	return cmocka_run_group_tests_name("asid", tests, NULL, NULL);
}
