/*
 * sysfuzz [SEED [ITERATIONS]]: calls every system call of the table with
 * random arguments from a xorshift PRNG - random, NULL, kernel and text
 * pointers, its own valid buffers, huge and zero lengths, random flags -
 * and random unknown numbers, which must all return -ENOSYS. It must
 * survive: the kernel validates everything an app passes.
 *
 * Avoided, so that it survives by construction: exit, exit_group and
 * spawn; munmap/mprotect/madvise and mmap MAP_FIXED over its own image,
 * heap, stack and buffer (MAP_FIXED is dropped there, the others are
 * skipped).
 * What it maps it unmaps at once, brk is put back after each call, and
 * lengths printed to the console are kept short.
 *
 * Before the random calls, a fixed list of edge cases with the exact
 * errno each must return and nothing changed after it: lengths near 2^64
 * that wrap when rounded up (mlock/munlock -EINVAL, mprotect -ENOMEM,
 * madvise -EINVAL) and W+X mappings (mmap and mprotect -EACCES: W^X).
 *
 * Prints "sysfuzz: N calls, M errors, 0 crashes" and exits 0; exits 1 if
 * an edge case returned something else, an unknown number did not return
 * -ENOSYS or a result was out of range.
 */
#include "arch_app.h"
#include "sys.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_SIZE (2 * PAGE_SIZE)
#define USER_TOP APP_USER_TOP /* arch_app.h */
#define STACK_RESERVE (64UL << 20) /* below the initial SP: the stack's possible extent */
#define HEAP_RESERVE (64UL << 20)  /* above the initial break */
#define KERNEL_BASE APP_KERNEL_BASE

/* A machine word: what an argument register carries (64 or 32 bits). */
typedef unsigned long uword;

struct call {
	const char *name;
	long nr;
	unsigned long calls, errors;
};

static struct call table[] = {
	{ .name = "write", .nr = SYS_write },
	{ .name = "nanosleep", .nr = SYS_nanosleep },
	{ .name = "clock_gettime", .nr = SYS_clock_gettime },
	{ .name = "sched_yield", .nr = SYS_sched_yield },
	{ .name = "getrusage", .nr = SYS_getrusage },
	{ .name = "getpid", .nr = SYS_getpid },
	{ .name = "getppid", .nr = SYS_getppid },
	{ .name = "brk", .nr = SYS_brk },
	{ .name = "munmap", .nr = SYS_munmap },
	{ .name = "mmap", .nr = SYS_mmap },
	{ .name = "mprotect", .nr = SYS_mprotect },
	{ .name = "mlock", .nr = SYS_mlock },
	{ .name = "munlock", .nr = SYS_munlock },
	{ .name = "madvise", .nr = SYS_madvise },
	{ .name = "wait4", .nr = SYS_wait4 },
	{ .name = "open_image", .nr = SYS_open_image },
	{ .name = "oom_adj_set", .nr = SYS_oom_score_adj_set },
	{ .name = "oom_adj_get", .nr = SYS_oom_score_adj_get },
	{ .name = "class_set", .nr = SYS_app_class_set },
	{ .name = "class_get", .nr = SYS_app_class_get },
	{ .name = "budget_set", .nr = SYS_mem_budget_set },
	{ .name = "budget_get", .nr = SYS_mem_budget_get },
	{ .name = "openat", .nr = SYS_openat },
	{ .name = "close", .nr = SYS_close },
	{ .name = "lseek", .nr = SYS_lseek },
	{ .name = "read", .nr = SYS_read },
	{ .name = "cacheflush", .nr = SYS_cacheflush },
};
/* never called: exit, exit_group, spawn (and with attributes) */
static const long avoided[] = { SYS_exit, SYS_exit_group, SYS_spawn, SYS_spawn_attr };

/* its own valid buffer: mmap'd, followed by a PROT_NONE guard page, so that
 * pointers straddling its end run into a fault and not into our data */
static unsigned char *buf;
static uint64_t rng;
static uintptr_t brk0, sp0;
extern char __executable_start[], _erodata[]; /* app.lds: text and rodata, read-only */

static uword rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uword)rng; /* the low bits on a 32-bit machine */
}

static uword pick(const uword *v, unsigned n) { return v[rnd() % n]; }

static bool in_buf(uword p) { return p >= (uintptr_t)buf && p < (uintptr_t)buf + BUF_SIZE; }

/* A pointer argument: one of the interesting classes (allow_text: into its
 * own read-only text/rodata, which the kernel must not write). */
static uword rnd_ptr(bool allow_text)
{
	switch (rnd() % (allow_text ? 8 : 7)) {
	case 0: return 0;
	case 1: return rnd();
	case 2: return rnd() % USER_TOP;
	case 3: return KERNEL_BASE + (rnd() % (256UL << 20));
	case 4: return (uintptr_t)buf + rnd() % BUF_SIZE;
	case 5: return (uintptr_t)buf + BUF_SIZE - 1 - rnd() % 16; /* straddles the end */
	case 6: return (rnd() % USER_TOP) & ~(PAGE_SIZE - 1);
	default: return (uintptr_t)__executable_start + rnd() % (uintptr_t)(_erodata - __executable_start);
	}
}

static uword rnd_len(void)
{
	static const uword special[] = { 0, 1, PAGE_SIZE, PAGE_SIZE + 1, ~0UL, USER_TOP, ~0UL / 2 + 1,
					    (uword)-PAGE_SIZE, (uword)-PAGE_SIZE + 1, ~0UL - 1 };

	switch (rnd() % 4) {
	case 0: return pick(special, sizeof(special) / sizeof(special[0]));
	case 1: return rnd() % PAGE_SIZE;
	case 2: return (rnd() % 64) * PAGE_SIZE;
	default: return rnd();
	}
}

static uword rnd_int(void)
{
	static const uword special[] = { 0, 1, 2, 3, 4, (uword)-1, 0x7fffffff, 0x80000000 };

	return rnd() % 2 ? pick(special, sizeof(special) / sizeof(special[0])) : rnd() % 3 ? rnd() % 64 : rnd();
}

/* Whether [a, a+len) (page-rounded, saturating) touches what keeps us alive. */
static bool hits_self(uword a, uword len)
{
	uword lo = a & ~(PAGE_SIZE - 1), hi = a + len + PAGE_SIZE - 1;

	if (hi < a)
		hi = ~0UL;
	hi &= ~(PAGE_SIZE - 1);
	if (len == 0)
		hi = lo + PAGE_SIZE;
	if (lo < brk0 + HEAP_RESERVE && hi > (uintptr_t)__executable_start)
		return true;
	if (lo < (uintptr_t)buf + BUF_SIZE + PAGE_SIZE && hi > (uintptr_t)buf)
		return true;
	return lo < USER_TOP && hi > sp0 - STACK_RESERVE;
}

/* Make and issue one call of c; false if it was skipped (would hit ourselves). */
static bool do_call(struct call *c, long *res)
{
	uword a[6];
	long r;

	for (int i = 0; i < 6; i++)
		a[i] = rnd() % 3 == 0 ? rnd_ptr(true) : rnd() % 2 ? rnd_len() : rnd_int();

	switch (c->nr) {
	case SYS_write:
		a[0] = rnd() % 4 ? rnd() % 4 : rnd_int();
		a[1] = rnd_ptr(false);
		if (a[0] == 1 || a[0] == 2) { /* the console: short, printable */
			a[2] = rnd() % 16;
			if (in_buf(a[1])) {
				a[2] = a[2] < (uintptr_t)buf + BUF_SIZE - a[1] ? a[2] : (uintptr_t)buf + BUF_SIZE - a[1];
				memset((void *)(uintptr_t)a[1], '.', a[2]);
			}
		} else {
			a[2] = rnd_len();
		}
		break;
	case SYS_nanosleep:
		a[0] = rnd_ptr(false);
		if (in_buf(a[0]) && a[0] + sizeof(struct timespec) <= (uintptr_t)buf + BUF_SIZE) {
			struct timespec ts = { 0, rnd() % 4 ? (long)(rnd() % 200000) : (long)rnd_int() };

			if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
				ts.tv_sec = rnd() % 2 ? -1 : 0; /* invalid anyway: -EINVAL, no sleep */
			memcpy((void *)(uintptr_t)a[0], &ts, sizeof(ts));
		} else if (in_buf(a[0])) {
			a[0] = 0;
		}
		a[1] = rnd_ptr(true);
		break;
	case SYS_brk:
		a[0] = rnd() % 2 ? brk0 + rnd() % (HEAP_RESERVE / 2) : rnd_ptr(true);
		break;
	case SYS_mmap:
		a[1] = rnd_len();
		a[2] = rnd() % 2 ? rnd() % 8 : rnd_int();
		a[3] = rnd() % 2 ? (rnd() & (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_POPULATE))
				 : rnd_int();
		a[4] = rnd() % 2 ? (uword)-1 : rnd_int();
		a[5] = rnd() % 2 ? 0 : rnd_len();
		if ((a[3] & MAP_FIXED) && hits_self(a[0], a[1]))
			a[3] &= ~(uword)MAP_FIXED;
		if ((a[3] & MAP_POPULATE) && a[1] > (4UL << 20))
			a[3] &= ~(uword)MAP_POPULATE;
		break;
	case SYS_munmap:
	case SYS_mprotect:
	case SYS_madvise:
		if (rnd() % 2)
			a[1] = rnd_len();
		if (c->nr != SYS_munmap && rnd() % 2)
			a[2] = rnd() % 8;
		if (hits_self(a[0], a[1]))
			return false;
		break;
	case SYS_mlock:
	case SYS_munlock:
		a[1] = rnd_len();
		break;
	case SYS_open_image:
		if (rnd() % 2) {
			static const char *const names[] = { "blob", "demo", "nonexistent", "", "sysfuzz" };
			const char *n = names[rnd() % 5];
			size_t off = rnd() % (BUF_SIZE - 64);

			strcpy((char *)buf + off, n);
			a[0] = (uintptr_t)buf + off;
		} else if (rnd() % 4 == 0) {
			memset(buf + BUF_SIZE - 40, 'x', 40); /* unterminated up to the buffer's end */
			a[0] = (uintptr_t)buf + BUF_SIZE - 40;
		}
		break;
	case SYS_oom_score_adj_set:
	case SYS_oom_score_adj_get:
	case SYS_app_class_set:
	case SYS_app_class_get:
	case SYS_mem_budget_set:
	case SYS_mem_budget_get:
		/* itself or no task (other apps' values are not its to change) */
		a[0] = rnd() % 2 ? 0 : rnd() % 2 ? (uword)-(long)(rnd() % 100) : 32768 + rnd();
		break;
	default:
		break;
	}

	r = sys_call6(c->nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);

	if (c->nr == SYS_mmap && (r >= 0 || r < -4095))
		sys_munmap((void *)r, a[1]);
	if (c->nr == SYS_brk)
		sys_brk(brk0);
	if (c->nr == SYS_oom_score_adj_set)
		sys_oom_score_adj_set(0, 0);
	if (c->nr == SYS_app_class_set) /* back to what the kernel's children are */
		sys_app_class_set(0, APP_CLASS_FOREGROUND);
	if (c->nr == SYS_mem_budget_set)
		sys_mem_budget_set(0, 0);
	*res = r;
	return true;
}

/* The edge cases (see the header) on buf: how many returned the wrong errno
 * or changed buf's contents or protection. */
static unsigned long edge_cases(void)
{
	static const uword wraps[] = { ~0UL, ~0UL - 1, (uword)-PAGE_SIZE, (uword)-PAGE_SIZE + 1,
					  (uword)-2 * PAGE_SIZE };
	const int rwx = PROT_READ | PROT_WRITE | PROT_EXEC;
	struct { const char *what; long got, want; } c[8 * sizeof(wraps) / sizeof(wraps[0]) + 4];
	unsigned n = 0;
	unsigned long bad = 0;

	buf[0] = 'e';
	for (unsigned i = 0; i < sizeof(wraps) / sizeof(wraps[0]); i++) {
		uword len = wraps[i];

		c[n++] = (typeof(c[0])){ "mlock", sys_mlock(buf, len), -EINVAL };
		c[n++] = (typeof(c[0])){ "mlock(+1)", sys_mlock(buf + 1, len), -EINVAL };
		c[n++] = (typeof(c[0])){ "munlock", sys_munlock(buf, len), -EINVAL };
		c[n++] = (typeof(c[0])){ "mprotect", sys_mprotect(buf, len, PROT_READ), -ENOMEM };
		c[n++] = (typeof(c[0])){ "mprotect(none)", sys_mprotect(buf, len, PROT_NONE), -ENOMEM };
		c[n++] = (typeof(c[0])){ "madvise(dontneed)", sys_madvise(buf, len, MADV_DONTNEED), -EINVAL };
		c[n++] = (typeof(c[0])){ "madvise(random)", sys_madvise(buf, len, MADV_RANDOM), -EINVAL };
		c[n++] = (typeof(c[0])){ "munmap", sys_munmap(buf, len), -EINVAL };
	}
	c[n++] = (typeof(c[0])){ "mmap(RWX)", sys_mmap(NULL, PAGE_SIZE, rwx, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -EACCES };
	c[n++] = (typeof(c[0])){ "mmap(RWX, fixed on buf)",
				 sys_mmap(buf, PAGE_SIZE, rwx, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), -EACCES };
	c[n++] = (typeof(c[0])){ "mprotect(buf, RWX)", sys_mprotect(buf, BUF_SIZE, rwx), -EACCES };
	c[n++] = (typeof(c[0])){ "mprotect(text, RWX)", sys_mprotect(__executable_start, PAGE_SIZE, rwx), -EACCES };
	for (unsigned i = 0; i < n; i++) {
		if (c[i].got == c[i].want)
			continue;
		bad++;
		printf("sysfuzz: edge case %u %s returned %ld, expected %ld\n", i, c[i].what, c[i].got, c[i].want);
	}
	/* nothing changed: buf keeps its byte, is still writable and mapped */
	if (buf[0] != 'e') {
		printf("sysfuzz: an edge case changed the buffer\n");
		bad++;
	}
	buf[0] = 0;
	printf("sysfuzz: %u edge cases, %lu wrong\n", n, bad);
	return bad;
}

static bool is_table_nr(long nr)
{
	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].nr == nr)
			return true;
	for (unsigned i = 0; i < sizeof(avoided) / sizeof(avoided[0]); i++)
		if (avoided[i] == nr)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	char *tok[2];
	int ntok = app_args(argc, argv, tok, 2);
	unsigned long seed = ntok > 0 ? strtoul(tok[0], NULL, 0) : 1;
	unsigned long iters = ntok > 1 ? strtoul(tok[1], NULL, 0) : 1000;
	unsigned long calls = 0, errors = 0, skipped = 0, unknown = 0, unknown_enosys = 0, bad = 0;
	volatile char here;

	rng = seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
	if (!rng)
		rng = 1;
	sp0 = (uintptr_t)&here;
	brk0 = (uintptr_t)sys_brk(0);
	buf = mmap(NULL, BUF_SIZE + PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || mprotect(buf + BUF_SIZE, PAGE_SIZE, PROT_NONE)) {
		printf("sysfuzz: cannot map its buffer\n");
		return 1;
	}
	printf("sysfuzz: seed %lu, %lu iterations, %u calls in the table (pid %d)\n", seed, iters,
	       (unsigned)(sizeof(table) / sizeof(table[0])), getpid());

	bad += edge_cases();
	for (unsigned long it = 0; it < iters; it++) {
		long nr, r;

		if (rnd() % 8 == 0) { /* an unknown number */
			static const long odd[] = { -1, 1009, 1010, 4096, 0x7fffffff, (long)0x80000000UL };

			do
				nr = rnd() % 3 ? (long)(rnd() % 1100) : rnd() % 2 ? (long)rnd() : odd[rnd() % 6];
			while (is_table_nr(nr));
			r = sys_call6(nr, (long)rnd_ptr(false), (long)rnd_len(), (long)rnd_int(), 0, 0, 0);
			calls++;
			unknown++;
			if (r != -ENOSYS) {
				if (bad++ < 10)
					printf("\nsysfuzz: unknown syscall %ld returned %ld, expected %d (-ENOSYS)\n", nr,
					       r, -ENOSYS);
			} else {
				errors++;
				unknown_enosys++;
			}
			continue;
		}

		struct call *c = &table[rnd() % (sizeof(table) / sizeof(table[0]))];

		if (!do_call(c, &r)) {
			skipped++;
			continue;
		}
		calls++;
		c->calls++;
		if (r < 0 && r >= -4095) {
			errors++;
			c->errors++;
		} else if (r < -4095 && c->nr != SYS_mmap && c->nr != SYS_brk) {
			if (bad++ < 10)
				printf("\nsysfuzz: %s returned %ld: neither a result nor an errno\n", c->name, r);
		}
	}

	printf("\nsysfuzz: %-14s %8s %8s\n", "call", "calls", "errors");
	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		printf("sysfuzz: %-14s %8lu %8lu\n", table[i].name, table[i].calls, table[i].errors);
	printf("sysfuzz: %-14s %8lu %8lu\n", "(unknown)", unknown, unknown_enosys);
	printf("sysfuzz: %lu skipped (would hit its own image or stack)\n", skipped);
	if (bad)
		printf("sysfuzz: %lu results out of contract\n", bad);
	printf("sysfuzz: %lu calls, %lu errors, 0 crashes\n", calls, errors);
	return bad ? 1 : 0;
}
