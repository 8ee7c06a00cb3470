# EL0 apps and the app image (included from the top-level Makefile).
#
#   $(O)/apps/<name>.elf   each apps/<name>.c linked with apps/lib/, its
#                          architecture's part apps/lib/arch/$(ARCH)/ and the C
#                          library (picolibc on arm64, newlib on arm)
#                          at 0x400000 by apps/lib/arch/$(ARCH)/app.lds (text r-x, rodata r--,
#                          data+bss rw-: separate page-aligned PT_LOADs)
#   $(O)/apps/blob         a generated data file (BLOB_SIZE bytes) for file faults
#   $(O)/apps.img          tools/mkappimg.py's image of all of them, padded to
#                          the 64 MiB of QEMU virt's flash bank 1
#
# The apps use the C library as ordinary programs (builtins on, no
# -ffreestanding), with apps/lib/arch/$(ARCH)'s crt0 instead of the library's
# (picolibc's would write EL1 registers; newlib's expects semihosting).

APPS := demo heapgrow sharer stackrec wildptr faultwl sysfuzz faultbench cowtest wxdeny jit orphans mlockfail fpstress memverify swapbench thrash leaky sparse churn procread mmbench
APP_DIR := $(O)/apps
APP_IMG := $(O)/apps.img
APP_ELFS := $(patsubst %,$(APP_DIR)/%.elf,$(APPS))
APP_ARCH_DIR := apps/lib/arch/$(ARCH)
APP_LDS := $(APP_ARCH_DIR)/app.lds
APP_LIB_SRCS := apps/lib/sys.c $(sort $(wildcard $(APP_ARCH_DIR)/*.c))
APP_LIB_OBJS := $(patsubst apps/lib/%.c,$(APP_DIR)/lib/%.o,$(APP_LIB_SRCS))
BLOB_SIZE := 1048576

APP_CFLAGS := $(ARCH_APP_CFLAGS) -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-fno-common -fno-pie \
	-fstack-protector-strong -ffunction-sections -fdata-sections \
	-DBLOB_SIZE=$(BLOB_SIZE)UL -Iinclude/uapi -Iapps/lib -I$(APP_ARCH_DIR) -MMD -MP
# --fatal-warnings: an RWX segment (or any other link warning) fails the build
APP_LDFLAGS := $(ARCH_APP_LDFLAGS) -T $(APP_LDS) -Wl,--gc-sections -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack -Wl,--fatal-warnings

$(APP_DIR)/%.o: apps/%.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(TGT_CC) $(APP_CFLAGS) -c $< -o $@

# every app links the lib's objects (not an archive: our sbrk must win over the C library's)
$(APP_DIR)/%.elf: $(APP_DIR)/%.o $(APP_LIB_OBJS) $(APP_LDS)
	@echo "  LD      $@"
	@$(TGT_CC) $(APP_LDFLAGS) -Wl,-Map,$(APP_DIR)/$*.map $< $(APP_LIB_OBJS) -o $@

$(APP_DIR)/blob: apps/mkblob.py apps/apps.mk
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@$(PY) apps/mkblob.py $(BLOB_SIZE) $@

$(APP_IMG): $(APP_ELFS) $(APP_DIR)/blob tools/mkappimg.py
	@echo "  IMG     $@"
	@$(PY) tools/mkappimg.py -o $@ $(foreach a,$(APPS),--elf $(a)=$(APP_DIR)/$(a).elf) \
		--file blob=$(APP_DIR)/blob

# objects are not intermediates to delete
.SECONDARY: $(APP_LIB_OBJS) $(APP_ELFS:.elf=.o)

.PHONY: apps
apps: $(APP_IMG)
all run debug boottime bench bench-swap soak test-procps snapshot plots: $(APP_IMG)

-include $(APP_DIR)/*.d $(APP_DIR)/lib/*.d $(APP_DIR)/lib/arch/$(ARCH)/*.d
