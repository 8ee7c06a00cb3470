/*
 * ASIDs with generations (include/mm/asid.h), Linux's arm64 scheme cut
 * down to one CPU.
 *
 * Terminology: the hardware ASID ("number", 1 .. 2^bits - 1; 0 is the
 * kernel's) tags an app's TLB entries. An mm's context is
 *
 *   63            16 15        0
 *   +---------------+----------+
 *   |  generation   |  number  |     0 = never had one
 *   +---------------+----------+
 *
 * and is valid while its generation is the current one. The bitmap holds
 * the numbers taken in the current generation. When it is full, a
 * rollover starts the next generation: the bitmap is cleared, the whole
 * TLB invalidated once, and every mm gets a new number the next time it
 * is scheduled (asid_get), except the active one.
 *
 * The active mm is the one whose number asid_get returned last (it is in
 * TTBR0, or about to be). Its number stays taken across a rollover, and
 * its old context is remembered as "reserved": when asid_get sees that
 * context again it moves it to the new generation with the same number
 * (entries the CPU made with it since the flush are still its own). Only
 * the last rollover's reserved context is kept: at the next one, the
 * active mm is reserved instead, and anything older is re-numbered.
 *
 * asid_put (mm destroyed) frees the number and flushes it from the TLB, so
 * the next owner starts clean; a context of an older generation needs
 * neither (the rollover flushed it), unless it is the reserved one.
 *
 * Locking: none. Called from the scheduler and mm teardown with
 * interrupts masked or from task context on one CPU; the arch code
 * installs the returned number.
 */
#include <arch/mmu.h>
#include <lib/panic.h>
#include <mm/asid.h>
#include <string.h>

#define CTX_NUM_BITS 16
#define CTX_NUM_MASK ((1ULL << CTX_NUM_BITS) - 1)
#define MAX_ASID_BITS 16
#define BITS_PER_WORD 64

static u64 map[(1u << MAX_ASID_BITS) / BITS_PER_WORD]; /* numbers taken this generation */
static unsigned asid_bits = 16;
static u64 generation;  /* rollovers since asid_init */
static unsigned cursor; /* the search for a free number starts here */
static u64 active_ctx;  /* context of the number asid_get returned last */
static u64 reserved_ctx; /* active at the last rollover, not yet moved over */

static unsigned ctx_num(u64 ctx) { return (unsigned)(ctx & CTX_NUM_MASK); }
static u64 ctx_gen(u64 ctx) { return ctx >> CTX_NUM_BITS; }
static u64 make_ctx(unsigned num) { return generation << CTX_NUM_BITS | num; }
static unsigned nr_numbers(void) { return 1u << asid_bits; }

static bool taken(unsigned n) { return (map[n / BITS_PER_WORD] >> (n % BITS_PER_WORD)) & 1; }
static void take(unsigned n) { map[n / BITS_PER_WORD] |= 1ULL << (n % BITS_PER_WORD); }
static void release(unsigned n) { map[n / BITS_PER_WORD] &= ~(1ULL << (n % BITS_PER_WORD)); }

void asid_init(unsigned bits)
{
	BUG_ON(bits != 8 && bits != 16);
	asid_bits = bits;
	memset(map, 0, sizeof(map));
	take(0);
	generation = 0;
	cursor = 1;
	active_ctx = reserved_ctx = 0;
}

u64 asid_generation(void) { return generation; }

/* A free number from the cursor on, wrapping; 0 if every one is taken. */
static unsigned find_free(void)
{
	for (unsigned i = 0; i < nr_numbers(); i++) {
		unsigned n = (cursor + i) & (nr_numbers() - 1);

		if (n && !taken(n)) {
			cursor = n + 1;
			return n;
		}
	}
	return 0;
}

/* Start the next generation, keeping the active mm's number. */
static void rollover(void)
{
	generation++;
	memset(map, 0, sizeof(map));
	take(0);
	reserved_ctx = active_ctx;
	if (reserved_ctx)
		take(ctx_num(reserved_ctx));
	cursor = 1;
	arch_tlb_flush_all();
}

unsigned asid_get(u64 *ctx)
{
	unsigned n;

	if (*ctx && ctx_gen(*ctx) == generation) {
		active_ctx = *ctx;
		return ctx_num(*ctx);
	}
	if (*ctx && *ctx == reserved_ctx) {
		n = ctx_num(*ctx); /* kept taken by the rollover */
		reserved_ctx = 0;
	} else {
		n = find_free();
		if (!n) {
			rollover();
			n = find_free();
			BUG_ON(!n); /* at most the active number is taken */
		}
		take(n);
	}
	*ctx = active_ctx = make_ctx(n);
	return n;
}

void asid_put(u64 *ctx)
{
	u64 c = *ctx;

	if (!c)
		return;
	if (ctx_gen(c) == generation || c == reserved_ctx) {
		BUG_ON(!taken(ctx_num(c)));
		release(ctx_num(c));
		arch_tlb_flush_asid(ctx_num(c));
		if (c == reserved_ctx)
			reserved_ctx = 0;
	}
	if (c == active_ctx)
		active_ctx = 0;
	*ctx = 0;
}
