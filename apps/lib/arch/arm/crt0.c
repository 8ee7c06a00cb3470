/*
 * crt0 of the apps on ARM (ARMv7-A, USR mode, Thumb-2, newlib). The
 * kernel enters _start at e_entry (bit 0: Thumb) with SP 16-byte aligned
 * and pointing at Linux's initial stack, in 32-bit words:
 *
 *   SP ->  argc
 *          argv[0] .. argv[argc-1], NULL
 *          envp: NULL
 *          (the strings, above)
 *
 * .bss is already zero (the kernel maps it zero-filled). newlib keeps
 * errno in its reentrancy structure, so there is no TLS to set up. We set
 * the stack-protector guard, give stdout and stderr static line buffers
 * (as apps/lib/arch/arm64/stdio.c has: newlib would malloc them, so the
 * heap would not start empty, which sysfuzz's brk calls and the heap
 * figures of demo/heapgrow assume), run constructors, register the
 * destructors, call main and exit with its status (newlib's exit flushes
 * stdio).
 */
#include "sys.h"

#include <stdio.h>
#include <stdlib.h>

void __libc_init_array(void);
void __libc_fini_array(void);
int main(int argc, char **argv);

uintptr_t __stack_chk_guard;

__attribute__((noreturn)) void __stack_chk_fail(void)
{
	static const char msg[] = "*** stack smashing detected ***: terminated\n";

	sys_write(2, msg, sizeof(msg) - 1);
	sys_exit(127);
}

/* newlib's __libc_init_array calls _init first, __libc_fini_array _fini
 * last (crti.o's, which -nostartfiles leaves out): nothing to do. */
void _init(void) {}
void _fini(void) {}

__attribute__((noreturn, used, no_stack_protector)) static void app_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	/* no entropy source in USR mode: mix the initial SP into a canary with a NUL byte */
	__stack_chk_guard = (0xc33c5a00u ^ ((uintptr_t)sp << 7)) & ~0xffu;
	static char out_buf[256], err_buf[256];

	setvbuf(stdout, out_buf, _IOLBF, sizeof(out_buf));
	setvbuf(stderr, err_buf, _IOLBF, sizeof(err_buf));
	__libc_init_array();
	atexit(__libc_fini_array);
	exit(main(argc, argv));
}

__asm__(".section .text.crt0, \"ax\"\n"
	".syntax unified\n"
	".thumb\n"
	".global _start\n"
	".type _start, %function\n"
	".thumb_func\n"
	"_start:\n"
	"	mov	r0, sp\n"
	"	movs	r7, #0\n"
	"	mov	lr, r7\n"
	"	bl	app_start\n"
	"	udf	#0\n"
	".size _start, . - _start\n"
	".previous\n");
