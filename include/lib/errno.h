/*
 * Pagoda's error taxonomy (see docs/errors.md):
 *  - programming errors (a broken invariant) assert() and panic;
 *  - recoverable errors return a negative errno from this list;
 *  - unrecoverable conditions panic() with a report.
 * We reuse picolibc's/the host's errno numbers so that EL0 apps and
 * host tests see the usual values.
 */
#ifndef PAGODA_ERRNO_H
#define PAGODA_ERRNO_H
#include <errno.h>
#endif
