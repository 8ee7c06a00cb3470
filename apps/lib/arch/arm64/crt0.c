/*
 * crt0 of the EL0 apps. The kernel enters _start at e_entry with SP
 * 16-byte aligned and pointing at Linux's initial stack:
 *
 *   SP ->  argc
 *          argv[0] .. argv[argc-1], NULL
 *          envp: NULL
 *          (the strings, above)
 *
 * .bss is already zero (the kernel maps it zero-filled), so nothing is
 * cleared here. We set up the thread-local block (picolibc's errno),
 * the stack-protector guard, run constructors, call main and exit with
 * its status (exit() runs the destructors: stdio.c flushes there).
 * Nothing here touches an EL1 register: tpidr_el0 is EL0-writable.
 */
#include "sys.h"

#include <stdlib.h>

extern char __app_tls[];
void _init_tls(void *tls);
void _set_tls(void *tls);
void __libc_init_array(void);
int main(int argc, char **argv);

uintptr_t __stack_chk_guard;

__attribute__((noreturn)) void __stack_chk_fail(void)
{
	static const char msg[] = "*** stack smashing detected ***: terminated\n";

	sys_write(2, msg, sizeof(msg) - 1);
	sys_exit(127);
}

__attribute__((noreturn, used, no_stack_protector)) static void app_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	_init_tls(__app_tls);
	_set_tls(__app_tls);
	/* no entropy source at EL0: mix the initial SP into a canary with a NUL byte */
	__stack_chk_guard = (0x5aa5c33c00ffe15aULL ^ ((uintptr_t)sp << 13)) & ~0xffULL;
	__libc_init_array();
	exit(main(argc, argv));
}

__asm__(".section .text.crt0, \"ax\"\n"
	".global _start\n"
	".type _start, %function\n"
	"_start:\n"
	"	mov	x29, #0\n"
	"	mov	x30, #0\n"
	"	mov	x0, sp\n"
	"	bl	app_start\n"
	"	udf	#0\n"
	".size _start, . - _start\n"
	".previous\n");
