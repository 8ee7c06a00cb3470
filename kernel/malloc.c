/*
 * picolibc's malloc family inside the firmware, routed to kmalloc (libfdt
 * and LZ4 allocate through them). malloc() promises alignment for any
 * type (16 bytes on AArch64), so requests below 16 bytes use kmalloc-16.
 */
#include <errno.h>
#include <mm/slab.h>
#include <stdlib.h>
#include <string.h>

#define MALLOC_MIN 16

void *malloc(size_t size)
{
	void *p = kmalloc(MAX(size, (size_t)MALLOC_MIN), GFP_KERNEL);

	if (!p)
		errno = ENOMEM;
	return p;
}

void free(void *p) { kfree(p); }

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > (size_t)-1 / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = kzalloc(MAX(n * size, (size_t)MALLOC_MIN), GFP_KERNEL);
	if (!p)
		errno = ENOMEM;
	return p;
}

void *realloc(void *p, size_t size)
{
	void *n;

	if (!p)
		return malloc(size);
	if (!size) {
		kfree(p);
		return NULL;
	}
	n = krealloc(p, MAX(size, (size_t)MALLOC_MIN), GFP_KERNEL);
	if (!n)
		errno = ENOMEM;
	return n;
}
