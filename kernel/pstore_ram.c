/*
 * The board's pstore region: CONFIG_PSTORE_SIZE_KB at the top of the
 * highest RAM bank, reserved in memblock before the first early allocation,
 * so neither memblock nor the page allocator (nor CMA, swiotlb, the page
 * array, which all come from them) ever hands it out.
 *
 * Why the top of RAM: QEMU's virt reset (PSCI SYSTEM_RESET) reloads the
 * -kernel image and the DTB at the base of RAM and leaves the rest as it
 * was; the top stays put for a given RAM size and is far from both. The
 * region lives only as long as the RAM size: boot with another -m and the
 * record is looked for elsewhere (and not found).
 *
 *   RAM base                                                     RAM end
 *   [DTB][..][kernel image][......... zones, CMA, ... ........][pstore]
 */
#include <arch/mmu.h>
#include <arch/phys.h>
#include <generated/board.h>
#include <kernel/console.h>
#include <kernel/pstore.h>
#include <mm/ioremap.h>
#include <mm/memblock.h>
#include <stdio.h>

#define PSTORE_BYTES ((u64)CONFIG_PSTORE_SIZE_KB * 1024)

static phys_addr_t region_pa;
static struct pstore region;
static bool attached;

struct pstore *pstore_ram(void) { return attached ? &region : NULL; }

void pstore_ram_reserve(void)
{
	const struct memblock_region *top;

	if (!PSTORE_BYTES || !memblock.memory.cnt)
		return;
	top = &memblock.memory.r[memblock.memory.cnt - 1];
	if (top->size < PSTORE_BYTES * 2) {
		printf("pstore: highest RAM bank (%llu KiB) too small for CONFIG_PSTORE_SIZE_KB=%u: no pstore\n",
		       (unsigned long long)(top->size >> 10), CONFIG_PSTORE_SIZE_KB);
		return;
	}
	region_pa = ALIGN_DOWN(top->base + top->size - PSTORE_BYTES, SZ_4K);
	for (unsigned i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.r[i];

		if (r->base < region_pa + PSTORE_BYTES && region_pa < r->base + r->size) {
			printf("pstore: the top of RAM is already reserved (%s): no pstore\n", r->name);
			region_pa = 0;
			return;
		}
	}
	if (memblock_reserve(region_pa, PSTORE_BYTES, "pstore (CONFIG_PSTORE_SIZE_KB)"))
		region_pa = 0;
}

void pstore_ram_boot(void)
{
	void *base;
	int rc;

	if (!region_pa)
		return;
	/* at the top of RAM, so in highmem when there is some: no linear
	 * address, map it in the vmalloc window (write-combining, as Linux's
	 * ramoops maps a region it does not own) */
	base = region_pa + PSTORE_BYTES <= memblock_lowmem_end() ? phys_to_virt(region_pa)
								  : ioremap_wc(region_pa, PSTORE_BYTES);
	if (!base) {
		printf("pstore: cannot map its highmem region: no pstore\n");
		region_pa = 0;
		return;
	}
	rc = pstore_attach(&region, base, PSTORE_BYTES);
	attached = true;
	printf("pstore: %u KiB at [mem %#014llx-%#014llx]\n", CONFIG_PSTORE_SIZE_KB,
	       (unsigned long long)region_pa, (unsigned long long)(region_pa + PSTORE_BYTES - 1));
	if (rc) {
		printf("pstore: no valid record (%s)\n", region.why);
		return;
	}
	printf("Last boot ended in: %s (reset #%u)\n", ((struct pstore_header *)region.base)->reason,
	       (unsigned)region.resets);
	pstore_show(&region, stdout);
}

void pstore_ram_panic(const char *msg)
{
	static char tail[CONSOLE_RING_SIZE];
	size_t n;
	int rc;

	if (!attached)
		return;
	n = console_ring_tail(tail, sizeof(tail));
	rc = pstore_write(&region, pstore_reason_of(msg), tail, n);
	/* to the point of coherency: a real board's reset does not write back caches */
	arch_dcache_clean_range((vaddr_t)region.base, region.size);
	if (rc >= 0)
		printf("pstore: saved %d bytes of console output, reason \"%s\", reset #%u\n", rc,
		       pstore_reason_of(msg), (unsigned)region.resets);
}
