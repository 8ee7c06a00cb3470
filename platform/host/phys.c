/* Host "physical memory": an aligned arena and a page allocator for tests. */
#include <arch/phys.h>
#include <errno.h>
#include <host.h>
#include <mm/highmem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

u8 *host_ram;
phys_addr_t host_ram_base;
u64 host_ram_size;
phys_addr_t host_lowmem_end;

static bool host_kmap_valid[LAST_PKMAP + FIX_KMAP_SLOTS];
static u8 *used;     /* one byte per page: allocated? */
static u64 next_hint;
static u64 in_use;
static long fail_after = -1;

int host_phys_init(phys_addr_t base, u64 size)
{
	host_phys_exit();
	if (size > SIZE_MAX - 4 * SZ_1M) { /* a test's setup error: never a truncated arena */
		fprintf(stderr, "host_phys_init: %llu bytes of RAM do not fit a %u-bit host process\n",
			(unsigned long long)size, (unsigned)sizeof(void *) * 8);
		abort();
	}
	/* aligned like the largest buddy block (4 MiB), so that virtual
	 * addresses keep the natural alignment of physical blocks */
	host_ram = aligned_alloc(4 * SZ_1M, (size_t)ALIGN_UP(size, 4 * SZ_1M));
	used = calloc((size_t)(size / SZ_4K), 1);
	if (!host_ram || !used)
		abort();
	memset(host_ram, 0xa5, (size_t)size);
	host_ram_base = base;
	host_ram_size = size;
	host_lowmem_end = base + size;
	memset(host_kmap_valid, 0, sizeof(host_kmap_valid));
	next_hint = 0;
	in_use = 0;
	fail_after = -1;
	return 0;
}

int host_va_reserve(u64 start, u64 end)
{
	void *p;

	if (end - 1 > UINTPTR_MAX || (sizeof(uintptr_t) == 8 && start >= 1ULL << 63))
		return 0;
	p = mmap((void *)(uintptr_t)start, (size_t)(end - start), PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	if (p != (void *)(uintptr_t)start) { /* the hint was taken: something is there */
		munmap(p, (size_t)(end - start));
		return -EEXIST;
	}
	return 0;
}

void host_phys_exit(void)
{
	free(host_ram);
	free(used);
	host_ram = NULL;
	used = NULL;
	host_ram_size = 0;
}

void host_page_fail_after(long n) { fail_after = n; }

phys_addr_t host_page_alloc(void *ctx)
{
	u64 n = host_ram_size / SZ_4K;

	(void)ctx;
	if (fail_after == 0)
		return 0;
	for (u64 i = 0; i < n; i++) {
		u64 p = (next_hint + i) % n;

		if (!used[p]) {
			used[p] = 1;
			next_hint = p + 1;
			in_use++;
			if (fail_after > 0)
				fail_after--;
			memset(host_ram + p * SZ_4K, 0, SZ_4K);
			return host_ram_base + p * SZ_4K;
		}
	}
	return 0;
}

void host_page_free(void *ctx, phys_addr_t pa)
{
	u64 p = (pa - host_ram_base) / SZ_4K;

	(void)ctx;
	if (!used[p])
		abort(); /* double free: a bug in the code under test */
	used[p] = 0;
	in_use--;
	memset(host_ram + p * SZ_4K, 0x6b, SZ_4K);
}

u64 host_pages_in_use(void) { return in_use; }

/*
 * The kmap slots' "mappings" (include/mm/highmem.h): the arena address of
 * pa, recorded per slot so that a slot mapped twice without being cleared
 * (a missing flush or a leak) is caught. Slots are identified by their VA.
 */
#define HOST_KMAP_SLOTS (LAST_PKMAP + FIX_KMAP_SLOTS)
u64 host_kmap_sets, host_kmap_flushes;

static unsigned host_kmap_slot(vaddr_t va)
{
	/* the windows' VAs as mm/highmem.c forms slot VAs: as vaddr_t (a 32-bit
	 * host build has the low half of the AArch64 layout's, still distinct) */
	const vaddr_t pkmap = (vaddr_t)PKMAP_BASE, fixaddr = (vaddr_t)FIXADDR_START;
	u64 i = va >= fixaddr ? LAST_PKMAP + (va - fixaddr) / SZ_4K : (va - pkmap) / SZ_4K;

	if (va < pkmap || i >= HOST_KMAP_SLOTS)
		abort();
	return (unsigned)i;
}

void *kmap_slot_set(vaddr_t va, phys_addr_t pa)
{
	unsigned i = host_kmap_slot(va);

	if (host_kmap_valid[i] || pa < host_ram_base || pa - host_ram_base >= host_ram_size)
		abort(); /* break-before-make, or a frame outside RAM */
	host_kmap_valid[i] = true;
	host_kmap_sets++;
	return host_ram + (pa - host_ram_base);
}

void kmap_slot_clear(vaddr_t va) { host_kmap_valid[host_kmap_slot(va)] = false; }

void kmap_slots_flush(vaddr_t start, vaddr_t end)
{
	(void)start, (void)end;
	host_kmap_flushes++;
}
