/* Deliberate crashes for testing the crash reports ("crash=<kind>" on the command line). */
#ifndef KERNEL_CRASHTEST_H
#define KERNEL_CRASHTEST_H

/* If the command line asks for a crash, cause it; returns only if it does not. */
void crashtest_maybe(const char *bootargs);

#endif
