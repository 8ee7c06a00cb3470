/* A fragmented zone for the compaction tests (contract in fragment.h). */
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <mm/page_alloc.h>
#include <stdio.h>
#include <string.h>

#include "app_wait.h"
#include "fragment.h"

static struct zone *highest_zone(void)
{
	for (int i = MAX_NR_ZONES - 1; i > 0; i--)
		if (zone_populated(&zones[i]))
			return &zones[i];
	return &zones[0];
}

u64 order9_blocks(const struct zone *z)
{
	u64 n = 0;

	for (unsigned o = 9; o < NR_ORDERS; o++)
		n += z->free_area[o].nr_free << (o - 9);
	return n;
}

static const char *give_up(struct fragmented *f, const char *why)
{
	if (f->pid > 0) {
		int status;

		task_kill(f->pid, SIGKILL);
		app_wait_exit(f->pid, &status);
	}
	memfence_down(&f->fence);
	return why;
}

const char *fragment_zone(struct fragmented *f, u64 given, unsigned seed, const char *out)
{
	unsigned before = app_output_count(out, "memverify: region=");
	const char *line = out;
	u64 gap;
	char arg[64];

	*f = (struct fragmented){ .zone = highest_zone() };
	memfence_up_contig(&f->fence, given);
	gap = f->zone->watermark[WMARK_LOW] - f->zone->watermark[WMARK_MIN];
	if (f->fence.given < given || f->fence.given <= gap + 1024)
		return give_up(f, "the fence could not give back that much");
	/* the app's tables and slab come out of the rest, and kswapd stays asleep */
	snprintf(arg, sizeof(arg), "%llu 1 %u holes,wait", (unsigned long long)(f->fence.given - gap - 512), seed);
	f->pid = task_spawn("memverify", arg, current);
	if (f->pid <= 0 || !syscall_capture_wait("memverify: region=", before + 1, APP_DEADLINE_NS) ||
	    !app_wait_sleeping(f->pid))
		return give_up(f, "memverify did not fill its region");
	for (unsigned i = 0; i <= before; i++)
		line = strstr(line, "memverify: region=") + 1;
	if (sscanf(line - 1, "memverify: region=%llx pages=%llu flag=%llx", (unsigned long long *)&f->region,
		   (unsigned long long *)&f->pages, (unsigned long long *)&f->flag) != 3)
		return give_up(f, "memverify's region line did not parse");
	drain_pcp_pages();
	return NULL;
}

int unfragment_zone(struct fragmented *f)
{
	int status = -1;

	if (!app_set_flag(f->pid, f->flag, 1) || app_wait_exit(f->pid, &status) != f->pid)
		status = -1;
	memfence_down(&f->fence);
	return status;
}
