/* The console (kernel/console.c): picolibc's stdio streams on the PL011. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>

/* Write n bytes as they are, "\n" becoming "\r\n" on the wire (the same
 * path as printf's output, without picolibc's stdio). */
void console_write(const char *s, size_t n);

#endif
