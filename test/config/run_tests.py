#!/usr/bin/python3
"""Tests of the board configuration checker, tools/genconfig.py.

usage: /usr/bin/python3 test/config/run_tests.py

Good configs (board.cfg, boards/*.cfg) must pass, produce a header that
compiles as C and as assembler, be in the exact format kconfiglib writes
(so that a menuconfig save changes nothing else), and regenerating an
unchanged header must leave it untouched. Bad configs (test/config/bad-*.cfg,
each board.cfg with one defect) must fail with exit status 1, every error a
'<cfg>:<line>: ' line, one of them containing the substring given by the
file's first line:

    # expect: CONFIG_TIMER_HZ=5000: out of range

The substring must name the option. Output is TAP version 13 on stdout;
the exit status is 0 iff every test passed.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PYTHON = "/usr/bin/python3"     # Debian's, the one that has kconfiglib
GENCONFIG = os.path.join("tools", "genconfig.py")
KCONFIG = "Kconfig"
CC = shutil.which("aarch64-linux-gnu-gcc") or shutil.which("cc")


class Fail(Exception):
    pass


def genconfig(cfg, header=None, check_only=False):
    cmd = [PYTHON, GENCONFIG, "--kconfig", KCONFIG, "--config", cfg]
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


def test_bad(cfg, tmp):
    with open(os.path.join(ROOT, cfg), encoding="utf-8") as f:
        first = f.readline()
    m = re.fullmatch(r"# expect: (.+)\n", first)
    if not m:
        raise Fail("first line is not '# expect: <substring>'")
    expect = m.group(1)
    if not re.search(r"CONFIG_[A-Z0-9_]+", expect):
        raise Fail("expected substring names no option")
    header = os.path.join(tmp, "config.h")
    r = genconfig(cfg, header)
    if r.returncode != 1:
        raise Fail("exit status {}, want 1".format(r.returncode))
    if os.path.exists(header):
        raise Fail("header written for a bad config")
    lines = r.stderr.splitlines()
    line_re = re.compile(re.escape(cfg) + r":[0-9]+: .+; allowed .+")
    for line in lines:
        if not line_re.fullmatch(line):
            raise Fail("badly formed error line: " + line)
    if not any(expect in line for line in lines):
        raise Fail("no error contains {!r}; got: {}".format(expect, lines))


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


def main():
    good = ["board.cfg"] + sorted(
        os.path.relpath(p, ROOT)
        for p in glob.glob(os.path.join(ROOT, "boards", "*.cfg")))
    bad = sorted(os.path.relpath(p, ROOT) for p in
                 glob.glob(os.path.join(ROOT, "test", "config", "bad-*.cfg")))

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
    tests += [("{} is rejected".format(cfg), test_bad, cfg) for cfg in bad]

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
