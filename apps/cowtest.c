/*
 * cowtest: copy-on-write and zero-page copies give the right contents.
 *
 *   1. a private file mapping of "blob": read a page (page cache), write it
 *      (COW: a private copy), check the copy has the write and the rest of
 *      the file's bytes, and that a second mapping of the file still shows
 *      the original (the page cache is untouched);
 *   2. anonymous memory: read (the zero page), then write: the new page
 *      holds the write and zeros elsewhere;
 *   3. initialised data (the ELF's private data segment): write a global,
 *      read it back, the neighbouring bytes unchanged.
 *
 * Prints "cowtest: ok" and exits 0, or "cowtest: FAIL ..." and exits 1.
 */
#include "sys.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define PAGES 4

static char data_page[PAGE_SIZE] __attribute__((aligned(4096))) = "cowtest initialised data";

static int fail(const char *what)
{
	printf("cowtest: FAIL %s\n", what);
	return 1;
}

static bool page_header_ok(const char *p, unsigned page)
{
	char want[32];

	snprintf(want, sizeof(want), "blob page %u", page);
	return !strcmp(p, want);
}

int main(void)
{
	char *a, *b, *z, saved[64];
	int fd;

	fd = open_image("blob");
	if (fd < 0)
		return fail("open_image(\"blob\")");
	a = mmap(NULL, PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	b = mmap(NULL, PAGES * PAGE_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	if (a == MAP_FAILED || b == MAP_FAILED)
		return fail("mmap of blob");
	for (unsigned i = 0; i < PAGES; i++)
		if (!page_header_ok(a + i * PAGE_SIZE, i) || !page_header_ok(b + i * PAGE_SIZE, i))
			return fail("blob pages read back wrong");
	memcpy(saved, a + PAGE_SIZE + 100, sizeof(saved));
	strcpy(a + PAGE_SIZE, "written by cowtest");
	if (strcmp(a + PAGE_SIZE, "written by cowtest") || memcmp(a + PAGE_SIZE + 100, saved, sizeof(saved)))
		return fail("private copy of a file page");
	if (!page_header_ok(b + PAGE_SIZE, 1) || memcmp(b + PAGE_SIZE + 100, saved, sizeof(saved)))
		return fail("the write reached the page cache");
	if (!page_header_ok(a, 0) || !page_header_ok(a + 2 * PAGE_SIZE, 2))
		return fail("neighbouring file pages changed");
	printf("cowtest: file page copied on write, the page cache unchanged\n");

	z = mmap(NULL, PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (z == MAP_FAILED)
		return fail("anonymous mmap");
	for (unsigned i = 0; i < PAGES * PAGE_SIZE; i += 512)
		if (z[i])
			return fail("anonymous memory reads non-zero");
	z[PAGE_SIZE + 8] = 0x5a;
	for (unsigned i = PAGE_SIZE; i < 2 * PAGE_SIZE; i++)
		if (z[i] != (i == PAGE_SIZE + 8 ? 0x5a : 0))
			return fail("zero page copied on write");
	if (z[0] || z[2 * PAGE_SIZE])
		return fail("other zero pages changed");
	printf("cowtest: zero page copied on write\n");

	if (strcmp(data_page, "cowtest initialised data"))
		return fail("initialised data");
	data_page[0] = 'C';
	if (strcmp(data_page, "Cowtest initialised data") || data_page[PAGE_SIZE - 1])
		return fail("write to initialised data");
	printf("cowtest: data segment copied on write\n");

	munmap(a, PAGES * PAGE_SIZE);
	munmap(b, PAGES * PAGE_SIZE);
	munmap(z, PAGES * PAGE_SIZE);
	printf("cowtest: ok\n");
	return 0;
}
