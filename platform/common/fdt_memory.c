/*
 * RAM discovery from the flattened device tree with libfdt. The DTB is
 * the only source of RAM size (board.cfg only sets policy):
 *   - every node with device_type = "memory": its "reg" (address, size)
 *     pairs, decoded with the root's #address-cells/#size-cells;
 *   - the DTB header's memory reservation block;
 *   - /reserved-memory children with "reg" (their own cells);
 *   - the DTB blob itself and the firmware image.
 */
#include <arch/layout.h>
#include <errno.h>
#include <kernel/bootmem.h>
#include <libfdt.h>
#include <mm/memblock.h>
#include <stdio.h>
#include <string.h>

extern char _text[], _end[];

static u64 read_cells(const fdt32_t *p, int cells)
{
	u64 v = 0;

	for (int i = 0; i < cells; i++)
		v = (v << 32) | fdt32_to_cpu(p[i]);
	return v;
}

static int cells_of(const void *fdt, int node, const char *name, int dflt)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	return p && len == 4 ? (int)fdt32_to_cpu(*p) : dflt;
}

/* Apply fn to each (base, size) of node's reg property. */
static int for_each_reg(const void *fdt, int node, int ac, int sc, const char *name,
			int (*fn)(phys_addr_t, u64, const char *))
{
	int len, rc;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg)
		return 0;
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2 || len % ((ac + sc) * 4)) {
		printf("fdt: %s: malformed reg property (%d bytes, #address-cells=%d #size-cells=%d)\n", name,
		       len, ac, sc);
		return -EINVAL;
	}
	for (int i = 0; i < len / 4; i += ac + sc) {
		u64 base = read_cells(reg + i, ac), size = read_cells(reg + i + ac, sc);

		if (size && (rc = fn(base, size, name)))
			return rc;
	}
	return 0;
}

static int add_ram(phys_addr_t base, u64 size, const char *name)
{
	(void)name;
	return memblock_add(base, size);
}

static int reserve(phys_addr_t base, u64 size, const char *name)
{
	return memblock_reserve(base, size, name);
}

/* See include/kernel/bootmem.h. */
int fdt_node_reg(const void *fdt, int node, int index, u64 *addr, u64 *size)
{
	return fdt_node_reg_in(fdt, fdt_parent_offset(fdt, node), node, index, addr, size);
}

/* See include/kernel/bootmem.h. */
int fdt_node_reg_in(const void *fdt, int parent, int node, int index, u64 *addr, u64 *size)
{
	int ac = cells_of(fdt, parent, "#address-cells", 2), sc = cells_of(fdt, parent, "#size-cells", 1);
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (parent < 0 || !reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 || len < (index + 1) * (ac + sc) * 4)
		return -ENOENT;
	reg += index * (ac + sc);
	*addr = read_cells(reg, ac);
	*size = read_cells(reg + ac, sc);
	return 0;
}

/* See include/kernel/bootmem.h. */
int fdt_ram_base(const void *fdt, phys_addr_t *base)
{
	int node, found = -ENODEV;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		u64 addr, size;

		if (!type || strcmp(type, "memory"))
			continue;
		for (int i = 0; !fdt_node_reg_in(fdt, 0, node, i, &addr, &size); i++)
			if (size && (found || addr < *base)) {
				*base = addr;
				found = 0;
			}
	}
	return found;
}

int fdt_memory_scan(const void *fdt, phys_addr_t dtb_pa)
{
	int ac = cells_of(fdt, 0, "#address-cells", 2), sc = cells_of(fdt, 0, "#size-cells", 1);
	int node, rc;

	memblock_reset();
	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		if (type && !strcmp(type, "memory") &&
		    (rc = for_each_reg(fdt, node, ac, sc, fdt_get_name(fdt, node, NULL), add_ram)))
			return rc;
	}
	if (!memblock.memory.cnt) {
		printf("fdt: no /memory node describes RAM\n");
		return -ENODEV;
	}
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		u64 base, size;

		if (!fdt_get_mem_rsv(fdt, i, &base, &size) && size)
			memblock_reserve(base, size, "memreserve");
	}
	node = fdt_path_offset(fdt, "/reserved-memory");
	if (node >= 0) {
		int rac = cells_of(fdt, node, "#address-cells", ac), rsc = cells_of(fdt, node, "#size-cells", sc);
		int child;

		fdt_for_each_subnode(child, fdt, node)
			if ((rc = for_each_reg(fdt, child, rac, rsc, fdt_get_name(fdt, child, NULL), reserve)))
				return rc;
	}
	memblock_reserve(dtb_pa, ALIGN_UP((u64)fdt_totalsize(fdt), SZ_4K), "device tree");
	memblock_reserve(KERNEL_PHYS, (u64)(_end - _text), "kernel image");
	if (!memblock_is_memory(KERNEL_PHYS, (u64)(_end - _text))) {
		printf("fdt: the firmware image at %#llx is not inside RAM described by the DTB\n",
		       (unsigned long long)KERNEL_PHYS);
		return -EINVAL;
	}
	return 0;
}
