/* A seeded pseudo-random generator for hardening secrets (not crypto). */
#ifndef LIB_RANDOM_H
#define LIB_RANDOM_H

#include <types.h>

/* Mix entropy into the generator (boot: RNDR/counters; host: anything). */
void random_seed(u64 entropy);
/* The next 64 random bits (xoshiro256** over a splitmix64-seeded state). */
u64 random_u64(void);

#endif
