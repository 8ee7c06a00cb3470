#!/usr/bin/python3
"""Write the seed corpus of fuzz_page_alloc (test/fuzz/corpus/page_alloc/).

The encoding is the one documented at the top of fuzz_page_alloc.c:
byte 0 board, byte 1 debug flags, then opcode bytes (value % 10) with
little-endian operands. The seeds are committed; rerun this after changing
the encoding.
"""
import pathlib
import struct

ALLOC, FREE, BURST, STRIDE, CMA, DRAIN, DEBUG, BAD_FREE = 0, 3, 5, 6, 7, 8, 9, 10
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


SEEDS = {
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
    # zone limits inside MAX_ORDER blocks: split and merge next to them
    "odd-limits": bytes([4, 0]) + burst(8, KERNEL | GFP_DMA | NOWARN, 8) + burst(8, KERNEL | GFP_DMA32 | NOWARN, 40)
    + burst(0, KERNEL | MOVABLE, 255) + stride(2, 0) + bytes([DRAIN]) + stride(2, 0) + bytes([DRAIN]),
}


def main():
    out = pathlib.Path(__file__).resolve().parent / "corpus" / "page_alloc"
    out.mkdir(parents=True, exist_ok=True)
    for name, data in SEEDS.items():
        (out / name).write_bytes(data)


if __name__ == "__main__":
    main()
