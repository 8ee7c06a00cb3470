#!/usr/bin/python3
"""Boot checks: misconfigured boards must stop with a message naming the
board.cfg option, a failure status and quickly -- never a hang or a
silent exit 0 (docs/board-config.md, "What the boot checks").

Each case is board.cfg with a one-line edit, written into build/ at test
time (bad boards are never committed), built with make (boards build into
build/<basename>/) and booted with a timeout. Prints TAP.
Usage: boot_checks.py [LOGDIR]
"""
import os
import pathlib
import re
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import qemu_common  # noqa: E402

TIMEOUT = 30      # a hang shows up as this
QUICK = 15        # a stop must come well before it (seconds, wall clock)

# (name, option, value or None for board.cfg unchanged, QEMU machine options, patterns)
# A name ending in "+fw" boots without the launcher's image check (tools/qemu_common.py),
# to prove the firmware's own report of what the launcher would have refused.
CASES = [
    # (a RAM_BASE the engines do not reach, or a CMA region beyond them, is refused by
    # tools/genconfig.py at build time: test/config/cases.py; these pass the build)
    ("ram-base", "CONFIG_RAM_BASE", "0x40800000", ["-m", "512M"],
     [r"no device tree at CONFIG_RAM_BASE \(0x40800000\)", r"set CONFIG_RAM_BASE=0x40000000"]),
    ("kernel-offset-beyond-ram+fw", "CONFIG_KERNEL_OFFSET", "0x7e00000", ["-m", "129280K"],
     [r"exception before the MMU was on, address 0x47e[0-9a-f]{5}", r"CONFIG_KERNEL_OFFSET 0x0?7e00000"]),
    # linked entirely outside RAM: QEMU would load nothing and no firmware code could run;
    # the launcher (tools/qemu_common.py) refuses before starting QEMU
    ("kernel-offset-no-ram", "CONFIG_KERNEL_OFFSET", "0x8000000", ["-m", "128M"],
     [r"outside the RAM of QEMU virt with -m 128M \[0x40000000-0x47ffffff\]", r"CONFIG_KERNEL_OFFSET"]),
    ("entry-el3", None, None, ["-M", "virt,secure=on", "-m", "128M"],
     [r"entered at EL3", r"without secure=on"]),
    ("uart-base", "CONFIG_UART_BASE", "0x09100000", ["-m", "128M"],
     [r"CONFIG_UART_BASE is 0x9100000, but the device tree has no UART there",
      r"Set CONFIG_UART_BASE=0x9000000"]),
    ("gic-dist", "CONFIG_GIC_DIST_BASE", "0x08020000", ["-m", "128M"],
     [r"CONFIG_GIC_DIST_BASE=0x8020000, but the device tree's GIC distributor is at 0x8000000",
      r"set CONFIG_GIC_DIST_BASE=0x8000000"]),
    ("gic-redist", "CONFIG_GIC_REDIST_BASE", "0x080b0000", ["-m", "128M", "-M", "virt,gic-version=3"],
     [r"set CONFIG_GIC_REDIST_BASE=0x80a0000"]),
    ("dma-irq-uart", "CONFIG_DMA0_IRQ", "33", ["-m", "128M"],
     [r"CONFIG_DMA0_IRQ=33 cannot be used: INTID 33 is the interrupt of the device tree's pl011",
      r"set CONFIG_DMA0_IRQ to a free SPI, e\.g\. \d+"]),
    ("dma-irq-range", "CONFIG_DMA0_IRQ", "500", ["-m", "128M"],
     [r"CONFIG_DMA0_IRQ=500 cannot be used: INTID 500 is beyond the GIC's \d+ INTIDs"]),
    ("dma-addr-bits", "CONFIG_DMA0_ADDR_BITS", "20", ["-m", "128M"],
     [r"\(CONFIG_DMA0_ADDR_BITS=20\)", r"CONFIG_SWIOTLB_SIZE_KB=\d+",
      r"set CONFIG_DMA0_ADDR_BITS to at least 2[1-9]"]),
    ("cma-size", "CONFIG_CMA_SIZE_MB", "3072", ["-m", "8G"],
     [r"CONFIG_CMA_SIZE_MB=3072 is too large: at most \d+ MiB fits"]),
]


def board_for(name, option, value):
    """board.cfg with option set to value, as build/bootchk-<name>.cfg (None: board.cfg itself)."""
    if option is None:
        return "board.cfg"
    text = (ROOT / "board.cfg").read_text()
    new, n = re.subn(rf"^{option}=.*$", f"{option}={value}", text, flags=re.M)
    assert n == 1, f"{option} not in board.cfg"
    path = ROOT / "build" / f"bootchk-{name.replace('+', '-')}.cfg"
    path.parent.mkdir(exist_ok=True)
    if not path.exists() or path.read_text() != new:
        path.write_text(new)
    return str(path.relative_to(ROOT))


def build(board):
    p = subprocess.run(["make", "-j2", "--no-print-directory", f"BOARD={board}", "all"], cwd=ROOT,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    return p.returncode, p.stdout[-2000:] + p.stderr[-2000:]


def boot(elf, extra, preflight=True):
    machine = [] if "-M" in extra else ["-M", "virt"]
    cmd = qemu_common.command(elf, "", machine + ["-cpu", "cortex-a53"] + extra)
    env = dict(os.environ, PAGODA_NO_PREFLIGHT="0" if preflight else "1")
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT, env=env)
        out, rc = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"") + (e.stderr or b""), None
    return out.decode(errors="replace").replace("\r\n", "\n"), rc, time.monotonic() - start


def main():
    logdir = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else None
    print("TAP version 13")
    print(f"1..{len(CASES)}")
    failed = 0
    for n, (name, option, value, extra, patterns) in enumerate(CASES, 1):
        board = board_for(name, option, value)
        rc, log = build(board)
        if rc:
            failed += 1
            print(f"not ok {n} - {name}: build of {board} failed")
            print("\n".join("# " + line for line in log.splitlines()[-10:]))
            continue
        elf = str(ROOT / "build" / pathlib.Path(board).stem / "pagoda.elf")
        out, rc, secs = boot(elf, extra, preflight=not name.endswith("+fw"))
        if logdir:
            (logdir / f"bootchk-{name}.log").write_text(out)
        problems = []
        if rc is None:
            problems.append(f"hung: no stop within {TIMEOUT} s")
        elif rc == 0:
            problems.append("exit status 0")
        elif secs > QUICK:
            problems.append(f"stopped after {secs:.1f} s (> {QUICK} s)")
        problems += [f"missing /{p}/" for p in patterns if not re.search(p, out)]
        failed += bool(problems)
        what = f"{option}={value}" if option else " ".join(extra)
        print(f"{'not ok' if problems else 'ok'} {n} - {name} ({what}): "
              + ("; ".join(problems) if problems else f"stopped with status {rc} in {secs:.1f} s"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
