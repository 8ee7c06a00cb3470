/*
 * Spawn attributes (SYS_spawn_attr, include/uapi/pagoda/syscall.h): what a
 * parent chooses for a new app besides its name and argument. Shared by
 * the kernel and the apps; plain C, no kernel types.
 *
 * App classes, after Android's oom_score_adj bands (docs/lmk.md): the
 * class sets the app's oom_score_adj, and the low-memory killer kills
 * the highest adj of the classes its thresholds make eligible.
 */
#ifndef PAGODA_UAPI_SPAWN_H
#define PAGODA_UAPI_SPAWN_H

#include <stdint.h>

enum app_class_id {
	APP_CLASS_NATIVE,      /* adj -1000: never killed */
	APP_CLASS_SYSTEM,      /* adj -900 */
	APP_CLASS_FOREGROUND,  /* adj 0: what the user sees and uses */
	APP_CLASS_VISIBLE,     /* adj 100 */
	APP_CLASS_PERCEPTIBLE, /* adj 200 (e.g. playing audio) */
	APP_CLASS_SERVICE,     /* adj 500 */
	APP_CLASS_CACHED,      /* adj 900..999: the most recently cached 900 */
	NR_APP_CLASSES
};

#define APP_CLASS_INHERIT (-1) /* spawn_attr.app_class: the parent's */

struct spawn_attr {
	uint32_t size;         /* sizeof(struct spawn_attr): the ABI version */
	int32_t app_class;     /* enum app_class_id, or APP_CLASS_INHERIT */
	uint64_t mem_limit_kb; /* per-app budget (kB of resident + swap; at least 4);
				* 0: its class's (CONFIG_BUDGET_<CLASS>_KB, often none) */
};

#endif
