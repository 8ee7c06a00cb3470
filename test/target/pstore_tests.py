#!/usr/bin/python3
"""pstore across a real reset: QEMU started without -no-reboot, command line
"crash=panic-reset" (and "crash=oom-reset": the same through panic_on_oom,
below). Boot 1 finds no record (QEMU's fresh RAM: bad magic),
panics with panic_reboot set, saves its record and resets through PSCI
SYSTEM_RESET; QEMU reloads the image and DTB but keeps the rest of RAM, so
boot 2 prints "Last boot ended in: Kernel panic (reset #1)" and the saved
console text (with boot 1's panic line) and powers off with status 0.

Prints TAP. Usage: pstore_tests.py ELF [LOGDIR]
"""
import os
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../tools"))
import qemu_common  # noqa: E402

# printed after the record is saved, so never part of it: one per reset
RESET = "Rebooting (panic_reboot, PSCI SYSTEM_RESET)\n"
# (name, QEMU options): a small and a large machine (the region at the top of RAM moves)
MACHINES = [("a53-128M", ["-M", "virt", "-cpu", "cortex-a53", "-m", "128M"]),
            ("a72-2G", ["-M", "virt", "-cpu", "cortex-a72", "-m", "2G"])]
BOOT1 = [r"pstore: no valid record \(bad magic\)",
         r"Kernel panic - not syncing: crashtest: deliberate panic before a reset",
         r"pstore: saved \d+ bytes of console output, reason \"Kernel panic\", reset #1",
         r"Pagoda firmware — board "]
BOOT2 = [r"Last boot ended in: Kernel panic \(reset #1\)",
         r"==> /sys/fs/pstore/console-ramoops-0 <== Kernel panic \(reset #1\), \d+ bytes",
         # boot 1's own lines, as saved before the reset
         r"<==[^\n]*\n(.*\n)*Kernel panic - not syncing: crashtest: deliberate panic before a reset\n",
         r"---\[ end Kernel panic \]---\n==> end of /sys/fs/pstore/console-ramoops-0 <==",
         r"crashtest: the last boot's record is above; powering off"]


# crash=oom-reset: panic_on_oom=1, memverify running, kernel allocations
# until the OOM killer panics: boot 1 prints the OOM report (memverify in its
# task table) and saves it; boot 2 prints it back from the record
OOM_BOOT1 = [r"pstore: no valid record \(bad magic\)",
             r"invoked oom-killer: gfp_mask=0x[0-9a-f]+\(GFP_KERNEL",
             r"Tasks state \(memory values in pages\):\n.*\n.*memverify",
             r"Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled",
             r"pstore: saved \d+ bytes of console output, reason \"Out of memory panic\", reset #1"]
OOM_BOOT2 = [r"Last boot ended in: Out of memory panic \(reset #1\)",
             r"<==[^\n]*\n(.*\n)*Tasks state \(memory values in pages\):\n.*\n.*memverify",
             r"<==[^\n]*\n(.*\n)*Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled\n",
             r"crashtest: the last boot's record is above; powering off"]
# crash=oom-budget-reset: panic_on_oom=2, an app over its own budget: the
# budget OOM report (memory+swap usage, the app alone) and a compulsory panic
BUDGET_BOOT1 = [r"memverify invoked oom-killer: gfp_mask=0xcc\(GFP_HIGHUSER_MOVABLE\), order=0",
                r"memory\+swap: usage \d+kB, limit 512kB, failcnt \d+",
                r"Kernel panic - not syncing: Out of memory: compulsory panic_on_oom is enabled",
                r"pstore: saved \d+ bytes of console output, reason \"Out of memory panic\", reset #1"]
BUDGET_BOOT2 = [r"Last boot ended in: Out of memory panic \(reset #1\)",
                r"<==[^\n]*\n(.*\n)*memory\+swap: usage \d+kB, limit 512kB",
                r"<==[^\n]*\n(.*\n)*Kernel panic - not syncing: Out of memory: compulsory panic_on_oom is enabled\n",
                r"crashtest: the last boot's record is above; powering off"]
CASES = [("panic-reset", BOOT1, BOOT2), ("oom-reset", OOM_BOOT1, OOM_BOOT2),
         ("oom-budget-reset", BUDGET_BOOT1, BUDGET_BOOT2)]


def run(elf, extra, crash="panic-reset"):
    image = os.path.join(os.path.dirname(os.path.abspath(elf)), "apps.img")
    cmd = qemu_common.command(elf, "crash=" + crash, extra, image=image if os.path.exists(image) else None,
                              reboot=True)
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        return p.stdout.decode(errors="replace").replace("\r\n", "\n"), p.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace").replace("\r\n", "\n")
        return out, None


def check(out, rc, boot1=BOOT1, boot2=BOOT2):
    boots = out.split(RESET)
    problems = []
    if rc != 0:
        problems.append(f"exit status {rc}, expected 0")
    if len(boots) != 2:
        return problems + [f"{len(boots) - 1} resets, expected 1"]
    for i, (text, pats) in enumerate(((boots[0], boot1), (boots[1], boot2)), 1):
        problems += [f"boot {i}: missing /{p}/" for p in pats if not re.search(p, text)]
    if "Last boot ended in" in boots[0]:
        problems.append("boot 1 (cold) claims a record")
    return problems


def main():
    elf = sys.argv[1]
    logdir = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else None
    print("TAP version 13")
    print(f"1..{len(MACHINES) * len(CASES)}")
    failed = n = 0
    for crash, boot1, boot2 in CASES:
        for name, extra in MACHINES:
            n += 1
            out, rc = run(elf, extra, crash)
            if logdir:
                (logdir / f"boot-pstore-{crash}-{name}.log").write_text(out)
            problems = check(out, rc, boot1, boot2)
            failed += bool(problems)
            print(f"{'not ok' if problems else 'ok'} {n} - {crash}: pstore across a reset ({name})" +
                  (": " + "; ".join(problems) if problems else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
