/*
 * The compaction part of the `make run` demo: a fragmented zone put back
 * together. A fence gives apps 32 MiB of whole blocks of the highest zone
 * and nothing else; memverify fills them and gives every other page back
 * (mode "holes"), so that zone's free memory is single pages: no free
 * block of order 9, unusable index 1.000. compact_memory (Linux's
 * `echo 1 > /proc/sys/vm/compact_memory`) moves the app's pages together;
 * the unusable and fragmentation indices, buddyinfo and the compact_*
 * counters before and after, and the app verifies every byte
 * (docs/physical-memory.md).
 */
#include <kernel/appimg.h>
#include <kernel/demo.h>
#include <kernel/memfence.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/compaction.h>
#include <mm/page_alloc.h>
#include <mm/report.h>
#include <mm/uaccess.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <string.h>

#define COMPACT_DEMO_PAGES 8192u /* 32 MiB given to the app */
#define COMPACT_DEMO_WAIT_NS 60000000000ull

static char out[1024];

static void show_indices(const char *when)
{
	printf("\n$ cat /sys/kernel/debug/extfrag/unusable_index   (%s)\n", when);
	show_unusable_index(stdout);
	printf("$ cat /sys/kernel/debug/extfrag/extfrag_index\n");
	show_extfrag_index(stdout);
	printf("$ cat /proc/buddyinfo\n");
	show_buddyinfo(stdout);
}

static void show_counters(void)
{
	static const enum vm_event_item shown[] = { PGMIGRATE_SUCCESS, COMPACTMIGRATE_SCANNED, COMPACTFREE_SCANNED,
						    COMPACTISOLATED };

	printf("$ grep -E 'pgmigrate_success|compact_(migrate|free)_scanned|compact_isolated' /proc/vmstat\n");
	for (unsigned i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		printf("%s %llu\n", vm_event_name(shown[i]), (unsigned long long)vm_event_read(shown[i]));
}

void compact_demo(void)
{
	unsigned saved = sysctl_compaction_proactiveness;
	u64 gap = 0, flag = 0, one = 1, moved;
	struct memfence f;
	const char *line;
	int pid;
	char arg[48];

	if (!appimg_count()) {
		printf("\nCompaction demo skipped: no app image\n");
		return;
	}
	set_compaction_proactiveness(0); /* kcompactd0 would put it together first */
	memfence_up_contig(&f, COMPACT_DEMO_PAGES);
	for (int i = MAX_NR_ZONES - 1; i >= 0; i--)
		if (zone_populated(&zones[i])) {
			gap = zones[i].watermark[WMARK_LOW] - zones[i].watermark[WMARK_MIN];
			break;
		}
	if (f.given <= gap + 1024) {
		printf("\nCompaction demo skipped: too little memory (%llu pages)\n", (unsigned long long)f.given);
		memfence_down(&f);
		set_compaction_proactiveness(saved);
		return;
	}
	printf("\nCompaction demo: apps get %llu MiB of whole blocks and nothing else; memverify fills them and gives "
	       "every other page back, leaving single free pages between its own\n",
	       (unsigned long long)(f.given >> 8));
	snprintf(arg, sizeof(arg), "%llu 1 6 holes,wait", (unsigned long long)(f.given - gap - 512));
	syscall_capture(out, sizeof(out));
	pid = task_spawn("memverify", arg, current);
	if (pid <= 0 || !syscall_capture_wait("memverify: region=", 1, COMPACT_DEMO_WAIT_NS) ||
	    !(line = strstr(out, "memverify: region="))) {
		printf("[kernel] memverify did not fill its pages (pid %d)\n", pid);
		goto out;
	}
	sscanf(line, "memverify: region=%*x pages=%*u flag=%llx", (unsigned long long *)&flag);
	drain_pcp_pages();
	show_indices("fragmented");
	show_counters();
	moved = vm_event_read(PGMIGRATE_SUCCESS);
	printf("\n$ echo 1 > /proc/sys/vm/compact_memory\n");
	compact_memory(1);
	drain_pcp_pages();
	printf("[kernel] compaction moved %llu pages\n",
	       (unsigned long long)(vm_event_read(PGMIGRATE_SUCCESS) - moved));
	show_indices("compacted");
	show_counters();
	if (task_find(pid) && flag)
		copy_to_user(task_find(pid)->mm, flag, &one, sizeof(one));
out:
	demo_finish_app(pid, "memverify");
	syscall_capture(NULL, 0);
	memfence_down(&f);
	set_compaction_proactiveness(saved);
}
