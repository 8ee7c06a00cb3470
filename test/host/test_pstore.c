/*
 * pstore records (kernel/pstore.c) on a malloc'd region that plays the
 * board's RAM across "boots" (a boot = a fresh struct pstore attached to
 * the same bytes): write/read round trip, the show view, CRC mismatch,
 * torn records (length past the region, magic never written), a cold
 * boot's garbage and zeroes, the counter across boots, truncation to the
 * log's tail, clear, and the reason of a panic message.
 */
#include <errno.h>
#include <kernel/pstore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <types.h>

#define REGION (16 * 1024)
#define HDR sizeof(struct pstore_header)

static u8 *ram;

static int setup(void **state)
{
	(void)state;
	ram = calloc(1, REGION);
	return ram ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(ram);
	return 0;
}

/* A new boot looking at the same RAM. */
static int boot(struct pstore *ps) { return pstore_attach(ps, ram, REGION); }

static void write_log(struct pstore *ps, const char *reason, const char *log)
{
	assert_int_equal(pstore_write(ps, reason, log, strlen(log)), (int)strlen(log));
}

static void round_trip(void **state)
{
	static const char log[] = "boot line\nKernel panic - not syncing: Out of memory: system-wide\n";
	struct pstore ps;
	const struct pstore_header *h = (const void *)ram;

	(void)state;
	assert_int_equal(boot(&ps), -ENOENT);
	write_log(&ps, pstore_reason_of("Out of memory: system-wide panic_on_oom is enabled"), log);
	assert_int_equal(boot(&ps), 0);
	assert_true(ps.valid);
	assert_int_equal(ps.resets, 1);
	assert_string_equal(h->reason, "Out of memory panic");
	assert_int_equal(h->len, strlen(log));
	assert_memory_equal(h + 1, log, strlen(log));
}

static void show_prints_record(void **state)
{
	struct pstore ps;
	char *buf = NULL;
	size_t n = 0;
	FILE *f;

	(void)state;
	boot(&ps);
	write_log(&ps, "Kernel panic", "line one\nline two");
	assert_int_equal(boot(&ps), 0);
	f = open_memstream(&buf, &n);
	assert_int_equal(pstore_show(&ps, f), 0);
	fclose(f);
	assert_string_equal(buf, "==> /sys/fs/pstore/console-ramoops-0 <== Kernel panic (reset #1), 17 bytes\n"
				 "line one\nline two\n"
				 "==> end of /sys/fs/pstore/console-ramoops-0 <==\n");
	free(buf);
}

static void crc_mismatch_rejected(void **state)
{
	struct pstore ps;

	(void)state;
	boot(&ps);
	write_log(&ps, "Kernel panic", "saved text");
	ram[HDR + 3] ^= 0x20; /* one payload bit */
	assert_int_equal(boot(&ps), -EBADMSG);
	assert_false(ps.valid);
	assert_string_equal(ps.why, "bad CRC");
	ram[HDR + 3] ^= 0x20;
	((struct pstore_header *)ram)->resets = 7; /* header fields are covered too */
	assert_int_equal(boot(&ps), -EBADMSG);
}

static void torn_record_rejected(void **state)
{
	struct pstore ps;
	struct pstore_header *h = (void *)ram;

	(void)state;
	boot(&ps);
	write_log(&ps, "Kernel panic", "saved text");
	h->len = REGION; /* length past the region */
	assert_int_equal(boot(&ps), -EOVERFLOW);
	assert_string_equal(ps.why, "length past the region");
	h->len = REGION - HDR + 1;
	assert_int_equal(boot(&ps), -EOVERFLOW);
	/* a region of another size (another board.cfg): not this record */
	boot(&ps);
	write_log(&ps, "Kernel panic", "saved text");
	assert_int_equal(pstore_attach(&ps, ram, REGION / 2), -EOVERFLOW);
	/* a reset in the middle of a write: the magic is written last */
	memset(ram, 0, REGION);
	boot(&ps);
	memcpy(ram + HDR, "partial", 7);
	assert_int_equal(boot(&ps), -ENOENT);
	assert_string_equal(ps.why, "bad magic");
}

static void garbage_rejected(void **state)
{
	struct pstore ps;
	struct pstore_header *h = (void *)ram;
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 1000; round++) {
		for (size_t i = 0; i < REGION; i++)
			ram[i] = (u8)((seed = seed * 1103515245 + 12345) >> 16);
		if (round & 1) /* garbage that happens to start with the magic and version */
			h->magic = PSTORE_MAGIC, h->version = PSTORE_VERSION, h->header_size = HDR,
			h->region_size = REGION, h->len %= REGION - HDR;
		assert_int_not_equal(boot(&ps), 0);
		assert_false(ps.valid);
		assert_int_equal(ps.resets, 0);
	}
	memset(ram, 0xff, REGION);
	assert_int_equal(boot(&ps), -ENOENT);
	h->magic = PSTORE_MAGIC;
	assert_int_equal(boot(&ps), -EPROTO);
	assert_int_equal(pstore_attach(&ps, ram, HDR - 1), -EINVAL);
	assert_int_equal(pstore_write(&ps, "Kernel panic", "x", 1), -EINVAL);
}

static void counter_across_boots(void **state)
{
	struct pstore ps;

	(void)state;
	assert_int_equal(boot(&ps), -ENOENT);
	for (unsigned n = 1; n <= 5; n++) {
		write_log(&ps, "Kernel panic", "again");
		assert_int_equal(boot(&ps), 0); /* the next boot */
		assert_int_equal(ps.resets, n);
	}
	pstore_clear(&ps);
	assert_false(ps.valid);
	assert_int_equal(boot(&ps), -ENOENT); /* cleared stays cleared in the next boot */
	write_log(&ps, "Kernel panic", "after clear");
	assert_int_equal(boot(&ps), 0);
	assert_int_equal(ps.resets, 1);
}

static void keeps_the_tail(void **state)
{
	static char log[3 * REGION];
	struct pstore ps;
	const struct pstore_header *h = (const void *)ram;
	char reason[100];

	(void)state;
	for (size_t i = 0; i < sizeof(log); i++)
		log[i] = (char)('a' + i % 26);
	memset(reason, 'r', sizeof(reason) - 1);
	reason[sizeof(reason) - 1] = 0;
	boot(&ps);
	assert_int_equal(pstore_write(&ps, reason, log, sizeof(log)), REGION - HDR);
	assert_int_equal(boot(&ps), 0);
	assert_memory_equal(h + 1, log + sizeof(log) - (REGION - HDR), REGION - HDR);
	assert_int_equal(strlen(h->reason), PSTORE_REASON_MAX - 1);
}

static void show_without_record(void **state)
{
	struct pstore ps;
	char *buf = NULL;
	size_t n = 0;
	FILE *f;

	(void)state;
	boot(&ps);
	f = open_memstream(&buf, &n);
	assert_int_equal(pstore_show(&ps, f), -ENOENT);
	fclose(f);
	assert_string_equal(buf, "pstore: no valid record (bad magic)\n");
	free(buf);
}

static void reasons(void **state)
{
	(void)state;
	assert_string_equal(pstore_reason_of("Out of memory: system-wide panic_on_oom is enabled"),
			    "Out of memory panic");
	assert_string_equal(pstore_reason_of("Out of memory and no killable processes..."), "Out of memory panic");
	assert_string_equal(pstore_reason_of("BUG at mm/slab.c:10: x"), "Kernel panic");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(round_trip),		  T(show_prints_record), T(crc_mismatch_rejected), T(torn_record_rejected),
		T(garbage_rejected),	  T(counter_across_boots), T(keeps_the_tail),	   T(show_without_record),
		T(reasons),
	};

	return cmocka_run_group_tests_name("pstore", tests, NULL, NULL);
}
