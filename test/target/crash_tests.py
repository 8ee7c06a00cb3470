#!/usr/bin/python3
"""Crash-report and boot-path tests: boot with "crash=<kind>" and check the report;
also PSCI reset, the "RAM too small for board.cfg" stop, and an SMP machine.

Each kind must stop the board with a failure status (semihosting exit 1)
and print the report lines a firmware engineer relies on. Prints TAP.
An ARMv7-A image (make ARCH=arm) gets the same boots with its own report
lines (DFSR/DFAR, r0..pc, CPSR) on -cpu cortex-a15.
Usage: crash_tests.py ELF [LOGDIR]
"""
import os
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../tools"))
import qemu_common  # noqa: E402

# SYM: a backtrace line symbolised by kallsyms, "[<address>] name+0xoff/0xsize"
# (gcc's clones keep a suffix: recurse.isra.0)
SYM = r"  \[<ffff[0-9a-f]{12}>\] %s(\.\w+)*\+0x[0-9a-f]+/0x[0-9a-f]+"
COMMON = [r"Kernel panic - not syncing", r"---\[ end Kernel panic \]---", r"Call trace:\n" + SYM % r"\w+",
          SYM % "panic"]
REGS = [r" x0  [0-9a-f]{16}  x1  [0-9a-f]{16}", r" x30 [0-9a-f]{16}  sp  [0-9a-f]{16}", r" ELR_EL1  ffff", r" SPSR_EL1 [0-9a-f]{16} \(EL1h"]
# (kind, command line, extra QEMU options, expected exit status, patterns)
BOOTS = [
    ("reset", "reset", [], 0, [r"Restarting system \(PSCI SYSTEM_RESET\)"]),
    ("ram-too-small", "", ["-m", "40M"], 1,
     [r"boot: RAM too small for this board configuration: board.cfg needs \d+ KiB, the device tree describes 40960 KiB",
      r"reduce CONFIG_CMA_SIZE_MB", r"Kernel panic - not syncing: RAM too small for board.cfg"]),
    ("smp-secondaries-parked", "ktest=timer", ["-smp", "4"], 0, [r"ktest: all passed"]),
]

CASES = {
    "null": [r"ELR_EL1  ffff[0-9a-f]{12} crash_null\+0x[0-9a-f]+/0x[0-9a-f]+\n", SYM % "crash_null" + r" \(pc\)",
             SYM % "crashtest_maybe", r"Unable to handle kernel paging request at virtual address 0000000000000000",
             r"ESR_EL1  [0-9a-f]{16} \(EC=0x25 IL=1: read, translation fault, level 0\)",
             r"FAR_EL1  0000000000000000"] + REGS,
    "text-write": [SYM % "crash_text_write" + r" \(pc\)", r"ESR_EL1  [0-9a-f]{16} \(EC=0x25 IL=1: write, permission fault, level 3\)",
                   r"DABT \(current EL\)"] + REGS,
    "undef": [SYM % "arch_exec_undefined" + r" \(pc\)", SYM % "crash_undef", r"Synchronous \(EL1h\): Unknown/uncategorized", r"EC=0x00"] + REGS,
    "stack-overflow": [SYM % "recurse" + r"\n  \.\.\. repeated \d+ more times", r"Kernel stack overflow: SP ran into the guard page",
                       r"write, translation fault, level 3", r"\.\.\. repeated \d+ more times"] + REGS,
    "stack-smash": [r"stack-protector: kernel stack is corrupted", SYM % "__stack_chk_fail" + r"\n" + SYM % "smash"],
    "panic": [r"crashtest: deliberate panic", SYM % "crash_panic"],
    # the OOM killer with nothing to kill: its report, the protected app in it, then the panic
    "oom-nokill": [r"kernel invoked oom-killer: gfp_mask=0x2c0\(GFP_KERNEL\|__GFP_NOWARN\), order=0, oom_score_adj=0",
                   r"Mem-Info:", r"\[\s+\d+\]\s+0\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+-1000 memverify",
                   r"Out of memory and no killable processes\.\.\.",
                   r"Kernel panic - not syncing: System is deadlocked on memory"],
}

# ARMv7-A: a Thumb-2 kernel; traces follow the EHABI unwind tables (platform/armv7a/unwind.c)
ARM_SYM = r"  \[<c[0-9a-f]{7}>\] %s(\.\w+)*\+0x[0-9a-f]+/0x[0-9a-f]+"
ARM_COMMON = [r"Kernel panic - not syncing", r"---\[ end Kernel panic \]---", r"Call trace:\n" + ARM_SYM % r"\w+",
              ARM_SYM % "panic"]
ARM_REGS = [r" r0  [0-9a-f]{8}  r1  [0-9a-f]{8}", r" lr  c[0-9a-f]{7}  pc  c[0-9a-f]{7}", r" CPSR  [0-9a-f]{8} \(SVC, Thumb"]
ARM_CASES = {
    "null": [ARM_SYM % "crash_null" + r" \(pc\)\n" + ARM_SYM % "crashtest_maybe" + r"\n" + ARM_SYM % "boot_main", r"Unable to handle kernel paging request at virtual address 00000000",
             r"Data abort in SVC mode", r"DFSR  [0-9a-f]{8} \(read, translation fault, level 1\)", r"DFAR  00000000",
             r"PC    c[0-9a-f]{7} crash_null\+0x[0-9a-f]+/0x[0-9a-f]+"] + ARM_REGS,
    "text-write": [ARM_SYM % "crash_text_write" + r" \(pc\)", r"DFSR  [0-9a-f]{8} \(write, permission fault, level 3\)"] + ARM_REGS,
    "undef": [ARM_SYM % "arch_exec_undefined" + r" \(pc\)", ARM_SYM % "crash_undef",
              r"Undefined instruction in SVC mode"] + ARM_REGS,
    "stack-overflow": [r"Kernel stack overflow: SP ran into the guard page \(sp c[0-9a-f]{7}\)",
                       ARM_SYM % "recurse" + r" \(pc\)\n" + ARM_SYM % "recurse" + r"\n  \.\.\. repeated \d+ more times", r"DFSR  [0-9a-f]{8} \(write, translation fault, level 3\)"] + ARM_REGS,
    "stack-smash": [r"stack-protector: kernel stack is corrupted", ARM_SYM % "__stack_chk_fail" + r"\n" + ARM_SYM % "smash"],
    "panic": [r"crashtest: deliberate panic", ARM_SYM % "crash_panic"],
    "oom-nokill": CASES["oom-nokill"],
}


def boot(elf, cmdline, extra, cpu):
    image = os.path.join(os.path.dirname(os.path.abspath(elf)), "apps.img")  # oom-nokill runs an app
    cmd = qemu_common.command(elf, cmdline, ["-M", "virt", "-cpu", cpu, "-m", "128M"] + extra,
                              image=image if os.path.exists(image) else None)
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        return p.stdout.decode(errors="replace").replace("\r\n", "\n"), p.returncode
    except subprocess.TimeoutExpired:
        return "", None


def main():
    elf = sys.argv[1]
    logdir = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else None
    arm = qemu_common.machine(elf) == qemu_common.EM_ARM
    cpu, common, cases = ("cortex-a15", ARM_COMMON, ARM_CASES) if arm else ("cortex-a53", COMMON, CASES)
    runs = [(f"crash={k}", f"crash={k}", [], 1, common + pats) for k, pats in cases.items()] + BOOTS

    print("TAP version 13")
    print(f"1..{len(runs)}")
    failed = 0
    for n, (name, cmdline, extra, want_rc, patterns) in enumerate(runs, 1):
        out, rc = boot(elf, cmdline, extra, cpu)
        if logdir:
            (logdir / f"boot-{name.replace('=', '-')}.log").write_text(out)
        missing = [pat for pat in patterns if not re.search(pat, out)]
        problems = ([f"exit status {rc}, expected {want_rc}"] if rc != want_rc else []) + \
            [f"missing /{m}/" for m in missing]
        failed += bool(problems)
        print(f"{'not ok' if problems else 'ok'} {n} - {name}" + (": " + "; ".join(problems) if problems else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
