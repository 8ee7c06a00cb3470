#!/usr/bin/python3
"""Boot the firmware on QEMU with bootargs "ktest", parse its KTAP output.

Usage: qemu_ktap.py --elf build/board/pagoda.elf [--image APPS.IMG] [--log FILE]
                    [--timeout S] [--filter SUITE] -- <extra qemu options>

The app image goes to flash bank 1 (-drive if=pflash,unit=1,readonly=on);
by default apps.img next to the ELF, if there is one.

Prints flattened TAP (one line per test case, "suite.case") on stdout and
exits 0 only if the boot ended cleanly (semihosting exit 0), every suite
reported, and no case failed. A crash, panic or timeout is reported as a
failed "boot" test with the reason; kernel addresses in a crash report's
call trace are symbolised with addr2line into the log.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_common  # noqa: E402

RESULT = re.compile(r"^(\s*)(ok|not ok) (\d+) ([^#]*?)\s*(?:#\s*(SKIP|TODO)\b\s*(.*))?$")
PLAN = re.compile(r"^(\s*)1\.\.(\d+)\s*$")
SUBTEST = re.compile(r"^\s*# Subtest: (\S+)")


def parse_ktap(lines):
    """Return (cases, suites_planned, suites_seen, problems).

    cases: list of (name, status) for leaf tests, status in ok/fail/skip.
    """
    cases, problems = [], []
    top_plan, suites_seen = None, 0
    suite = None
    seen_header = False
    for line in lines:
        if line.strip() == "KTAP version 1" and not line.startswith(" "):
            seen_header = True
            continue
        if not seen_header:
            continue
        m = SUBTEST.match(line)
        if m:
            suite = m.group(1)
            continue
        m = PLAN.match(line)
        if m and not m.group(1):
            top_plan = int(m.group(2))
            continue
        m = RESULT.match(line)
        if not m:
            continue
        indent, status, _, name, directive, _reason = m.groups()
        st = "fail" if status == "not ok" else ("skip" if directive == "SKIP" else "ok")
        if indent:  # a case inside the current suite
            cases.append((f"{suite}.{name.strip()}", st))
        else:  # a suite's own result line
            suites_seen += 1
            if st == "fail" and not any(c[0].startswith(name.strip() + ".") and c[1] == "fail" for c in cases):
                cases.append((f"{name.strip()}", "fail"))
    if not seen_header:
        problems.append("no KTAP header in the output")
    elif top_plan is None:
        problems.append("no KTAP plan")
    elif suites_seen != top_plan:
        problems.append(f"{suites_seen} of {top_plan} suites reported")
    return cases, problems


def symbolise(elf, text):
    addrs = sorted(set(re.findall(r"\[<([0-9a-f]{16})>\]", text)))
    if not addrs:
        return ""
    out = subprocess.run(["aarch64-linux-gnu-addr2line", "-f", "-p", "-e", elf] + ["0x" + a for a in addrs],
                         capture_output=True, text=True)
    return "".join(f"  {a}: {l}\n" for a, l in zip(addrs, out.stdout.splitlines()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elf", required=True)
    ap.add_argument("--log")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--filter", default="")
    ap.add_argument("--image", help="app image for flash bank 1 (default: apps.img next to the ELF, if any)")
    ap.add_argument("qemu_args", nargs="*")
    a = ap.parse_args()

    bootargs = "ktest" + (f"={a.filter}" if a.filter else "")
    # -append WORD (repeatable): a kernel parameter for this boot (e.g. highmem=512M);
    # ktest=SUITES replaces the filter (kernel/ktest.c: "a,b" or "-a,-b")
    while "-append" in a.qemu_args:
        i = a.qemu_args.index("-append")
        for word in a.qemu_args[i + 1:i + 2]:
            if word.startswith("ktest="):
                bootargs = word + bootargs[len("ktest" + (f"={a.filter}" if a.filter else "")):]
            else:
                bootargs += " " + word
        del a.qemu_args[i:i + 2]
    if "-M" not in a.qemu_args and "-machine" not in a.qemu_args:
        a.qemu_args += ["-M", "virt"]
    if "-cpu" not in a.qemu_args:
        a.qemu_args += ["-cpu", "cortex-a72"]  # virt's default CPU is 32-bit
    image = a.image or os.path.join(os.path.dirname(a.elf), "apps.img")
    cmd = qemu_common.command(a.elf, bootargs, a.qemu_args,
                              image if a.image or os.path.exists(image) else None)
    problems = []
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=a.timeout)
        out, rc = p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"").decode(errors="replace"), None
        problems.append(f"timed out after {a.timeout:.0f} s")
    out = out.replace("\r\n", "\n")
    if rc not in (0, None):
        problems.append(f"QEMU exited with status {rc}")
    if "Kernel panic" in out:
        problems.append("kernel panic")
    cases, ktap_problems = parse_ktap(out.splitlines())
    problems += ktap_problems

    if a.log:
        with open(a.log, "w") as f:
            f.write("$ " + " ".join(cmd) + "\n" + out)
            sym = symbolise(a.elf, out)
            if sym:
                f.write("\nsymbolised call trace:\n" + sym)

    print("TAP version 13")
    print(f"1..{len(cases) + 1}")
    n = 0
    for name, st in cases:
        n += 1
        print(f"{'not ok' if st == 'fail' else 'ok'} {n} - {name}{' # SKIP' if st == 'skip' else ''}")
    n += 1
    print(f"{'not ok' if problems else 'ok'} {n} - boot ended cleanly{': ' + '; '.join(problems) if problems else ''}")
    passed = sum(1 for _, s in cases if s == "ok") + (0 if problems else 1)
    failed = sum(1 for _, s in cases if s == "fail") + (1 if problems else 0)
    print(f"# {passed} passed, {failed} failed")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
