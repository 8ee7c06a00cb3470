/*
 * Pressure stall information for memory (docs/lmk.md), as Linux's
 * /proc/pressure/memory:
 *
 *   some avg10=1.23 avg60=0.40 avg300=0.08 total=123456
 *   full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 *
 * "some": time in which at least one task was stalled on memory (direct
 * reclaim, a swap-in that decompresses, the OOM kill: include/mm/memstall.h);
 * "full": time in which every non-idle task was stalled at once. total is
 * in microseconds; avg10/60/300 are percentages of wall time, exponential
 * averages over ~10/60/300 s updated every 2 s, as Linux computes them.
 *
 * The arithmetic (kernel/psi_avg.c) is pure and host-tested; the tracking
 * of stalls in tasks and the periodic update are kernel/psi.c.
 */
#ifndef KERNEL_PSI_H
#define KERNEL_PSI_H

#include <stdio.h>
#include <types.h>

#define PSI_PERIOD_NS 2000000000ull /* averages update every 2 s */
#define PSI_FSHIFT 11               /* fixed point: 1.0 = 1 << 11, as loadavg */
#define PSI_FIXED_1 (1u << PSI_FSHIFT)

enum psi_res { PSI_SOME, PSI_FULL, NR_PSI_STATES };

/* One state's accounting (some or full). */
struct psi_state {
	bool on;         /* in the state since since_ns */
	u64 since_ns;
	u64 total_ns;    /* finished stretches */
	u64 period_ns;   /* total_ns + current stretch at the last average update */
	u64 avg[3];      /* percent << PSI_FSHIFT: 10 s, 60 s, 300 s */
};

struct psi_group {
	struct psi_state s[NR_PSI_STATES];
	u64 last_update_ns; /* start of the averaging period */
};

/* Start the group at now. Pure. */
void psi_group_init(struct psi_group *g, u64 now_ns);
/* State st turns on or off at now (no-op if unchanged). Pure. */
void psi_state_set(struct psi_group *g, enum psi_res st, bool on, u64 now_ns);
/* Time spent in st up to now (ns), the current stretch included. Pure. */
u64 psi_state_total(const struct psi_group *g, enum psi_res st, u64 now_ns);
/* Fold every whole 2 s period up to now into the averages (Linux's
 * calc_avgs: periods without a sample decay towards 0). Pure. */
void psi_update_avgs(struct psi_group *g, u64 now_ns);
/* One exponential step: avg' = avg * e + pct * (1 - e), e = exp(-2 s / window),
 * rounded as Linux's calc_load. Pure. */
u64 psi_calc_avg(u64 avg, u64 e, u64 pct_fixed);
/* The decay factors of the 10, 60 and 300 s windows (fixed point). */
extern const u64 psi_exp[3];
/* "12.34" from an avg, into buf (at least 12 bytes). Pure. */
void psi_avg_format(u64 avg, char *buf, size_t size);

/* kernel/psi.c: start the accounting (the mm hooks, the 2 s update from
 * the tick). Boot, once. */
void psi_init(void);
/* The tick's part: fold the periods that ended. Interrupts masked. */
void psi_tick(void);
/* /proc/pressure/memory, Linux's two lines (averages brought up to date). */
void show_pressure_memory(FILE *f);
/* some avg10 in hundredths of a percent (LMK trigger, tests). */
unsigned psi_some_avg10_centi(void);
/* Totals in µs (tests, reports). */
u64 psi_total_us(enum psi_res st);

#endif
