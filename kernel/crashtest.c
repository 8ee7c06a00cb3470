/*
 * Deliberate kernel crashes, selected by "crash=<kind>" on the command
 * line, so that tests (test/target/crash_tests.py) can prove that each
 * kind produces its report and stops the board with a failure status:
 *
 *   null          read through a NULL pointer
 *   text-write    write to kernel text (permission fault)
 *   undef         execute an undefined instruction
 *   stack-overflow  recurse into the boot stack's guard page
 *   stack-smash   overwrite a stack canary (stack protector)
 *   panic         call panic()
 *   panic-reset   with no pstore record: panic with panic_reboot set (the
 *                 board resets); with one (the boot after): print it and
 *                 power off (test/target/pstore_tests.py)
 *   oom-reset     the same through the OOM policy: panic_on_oom=1, an app
 *                 (memverify) running, then kernel allocations until the
 *                 OOM killer's panic saves its report and resets the board
 *   oom-budget-reset  the same through a budget OOM: panic_on_oom=2 (1 would
 *                 kill the app alone), memverify over its 512 kB budget
 *   oom-nokill    panic_on_oom=0 but the only app (memverify) has
 *                 oom_score_adj -1000: kernel allocations until the OOM
 *                 killer finds nothing killable, prints its report and
 *                 panics
 */
#include <arch/cpu.h>
#include <arch/power.h>
#include <kernel/crashtest.h>
#include <kernel/oom.h>
#include <kernel/task.h>
#include <mm/page_alloc.h>
#include <kernel/pstore.h>
#include <lib/panic.h>
#include <stdio.h>
#include <string.h>
#include <types.h>

extern char _text[];

static __attribute__((noinline)) void crash_null(void)
{
	printf("crashtest: reading NULL\n");
	(void)*(volatile u64 *)0;
}

static __attribute__((noinline)) void crash_text_write(void)
{
	printf("crashtest: writing kernel text\n");
	*(volatile u32 *)(_text + 64) = 0;
}

static __attribute__((noinline)) void crash_undef(void)
{
	printf("crashtest: executing an undefined instruction\n");
	arch_exec_undefined();
	__asm__ volatile(""); /* not a tail call: crash_undef stays in the trace */
}

/* Bounded only by a limit far beyond any kernel stack. */
static __attribute__((noinline)) unsigned recurse(unsigned depth, unsigned limit)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	if (depth == limit)
		return pad[0];
	return recurse(depth + 1, limit) + pad[0];
}

static __attribute__((noinline)) void crash_stack_overflow(void)
{
	volatile unsigned limit = 1u << 20;

	printf("crashtest: deep recursion\n");
	recurse(0, limit);
}

static __attribute__((noinline)) void smash(const char *src, size_t n)
{
	char buf[16];

	memcpy(buf, src, n); /* n > sizeof(buf): overwrites the canary */
	__asm__ volatile("" ::"r"(buf) : "memory");
}

static __attribute__((noinline)) void crash_stack_smash(void)
{
	static const char junk[64] = "0123456789abcdef0123456789abcdef0123456789abcdef";
	volatile size_t n = sizeof(junk);

	printf("crashtest: overflowing a stack buffer\n");
	smash(junk, n);
}

static void crash_panic(void) { panic("crashtest: deliberate panic"); }

/* The two reset tests' first step: true on the boot that must crash (a
 * pstore region, no record yet); on the boot after (a record, printed
 * above) power off; false, with a line, when there is no region. */
static bool first_boot_of_reset_test(const char *name)
{
	struct pstore *ps = pstore_ram();

	if (!ps) {
		printf("crashtest: %s needs a pstore region (CONFIG_PSTORE_SIZE_KB > 0)\n", name);
		return false;
	}
	if (ps->valid) {
		printf("crashtest: the last boot's record is above; powering off\n");
		machine_power_off(0);
	}
	return true;
}

static void crash_panic_reset(void)
{
	if (!first_boot_of_reset_test("panic-reset"))
		return;
	panic_reboot = true;
	panic("crashtest: deliberate panic before a reset");
}

static void crash_oom_reset(void)
{
	if (!first_boot_of_reset_test("oom-reset"))
		return;
	BUG_ON(set_panic_on_oom(1));
	if (task_spawn("memverify", "256 1 7 wait", current) < 0)
		printf("crashtest: cannot start memverify\n");
	task_yield(); /* let it map and fill its pages */
	printf("crashtest: allocating kernel pages until out of memory (panic_on_oom=1)\n");
	while (alloc_page(GFP_KERNEL | __GFP_NOWARN))
		;
	printf("crashtest: allocation failed without an OOM panic\n");
}

static void crash_oom_budget_reset(void)
{
	int pid, status;

	if (!first_boot_of_reset_test("oom-budget-reset"))
		return;
	BUG_ON(set_panic_on_oom(2));
	pid = task_spawn("memverify", "1024 1 7", current);
	if (pid < 0 || mem_budget_set(task_find(pid), 512)) {
		printf("crashtest: cannot start memverify with a budget (%d)\n", pid);
		return;
	}
	printf("crashtest: memverify (pid %d) fills 4 MiB over a 512 kB budget (panic_on_oom=2)\n", pid);
	task_wait(pid, &status, false);
	printf("crashtest: memverify ended (status %#x) without an OOM panic\n", status);
}

static void crash_oom_nokill(void)
{
	int pid;

	BUG_ON(set_panic_on_oom(0));
	pid = task_spawn("memverify", "256 1 7 wait", current);
	if (pid < 0 || oom_score_adj_set(pid, OOM_SCORE_ADJ_MIN)) {
		printf("crashtest: cannot start a protected memverify (%d)\n", pid);
		return;
	}
	task_yield(); /* let it map and fill its pages */
	printf("crashtest: allocating kernel pages until out of memory, the only app protected (-1000)\n");
	while (alloc_page(GFP_KERNEL | __GFP_NOWARN))
		;
	printf("crashtest: allocation failed without an OOM panic\n");
}

void crashtest_maybe(const char *bootargs)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} kinds[] = {
		{ "null", crash_null },		  { "text-write", crash_text_write },
		{ "undef", crash_undef },	  { "stack-overflow", crash_stack_overflow },
		{ "stack-smash", crash_stack_smash }, { "panic", crash_panic },
		{ "panic-reset", crash_panic_reset }, { "oom-reset", crash_oom_reset },
		{ "oom-budget-reset", crash_oom_budget_reset }, { "oom-nokill", crash_oom_nokill },
	};
	const char *p = strstr(bootargs, "crash=");

	if (!p)
		return;
	p += 6;
	for (unsigned i = 0; i < ARRAY_SIZE(kinds); i++) {
		size_t n = strlen(kinds[i].name);

		if (!strncmp(p, kinds[i].name, n) && (p[n] == 0 || p[n] == ' ')) {
			kinds[i].fn();
			printf("crashtest: %s did not crash\n", kinds[i].name);
			return;
		}
	}
	printf("crashtest: unknown kind (null, text-write, undef, stack-overflow, stack-smash, panic, panic-reset, oom-reset, oom-budget-reset, oom-nokill)\n");
}
