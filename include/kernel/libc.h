/*
 * The C library binding (kernel/libc/<libc>/, chosen by the platform's
 * arch.mk: picolibc on AArch64, newlib on ARMv7-A): what the kernel needs
 * from stdio beyond the standard calls, and the library's start-up.
 */
#ifndef KERNEL_LIBC_H
#define KERNEL_LIBC_H

#include <stdio.h>

/* Set the C library up for the kernel (picolibc: its TLS block; newlib:
 * unbuffered stdout/stderr). Boot, first thing. */
void libc_init(void);
/* Once kmalloc works: take what the library keeps from its first use on
 * (newlib: the FILE slots of funopen streams), so that it is not counted
 * against the first test that opens a stream. picolibc: nothing. */
void libc_init_late(void);
/* A write-only FILE whose bytes go to put(c, cookie) in order (returns c,
 * or EOF to drop the rest): the library's own mechanism (picolibc
 * FDEV_SETUP_STREAM, newlib funopen). Its memory is kmalloc'd: NULL when
 * that fails. Task context. */
FILE *stream_open(int (*put)(char c, void *cookie), void *cookie);
/* Flush the stream's bytes to put and free it. */
void stream_close(FILE *f);

#endif
