/* The fixture board with the user-memory side brought up (test/host/user_fixture.c). */
#ifndef TEST_USER_FIXTURE_H
#define TEST_USER_FIXTURE_H

#include "mm_fixture.h"

/* fix_mm_setup(false, false), then slab, the VMA cache, the fault path's
 * user side and the host MMU model from scratch, with vm_stat and
 * vm_events at zero: what every test of apps' memory starts from. */
void fix_user_setup(void);

#endif
