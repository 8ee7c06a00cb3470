#!/usr/bin/python3
"""The gdb helpers (tools/gdb/pagoda_mm.py) on a live board: boot the
default board on QEMU with -S -gdb, attach gdb-multiarch in batch mode,
stop at show_ps (the demo's first `ps`), run test/gdb/in_gdb.py there and
check what the helpers printed. Prints TAP.

Usage: check_helpers.py ELF [LOG]
"""
import os
import re
import socket
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../..")
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu_common  # noqa: E402

KTHREADS = ["[kernel]", "[kswapd0]", "[lmkd]", "[kcompactd0]"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def blocks(text):
    """{name: (facts, output)} from the ==> NAME facts ... <== NAME blocks."""
    out = {}
    for m in re.finditer(r"^==> (\w+) ?([^\n]*)\n(.*?)^<== \1$", text, re.M | re.S):
        out[m.group(1)] = ([f for f in m.group(2).split(" | ") if f], m.group(3))
    return out


def main():
    elf = os.path.abspath(sys.argv[1])
    image = os.path.join(os.path.dirname(elf), "apps.img")
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(tmp, "boot.log")
        cmd = qemu_common.command(elf, "", ["-M", "virt,gic-version=3", "-cpu", "cortex-a72", "-m", "512M",
                                            "-S", "-gdb", f"tcp:127.0.0.1:{port}"], image=image)
        with open(log_path, "w") as log:
            qemu = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
            # typed ahead: the shell reads it once it is up (the UART keeps early input),
            # MemTotal goes to the log, and the apps demo reaches show_ps with apps running
            qemu.stdin.write(b"cat /proc/meminfo\ndemo apps\n")
            qemu.stdin.flush()
            try:
                gdb = subprocess.run(
                    ["gdb-multiarch", "-q", "-nx", "-batch", elf,
                     "-ex", "set pagination off", "-ex", f"target remote 127.0.0.1:{port}",
                     "-ex", f"source {ROOT}/tools/gdb/pagoda.py", "-ex", f"source {ROOT}/tools/gdb/pagoda_mm.py",
                     "-ex", "break show_ps", "-ex", "continue",
                     "-ex", f"source {ROOT}/test/gdb/in_gdb.py", "-ex", "kill"],
                    stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
                gdb_out = gdb.stdout + gdb.stderr
            except subprocess.TimeoutExpired as e:
                gdb_out = (e.stdout or b"").decode(errors="replace") + "\n(gdb timed out after 120 s)"
            finally:
                qemu.kill()
                qemu.wait()
        boot = open(log_path, errors="replace").read()
    got = blocks(gdb_out)
    checks = []

    def check(name, ok, why):
        checks.append((name, ok, why))

    ps = got.get("ps", ([], ""))[1]
    missing = [k for k in KTHREADS if not re.search(r"^\s*\d+\s+\d+\s+\S+\s+\d+\s+\d+ " + re.escape(k) + "$", ps, re.M)]
    check("pagoda-ps lists the boot task and the kernel threads by name", bool(ps) and not missing,
          f"missing {missing}" if ps else "no output")
    check("pagoda-ps lists an app with its rss", bool(re.search(r"^\s*\d+\s+\d+\s+[RSZ]<?\s+\d+\s+[1-9]\d* [a-z]", ps, re.M)),
          "no app line with rss > 0")
    mi = got.get("meminfo", ([], ""))[1]
    boot_total = re.search(r"^MemTotal:\s+(\d+) kB", boot, re.M)
    gdb_total = re.search(r"^MemTotal:\s+(\d+) kB", mi, re.M)
    check("pagoda-meminfo MemTotal equals the boot log's",
          bool(boot_total and gdb_total and boot_total.group(1) == gdb_total.group(1)),
          f"boot {boot_total and boot_total.group(1)}, gdb {gdb_total and gdb_total.group(1)}")
    check("pagoda-meminfo prints the vm_stat counters", bool(re.search(r"^nr_anon_mapped\s+\d+$", mi, re.M)),
          "no nr_anon_mapped line")
    for name in ("image", "free", "anon", "file", "slab", "vmas"):
        facts, out = got.get(name, (None, ""))
        if facts is None:
            check(f"{name}: helper output", False, "no output (the gdb log follows)")
            continue
        lacking = [f for f in facts if f not in out]
        check(f"{name}: output has {facts}", not lacking, f"missing {lacking}")
    print("TAP version 13")
    print(f"1..{len(checks)}")
    for n, (name, ok, why) in enumerate(checks, 1):
        print(f"{'ok' if ok else 'not ok'} {n} - {name}" + ("" if ok else f": {why}"))
    if not all(ok for _, ok, _ in checks):
        print("# gdb output:")
        for line in gdb_out.splitlines()[-80:]:
            print("# " + line)
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
