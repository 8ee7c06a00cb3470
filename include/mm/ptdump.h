/* Printing translation tables as merged ranges (kernel_page_tables style). */
#ifndef MM_PTDUMP_H
#define MM_PTDUMP_H

#include <mm/pgtable.h>

struct ptdump_marker {
	u64 va;
	const char *name;
};

/* Dump [start, last] of pt; markers (sorted by va, ending with {0, NULL})
 * print "---[ name ]---" lines as the walk passes them. */
void ptdump(const struct pgtable *pt, u64 start, u64 last, const struct ptdump_marker *markers);
/* Format attrs as e.g. "RW NX USR MEM/NORMAL" into buf. */
void ptdump_attrs(unsigned attrs, char *buf, size_t len);

#endif
