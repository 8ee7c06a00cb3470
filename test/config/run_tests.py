#!/usr/bin/python3
"""Tests of the board configuration checker, tools/genconfig.py.

usage: /usr/bin/python3 test/config/run_tests.py

Good configs (board.cfg, boards/*.cfg) must pass, produce a header that
compiles as C and as assembler, be in the exact format kconfiglib writes
(so that a menuconfig save changes nothing else), and regenerating an
unchanged header must leave it untouched.

Bad configs are made at test time: each case in cases.py edits one option
of board.cfg (which must itself pass, so the edit is the only defect).
genconfig.py must fail with exit status 1, write no header, print every
error as '<cfg>:<line>: CONFIG_NAME=value: <reason>; allowed <what>', name
the edited option in every error, report the expected fragment on the
line of the option the rule blames, and for an out-of-range value state
the range Kconfig declares.

docs_sync.py keeps docs/board-config.md in step with Kconfig and with
which options the code implements.

Output is TAP version 13 on stdout; the exit status is 0 iff every test
passed.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kconfiglib  # noqa: E402  (Debian's python3-kconfiglib)
from cases import CASES  # noqa: E402
import docs_sync  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PYTHON = "/usr/bin/python3"     # Debian's, the one that has kconfiglib
GENCONFIG = os.path.join("tools", "genconfig.py")
KCONFIG = "Kconfig"
CC = shutil.which("aarch64-linux-gnu-gcc") or shutil.which("cc")


class Fail(Exception):
    pass


def genconfig(cfg, header=None, check_only=False, arch=None):
    cmd = [PYTHON, GENCONFIG, "--kconfig", KCONFIG, "--config", cfg]
    if arch:
        cmd += ["--arch", arch]
    if header:
        cmd += ["--header", header]
    if check_only:
        cmd.append("--check-only")
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


def expect_pass(r):
    if r.returncode != 0 or r.stderr:
        raise Fail("exit {}, stderr: {}".format(r.returncode, r.stderr))


def test_good(cfg, tmp):
    header = os.path.join(tmp, "config.h")
    expect_pass(genconfig(cfg, header))
    text = open(header, encoding="utf-8").read()
    for needle in ("#define CONFIG_BOARD_NAME ", "#define CONFIG_VA_BITS ",
                   "#define BOARD_DMA_ENGINES_INIT {",
                   "generated from {} \u2014 do not edit".format(cfg)):
        if needle not in text:
            raise Fail("header lacks {!r}".format(needle))


def test_unchanged(cfg, tmp):
    header = os.path.join(tmp, "config.h")
    expect_pass(genconfig(cfg, header))
    before = os.stat(header)
    expect_pass(genconfig(cfg, header))
    after = os.stat(header)
    if (before.st_ino, before.st_mtime_ns) != (after.st_ino, after.st_mtime_ns):
        raise Fail("header rewritten although its content did not change")
    if os.listdir(tmp) != ["config.h"]:
        raise Fail("files left behind: {}".format(os.listdir(tmp)))


def test_check_only(cfg, tmp):
    header = os.path.join(tmp, "config.h")
    expect_pass(genconfig(cfg, header, check_only=True))
    if os.path.exists(header):
        raise Fail("--check-only wrote the header")


def test_compiles(cfg, tmp):
    header = os.path.join(tmp, "config.h")
    expect_pass(genconfig(cfg, header))
    c = os.path.join(tmp, "t.c")
    with open(c, "w") as f:
        f.write('#include "config.h"\n'
                "struct e { const char *n; unsigned b; unsigned long long o;"
                " unsigned c; int cma; unsigned irq; };\n"
                "static const struct e engines[] = BOARD_DMA_ENGINES_INIT;\n"
                "_Static_assert(sizeof engines / sizeof engines[0] =="
                " CONFIG_DMA_ENGINE_COUNT, \"engine count\");\n"
                "int f(void) { return CONFIG_PAGE_POISONING ?"
                " (int)engines[0].b : CONFIG_TIMER_HZ; }\n")
    s = os.path.join(tmp, "t.S")
    with open(s, "w") as f:
        f.write('#include "config.h"\n'
                "\t.quad CONFIG_RAM_BASE + CONFIG_KERNEL_OFFSET\n"
                "\t.word CONFIG_VA_BITS, CONFIG_INIT_ON_FREE\n")
    for src, lang in ((c, "c"), (s, "assembler-with-cpp")):
        r = subprocess.run([CC, "-std=c11", "-Wall", "-Werror",
                            "-ffreestanding", "-I", tmp, "-x", lang, "-c",
                            src, "-o", os.devnull],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise Fail("{} -x {} failed: {}".format(CC, lang, r.stderr))


FORMAT_CHECK = r"""
import sys, kconfiglib
k = kconfiglib.Kconfig(sys.argv[1], warn_to_stderr=False)
k.load_config(sys.argv[2])
k.write_config(sys.argv[3], header="", save_old=False)
"""


def test_format(cfg, tmp):
    out = os.path.join(tmp, "rewritten.cfg")
    r = subprocess.run([PYTHON, "-c", FORMAT_CHECK, KCONFIG, cfg, out],
                       cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        raise Fail("kconfiglib: " + r.stderr)
    lines = open(os.path.join(ROOT, cfg), encoding="utf-8").read() \
        .splitlines(True)
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)            # the comment header kconfiglib does not keep
    if "".join(lines) != open(out, encoding="utf-8").read():
        raise Fail("not in the format kconfiglib writes (load it and "
                   "write_config() it to see the difference)")


BASE = "board.cfg"


def option_line(lines, name):
    """Index of the line that sets CONFIG_<name> (or None)."""
    pat = re.compile(r"(CONFIG_{0}=.*|# CONFIG_{0} is not set)$".format(name))
    for i, line in enumerate(lines):
        if pat.match(line):
            return i
    return None


def kconfig_range(name):
    """'lo..hi' of the option's Kconfig range, as genconfig prints it."""
    kconf = kconfiglib.Kconfig(os.path.join(ROOT, KCONFIG),
                               warn_to_stderr=False)
    sym = kconf.syms[name]
    for low, high, cond in sym.ranges:
        if kconfiglib.expr_value(cond):
            if sym.orig_type is kconfiglib.HEX:
                return "{:#x}..{:#x}".format(int(low.str_value, 16),
                                             int(high.str_value, 16))
            return "{}..{}".format(low.str_value, high.str_value)
    return None


def make_case(case, path):
    """Write board.cfg with the case's edit to path; return the 1-based
    line the error is expected on (0: the file as a whole)."""
    lines = open(os.path.join(ROOT, BASE), encoding="utf-8") \
        .read().splitlines()
    anchor = getattr(case.edit, "anchor", None) or case.option
    i = option_line(lines, anchor)
    if i is None:
        raise Fail("{} does not set CONFIG_{}".format(BASE, anchor))
    new = case.edit.apply(case.option, lines[i])
    edited = lines[:i] + new + lines[i + 1:]
    if edited == lines:
        raise Fail("the edit changes nothing")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(edited) + "\n")
    if case.at != case.option:
        j = option_line(edited, case.at)
        return 0 if j is None else j + 1
    if not new:
        return 0                        # deleted: a missing option
    return i + 1 + len(new) - 1         # the replaced or the added line


def test_base(cfg, tmp):
    """The base of the bad cases is clean."""
    expect_pass(genconfig(cfg, check_only=True))


def test_bad(case, tmp):
    if genconfig(BASE, check_only=True).returncode != 0:
        raise Fail(BASE + " itself fails, so the edit is not the only defect")
    cfg = os.path.join(tmp, "board.cfg")
    want_line = make_case(case, cfg)
    header = os.path.join(tmp, "config.h")
    r = genconfig(cfg, header)
    if r.returncode != 1:
        raise Fail("exit status {}, want 1".format(r.returncode))
    if os.path.exists(header):
        raise Fail("header written for a bad config")
    lines = r.stderr.splitlines()
    if not lines:
        raise Fail("no error printed")
    line_re = re.compile(re.escape(cfg) + r":([0-9]+): (CONFIG_[A-Z0-9_]+)"
                         r"[= ].*: .+; allowed .+")
    edited = re.compile(r"\bCONFIG_{}\b".format(case.option))
    for line in lines:
        if not line_re.fullmatch(line):
            raise Fail("badly formed error line: " + line)
        if not edited.search(line):
            raise Fail("error does not name CONFIG_{}: {}".format(
                case.option, line))
    hits = [line for line in lines
            if case.expect in line and
            line_re.fullmatch(line).group(1) == str(want_line)]
    if not hits:
        raise Fail("no error on line {} for CONFIG_{} contains {!r}; "
                   "got: {}".format(want_line, case.at, case.expect, lines))
    if "out of range" in case.expect:
        rng = kconfig_range(case.at)
        allowed = re.compile(r"; allowed {}(, .*)?$".format(re.escape(rng)))
        if not any(allowed.search(line) for line in hits):
            raise Fail("error does not state Kconfig's range {}: {}".format(
                rng, hits))


def test_docs_options(cfg, tmp):
    problems = docs_sync.options_documented(ROOT)
    if problems:
        raise Fail("\n".join(problems))


def test_docs_unimplemented(cfg, tmp):
    problems = docs_sync.unimplemented(ROOT)
    if problems:
        raise Fail("\n".join(problems))


def test_all_errors(cfg, tmp):
    """Two defects at once give two errors, not just the first."""
    text = open(os.path.join(ROOT, cfg), encoding="utf-8").read()
    text = text.replace("CONFIG_VA_BITS=48\n", "CONFIG_VA_BITS=40\n")
    text = text.replace("CONFIG_TIMER_HZ=100\n", "CONFIG_TIMER_HZ=5000\n")
    two = os.path.join(tmp, "two.cfg")
    with open(two, "w", encoding="utf-8") as f:
        f.write(text)
    r = genconfig(two, check_only=True)
    if r.returncode != 1:
        raise Fail("exit status {}, want 1".format(r.returncode))
    for want in ("CONFIG_VA_BITS=40: ", "CONFIG_TIMER_HZ=5000: "):
        if want not in r.stderr:
            raise Fail("{!r} not reported; got: {}".format(want, r.stderr))
    if len(r.stderr.splitlines()) != 2:
        raise Fail("want exactly 2 error lines, got: " + r.stderr)


ARMV7A = os.path.join("boards", "qemu-virt-armv7a.cfg")


def expect_error(r, want):
    if r.returncode != 1 or want not in r.stderr or \
            len(r.stderr.splitlines()) != 1:
        raise Fail("want exit 1 and one error with {!r}; got exit {}: {}"
                   .format(want, r.returncode, r.stderr))


def test_arch(cfg, tmp):
    """make ARCH= must match the board's CONFIG_ARCH, and VA_BITS
    follows CONFIG_ARCH: 32 for arm, 39 or 48 for arm64."""
    expect_pass(genconfig("board.cfg", check_only=True, arch="arm64"))
    expect_pass(genconfig(ARMV7A, check_only=True, arch="arm"))
    text = open(os.path.join(ROOT, "board.cfg"), encoding="utf-8").read()
    bad = os.path.join(tmp, "bad.cfg")
    with open(bad, "w", encoding="utf-8") as f:
        f.write(text.replace("CONFIG_VA_BITS=48\n", "CONFIG_VA_BITS=32\n"))
    expect_error(genconfig(bad, check_only=True, arch="arm64"),
                 "CONFIG_VA_BITS=32: out of range; allowed 39 or 48")
    expect_error(genconfig("board.cfg", check_only=True, arch="arm"),
                 'CONFIG_ARCH="arm64": the build is make ARCH=arm; '
                 'allowed "arm" with make ARCH=arm')
    expect_error(genconfig(ARMV7A, check_only=True, arch="arm64"),
                 'CONFIG_ARCH="arm": the build is make ARCH=arm64')
    text = open(os.path.join(ROOT, ARMV7A), encoding="utf-8").read()
    for old, new, want in (
            ("CONFIG_VA_BITS=32\n", "CONFIG_VA_BITS=48\n",
             "CONFIG_VA_BITS=48: out of range; allowed 32"),
            ("CONFIG_RAM_BASE=0x40000000\n", "CONFIG_RAM_BASE=0x100000000\n",
             "CONFIG_RAM_BASE=0x100000000: out of range; allowed 0x0..0xffe00000")):
        bad = os.path.join(tmp, "bad.cfg")
        with open(bad, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new))
        expect_error(genconfig(bad, check_only=True, arch="arm"), want)


def main():
    good = ["board.cfg"] + sorted(
        os.path.relpath(p, ROOT)
        for p in glob.glob(os.path.join(ROOT, "boards", "*.cfg")))
    tests = []
    for cfg in good:
        tests += [
            ("{} passes and gives a header".format(cfg), test_good, cfg),
            ("{} header is not rewritten when unchanged".format(cfg),
             test_unchanged, cfg),
            ("{} --check-only writes nothing".format(cfg), test_check_only,
             cfg),
            ("{} header compiles as C and assembler".format(cfg),
             test_compiles if CC else None, cfg),
            ("{} is in kconfiglib's format".format(cfg), test_format, cfg),
        ]
    tests.append(("every error is reported, not just the first",
                  test_all_errors, "board.cfg"))
    tests.append(("CONFIG_ARCH matches make ARCH= and sets VA_BITS's and "
                  "RAM_BASE's ranges", test_arch, None))
    tests.append(("{} passes: the base of the edit cases is clean".format(
        BASE), test_base, BASE))
    tests += [("{} with {} is rejected: {}".format(BASE, c.name(), c.expect),
               test_bad, c) for c in CASES]
    tests += [
        ("every Kconfig option is in docs/board-config.md with Kconfig's "
         "type and default", test_docs_options, None),
        ("options no source uses say \"not implemented yet\" in Kconfig "
         "and the docs", test_docs_unimplemented, None),
    ]

    print("TAP version 13")
    print("1..{}".format(len(tests)))
    failed = 0
    for n, (desc, fn, cfg) in enumerate(tests, 1):
        if fn is None:
            print("ok {} - {} # SKIP no C compiler".format(n, desc))
            continue
        tmp = tempfile.mkdtemp(prefix="pagoda-config-test.")
        try:
            fn(cfg, tmp)
            print("ok {} - {}".format(n, desc))
        except (Fail, OSError) as e:
            failed += 1
            print("not ok {} - {}".format(n, desc))
            for line in str(e).splitlines():
                print("# " + line)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if failed:
        print("# {} of {} tests failed".format(failed, len(tests)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
