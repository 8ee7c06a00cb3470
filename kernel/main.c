/*
 * boot_main: the first C code, entered from start.S at the high-half
 * address with the boot tables live. It brings the board up in order
 * and then either runs the self-tests (bootargs "ktest[=suite]") or the
 * demo, and powers off.
 */
#include <arch/irq.h>
#include <arch/layout.h>
#include <arch/power.h>
#include <arch/cpu.h>
#include <arch/irqflags.h>
#include <arch/timer.h>
#include <arch/mmu.h>
#include <dma/swiotlb.h>
#include <drivers/dma_engine.h>
#include <drivers/pl011.h>
#include <kernel/bootcheck.h>
#include <kernel/bootmem.h>
#include <kernel/crashtest.h>
#include <kernel/ktest.h>
#include <kernel/pstore.h>
#include <kernel/kcompactd.h>
#include <kernel/kswapd.h>
#include <kernel/libc.h>
#include <kernel/leak.h>
#include <kernel/lmk.h>
#include <kernel/oom.h>
#include <kernel/procfs.h>
#include <kernel/psi.h>
#include <mm/cma.h>
#include <mm/compaction.h>
#include <mm/commit.h>
#include <mm/ioremap.h>
#include <kernel/highmem_wait.h>
#include <mm/highmem.h>
#include <mm/kmap.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <mm/slab.h>
#include <mm/report.h>
#include <lib/random.h>
#include <kernel/console.h>
#include <kernel/shell.h>
#include <kernel/appimg.h>
#include <kernel/task.h>
#include <mm/memory.h>
#include <mm/vma.h>
#include <mm/swap.h>
#include <mm/vmscan.h>
#include <mm/vmstat.h>
#include <lib/errno.h>
#include <lib/panic.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

extern uintptr_t __stack_chk_guard;

static char bootargs[256];
void bench_page_alloc(void); /* test/target/bench_page_alloc.c */
void bench_dma(void);        /* test/target/bench_dma.c */
void bench_faults(void);     /* test/target/bench_faults.c */
void bench_swap(void);       /* test/target/bench_swap.c */
void bench_oom(void);        /* test/target/bench_oom.c */
void bench_migrate(void);    /* test/target/bench_migrate.c */
void bench_compaction(void); /* test/target/bench_compaction.c */
void soak_swap(void);        /* test/target/soak_swap.c */

/* Counter ticks to microseconds (CNTFRQ from the timer). */
static u64 ticks_to_us(u64 ticks) { return ticks * 1000000 / timer_freq(); }

/* Discover RAM, check the budget, build and install the final tables. */
static bool cmdline_has(const char *word, const char **value);

/* highmem=SIZE: the top SIZE of RAM is ZONE_HIGHMEM, outside the linear map. */
static void highmem_boundary(void)
{
	const char *v;
	u64 bytes = 0;

	if (cmdline_has("highmem", &v) && highmem_parse(v, &bytes))
		panic("highmem=%.16s: not a size (write it like highmem=256M)", v ? v : "");
	if (highmem_set_boundary(bytes))
		panic("highmem=: bad boundary (see above)");
}

static void memory_init(const void *fdt, phys_addr_t dtb_pa)
{
	char regime[128];
	void *uart;

	if (fdt_memory_scan(fdt, dtb_pa))
		panic("cannot discover memory from the device tree");
	pstore_ram_reserve(); /* before the first early allocation */
	memblock_dump();
	if (bootmem_check_budget())
		panic("RAM too small for board.cfg (see above)");
	highmem_boundary(); /* before the linear map and any early allocation */
	/* until the switch, only what the boot tables map (arch/layout.h) */
	memblock_set_alloc_limit(BOOT_MAP_END);
	if (kmap_build())
		panic("cannot build the kernel page tables");
	uart = ioremap(CONFIG_UART_BASE, SZ_4K);
	if (!uart)
		panic("cannot map the console");
	kmap_install();
	pl011_set_base((vaddr_t)uart);
	memblock_set_alloc_limit(0);
	arch_mmu_describe(regime, sizeof(regime));
	printf("MMU: %s\n", regime);
	pstore_ram_boot(); /* "Last boot ended in: ..." */
}

/* cma_alloc's failure reports name an anon page's owner by pid. */
static int mm_owner_pid(const struct mm_struct *mm)
{
	const struct task *t = mm->owner;

	return t ? t->pid : -1;
}

/* The boot stack (tasks add theirs when they exist). */
static void stack_meminfo(struct meminfo *mi) { mi->kernel_stack += KSTACK_SIZE >> 10; }
static struct meminfo_provider stack_provider = { .fill = stack_meminfo };

/* Zones, page array, CMA and the buddy allocator, from board.cfg and memblock. */
static void page_allocator_init(void)
{
	struct mm_board b;

	mm_board_from_config(&b);
	if (mm_init(&b))
		panic("cannot set up physical memory for this board (see above)");
	kmap_use_page_allocator();
	highmem_wait_init();
	random_seed(arch_counter() ^ __stack_chk_guard);
	kmem_cache_init(CONFIG_SLAB_DEBUG);
	meminfo_add_provider(&stack_provider);
	vma_cache_init();
	memory_init_user();
	vmstat_meminfo_register();
	swap_meminfo_register();
	commit_meminfo_register();
	if (bootmem_check_dma_zone(&b))
		panic("the narrowest DMA engine's zone cannot hold its bounce pool and rings (see above)");
	if (swiotlb_init((u64)CONFIG_SWIOTLB_SIZE_KB * 1024))
		panic("cannot allocate the swiotlb bounce pool (CONFIG_SWIOTLB_SIZE_KB, see above)");
	if (swap_init())
		panic("cannot set up zram0 as swap (CONFIG_ZRAM_SIZE_MB %d MiB: its slot tables need memory)",
		      CONFIG_ZRAM_SIZE_MB);
	reclaim_init();
	oom_init();
	cma_migrate_init(); /* cma_alloc migrates borrowed pages out */
	compaction_init();  /* high-order allocations compact before they reclaim */
	cma_hooks.mm_pid = mm_owner_pid;
}

static void read_bootargs(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen");
	const char *args = node >= 0 ? fdt_getprop(fdt, node, "bootargs", NULL) : NULL;

	if (args)
		strncpy(bootargs, args, sizeof(bootargs) - 1);
}

/* Whether the command line has word (alone, or as "word=..."). Sets *value to what follows '='. */
static bool cmdline_has(const char *word, const char **value)
{
	size_t n = strlen(word);

	for (const char *p = bootargs; (p = strstr(p, word)); p += n) {
		bool starts = p == bootargs || p[-1] == ' ';

		if (starts && (p[n] == 0 || p[n] == ' ' || p[n] == '=')) {
			if (value)
				*value = p[n] == '=' ? p + n + 1 : NULL;
			return true;
		}
	}
	return false;
}

/* "ktest" or "ktest=<suite>" on the command line selects test mode. */
static bool ktest_requested(const char **filter)
{
	static char suite[64];
	const char *v;

	if (!cmdline_has("ktest", &v))
		return false;
	*filter = NULL;
	if (v) {
		memcpy(suite, v, MIN(strcspn(v, " "), sizeof(suite) - 1));
		*filter = suite;
	}
	return true;
}

void boot_main(phys_addr_t dtb_arg)
{
	const void *fdt;
	phys_addr_t dtb_pa;
	const char *filter, *v;
	int rc;

	libc_init();
	/* the kernel's TLS pointer, reinstalled on every entry from an app */
	arch_save_kernel_tls();
	/* board.cfg against the DTB before the console is trusted (kernel/bootcheck.c) */
	semihosting_probe();
	fdt = bootcheck_dtb(dtb_arg, &dtb_pa);
	bootcheck_console(fdt);
	pl011_init(UART_VIRT);
	printf("\nPagoda firmware — board %s (%s)\n", CONFIG_BOARD_NAME, CONFIG_ARCH);
	read_bootargs(fdt);
	printf("Command line: %s\n", bootargs);
	psci_init(fdt);
	if (cmdline_has("panic_reboot", &v))
		panic_reboot = !v || *v != '0';
	memory_init(fdt, dtb_pa);
	page_allocator_init();

	if ((rc = irq_init(fdt)))
		panic(rc == -EINVAL ? "the interrupt controller does not match board.cfg (see above)"
				    : "no supported interrupt controller in the device tree");
	if (timer_init())
		panic("generic timer did not start");
	arch_irq_enable();
	printf("IRQ: %s, timer %llu Hz tick %d Hz\n", irq_controller_name(),
	       (unsigned long long)timer_freq(), CONFIG_TIMER_HZ);
	if (dma_engines_init() < 0)
		panic("cannot bring up the DMA engines of board.cfg (see above)");
	if (appimg_init(fdt)) /* brings up the flash it is read from */
		printf("apps: no app image (see above): apps cannot start\n");
	sched_init();
	if (kswapd_init())
		panic("cannot start kswapd0");
	psi_init();
	if (procfs_init())
		panic("cannot build the /proc tree");
	libc_init_late();
	if (lmk_init())
		panic("cannot start lmkd, the low-memory killer");
	if (leak_init())
		panic("cannot start leakd");
	if (kcompactd_init())
		panic("cannot start kcompactd0");
	kmap_dump();
	printf("Boot time: entry at %llu us, MMU on at %llu us (%llu us after entry), ready at %llu us\n",
	       (unsigned long long)ticks_to_us(boot_counter_entry), (unsigned long long)ticks_to_us(boot_counter_mmu_on),
	       (unsigned long long)ticks_to_us(boot_counter_mmu_on - boot_counter_entry),
	       (unsigned long long)ticks_to_us(arch_counter()));

	crashtest_maybe(bootargs);
	if (cmdline_has("reset", NULL)) {
		printf("Restarting system (PSCI SYSTEM_RESET)\n");
		machine_restart();
	}
	if (ktest_requested(&filter)) {
		int failed = ktest_run_all(filter);

		printf("ktest: %s\n", failed ? "FAILED" : "all passed");
		machine_power_off(failed ? 1 : 0);
	}
	if (cmdline_has("bench", NULL)) { /* make bench: before the demo disturbs the allocator */
		bench_page_alloc();
		bench_dma();
		bench_faults();
		machine_power_off(0);
	}
	if (cmdline_has("bench-swap", NULL)) { /* make bench, its second boot (cortex-a53, 256 MiB) */
		bench_swap();
		bench_oom();
		bench_migrate();
		bench_compaction();
		machine_power_off(0);
	}
	if (cmdline_has("soak", NULL)) { /* make soak */
		soak_swap();
		machine_power_off(0);
	}
	/* the boot task becomes the shell (kernel/shell.c says why) */
	if ((rc = console_input_init(fdt)))
		printf("console: no UART interrupt (%d): input is polled\n", rc);
	shell_main();
}
