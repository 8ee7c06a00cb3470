/*
 * The app image on the flash (contract: include/kernel/appimg.h; format:
 * include/uapi/pagoda/appimg.h, built by tools/mkappimg.py).
 *
 *   flash bank 1 (drivers/pflash.c)
 *   +--------+-----------+....+--------+....+--------+....+---- ... --+
 *   | header | entry[n]  |    | file 0 |    | file 1 |    |  (padding)|
 *   +--------+-----------+....+--------+....+--------+....+---- ... --+
 *   0        64          ^ 4 KiB aligned file starts        total_size
 *
 * At boot the header and directory are read into pages of their own
 * (counted as Buffers in meminfo: block-device metadata) and checked:
 * magic, version, the directory's CRC32, every entry's name, alignment
 * and bounds, no duplicates or overlaps. Anything wrong: a message, zero
 * files, the firmware boots on. Each file gets an address_space named
 * "/apps/<name>", inode index+1, whose readpage copies that page of the
 * file from the flash (zero past the end of the file) and checks nothing;
 * the file's CRC32 over all its bytes is checked once, on its first open.
 *
 * The address_spaces live as long as the firmware: this module holds
 * their owner reference (refs starts at 1) and appimg_open() adds one per
 * caller.
 *
 * Locking: none (process context only; see include/mm/mm_types.h).
 */
#include <arch/layout.h>
#include <drivers/pflash.h>
#include <errno.h>
#include <kernel/appimg.h>
#include <mm/filemap.h>
#include <mm/page_alloc.h>
#include <mm/slab.h>
#include <mm/vmstat.h>
#include <stdio.h>
#include <string.h>

#define APPIMG_MAX_FILES 1024 /* 64 KiB of directory */
#define PATH_PREFIX "/apps/"

_Static_assert(sizeof(struct appimg_header) == 64, "appimg_header layout");
_Static_assert(sizeof(struct appimg_entry) == 64, "appimg_entry layout");

enum crc_state { CRC_UNCHECKED, CRC_OK, CRC_BAD };

struct appimg_file {
	const struct appimg_entry *e; /* in the directory pages */
	struct address_space as;
	enum crc_state crc;
	char path[sizeof(PATH_PREFIX) + APPIMG_NAME_MAX];
};

static struct {
	struct appimg_header hdr;
	void *dir;             /* header + directory, as on the flash */
	unsigned dir_order;
	struct appimg_file *files;
	unsigned count;
} img;

static u32 crc_table[256];

static void crc32_init(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

/* CRC32 (IEEE 802.3, as zlib.crc32): crc = crc32_update(0, ...) chained. */
static u32 crc32_update(u32 crc, const void *buf, size_t len)
{
	const u8 *p = buf;

	crc = ~crc;
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* page-cache readpage: page index of the file, zero past its end */
static int appimg_readpage(struct address_space *as, u64 index, void *dst)
{
	const struct appimg_file *f = as->host;
	u64 pos = index << PAGE_SHIFT, n;

	if (pos >= f->e->size)
		return -EIO;
	n = MIN((u64)PAGE_SIZE, f->e->size - pos);
	if (pflash_read(f->e->offset + pos, dst, n)) {
		printf("appimg: %s: flash read of page %llu failed\n", f->path, (unsigned long long)index);
		return -EIO;
	}
	memset((u8 *)dst + n, 0, PAGE_SIZE - n);
	return 0;
}

static const struct address_space_ops appimg_aops = { .readpage = appimg_readpage };

/* The reason entry i is unacceptable, or NULL. */
static const char *bad_entry(unsigned i, u64 dir_end)
{
	const struct appimg_entry *dir = (const void *)((u8 *)img.dir + sizeof(img.hdr)), *e = &dir[i];

	if (!memchr(e->name, 0, APPIMG_NAME_MAX))
		return "name not NUL-terminated";
	if (!e->name[0] || strchr(e->name, '/'))
		return "empty name or a '/' in it";
	if (!IS_ALIGNED(e->offset, PAGE_SIZE) || e->offset < dir_end)
		return "file offset not 4 KiB aligned or inside the directory";
	if (e->offset > img.hdr.total_size || e->size > img.hdr.total_size - e->offset)
		return "file beyond the image's end";
	if (e->flags & ~(u32)APPIMG_F_ELF)
		return "unknown flags";
	for (unsigned j = 0; j < i; j++) {
		if (!strcmp(dir[j].name, e->name))
			return "duplicate name";
		if (e->size && dir[j].size && e->offset < dir[j].offset + dir[j].size &&
		    dir[j].offset < e->offset + e->size)
			return "overlaps an earlier file";
	}
	return NULL;
}

static void drop_dir(void)
{
	put_free_pages(img.dir, img.dir_order);
	img.dir = NULL;
}

/* Read and check the header and the directory; 0 or -EINVAL/-ENOMEM. */
static int read_directory(void)
{
	struct appimg_header *h = &img.hdr;
	u64 flash = pflash_size(), dir_end;
	const char *why;

	if (pflash_read(0, h, sizeof(*h)))
		return -EINVAL;
	if (memcmp(h->magic, APPIMG_MAGIC, sizeof(h->magic))) {
		bool blank = true;

		for (unsigned i = 0; i < sizeof(h->magic); i++)
			blank &= h->magic[i] == 0 || (u8)h->magic[i] == 0xff;
		printf("appimg: %s: no apps\n", blank ? "flash bank 1 is blank (no -drive if=pflash,unit=1?)"
						      : "bad image: wrong magic");
		return -EINVAL;
	}
	if (h->version != APPIMG_VERSION) {
		printf("appimg: bad image: version %u, this firmware reads %u: no apps\n", (unsigned)h->version,
		       APPIMG_VERSION);
		return -EINVAL;
	}
	dir_end = sizeof(*h) + (u64)h->count * sizeof(struct appimg_entry);
	if (h->count > APPIMG_MAX_FILES || h->total_size < dir_end || h->total_size > flash) {
		printf("appimg: bad image: %u files, %llu bytes (flash %llu, at most %u files): no apps\n",
		       (unsigned)h->count, (unsigned long long)h->total_size, (unsigned long long)flash, APPIMG_MAX_FILES);
		return -EINVAL;
	}
	img.dir_order = get_order(dir_end);
	img.dir = get_free_pages(GFP_KERNEL, img.dir_order);
	if (!img.dir)
		return -ENOMEM;
	if (pflash_read(0, img.dir, dir_end)) {
		drop_dir();
		return -EINVAL;
	}
	if (crc32_update(0, (u8 *)img.dir + sizeof(*h), dir_end - sizeof(*h)) != h->dir_crc32) {
		printf("appimg: bad image: directory CRC32 mismatch: no apps\n");
		drop_dir();
		return -EINVAL;
	}
	for (unsigned i = 0; i < h->count; i++) {
		if ((why = bad_entry(i, dir_end))) {
			printf("appimg: bad image: entry %u: %s: no apps\n", i, why);
			drop_dir();
			return -EINVAL;
		}
	}
	return 0;
}

int appimg_init(const void *fdt)
{
	const struct appimg_entry *dir;
	unsigned n;
	int rc;

	crc32_init();
	img.count = 0;
	rc = pflash_init(fdt);
	if (rc) {
		printf("appimg: no flash: no apps\n");
		return rc;
	}
	rc = read_directory();
	if (rc)
		return rc;
	n = img.hdr.count;
	dir = (const void *)((u8 *)img.dir + sizeof(img.hdr));
	img.files = n ? kcalloc(n, sizeof(*img.files), GFP_KERNEL) : NULL;
	if (n && !img.files) {
		drop_dir();
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n; i++) {
		struct appimg_file *f = &img.files[i];

		f->e = &dir[i];
		snprintf(f->path, sizeof(f->path), PATH_PREFIX "%s", dir[i].name);
		rc = address_space_init(&f->as, f->path, dir[i].size, &appimg_aops, f, i + 1);
		if (rc) {
			while (i--)
				address_space_put(&img.files[i].as);
			kfree(img.files);
			img.files = NULL;
			drop_dir();
			printf("appimg: out of memory for the page cache of %u files: no apps\n", n);
			return rc;
		}
	}
	img.count = n;
	mod_vm_stat(NR_BUFFERS, 1LL << img.dir_order);
	printf("appimg: %u files, %llu KiB of %llu KiB flash, directory CRC ok\n", n,
	       (unsigned long long)(img.hdr.total_size >> 10), (unsigned long long)(pflash_size() >> 10));
	return 0;
}

/* Check f's CRC32 over the flash (once); 0 or -EIO/-ENOMEM. */
static int check_crc(struct appimg_file *f)
{
	void *buf;
	u32 crc = 0;

	if (f->crc != CRC_UNCHECKED)
		return f->crc == CRC_OK ? 0 : -EIO;
	buf = get_free_pages(GFP_KERNEL, 0);
	if (!buf)
		return -ENOMEM;
	for (u64 pos = 0; pos < f->e->size; pos += PAGE_SIZE) {
		u64 n = MIN((u64)PAGE_SIZE, f->e->size - pos);

		if (pflash_read(f->e->offset + pos, buf, n)) {
			put_free_pages(buf, 0);
			return -EIO; /* not recorded: a read error may pass */
		}
		crc = crc32_update(crc, buf, n);
	}
	put_free_pages(buf, 0);
	if (crc != f->e->crc32) {
		printf("appimg: %s: CRC32 %08x, the directory says %08x: refusing to open it\n", f->path, (unsigned)crc,
		       (unsigned)f->e->crc32);
		f->crc = CRC_BAD;
		return -EIO;
	}
	f->crc = CRC_OK;
	return 0;
}

struct address_space *appimg_open(const char *name, int *err)
{
	for (unsigned i = 0; i < img.count; i++) {
		struct appimg_file *f = &img.files[i];

		if (strncmp(f->e->name, name, APPIMG_NAME_MAX))
			continue;
		*err = check_crc(f);
		if (*err)
			return NULL;
		f->as.refs++;
		return &f->as;
	}
	*err = -ENOENT;
	return NULL;
}

unsigned appimg_count(void) { return img.count; }

const struct appimg_entry *appimg_entry(unsigned i) { return i < img.count ? img.files[i].e : NULL; }

void appimg_report(FILE *out)
{
	static const char *const crc_name[] = { "unchecked", "ok", "BAD" };
	struct pflash_stats st;

	pflash_get_stats(&st);
	fprintf(out, "App image: %u files, %llu of %llu bytes; flash reads %llu (%llu KiB)\n", img.count,
		(unsigned long long)(img.count ? img.hdr.total_size : 0), (unsigned long long)pflash_size(),
		(unsigned long long)st.reads, (unsigned long long)(st.bytes >> 10));
	if (!img.count)
		return;
	fprintf(out, "  %-20s %10s %-5s %-9s %8s %6s\n", "name", "size", "flags", "crc32", "cached", "pages");
	for (unsigned i = 0; i < img.count; i++) {
		const struct appimg_file *f = &img.files[i];

		fprintf(out, "  %-20s %10llu %-5s %-9s %8llu %6llu\n", f->e->name, (unsigned long long)f->e->size,
			f->e->flags & APPIMG_F_ELF ? "elf" : "data", crc_name[f->crc],
			(unsigned long long)f->as.nrpages, (unsigned long long)f->as.nr_slots);
	}
}
