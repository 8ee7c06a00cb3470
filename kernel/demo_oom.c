/*
 * The OOM part of the `make run` demo: memory fenced to OOM_DEMO_KEEP
 * pages and zram0 re-created small, so that RAM and swap both run out in
 * a moment on any board. A survivor and a hog fill their memory and wait;
 * a newcomer then needs more than is left: the OOM killer prints its
 * report, kills the hog (the highest badness) and reaps its memory, the
 * newcomer finishes, and the survivor - still running - verifies every
 * byte. With panic_on_oom set (CONFIG_PANIC_ON_OOM) the demo is skipped:
 * it would reset the board (docs/oom.md, docs/pstore.md).
 */
#include <kernel/appimg.h>
#include <kernel/demo.h>
#include <kernel/memfence.h>
#include <kernel/oom.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/swap.h>
#include <mm/uaccess.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OOM_DEMO_KEEP 4096u    /* pages left for the apps (16 MiB) */
#define OOM_DEMO_SWAP_KB 1024u /* zram0 for the demo: 256 slots */
#define OOM_DEMO_WAIT_NS 60000000000ull

static char out[8192];

/* Spawn memverify filling pages with seed, waiting on its flag afterwards
 * when wait; for waiting ones, return once it has filled (its flag's
 * address in *flag). The pid or a negative errno. */
static int start(u64 pages, unsigned seed, bool wait, u64 *flag)
{
	unsigned seen = 0;
	char arg[48];
	int pid;

	for (const char *p = out; (p = strstr(p, "memverify: region=")); p++)
		seen++;
	snprintf(arg, sizeof(arg), "%llu 1 %u%s", (unsigned long long)pages, seed, wait ? " wait" : "");
	pid = task_spawn("memverify", arg, current);
	printf("[kernel] started memverify %s (pid %d)\n", arg, pid);
	if (pid > 0 && wait && syscall_capture_wait("memverify: region=", seen + 1, OOM_DEMO_WAIT_NS)) {
		const char *f = strstr(out, "flag=");

		*flag = f ? strtoull(f + 5, NULL, 16) : 0;
	}
	return pid;
}


void oom_demo(void)
{
	u64 kills = vm_events[OOM_KILL], flag = 0, one = 1;
	struct memfence f;
	int survivor, hog, newcomer;

	if (!appimg_count()) {
		printf("\nOOM demo skipped: no app image\n");
		return;
	}
	if (get_panic_on_oom()) {
		printf("\nOOM demo skipped: panic_on_oom=%d would reset the board (docs/oom.md)\n", get_panic_on_oom());
		return;
	}
	if (swap_reinit((u64)OOM_DEMO_SWAP_KB << 10, 0)) {
		printf("\nOOM demo skipped: zram0 could not be re-created\n");
		return;
	}
	memfence_up(&f, OOM_DEMO_KEEP);
	printf("\nOOM demo: %llu pages left for the apps, zram0 re-created at %u KiB; a survivor (256 pages) and a hog "
	       "(3/4 of them) fill their memory and wait, then a newcomer needs 3/4 too\n",
	       (unsigned long long)f.given, OOM_DEMO_SWAP_KB);
	syscall_capture(out, sizeof(out));
	survivor = start(256, 2, true, &flag);
	hog = start(f.given * 3 / 4, 3, true, &flag);
	if (survivor > 0 && hog > 0) {
		printf("$ cat /proc/%d/oom_score /proc/%d/oom_score   (survivor, hog)\n", survivor, hog);
		show_oom_score(stdout, survivor);
		show_oom_score(stdout, hog);
	}
	newcomer = start(f.given * 3 / 4, 4, false, NULL);
	demo_finish_app(newcomer, "newcomer memverify");
	demo_finish_app(hog, "hog memverify");
	printf("\n$ ps   (the survivor is still running)\n");
	show_ps(stdout);
	if (survivor > 0 && flag && task_find(survivor))
		copy_to_user(task_find(survivor)->mm, flag, &one, sizeof(one));
	demo_finish_app(survivor, "survivor memverify");
	syscall_capture(NULL, 0);
	printf("$ grep oom_kill /proc/vmstat\n%s %llu   (+%llu in this demo)\n", vm_event_name(OOM_KILL),
	       (unsigned long long)vm_events[OOM_KILL], (unsigned long long)(vm_events[OOM_KILL] - kills));
	memfence_down(&f);
	swap_reinit((u64)CONFIG_ZRAM_SIZE_MB << 20, (u64)CONFIG_ZRAM_MEM_LIMIT_MB << 20);
}
