/*
 * The /proc tree's core (kernel/procfs.c) with the real /proc/sys/vm
 * table (kernel/proc_vm.c, its setters from mm/ on the fixture board)
 * and a small table of this test's own: lookup (//, trailing '/', ".",
 * "..", missing names, a file used as a directory, pids and self),
 * readdir order, generated files longer than the buffer, and knobs'
 * reads, writes and errors with nothing changed. The pid directories
 * come from fake hooks (pids 0, 3 and 7; self is 3).
 */
#include <errno.h>
#include <host.h>
#include <kernel/procfs.h>
#include <mm/commit.h>
#include <mm/compaction.h>
#include <mm/mm_init.h>
#include <mm/mmzone.h>
#include <mm/vmscan.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/proc_table.h"
#include "mm_fixture.h"

/* ---- the fake pid hooks and the test table -------------------------------- */

static const int pids[] = { 0, 3, 7 };

bool proc_pid_exists(int pid)
{
	for (unsigned i = 0; i < 3; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

int proc_pid_next(int after)
{
	for (unsigned i = 0; i < 3; i++)
		if (pids[i] > after)
			return pids[i];
	return -1;
}

int proc_pid_self(void) { return 3; }

static int big_show(FILE *f, int pid)
{
	(void)pid;
	for (int i = 0; i < 1000; i++)
		fprintf(f, "line %04d\n", i); /* 10 bytes each */
	return 0;
}

static int pid_show(FILE *f, int pid)
{
	fprintf(f, "Pid:\t%d\n", pid);
	return 0;
}

static int gone_show(FILE *f, int pid)
{
	(void)f;
	(void)pid;
	return -ESRCH;
}

static char stored[64];
static int text_store(const char *s, int pid)
{
	if (!strcmp(s, "bad"))
		return -EINVAL;
	snprintf(stored, sizeof(stored), "%d:%s", pid, s);
	return 0;
}

static const struct proc_entry test_files[] = {
	{ "proc/big", .show = big_show },
	{ "proc/#/status", .show = pid_show },
	{ "proc/#/gone", .show = gone_show },
	{ "proc/#/note", .store = text_store },
	{ "sys/kernel/debug/x", .show = pid_show },
};
static PROC_TABLE(test_table, test_files);

const struct proc_table *const proc_tables[] = { &test_table, &proc_vm_table, NULL };

/* ---- helpers ---------------------------------------------------------------- */

static char buf[16384];

static int setup(void **state)
{
	(void)state;
	fix_mm_setup(false, false);
	assert_int_equal(procfs_init(), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fix_mm_teardown();
	return 0;
}

static long wr(const char *path, const char *s) { return proc_write(path, s, strlen(s)); }

static const char *rd(const char *path)
{
	long r = proc_read(path, buf, sizeof(buf));

	assert_true(r >= 0);
	return buf;
}

/* ---- lookup ----------------------------------------------------------------- */

static void lookup_paths(void **state)
{
	bool dir = false;
	unsigned mode = 0;
	char longp[PROC_PATH_MAX + 8];

	(void)state;
	assert_int_equal(proc_stat("/", &dir, &mode), 0);
	assert_true(dir);
	assert_int_equal(proc_stat("/proc/sys/vm/swappiness", &dir, &mode), 0);
	assert_false(dir);
	assert_int_equal(mode, 0644);
	assert_int_equal(proc_stat("//proc///sys/vm//swappiness", &dir, &mode), 0);
	assert_int_equal(proc_stat("/proc/sys/vm/", &dir, &mode), 0);
	assert_true(dir);
	assert_int_equal(proc_stat("/proc/sys/vm/compact_memory", &dir, &mode), 0);
	assert_int_equal(mode, 0200);
	assert_int_equal(proc_stat("/proc/big", &dir, &mode), 0);
	assert_int_equal(mode, 0444);
	/* missing, relative, ".", "..", a file as a directory, too long */
	assert_int_equal(proc_stat("/proc/nothing", &dir, &mode), -ENOENT);
	assert_int_equal(proc_stat("proc/big", &dir, &mode), -ENOENT);
	assert_int_equal(proc_stat("", &dir, &mode), -ENOENT);
	assert_int_equal(proc_stat("/proc/./big", &dir, &mode), -ENOENT);
	assert_int_equal(proc_stat("/proc/sys/../big", &dir, &mode), -ENOENT);
	assert_int_equal(proc_stat("/proc/big/x", &dir, &mode), -ENOTDIR);
	assert_int_equal(proc_stat("/proc/big/", &dir, &mode), -ENOTDIR);
	memset(longp, 'a', sizeof(longp));
	longp[0] = '/';
	longp[sizeof(longp) - 1] = 0;
	assert_int_equal(proc_stat(longp, &dir, &mode), -ENAMETOOLONG);
	/* pids: existing ones, self, no "#", no leading zeros or signs */
	assert_int_equal(proc_stat("/proc/7/status", &dir, &mode), 0);
	assert_int_equal(proc_stat("/proc/0/status", &dir, &mode), 0);
	assert_int_equal(proc_stat("/proc/self/", &dir, &mode), 0);
	assert_true(dir);
	assert_int_equal(proc_stat("/proc/5/status", &dir, &mode), -ENOENT);
	assert_int_equal(proc_stat("/proc/#/status", &dir, &mode), -ENOENT);
	assert_int_equal(proc_stat("/proc/07/status", &dir, &mode), -ENOENT);
	assert_int_equal(proc_stat("/proc/+7/status", &dir, &mode), -ENOENT);
	assert_int_equal(proc_stat("/sys/self", &dir, &mode), -ENOENT); /* only where pids are */
}

struct listing {
	char text[512];
};

static void add_name(void *arg, const char *name, bool is_dir)
{
	struct listing *l = arg;

	strcat(l->text, name);
	strcat(l->text, is_dir ? "/ " : " ");
}

static void readdir_order(void **state)
{
	struct listing l = { "" };

	(void)state;
	assert_int_equal(proc_readdir("/", add_name, &l), 0);
	assert_string_equal(l.text, "proc/ sys/ ");
	l.text[0] = 0;
	/* table order, then self and the pids in order */
	assert_int_equal(proc_readdir("/proc", add_name, &l), 0);
	assert_string_equal(l.text, "big sys/ self/ 0/ 3/ 7/ ");
	l.text[0] = 0;
	assert_int_equal(proc_readdir("/proc/self", add_name, &l), 0);
	assert_string_equal(l.text, "status gone note ");
	l.text[0] = 0;
	assert_int_equal(proc_readdir("/proc/sys/vm/", add_name, &l), 0);
	assert_string_equal(l.text, "swappiness overcommit_memory overcommit_ratio overcommit_kbytes "
				    "compaction_proactiveness compact_unevictable_allowed extfrag_threshold compact_memory min_free_kbytes ");
	assert_int_equal(proc_readdir("/proc/big", add_name, &l), -ENOTDIR);
	assert_int_equal(proc_readdir("/proc/none", add_name, &l), -ENOENT);
}

/* ---- reads -------------------------------------------------------------------- */

static void read_generated(void **state)
{
	char small[16];

	(void)state;
	assert_int_equal(proc_read("/proc/big", buf, sizeof(buf)), 10000);
	assert_int_equal(strlen(buf), 10000);
	assert_memory_equal(buf + 9990, "line 0999\n", 10);
	/* a short buffer: its start, NUL-terminated, and the whole length */
	assert_int_equal(proc_read("/proc/big", small, sizeof(small)), 10000);
	assert_string_equal(small, "line 0000\nline ");
	assert_int_equal(proc_read("/proc/big", small, 0), 10000);
	/* the pid a path names, self included */
	assert_string_equal(rd("/proc/7/status"), "Pid:\t7\n");
	assert_string_equal(rd("/proc/self/status"), "Pid:\t3\n");
	assert_string_equal(rd("/proc/0/status"), "Pid:\t0\n");
	assert_string_equal(rd("/sys/kernel/debug/x"), "Pid:\t-1\n");
	/* errors */
	assert_int_equal(proc_read("/proc/7/gone", buf, sizeof(buf)), -ESRCH);
	assert_int_equal(proc_read("/proc/7", buf, sizeof(buf)), -EISDIR);
	assert_int_equal(proc_read("/proc/7/note", buf, sizeof(buf)), -EACCES);
	assert_int_equal(proc_read("/proc/sys/vm/compact_memory", buf, sizeof(buf)), -EACCES);
	assert_int_equal(proc_read("/proc/9/status", buf, sizeof(buf)), -ENOENT);
}

/* ---- knobs -------------------------------------------------------------------- */

static void knob_swappiness(void **state)
{
	(void)state;
	assert_int_equal(set_swappiness(60), 0);
	assert_string_equal(rd("/proc/sys/vm/swappiness"), "60\n");
	assert_int_equal(wr("/proc/sys/vm/swappiness", "133\n"), 4);
	assert_int_equal(vm_swappiness, 133);
	assert_string_equal(rd("/proc/sys/vm/swappiness"), "133\n");
	assert_int_equal(wr("/proc/sys/vm/swappiness", "  7 \n"), 5);
	assert_int_equal(vm_swappiness, 7);
	/* out of range or not a number: -EINVAL, nothing changed */
	static const char *const bad[] = { "201", "-1", "", "\n", "abc", "12abc", "1 2", "0x10", "--1",
					  "99999999999999999999", "-99999999999999999999" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(proc_write("/proc/sys/vm/swappiness", bad[i], strlen(bad[i])), -EINVAL);
		assert_int_equal(vm_swappiness, 7);
	}
	assert_int_equal(proc_write("/proc/sys/vm/swappiness", "5\0" "1", 3), -EINVAL);
	assert_int_equal(vm_swappiness, 7);
	/* longer than a value: -EINVAL */
	memset(buf, '1', 100);
	assert_int_equal(proc_write("/proc/sys/vm/swappiness", buf, 100), -EINVAL);
	assert_int_equal(set_swappiness(60), 0);
}

static void knob_overcommit(void **state)
{
	struct commit_policy p;

	(void)state;
	assert_int_equal(wr("/proc/sys/vm/overcommit_memory", "2"), 1);
	assert_int_equal(get_overcommit().mode, 2);
	/* 2^32 must not wrap to 0 in the int setter */
	assert_int_equal(wr("/proc/sys/vm/overcommit_memory", "4294967296"), -EINVAL);
	assert_int_equal(wr("/proc/sys/vm/overcommit_memory", "3"), -EINVAL);
	assert_int_equal(get_overcommit().mode, 2);
	assert_int_equal(wr("/proc/sys/vm/overcommit_ratio", "70"), 2);
	assert_string_equal(rd("/proc/sys/vm/overcommit_ratio"), "70\n");
	assert_int_equal(wr("/proc/sys/vm/overcommit_ratio", "1001"), -EINVAL);
	assert_int_equal(wr("/proc/sys/vm/overcommit_kbytes", "-5"), -EINVAL);
	p = get_overcommit();
	assert_int_equal(p.ratio, 70);
	assert_int_equal(p.kbytes, 0);
	assert_int_equal(wr("/proc/sys/vm/overcommit_kbytes", "123456"), 6);
	assert_string_equal(rd("/proc/sys/vm/overcommit_kbytes"), "123456\n");
	assert_string_equal(rd("/proc/sys/vm/overcommit_ratio"), "0\n"); /* Linux: one clears the other */
	assert_int_equal(set_overcommit_memory(0), 0);
	assert_int_equal(set_overcommit_ratio(50), 0);
}

static void knob_compaction(void **state)
{
	(void)state;
	assert_int_equal(wr("/proc/sys/vm/compaction_proactiveness", "0"), 1);
	assert_int_equal(sysctl_compaction_proactiveness, 0);
	assert_int_equal(wr("/proc/sys/vm/compaction_proactiveness", "101"), -EINVAL);
	assert_int_equal(sysctl_compaction_proactiveness, 0);
	assert_int_equal(wr("/proc/sys/vm/extfrag_threshold", "1000\n"), 5);
	assert_string_equal(rd("/proc/sys/vm/extfrag_threshold"), "1000\n");
	assert_int_equal(wr("/proc/sys/vm/extfrag_threshold", "1001"), -EINVAL);
	assert_int_equal(sysctl_extfrag_threshold, 1000);
	assert_int_equal(wr("/proc/sys/vm/compact_memory", "2"), -EINVAL);
	assert_int_equal(set_compaction_proactiveness(20), 0);
	assert_int_equal(set_extfrag_threshold(500), 0);
}

static void knob_min_free_kbytes(void **state)
{
	u64 managed = 0, min_sum = 0;
	char s[32];

	(void)state;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		managed += zones[i].managed_pages;
	assert_int_equal(wr("/proc/sys/vm/min_free_kbytes", "8192"), 4);
	assert_string_equal(rd("/proc/sys/vm/min_free_kbytes"), "8192\n");
	/* the zones' min watermarks share the 2048 pages by size (rounded down) */
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		min_sum += zones[i].watermark[WMARK_MIN];
		assert_true(zones[i].watermark[WMARK_LOW] > zones[i].watermark[WMARK_MIN] || !zones[i].managed_pages);
	}
	assert_true(min_sum <= 2048 && min_sum > 2048 - MAX_NR_ZONES);
	/* over half of the managed memory, or negative: refused, watermarks kept */
	snprintf(s, sizeof(s), "%llu", (unsigned long long)(managed * 4 / 2 + 1));
	assert_int_equal(wr("/proc/sys/vm/min_free_kbytes", s), -EINVAL);
	assert_int_equal(wr("/proc/sys/vm/min_free_kbytes", "-1"), -EINVAL);
	assert_string_equal(rd("/proc/sys/vm/min_free_kbytes"), "8192\n");
	min_sum = 0;
	for (int i = 0; i < MAX_NR_ZONES; i++)
		min_sum += zones[i].watermark[WMARK_MIN];
	assert_true(min_sum <= 2048 && min_sum > 2048 - MAX_NR_ZONES);
}

static void text_knob_and_errors(void **state)
{
	(void)state;
	assert_int_equal(wr("/proc/self/note", "hello\n"), 6);
	assert_string_equal(stored, "3:hello");
	assert_int_equal(wr("/proc/7/note", "x"), 1);
	assert_string_equal(stored, "7:x");
	assert_int_equal(wr("/proc/7/note", "bad"), -EINVAL);
	assert_string_equal(stored, "7:x");
	assert_int_equal(wr("/proc/big", "1"), -EACCES);
	assert_int_equal(wr("/proc/sys", "1"), -EISDIR);
	assert_int_equal(wr("/proc/sys/vm/nothing", "1"), -ENOENT);
	assert_int_equal(wr("/proc/9/note", "1"), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(lookup_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(readdir_order, setup, teardown),
		cmocka_unit_test_setup_teardown(read_generated, setup, teardown),
		cmocka_unit_test_setup_teardown(knob_swappiness, setup, teardown),
		cmocka_unit_test_setup_teardown(knob_overcommit, setup, teardown),
		cmocka_unit_test_setup_teardown(knob_compaction, setup, teardown),
		cmocka_unit_test_setup_teardown(knob_min_free_kbytes, setup, teardown),
		cmocka_unit_test_setup_teardown(text_knob_and_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
