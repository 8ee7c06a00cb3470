#!/usr/bin/python3
"""Boot test/armv7a/boot_smoke.c's image (make ARCH=arm boot-smoke) on
qemu-system-arm and check the ARMv7-A boot path: LPAE MMU on at the high
half, HYP left for SVC, semihosting probed, DTB found at PAGE_OFFSET, PSCI
answered, faults caught with their long-descriptor status decoded, a clean
exit, and the Oops report of an unexpected data abort.

Usage: boot_smoke.py ELF LOG   (prints TAP; exit 0 iff every check passed)
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import qemu_common  # noqa: E402

COMMON = [
    r"^Pagoda ARMv7-A boot smoke — board \S+ \(arm\)$",
    r"^smoke: mode 0x13, SCTLR [0-9a-f]{8} \(MMU on, caches on\), TTBCR [0-9a-f]{8} \(EAE on, T1SZ 2\)$",
    r"^smoke: running at 0xc02[0-9a-f]{5} \(linked at 0xc0200000\)",
    r"^smoke: semihosting yes$",
    r"^smoke: DTB at PAGE_OFFSET: \d+ bytes$",
    r"^smoke: PSCI version 0x1000[0-9]$",
    r"^smoke: write to unmapped 0x10: caught write, translation fault, level 1 \(type 0 level 1\) at 0x10$",
    r"^smoke: read of unmapped 0xd0000000: caught read, translation fault, level 2 \(type 0 level 2\) at 0xd0000000$",
    r"^smoke: udf: caught undefined instruction at 0xc02[0-9a-f]{5}$",
]
RUNS = [
    ("cortex-a15 256M (SVC entry)", ["-M", "virt", "-cpu", "cortex-a15", "-m", "256M"], "", 0,
     COMMON + [r"^smoke: done$"]),
    ("cortex-a7 1G, virtualization=on (HYP entry)", ["-M", "virt,virtualization=on", "-cpu", "cortex-a7", "-m", "1G"],
     "", 0, COMMON + [r"^smoke: done$"]),
    ("crash: the Oops report of an unexpected data abort", ["-M", "virt", "-cpu", "cortex-a15", "-m", "256M"],
     "crash", 1, COMMON + [
         r"^Unable to handle kernel paging request at virtual address d0000004$",
         r"^Internal error: Oops$",
         r"^ Data abort in SVC mode$",
         r"^ DFSR  00000a06 \(write, translation fault, level 2\)$",
         r"^ DFAR  d0000004$",
         r"^ CPSR  [0-9a-f]{8} \(SVC, Thumb, ",
         r"^ lr  [0-9a-f]{8}  pc  c02[0-9a-f]{5}$",
         r"^Kernel panic - not syncing: fatal exception: Data abort$"]),
]


def main():
    elf, log = sys.argv[1], sys.argv[2]
    print("TAP version 13")
    print(f"1..{len(RUNS)}")
    failed = 0
    with open(log, "w") as lf:
        for n, (name, machine, append, want_rc, patterns) in enumerate(RUNS, 1):
            cmd = qemu_common.command(elf, append, machine)
            try:
                p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
                out, rc = p.stdout.decode(errors="replace").replace("\r", ""), p.returncode
            except subprocess.TimeoutExpired as e:
                out, rc = (e.stdout or b"").decode(errors="replace").replace("\r", ""), "timeout"
            lf.write(f"== {name}: {' '.join(cmd)}\n{out}\n== exit {rc}\n")
            lines = out.splitlines()
            missing = [pat for pat in patterns if not any(re.search(pat, ln) for ln in lines)]
            ok = rc == want_rc and not missing
            failed += not ok
            print(f"{'ok' if ok else 'not ok'} {n} - {name}")
            if rc != want_rc:
                print(f"# exit {rc}, want {want_rc}")
            for pat in missing:
                print(f"# no line matches {pat}")
    print(f"# {len(RUNS) - failed} passed, {failed} failed (log: {log})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
