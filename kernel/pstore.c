/*
 * pstore records: the format of include/kernel/pstore.h, over any buffer
 * (the board's RAM region on target, malloc'd memory in host tests).
 * The CRC covers the header as it reads once complete (magic set, crc 0).
 */
#include <arch/crc32c.h>
#include <errno.h>
#include <kernel/pstore.h>
#include <string.h>

static u32 record_crc(const struct pstore_header *h)
{
	struct pstore_header copy = *h;

	copy.magic = PSTORE_MAGIC; /* written last, after the CRC */
	copy.crc = 0;
	return arch_crc32c(arch_crc32c(0, &copy, sizeof(copy)), h + 1, h->len);
}

static int reject(struct pstore *ps, int err, const char *why)
{
	ps->valid = false;
	ps->resets = 0;
	ps->why = why;
	return err;
}

int pstore_attach(struct pstore *ps, void *base, size_t size)
{
	struct pstore_header h;

	ps->base = base;
	ps->size = size;
	if (size < sizeof(h))
		return reject(ps, -EINVAL, "region smaller than a record header");
	memcpy(&h, base, sizeof(h));
	if (h.magic != PSTORE_MAGIC)
		return reject(ps, -ENOENT, "bad magic");
	if (h.version != PSTORE_VERSION || h.header_size != sizeof(h))
		return reject(ps, -EPROTO, "unknown version or header size");
	if (h.region_size != size || h.len > size - sizeof(h))
		return reject(ps, -EOVERFLOW, "length past the region");
	if (record_crc(base) != h.crc)
		return reject(ps, -EBADMSG, "bad CRC");
	ps->valid = true;
	ps->resets = h.resets;
	ps->why = NULL;
	return 0;
}

int pstore_write(struct pstore *ps, const char *reason, const char *log, size_t len)
{
	struct pstore_header *h = ps->base;
	size_t room;

	if (ps->size < sizeof(*h))
		return -EINVAL;
	room = ps->size - sizeof(*h);
	if (len > room) { /* keep the end: the panic report is there */
		log += len - room;
		len = room;
	}
	/* the magic last: a reset in the middle leaves no record rather than a wrong one */
	h->magic = 0;
	memcpy(h + 1, log, len);
	h->version = PSTORE_VERSION;
	h->header_size = sizeof(*h);
	h->region_size = (u32)ps->size;
	h->len = (u32)len;
	h->resets = ps->resets + 1;
	memset(h->reason, 0, sizeof(h->reason));
	strncpy(h->reason, reason, sizeof(h->reason) - 1);
	h->crc = record_crc(h);
	h->magic = PSTORE_MAGIC;
	ps->resets = h->resets;
	ps->valid = true;
	ps->why = NULL;
	return (int)len;
}

int pstore_show(const struct pstore *ps, FILE *f)
{
	const struct pstore_header *h = ps->base;

	if (!ps->valid) {
		fprintf(f, "pstore: no valid record (%s)\n", ps->why ? ps->why : "cleared");
		return -ENOENT;
	}
	fprintf(f, "==> /sys/fs/pstore/console-ramoops-0 <== %s (reset #%u), %u bytes\n", h->reason,
		(unsigned)h->resets, (unsigned)h->len);
	fwrite(h + 1, 1, h->len, f);
	if (h->len && ((const char *)(h + 1))[h->len - 1] != '\n')
		fputc('\n', f);
	fprintf(f, "==> end of /sys/fs/pstore/console-ramoops-0 <==\n");
	return 0;
}

void pstore_clear(struct pstore *ps)
{
	if (ps->size >= sizeof(struct pstore_header))
		memset(ps->base, 0, sizeof(struct pstore_header));
	ps->valid = false;
	ps->resets = 0;
	ps->why = "cleared";
}

const char *pstore_reason_of(const char *panic_msg)
{
	return strncmp(panic_msg, "Out of memory", 13) ? "Kernel panic" : "Out of memory panic";
}
