/* The apps' ELF flavour on AArch64 (kernel/loader.c): ELF64, EM_AARCH64,
 * 8-byte words on the initial stack. */
#ifndef ARCH_ELF_APP_H
#define ARCH_ELF_APP_H

#include <elf.h>
#include <types.h>

#define ARCH_ELF_CLASS ELFCLASS64
#define ARCH_ELF_MACHINE EM_AARCH64
#define ARCH_ELF_NAME "ELF64 AArch64"
typedef Elf64_Ehdr arch_elf_ehdr;
typedef Elf64_Phdr arch_elf_phdr;
typedef u64 arch_user_word; /* argc, argv[] and envp slots */

#endif
