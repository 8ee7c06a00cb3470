#!/usr/bin/python3
"""Build the app image that the firmware reads from QEMU virt's flash bank 1.

Usage: mkappimg.py -o OUT [--bank-size BYTES] [--elf NAME=PATH]... [--file NAME=PATH]...

Layout (include/uapi/pagoda/appimg.h; little-endian):

    0        struct appimg_header   (64 bytes)
    64       struct appimg_entry[count]  (64 bytes each, in command-line order)
    ...      the files, each starting on a 4 KiB boundary, zero gaps
    ...      zero padding up to the bank size (a sparse file)

--elf entries are the apps (APPIMG_F_ELF): little-endian static
executables, ELF64 AArch64 (make ARCH=arm64) or ELF32 ARM (make ARCH=arm),
all of one kind (the firmware runs one). --file entries are plain data. Names
are what apps pass to open_image()/spawn(): 1..31 printable characters,
no '/', unique. The image must fit the bank (default 64 MiB, the size of
each of virt's two flash banks). Any violation: a message naming the
entry and exit status 1, and no output file.
"""
import argparse
import os
import struct
import sys
import zlib

MAGIC = b"PAGODAIM"
VERSION = 1
NAME_MAX = 32  # bytes including the NUL
F_ELF = 0x1
PAGE = 4096
BANK_SIZE = 64 << 20
HEADER = struct.Struct("<8sIIQII32s")     # struct appimg_header
ENTRY = struct.Struct("<32sQQIIQ")        # struct appimg_entry
assert HEADER.size == 64 and ENTRY.size == 64
EM_AARCH64 = 183
EM_ARM = 40
# (ELF class, e_machine) of the apps an image may hold, and their names
APP_KINDS = {(2, EM_AARCH64): "ELF64 AArch64", (1, EM_ARM): "ELF32 ARM"}
ET_EXEC = 2


class ImageError(Exception):
    """A reason to refuse the image."""


def align_up(x, a=PAGE):
    return (x + a - 1) // a * a


def check_name(name):
    raw = name.encode("utf-8", "replace")
    if not raw:
        raise ImageError("empty name")
    if len(raw) > NAME_MAX - 1:
        raise ImageError(f"name {name!r} is {len(raw)} bytes; at most {NAME_MAX - 1} fit (appimg_entry.name)")
    if "/" in name or any(not (0x20 < ord(c) < 0x7F) for c in name):
        raise ImageError(f"name {name!r}: only printable ASCII without '/' or spaces")


def check_elf(name, data):
    """A little-endian ELF64 AArch64 or ELF32 ARM executable: returns its
    APP_KINDS name, or raises ImageError saying what it is instead."""
    if data[:4] != b"\x7fELF":
        raise ImageError(f"{name}: not an ELF file (flagged as an app)")
    if data[4] not in (1, 2) or data[5] != 1:
        raise ImageError(f"{name}: ELF class {data[4]} data {data[5]}: an app must be little-endian ELF64 or ELF32")
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    kind = APP_KINDS.get((data[4], e_machine))
    if kind is None:
        raise ImageError(f"{name}: ELF{32 * data[4]} machine {e_machine}, not "
                         f"{' or '.join(APP_KINDS.values())}")
    if e_type != ET_EXEC:
        raise ImageError(f"{name}: ELF type {e_type}, not an executable (ET_EXEC, static, non-PIE)")
    return kind


def build_image(entries, bank_size=BANK_SIZE):
    """entries: [(name, bytes, flags)]. Returns the image bytes (unpadded) or raises ImageError."""
    seen, first = set(), None
    for name, data, flags in entries:
        check_name(name)
        if name in seen:
            raise ImageError(f"duplicate name {name!r}")
        seen.add(name)
        if flags & ~F_ELF:
            raise ImageError(f"{name}: unknown flags {flags:#x}")
        if flags & F_ELF:
            kind = check_elf(name, data)
            first = first or (name, kind)
            if kind != first[1]:
                raise ImageError(f"{name}: {kind}, but {first[0]} is {first[1]}: one kind of app per image")

    dir_end = HEADER.size + ENTRY.size * len(entries)
    off = align_up(dir_end)
    dirent, placed = b"", []
    for name, data, flags in entries:
        dirent += ENTRY.pack(name.encode(), off, len(data), zlib.crc32(data), flags, 0)
        placed.append((off, data))
        off = align_up(off + len(data))
    total = placed[-1][0] + len(placed[-1][1]) if placed else dir_end
    if total > bank_size:
        raise ImageError(f"image is {total} bytes ({total / (1 << 20):.1f} MiB); the flash bank holds {bank_size}")

    header = HEADER.pack(MAGIC, VERSION, len(entries), total, zlib.crc32(dirent), 0, bytes(32))
    img = bytearray(header + dirent)
    for off, data in placed:
        img += bytes(off - len(img))
        img += data
    assert len(img) == total
    return bytes(img)


def parse_entry(spec, flags):
    name, sep, path = spec.partition("=")
    if not sep or not path:
        raise ImageError(f"{spec!r}: expected NAME=PATH")
    try:
        with open(path, "rb") as f:
            return name, f.read(), flags
    except OSError as e:
        raise ImageError(f"{name}: cannot read {path}: {e.strerror}") from e


class _AddEntry(argparse.Action):
    """--elf/--file: one list, in command-line order."""

    def __call__(self, parser, ns, value, option_string=None):
        ns.entries.append((value, F_ELF if option_string == "--elf" else 0))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Build Pagoda's app image (include/uapi/pagoda/appimg.h).")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--bank-size", type=lambda s: int(s, 0), default=BANK_SIZE,
                    help="pad to this many bytes and refuse bigger images (default 64 MiB)")
    ap.add_argument("--elf", action=_AddEntry, metavar="NAME=PATH", help="an EL0 program")
    ap.add_argument("--file", action=_AddEntry, metavar="NAME=PATH", help="a data file")
    ap.set_defaults(entries=[])
    a = ap.parse_args(argv)
    order = a.entries
    try:
        img = build_image([parse_entry(spec, flags) for spec, flags in order], a.bank_size)
    except ImageError as e:
        print(f"mkappimg: {e}", file=sys.stderr)
        return 1
    tmp = a.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(img)
        f.truncate(a.bank_size)  # sparse padding up to the bank size
    os.replace(tmp, a.output)
    print(f"mkappimg: {a.output}: {len(order)} files, {len(img)} bytes used of {a.bank_size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
