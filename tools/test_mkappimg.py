#!/usr/bin/python3
"""Tests of tools/mkappimg.py: the image layout and every refusal.

Run: /usr/bin/python3 -m unittest tools/test_mkappimg.py   (from the repository root)
"""
import os
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkappimg as m  # noqa: E402
import tap_unittest  # noqa: E402

TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mkappimg.py")


def fake_elf(machine=m.EM_AARCH64, cls=2, data=1, etype=m.ET_EXEC, size=200):
    hdr = b"\x7fELF" + bytes([cls, data, 1]) + bytes(9) + struct.pack("<HH", etype, machine)
    return hdr + bytes(size - len(hdr))


class Layout(unittest.TestCase):
    def test_header_directory_and_files(self):
        files = [("demo", fake_elf(size=5000), m.F_ELF), ("blob", bytes(range(256)) * 20, 0),
                 ("empty", b"", 0)]
        img = m.build_image(files)
        magic, ver, count, total, dcrc, _pad, _res = m.HEADER.unpack_from(img, 0)
        self.assertEqual((magic, ver, count), (b"PAGODAIM", 1, 3))
        dirent = img[64:64 + 64 * count]
        self.assertEqual(dcrc, zlib.crc32(dirent))
        self.assertEqual(total, len(img))
        prev_end = 64 + 64 * count
        for i, (name, data, flags) in enumerate(files):
            raw, off, size, crc, fl, _ = m.ENTRY.unpack_from(dirent, 64 * i)
            self.assertEqual(raw.rstrip(b"\0").decode(), name)
            self.assertEqual(raw[len(name)], 0, "name NUL-terminated")
            self.assertEqual(off % 4096, 0, "files start 4 KiB aligned")
            self.assertGreaterEqual(off, prev_end, "in order, no overlap")
            self.assertEqual((size, crc, fl), (len(data), zlib.crc32(data), flags))
            self.assertEqual(img[off:off + size], data)
            prev_end = off + size
        self.assertEqual(total, prev_end, "total_size ends at the last file")

    def test_first_file_after_a_multi_page_directory(self):
        files = [(f"f{i}", b"x", 0) for i in range(100)]  # 64 + 6400 bytes of directory
        img = m.build_image(files)
        _raw, off, *_ = m.ENTRY.unpack_from(img, 64)
        self.assertEqual(off, 8192)

    def test_output_is_padded_to_the_bank(self):
        with tempfile.TemporaryDirectory() as d:
            src, out = os.path.join(d, "a.elf"), os.path.join(d, "apps.img")
            with open(src, "wb") as f:
                f.write(fake_elf())
            r = subprocess.run([sys.executable, TOOL, "-o", out, "--elf", f"a={src}", "--file", f"b={src}"],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(os.path.getsize(out), 64 << 20)
            with open(out, "rb") as f:
                img = f.read(4096)
            self.assertEqual(img[:8], b"PAGODAIM")
            # command-line order and flags kept
            self.assertEqual(m.ENTRY.unpack_from(img, 64)[0].rstrip(b"\0"), b"a")
            self.assertEqual(m.ENTRY.unpack_from(img, 64)[4], m.F_ELF)
            self.assertEqual(m.ENTRY.unpack_from(img, 128)[4], 0)


class Refusals(unittest.TestCase):
    def refused(self, files, text, bank=m.BANK_SIZE):
        with self.assertRaises(m.ImageError) as cm:
            m.build_image(files, bank)
        self.assertIn(text, str(cm.exception))

    def test_name_too_long(self):
        m.build_image([("x" * 31, b"", 0)])
        self.refused([("x" * 32, b"", 0)], "at most 31")

    def test_bad_names(self):
        self.refused([("", b"", 0)], "empty name")
        self.refused([("a/b", b"", 0)], "without '/'")
        self.refused([("a b", b"", 0)], "printable")

    def test_duplicate(self):
        self.refused([("demo", b"1", 0), ("demo", b"2", 0)], "duplicate name 'demo'")

    def test_not_an_elf(self):
        self.refused([("demo", b"#!/bin/sh\n", m.F_ELF)], "not an ELF")

    def test_wrong_machine(self):
        self.refused([("demo", fake_elf(machine=62), m.F_ELF)], "ELF64 machine 62, not ELF64 AArch64 or ELF32 ARM")
        self.refused([("demo", fake_elf(machine=m.EM_ARM), m.F_ELF)], "ELF64 machine 40, not")
        self.refused([("demo", fake_elf(cls=1), m.F_ELF)], "ELF32 machine 183, not")

    def test_elf32_arm_apps(self):
        img = m.build_image([("a", fake_elf(cls=1, machine=m.EM_ARM), m.F_ELF),
                             ("b", fake_elf(cls=1, machine=m.EM_ARM), m.F_ELF)])
        self.assertEqual(m.HEADER.unpack_from(img, 0)[2], 2)

    def test_one_kind_of_app_per_image(self):
        self.refused([("a", fake_elf(), m.F_ELF), ("b", fake_elf(cls=1, machine=m.EM_ARM), m.F_ELF)],
                     "b: ELF32 ARM, but a is ELF64 AArch64")

    def test_bad_class_or_big_endian(self):
        self.refused([("demo", fake_elf(cls=3), m.F_ELF)], "little-endian ELF64 or ELF32")
        self.refused([("demo", fake_elf(data=2), m.F_ELF)], "little-endian ELF64 or ELF32")

    def test_not_an_executable(self):
        self.refused([("demo", fake_elf(etype=3), m.F_ELF)], "not an executable")

    def test_data_files_need_not_be_elf(self):
        m.build_image([("blob", b"#!/bin/sh\n", 0)])

    def test_bigger_than_the_bank(self):
        self.refused([("big", bytes(70000), 0)], "the flash bank holds 65536", bank=65536)
        m.build_image([("fits", bytes(65536 - 4096), 0)], 65536)

    def test_command_line_refusal(self):
        with tempfile.TemporaryDirectory() as d:
            src, out = os.path.join(d, "x"), os.path.join(d, "apps.img")
            with open(src, "wb") as f:
                f.write(b"not an elf")
            r = subprocess.run([sys.executable, TOOL, "-o", out, "--elf", f"x={src}"],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 1)
            self.assertIn("mkappimg: x: not an ELF file", r.stderr)
            self.assertFalse(os.path.exists(out), "no output on refusal")
            r = subprocess.run([sys.executable, TOOL, "-o", out, "--file", "x"], capture_output=True, text=True)
            self.assertEqual(r.returncode, 1)
            self.assertIn("expected NAME=PATH", r.stderr)


if __name__ == "__main__":
    tap_unittest.main("mkappimg")
