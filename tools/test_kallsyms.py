#!/usr/bin/python3
"""Tests of tools/kallsyms.py on small AArch64 ELFs built from assembly.

Checks the symbols chosen (functions and code labels in [_text, _etext),
data objects in [_etext, _end), no mapping symbols, one per address with
the FUNC/global one kept), the sizes (ELF size, or the distance to the
next symbol), the table's layout, that its size does not depend on the
addresses (what the Makefile's three links rely on), and the errors.
Run: /usr/bin/python3 tools/test_kallsyms.py [--tap]   (from the repository root)
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tap_unittest  # noqa: E402

TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kallsyms.py")
CROSS = "aarch64-linux-gnu-"

SOURCE = """
	.text
	.globl _text
_text:
	.globl first
	.type first, %function
first:
	nop
	nop
	ret
	.size first, 12
	.balign 16
	.type helper, %function
	.type public_entry, %function
	.globl public_entry
helper:
public_entry:
	ret
	.size helper, 4
	.size public_entry, 4
	.balign 16
asm_label:
	nop
	nop
	.word 0x12345678
	.balign 64
	.globl _etext
_etext:
	.data
	.globl table
	.type table, %object
table:
	.quad 1, 2
	.size table, 16
	.globl _end
_end:
"""


def build(tmp, source, base):
    src, elf = os.path.join(tmp, "t.S"), os.path.join(tmp, f"t-{base:x}.elf")
    with open(src, "w") as f:
        f.write(source)
    subprocess.run([CROSS + "gcc", "-c", src, "-o", src + ".o"], check=True)
    subprocess.run([CROSS + "ld", f"-Ttext={base:#x}", "-e", "first", src + ".o", "-o", elf], check=True)
    return elf


def generate(elf, *opts):
    out = elf + ".kallsyms.S"
    r = subprocess.run([sys.executable, TOOL, "--readelf", CROSS + "readelf", *opts, elf, "-o", out],
                       capture_output=True, text=True)
    return r, (open(out).read() if r.returncode == 0 else "")


def parse(text):
    """(base, [(address, size, name)]) from the generated assembly."""
    base = int(re.search(r"kallsyms_image:\n\t\.quad (0x[0-9a-f]+)", text).group(1), 16)
    arrays, cur = {}, None
    for line in text.splitlines():
        if re.match(r"\.L\w+:$", line):
            cur = arrays.setdefault(line[2:-1], [])
        elif cur is not None and line.startswith("\t.long"):
            cur += [int(v, 16) for v in line.split(None, 1)[1].split(", ")]
        elif cur is not None and line.startswith("\t.asciz"):
            cur.append(line.split('"')[1])
    return base, list(zip([base + o for o in arrays["offs"]], arrays["sizes"], arrays["names"]))


def section_size(asm, tmp):
    obj = os.path.join(tmp, "table.o")
    src = os.path.join(tmp, "table.S")
    with open(src, "w") as f:
        f.write(asm)
    subprocess.run([CROSS + "gcc", "-c", src, "-o", obj], check=True)
    out = subprocess.run([CROSS + "size", "-A", obj], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^\.rodata\.kallsyms\s+(\d+)", out, re.M).group(1))


class Generator(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.base = 0xffff000040200000
        self.elf = build(self.tmp.name, SOURCE, self.base)

    def tearDown(self):
        self.tmp.cleanup()

    def test_symbols_sizes_and_order(self):
        r, text = generate(self.elf)
        self.assertEqual(r.returncode, 0, r.stderr)
        base, syms = parse(text)
        b = self.base
        self.assertEqual(base, b)
        etext = b + 64
        self.assertEqual(syms, [(b, 12, "first"), (b + 16, 4, "public_entry"), (b + 32, etext - (b + 32), "asm_label"),
                                (syms[3][0], 16, "table")])
        self.assertGreaterEqual(syms[3][0], etext)
        self.assertNotIn("$x", text)
        self.assertNotIn("$d", text)

    def test_no_data(self):
        r, text = generate(self.elf, "--no-data")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([n for _, _, n in parse(text)[1]], ["first", "public_entry", "asm_label"])

    def test_size_does_not_depend_on_addresses(self):
        other = build(self.tmp.name, SOURCE, 0xffff000040800000)
        _, t1 = generate(self.elf)
        _, t2 = generate(other)
        self.assertNotEqual(parse(t1)[0], parse(t2)[0])
        self.assertEqual(section_size(t1, self.tmp.name), section_size(t2, self.tmp.name))

    def test_layout(self):
        _, text = generate(self.elf)
        n = len(parse(text)[1])
        names = sum(len(s) + 1 for s in ("first", "public_entry", "asm_label", "table"))
        # header (48) + offs, sizes, name_offs (4 bytes each per symbol) + names
        self.assertEqual(section_size(text, self.tmp.name), 48 + 12 * n + names)
        self.assertIn(f".long {n}, {names}", text)

    def test_empty(self):
        out = os.path.join(self.tmp.name, "empty.S")
        r = subprocess.run([sys.executable, TOOL, "--empty", "-o", out], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        text = open(out).read()
        self.assertEqual(parse(text), (0, []))
        self.assertEqual(section_size(text, self.tmp.name), 48)

    def test_missing_bound_is_an_error(self):
        elf = build(self.tmp.name, SOURCE.replace("_etext", "not_etext"), self.base)
        r, _ = generate(elf)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no _etext symbol", r.stderr)

    def test_no_elf_is_a_usage_error(self):
        r = subprocess.run([sys.executable, TOOL, "-o", os.path.join(self.tmp.name, "x.S")],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("an ELF, or --empty", r.stderr)


if __name__ == "__main__":
    tap_unittest.main("kallsyms")
