/*
 * libFuzzer target for zram and its object store (mm/zram.c, mm/zpool.c
 * and liblz4 — the real sources, on the host fixture board of
 * test/host/mm_fixture.c, brought up once for the whole run).
 *
 * Each input: byte 0 the device's memory limit (0: none, else 8 + 4 * byte
 * pages of RAM: the store's own 8 pages and some), then one opcode byte + operands until it ends:
 *   STORE    slot byte, kind byte, seed (16 bits): stores a page made by
 *            make_page(kind, seed): zero, same-filled, the issue's
 *            semi-compressible page, random, a random head of kind-chosen
 *            length then zeros (compressed sizes across every class)
 *   LOAD     slot byte
 *   FREE     slot byte
 *   COMPACT
 *   CORRUPT  slot byte, offset (16 bits): flips a byte of the stored object
 *            (once per stored page)
 * Slots are taken modulo NSLOTS. The model holds (kind, seed) of each slot,
 * or empty, or "corrupted". Checked:
 *  - LOAD of a stored slot returns 0 and exactly its page; of an empty one
 *    -ENOENT; of a corrupted one -EIO with the buffer untouched;
 *  - STORE returns 0, or -ENOSPC only with a limit, and then the slot
 *    still loads its previous page; the pool never exceeds the limit;
 *  - after every operation pages_stored and same_pages match the model;
 *  - COMPACT keeps every slot loadable (checked on the next loads and at
 *    the end, when every slot is verified);
 *  - at the end the device is destroyed and nr_free_pages() equals its
 *    value right after setup (no page lost).
 * A violation prints one line on stderr and traps.
 *
 * Reproduce: build/board/fuzz/fuzz_zram <crash-file>
 */
#include <errno.h>
#include <host.h>
#include <mm/page_alloc.h>
#include <mm/zram.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../host/mm_fixture.h"
#include "../host/page_pattern.h"

#define FUZZ_NAME "fuzz_zram"
#include "fuzz_check.h"

#define NSLOTS 64
enum { OP_STORE, OP_LOAD, OP_FREE, OP_COMPACT, OP_CORRUPT, NR_OPS };
enum { K_ZERO, K_SAME, K_SEMI, K_RANDOM, K_HEAD, NR_KINDS };
enum { S_EMPTY, S_PAGE, S_BAD };

struct slot {
	int state;
	u8 kind;
	u16 seed;
};

static u64 free0;
static struct slot model[NSLOTS];

static void make_page(u64 *w, u8 kind, u16 seed)
{
	unsigned head = (seed % 512) + 1;

	if (kind % NR_KINDS == K_SEMI) {
		semi_page(w, seed);
		return;
	}
	for (u64 k = 0; k < 512; k++) {
		switch (kind % NR_KINDS) {
		case K_ZERO: w[k] = 0; break;
		case K_SAME: w[k] = mix64(seed); break;
		case K_RANDOM: w[k] = mix64((u64)seed * 512 + k); break;
		default: w[k] = k < head ? mix64((u64)seed * 512 + k) : 0; break;
		}
	}
}

static void counts(struct zram *z)
{
	struct zram_stats st;
	u64 stored = 0, same = 0;

	zram_get_stats(z, &st);
	for (int i = 0; i < NSLOTS; i++) {
		if (model[i].state == S_EMPTY)
			continue;
		stored++;
		if (model[i].state == S_PAGE && (model[i].kind % NR_KINDS == K_ZERO ||
						 model[i].kind % NR_KINDS == K_SAME))
			same++;
	}
	CHECK(st.pages_stored == stored, "pages_stored %llu, model %llu", (unsigned long long)st.pages_stored,
	      (unsigned long long)stored);
	CHECK(st.same_pages == same, "same_pages %llu, model %llu", (unsigned long long)st.same_pages,
	      (unsigned long long)same);
	CHECK(!st.mem_limit || st.mem_used_total <= st.mem_limit, "mem_used %llu over the limit %llu",
	      (unsigned long long)st.mem_used_total, (unsigned long long)st.mem_limit);
}

static void load(struct zram *z, int i)
{
	u64 got[512], want[512];
	int err;

	memset(got, 0xa5, sizeof(got));
	err = zram_load(z, (u64)i, got);
	switch (model[i].state) {
	case S_EMPTY: CHECK(err == -ENOENT, "load of empty slot %d: %d", i, err); break;
	case S_BAD:
		CHECK(err == -EIO, "load of corrupted slot %d: %d", i, err);
		memset(want, 0xa5, sizeof(want));
		CHECK(!memcmp(got, want, sizeof(got)), "corrupted slot %d wrote the buffer", i);
		break;
	default:
		CHECK(err == 0, "load of slot %d: %d", i, err);
		make_page(want, model[i].kind, model[i].seed);
		CHECK(!memcmp(got, want, sizeof(got)), "slot %d (kind %u seed %u) differs", i, model[i].kind,
		      model[i].seed);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fix_mm_setup(false, false);
	drain_pcp_pages();
	free0 = nr_free_pages();
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct zram *z;
	size_t i = 1;
	u64 page[512];

	if (!size)
		return 0;
	memset(model, 0, sizeof(model));
	CHECK(zram_create(&z, NSLOTS * 4096ULL, data[0] ? (8 + (u64)data[0] * 4) * 4096 : 0, GFP_KERNEL) == 0, "create");
	while (i < size) {
		u8 op = data[i++] % NR_OPS;
		int s = i < size ? data[i] % NSLOTS : 0;

		switch (op) {
		case OP_STORE: {
			u8 kind;
			u16 seed;
			int err;

			if (i + 4 > size)
				goto out;
			kind = data[i + 1];
			seed = (u16)(data[i + 2] | data[i + 3] << 8);
			i += 4;
			make_page(page, kind, seed);
			err = zram_store(z, (u64)s, page, GFP_KERNEL);
			if (err == 0) {
				model[s] = (struct slot){ S_PAGE, kind, seed };
			} else {
				CHECK(err == -ENOSPC && data[0], "store slot %d: %d", s, err);
				load(z, s); /* unchanged */
			}
			break;
		}
		case OP_LOAD:
			if (i >= size)
				goto out;
			i++;
			load(z, s);
			break;
		case OP_FREE:
			if (i >= size)
				goto out;
			i++;
			zram_free(z, (u64)s);
			model[s].state = S_EMPTY;
			break;
		case OP_COMPACT:
			zram_compact(z);
			break;
		default: { /* OP_CORRUPT */
			unsigned off;
			int err;

			if (i + 3 > size)
				goto out;
			off = data[i + 1] | data[i + 2] << 8;
			i += 3;
			if (model[s].state == S_BAD)
				break; /* once is enough: the model knows no object sizes */
			err = zram_test_corrupt(z, (u64)s, off);
			if (model[s].state == S_EMPTY ||
			    (model[s].state == S_PAGE && (model[s].kind % NR_KINDS <= K_SAME))) {
				CHECK(err == -ENOENT, "corrupt of slot %d without an object: %d", s, err);
			} else {
				CHECK(err == 0, "corrupt slot %d: %d", s, err);
				model[s].state = S_BAD;
			}
		}
		}
		counts(z);
	}
out:
	for (int k = 0; k < NSLOTS; k++)
		load(z, k);
	zram_destroy(z);
	drain_pcp_pages();
	CHECK(nr_free_pages() == free0, "pages lost: %llu free, %llu at setup",
	      (unsigned long long)nr_free_pages(), (unsigned long long)free0);
	return 0;
}
