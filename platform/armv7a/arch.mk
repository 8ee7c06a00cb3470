# ARMv7-A with LPAE (Cortex-A15/A7, ARMv7VE): make ARCH=arm. Included by the Makefile.
#
# Toolchain: Debian's arm-none-eabi-gcc with newlib, its multilib
# thumb/v7ve+simd/hard (Thumb-2, hard-float ABI, so that it links with
# Debian's armhf liblz4.a and libfdt.a); the kernel itself is built
# -mgeneral-regs-only and never touches VFP/NEON. liblz4.a comes from the
# installed liblz4-dev:armhf; libfdt-dev:armhf cannot be installed next to
# libfdt-dev:arm64, so tools/deps.sh extracts Debian's package into
# $(ARMHF_DIR) (headers: the arch-independent ones in /usr/include, searched
# after newlib's as the AArch64 build searches them after picolibc's).
ARCH_BOARD := boards/qemu-virt-armv7a.cfg
ARCH_BUILD_PREFIX := arm-
CROSS ?= arm-none-eabi-
# the C library binding: kernel/libc/newlib
ARCH_LIBC := newlib
ARCH_MFLAGS := -mthumb -march=armv7ve+simd -mfloat-abi=hard
ARMHF_DIR := build/armhf
# Enums are 32 bits as in the armhf (Linux EABI) libraries, not the bare-metal
# ABI's variable size; newlib is built with the latter, but no enum crosses
# its interface we use (printf and friends), hence --no-enum-size-warning.
# -funwind-tables: the EHABI tables backtraces follow (Thumb-2 has no frame chain)
ARCH_CFLAGS := $(ARCH_MFLAGS) -mgeneral-regs-only -fno-short-enums -funwind-tables -idirafter /usr/include
ARCH_ASFLAGS := $(ARCH_MFLAGS)
ARCH_LDFLAGS := $(ARCH_MFLAGS) -nostartfiles -static -no-pie -Wl,--no-enum-size-warning
ARCH_LIBS := $(ARMHF_DIR)/usr/lib/arm-linux-gnueabihf/libfdt.a /usr/lib/arm-linux-gnueabihf/liblz4.a -lc -lgcc
ARCH_LIB_DEPS := $(ARMHF_DIR)/usr/lib/arm-linux-gnueabihf/libfdt.a
# the apps (apps/apps.mk, apps/lib/arch/arm): USR-mode Thumb-2 with newlib;
# 32-bit enums as the kernel's, since <pagoda/*.h> structures cross the ABI
ARCH_APP_CFLAGS := $(ARCH_MFLAGS) -mgeneral-regs-only -fno-short-enums
ARCH_APP_LDFLAGS := $(ARCH_MFLAGS) -nostartfiles -static -no-pie -Wl,--no-enum-size-warning
# on-target suites this platform cannot run (none)
ARCH_TARGET_SKIP :=
ARCH_PTR_BYTES := 4
# QEMU machine defaults for make run (qemu-system-arm: tools/qemu_common.py reads the ELF)
MEM ?= 1G
CPU ?= cortex-a15
GIC ?= 2

$(ARMHF_DIR)/usr/lib/arm-linux-gnueabihf/libfdt.a: tools/deps.sh
	@sh tools/deps.sh libfdt-armhf $(ARMHF_DIR)
