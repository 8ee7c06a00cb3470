# Real sources each host test links, besides $(HOST_COMMON) (platform/host + the
# AArch64 descriptor encoding). Tests compile the real files, never copies.
SRCS_test_pgtable := mm/pgtable.c platform/aarch64/walk.c
# ARMv7-A's decoder: its header comes after the host's and AArch64's
SRCS_test_fsr := platform/armv7a/fsr.c
HOST_EXTRA_test_fsr := -Iplatform/armv7a/include
$(O)/host/test_fsr: HOST_CFLAGS += $(HOST_EXTRA_test_fsr)
# the shared descriptor encoder at ARMv7-A LPAE's 40-bit address width
SRCS_test_long_desc_lpae :=
HOST_EXTRA_test_long_desc_lpae := -include platform/armv7a/include/arch/pte_bits.h
$(O)/host/test_long_desc_lpae: HOST_CFLAGS += $(HOST_EXTRA_test_long_desc_lpae)
# ARMv7-A's EHABI unwinder (its header: after the host's and AArch64's)
SRCS_test_unwind_arm := platform/armv7a/unwind.c
HOST_EXTRA_test_unwind_arm := -Iplatform/armv7a/include
$(O)/host/test_unwind_arm: HOST_CFLAGS += $(HOST_EXTRA_test_unwind_arm)
SRCS_test_walk := platform/aarch64/walk.c
SRCS_test_esr := platform/aarch64/esr.c
MM_CORE := mm/memblock.c mm/mm_init.c mm/page_alloc.c mm/pcp.c mm/page_debug.c mm/cma.c mm/shrinker.c mm/highmem.c
SRCS_test_page_alloc := $(MM_CORE) test/host/mm_fixture.c
SRCS_test_pcp := $(MM_CORE) test/host/mm_fixture.c
SRCS_test_memtest := $(MM_CORE) kernel/memtest.c test/host/mm_fixture.c
SRCS_test_report := $(MM_CORE) mm/report.c mm/vmstat.c mm/lru.c test/host/mm_fixture.c
SLAB := mm/slab.c mm/slab_debug.c mm/kmalloc.c mm/slab_report.c mm/report.c lib/random.c lib/kallsyms.c
SRCS_test_slab := $(MM_CORE) $(SLAB) test/host/mm_fixture.c
SRCS_test_vmalloc := $(MM_CORE) mm/report.c lib/kallsyms.c mm/pgtable.c mm/vmalloc.c mm/vmalloc_area.c mm/vmalloc_report.c platform/aarch64/walk.c test/host/mm_fixture.c
DMA_SRCS := dma/mapping.c dma/coherent.c dma/swiotlb.c
SRCS_test_dma := $(MM_CORE) $(SLAB) mm/pgtable.c mm/vmalloc.c mm/vmalloc_area.c mm/vmalloc_report.c platform/aarch64/walk.c $(DMA_SRCS) test/host/mm_fixture.c
SRCS_test_rbtree := lib/rbtree.c
SRCS_test_lineedit := lib/lineedit.c
SRCS_test_shell_parse := kernel/shell_parse.c lib/lineedit.c test/host/procfs_double.c
SRCS_test_asid := mm/asid.c
SRCS_test_vma := $(MM_CORE) $(SLAB) mm/pgtable.c platform/aarch64/walk.c lib/rbtree.c mm/vma.c mm/mmap.c mm/commit.c test/host/stub_memory.c test/host/mm_fixture.c
SWAP_SRCS := mm/swap.c mm/vmscan.c mm/zpool.c mm/zram.c lib/crc32c.c
SRCS_test_pss := $(MM_CORE) $(SLAB) mm/pgtable.c platform/aarch64/walk.c lib/rbtree.c mm/vma.c mm/filemap.c mm/memory.c mm/budget.c mm/rmap.c mm/lru.c mm/vmstat.c mm/mm_report.c test/host/swap_double.c test/host/mm_fixture.c
FAULT_SRCS := mm/pgtable.c mm/memory.c mm/budget.c mm/rmap.c mm/filemap.c mm/uaccess.c mm/vma.c mm/mmap.c mm/commit.c mm/lru.c mm/vmstat.c lib/rbtree.c $(SWAP_SRCS)
SRCS_test_fault := $(MM_CORE) $(SLAB) $(FAULT_SRCS) test/host/mm_fixture.c test/host/user_fixture.c
SRCS_test_reclaim := $(MM_CORE) $(SLAB) $(FAULT_SRCS) test/host/mm_fixture.c test/host/user_fixture.c
ZRAM_SRCS := mm/zpool.c mm/zram.c lib/crc32c.c
SRCS_test_zpool := $(MM_CORE) mm/zpool.c test/host/mm_fixture.c
SRCS_test_zram := $(MM_CORE) $(ZRAM_SRCS) test/host/mm_fixture.c
SWAP_REPORT := mm/vmstat.c mm/lru.c mm/vmstat_report.c mm/swap_report.c test/host/swap_double.c
SRCS_test_vmstat_report := $(MM_CORE) mm/report.c $(SWAP_REPORT) $(ZRAM_SRCS) test/host/mm_fixture.c
SRCS_test_pstore := kernel/pstore.c lib/crc32c.c
SRCS_test_oom := kernel/oom_badness.c
SRCS_test_budget := $(MM_CORE) $(SLAB) $(FAULT_SRCS) kernel/oom_badness.c test/host/mm_fixture.c test/host/user_fixture.c
SRCS_test_commit := $(MM_CORE) $(SLAB) $(FAULT_SRCS) test/host/mm_fixture.c test/host/user_fixture.c
SRCS_test_leak := kernel/leak_series.c
SRCS_test_psi := kernel/psi_avg.c
SRCS_test_app_class := kernel/app_class.c
SRCS_test_migrate := $(MM_CORE) $(SLAB) $(FAULT_SRCS) mm/migrate.c test/host/mm_fixture.c test/host/user_fixture.c
SRCS_test_cma := $(MM_CORE) $(SLAB) $(FAULT_SRCS) mm/migrate.c mm/cma_migrate.c test/host/mm_fixture.c test/host/user_fixture.c
SRCS_test_compaction := $(MM_CORE) $(SLAB) $(FAULT_SRCS) mm/migrate.c mm/compaction.c mm/extfrag.c test/host/mm_fixture.c test/host/user_fixture.c
SRCS_test_extfrag := $(MM_CORE) mm/extfrag.c test/host/mm_fixture.c
SRCS_test_physmap := $(MM_CORE) mm/physmap_report.c test/host/mm_fixture.c
SRCS_test_procfs := $(MM_CORE) $(SLAB) $(FAULT_SRCS) mm/migrate.c mm/compaction.c mm/extfrag.c kernel/procfs.c kernel/proc_vm.c test/host/proc_sink_host.c test/host/mm_fixture.c
SRCS_test_kallsyms := lib/kallsyms.c
SRCS_test_highmem := $(MM_CORE) $(SLAB) $(FAULT_SRCS) test/host/mm_fixture.c test/host/user_fixture.c
SRCS_test_highmem_reclaim := $(MM_CORE) $(SLAB) $(FAULT_SRCS) test/host/mm_fixture.c
