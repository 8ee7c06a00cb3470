/*
 * wildptr KIND [ADDR]: one wild access that the kernel must catch, kill
 * the app for, and report (the kernel itself staying intact):
 *
 *   null          read address 0
 *   unmapped      write to an address nothing maps
 *   kernel-read   read a kernel address (the firmware image, TTBR1)
 *   kernel-write  write it
 *   text-write    write to its own text
 *   exec-data     jump into a data buffer (execute-never)
 *   other ADDR    read ADDR (hex): e.g. an address valid in another app
 *   ro-write      mprotect a page read-only, then write it
 *
 * If the access does not kill it, it prints "SURVIVED" and exits 3.
 */
#include "arch_app.h"
#include "sys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KERNEL_ADDR APP_KERNEL_ADDR /* arch_app.h: the firmware image */
#define UNMAPPED_ADDR 0x200000UL /* above the NULL guard, below the text: no VMA */

/* A RET instruction in a writable, execute-never buffer. */
static uint32_t data_code[4] = { APP_RET_INSN, 0, 0, 0 };

/* What text-write overwrites: a function of its own, never called. */
__attribute__((noinline, used)) void wildptr_text_target(void) { __asm__ volatile("nop"); }

static void survived(const char *kind, unsigned long v)
{
	printf("wildptr: %s: SURVIVED (value %#lx)\n", kind, v);
	exit(3);
}

int main(int argc, char **argv)
{
	char *tok[2] = { "", NULL };
	const char *kind;
	const char *addr_s;
	volatile unsigned long *p;
	unsigned long v = 0;

	app_args(argc, argv, tok, 2);
	kind = tok[0];
	addr_s = tok[1];
	printf("wildptr: pid %d, access \"%s\"\n", getpid(), kind);

	if (!strcmp(kind, "null")) {
		p = (volatile unsigned long *)0;
		v = *p;
	} else if (!strcmp(kind, "unmapped")) {
		p = (volatile unsigned long *)UNMAPPED_ADDR;
		*p = 0x1234;
	} else if (!strcmp(kind, "kernel-read")) {
		p = (volatile unsigned long *)KERNEL_ADDR;
		v = *p;
	} else if (!strcmp(kind, "kernel-write")) {
		p = (volatile unsigned long *)KERNEL_ADDR;
		*p = 0x1234;
	} else if (!strcmp(kind, "text-write")) {
		p = (volatile unsigned long *)(uintptr_t)&wildptr_text_target;
		*p = APP_TRAP_WORD; /* trapping instructions */
	} else if (!strcmp(kind, "exec-data")) {
		void (*fn)(void) = (void (*)(void))(uintptr_t)data_code;

		fn();
	} else if (!strcmp(kind, "other")) {
		if (!addr_s) {
			printf("wildptr: other needs an address (hex)\n");
			return 2;
		}
		p = (volatile unsigned long *)strtoul(addr_s, NULL, 16);
		printf("wildptr: reading %p\n", (void *)p);
		v = *p;
	} else if (!strcmp(kind, "ro-write")) {
		char *page = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (page == MAP_FAILED) {
			printf("wildptr: mmap failed\n");
			return 2;
		}
		page[0] = 1;
		if (mprotect(page, PAGE_SIZE, PROT_READ)) {
			printf("wildptr: mprotect failed\n");
			return 2;
		}
		p = (volatile unsigned long *)page;
		*p = 0x1234;
	} else {
		printf("wildptr: usage: wildptr null|unmapped|kernel-read|kernel-write|text-write|"
		       "exec-data|other ADDR|ro-write\n");
		return 2;
	}
	survived(kind, v);
}
