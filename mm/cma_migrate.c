/*
 * cma_alloc's link to page migration and the reverse map (contract in
 * include/mm/cma.h): mm/cma.c stays in the page allocator's core, which
 * host tests and tools link without the fault path, and reaches
 * migrate_page() and rmap_walk() through cma_hooks, installed here.
 *
 * Locking: as mm/migrate.c (none held; one CPU, no preemption).
 */
#include <mm/cma.h>
#include <mm/gfp.h>
#include <mm/migrate.h>
#include <mm/rmap.h>
#include <stdio.h>

/* Where a page moves: anywhere cma_alloc's PF_MEMALLOC_NOCMA leaves (not
 * CMA), reclaiming if needed but never OOM-killing for it. */
#define CMA_MIGRATE_GFP (GFP_HIGHUSER_MOVABLE | __GFP_NORETRY | __GFP_NOWARN)

static int cma_migrate_page(struct page *page, const char **why)
{
	return migrate_page(page, migrate_alloc_gfp, CMA_MIGRATE_GFP, MR_CONTIG_RANGE, why);
}

static bool first_mm(struct page *page, struct vm_area_struct *vma, u64 va, void *arg)
{
	(void)page;
	(void)va;
	*(struct mm_struct **)arg = vma->mm;
	return false; /* one is enough */
}

/* A user page's owner: "anon of pid N", "page cache of /apps/x", "shmem of ...". */
static void cma_page_owner(struct page *p, char *buf, size_t n)
{
	const struct address_space *as = page_file_mapping(p);
	struct mm_struct *mm = NULL;

	if (as) {
		snprintf(buf, n, "%s of %s", as->shmem ? "shmem" : "page cache", as->name ? as->name : "?");
		return;
	}
	rmap_walk(p, first_mm, &mm);
	if (!mm)
		snprintf(buf, n, "anon (not mapped)");
	else if (cma_hooks.mm_pid)
		snprintf(buf, n, "anon of pid %d", cma_hooks.mm_pid(mm));
	else
		snprintf(buf, n, "anon of mm %p", (void *)mm);
}

void cma_migrate_init(void)
{
	cma_hooks.migrate = cma_migrate_page;
	cma_hooks.owner = cma_page_owner;
}
