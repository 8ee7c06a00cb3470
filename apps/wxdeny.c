/*
 * wxdeny: the W^X policy seen from EL0. Every way of asking for a mapping
 * that is writable and executable at once must fail with -EACCES and
 * change nothing:
 *   mmap(PROT_READ|PROT_WRITE|PROT_EXEC) (anonymous, shared, fixed over a
 *   mapping), mprotect of its own text to RWX (adding W to an executable
 *   mapping), mprotect of a RW buffer to RWX (adding X to a writable one).
 * Then it checks that nothing changed: the buffer still reads back and
 * takes writes, the text still runs (this program), and RW <-> R+X
 * switches (what a JIT does) work.
 *
 * Prints "wxdeny: ok" and exits 0, or one line per failed check and
 * exits 1.
 */
#include "sys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)

extern char __executable_start[]; /* app.lds: the first text page */

static int failures;

static void expect(const char *what, long got, long want)
{
	if (got == want)
		return;
	printf("wxdeny: %s returned %ld, expected %ld\n", what, got, want);
	failures++;
}

int main(void)
{
	char *buf = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (buf == MAP_FAILED) {
		printf("wxdeny: cannot map its buffer\n");
		return 1;
	}
	strcpy(buf, "before");
	expect("mmap(RWX, private anonymous)", sys_mmap(NULL, PAGE_SIZE, RWX, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
	       -EACCES);
	expect("mmap(WX, private anonymous)",
	       sys_mmap(NULL, PAGE_SIZE, PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -EACCES);
	expect("mmap(RWX, shared anonymous)", sys_mmap(NULL, PAGE_SIZE, RWX, MAP_SHARED | MAP_ANONYMOUS, -1, 0),
	       -EACCES);
	expect("mmap(RWX, MAP_FIXED over the buffer)",
	       sys_mmap(buf, PAGE_SIZE, RWX, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), -EACCES);
	expect("mprotect(text, RWX)", sys_mprotect(__executable_start, PAGE_SIZE, RWX), -EACCES);
	expect("mprotect(buffer, RWX)", sys_mprotect(buf, 2 * PAGE_SIZE, RWX), -EACCES);
	expect("mprotect(buffer, WX)", sys_mprotect(buf, PAGE_SIZE, PROT_WRITE | PROT_EXEC), -EACCES);

	/* nothing changed: the buffer keeps its contents and takes writes */
	expect("buffer contents kept", strcmp(buf, "before"), 0);
	strcpy(buf + PAGE_SIZE, "after");
	expect("buffer writable", strcmp(buf + PAGE_SIZE, "after"), 0);
	/* what is allowed: RW -> R+X -> RW, and the text R+X again */
	expect("mprotect(buffer, R+X)", sys_mprotect(buf, PAGE_SIZE, PROT_READ | PROT_EXEC), 0);
	expect("mprotect(buffer, RW)", sys_mprotect(buf, PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	buf[0] = 'B';
	expect("mprotect(text, R+X)", sys_mprotect(__executable_start, PAGE_SIZE, PROT_READ | PROT_EXEC), 0);
	expect("munmap(buffer)", sys_munmap(buf, 2 * PAGE_SIZE), 0);
	if (failures)
		return 1;
	printf("wxdeny: ok\n");
	return 0;
}
