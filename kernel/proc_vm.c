/*
 * /proc/sys/vm's knobs over mm/ setters (kernel/proc_table.h): each
 * prints its value as Linux does ("60\n") and takes one number, checked
 * by its setter (-EINVAL out of range, nothing changed). Only mm/ code is
 * called, so the host tests link this table as it is.
 *   swappiness 0..200, overcommit_memory 0..2, overcommit_ratio 0..1000,
 *   overcommit_kbytes >= 0, compaction_proactiveness 0..100,
 *   compact_unevictable_allowed 0..1, extfrag_threshold 0..1000, compact_memory (write-only: 1),
 *   min_free_kbytes 0..half of managed memory.
 * The oom knobs and drop_caches are in kernel/proc_sys.c.
 */
#include <errno.h>
#include <limits.h>
#include <mm/commit.h>
#include <mm/compaction.h>
#include <mm/mm_init.h>
#include <mm/vmscan.h>

#include "proc_table.h"

static long swappiness_get(void) { return vm_swappiness; }
static long overcommit_memory_get(void) { return get_overcommit().mode; }
static long overcommit_ratio_get(void) { return (long)get_overcommit().ratio; }
static long overcommit_kbytes_get(void) { return (long)get_overcommit().kbytes; }
static long proactiveness_get(void) { return sysctl_compaction_proactiveness; }
static long unevictable_get(void) { return sysctl_compact_unevictable_allowed; }
static long extfrag_threshold_get(void) { return sysctl_extfrag_threshold; }
static long min_free_kbytes_get(void) { return (long)get_min_free_kbytes(); }

/* set_overcommit_memory takes an int: range-check before narrowing */
static int overcommit_memory_set(long v) { return v < INT_MIN || v > INT_MAX ? -EINVAL : set_overcommit_memory((int)v); }
static int overcommit_ratio_set(long v) { return set_overcommit_ratio(v); }
static int overcommit_kbytes_set(long v) { return set_overcommit_kbytes(v); }

static const struct proc_entry vm_files[] = {
	{ "proc/sys/vm/swappiness", .get = swappiness_get, .set = set_swappiness },
	{ "proc/sys/vm/overcommit_memory", .get = overcommit_memory_get, .set = overcommit_memory_set },
	{ "proc/sys/vm/overcommit_ratio", .get = overcommit_ratio_get, .set = overcommit_ratio_set },
	{ "proc/sys/vm/overcommit_kbytes", .get = overcommit_kbytes_get, .set = overcommit_kbytes_set },
	{ "proc/sys/vm/compaction_proactiveness", .get = proactiveness_get, .set = set_compaction_proactiveness },
	{ "proc/sys/vm/compact_unevictable_allowed", .get = unevictable_get, .set = set_compact_unevictable_allowed },
	{ "proc/sys/vm/extfrag_threshold", .get = extfrag_threshold_get, .set = set_extfrag_threshold },
	{ "proc/sys/vm/compact_memory", .set = compact_memory },
	{ "proc/sys/vm/min_free_kbytes", .get = min_free_kbytes_get, .set = set_min_free_kbytes },
};

PROC_TABLE(proc_vm_table, vm_files);
