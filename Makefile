# Pagoda — top-level build.
#
#   make run     build the firmware and boot it on QEMU virt into its shell
#                (not on a terminal: runs tools/run.script, or SCRIPT=file, and exits)
#   make test    host unit tests + board.cfg checks + on-target KTAP self-tests
#
# Both install missing Debian packages first (tools/deps.sh). Options:
#   ARCH=arm64 | arm          AArch64 (default) or ARMv7-A with LPAE
#                             (platform/aarch64/arch.mk, platform/armv7a/arch.mk)
#   BOARD=boards/<name>.cfg   another board (default board.cfg; ARCH=arm:
#                             boards/qemu-virt-armv7a.cfg)
#   MEM=512M CPU=cortex-a72 GIC=3   the QEMU machine for `make run`
#                             (ARCH=arm: 1G, cortex-a15, 2)
# Other targets: make menuconfig | debug | bench | soak | fuzz | size | fresh-check | clean

# The architecture: its toolchain, flags, libraries and QEMU defaults come
# from platform/$(ARCH_DIR)/arch.mk; its objects from build/$(ARCH_BUILD_PREFIX)<board>.
ARCH ?= arm64
ARCH_DIR_arm64 := aarch64
ARCH_DIR_arm := armv7a
ARCH_DIR := $(ARCH_DIR_$(ARCH))
ifeq ($(ARCH_DIR),)
$(error ARCH=$(ARCH) is not an architecture Pagoda builds for; allowed arm64 (AArch64, the default) or arm (ARMv7-A))
endif
include platform/$(ARCH_DIR)/arch.mk

BOARD ?= $(ARCH_BOARD)
BOARD_NAME := $(basename $(notdir $(BOARD)))
O ?= build/$(ARCH_BUILD_PREFIX)$(BOARD_NAME)
PY := /usr/bin/python3
QEMU := $(PY) tools/qemu_common.py
APPEND ?=

# Headers: the platform's arch/ headers first, then the contract in include/.
# Host builds simulate the AArch64 descriptor format: host, then aarch64.
TGT_INC := -Iplatform/$(ARCH_DIR)/include -Iplatform/common/include -Iinclude -I$(O)/include
HOST_INC := -Iplatform/host/include -Iplatform/aarch64/include -Iplatform/common/include -Iinclude -I$(O)/include

GEN_HEADER := $(O)/include/generated/board.h
ELF := $(O)/pagoda.elf

.DEFAULT_GOAL := all
.PHONY: all deps fresh-check run test bench-arm bench-boot boottime gdb test-gdb target-gdb test-host test-host32 test-config test-procps snapshot plots test-target target-crash target-pstore target-bootchk target-shell menuconfig debug size clean bench fuzz

deps:
	@sh tools/deps.sh

# ---------------------------------------------------------------- config
$(GEN_HEADER): $(BOARD) Kconfig tools/genconfig.py | deps
	@mkdir -p $(dir $@)
	@$(PY) tools/genconfig.py --kconfig Kconfig --config $(BOARD) --arch $(ARCH) --header $@

# kconfiglib would drop the board file's comment header on save: pass it back
menuconfig: | deps
	h="$$(sed '/^[^#]/,$$d' $(BOARD); echo x)"; \
	KCONFIG_CONFIG=$(BOARD) KCONFIG_CONFIG_HEADER="$${h%x}" $(PY) -m menuconfig Kconfig

# ---------------------------------------------------------------- target
TGT_CC := $(CROSS)gcc
TGT_CFLAGS := $(ARCH_CFLAGS) -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-common -fno-pie -fno-omit-frame-pointer \
	-fstack-protector-strong -ffunction-sections -fdata-sections \
	$(TGT_INC) -MMD -MP
TGT_ASFLAGS := $(ARCH_ASFLAGS) -D__ASSEMBLER__ $(TGT_INC) -MMD -MP
TGT_LDFLAGS := $(ARCH_LDFLAGS) -Wl,--gc-sections -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments
TGT_LIBS := $(ARCH_LIBS)

TGT_SRCS := $(wildcard platform/$(ARCH_DIR)/*.S platform/$(ARCH_DIR)/*.c platform/common/*.c kernel/libc/$(ARCH_LIBC)/*.c) \
	$(filter-out $(ARCH_TARGET_SKIP),$(wildcard drivers/*.c mm/*.c dma/*.c lib/*.c kernel/*.c test/target/*.c))
TGT_OBJS := $(patsubst %,$(O)/target/%.o,$(TGT_SRCS))

# arch.mk holds the flags: an edit there rebuilds the arch's objects
$(O)/target/%.c.o: %.c $(GEN_HEADER) platform/$(ARCH_DIR)/arch.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(TGT_CC) $(TGT_CFLAGS) -c $< -o $@

$(O)/target/%.S.o: %.S $(GEN_HEADER) platform/$(ARCH_DIR)/arch.mk
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(TGT_CC) $(TGT_ASFLAGS) -c $< -o $@

$(O)/kernel.ld: platform/$(ARCH_DIR)/kernel.lds $(GEN_HEADER)
	@$(TGT_CC) -E -P -x c -D__ASSEMBLER__ $(TGT_INC) $< -o $@

# Three links, as Linux does for kallsyms: link 1 with an empty symbol table,
# link 2 with link 1's table (the right size: it depends on names only),
# link 3 with link 2's table (link 2's addresses, since the size is the
# same); the table regenerated from link 3 must equal the one it holds.
KSYMS := $(PY) tools/kallsyms.py --readelf $(CROSS)readelf --ptr-bytes $(ARCH_PTR_BYTES)
KSYMS_DIR := $(O)/kallsyms
link_elf = $(TGT_CC) $(TGT_LDFLAGS) -T $(O)/kernel.ld $(TGT_OBJS) $(KSYMS_DIR)/$(1).o $(TGT_LIBS)
$(ELF): $(TGT_OBJS) $(O)/kernel.ld tools/kallsyms.py $(ARCH_LIB_DEPS)
	@echo "  LD      $@ (3 links for kallsyms)"
	@mkdir -p $(KSYMS_DIR)
	@$(KSYMS) --empty -o $(KSYMS_DIR)/table0.S
	@$(TGT_CC) $(TGT_ASFLAGS) -c $(KSYMS_DIR)/table0.S -o $(KSYMS_DIR)/table0.o
	@$(call link_elf,table0) -o $(KSYMS_DIR)/link1.elf
	@$(KSYMS) $(KSYMS_DIR)/link1.elf -o $(KSYMS_DIR)/table1.S
	@$(TGT_CC) $(TGT_ASFLAGS) -c $(KSYMS_DIR)/table1.S -o $(KSYMS_DIR)/table1.o
	@$(call link_elf,table1) -o $(KSYMS_DIR)/link2.elf
	@$(KSYMS) $(KSYMS_DIR)/link2.elf -o $(KSYMS_DIR)/table2.S
	@$(TGT_CC) $(TGT_ASFLAGS) -c $(KSYMS_DIR)/table2.S -o $(KSYMS_DIR)/table2.o
	@$(call link_elf,table2) -Wl,-Map,$(O)/pagoda.map -o $@.tmp
	@$(KSYMS) $@.tmp -o $(KSYMS_DIR)/check.S
	@cmp -s $(KSYMS_DIR)/table2.S $(KSYMS_DIR)/check.S || \
	 { echo "kallsyms: link 3 moved symbols (diff $(KSYMS_DIR)/table2.S $(KSYMS_DIR)/check.S)"; exit 1; }
	@mv $@.tmp $@

all: $(ELF)

# targets of one architecture only (platform/armv7a/targets.mk: boot-smoke)
-include platform/$(ARCH_DIR)/targets.mk

include apps/apps.mk

# Every QEMU command line starts with tools/qemu-common.args (-nic none among
# them); the Python runners read the same file (tools/qemu_common.py).
QEMU_COMMON := $(shell cat tools/qemu-common.args)
QEMU_ARGS = $(QEMU_COMMON) -M virt,gic-version=$(GIC) -cpu $(CPU) -m $(MEM) -kernel $(ELF) \
	-drive if=pflash,unit=1,format=raw,readonly=on,file=$(O)/apps.img

# make run: on a terminal, the shell (^C goes to the shell; ^A x quits QEMU);
# otherwise (a pipe, CI) tools/run.script, or SCRIPT=file, typed into the
# shell by tools/pagoda_console.py, then poweroff.
SCRIPT ?=
RUN_SCRIPT = $(or $(SCRIPT),tools/run.script)
QEMU_TTY_CONSOLE := -chardev stdio,id=con,mux=on,signal=off -serial chardev:con -mon chardev=con
run: $(ELF)
	@if [ -z "$(SCRIPT)" ] && [ -t 0 ] && [ -t 1 ]; then \
		$(QEMU) $(QEMU_ARGS) $(QEMU_TTY_CONSOLE) -append "$(APPEND)"; \
	else \
		$(PY) tools/pagoda_console.py --elf $(ELF) --image $(O)/apps.img --script $(RUN_SCRIPT) \
			--append "$(APPEND)" -- -M virt,gic-version=$(GIC) -cpu $(CPU) -m $(MEM); \
	fi

# QEMU waits for gdb on :1234; in another shell: make gdb
debug: $(ELF)
	$(QEMU) $(QEMU_ARGS) -append "$(APPEND)" -S -gdb tcp::1234

gdb: $(ELF)
	gdb-multiarch -q -x tools/gdb/pagoda.gdb $(ELF)

# Boot timing under -icount shift=0 (1 instruction = 1 ns of virtual time).
boottime: $(ELF)
	@printf 'poweroff\r' | $(QEMU) $(QEMU_ARGS) -icount shift=0,sleep=off -append "" | grep -E "^(Boot time|MMU:)"

size: $(ELF)
	@$(CROSS)size -A $(ELF) | grep -E '^\.(text|rodata|got|data|tdata|tbss|bss|stack) '
	@$(CROSS)size $(ELF)

# ---------------------------------------------------------------- host
HOST_CC := clang
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror $(HOST_SAN) -DPAGODA_HOST \
	$(HOST_INC)
# A host program is compiled and linked from all its sources in one command,
# where -MMD would keep only the last source's headers: HOST_DEPS writes
# $@.d with the headers of every .c prerequisite (a header-only change
# rebuilds the tests and benchmarks that include it).
HOST_DEPS = $(HOST_CC) -std=gnu11 -DPAGODA_HOST $(HOST_INC) $(HOST_EXTRA_$(notdir $@)) -MM -MP -MT $@ \
	$(filter %.c,$^) > $@.d
# liblz4: the static archive, whose LZ4_compress_fast_extState_fastReset the
# shared library does not export (same 1.9.4 code as the target's liblz4.a)
HOST_LIBS := -lcmocka -l:libfdt.so.1 -l:liblz4.a

HOST_COMMON := platform/host/phys.c platform/host/mmu.c platform/host/panic.c platform/host/fpsimd.c platform/common/long_desc.c \
	platform/host/kallsyms.c
HOST_TESTS := $(patsubst test/host/%.c,%,$(wildcard test/host/test_*.c))
# each test links its own module list (see test/host/*.mk-style lists below)
include test/host/tests.mk

.SECONDEXPANSION:
$(O)/host/%: test/host/%.c $$(SRCS_$$*) $(HOST_COMMON) $(GEN_HEADER)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOST_CC) $(HOST_CFLAGS) $< $(HOST_COMMON) $(SRCS_$*) $(HOST_LIBS) -o $@
	@$(HOST_DEPS)
-include $(wildcard $(O)/host/*.d $(O)/bench/*.d $(O)/procps/*.d)
# the same tests built with -m32 (make test-host32)
include test/host/tests32.mk

# ---------------------------------------------------------------- tests
RESULTS := $(O)/results

test: | deps
	@rm -rf $(RESULTS); mkdir -p $(RESULTS)
	@$(MAKE) -k --no-print-directory test-host test-host32 test-config test-target; rc=$$?; \
	 $(MAKE) -k -j2 --no-print-directory fuzz-smoke || rc=1; \
	 $(PY) tools/test_summary.py $(RESULTS); s=$$?; \
	 if [ $$rc != 0 ]; then echo "make test: a test suite failed to build or run (see above)"; fi; \
	 [ $$rc = 0 ] && [ $$s = 0 ]

test-host: $(patsubst %,$(O)/host/%,$(HOST_TESTS))
	@mkdir -p $(RESULTS)
	@for t in $(HOST_TESTS); do \
		echo "== host: $$t"; \
		CMOCKA_MESSAGE_OUTPUT=TAP $(O)/host/$$t > $(RESULTS)/host-$$t.tap 2>&1; \
		echo "exit $$?" >> $(RESULTS)/host-$$t.tap; \
		grep -E '^(not ok|ok)' $(RESULTS)/host-$$t.tap | grep -c '^ok' | sed 's/^/   ok: /'; \
		grep -E '^not ok' $(RESULTS)/host-$$t.tap || true; \
	done

test-config: | deps
	@mkdir -p $(RESULTS)
	@echo "== board.cfg validation, app image packer, kallsyms generator, snapshot tool"
	@$(PY) tools/test_mkappimg.py --tap > $(RESULTS)/tools-mkappimg.tap 2>&1; echo "exit $$?" >> $(RESULTS)/tools-mkappimg.tap; \
	 grep -E '^not ok' $(RESULTS)/tools-mkappimg.tap || true
	@$(PY) tools/test_kallsyms.py --tap > $(RESULTS)/tools-kallsyms.tap 2>&1; echo "exit $$?" >> $(RESULTS)/tools-kallsyms.tap; \
	 grep -E '^not ok' $(RESULTS)/tools-kallsyms.tap || true
	@$(PY) tools/test_proc_snapshot.py --tap > $(RESULTS)/tools-proc-snapshot.tap 2>/dev/null; echo "exit $$?" >> $(RESULTS)/tools-proc-snapshot.tap; \
	 grep -E '^not ok' $(RESULTS)/tools-proc-snapshot.tap || true
	@$(PY) test/config/run_tests.py > $(RESULTS)/config.tap 2>&1; echo "exit $$?" >> $(RESULTS)/config.tap; \
	 grep -E '^not ok' $(RESULTS)/config.tap || true
	@$(PY) tools/test_qemu_common.py --tap > $(RESULTS)/tools-qemu-common.tap 2>&1; echo "exit $$?" >> $(RESULTS)/tools-qemu-common.tap; \
	 grep -E '^not ok' $(RESULTS)/tools-qemu-common.tap || true
	@$(PY) tools/check_qemu_lines.py > $(RESULTS)/tools-qemu-lines.tap 2>&1; echo "exit $$?" >> $(RESULTS)/tools-qemu-lines.tap; \
	 grep -E '^not ok' $(RESULTS)/tools-qemu-lines.tap || true
	@$(PY) tools/bench_tables.py check docs/measurements.md Makefile > $(RESULTS)/docs-measurements.tap 2>&1; echo "exit $$?" >> $(RESULTS)/docs-measurements.tap; grep -E '^not ok' $(RESULTS)/docs-measurements.tap || true
	@echo "== ARMv7-A boot path on qemu-system-arm (make ARCH=arm boot-smoke)"
	@rm -f $(RESULTS)/arm-boot-smoke.tap; \
	 $(MAKE) --no-print-directory ARCH=arm RESULTS=$(abspath $(RESULTS)) boot-smoke > $(RESULTS)/arm-boot-smoke.build.log 2>&1; \
	 echo "exit $$?" >> $(RESULTS)/arm-boot-smoke.tap; grep -E '^not ok' $(RESULTS)/arm-boot-smoke.tap || true
	@$(MAKE) --no-print-directory test-procps

# Debian's procps free/vmstat on our meminfo/vmstat text (test/procps/check_procps.py; root)
PROCPS_DUMP := $(O)/procps/dump_reports
$(PROCPS_DUMP): test/procps/dump_reports.c $(MM_CORE) $(SLAB) $(SWAP_REPORT) $(ZRAM_SRCS) test/host/mm_fixture.c $(HOST_COMMON) $(GEN_HEADER)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(HOST_CC) $(HOST_CFLAGS) $< $(HOST_COMMON) $(MM_CORE) $(SLAB) $(SWAP_REPORT) $(ZRAM_SRCS) test/host/mm_fixture.c $(HOST_LIBS) -o $@
	@$(HOST_DEPS)

test-procps: $(PROCPS_DUMP) $(ELF) | deps
	@mkdir -p $(RESULTS)
	@echo "== procps free/vmstat on Pagoda's meminfo/vmstat"
	@$(PY) test/procps/check_procps.py $(PROCPS_DUMP) > $(RESULTS)/procps.tap 2>&1; echo "exit $$?" >> $(RESULTS)/procps.tap; \
	 grep -E '^not ok' $(RESULTS)/procps.tap || true
	@echo "== procps free/vmstat/slabtop/ps and smem on a snapshot of the board's /proc (docs/tools.md)"
	@rm -rf $(O)/snapshot-test; \
	 if $(PY) tools/proc_snapshot.py --elf $(ELF) --image $(O)/apps.img --out $(O)/snapshot-test --quiet \
		-- $(SNAPSHOT_MACHINE) > $(RESULTS)/procps-snapshot.log 2>&1; \
	 then $(PY) test/procps/check_procps.py --snapshot $(O)/snapshot-test; \
	 else printf '1..1\nnot ok 1 - tools/proc_snapshot.py failed (procps-snapshot.log)\n'; false; fi \
	 > $(RESULTS)/procps-snapshot.tap 2>&1; echo "exit $$?" >> $(RESULTS)/procps-snapshot.tap; \
	 grep -E '^not ok' $(RESULTS)/procps-snapshot.tap || true

# The board's /proc and /sys tree copied to the host through the shell
# (tools/proc_snapshot.py; SOCKET=path attaches to a running board's serial
# socket instead of booting one), and plots of it (docs/tools.md).
SNAPSHOT_MACHINE = -M virt,gic-version=$(GIC) -cpu $(CPU) -m $(MEM)
SNAPSHOT := $(O)/snapshot
SOCKET ?=
snapshot: $(ELF) | deps
	@rm -rf $(SNAPSHOT)
	@$(PY) tools/proc_snapshot.py $(if $(SOCKET),--socket $(SOCKET),--elf $(ELF) --image $(O)/apps.img) \
		--out $(SNAPSHOT) --quiet --samples 20 $(if $(SOCKET),,-- $(SNAPSHOT_MACHINE))

PLOTS := build/plots
# thrash: more anon than the 128 MiB board's RAM, so swap and zram move
PLOT_LOAD ?= thrash 30000 2
PLOT_MACHINE ?= -M virt,gic-version=3 -cpu cortex-a72 -m 128M
plots: $(ELF) | deps
	@rm -rf $(PLOTS)/snapshot; mkdir -p $(PLOTS)
	@$(PY) tools/proc_snapshot.py --elf $(ELF) --image $(O)/apps.img --out $(PLOTS)/snapshot --quiet \
		--samples 40 --interval 0.25 --load "$(PLOT_LOAD)" -- $(PLOT_MACHINE)
	@$(PY) tools/plot_vmstat.py $(PLOTS)/snapshot/samples.txt -o $(PLOTS)/vmstat.png
	@$(PY) tools/plot_physmap.py $(PLOTS)/snapshot/sys/kernel/debug/pagoda/physmap -o $(PLOTS)/physmap.png
	@echo "plots: $(PLOTS)/vmstat.png $(PLOTS)/physmap.png (from $(PLOTS)/snapshot)"

# On-target self-tests: (name, board, qemu options) for each boot. The
# gen-* boards are board.cfg with one small edit each (one engine, four
# engines, a 64-bit engine, CMA on engine 0, the wide engine first),
# written into $(TEST_BOARDS) by tools/gen_test_boards.py at test time.
TEST_BOARDS := build/test-boards
TARGET_RUNS := \
	a72-512M:board.cfg:-cpu_cortex-a72_-m_512M_-M_virt,gic-version=3 \
	a53-128M:board.cfg:-cpu_cortex-a53_-m_128M_-M_virt,gic-version=2 \
	max-2G:board.cfg:-cpu_max_-m_2G_-M_virt,gic-version=3 \
	a72-4G:board.cfg:-cpu_cortex-a72_-m_4G_-M_virt,gic-version=3 \
	a72-8G:board.cfg:-cpu_cortex-a72_-m_8G_-M_virt,gic-version=3 \
	va39-1G:boards/qemu-virt-39bit.cfg:-cpu_cortex-a53_-m_1G_-M_virt,gic-version=2 \
	debug-1G:boards/qemu-virt-debug.cfg:-cpu_cortex-a53_-m_1G_-M_virt,gic-version=3 \
	one-engine-128M:$(TEST_BOARDS)/gen-one-engine.cfg:-cpu_cortex-a53_-m_128M_-M_virt,gic-version=2 \
	four-engines-8G:$(TEST_BOARDS)/gen-four-engines.cfg:-cpu_cortex-a72_-m_8G_-M_virt,gic-version=3 \
	dma64-4G:$(TEST_BOARDS)/gen-dma64.cfg:-cpu_cortex-a72_-m_4G_-M_virt,gic-version=3 \
	cma-engine0-1G:$(TEST_BOARDS)/gen-cma-engine0.cfg:-cpu_max_-m_1G_-M_virt,gic-version=3 \
	wide-first-2G:$(TEST_BOARDS)/gen-wide-first.cfg:-cpu_cortex-a53_-m_2G_-M_virt,gic-version=2 \
	highmem-1G:board.cfg:-cpu_cortex-a72_-m_1G_-M_virt,gic-version=3_-append_highmem=512M
TARGET_NAMES := $(foreach r,$(TARGET_RUNS),$(firstword $(subst :, ,$(r))))
# The gen-* boards change the DMA engines (and so the zones and CMA): they
# run the suites those touch; every other boot runs every suite.
DMA_BOARD_SUITES := page_alloc,physmap,dma_mapping,dma_engine,cma,migrate,slab,vmalloc,mmu
$(foreach n,one-engine-128M four-engines-8G dma64-4G cma-engine0-1G wide-first-2G,$(eval SUITES_$(n) := $(DMA_BOARD_SUITES)))
TARGET_BOARDS := $(sort $(foreach r,$(TARGET_RUNS),$(word 2,$(subst :, ,$(r)))))

# A test board on demand, e.g. make BOARD=$(TEST_BOARDS)/gen-dma64.cfg run
$(TEST_BOARDS)/gen-%.cfg: board.cfg tools/gen_test_boards.py
	@$(PY) tools/gen_test_boards.py --base board.cfg --out $(TEST_BOARDS)

# Every board is built first, one at a time (builds of one board share
# build/<board>/); then the boots run two at a time (one QEMU TCG per core).
# A board that fails to build fails its runs without booting a stale image.
test-target: | deps
	@mkdir -p $(RESULTS)
	@$(PY) tools/gen_test_boards.py --base board.cfg --out $(TEST_BOARDS)
	@rm -f $(RESULTS)/built-*
	@for b in $(TARGET_BOARDS); do \
		echo "== build: $$b"; \
		$(MAKE) -j2 --no-print-directory BOARD=$$b all >/dev/null && touch $(RESULTS)/built-$$(basename $$b .cfg); \
	done; true
	@$(MAKE) -j2 --no-print-directory target-crash target-pstore target-bootchk target-gdb target-shell target-arm $(addprefix target-run-,$(TARGET_NAMES))

target-crash:
	@t0=$$(date +%s); tap=$(RESULTS)/target-crash.tap; \
	 $(PY) test/target/crash_tests.py build/board/pagoda.elf $(RESULTS) > $$tap; echo "exit $$?" >> $$tap; \
	 echo "== target: crash reports ($$(( $$(date +%s) - t0 )) s)"; grep -E '^not ok' $$tap || true

# pstore across a real reset (QEMU without -no-reboot): boot 2 prints boot 1's panic record
target-pstore:
	@t0=$$(date +%s); tap=$(RESULTS)/target-pstore.tap; \
	 $(PY) test/target/pstore_tests.py build/board/pagoda.elf $(RESULTS) > $$tap; echo "exit $$?" >> $$tap; \
	 echo "== target: pstore across a reset ($$(( $$(date +%s) - t0 )) s)"; grep -E '^not ok' $$tap || true

# the gdb helpers (tools/gdb/pagoda_mm.py) on a live board: QEMU -S -gdb, gdb-multiarch
# in batch mode stopped at the apps demo's first ps, typed into the shell (test/gdb/check_helpers.py)
target-gdb:
	@t0=$$(date +%s); tap=$(RESULTS)/target-gdb.tap; \
	 $(PY) test/gdb/check_helpers.py build/board/pagoda.elf $(RESULTS)/target-gdb.log > $$tap; echo "exit $$?" >> $$tap; \
	 echo "== target: gdb helpers ($$(( $$(date +%s) - t0 )) s)"; grep -E '^not ok' $$tap || true

# make test-gdb: the same on its own (builds the default board first)
test-gdb: | deps
	@mkdir -p $(RESULTS)
	@$(MAKE) -j2 --no-print-directory BOARD=board.cfg all >/dev/null
	@$(MAKE) --no-print-directory target-gdb; cat $(RESULTS)/target-gdb.tap

# the console shell driven over QEMU's serial port (tools/shell_test.py, about 10 s)
target-shell:
	@t0=$$(date +%s); tap=$(RESULTS)/target-shell.tap; \
	 $(PY) tools/shell_test.py --elf build/board/pagoda.elf --image build/board/apps.img \
		--log $(RESULTS)/target-shell.log -- -M virt,gic-version=3 -cpu cortex-a72 -m 512M > $$tap; echo "exit $$?" >> $$tap; \
	 echo "== target: shell ($$(( $$(date +%s) - t0 )) s)"; grep -E '^not ok' $$tap || true

# misconfigured boards (each built into build/bootchk-*/) must stop naming the option
target-bootchk:
	@t0=$$(date +%s); tap=$(RESULTS)/target-bootchk.tap; \
	 $(PY) test/target/boot_checks.py $(RESULTS) > $$tap; echo "exit $$?" >> $$tap; \
	 echo "== target: boot checks ($$(( $$(date +%s) - t0 )) s)"; grep -E '^not ok' $$tap || true

# ARMv7-A (make ARCH=arm, boards/qemu-virt-armv7a.cfg, with its app image
# build/arm-qemu-virt-armv7a/apps.img) on qemu-system-arm, cortex-a15: every
# suite at 256 MiB (all lowmem), 1 GiB and 2 GiB (256 MiB and 1280 MiB
# HighMem), and on cortex-a7 at 1 GiB, one boot after the other; then the
# crash-report boots (test/target/crash_tests.py)
ARM_ELF := build/arm-qemu-virt-armv7a/pagoda.elf
ARM_RUNS := cortex-a15:256M cortex-a15:1G cortex-a15:2G cortex-a7:1G
.PHONY: target-arm
target-arm:
	@if $(MAKE) --no-print-directory ARCH=arm all > $(RESULTS)/target-arm-build.log 2>&1; then ok=1; else ok=0; fi; \
	 for r in $(ARM_RUNS); do \
		cpu=$${r%%:*}; m=$${r#*:}; name=arm-$${cpu#cortex-}-$$m; \
		t0=$$(date +%s); tap=$(RESULTS)/target-$$name.tap; \
		if [ $$ok = 1 ]; then \
			$(PY) tools/qemu_ktap.py --timeout 1500 --elf $(ARM_ELF) --log $(RESULTS)/target-$$name.log \
				-- -M virt -cpu $$cpu -m $$m > $$tap; \
		else echo "not ok 1 - make ARCH=arm all (see target-arm-build.log)" > $$tap; fi; \
		printf '== target: %s (make ARCH=arm, %s s)\n%s\n' $$name $$(( $$(date +%s) - t0 )) "$$(tail -n 1 $$tap)"; \
	 done; \
	 t0=$$(date +%s); tap=$(RESULTS)/target-arm-crash.tap; mkdir -p $(RESULTS)/arm-crash; \
	 if [ $$ok = 1 ]; then $(PY) test/target/crash_tests.py $(ARM_ELF) $(RESULTS)/arm-crash > $$tap; echo "exit $$?" >> $$tap; \
	 else echo "not ok 1 - make ARCH=arm all (see target-arm-build.log)" > $$tap; fi; \
	 echo "== target: arm crash reports ($$(( $$(date +%s) - t0 )) s)"; grep -E '^not ok' $$tap || true

target-run-%:
	@r='$(filter $*:%,$(TARGET_RUNS))'; rest=$${r#*:}; board=$${rest%%:*}; opts=$$(echo $${rest#*:} | tr _ ' '); \
	 dir=build/$$(basename $$board .cfg); tap=$(RESULTS)/target-$*.tap; t0=$$(date +%s); \
	 if [ ! -e $(RESULTS)/built-$${dir#build/} ]; then \
		echo "not ok 1 - build $$board" > $$tap; echo "== target: $* ($$board did not build)"; exit 0; fi; \
	 $(PY) tools/qemu_ktap.py --elf $$dir/pagoda.elf --image $$dir/apps.img --log $(RESULTS)/target-$*.log \
		$(if $(SUITES_$*),--filter $(SUITES_$*)) -- $$opts > $$tap; \
	 printf '== target: %s (%s %s, %s s)\n%s\n' $* $$board "$$opts" $$(( $$(date +%s) - t0 )) "$$(tail -n 1 $$tap)"

# The README's two commands on a fresh Debian 12 (a debootstrap minbase root
# with only make, gcc and git, cached in /var/tmp/pagoda-fresh; needs root):
# make fresh-check runs `make test` there, make fresh-check FRESH=run `make run`.
FRESH ?= test
fresh-check:
	@sh tools/fresh-check.sh $(FRESH)

clean:
	rm -rf build

-include $(TGT_OBJS:.o=.d)

# ---- fuzz and bench ------------------------------------------------------
# make fuzz              every libFuzzer target, FUZZ_TIME s each (default 300)
# make fuzz-<t>          one of them: fuzz-page_alloc, fuzz-dma, fuzz-slab, fuzz-zram,
#                        fuzz-migrate
# make fuzz-smoke        every target for FUZZ_SMOKE_TIME s (default 15), one
#                        verdict each in $(RESULTS)/fuzz-<t>.tap (make test
#                        runs fuzz-smoke-<t> for each)
# make fuzz-cov          line/branch coverage of mm/ reached by the page_alloc corpus
# make bench             host ns/op and throughput (clang -O2), then instructions
#                        per operation on QEMU under -icount shift=0,sleep=off
# Fuzz targets link the real sources like the host tests ($(MM_CORE) +
# $(HOST_COMMON)), with -fsanitize=fuzzer,address,undefined. Every run starts
# from the committed seeds in test/fuzz/corpus/<t>/ (test/fuzz/gen_corpus.py,
# only read) and what earlier runs found in $(FUZZ_DIR)/corpus/<t>/, where
# make fuzz-<t> adds its new inputs; crashes go to $(FUZZ_DIR)/artifacts/.
# Reproduce: $(FUZZ_DIR)/fuzz_<t> <file>
FUZZ_TARGETS := page_alloc dma slab zram migrate
FUZZ_TIME ?= 300
FUZZ_SMOKE_TIME ?= 15
FUZZ_DIR := $(O)/fuzz
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -DPAGODA_HOST \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	$(HOST_INC)
FUZZ_RUN_OPTS := -close_fd_mask=1 -max_len=4096 -print_final_stats=1 \
	-artifact_prefix=$(FUZZ_DIR)/artifacts/
BENCH_DIR := $(O)/bench
# -fno-pie -no-pie: position-dependent like the firmware (CFLAGS above), so
# globals are reached the way the target reaches them, not through the
# extra address loads of a position-independent host executable.
# -fno-plt: the references (glibc malloc, mimalloc: shared libraries) are
# called straight through the GOT, without a PLT stub's extra jump per call.
BENCH_CFLAGS := -std=gnu11 -gdwarf-4 -O2 -DNDEBUG -Wall -Wextra -Werror -DPAGODA_HOST -fno-pie -no-pie -fno-plt \
	$(HOST_INC)

# Each target's sources: the harness first (test/fuzz/fuzz_<t>.c).
FUZZ_SRCS_page_alloc := test/fuzz/fuzz_page_alloc.c $(MM_CORE) $(HOST_COMMON)
FUZZ_SRCS_dma := test/fuzz/fuzz_dma.c $(MM_CORE) $(SLAB) mm/pgtable.c mm/vmalloc.c mm/vmalloc_area.c \
	mm/vmalloc_report.c $(DMA_SRCS) $(HOST_COMMON)
FUZZ_SRCS_slab := test/fuzz/fuzz_slab.c $(MM_CORE) $(SLAB) test/host/mm_fixture.c $(HOST_COMMON)
FUZZ_SRCS_zram := test/fuzz/fuzz_zram.c $(MM_CORE) $(ZRAM_SRCS) test/host/mm_fixture.c $(HOST_COMMON)
FUZZ_LIBS_zram := -l:liblz4.a
FUZZ_SRCS_migrate := test/fuzz/fuzz_migrate.c $(MM_CORE) $(SLAB) $(FAULT_SRCS) mm/migrate.c mm/cma_migrate.c \
	mm/compaction.c mm/extfrag.c \
	test/host/mm_fixture.c test/host/user_fixture.c $(HOST_COMMON)
FUZZ_LIBS_migrate := -l:liblz4.a

.PHONY: fuzz-smoke fuzz-cov bench-doc

# The sources under test get libFuzzer's coverage instrumentation; the
# harness and its reference model do not (their compare tracing cost 10x).
$(FUZZ_DIR)/obj/%.o: FUZZ_COV := -fsanitize=fuzzer-no-link -fno-sanitize-coverage=trace-cmp
$(FUZZ_DIR)/obj/test/fuzz/%.o: FUZZ_COV :=
$(FUZZ_DIR)/obj/%.o: %.c $(GEN_HEADER) | deps
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(HOST_CC) $(FUZZ_CFLAGS) $(FUZZ_COV) -MMD -MP -c $< -o $@

# fuzz-smoke-<t>: one TAP line, ok with the number of runs, or not ok with
# the reproducer. Its own finds go to a scratch directory emptied each time
# (the seeds and $(FUZZ_DIR)/corpus/<t> are only read), so the run stays short.
define FUZZ_RULES
FUZZ_OBJS_$(1) := $$(patsubst %.c,$$(FUZZ_DIR)/obj/%.o,$$(FUZZ_SRCS_$(1)))
-include $$(FUZZ_OBJS_$(1):.o=.d)

$$(FUZZ_DIR)/fuzz_$(1): $$(FUZZ_OBJS_$(1))
	@echo "  FUZZLD  $$@"
	@$$(HOST_CC) $$(FUZZ_CFLAGS) -fsanitize=fuzzer $$^ $$(FUZZ_LIBS_$(1)) -o $$@

.PHONY: fuzz-$(1) fuzz-smoke-$(1)
fuzz-$(1): $$(FUZZ_DIR)/fuzz_$(1)
	@mkdir -p $$(FUZZ_DIR)/corpus/$(1) $$(FUZZ_DIR)/artifacts
	@echo "== fuzz: $(1) ($$(FUZZ_TIME) s; new inputs in $$(FUZZ_DIR)/corpus/$(1))"
	@{ $$(FUZZ_DIR)/fuzz_$(1) $$(FUZZ_RUN_OPTS) -max_total_time=$$(FUZZ_TIME) \
		$$(FUZZ_DIR)/corpus/$(1) test/fuzz/corpus/$(1) 2>&1; echo "exit $$$$?"; } | tee $$(FUZZ_DIR)/fuzz-$(1).log; \
	 tail -n 1 $$(FUZZ_DIR)/fuzz-$(1).log | grep -qx 'exit 0'

fuzz-smoke-$(1): $$(FUZZ_DIR)/fuzz_$(1)
	@rm -rf $$(FUZZ_DIR)/smoke-corpus-$(1)
	@mkdir -p $$(RESULTS) $$(FUZZ_DIR)/smoke-corpus-$(1) $$(FUZZ_DIR)/corpus/$(1) $$(FUZZ_DIR)/artifacts
	@echo "== fuzz: $(1) ($$(FUZZ_SMOKE_TIME) s)"
	@log=$$(FUZZ_DIR)/fuzz-smoke-$(1).log; tap=$$(RESULTS)/fuzz-$(1).tap; \
	 $$(FUZZ_DIR)/fuzz_$(1) $$(FUZZ_RUN_OPTS) -max_total_time=$$(FUZZ_SMOKE_TIME) $$(FUZZ_DIR)/smoke-corpus-$(1) \
		$$(FUZZ_DIR)/corpus/$(1) test/fuzz/corpus/$(1) > $$$$log 2>&1; s=$$$$?; \
	 runs=$$$$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' $$$$log); \
	 crash=$$$$(sed -n 's/.*Test unit written to \(.*\)/\1/p' $$$$log | tail -n 1); \
	 echo "TAP version 13" > $$$$tap; echo "1..1" >> $$$$tap; \
	 if [ $$$$s = 0 ] && [ -n "$$$$runs" ]; then echo "ok 1 - fuzz $(1): $$$$runs runs" >> $$$$tap; \
	 else echo "not ok 1 - fuzz $(1): $$$${crash:-no verdict} (log $$$$log)" >> $$$$tap; \
	      grep -E '^(fuzz_$(1):|==[0-9]+==ERROR|SUMMARY)' $$$$log | sed 's/^/# /' >> $$$$tap; fi; \
	 echo "exit $$$$s" >> $$$$tap; grep -E '^(ok|not ok)' $$$$tap | sed 's/^/   /'
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_RULES,$(t))))

# One target after the other (each gets FUZZ_TIME), then one line per target
# from its log $(FUZZ_DIR)/fuzz-<t>.log; fails if any target failed.
fuzz:
	@rc=0; for t in $(FUZZ_TARGETS); do $(MAKE) --no-print-directory fuzz-$$t || rc=1; done; \
	 echo "== fuzz: FUZZ_TIME=$(FUZZ_TIME) s per target"; \
	 for t in $(FUZZ_TARGETS); do log=$(FUZZ_DIR)/fuzz-$$t.log; \
		done_=$$(grep -E '^Done [0-9]+ runs' $$log | tail -n 1); \
		cov=$$(grep -oE 'DONE +cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' $$log | tail -n 1 | sed 's/DONE *//'); \
		crash=$$(sed -n 's/.*Test unit written to \(.*\)/\1/p' $$log | tail -n 1); \
		echo "   $$t: $${done_:-no result} $$cov$${crash:+ FAILED: $$crash}"; \
	 done; exit $$rc

fuzz-smoke: $(addprefix fuzz-smoke-,$(FUZZ_TARGETS))

# Source coverage of mm/ reached by the corpus (seeds + what make fuzz found):
# the harness rebuilt with clang's profile instrumentation, no sanitizers.
fuzz-cov: $(MM_CORE) $(HOST_COMMON) test/fuzz/fuzz_page_alloc.c $(GEN_HEADER) | deps
	@mkdir -p $(FUZZ_DIR)/cov $(FUZZ_DIR)/corpus/page_alloc
	@$(HOST_CC) -std=gnu11 -g -O1 -DPAGODA_HOST -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping \
		$(HOST_INC) test/fuzz/fuzz_page_alloc.c $(MM_CORE) $(HOST_COMMON) \
		-o $(FUZZ_DIR)/cov/fuzz_page_alloc
	@LLVM_PROFILE_FILE=$(FUZZ_DIR)/cov/page_alloc.profraw $(FUZZ_DIR)/cov/fuzz_page_alloc -close_fd_mask=1 -runs=0 \
		$(FUZZ_DIR)/corpus/page_alloc test/fuzz/corpus/page_alloc 2>&1 | grep -E 'INITED|^Done'
	@llvm-profdata merge -o $(FUZZ_DIR)/cov/page_alloc.profdata $(FUZZ_DIR)/cov/page_alloc.profraw
	@llvm-cov report $(FUZZ_DIR)/cov/fuzz_page_alloc -instr-profile=$(FUZZ_DIR)/cov/page_alloc.profdata $(MM_CORE)
	@echo "lines never run: llvm-cov show $(FUZZ_DIR)/cov/fuzz_page_alloc -instr-profile=$(FUZZ_DIR)/cov/page_alloc.profdata mm/page_alloc.c | grep '|      0|'"

$(BENCH_DIR)/bench_page_alloc: test/bench/bench_page_alloc.c $(MM_CORE) $(HOST_COMMON) kernel/mm_board.c $(GEN_HEADER) | deps
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@ (-O2)"
	@$(HOST_CC) $(BENCH_CFLAGS) $< $(HOST_COMMON) $(MM_CORE) kernel/mm_board.c -o $@
	@$(HOST_DEPS)

# The firmware runs test/target/bench_page_alloc.c when booted with "bench".
# The raw lines go to $(BENCH_DIR)/{host,target,size}.log; tools/bench_tables.py
# turns them into the tables of docs/measurements.md, printed and written to
# $(BENCH_DIR)/measurements-tables.md; `make bench-doc` copies them into the doc.
bench: $(BENCH_DIR)/bench_page_alloc $(BENCH_DIR)/bench_slab $(BENCH_DIR)/bench_zram $(ELF)
	@echo "== host: $(BENCH_DIR)/host.log"
	@{ $(BENCH_DIR)/bench_page_alloc && $(BENCH_DIR)/bench_slab && $(BENCH_DIR)/bench_zram; } > $(BENCH_DIR)/host.log
	@grep '^bench-zram:' $(BENCH_DIR)/host.log | sed 's/^/   /'
	@echo "== host: instructions per kmalloc+kfree under callgrind: $(BENCH_DIR)/slab-instr.log"
	@$(PY) tools/bench_slab_instr.py $(BENCH_DIR)/bench_slab > $(BENCH_DIR)/slab-instr.log
	@tail -1 $(BENCH_DIR)/slab-instr.log | sed 's/^/   /'
	@echo "== target: QEMU virt $(CPU) $(MEM), -icount shift=0,sleep=off (1 ns = 1 instruction): $(BENCH_DIR)/target.log"
	@$(QEMU) $(QEMU_ARGS) -icount shift=0,sleep=off -append bench > $(BENCH_DIR)/target.log 2>&1; \
	 grep -qE '^(bench|faultbench):' $(BENCH_DIR)/target.log || \
	 { echo "   no bench lines: is the 'bench' command-line hook in kernel/main.c? (log: $(BENCH_DIR)/target.log)"; exit 1; }
	@$(MAKE) --no-print-directory bench-swap
	@$(MAKE) --no-print-directory bench-linux
	@$(MAKE) --no-print-directory bench-arm
	@$(CROSS)size -A $(ELF) > $(BENCH_DIR)/size.log
	@echo "== tables for docs/measurements.md: $(BENCH_DIR)/measurements-tables.md"
	@$(PY) tools/bench_tables.py tables $(BENCH_DIR) > $(BENCH_DIR)/measurements-tables.md
	@cat $(BENCH_DIR)/measurements-tables.md

# Issue 11's swap benchmarks (test/target/bench_swap.c) on the machine of
# the Linux 6.1 figures; `make bench` runs it after its first boot.
.PHONY: bench-swap soak
bench-swap: override CPU := cortex-a53
bench-swap: override MEM := 256M
bench-swap: override GIC := 2
bench-swap: $(ELF)
	@mkdir -p $(BENCH_DIR)
	@echo "== target: swap, QEMU virt $(CPU) $(MEM), -icount shift=0,sleep=off: $(BENCH_DIR)/target-swap.log"
	@$(QEMU) $(QEMU_ARGS) -icount shift=0,sleep=off -append bench-swap > $(BENCH_DIR)/target-swap.log 2>&1; \
	 grep '^bench-swap:' $(BENCH_DIR)/target-swap.log | sed 's/^/   /'

# Issue 16's Linux workloads (apps/mmbench.c at EL0) on the machine of the
# Linux 6.1 figures, typed at the shell by tools/pagoda_console.py (which
# waits for each prompt); `make bench` runs it after bench-swap.
.PHONY: bench-linux
bench-linux: override CPU := cortex-a53
bench-linux: override MEM := 256M
bench-linux: override GIC := 2
bench-linux: $(ELF)
	@mkdir -p $(BENCH_DIR)
	@echo "== target: Linux workloads (mmbench), QEMU virt $(CPU) $(MEM), -icount shift=0,sleep=off: $(BENCH_DIR)/target-linux.log"
	@$(PY) tools/pagoda_console.py --elf $(ELF) --image $(O)/apps.img --script tools/bench-linux.script \
		-- -M virt,gic-version=$(GIC) -cpu $(CPU) -m $(MEM) -icount shift=0,sleep=off > $(BENCH_DIR)/target-linux.log 2>&1; \
	 grep '^mmbench:' $(BENCH_DIR)/target-linux.log | sed 's/^/   /'; grep -q '^mmbench: done' $(BENCH_DIR)/target-linux.log

# bench-arm (part of make bench): the ARMv7-A image (make ARCH=arm) under the
# same -icount, for the table next to AArch64's figures: the bench boot on
# cortex-a15 256M, and kmap's cost from the highmem suite on 1G (256 MiB
# HighMem) and on AArch64 with highmem=512M.
ARM_DIR := build/arm-qemu-virt-armv7a
BENCH_ICOUNT := -icount shift=0,sleep=off
bench-arm: $(ELF)
	@mkdir -p $(BENCH_DIR)
	@$(MAKE) --no-print-directory ARCH=arm all >/dev/null
	@echo "== target: ARMv7-A, QEMU virt cortex-a15 256M and 1G, $(BENCH_ICOUNT): $(BENCH_DIR)/target-arm*.log"
	@$(MAKE) --no-print-directory ARCH=arm CPU=cortex-a15 GIC=2 MEM=256M bench-boot \
		BENCH_APPEND=bench BENCH_LOG=$(abspath $(BENCH_DIR))/target-arm.log
	@grep -E '^bench: order-0 alloc.free GFP_KERNEL|^faultbench: (anon|zero)' $(BENCH_DIR)/target-arm.log | sed 's/^/   /'
	@$(MAKE) --no-print-directory ARCH=arm CPU=cortex-a15 GIC=2 MEM=1G bench-boot \
		BENCH_APPEND=ktest=highmem BENCH_LOG=$(abspath $(BENCH_DIR))/target-arm-highmem.log
	@$(MAKE) --no-print-directory MEM=1G bench-boot \
		BENCH_APPEND="highmem=512M ktest=highmem" BENCH_LOG=$(abspath $(BENCH_DIR))/target-highmem.log
	@grep -h 'kmap+kunmap' $(BENCH_DIR)/target-arm-highmem.log $(BENCH_DIR)/target-highmem.log | sed 's/^ *#/  /'

# one boot of the built image under -icount with BENCH_APPEND, its output in BENCH_LOG
bench-boot:
	@$(QEMU) $(QEMU_ARGS) $(BENCH_ICOUNT) -append "$(BENCH_APPEND)" > $(BENCH_LOG) 2>&1

# make soak (not in make test): 1 GiB of pages through zram with byte-exact
# verification on one QEMU machine (test/target/soak_swap.c), CPU/MEM/GIC
# as for make run; the last line is the verdict, "soak: PASS" or "soak: FAIL".
soak: $(ELF)
	@echo "== soak: QEMU virt $(CPU) $(MEM): $(O)/soak.log"
	@t0=$$(date +%s); $(QEMU) $(QEMU_ARGS) -append soak > $(O)/soak.log 2>&1; \
	 grep -E '^soak:' $(O)/soak.log | sed 's/^/   /'; echo "   ($$(( $$(date +%s) - t0 )) s)"; \
	 grep -q '^soak: PASS' $(O)/soak.log

# Replace the generated blocks of docs/measurements.md with the last `make bench`.
bench-doc:
	@$(PY) tools/bench_tables.py update $(BENCH_DIR) docs/measurements.md

# ---- fuzz_dma: the DMA API and swiotlb against a model (test/fuzz/fuzz_dma.c)
# Built and run by the fuzz rules above (FUZZ_SRCS_dma): make fuzz-dma,
# fuzz-smoke-dma -> $(RESULTS)/fuzz-dma.tap.

# ---- fuzz_slab and bench_slab ----------------------------------------------
# fuzz_slab: kmalloc/kfree/krealloc/ksize and kmem_cache_* against a model of
# live blocks (test/fuzz/fuzz_slab.c), built and run by the fuzz rules above
# (FUZZ_SRCS_slab): make fuzz-slab, fuzz-smoke-slab -> $(RESULTS)/fuzz-slab.tap.

# bench_slab: host ns/op of kmalloc/kfree (16..256 bytes) next to glibc
# malloc and mimalloc (libmimalloc-dev), and the per-class memory overhead.
$(BENCH_DIR)/bench_slab: test/bench/bench_slab.c $(MM_CORE) $(SLAB) $(HOST_COMMON) kernel/mm_board.c $(GEN_HEADER) | deps
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@ (-O2)"
	@$(HOST_CC) $(BENCH_CFLAGS) $< $(HOST_COMMON) $(MM_CORE) $(SLAB) kernel/mm_board.c -lmimalloc -o $@
	@$(HOST_DEPS)

# ---- bench_zram -------------------------------------------------------------
# zram_store+zram_load of the issue's semi-compressible page next to raw liblz4
# in the same process (target: within 1.1x), and the ratios over 32 MiB.
$(BENCH_DIR)/bench_zram: test/bench/bench_zram.c $(MM_CORE) $(ZRAM_SRCS) $(HOST_COMMON) kernel/mm_board.c $(GEN_HEADER) | deps
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@ (-O2)"
	@$(HOST_CC) $(BENCH_CFLAGS) $< $(HOST_COMMON) $(MM_CORE) $(ZRAM_SRCS) kernel/mm_board.c -l:liblz4.a -o $@
	@$(HOST_DEPS)
