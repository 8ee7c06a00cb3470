/*
 * vmalloc reports in Linux's formats (include/mm/vmalloc.h).
 *
 * /proc/vmallocinfo, one line per area in address order; the size counts
 * the guard page, the caller is the allocating call's return address in
 * hex (no symbol table yet: Linux prints it with %pS as
 * "function+0x../0x.."), "pages=" appears for vmalloc areas and "phys="
 * for ioremap areas (omitted when 0, as in Linux):
 *
 *   0xffff800000000000-0xffff800000002000    8192 0xffff0000402012a4 phys=0x0000000009000000 ioremap
 *   0xffff800000012000-0xffff800000416000 4210688 0xffff000040208f10 pages=1024 vmalloc
 *
 * meminfo (mm/report.c prints them; a provider fills the values):
 *
 *   VmallocTotal:   137437904896 kB   the window
 *   VmallocUsed:        4120 kB       mapped by vmalloc and vmap areas
 *   VmallocChunk:   137437900660 kB   the largest free range
 *
 * VmallocUsed leaves out guard pages and ioremap (device memory is not
 * RAM) and counts vmap'ed pages, which their owner also counts; Linux 5.3+
 * counts only the pages vmalloc owns (vmalloc_info.nr_pages here) and
 * reports VmallocChunk as 0, Linux before 4.4 counted whole areas
 * (vmalloc_info.area_bytes, what vmallocinfo's sizes add up to).
 *
 * Locking: each area is copied under vmap_area_lock (vmalloc_next_area())
 * and printed with no lock held, so a slow console never masks interrupts
 * for long; areas changing meanwhile are seen or not, as with Linux's
 * seq_file.
 */
#include <lib/kallsyms.h>
#include <mm/report.h>
#include <mm/vmalloc.h>

#define ULL(x) ((unsigned long long)(x))

void show_vm_area(FILE *f, const struct vm_area *a)
{
	struct ksym sym;

	fprintf(f, "0x%016llx-0x%016llx %7llu", ULL(a->addr), ULL(a->addr + a->size), ULL(a->size));
	if (a->caller && kallsyms_lookup((uintptr_t)a->caller, &sym))
		fprintf(f, " %s+0x%llx/0x%llx", sym.name, ULL((uintptr_t)a->caller - sym.start), ULL(sym.size));
	else if (a->caller)
		fprintf(f, " 0x%016llx", ULL((uintptr_t)a->caller));
	if (a->nr_pages)
		fprintf(f, " pages=%u", a->nr_pages);
	if (a->phys)
		fprintf(f, " phys=0x%016llx", ULL(a->phys));
	if (a->flags & VM_IOREMAP)
		fputs(" ioremap", f);
	if (a->flags & VM_ALLOC)
		fputs(" vmalloc", f);
	if (a->flags & VM_MAP)
		fputs(" vmap", f);
	fputc('\n', f);
}

void show_vmallocinfo(FILE *f)
{
	struct vm_area a;

	for (u64 from = 0; vmalloc_next_area(from, &a); from = a.addr + a.size)
		show_vm_area(f, &a);
}

static void vmalloc_meminfo(struct meminfo *mi)
{
	struct vmalloc_info vi;

	get_vmalloc_info(&vi);
	mi->vmalloc_total += vi.total >> 10;
	mi->vmalloc_used += vi.used >> 10;
	mi->vmalloc_chunk += vi.largest_chunk >> 10;
}

/*
 * Registered by the first vm_area_reserve() (the console's ioremap at
 * boot, single threaded), so that nothing else has to know about it and
 * mm/report.c does not depend on vmalloc; host programs that never make
 * an area print zeros, as for any absent provider.
 */
void vmalloc_meminfo_register(void)
{
	static struct meminfo_provider provider = { .fill = vmalloc_meminfo };
	static bool registered;

	if (!registered) {
		registered = true;
		meminfo_add_provider(&provider);
	}
}
