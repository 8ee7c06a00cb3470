#!/usr/bin/python3
"""Every QEMU command line the project runs starts from one place.

Scans the committed sources (Makefile, *.mk, *.py, *.sh) for the QEMU
binaries' names and fails (TAP) where it appears outside tools/qemu_common.py
and the Makefile's QEMU variable, and checks that the common options carry
`-nic none` (QEMU's virt machine otherwise adds a virtio NIC whose ROM a
fresh Debian lacks). Usage: check_qemu_lines.py [ROOT]
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
ALLOWED = {("tools/qemu_common.py", 'QEMU = "qemu-system-aarch64"   # without a -kernel ELF to read'),
           ("tools/qemu_common.py", 'QEMU_ARM = "qemu-system-arm"   # an ELF for EM_ARM (ARMv7-A, make ARCH=arm)'),
           ("Makefile", "QEMU := $(PY) tools/qemu_common.py")}
# the binaries, as code names them (deps.sh's package qemu-system-arm is not one)
BINARY = re.compile(r"qemu-system-aarch64|[\"']qemu-system-arm[\"']")
SKIP_DIRS = {"build", ".git", "docs"}


def scan():
    bad = []
    for d, dirs, files in os.walk(ROOT):
        dirs[:] = [x for x in dirs if x not in SKIP_DIRS and not x.startswith("build")]
        for f in files:
            if not (f == "Makefile" or f.endswith((".mk", ".py", ".sh"))):
                continue
            path = os.path.relpath(os.path.join(d, f), ROOT)
            if path == "tools/check_qemu_lines.py":
                continue
            for n, line in enumerate(open(os.path.join(d, f), errors="replace"), 1):
                if line.lstrip().startswith("#"):
                    continue
                if (BINARY.search(line) or re.match(r"QEMU :?=", line)) and (path, line.strip()) not in ALLOWED:
                    bad.append(f"{path}:{n}: {line.strip()}")
                # make recipes: $(QEMU) only ever with $(QEMU_ARGS) (which starts with the common options)
                if re.search(r"\$\(QEMU\)", line) and not re.search(r"\$\(QEMU\) \$\(QEMU_ARGS\)", line):
                    bad.append(f"{path}:{n}: {line.strip()}")
    return bad


def main():
    bad = scan()
    args = open(os.path.join(ROOT, "tools/qemu-common.args")).read().split()
    nic = any(args[i:i + 2] == ["-nic", "none"] for i in range(len(args)))
    mk = open(os.path.join(ROOT, "Makefile")).read()
    nic = nic and re.search(r"^QEMU_COMMON := \$\(shell cat tools/qemu-common.args\)$", mk, re.M) \
        and re.search(r"^QEMU_ARGS = \$\(QEMU_COMMON\) ", mk, re.M)
    print("TAP version 13\n1..2")
    print(("ok" if not bad else "not ok") + " 1 - QEMU command lines built only by tools/qemu_common.py and the Makefile's QEMU_ARGS")
    for b in bad:
        print("# " + b)
    print(("ok" if nic else "not ok") + " 2 - tools/qemu-common.args has -nic none and the Makefile's QEMU_ARGS start with it")
    return 1 if bad or not nic else 0


if __name__ == "__main__":
    sys.exit(main())
