/*
 * Synchronising with running EL0 apps from on-target tests and benchmarks
 * (test/target/app_wait.c), in virtual time: no sleeping instead of
 * synchronising, a deadline on every wait.
 */
#ifndef TEST_TARGET_APP_WAIT_H
#define TEST_TARGET_APP_WAIT_H

#include <types.h>

/* 20 s of virtual time for any app phase. */
#define APP_DEADLINE_NS 20000000000ull

/* Wait until pid sleeps (it has printed and gone on to wait for its flag).
 * Yields rather than sleeps: a sleep would wake in the same tick as the
 * app and could always look while it is runnable. false if it ended or
 * the deadline passed. */
bool app_wait_sleeping(int pid);
/* Wait for pid to end within the deadline: its pid and *status, or 0. */
int app_wait_exit(int pid, int *status);
/* Write v to the u64 at va in pid's address space (the flag word an app
 * waits on). */
bool app_set_flag(int pid, u64 va, u64 v);

/* Remember the flag word of memverify pid: the flag= of the (n+1)-th
 * "memverify: region=" line of out (the address depends on the length of
 * the app's argument above it on the stack, so each app has its own). */
void app_flag_record(int pid, const char *out, unsigned n);
/* The flag word recorded for pid (the last 16 apps), or 0. */
u64 app_flag_of(int pid);

struct ktest;
/* How many times needle occurs in buf (an app's captured output). */
unsigned app_output_count(const char *buf, const char *needle);
/* Expect pid to end, killed by SIGKILL, within the deadline. */
void app_expect_killed(struct ktest *t, int pid);

/* A memverify app that filled its region and sleeps on its flag word. */
struct app {
	int pid;
	u64 region, pages, flag;
};
/* Spawn memverify "PAGES 1 SEED MODES" (modes must include wait) and wait
 * until it has filled its region and sleeps; its region line is read from
 * out, the buffer syscall_capture() fills. false on failure (reported). */
bool app_spawn_filled(struct ktest *t, struct app *a, const char *out, u64 pages, unsigned seed, const char *modes);
/* Set its flag and wait for it to verify its round and exit: the exit
 * status (0: every byte intact), or -1. */
int app_release(struct ktest *t, struct app *a);

#endif
