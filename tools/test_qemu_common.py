#!/usr/bin/python3
"""Tests of tools/qemu_common.py's reading of the -kernel ELF: the emulator
it picks from e_machine (qemu_common.QEMU for AArch64, QEMU_ARM for
make ARCH=arm's ARMv7-A image), the PT_LOAD segments of an ELF64 and
an ELF32, and the RAM check on both. The ELFs are written here byte by
byte (headers only), so no cross compiler is needed.
Run: /usr/bin/python3 tools/test_qemu_common.py [--tap]
"""
import os
import struct
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_common  # noqa: E402
import tap_unittest  # noqa: E402

PT_LOAD, PT_NOTE = 1, 4


def elf64(machine, segs):
    """An ELF64 header + program headers: segs = [(p_type, paddr, memsz)]."""
    hdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    hdr += struct.pack("<HHIQQQIHHHHHH", 2, machine, 1, 0, 64, 0, 0, 64, 56, len(segs), 0, 0, 0)
    return hdr + b"".join(struct.pack("<IIQQQQQQ", t, 5, 0, pa, pa, 0, sz, 4096) for t, pa, sz in segs)


def elf32(machine, segs):
    """An ELF32 header + program headers: segs = [(p_type, paddr, memsz)]."""
    hdr = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    hdr += struct.pack("<HHIIIIIHHHHHH", 2, machine, 1, 0, 52, 0, 0, 52, 32, len(segs), 0, 0, 0)
    return hdr + b"".join(struct.pack("<IIIIIIII", t, 0, pa + 0x80000000, pa, 0, sz, 5, 4096) for t, pa, sz in segs)


class QemuCommon(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, data):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_aarch64_elf_runs_on_qemu_system_aarch64(self):
        elf = self.write("a64.elf", elf64(qemu_common.EM_AARCH64, [(PT_LOAD, 0x40200000, 0x1000)]))
        self.assertEqual(qemu_common.qemu_binary(elf), qemu_common.QEMU)
        self.assertTrue(qemu_common.QEMU.endswith("-aarch64"))

    def test_arm_elf_runs_on_qemu_system_arm(self):
        elf = self.write("a32.elf", elf32(qemu_common.EM_ARM, [(PT_LOAD, 0x40200000, 0x1000)]))
        self.assertEqual(qemu_common.qemu_binary(elf), qemu_common.QEMU_ARM)
        self.assertTrue(qemu_common.QEMU_ARM.endswith("-arm"))

    def test_other_machine_is_an_error(self):
        elf = self.write("x86.elf", elf64(62, [(PT_LOAD, 0x40200000, 0x1000)]))
        with self.assertRaisesRegex(ValueError, "e_machine 62"):
            qemu_common.qemu_binary(elf)

    def test_segments_of_elf64_and_elf32(self):
        segs = [(PT_LOAD, 0x40200000, 0x3000), (PT_NOTE, 0x0, 0x20), (PT_LOAD, 0x40300000, 0x500)]
        want = [(0x40200000, 0x3000), (0x40300000, 0x500)]
        e64 = self.write("s64.elf", elf64(qemu_common.EM_AARCH64, segs))
        e32 = self.write("s32.elf", elf32(qemu_common.EM_ARM, segs))
        self.assertEqual(qemu_common.load_segments(e64), want)
        self.assertEqual(qemu_common.load_segments(e32), want)

    def test_ram_check_reads_elf32_physical_addresses(self):
        e32 = self.write("big.elf", elf32(qemu_common.EM_ARM, [(PT_LOAD, 0x40200000, 0x1000),
                                                               (PT_LOAD, 0x50000000, 0x1000)]))
        self.assertIsNone(qemu_common.check_image(["-kernel", e32, "-m", "512M"]))
        self.assertIn("outside the RAM", qemu_common.check_image(["-kernel", e32, "-m", "256M"]))


if __name__ == "__main__":
    tap_unittest.main("qemu_common")
