/* The fixture board with the user-memory side (contract in user_fixture.h). */
#include <host.h>
#include <mm/memory.h>
#include <mm/slab.h>
#include <mm/vma.h>
#include <mm/vmstat.h>
#include <string.h>

#include "user_fixture.h"

void fix_user_setup(void)
{
	fix_mm_setup(false, false);
	kmem_cache_init(NULL);
	vma_cache_init();
	memory_init_user();
	host_mmu_reset();
	memset(vm_stat, 0, sizeof(vm_stat));
	memset(vm_events, 0, sizeof(vm_events));
}
