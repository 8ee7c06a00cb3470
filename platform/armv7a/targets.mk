# make ARCH=arm targets (included by the Makefile after the kernel's rules).
#
# make ARCH=arm boot-smoke: the ARMv7-A boot path alone (start.S, vectors,
# crash report, expected faults, PSCI/semihosting, newlib's system layer)
# linked with test/armv7a/boot_smoke.c instead of the kernel, booted on
# qemu-system-arm -M virt -cpu cortex-a15 -m 256M twice (clean exit, and
# bootarg "crash": the Oops report); test/armv7a/boot_smoke.py checks the
# lines and prints TAP.
SMOKE_ELF := $(O)/boot-smoke.elf
SMOKE_SRCS := platform/armv7a/start.S platform/armv7a/vectors.S platform/armv7a/fault_catch.S \
	platform/armv7a/exception.c platform/armv7a/fsr.c platform/common/psci.c platform/armv7a/cpu.c \
	platform/armv7a/stackguard.c platform/armv7a/newlib.c platform/armv7a/unwind.c test/armv7a/boot_smoke.c
SMOKE_OBJS := $(patsubst %,$(O)/target/%.o,$(SMOKE_SRCS))

$(SMOKE_ELF): $(SMOKE_OBJS) $(O)/kernel.ld $(ARCH_LIB_DEPS)
	@echo "  LD      $@"
	@$(TGT_CC) $(TGT_LDFLAGS) -T $(O)/kernel.ld $(SMOKE_OBJS) $(TGT_LIBS) -o $@

.PHONY: boot-smoke
boot-smoke: $(SMOKE_ELF) | deps
	@mkdir -p $(RESULTS)
	@$(PY) test/armv7a/boot_smoke.py $(SMOKE_ELF) $(RESULTS)/arm-boot-smoke.log > $(RESULTS)/arm-boot-smoke.tap; s=$$?; \
	 cat $(RESULTS)/arm-boot-smoke.tap; exit $$s

-include $(SMOKE_OBJS:.o=.d)
