/*
 * kmap()'s sleep when every persistent slot is in use (include/mm/highmem.h):
 * a wait queue that kunmap's wake hook wakes. Task context only.
 */
#include <kernel/highmem_wait.h>
#include <kernel/task.h>
#include <kernel/wait.h>
#include <mm/highmem.h>

static struct wait_queue_head pkmap_wq = WAIT_QUEUE_HEAD_INIT(pkmap_wq);

static void pkmap_wait(bool (*ready)(void)) { wait_event(pkmap_wq, ready()); }
static void pkmap_wake(void) { wake_up(&pkmap_wq); }

void highmem_wait_init(void)
{
	highmem_hooks.wait = pkmap_wait;
	highmem_hooks.wake = pkmap_wake;
}
