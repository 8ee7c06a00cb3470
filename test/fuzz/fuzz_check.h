/*
 * CHECK(cond, fmt, ...) for the fuzz harnesses: when cond is false, print
 * "<FUZZ_NAME>: file:line: check failed: cond: <message>" (the Makefile's
 * fuzz-smoke greps that prefix into the TAP file) and trap, so libFuzzer
 * saves the input. Define FUZZ_NAME ("fuzz_dma", ...) before including.
 */
#ifndef TEST_FUZZ_CHECK_H
#define TEST_FUZZ_CHECK_H

#include <stdio.h>

#define CHECK(cond, ...)                                                         \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, FUZZ_NAME ": %s:%d: check failed: %s: ", \
				__FILE__, __LINE__, #cond);                      \
			fprintf(stderr, __VA_ARGS__);                            \
			fprintf(stderr, "\n");                                   \
			__builtin_trap();                                        \
		}                                                                \
	} while (0)

#endif
