/* The settled memory state of the app suites (contracts in mem_state.h). */
#include <kernel/appimg.h>
#include <kernel/ktest.h>
#include <mm/filemap.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/swap.h>
#include <mm/vmstat.h>
#include <mm/zram.h>
#include <stdio.h>

#include "mem_state.h"

void drop_app_cache(void)
{
	for (unsigned i = 0; i < appimg_count(); i++) {
		int err = 0;
		struct address_space *as = appimg_open(appimg_entry(i)->name, &err);

		if (as) {
			address_space_drop_clean(as);
			address_space_put(as);
		}
	}
}

struct mem_state mem_state_settled(void)
{
	struct zram_stats zs = { 0 };
	struct slab_totals st;
	struct swap_info si;

	drop_app_cache();
	if (swap_zram())
		zram_compact(swap_zram());
	drain_pcp_pages();
	kmem_cache_shrink_all();
	slab_totals(&st);
	if (swap_zram())
		zram_get_stats(swap_zram(), &zs);
	swap_get_info(&si);
	return (struct mem_state){ nr_free_pages(), vm_stat[NR_FILE_PAGES], st.reclaimable + st.unreclaimable,
				   zs.pages_stored * PAGE_SIZE, zs.mem_used_total, si.inuse_slots, si.cached };
}

struct mem_state expect_every_page_returns(struct ktest *t, const struct mem_state *start)
{
	struct mem_state now = mem_state_settled();

	printf("    # start: free %llu slab %llu B; end: free %llu slab %llu B\n", (unsigned long long)start->free,
	       (unsigned long long)start->slab, (unsigned long long)now.free, (unsigned long long)now.slab);
	KT_EXPECT_EQ(t, now.free, start->free);
	KT_EXPECT_EQ(t, now.slab, start->slab);
	return now;
}
