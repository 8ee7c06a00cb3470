#!/usr/bin/python3
"""Write the app image's data file "blob": SIZE deterministic bytes.

Usage: mkblob.py SIZE OUT

Each 4 KiB page starts with "blob page N" (NUL-padded to 32 bytes), the
rest is a xorshift64 stream, so a page read from the wrong offset shows.
"""
import struct
import sys


def blob(size):
    x = 0x2545F4914F6CDD1D
    out = bytearray()
    for page in range((size + 4095) // 4096):
        out += f"blob page {page}".encode().ljust(32, b"\0")
        for _ in range((4096 - 32) // 8):
            x ^= (x << 13) & 0xFFFFFFFFFFFFFFFF
            x ^= x >> 7
            x ^= (x << 17) & 0xFFFFFFFFFFFFFFFF
            out += struct.pack("<Q", x)
    return bytes(out[:size])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    with open(sys.argv[2], "wb") as f:
        f.write(blob(int(sys.argv[1], 0)))
