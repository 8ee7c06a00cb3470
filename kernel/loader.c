/*
 * The app loader: an executable from the app image (ELF64 AArch64 or ELF32
 * ARM: the platform's arch/elf_app.h) becomes
 * VMAs of a new mm; nothing is read or allocated beyond the ELF header
 * page. Every page is faulted in later through the page cache (text and
 * data, major the first time, shared between instances) or as anonymous
 * zero-fill (bss, heap, stack).
 *
 *   PT_LOAD, file part    private file VMA at ALIGN_DOWN(p_vaddr), pgoff
 *                         p_offset / 4K, permissions from p_flags
 *   PT_LOAD, bss part     anonymous VMA from the page after the file part
 *                         to p_vaddr + p_memsz; the tail of the last file
 *                         page is zeroed through clear_user (a COW fault)
 *   heap                  brk starts at the page after the highest segment
 *   stack                 [stack] at USER_STACK_TOP, CONFIG_APP_STACK_KB,
 *                         with argc/argv as Linux lays them out
 *
 * Refused with -ENOEXEC and a message: a bad magic/class/machine/type, a
 * program header table outside the first page, a segment outside user
 * space, overlapping the stack area, writable and executable, or beyond
 * the file; an entry point outside an executable segment.
 */
#include <arch/elf_app.h>
#include <errno.h>
#include <kernel/task.h>
#include <mm/highmem.h>
#include <mm/filemap.h>
#include <mm/memory.h>
#include <mm/mmap.h>
#include <mm/page_alloc.h>
#include <mm/uaccess.h>
#include <stdio.h>
#include <string.h>
#include <uapi/pagoda/syscall.h>

#define USER_STACK_SIZE ((u64)CONFIG_APP_STACK_KB * 1024)
#define LOAD_LIMIT (USER_STACK_TOP - USER_STACK_SIZE - SZ_1G) /* programs live below */

static int bad(const struct address_space *as, const char *why)
{
	printf("loader: %s: not a valid program: %s\n", as->name, why);
	return -ENOEXEC;
}

static unsigned prot_of(u32 pf)
{
	return (pf & PF_R ? PROT_READ : 0) | (pf & PF_W ? PROT_WRITE : 0) | (pf & PF_X ? PROT_EXEC : 0);
}

static int check_header(const struct address_space *as, const arch_elf_ehdr *eh)
{
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return bad(as, "no ELF magic");
	if (eh->e_ident[EI_CLASS] != ARCH_ELF_CLASS || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != ARCH_ELF_MACHINE || eh->e_type != ET_EXEC)
		return bad(as, "not an " ARCH_ELF_NAME " static executable");
	if (eh->e_phentsize != sizeof(arch_elf_phdr) || !eh->e_phnum ||
	    eh->e_phoff > PAGE_SIZE || eh->e_phnum * sizeof(arch_elf_phdr) > PAGE_SIZE - eh->e_phoff)
		return bad(as, "program headers not within the first page");
	return 0;
}

static int check_segment(const struct address_space *as, const arch_elf_phdr *ph)
{
	u64 end = ph->p_vaddr + ph->p_memsz;

	if (end < ph->p_vaddr || ph->p_vaddr < USER_VA_START || end > LOAD_LIMIT)
		return bad(as, "segment outside the program area");
	if (ph->p_filesz > ph->p_memsz || ph->p_offset + ph->p_filesz < ph->p_offset ||
	    ph->p_offset + ph->p_filesz > as->size)
		return bad(as, "segment beyond the file");
	if ((ph->p_vaddr - ph->p_offset) % PAGE_SIZE)
		return bad(as, "segment offset and address not congruent modulo 4 KiB");
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return bad(as, "writable and executable segment");
	if (ph->p_memsz > ph->p_filesz && ph->p_filesz && !(ph->p_flags & PF_W))
		return bad(as, "bss in a read-only segment");
	return 0;
}

static int map_segment(struct mm_struct *mm, struct address_space *as, const arch_elf_phdr *ph)
{
	u64 start = ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE), file_end = ph->p_vaddr + ph->p_filesz;
	u64 mem_end = ph->p_vaddr + ph->p_memsz, bss = ph->p_filesz ? ALIGN_UP(file_end, PAGE_SIZE) : start;
	unsigned prot = prot_of(ph->p_flags);
	s64 r;

	if (ph->p_filesz) {
		r = do_mmap(mm, start, bss - start, prot, MAP_PRIVATE | MAP_FIXED, as,
			    ALIGN_DOWN(ph->p_offset, PAGE_SIZE), 0, NULL);
		if (r < 0)
			return (int)r;
	}
	if (ALIGN_UP(mem_end, PAGE_SIZE) > bss) {
		r = do_mmap(mm, bss, ALIGN_UP(mem_end, PAGE_SIZE) - bss, prot, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS,
			    NULL, 0, 0, NULL);
		if (r < 0)
			return (int)r;
	}
	/* bytes of the last file page past p_filesz belong to bss: zero them */
	if (ph->p_filesz && mem_end > file_end && file_end != bss)
		return clear_user(mm, file_end, MIN(bss, mem_end) - file_end);
	return 0;
}

int load_elf(struct mm_struct *mm, struct address_space *as, u64 *entry)
{
	const arch_elf_ehdr *eh;
	const arch_elf_phdr *ph;
	struct page *pg;
	bool major, entry_ok = false;
	u64 top = 0;
	int err = 0;

	if (as->size < sizeof(arch_elf_ehdr))
		return bad(as, "too small");
	pg = filemap_get_page(as, 0, &major, &err);
	if (!pg)
		return err ? err : -EIO;
	eh = kmap(pg); /* a page-cache page, maybe highmem; map_segment may sleep */
	err = check_header(as, eh);
	ph = (const arch_elf_phdr *)((const char *)eh + eh->e_phoff);
	for (unsigned i = 0; !err && i < eh->e_phnum; i++, ph++) {
		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		err = check_segment(as, ph);
		if (!err)
			err = map_segment(mm, as, ph);
		if (err)
			break;
		if ((ph->p_flags & PF_X) && eh->e_entry >= ph->p_vaddr && eh->e_entry < ph->p_vaddr + ph->p_memsz)
			entry_ok = true;
		if (ph->p_flags & PF_X) {
			mm->start_code = ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE);
			mm->end_code = ph->p_vaddr + ph->p_memsz;
		} else if (ph->p_flags & PF_W) {
			mm->start_data = ph->p_vaddr;
			mm->end_data = ph->p_vaddr + ph->p_filesz;
		}
		top = MAX(top, ph->p_vaddr + ph->p_memsz);
	}
	if (!err && !entry_ok)
		err = bad(as, "entry point outside an executable segment");
	if (!err) {
		*entry = eh->e_entry;
		mm->start_brk = mm->brk = ALIGN_UP(top, PAGE_SIZE);
	}
	kunmap(pg);
	put_user_page(pg);
	return err;
}

int setup_user_stack(struct mm_struct *mm, const char *name, const char *arg, u64 *spp)
{
	u64 top = USER_STACK_TOP, sp = top, argv[2];
	arch_user_word frame[6];
	unsigned argc = 0;
	s64 r;

	r = do_mmap(mm, top - USER_STACK_SIZE, USER_STACK_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, NULL, 0, VM_GROWSDOWN, "[stack]");
	if (r < 0)
		return (int)r;
	mm->start_stack = top;
	/* strings at the top, then argc, argv[], NULL, envp NULL, auxv AT_NULL */
	sp -= strlen(name) + 1;
	if (copy_to_user(mm, sp, name, strlen(name) + 1))
		return -EFAULT;
	argv[argc++] = sp;
	if (arg && *arg) {
		sp -= strlen(arg) + 1;
		if (copy_to_user(mm, sp, arg, strlen(arg) + 1))
			return -EFAULT;
		argv[argc++] = sp;
	}
	unsigned n = 0;
	frame[n++] = argc;
	for (unsigned i = 0; i < argc; i++)
		frame[n++] = (arch_user_word)argv[i];
	frame[n++] = 0; /* argv end */
	frame[n++] = 0; /* envp end */
	frame[n++] = 0; /* AT_NULL */
	sp = ALIGN_DOWN(sp - n * sizeof(frame[0]), 16);
	if (copy_to_user(mm, sp, frame, n * sizeof(frame[0])))
		return -EFAULT;
	mm->start_stack = sp;
	*spp = sp;
	return 0;
}
