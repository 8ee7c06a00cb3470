/*
 * Memory stalls, mm's side of PSI (kernel/psi.c, docs/lmk.md): mm/ marks
 * the stretches in which a task waits on memory (direct reclaim, a
 * swap-in that decompresses, the OOM kill) with psi_memstall_enter() and
 * psi_memstall_leave(). The kernel installs the accounting at boot
 * (memstall_hooks), as the scheduler points current_alloc_flags, so mm/
 * needs nothing from kernel/; without hooks (host tests) they do nothing.
 * Calls nest (a swap-in that reclaims): only the outermost pair counts.
 */
#ifndef MM_MEMSTALL_H
#define MM_MEMSTALL_H

struct memstall_hooks {
	void (*enter)(void);
	void (*leave)(void);
};
extern struct memstall_hooks memstall_hooks; /* mm/page_alloc.c */

/* The running task starts / stops waiting on memory. Any context but an
 * interrupt handler; pairs must match. */
static inline void psi_memstall_enter(void)
{
	if (memstall_hooks.enter)
		memstall_hooks.enter();
}

static inline void psi_memstall_leave(void)
{
	if (memstall_hooks.leave)
		memstall_hooks.leave();
}

#endif
