/*
 * make soak (not in make test): at least SOAK_BYTES of pages through zram
 * with byte-exact verification, on one QEMU machine booted with "soak".
 * Memory is fenced to SOAK_KEEP_PAGES for the apps (kernel/memfence.c),
 * and apps/thrash.c runs rounds over 150% of what is then available, each
 * round writing new pattern pages and verifying every word of them, until
 * pswpout has passed SOAK_BYTES. Prints the totals and one verdict line:
 * "soak: PASS" (every round intact, the app exited 0, every swap slot
 * free afterwards) or "soak: FAIL ...".
 */
#include <kernel/memfence.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/swap.h>
#include <mm/vmstat.h>
#include <mm/zram.h>
#include <stdio.h>
#include <string.h>

void soak_swap(void);

#define SOAK_BYTES (1ull << 30)
#define SOAK_KEEP_PAGES 8192u /* 32 MiB for the apps */

static char out[16384];

void soak_swap(void)
{
	u64 out0 = vm_events[PSWPOUT], in0 = vm_events[PSWPIN], maj0 = vm_events[PGMAJFAULT];
	u64 pages, done = 0, rounds = 0, bad_rounds = 0;
	struct swap_info si;
	struct memfence f;
	struct meminfo mi;
	char arg[40];
	int status = 0;

	memfence_up(&f, SOAK_KEEP_PAGES);
	meminfo_read(&mi);
	pages = f.given * 3 / 2; /* what the apps can reach (MemAvailable may count more) */
	printf("soak: %llu pages fenced off, %llu left for apps (MemAvailable %llu kB): thrash over %llu pages per "
	       "round until %llu MiB went through zram\n", (unsigned long long)f.pages, (unsigned long long)f.given,
	       (unsigned long long)mi.mem_available, (unsigned long long)pages, SOAK_BYTES >> 20);
	while (!status && (vm_events[PSWPOUT] - out0) * PAGE_SIZE < SOAK_BYTES) {
		/* ten rounds per run: new data every round, the app's exit status covers all of them */
		snprintf(arg, sizeof(arg), "%llu 10", (unsigned long long)pages);
		syscall_capture(out, sizeof(out));
		int pid = task_spawn("thrash", arg, current);

		if (pid < 0 || task_wait(pid, &status, false) != pid)
			status = -1;
		for (const char *p = out; (p = strstr(p, " bad words")); p++) {
			const char *c = p;

			while (c > out && c[-1] != ' ')
				c--;
			rounds++;
			bad_rounds += strncmp(c, "0 bad", 5) != 0;
		}
		syscall_capture(NULL, 0);
		done = vm_events[PSWPOUT] - out0;
		printf("soak: %llu rounds, pswpout +%llu (%llu MiB), pswpin +%llu, status %#x\n", (unsigned long long)rounds,
		       (unsigned long long)done, (unsigned long long)(done * PAGE_SIZE >> 20),
		       (unsigned long long)(vm_events[PSWPIN] - in0), status);
	}
	memfence_down(&f);
	swap_get_info(&si);
	printf("soak: totals: %llu rounds of %llu pages verified word by word, %llu bad; pswpout %llu pswpin %llu "
	       "pgmajfault %llu; %llu MiB out; swap slots in use now %llu\n", (unsigned long long)rounds,
	       (unsigned long long)pages, (unsigned long long)bad_rounds, (unsigned long long)done,
	       (unsigned long long)(vm_events[PSWPIN] - in0), (unsigned long long)(vm_events[PGMAJFAULT] - maj0),
	       (unsigned long long)(done * PAGE_SIZE >> 20), (unsigned long long)si.inuse_slots);
	printf("$ cat /sys/block/zram0/mm_stat\n");
	zram_show_mm_stat(swap_zram(), stdout);
	if (!status && !bad_rounds && rounds && done * PAGE_SIZE >= SOAK_BYTES && !si.inuse_slots)
		printf("soak: PASS\n");
	else
		printf("soak: FAIL (status %#x, %llu bad rounds, %llu slots in use)\n", status,
		       (unsigned long long)bad_rounds, (unsigned long long)si.inuse_slots);
}
