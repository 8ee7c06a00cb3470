/*
 * Tasks: each app is one task (one thread) with its own kernel stack and
 * address space; the boot thread is task 0 ("kernel"), which starts apps
 * and reaps them; kernel threads (kernel/kthread.c) are tasks without an
 * address space. kernel/task.c (life cycle), kernel/sched.c (scheduler),
 * kernel/loader.c (ELF from the app image), kernel/wait.c (wait queues).
 *
 *   spawn --> RUNNABLE <--> running --> ZOMBIE --(parent's wait)--> freed
 *                ^   \
 *                |    +--> SLEEPING (nanosleep, a wait queue) / WAITING (wait4)
 *                +-------- woken by the tick, a wake_up, a child's exit, or a kill
 *
 * Scheduling: round-robin, preemptive for apps (the tick ends a time
 * slice; the switch happens on the way back to EL0), cooperative inside
 * the kernel (a task switches only in schedule(); kernel threads too).
 * With one CPU that is the whole locking story for task and mm state:
 * interrupt handlers only wake tasks, with interrupts masked. The running
 * task is never on the runqueue (task_wake of it only sets its state).
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <arch/context.h>
#include <lib/list.h>
#include <mm/mm_types.h>
#include <types.h>

enum task_state { TASK_RUNNABLE, TASK_SLEEPING, TASK_WAITING, TASK_ZOMBIE };

#define TASK_NAME_MAX 32
#define TASK_ARG_MAX 64
#define TASK_MAX_FILES 8 /* open files, fds 3..: app-image files or /proc files */

struct proc_file;

/* Why an app was killed (kept for reports and tests). */
struct kill_info {
	int signal;          /* SIGSEGV, SIGBUS, SIGILL, SIGKILL; 0 = exited */
	int fault_kind;      /* enum fault_kind, or -1 */
	u64 addr;            /* faulting address */
	u64 esr;             /* syndrome (0 if not a fault) */
	u64 pc;
	char what[64];       /* one-line reason */
};

struct task {
	struct cpu_context ctx;   /* first: switch.S */
	int pid;
	char name[TASK_NAME_MAX];
	char arg[TASK_ARG_MAX];
	enum task_state state;
	struct task *parent;      /* NULL: an orphan, reaped by the kernel when it exits */
	struct mm_struct *mm;     /* NULL for kernel threads */
	void *kstack;             /* lowest address; KSTACK_SIZE bytes */
	u64 wake_at_ns;           /* TASK_SLEEPING */
	int wait_for;             /* TASK_WAITING: pid or -1 */
	int exit_status;          /* wait4 encoding: exit code << 8 | signal */
	int kill_sig;             /* pending kill (delivered on return to EL0) */
	unsigned alloc_flags;     /* PF_MEMALLOC (include/mm/memalloc.h) */
	int oom_score_adj;        /* -1000..1000 (kernel/oom.c), inherited at spawn */
	bool oom_reaped;          /* an OOM victim the reaper works on: never chosen again */
	u64 oom_reap_next;        /* where the reaper goes on (kernel/oom.c; OOM_REAP_DONE: all reaped) */
	int app_class;            /* enum app_class_id (include/kernel/app_class.h) */
	u64 cached_seq;           /* when it last became cached (ranks the cached apps) */
	bool budget_from_class;   /* its memory budget follows its class (not given explicitly) */
	unsigned memstall;        /* nesting of psi_memstall_enter (kernel/psi.c) */
	struct kthread *kthread;  /* kernel threads: kernel/kthread.c's state */
	unsigned slice;           /* ticks left in the time slice */
	u64 ticks;                /* ticks charged (CPU time) */
	u64 start_ns;
	struct kill_info killed;
	struct address_space *files[TASK_MAX_FILES];  /* fd 3 + i: an app-image file, */
	struct proc_file *proc_files[TASK_MAX_FILES]; /* or a /proc file (kernel/proc_fd.c) */
	struct list_head run_link;  /* runqueue */
	struct list_head all_link;  /* every task */
};

extern struct task *current;
extern struct list_head all_tasks;

/* The boot thread becomes task 0; EL0 support and the tick hook go in. */
void sched_init(void);
/* Start app name (from the app image) with one argument (may be NULL or
 * ""), child of parent. The pid, or -ENOENT/-EIO (no such file / bad CRC),
 * -ENOEXEC (not a valid program), -EAGAIN (task table full), -ENOMEM. */
int task_spawn(const char *name, const char *arg, struct task *parent);
struct spawn_attr;
/* task_spawn with attributes (include/uapi/pagoda/spawn.h; NULL = none):
 * the same results, and -EINVAL for a bad class or a mem_limit_kb of 1..3
 * (under a page). mem_limit_kb 0 gives the class's budget (board.cfg). */
int task_spawn_attr(const char *name, const char *arg, struct task *parent, const struct spawn_attr *attr);
/* End the current task with status (wait4 encoding); never returns. */
void __noreturn task_exit(int status);
/* Kill pid with sig: delivered when it next returns to EL0 (woken if
 * asleep). 0 or -ESRCH / -EPERM (task 0). */
int task_kill(int pid, int sig);
/* Wait for a child (pid, or -1 for any) of the current task to end;
 * reap it. Returns its pid and *status, 0 with nohang if none ended yet,
 * -ECHILD if there is no such child. */
int task_wait(int pid, int *status, bool nohang);
/* Start a task without an address space (a kernel thread) running
 * entry(arg) on its own kernel stack, child of the current task, entered
 * with interrupts masked. The task, or NULL (-EAGAIN/-ENOMEM cases). */
struct task *task_create_kernel(const char *name, void (*entry)(void *), void *arg);
/* The task with pid, or NULL. */
struct task *task_find(int pid);
/* The live task with pid, the caller for 0 (the per-task knobs' "pid or
 * 0 for self"); NULL if there is none or it is a zombie. */
struct task *task_find_live(int pid);
/* Live tasks (including task 0 and zombies). */
unsigned task_count(void);

/* Hook the scheduler into the timer tick (kernel/sched.c; sched_init calls it). */
void sched_start_tick(void);
/* Free the orphans that exited (kernel/task.c); schedule() calls it with
 * interrupts masked, and skips the current task. */
void reap_orphans(void);
/* Give up the CPU to the next runnable task (interrupts any state). */
void schedule(void);
void task_yield(void);
/* Sleep at least ns nanoseconds (tick granularity). */
void task_sleep_ns(u64 ns);
/* Make t runnable (from any state but ZOMBIE). Interrupts masked. */
void task_wake(struct task *t);
/* Whether the current task should give up the CPU (slice over). */
extern volatile bool need_resched;
/* Switches so far (stats). */
extern u64 nr_context_switches;

/* kernel/loader.c: map the ELF program of as into mm; *entry is its start. */
int load_elf(struct mm_struct *mm, struct address_space *as, u64 *entry);
/* Make the [stack] VMA and put argc/argv on it; *sp is the initial SP. */
int setup_user_stack(struct mm_struct *mm, const char *name, const char *arg, u64 *sp);

/* kernel/entry.c: exceptions from EL0 */
void do_syscall(struct user_frame *uf);
/* Kill the current app for a fault/trap: print the report, record it in
 * current->killed, and exit with sig. */
void __noreturn user_kill(struct user_frame *uf, int sig, int fault_kind, u64 addr, const char *what);
/* The most recent kill report (for tests). */
extern struct kill_info last_kill;
/* Tests: called at the end of every resolved EL0 page fault (fast path),
 * interrupts enabled; may schedule. NULL normally. */
extern void (*user_fault_test_hook)(void);

/* kernel/proc.c: reports over all tasks */
#include <stdio.h>
void show_ps(FILE *f);
void show_smem(FILE *f);
void show_task_maps(FILE *f, int pid, bool smaps);
/* /proc/<pid>/status: Name State Tgid Pid PPid, the memory lines
 * (show_mm_status) and Threads, in Linux's order. */
void show_task_status(FILE *f, int pid);
/* /proc/<pid>/cmdline: argv, each word NUL-terminated; 0 or -ESRCH. */
int show_task_cmdline(FILE *f, int pid);
/* /proc/<pid>/stat (Linux's 52 fields) and /proc/uptime; 0 or -ESRCH. */
int show_task_stat(FILE *f, int pid);
void show_uptime(FILE *f);
/* /proc/<pid>/oom_score, oom_score_adj and the legacy oom_adj: one number
 * and a newline; 0 or -ESRCH (nothing printed). */
int show_oom_score(FILE *f, int pid);
int show_oom_score_adj(FILE *f, int pid);
int show_oom_adj(FILE *f, int pid);
/* The leak sampler's report (kernel/leak.c): suspects with their growth
 * curves (samples in kB, oldest first), then every sampled app's last
 * CONFIG_LEAK_SAMPLES USS samples. */
void show_leak_suspects(FILE *f);

#endif
