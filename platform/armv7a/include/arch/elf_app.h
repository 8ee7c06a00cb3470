/* The apps' ELF flavour on ARMv7-A (kernel/loader.c): ELF32, EM_ARM
 * (Thumb entry points have bit 0 set), 4-byte words on the initial stack. */
#ifndef ARCH_ELF_APP_H
#define ARCH_ELF_APP_H

#include <elf.h>
#include <types.h>

#define ARCH_ELF_CLASS ELFCLASS32
#define ARCH_ELF_MACHINE EM_ARM
#define ARCH_ELF_NAME "ELF32 ARM"
typedef Elf32_Ehdr arch_elf_ehdr;
typedef Elf32_Phdr arch_elf_phdr;
typedef u32 arch_user_word; /* argc, argv[] and envp slots */

#endif
