/* The shrinker list; see include/mm/shrinker.h. Registration is boot/init
 * time; running takes no lock because shrinkers only ever get added. */
#include <mm/shrinker.h>

static struct list_head shrinkers = LIST_HEAD_INIT(shrinkers);

void register_shrinker(struct shrinker *s) { list_add_tail(&s->list, &shrinkers); }

void unregister_shrinker(struct shrinker *s) { list_del(&s->list); }

u64 run_shrinkers(gfp_t gfp, unsigned order)
{
	struct shrinker *s;
	u64 freed = 0;

	list_for_each_entry(s, &shrinkers, list)
		freed += s->scan(gfp, order);
	return freed;
}
