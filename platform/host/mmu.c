/*
 * The arch MMU contract on the host: descriptors are stored as on the
 * target (platform/common/long_desc.c is compiled in), TLB and cache
 * maintenance are recorded instead of executed (cache calls are counted
 * and the last HOST_CACHE_LOG kept, for the DMA tests), and every entry write is
 * checked for break-before-make: a valid entry may only be replaced by
 * invalid (or by itself with only its young/dirty state changed, which
 * the architecture allows without break-before-make), and an entry made
 * invalid may only become valid again after a TLB invalidation.
 */
#include <string.h>
#include <arch/mmu.h>
#include <host.h>

struct host_mmu_stats host_mmu;

#define MAX_PENDING 64
static pte_t *pending[MAX_PENDING]; /* cleared entries awaiting a TLB flush */
static unsigned npending;

void host_mmu_reset(void)
{
	host_mmu = (struct host_mmu_stats){ 0 };
	npending = 0;
}

static bool is_pending(pte_t *p)
{
	for (unsigned i = 0; i < npending; i++)
		if (pending[i] == p)
			return true;
	return false;
}

void arch_pte_write(pte_t *ptep, pte_t pte)
{
	host_mmu.pte_writes++;
	if (arch_pte_is_valid(pte)) {
		bool state_only = arch_pte_is_valid(*ptep) && arch_pte_same_but_state(*ptep, pte);

		if (!state_only && (arch_pte_is_valid(*ptep) || is_pending(ptep)))
			host_mmu.bbm_violations++;
	} else if (arch_pte_is_valid(*ptep)) {
		host_mmu.unflushed++;
		if (npending < MAX_PENDING)
			pending[npending++] = ptep;
	}
	*ptep = pte;
}

static void flushed(void)
{
	host_mmu.tlb_flushes++;
	host_mmu.unflushed = 0;
	npending = 0;
}

void arch_tlb_flush_kernel_va(vaddr_t va) { (void)va; flushed(); }
void arch_tlb_flush_user_va(unsigned asid, vaddr_t va) { (void)asid, (void)va; flushed(); }
void arch_tlb_flush_all(void) { flushed(); }
void arch_tlb_flush_asid(unsigned asid) { (void)asid; flushed(); }

/* Cache maintenance: counted and logged (tests check what DMA code asked for). */
static void cache_call(enum host_cache_op op, vaddr_t va, size_t size)
{
	host_mmu.cache_log[host_mmu.cache_calls++ % HOST_CACHE_LOG] = (struct host_cache_call){ op, va, size };
}

void arch_dcache_clean_range(vaddr_t va, size_t size)
{
	host_mmu.dc_clean++;
	host_mmu.dc_clean_bytes += size;
	cache_call(HOST_DC_CLEAN, va, size);
}

void arch_dcache_inval_range(vaddr_t va, size_t size)
{
	host_mmu.dc_inval++;
	host_mmu.dc_inval_bytes += size;
	cache_call(HOST_DC_INVAL, va, size);
}

void arch_dcache_clean_inval_range(vaddr_t va, size_t size)
{
	host_mmu.dc_clean_inval++;
	host_mmu.dc_clean_inval_bytes += size;
	cache_call(HOST_DC_CLEAN_INVAL, va, size);
}

void arch_icache_sync_range(vaddr_t va, size_t size)
{
	host_mmu.ic_sync++;
	cache_call(HOST_IC_SYNC, va, size);
}

void arch_clear_page(void *va) { memset(va, 0, 4096); }
void arch_copy_page(void *dst, const void *src) { memcpy(dst, src, 4096); }
bool arch_hw_access_flag(void) { return false; } /* the host fakes no table walker */
