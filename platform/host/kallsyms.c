/* Host builds have no image symbol table: reports print raw addresses. */
#include <lib/kallsyms.h>

const struct ksym_table kallsyms_image;
