/*
 * kallsyms: the image's own symbol table, so that reports print
 * "[<ffff000040081234>] do_fault+0x34/0x1a0" as Linux does instead of a
 * bare address (crash backtraces, slab debug call sites, leak reports).
 *
 * tools/kallsyms.py generates kallsyms_image from the linked ELF (the
 * Makefile links three times so that the table describes the image that
 * holds it); host builds link platform/host/kallsyms.c, an empty table.
 * Functions and data objects, sorted by address, one per address:
 *
 *   kallsyms_image: base | count | names_size | offs | sizes | name_offs | names
 *   symbol i: [base + offs[i], base + offs[i] + sizes[i]), named names + name_offs[i]
 *
 * Lookups take no lock: the table is read-only data.
 */
#ifndef LIB_KALLSYMS_H
#define LIB_KALLSYMS_H

#include <types.h>

struct ksym_table {
	u64 base;
	u32 count;
	u32 names_size;
	const u32 *offs;      /* sorted, from base */
	const u32 *sizes;
	const u32 *name_offs; /* into names */
	const char *names;
};

/* One symbol: its name (in the table), start address and size in bytes. */
struct ksym {
	const char *name;
	uintptr_t start;
	size_t size;
};

/* The image's table (tools/kallsyms.py). */
extern const struct ksym_table kallsyms_image;

/* Enough for "name+0x1c/0x80" with any name the table holds. */
#define KSYM_BUF 128

/* Find the symbol of table t that contains addr: true and *sym filled in,
 * false when addr is in no symbol (before the first, after the last, in a
 * gap between two). */
bool ksym_table_lookup(const struct ksym_table *t, uintptr_t addr, struct ksym *sym);

/* Write "name+0x1c/0x80" (offset/size in hex, as Linux's %pS) for addr
 * into buf, or "0x<addr>" when t has no symbol there; returns buf. */
const char *ksym_table_sprint(const struct ksym_table *t, uintptr_t addr, char *buf, size_t n);

/* ksym_table_lookup and ksym_table_sprint on the image's own table. */
bool kallsyms_lookup(uintptr_t addr, struct ksym *sym);
const char *sprint_symbol(uintptr_t addr, char *buf, size_t n);

#endif
