# AArch64 (ARMv8-A): make ARCH=arm64, the default. Included by the Makefile.
#
# Toolchain: Debian's aarch64-linux-gnu-gcc with picolibc; the kernel never
# touches FP/SIMD (-mgeneral-regs-only) except through kernel_neon_begin().
ARCH_BOARD := board.cfg
ARCH_BUILD_PREFIX :=
CROSS ?= aarch64-linux-gnu-
# the C library binding: kernel/libc/picolibc
ARCH_LIBC := picolibc
ARCH_CFLAGS := --specs=picolibc.specs -mgeneral-regs-only -march=armv8-a -mno-omit-leaf-frame-pointer
ARCH_ASFLAGS :=
ARCH_LDFLAGS := --specs=picolibc.specs -nostartfiles -static -no-pie -DPICOLIBC_INTEGER_PRINTF_SCANF
ARCH_LIBS := /usr/lib/aarch64-linux-gnu/libfdt.a /usr/lib/aarch64-linux-gnu/liblz4.a
ARCH_LIB_DEPS :=
ARCH_APP_CFLAGS := --specs=picolibc.specs -mgeneral-regs-only -march=armv8-a
ARCH_APP_LDFLAGS := --specs=picolibc.specs -nostartfiles -static -no-pie -DPICOLIBC_INTEGER_PRINTF_SCANF
ARCH_TARGET_SKIP :=
ARCH_PTR_BYTES := 8
# QEMU machine defaults for make run (qemu-system-aarch64: tools/qemu_common.py reads the ELF)
MEM ?= 512M
CPU ?= cortex-a72
GIC ?= 3
