/*
 * Highmem mappings: the persistent kmap window and the kmap_local stack
 * (include/mm/highmem.h). The slots' page-table entries are written by
 * kmap_slot_set/kmap_slot_clear (mm/kmap.c on the target).
 *
 * Persistent window: LAST_PKMAP slots at PKMAP_BASE. pkmap_count[slot]:
 *   0   free: entry invalid, no TLB entry can exist
 *   1   free but still mapping its last page (entry valid, maybe cached
 *       in the TLB): kmap of that same page takes it again for nothing
 *   n   mapped, n - 1 kmap() users
 * page->pkmap is the slot + 1 of a page that has one (Linux keeps the
 * same in page_address_htable). TLB flushing is lazy, as in Linux: kunmap
 * only drops the count to 1; when the search for a free slot wraps to
 * slot 0, every count-1 slot is cleared and the whole window is flushed
 * once (flush_all_zero_pkmaps). With all slots at 2 or more, kmap sleeps
 * (highmem_hooks.wait) until a kunmap frees one.
 *
 * kmap_local: FIX_KMAP_SLOTS slots at FIXADDR_START (one CPU: with SMP
 * each CPU gets its own FIX_KMAP_SLOTS), used as a stack. Unmapping
 * clears the entry and flushes that one VA at once, so a slot is always
 * invalid and flushed when it is free (no lazy state to track across
 * interrupts). An interrupt handler maps above the interrupted code's
 * slots and unmaps before it returns, so the stack stays balanced.
 *
 * Locking: kmap_lock (interrupts masked) protects pkmap_count,
 * pkmap_page, page->pkmap and last_pkmap; the kmap_local stack is
 * changed with interrupts masked. kmap_lock is a leaf.
 */
#include <arch/irqflags.h>
#include <arch/layout.h>
#include <arch/mmu.h>
#include <errno.h>
#include <lib/panic.h>
#include <lib/spinlock.h>
#include <mm/highmem.h>
#include <mm/memblock.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct kmap_stats kmap_stats;
struct highmem_hooks highmem_hooks;
unsigned kmap_local_depth;

static spinlock_t kmap_lock;
static unsigned pkmap_count[LAST_PKMAP];
static struct page *pkmap_page[LAST_PKMAP];
static void *pkmap_addr[LAST_PKMAP]; /* what kmap_slot_set returned */
static unsigned last_pkmap;
static unsigned pkmap_users; /* kmap() calls not yet kunmap()ed */
static unsigned pkmap_slots_used; /* slots with count >= 2 */
static void *local_addr[FIX_KMAP_SLOTS];

static vaddr_t pkmap_va(unsigned slot) { return PKMAP_BASE + (vaddr_t)slot * PAGE_SIZE; }
static vaddr_t local_va(unsigned idx) { return FIXADDR_START + (vaddr_t)idx * PAGE_SIZE; }

/* Clear every slot that is free but still mapped, then flush the window once. */
static void flush_all_zero_pkmaps_locked(void)
{
	bool any = false;

	for (unsigned i = 0; i < LAST_PKMAP; i++) {
		if (pkmap_count[i] != 1)
			continue;
		pkmap_count[i] = 0;
		kmap_slot_clear(pkmap_va(i));
		if (pkmap_page[i]->pkmap == i + 1)
			pkmap_page[i]->pkmap = 0;
		pkmap_page[i] = NULL;
		any = true;
	}
	if (any) {
		kmap_slots_flush(pkmap_va(0), pkmap_va(LAST_PKMAP));
		kmap_stats.pkmap_flushes++;
	}
}

/* A free slot (count 0), flushing lazily when the search wraps (then one
 * more full round, which ends before the next wrap); -1 if none. */
static int get_free_slot_locked(void)
{
	for (unsigned left = LAST_PKMAP; left; left--) {
		last_pkmap = (last_pkmap + 1) % LAST_PKMAP;
		if (!last_pkmap) {
			flush_all_zero_pkmaps_locked();
			left = LAST_PKMAP;
		}
		if (!pkmap_count[last_pkmap])
			return (int)last_pkmap;
	}
	return -1;
}

static bool pkmap_slot_ready(void)
{
	for (unsigned i = 0; i < LAST_PKMAP; i++)
		if (pkmap_count[i] <= 1)
			return true;
	return false;
}

void *kmap_high(struct page *p)
{
	unsigned long f = spin_lock_irqsave(&kmap_lock);
	unsigned slot;
	void *addr;

	for (;;) {
		int s;

		if (p->pkmap) {
			slot = p->pkmap - 1u;
			break;
		}
		if ((s = get_free_slot_locked()) >= 0) {
			slot = (unsigned)s;
			pkmap_addr[slot] = kmap_slot_set(pkmap_va(slot), page_to_phys(p));
			pkmap_page[slot] = p;
			pkmap_count[slot] = 1;
			p->pkmap = (u16)(slot + 1);
			break;
		}
		spin_unlock_irqrestore(&kmap_lock, f);
		if (!highmem_hooks.wait)
			panic("kmap: all %u persistent slots in use and nothing to wait with", LAST_PKMAP);
		kmap_stats.pkmap_waits++;
		highmem_hooks.wait(pkmap_slot_ready);
		f = spin_lock_irqsave(&kmap_lock);
	}
	if (pkmap_count[slot]++ == 1)
		pkmap_slots_used++;
	pkmap_users++;
	kmap_stats.kmap_calls++;
	kmap_stats.pkmap_high = MAX(kmap_stats.pkmap_high, pkmap_slots_used);
	addr = pkmap_addr[slot];
	spin_unlock_irqrestore(&kmap_lock, f);
	return addr;
}

void kunmap_high(struct page *p)
{
	unsigned long f = spin_lock_irqsave(&kmap_lock);
	unsigned slot = p->pkmap - 1u;
	bool wake;

	if (!p->pkmap || pkmap_page[slot] != p || pkmap_count[slot] < 2)
		panic("kunmap: pfn %#llx is not kmap()ed", (unsigned long long)page_to_pfn(p));
	wake = --pkmap_count[slot] == 1;
	if (wake)
		pkmap_slots_used--;
	pkmap_users--;
	spin_unlock_irqrestore(&kmap_lock, f);
	if (wake && highmem_hooks.wake)
		highmem_hooks.wake();
}

void *kmap_local_high(struct page *p)
{
	unsigned long f = arch_irq_save();
	unsigned idx = kmap_local_depth;
	void *addr;

	if (idx >= FIX_KMAP_SLOTS)
		panic("kmap_local: more than %u mappings nested", FIX_KMAP_SLOTS);
	addr = kmap_slot_set(local_va(idx), page_to_phys(p));
	local_addr[idx] = addr;
	kmap_local_depth = idx + 1;
	kmap_stats.kmap_local_calls++;
	arch_irq_restore(f);
	return addr;
}

void kunmap_local_high(const void *addr)
{
	const void *page = (const void *)((uintptr_t)addr & ~(uintptr_t)(PAGE_SIZE - 1));
	unsigned long f = arch_irq_save();
	unsigned idx = kmap_local_depth - 1;

	if (local_addr[idx] != page) {
		for (unsigned i = 0; i < idx; i++)
			if (local_addr[i] == page)
				panic("kunmap_local: %p unmapped out of order (slot %u of %u)", addr, i, idx + 1);
		arch_irq_restore(f); /* a lowmem address: nothing was mapped */
		return;
	}
	kmap_slot_clear(local_va(idx));
	kmap_slots_flush(local_va(idx), local_va(idx) + PAGE_SIZE);
	local_addr[idx] = NULL;
	kmap_local_depth = idx;
	arch_irq_restore(f);
}

void highmem_init(void)
{
	memset(pkmap_count, 0, sizeof(pkmap_count));
	memset(pkmap_page, 0, sizeof(pkmap_page));
	memset(local_addr, 0, sizeof(local_addr));
	last_pkmap = pkmap_users = pkmap_slots_used = kmap_local_depth = 0;
	kmap_stats = (struct kmap_stats){ 0 };
}

unsigned kmap_active(void)
{
	unsigned long f = spin_lock_irqsave(&kmap_lock);
	unsigned n = pkmap_users + kmap_local_depth;

	spin_unlock_irqrestore(&kmap_lock, f);
	return n;
}

void clear_highpage(struct page *p)
{
	void *va = kmap_local_page(p);

	arch_clear_page(va);
	kunmap_local(va);
}

void copy_highpage(struct page *dst, struct page *src)
{
	void *d = kmap_local_page(dst);
	void *s = kmap_local_page(src);

	arch_copy_page(d, s);
	kunmap_local(s);
	kunmap_local(d);
}

void memcpy_to_page(struct page *p, size_t offset, const void *src, size_t len)
{
	u8 *va = kmap_local_page(p);

	memcpy(va + offset, src, len);
	kunmap_local(va);
}

void memcpy_from_page(void *dst, struct page *p, size_t offset, size_t len)
{
	const u8 *va = kmap_local_page(p);

	memcpy(dst, va + offset, len);
	kunmap_local(va);
}

int highmem_set_boundary(u64 highmem_bytes)
{
	const struct memblock_type *m = &memblock.memory;
	phys_addr_t start, end, low;

	if (!m->cnt)
		return -EINVAL;
	start = m->r[0].base;
	end = m->r[m->cnt - 1].base + m->r[m->cnt - 1].size;
	low = end;
	if ((s64)(start - PHYS_OFFSET) < 0) {
		printf("mm: RAM starts at %#llx, below PHYS_OFFSET %#llx: it cannot be linearly mapped\n",
		       (unsigned long long)start, (unsigned long long)PHYS_OFFSET);
		return -EINVAL;
	}
	if (end - PHYS_OFFSET > LINEAR_MAP_SIZE)
		low = PHYS_OFFSET + LINEAR_MAP_SIZE;
	if (highmem_bytes) {
		if (highmem_bytes >= end - start || end - highmem_bytes - start < HIGHMEM_MIN_LOWMEM) {
			printf("mm: highmem=%lluM leaves less than %llu MiB of lowmem of %llu MiB of RAM:"
			       " give highmem= at most %llu MiB\n",
			       (unsigned long long)(highmem_bytes >> 20), HIGHMEM_MIN_LOWMEM >> 20,
			       (unsigned long long)((end - start) >> 20),
			       (unsigned long long)((end - start - HIGHMEM_MIN_LOWMEM) >> 20));
			return -EINVAL;
		}
		low = MIN(low, end - highmem_bytes);
	}
	/* whole MAX_ORDER blocks on either side, so no buddy block straddles it */
	low = ALIGN_DOWN(low, (phys_addr_t)MAX_ORDER_PAGES * PAGE_SIZE);
	memblock_set_lowmem_limit(low < end ? low : 0);
	return 0;
}

int highmem_parse(const char *s, u64 *bytes)
{
	u64 v = 0;
	const char *p = s;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (~0ULL - 9) / 10)
			return -EINVAL;
		v = v * 10 + (u64)(*p - '0');
	}
	switch (*p) {
	case 'G': case 'g': v <<= 10; /* fall through */
	case 'M': case 'm': v <<= 10; /* fall through */
	case 'K': case 'k': v <<= 10; p++; break;
	default: break;
	}
	if (*p && *p != ' ')
		return -EINVAL;
	*bytes = v;
	return 0;
}
