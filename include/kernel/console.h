/* The console (kernel/console.c): picolibc's stdio streams on the PL011. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>

/* Write n bytes as they are, "\n" becoming "\r\n" on the wire (the same
 * path as printf's output, without picolibc's stdio). */
void console_write(const char *s, size_t n);

/* Bytes of recent console output the console keeps (kernel/console.c). */
#define CONSOLE_RING_SIZE (16 * 1024)
/* Copy the last (at most n) bytes written to the console into buf, oldest
 * first; returns how many. Any context (the panic path uses it). */
size_t console_ring_tail(char *buf, size_t n);

#endif
