/*
 * zram: pages compressed with LZ4 into a zpool (include/mm/zram.h).
 *
 * Each slot is 16 bytes in one table (page allocator pages):
 *
 *   +-----------------------------+--------+--------+--------+
 *   | value (SAME) or handle|csum | size   | flags  | pad    |
 *   | 8 bytes                     | 2      | 2      | 4      |
 *   +-----------------------------+--------+--------+--------+
 *
 *  - empty: flags 0;
 *  - same-filled (every 64-bit word equal, the zero page among them):
 *    ZRAM_SAME, the word in value, no memory;
 *  - compressed: ZRAM_ALLOC, a zpool handle, the LZ4 size, and the CRC32C
 *    of the stored bytes;
 *  - huge: ZRAM_ALLOC | ZRAM_HUGE, the raw page (size PAGE_SIZE) and its
 *    CRC32C. A page whose LZ4 form would not be smaller than
 *    ZRAM_HUGE_THRESHOLD (3/4 of a page) is kept raw: above that, the
 *    object store saves little (a 3,072-byte object still costs 3/4 of a
 *    page) while every load would pay a decompression. LZ4 is told that
 *    bound as its output capacity, so it gives up early on such pages.
 *
 * Integrity: the checksum covers the bytes in the object store and is
 * verified on every load before LZ4 sees them; a mismatch prints
 * "zram: checksum mismatch at slot N ...", counts, and returns -EIO
 * without writing the caller's buffer. The checksum is CRC32C computed
 * with the CPU's CRC instructions behind the arch contract
 * (platform/aarch64/include/arch/crc32c.h: AArch64 CRC32CX, x86-64 SSE4.2 crc32; a table
 * in C where the CPU has none). A CRC catches every error burst of up to
 * 32 bits, so any flipped byte of an object; the XXH32 it replaced only
 * made that likely (2^-32 misses). It is ~1.5x faster than XXH32 on the
 * host and ~0.2 instructions per byte on AArch64 (docs/zram.md).
 *
 * Compression state: LZ4_compress_fast_extState_fastReset() on a state
 * that was initialised once (LZ4_initStream at create) skips the 16 KiB
 * clearing that LZ4_compress_default() does on every call. The state and
 * the output buffer are one per CPU; with one CPU today the device holds
 * one and uses it under its lock.
 *
 * Locking: z->lock (spinlock, IRQs masked) protects the slot table, the
 * counters and the compression state; it is held for a whole store or
 * load (compression included), and the zpool's lock nests inside it
 * (z->lock -> pool->lock). Loads and stores of one device are therefore
 * serialised; several CPUs would take turns, never see a half-written slot.
 */
#define LZ4_STATIC_LINKING_ONLY
#include <arch/crc32c.h>
#include <generated/board.h>
#include <lib/errno.h>
#include <lib/panic.h>
#include <lib/spinlock.h>
#include <lz4.h>
#include <mm/page_alloc.h>
#include <mm/zpool.h>
#include <mm/memalloc.h>
#include <mm/zram.h>
#include <string.h>

#define ZRAM_SAME 0x1u
#define ZRAM_ALLOC 0x2u
#define ZRAM_HUGE 0x4u

#define STREAM_ORDER 3 /* output buffer (8 KiB: LZ4_compressBound(4096) = 4,112) + LZ4 state (16,416 bytes) */
#define STREAM_OUT (2 * PAGE_SIZE)

struct zram_slot {
	union {
		u64 value;
		struct {
			zhandle_t handle;
			u32 csum;
		};
	};
	u16 size;
	u16 flags;
	u32 pad;
};
_Static_assert(sizeof(struct zram_slot) == 16, "zram slot layout");

struct zram {
	spinlock_t lock;
	u64 nr_slots;
	unsigned table_order;
	struct zram_slot *slots;
	struct zpool *pool;
	u8 *stream;   /* [0, PAGE_SIZE): LZ4 output; then the LZ4 state */
	void *lz4;
	struct zram_stats st; /* mem_used_total/pages_compacted are read from the pool */
};

/* The checksum every stored object carries (see above). */
/*
 * The object checksum: CRC32C in three interleaved lanes. One CRC stream
 * is bound by the instruction's latency (3 cycles per 8 bytes on x86-64
 * and Cortex-A72) while the CPU can start one every cycle, so the object
 * is cut in three equal runs of 16-byte blocks whose CRCs advance together,
 * the tail going to lane 0; the lanes are then folded together with
 * rotations. Any change confined to one lane (every flipped byte, any
 * burst up to 32 bits) changes the result for certain, as a plain CRC32C
 * would; CPUs without CRC instructions use the plain table CRC32C.
 */
static u32 zram_csum_fold(const u32 c[3]) { return ~c[0] ^ ((c[1] << 11) | (c[1] >> 21)) ^ ((c[2] << 22) | (c[2] >> 10)); }

static u32 zram_csum(const void *p, size_t len)
{
	size_t lane = len / 48 * 16;
	u32 c[3] = { ~0u, ~0u, ~0u };

	if (!arch_has_crc32())
		return arch_crc32c(0, p, len);
	arch_crc32c_3lanes(c, p, lane);
	c[0] = ~arch_crc32c(~c[0], (const u8 *)p + 3 * lane, len - 3 * lane);
	return zram_csum_fold(c);
}

static bool same_filled(const void *page, u64 *value)
{
	const u64 *w = page;
	u64 v = w[0];

	for (unsigned i = 1; i < PAGE_SIZE / 8; i++)
		if (w[i] != v)
			return false;
	*value = v;
	return true;
}

static void mem_used_locked(struct zram *z, u64 *now) { *now = zpool_pages_used(z->pool) * PAGE_SIZE; }

int zram_create(struct zram **out, u64 size_bytes, u64 limit_bytes, gfp_t gfp)
{
	u64 nr = size_bytes / PAGE_SIZE, used;
	unsigned order;
	struct zram *z;

	if (!nr || nr > (1ULL << 30) / PAGE_SIZE)
		return -EINVAL;
	BUG_ON(STREAM_OUT < LZ4_COMPRESSBOUND(PAGE_SIZE) || STREAM_OUT + (u64)LZ4_sizeofState() > (PAGE_SIZE << STREAM_ORDER));
	order = get_order(nr * sizeof(struct zram_slot));
	z = get_free_pages(gfp | __GFP_ZERO, get_order(sizeof(*z)));
	if (!z)
		return -ENOMEM;
	z->lock = (spinlock_t)SPINLOCK_INIT;
	z->nr_slots = nr;
	z->table_order = order;
	z->slots = get_free_pages(gfp | __GFP_ZERO, order);
	z->pool = zpool_create(gfp);
	z->stream = get_free_pages(gfp, STREAM_ORDER);
	if (!z->slots || !z->pool || !z->stream) {
		if (z->slots)
			put_free_pages(z->slots, order);
		if (z->pool)
			zpool_destroy(z->pool);
		if (z->stream)
			put_free_pages(z->stream, STREAM_ORDER);
		put_free_pages(z, get_order(sizeof(*z)));
		return -ENOMEM;
	}
	z->lz4 = LZ4_initStream(z->stream + STREAM_OUT, (PAGE_SIZE << STREAM_ORDER) - STREAM_OUT);
	BUG_ON(!z->lz4);
	z->st.mem_limit = limit_bytes / PAGE_SIZE * PAGE_SIZE;
	zpool_set_limit(z->pool, limit_bytes / PAGE_SIZE);
	mem_used_locked(z, &used);
	if (limit_bytes && z->st.mem_limit < used) { /* below the store's own pages */
		zram_destroy(z);
		return -EINVAL;
	}
	*out = z;
	return 0;
}

int zram_set_mem_limit(struct zram *z, u64 bytes)
{
	unsigned long f;

	if (bytes > (1ull << 40))
		return -EINVAL;
	bytes = ALIGN_UP(bytes, PAGE_SIZE);
	f = spin_lock_irqsave(&z->lock);
	z->st.mem_limit = bytes;
	zpool_set_limit(z->pool, bytes / PAGE_SIZE);
	spin_unlock_irqrestore(&z->lock, f);
	return 0;
}

int zram_create_board(struct zram **out, gfp_t gfp)
{
	return zram_create(out, (u64)CONFIG_ZRAM_SIZE_MB << 20, (u64)CONFIG_ZRAM_MEM_LIMIT_MB << 20, gfp);
}

void zram_destroy(struct zram *z)
{
	zpool_destroy(z->pool);
	put_free_pages(z->slots, z->table_order);
	put_free_pages(z->stream, STREAM_ORDER);
	put_free_pages(z, get_order(sizeof(*z)));
}

u64 zram_nr_slots(struct zram *z) { return z->nr_slots; }

/* Empty slot s, giving its object back. */
/* The slot's record, or NULL (counted as invalid I/O) if slot is out of range. z->lock held. */
static struct zram_slot *slot_locked(struct zram *z, u64 slot)
{
	if (slot < z->nr_slots)
		return &z->slots[slot];
	z->st.invalid_io++;
	return NULL;
}

static void slot_free_locked(struct zram *z, struct zram_slot *s)
{
	if (!s->flags)
		return;
	if (s->flags & ZRAM_SAME) {
		z->st.same_pages--;
	} else {
		zpool_free(z->pool, s->handle);
		z->st.compr_data_size -= s->size;
		if (s->flags & ZRAM_HUGE)
			z->st.huge_pages--;
	}
	z->st.pages_stored--;
	memset(s, 0, sizeof(*s));
}

int zram_store(struct zram *z, u64 slot, const void *page, gfp_t gfp)
{
	struct zram_slot n = { 0 }, *s;
	const void *src = page;
	zhandle_t h;
	u64 value, used;
	int len, err;
	unsigned long f = spin_lock_irqsave(&z->lock);

	s = slot_locked(z, slot);
	if (!s) {
		err = -EINVAL;
		goto out;
	}
	if (same_filled(page, &value)) {
		slot_free_locked(z, s);
		s->value = value;
		s->flags = ZRAM_SAME;
		z->st.same_pages++;
		z->st.pages_stored++;
		err = 0;
		goto out;
	}
	/* no page for the object even from the reserve: fail before the
	 * compression rather than after it (reclaim tries again once it has
	 * freed a page) */
	if (!zpool_reserve(z->pool, gfp)) {
		z->st.failed_writes++;
		err = -ENOMEM;
		goto out;
	}
	/* a capacity of LZ4_compressBound() selects LZ4's unchecked-output
	 * loop (~2,000 instructions a page cheaper than a limited capacity);
	 * an output at or over the threshold is stored raw instead */
	len = LZ4_compress_fast_extState_fastReset(z->lz4, page, (char *)z->stream, PAGE_SIZE, STREAM_OUT, 1);
	if (len >= ZRAM_HUGE_THRESHOLD)
		len = 0;
	if (len > 0) {
		src = z->stream;
		n.flags = ZRAM_ALLOC;
	} else {
		len = PAGE_SIZE;
		n.flags = ZRAM_ALLOC | ZRAM_HUGE;
	}
	err = zpool_alloc(z->pool, (size_t)len, gfp, &h);
	if (err) {
		z->st.failed_writes++;
		goto out;
	}
	zpool_write(z->pool, h, src, (size_t)len);
	n.handle = h;
	n.csum = zram_csum(src, (size_t)len);
	n.size = (u16)len;
	slot_free_locked(z, s);
	*s = n;
	z->st.pages_stored++;
	z->st.compr_data_size += (u64)len;
	if (n.flags & ZRAM_HUGE) {
		z->st.huge_pages++;
		z->st.huge_pages_since++;
	}
out:
	if (!err) {
		mem_used_locked(z, &used);
		z->st.mem_used_max = MAX(z->st.mem_used_max, used);
	}
	spin_unlock_irqrestore(&z->lock, f);
	return err;
}

int zram_load(struct zram *z, u64 slot, void *buf)
{
	struct zram_slot *s;
	const u8 *obj;
	u32 csum;
	int err = 0;
	unsigned long f = spin_lock_irqsave(&z->lock);

	s = slot_locked(z, slot);
	if (!s) {
		err = -EINVAL;
		goto out;
	}
	if (!s->flags) {
		err = -ENOENT;
		goto out;
	}
	if (s->flags & ZRAM_SAME) {
		u64 *w = buf;

		for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
			w[i] = s->value;
		goto out;
	}
	obj = zpool_map(z->pool, s->handle, ZPOOL_MM_RO);
	csum = zram_csum(obj, s->size);
	if (csum != s->csum) {
		zpool_unmap(z->pool, s->handle);
		z->st.checksum_failures++;
		z->st.failed_reads++;
		printf("zram: checksum mismatch at slot %llu (%s object of %u bytes: stored crc32c %08x, "
		       "computed %08x); page not loaded\n",
		       (unsigned long long)slot, s->flags & ZRAM_HUGE ? "raw" : "lz4", s->size, s->csum,
		       csum);
		err = -EIO;
		goto out;
	}
	if (s->flags & ZRAM_HUGE) {
		memcpy(buf, obj, PAGE_SIZE);
	} else if (LZ4_decompress_safe((const char *)obj, buf, s->size, PAGE_SIZE) != PAGE_SIZE) {
		/* only reachable if the checksum collided with a corruption */
		z->st.failed_reads++;
		printf("zram: LZ4 could not decode slot %llu (%u bytes)\n", (unsigned long long)slot,
		       s->size);
		err = -EIO;
	}
	zpool_unmap(z->pool, s->handle);
out:
	spin_unlock_irqrestore(&z->lock, f);
	return err;
}

void zram_free(struct zram *z, u64 slot)
{
	unsigned long f = spin_lock_irqsave(&z->lock);
	struct zram_slot *s = slot_locked(z, slot);

	if (s && s->flags) {
		slot_free_locked(z, s);
		z->st.notify_free++;
	}
	spin_unlock_irqrestore(&z->lock, f);
}

u64 zram_compactable(struct zram *z) { return zpool_compactable(z->pool); }

bool zram_nearly_full(const struct zram *z) { return zpool_nearly_full(z->pool); }

u64 zram_pages_used(const struct zram *z) { return zpool_pages_used(z->pool); }

u64 zram_compact(struct zram *z)
{
	/* the pages compaction moves objects into must not come from reclaim:
	 * reclaim would store into this device, whose lock is held here */
	unsigned saved = memalloc_save();
	unsigned long f = spin_lock_irqsave(&z->lock);
	u64 n = zpool_compact(z->pool);

	spin_unlock_irqrestore(&z->lock, f);
	memalloc_restore(saved);
	return n;
}

void zram_get_stats(struct zram *z, struct zram_stats *st)
{
	struct zpool_stats ps;
	unsigned long f = spin_lock_irqsave(&z->lock);

	zpool_get_stats(z->pool, &ps);
	*st = z->st;
	st->mem_used_total = ps.pages_used * PAGE_SIZE;
	st->pages_compacted = ps.pages_compacted;
	spin_unlock_irqrestore(&z->lock, f);
}

void zram_show_mm_stat(struct zram *z, FILE *f)
{
	struct zram_stats st;

	zram_get_stats(z, &st);
	fprintf(f, "%8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu\n",
		(unsigned long long)(st.pages_stored * PAGE_SIZE), (unsigned long long)st.compr_data_size,
		(unsigned long long)st.mem_used_total, (unsigned long long)st.mem_limit,
		(unsigned long long)st.mem_used_max, (unsigned long long)st.same_pages,
		(unsigned long long)st.pages_compacted, (unsigned long long)st.huge_pages,
		(unsigned long long)st.huge_pages_since);
}

void zram_show_io_stat(struct zram *z, FILE *f)
{
	struct zram_stats st;

	zram_get_stats(z, &st);
	fprintf(f, "%8llu %8llu %8llu %8llu\n", (unsigned long long)st.failed_reads,
		(unsigned long long)st.failed_writes, (unsigned long long)st.invalid_io,
		(unsigned long long)st.notify_free);
}

int zram_test_corrupt(struct zram *z, u64 slot, unsigned off)
{
	struct zram_slot *s;
	u8 *obj;
	int err = -ENOENT;
	unsigned long f = spin_lock_irqsave(&z->lock);

	if (slot < z->nr_slots && (z->slots[slot].flags & ZRAM_ALLOC)) {
		s = &z->slots[slot];
		obj = zpool_map(z->pool, s->handle, ZPOOL_MM_RW);
		obj[off % s->size] ^= 0x01;
		zpool_unmap(z->pool, s->handle);
		err = 0;
	}
	spin_unlock_irqrestore(&z->lock, f);
	return err;
}
