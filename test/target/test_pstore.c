/*
 * pstore on target (kernel/pstore_ram.c, kernel/console.c):
 *
 *  - the region is the top of the highest RAM bank, reserved in memblock
 *    under its own name (no early allocation overlaps it), and every frame
 *    of it is PG_reserved in the page array (no allocator hands it out);
 *  - the panic path's save on the real region: the record is valid when
 *    read again, its reason is the OOM one for an "Out of memory" message,
 *    its counter is the boot's plus one, its payload ends with what the
 *    console printed just before; pstore_clear() then leaves no record.
 * The region's bytes and state are put back afterwards, so a record from
 * the last boot survives the test.
 */
#include <arch/phys.h>
#include <kernel/ktest.h>
#include <kernel/libc.h>
#include <kernel/pstore.h>
#include <mm/memblock.h>
#include <mm/page.h>
#include <mm/vmalloc.h>
#include <stdio.h>
#include <string.h>

static void pstore_region_reserved_at_top_of_ram(struct ktest *t)
{
	struct pstore *ps = pstore_ram();
	const struct memblock_region *top;
	phys_addr_t pa;
	bool own = false;

	if (!ps) {
		ktest_skip(t, "CONFIG_PSTORE_SIZE_KB=0");
		return;
	}
	top = &memblock.memory.r[memblock.memory.cnt - 1];
	pa = virt_to_phys(ps->base);
	KT_EXPECT_EQ(t, pa + ps->size, top->base + top->size);
	/* a reservation of its own (memblock's early allocations are PG_reserved too) */
	for (unsigned i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.r[i];

		if (r->base < pa + ps->size && pa < r->base + r->size)
			own = r->base == pa && r->size == ps->size && !strncmp(r->name, "pstore", 6);
	}
	KT_EXPECT(t, own);
	for (u64 pfn = pa >> PAGE_SHIFT; pfn < (pa + ps->size) >> PAGE_SHIFT; pfn++)
		KT_EXPECT(t, PAGE_FLAG(pfn_to_page(pfn), PG_reserved));
}

/* pstore_show's output, captured (printing it would repeat KTAP lines the log holds) */
static char shown[128];
static size_t nshown;

static int capture(char c, void *cookie)
{
	(void)cookie;
	if (nshown < sizeof(shown) - 1)
		shown[nshown++] = c;
	return (unsigned char)c;
}

static void pstore_panic_save_show_clear(struct ktest *t)
{
	FILE *out;
	static const char head[] = "==> /sys/fs/pstore/console-ramoops-0 <== Out of memory panic (reset #";
	struct pstore *ps = pstore_ram(), before, again;
	char *saved;
	const struct pstore_header *h;
	const char *marker = "pstore-ktest: the line just before the save\n";
	const char *end;

	if (!ps) {
		ktest_skip(t, "CONFIG_PSTORE_SIZE_KB=0");
		return;
	}
	saved = vmalloc(ps->size);
	KT_ASSERT(t, saved != NULL);
	before = *ps;
	memcpy(saved, ps->base, ps->size);

	printf("%s", marker);
	pstore_ram_panic("Out of memory: ktest");
	KT_EXPECT_EQ(t, pstore_attach(&again, ps->base, ps->size), 0);
	KT_EXPECT_EQ(t, again.resets, before.resets + 1);
	h = ps->base;
	KT_EXPECT(t, !strcmp(h->reason, "Out of memory panic"));
	/* the payload ends with the marker and the save's own line is not in it */
	KT_ASSERT(t, h->len >= strlen(marker));
	end = (const char *)(h + 1) + h->len;
	KT_EXPECT(t, !memcmp(end - strlen(marker), marker, strlen(marker)));
	nshown = 0;
	out = stream_open(capture, NULL);
	KT_ASSERT(t, out != NULL);
	KT_EXPECT_EQ(t, pstore_show(&again, out), 0);
	fflush(out);
	KT_EXPECT(t, nshown == sizeof(shown) - 1 && !memcmp(shown, head, sizeof(head) - 1));
	pstore_clear(ps);
	KT_EXPECT(t, pstore_attach(&again, ps->base, ps->size) < 0);
	nshown = 0;
	KT_EXPECT(t, pstore_show(&again, out) < 0);
	stream_close(out);
	shown[nshown] = 0;
	KT_EXPECT(t, !strcmp(shown, "pstore: no valid record (bad magic)\n"));

	memcpy(ps->base, saved, ps->size);
	*ps = before;
	vfree(saved);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(pstore_region_reserved_at_top_of_ram),
	KTEST_CASE(pstore_panic_save_show_clear),
	{ 0 },
};
KTEST_SUITE(pstore, cases);
