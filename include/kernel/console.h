/* The console (kernel/console.c): picolibc's stdio streams on the PL011. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Write n bytes as they are, "\n" becoming "\r\n" on the wire (the same
 * path as printf's output, without picolibc's stdio). */
void console_write(const char *s, size_t n);
/* Terminal control bytes (the line editor's echo), sent as they are and
 * kept out of the console log. */
void console_echo(const char *s, size_t n);

/* Bytes of recent console output the console keeps (kernel/console.c). */
#define CONSOLE_RING_SIZE (16 * 1024)
/* Bytes of the console's first output (the boot log) kept for dmesg. */
#define CONSOLE_BOOTLOG_SIZE (32 * 1024)
/* Copy the last (at most n) bytes written to the console into buf, oldest
 * first; returns how many. Any context (the panic path uses it). */
size_t console_ring_tail(char *buf, size_t n);
/* dmesg: the boot log, a "[... N bytes ... not kept ...]" line if output
 * was lost in between, then the recent output. Task context. */
void show_dmesg(FILE *f);

#define CONSOLE_INTR 0x03 /* ^C */
/* Take input by interrupt from the UART at CONFIG_UART_BASE (its INTID from
 * fdt). 0, -ENOENT (no such UART or no interrupt in the DTB) or the IRQ
 * layer's error; input stays polled then. Boot, after irq_init. */
int console_input_init(const void *fdt);
/* The next input byte; sleeps until there is one. Task context. */
int console_getc(void);
/* A command starts (on) or ends: while on, ^C is not input but sets the
 * interrupt flag (and kills the foreground app, if any). Clears the flag
 * and the foreground app either way. */
void console_set_busy(bool on);
/* The running command's foreground app (0: none): ^C kills it with
 * SIGKILL, at once if ^C already came. */
void console_set_foreground(int pid);
/* Whether ^C was typed since console_set_busy(true, ...). */
bool console_interrupted(void);

#endif
