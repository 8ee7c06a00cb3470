#!/usr/bin/python3
"""Write the seed corpora of the fuzz targets (test/fuzz/corpus/<target>/).

Each encoding is the one documented at the top of its harness:
fuzz_page_alloc.c (byte 0 board, byte 1 debug flags, then opcode bytes
with little-endian operands), fuzz_dma.c (byte 0 pool size, then opcode,
slot and operands), fuzz_slab.c (opcode bytes and operands) and
fuzz_zram.c (byte 0 memory limit, then opcode, slot and operands) and
fuzz_migrate.c (opcode bytes, each with its operands: region byte mm | region << 1,
page byte, ...). The seeds
are committed; rerun this after changing an encoding. Usage: gen_corpus.py
[TARGET...] (default: all).
"""
import sys
import pathlib
import struct

ALLOC, FREE, BURST, STRIDE, CMA, DRAIN, DEBUG, BAD_FREE = 0, 3, 5, 6, 7, 8, 9, 10
ALLOC_PCP, BURST_PCP, CHECK = 11, 12, 13  # orders 0..3 (operand % 4), through the per-CPU lists
GFP_DMA, GFP_DMA32, MOVABLE, RECLAIMABLE, HIGH = 0x1, 0x2, 0x8, 0x10, 0x20
DIRECT, KSWAPD, ZERO, NOWARN, NORETRY, COMP, USE_VA = 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000
KERNEL = DIRECT | KSWAPD
ATOMIC = HIGH | KSWAPD


def alloc(order, gfp):
    return bytes([ALLOC, order]) + struct.pack("<H", gfp)


def free(i):
    return bytes([FREE]) + struct.pack("<H", i)


def burst(order, gfp, n):
    return bytes([BURST, order]) + struct.pack("<H", gfp) + bytes([n - 1])


def stride(k, r):
    return bytes([STRIDE, (k - 2) | (r << 3)])


def cma(count, align):
    return bytes([CMA]) + struct.pack("<H", count) + bytes([align])


def bad_free(i, how):
    return bytes([BAD_FREE]) + struct.pack("<H", (i << 2) | how)


def debug(poison, init_on_free):
    return bytes([DEBUG, poison | (init_on_free << 1)])


PAGE_ALLOC_SEEDS = {
    # every order once, then free in reverse (split, then merge)
    "orders": bytes([0, 0]) + b"".join(alloc(o, KERNEL) for o in range(12)) + b"".join(free(0) for _ in range(11)),
    # exhaust DMA, then DMA32, with atomic dipping below min
    "exhaust-dma": bytes([0, 0]) + burst(3, KERNEL | GFP_DMA | NOWARN, 256) + burst(0, ATOMIC | GFP_DMA | NOWARN, 256)
    + burst(4, KERNEL | GFP_DMA32 | NOWARN, 256) + stride(2, 0) + bytes([DRAIN]),
    # movable borrows CMA; cma_alloc fails busy; free; cma_alloc succeeds
    "cma": bytes([0, 0]) + burst(2, KERNEL | MOVABLE | GFP_DMA32 | NOWARN, 200) + cma(512, 4) + stride(2, 1)
    + stride(2, 0) + bytes([DRAIN]) + cma(1024, 0) + cma(16, 3) + free(0),
    # unmovable/reclaimable stealing in fragmented memory, order-0 churn through the per-CPU lists
    "steal": bytes([1, 0]) + burst(0, KERNEL | MOVABLE, 255) + burst(0, KERNEL, 200) + stride(3, 1)
    + burst(1, KERNEL | RECLAIMABLE, 100) + burst(5, KERNEL, 20) + stride(2, 0) + bytes([DRAIN]),
    # poisoning and init_on_free on and off, zeroed and compound pages, the get_free_pages API
    "debug": bytes([2, 1]) + alloc(0, KERNEL | ZERO) + alloc(3, KERNEL | COMP) + free(0) + alloc(3, KERNEL | ZERO | USE_VA)
    + debug(0, 1) + free(0) + alloc(0, ATOMIC | ZERO) + debug(1, 1) + burst(0, KERNEL, 40) + stride(2, 0)
    + bytes([DRAIN]) + debug(0, 0) + burst(0, KERNEL | ZERO, 40),
    # invalid requests: DMA|DMA32, order 11, and a board whose DMA zone is mostly firmware
    "invalid": bytes([3, 0]) + alloc(0, GFP_DMA | GFP_DMA32) + alloc(0, GFP_DMA | GFP_DMA32 | NOWARN) + alloc(11, KERNEL)
    + burst(0, KERNEL | GFP_DMA | NOWARN, 255) + burst(10, KERNEL | NOWARN, 16) + cma(1536, 9) + cma(0, 0) + cma(2049, 0)
    + bytes([DRAIN]),
    # wrong frees are reported and change nothing: double free, wrong order, cma_release of buddy pages, NULL
    "bad-free": bytes([0, 1]) + alloc(0, KERNEL) + alloc(2, KERNEL | MOVABLE) + cma(8, 3) + alloc(5, KERNEL | USE_VA)
    + bad_free(0, 1) + bad_free(1, 2) + bad_free(2, 1) + bad_free(3, 3) + bad_free(0, 0) + bad_free(0, 0) + bad_free(0, 0)
    + bytes([DRAIN]),
    # orders 0..3 through the per-CPU lists: fill past PCP_HIGH, frees that drain, walks without a drain,
    # movable lists holding CMA pages, then cma_alloc (isolation) with blocks listed
    "pcp-orders": bytes([0, 0]) + bytes([BURST_PCP, 3]) + struct.pack("<H", KERNEL) + bytes([40])
    + bytes([BURST_PCP, 1]) + struct.pack("<H", KERNEL | MOVABLE | GFP_DMA32) + bytes([60]) + bytes([CHECK])
    + stride(2, 0) + bytes([CHECK]) + bytes([ALLOC_PCP, 2]) + struct.pack("<H", KERNEL | RECLAIMABLE)
    + stride(3, 1) + bytes([CHECK]) + cma(64, 2) + bytes([CHECK]) + stride(2, 1) + bytes([DRAIN]),
    # zone limits inside MAX_ORDER blocks: split and merge next to them
    "odd-limits": bytes([4, 0]) + burst(8, KERNEL | GFP_DMA | NOWARN, 8) + burst(8, KERNEL | GFP_DMA32 | NOWARN, 40)
    + burst(0, KERNEL | MOVABLE, 255) + stride(2, 0) + bytes([DRAIN]) + stride(2, 0) + bytes([DRAIN]),
}


# ---- fuzz_dma: op, slot, operands (u16 little endian) -------------------------------------
D_MAP, D_MAP_SG, D_UNMAP, D_DEV_WRITE, D_SYNC_CPU, D_CPU_WRITE, D_SYNC_DEV, D_COH, D_BAD, D_CYCLE = range(10)
BIDI, TO_DEV, FROM_DEV, DIR_NONE = 0, 1, 2, 3
ZDMA, ZDMA32, ZNORMAL = 0, 1, 2
D23, D24, D64, D23C, D22 = range(5)  # the harness's devices
POOL_64K, POOL_128K, POOL_256K, POOL_1M = range(4)


def dmap(slot, dev, direction, zone, off, length, seed, page_api=False):
    return bytes([D_MAP, slot, dev, direction | (4 if page_api else 0), zone]) + struct.pack("<HH", off, length) \
        + bytes([seed])


def dmap_sg(slot, dev, direction, entries):
    """entries: up to 4 (zone, offset, length); unused ones are padding."""
    out = bytes([D_MAP_SG, slot, dev, direction, len(entries) - 1])
    for zone, off, length in entries + [(0, 0, 0)] * (4 - len(entries)):
        out += bytes([zone]) + struct.pack("<HH", off, length)
    return out


def dwrite(op, slot, entry, off, length, seed):
    return bytes([op, slot, entry]) + struct.pack("<HH", off, length) + bytes([seed])


def dcoh(buf, dev, cls, size, seed):
    """cls % 4: 0 up to a page, 1-2 up to 256 KiB, 3 up to 2 MiB (size << 5); cls & 4: __GFP_NOWARN."""
    return bytes([D_COH, buf, dev, cls]) + struct.pack("<H", size) + bytes([seed])


def dcycle(slot, dev, direction, zone, off, length, keep=False):
    return bytes([D_CYCLE, slot, dev, direction | (zone << 3) | (0x80 if keep else 0)]) + struct.pack("<HH", off, length)


def dop(op, slot):
    return bytes([op, slot])


def dbad(kind, arg):
    return bytes([D_BAD, kind]) + struct.pack("<H", arg)


DMA_SEEDS = {
    # a direct and a bounced single mapping through the whole hand-over, both APIs
    "single": bytes([POOL_256K]) + dmap(0, D23, TO_DEV, ZDMA, 100, 3000, 1) + dmap(1, D23, FROM_DEV, ZNORMAL, 0, 8192, 2)
    + dwrite(D_DEV_WRITE, 1, 0, 10, 500, 3) + dop(D_SYNC_CPU, 1) + dop(D_UNMAP, 1)
    + dmap(2, D24, BIDI, ZNORMAL, 4000, 5000, 4, page_api=True) + dwrite(D_DEV_WRITE, 2, 0, 0, 4999, 5)
    + dop(D_SYNC_CPU, 2) + dwrite(D_CPU_WRITE, 2, 0, 7, 64, 6) + dop(D_SYNC_DEV, 2) + dop(D_UNMAP, 2) + dop(D_UNMAP, 0),
    # scatter-gather over all zones, some entries bounced, for a 24-bit and a 64-bit device
    "sg": bytes([POOL_1M]) + dmap_sg(0, D24, BIDI, [(ZDMA, 0, 4096), (ZDMA32, 1, 9000), (ZNORMAL, 4095, 2), (ZNORMAL, 0, 16383)])
    + dwrite(D_DEV_WRITE, 0, 2, 0, 1, 7) + dop(D_SYNC_CPU, 0) + dwrite(D_CPU_WRITE, 0, 3, 100, 200, 8) + dop(D_SYNC_DEV, 0)
    + dmap_sg(1, D64, FROM_DEV, [(ZNORMAL, 0, 100), (ZDMA, 50, 100)]) + dwrite(D_DEV_WRITE, 1, 1, 0, 99, 9)
    + dop(D_UNMAP, 0) + dop(D_UNMAP, 1),
    # the smallest pool filled by 16 KiB bounces until a map and an sg map must fail, then released
    "pool-full": bytes([POOL_64K]) + b"".join(dmap(i, D23, TO_DEV, ZNORMAL, 0, 16383, i) for i in range(6))
    + dmap_sg(6, D23, TO_DEV, [(ZNORMAL, 0, 8000), (ZNORMAL, 0, 16000)]) + dop(D_UNMAP, 2) + dop(D_UNMAP, 3)
    + dmap(7, D23, FROM_DEV, ZDMA32, 0, 12000, 9),
    # a device that reaches only the first 2 MiB: the pool is out of its reach
    "narrow": bytes([POOL_128K]) + dmap(0, D22, TO_DEV, ZNORMAL, 0, 64, 1) + dmap(1, D22, BIDI, ZDMA, 0, 64, 2)
    + dcoh(0, D22, 0, 100, 3) + dcoh(0, D22, 0, 0, 0),
    # coherent buffers of every size class and device, large ones from CMA for CMA devices, then freed
    "coherent": bytes([POOL_256K]) + dcoh(0, D23, 0, 1, 1) + dcoh(1, D24, 1, 20000, 2) + dcoh(2, D64, 3, 60000, 3)
    + dcoh(3, D23C, 2, 5000, 4) + dcoh(4, D24, 7, 65535, 5) + dcoh(1, 0, 0, 0, 0) + dcoh(5, D22, 4, 3000, 6)
    + dcoh(2, 0, 0, 0, 0) + dcoh(6, D64, 1, 4096, 7),
    # misuse: wrong-size coherent free, unmap of a pool slot that is no mapping's start, DMA_NONE
    "bad": bytes([POOL_64K]) + dcoh(0, D23, 0, 500, 1) + dmap(0, D23, TO_DEV, ZNORMAL, 0, 6000, 2) + dbad(0, 0)
    + dbad(1, 1) + dbad(2, 0) + dmap(1, D23, DIR_NONE, ZDMA, 0, 10, 3),
    # whole driver cycles on every device, a hardware-coherent one among them, some kept mapped
    "cycles": bytes([POOL_1M]) + b"".join(dcycle(i, i % 5, i % 3, i % 3, 37 * i, 1000 * i + 1, keep=i % 2 == 1)
                                          for i in range(10)),
}

# ---- fuzz_slab: op byte + operands ------------------------------------------------------------
(S_KMALLOC, S_KZALLOC, S_KREALLOC, S_KFREE, S_KSIZE, S_CREATE, S_CALLOC, S_CFREE, S_SHRINK, S_DESTROY, S_CPU,
 S_SLABINFO) = range(12)
SZ_BYTE, SZ_8K, SZ_20K, SZ_POW2 = 0, 1, 2, 3


def size(kind, v):
    """rd_size(): top 2 bits choose 0..255, 0..8191, 0..20000 or a power of two 1 << (v % 15)."""
    return struct.pack("<H", (kind << 14) | v)


def sop(op, *operands):
    return bytes([op]) + b"".join(operands)


def u16(v):
    return struct.pack("<H", v)


def create(v, align_byte, flags):
    """v bit 15: up to 32512 bytes, else up to 512; flags 1 HWCACHE_ALIGN, 2 RECLAIM_ACCOUNT, 4 ctor."""
    return sop(S_CREATE, u16(v), bytes([align_byte, flags]))


SLAB_SEEDS = {
    # the three first seeds (written by hand before this script knew fuzz_slab)
    "seed-cache": bytes.fromhex("054000060606000006000007000009000700000900"),
    "seed-kmalloc": bytes.fromhex("0010000020000200004001040000030000"),
    "seed-large": bytes.fromhex("00ffbf020000108002000000000030000400000800"),
    # every kmalloc class, kzalloc, ksize widening, krealloc grow/shrink/NULL/0, frees
    "classes": b"".join(sop(S_KMALLOC, size(SZ_POW2, i)) for i in range(15)) + sop(S_KZALLOC, size(SZ_BYTE, 96))
    + sop(S_KSIZE, u16(3)) + sop(S_KREALLOC, u16(1), size(SZ_8K, 5000)) + sop(S_KREALLOC, u16(2), size(SZ_BYTE, 1))
    + sop(S_KREALLOC, u16(0xffff), size(SZ_20K, 19999)) + sop(S_KREALLOC, u16(4), size(SZ_BYTE, 0))
    + b"".join(sop(S_KFREE, u16(i)) for i in range(8)) + sop(S_KMALLOC, size(SZ_BYTE, 0)),
    # caches: alignments, HWCACHE_ALIGN, a ctor, an invalid alignment; destroy while busy, shrink
    "caches": create(100, 3, 1) + create(0x8000 | 5000, 0x80 | 0x40 | 2, 0) + create(24, 12, 4) + create(64, 0x80, 2)
    + b"".join(sop(S_CALLOC, bytes([k, k & 1])) for k in range(4) for _ in range(3)) + sop(S_DESTROY, bytes([0]))
    + sop(S_CFREE, u16(0)) + sop(S_CFREE, u16(5)) + sop(S_SHRINK, bytes([1])) + sop(S_SHRINK, bytes([0xff]))
    + sop(S_KSIZE, u16(0xffff)),
    # per-CPU working sets: a cache filled on CPU 0, half freed from CPU 1 (remote), slabinfo, CPU 0 again
    "cpus": create(200, 3, 0) + b"".join(sop(S_CALLOC, bytes([0, 0])) for _ in range(60))
    + b"".join(sop(S_KMALLOC, size(SZ_BYTE, 64)) for _ in range(80)) + sop(S_CPU, bytes([1]))
    + b"".join(sop(S_CFREE, u16(2 * i)) for i in range(30)) + b"".join(sop(S_KFREE, u16(3 * i)) for i in range(25))
    + bytes([S_SLABINFO]) + sop(S_CPU, bytes([0])) + b"".join(sop(S_CALLOC, bytes([0, 1])) for _ in range(40))
    + bytes([S_SLABINFO]) + sop(S_SHRINK, bytes([0])) + bytes([S_SLABINFO]) + sop(S_DESTROY, bytes([0])),
}

# fuzz_zram.c: byte 0 the memory limit (8 + 4 pages a unit), then opcodes
Z_STORE, Z_LOAD, Z_FREE, Z_COMPACT, Z_CORRUPT = range(5)
K_ZERO, K_SAME, K_SEMI, K_RANDOM, K_HEAD = range(5)


def zstore(slot, kind, seed):
    return bytes([Z_STORE, slot, kind]) + struct.pack("<H", seed)


def zop(op, slot):
    return bytes([op, slot])


ZRAM_SEEDS = {
    # every kind of page in its own slot, read back, freed, compacted
    "kinds": b"\0" + b"".join(zstore(k, k, 100 + k) for k in range(5)) + b"".join(zop(Z_LOAD, k) for k in range(5))
    + zop(Z_FREE, 2) + bytes([Z_COMPACT]) + b"".join(zop(Z_LOAD, k) for k in range(5)),
    # 48 semi-compressible and head pages, free every other one, compact
    "compact": b"\0" + b"".join(zstore(k, K_SEMI if k % 3 else K_HEAD, k * 37) for k in range(48))
    + b"".join(zop(Z_FREE, k) for k in range(0, 48, 2)) + bytes([Z_COMPACT])
    + b"".join(zop(Z_LOAD, k) for k in range(1, 48, 2)),
    # a 24-page limit reached by random pages, then an overwrite at the limit
    "limit": bytes([4]) + b"".join(zstore(k, K_RANDOM, k) for k in range(24)) + zstore(0, K_RANDOM, 999)
    + zop(Z_LOAD, 0),
    # corrupt a compressed and a raw object, a same-filled slot (nothing to flip)
    "corrupt": b"\0" + zstore(1, K_SEMI, 5) + zstore(2, K_RANDOM, 6) + zstore(3, K_SAME, 7)
    + bytes([Z_CORRUPT, 1, 100, 0, Z_CORRUPT, 2, 0xa0, 0x0f, Z_CORRUPT, 3, 0, 0])
    + zop(Z_LOAD, 1) + zop(Z_LOAD, 2) + zop(Z_LOAD, 3) + zstore(1, K_SEMI, 8) + zop(Z_LOAD, 1),
}

# fuzz_migrate.c: opcode bytes and their operands
(M_MAP, M_UNMAP, M_TOUCH, M_FORK, M_MLOCK, M_PIN, M_UNPIN, M_SWAPOUT, M_MIGRATE, M_CMA, M_CMA_REL, M_MIGRATE_LIST,
 M_COMPACT) = range(13)
R_ANON, R_FILE, R_SHMEM = range(3)
NPG = 8


def mr(mm, region):
    return mm | region << 1


def mmap_(mm, region):
    return bytes([M_MAP, mr(mm, region)])


def munmap(mm, region, pg=NPG):
    return bytes([M_UNMAP, mr(mm, region), pg])


def touch(mm, region, pg, write=False, seed=1):
    return bytes([M_TOUCH, mr(mm, region), pg, (seed << 1) | write])


def write_all(mm, region, seed0=1):
    return b"".join(touch(mm, region, pg, True, seed0 + pg) for pg in range(NPG))


def read_all(mm, region):
    return b"".join(touch(mm, region, pg) for pg in range(NPG))


def mop(op, *args):
    return bytes([op, *args])


def mcma(count, align):
    """cma_alloc(1 + count % 4096, align % 12)."""
    return bytes([M_CMA]) + struct.pack("<H", count - 1) + bytes([align])


MIGRATE_SEEDS = {
    # anon pages written, each moved, read back
    "anon": mmap_(0, R_ANON) + write_all(0, R_ANON) + b"".join(mop(M_MIGRATE, i) for i in range(NPG))
    + read_all(0, R_ANON),
    # fork-like COW sharing, shared pages moved, then each side writes
    "fork-cow": mmap_(0, R_ANON) + write_all(0, R_ANON, 20) + bytes([M_FORK]) + b"".join(mop(M_MIGRATE, i) for i in range(4))
    + touch(1, R_ANON, 0, True, 60) + touch(0, R_ANON, 1, True, 61) + mop(M_MIGRATE, 0) + read_all(1, R_ANON)
    + read_all(0, R_ANON),
    # a file and a shmem object mapped by both mms, a private COW copy of a file page, moves
    "file-shmem": mmap_(0, R_FILE) + mmap_(1, R_FILE) + mmap_(0, R_SHMEM) + mmap_(1, R_SHMEM) + read_all(0, R_FILE)
    + read_all(1, R_FILE) + touch(0, R_FILE, 2, True, 9) + write_all(0, R_SHMEM, 40) + read_all(1, R_SHMEM)
    + b"".join(mop(M_MIGRATE, i) for i in range(0, 40, 3)) + munmap(1, R_FILE, 4) + mop(M_MIGRATE, 5)
    + read_all(0, R_FILE) + read_all(1, R_SHMEM),
    # a pinned page: its migration and a whole-region cma_alloc fail, others succeed; unpinned it moves
    "pin": mmap_(0, R_ANON) + write_all(0, R_ANON) + mop(M_PIN, mr(0, R_ANON), 3)
    + b"".join(mop(M_MIGRATE, i) for i in range(NPG)) + mcma(4096, 0) + mcma(1024, 10) + mop(M_UNPIN, 0)
    + mop(M_CMA_REL, 0) + mcma(4096, 0) + mop(M_CMA_REL, 0),
    # swapped out, mlocked (swapped back in), moved, munlocked, swapped out again
    "mlock-swap": mmap_(0, R_ANON) + write_all(0, R_ANON) + mop(M_SWAPOUT, mr(0, R_ANON), 2) + mop(M_SWAPOUT, mr(0, R_ANON), 5)
    + mop(M_MLOCK, mr(0, R_ANON), 1) + b"".join(mop(M_MIGRATE, i) for i in range(NPG)) + mop(M_MLOCK, mr(0, R_ANON), 0)
    + mop(M_SWAPOUT, mr(0, R_ANON), 2) + touch(0, R_ANON, 2) + mop(M_MIGRATE, 0) + read_all(0, R_ANON),
    # every region of both mms in use, cma_alloc of the whole region and of aligned pieces
    "cma": b"".join(mmap_(m, r) + write_all(m, r, 1 + 10 * m + 3 * r) for m in range(2) for r in (R_ANON, R_SHMEM))
    + mmap_(0, R_FILE) + read_all(0, R_FILE) + mcma(4096, 0) + mop(M_CMA_REL, 0) + mcma(1024, 10) + mcma(16, 3)
    + mcma(1, 0) + mop(M_CMA_REL, 1) + mcma(2000, 11) + mop(M_CMA_REL, 0) + mop(M_CMA_REL, 0),
    # a pinned page outlives its mapping; its move is refused; the unpin frees it
    "unmap-pinned": mmap_(0, R_ANON) + write_all(0, R_ANON) + mop(M_PIN, mr(0, R_ANON), 0) + munmap(0, R_ANON)
    + mop(M_MIGRATE, 0) + mop(M_UNPIN, 0) + mmap_(0, R_ANON) + read_all(0, R_ANON),
    # the zero page refused; the list form with a pinned page, then with no memory
    "list": mmap_(0, R_ANON) + touch(0, R_ANON, 0) + mop(M_MIGRATE, 0) + write_all(0, R_ANON) + mmap_(1, R_SHMEM)
    + write_all(1, R_SHMEM, 30) + mop(M_PIN, mr(0, R_ANON), 4) + mop(M_MIGRATE_LIST, 0, 7) + mop(M_MIGRATE_LIST, 8, 0x87)
    + mop(M_MIGRATE_LIST, 3, 5) + mop(M_UNPIN, 0) + read_all(0, R_ANON) + read_all(1, R_SHMEM),
    # every region in use, one page pinned, compaction of the CMA zone in each mode and for orders -1, 3, 9, 10
    "compact": b"".join(mmap_(m, r) + write_all(m, r, 2 + 10 * m + 3 * r) for m in range(2) for r in (R_ANON, R_SHMEM))
    + mop(M_PIN, mr(1, R_ANON), 6) + mop(M_COMPACT, 0, 1) + mop(M_COMPACT, 4, 0) + mop(M_COMPACT, 10, 0)
    + mop(M_COMPACT, 11, 2) + mop(M_UNPIN, 0) + mop(M_COMPACT, 0, 1) + read_all(0, R_ANON) + read_all(1, R_SHMEM),
}

SEEDS = {"page_alloc": PAGE_ALLOC_SEEDS, "dma": DMA_SEEDS, "slab": SLAB_SEEDS, "zram": ZRAM_SEEDS,
         "migrate": MIGRATE_SEEDS}


def main(targets):
    for target in targets or SEEDS:
        if target not in SEEDS:
            sys.exit(f"gen_corpus.py: no fuzz target {target!r} (targets: {', '.join(SEEDS)})")
        out = pathlib.Path(__file__).resolve().parent / "corpus" / target
        out.mkdir(parents=True, exist_ok=True)
        for name, data in SEEDS[target].items():
            (out / name).write_bytes(data)


if __name__ == "__main__":
    main(sys.argv[1:])
