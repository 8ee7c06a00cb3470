#!/usr/bin/python3
"""The console shell on QEMU, driven over its serial port (TAP).

One boot; every step types at the prompt and waits for the next prompt
(tools/pagoda_console.py: expect with timeouts, no sleeps):

  free, vmstat and ps parsed and checked against /proc/meminfo read in the
  same session (and against each other); echo to a knob and read back; a
  bad write prints the errno message; ^C stops `vmstat 1` and kills a
  foreground app; `ktest SUITE` prints KTAP; `memtest 4M` passes; `run`
  prints an app's exit status, `run ... &` is reaped at a later prompt;
  dmesg still starts with the boot log after the demo's output; the up
  arrow recalls a line and Tab completes a command and a /proc path over
  the wire; a syntax error and an unknown command are reported.

Steps that need the /proc tree (kernel/procfs.c) skip, saying so, when the
firmware's `cat /proc/meminfo` answers "Function not implemented".
Usage: shell_test.py --elf ELF [--image IMG] [--log FILE] -- QEMU_ARGS
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pagoda_console import Console, Timeout  # noqa: E402

results = []


def check(ok, what, detail=""):
    results.append(("ok" if ok else "not ok", what, detail))


def skip(what, reason):
    results.append(("ok", what + " # SKIP " + reason, ""))


def parse_meminfo(text):
    out = {}
    for line in text.splitlines():
        m = re.match(r"^(\w+(?:\(\w+\))?):\s+(\d+) kB$", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def parse_free(text):
    rows = {}
    for line in text.splitlines():
        parts = line.split()
        if parts and parts[0] in ("Mem:", "Swap:"):
            rows[parts[0][:-1]] = [int(x) for x in parts[1:]]
    return rows


def near(a, b, slack):
    return abs(a - b) <= slack


def compare_with_procps(con, demo):
    """Debian's procps free, reading the meminfo the demo printed last (bind-
    mounted over /proc/meminfo in a private mount namespace), prints what our
    free and free -h print right after it."""
    block = demo.split("$ cat /proc/meminfo\n")[-1]
    meminfo = "".join(l + "\n" for l in block.splitlines() if re.match(r"^[\w()]+: +\d+ kB$", l))
    ours = con.cmd("free") + con.cmd("free -h")
    if os.geteuid() != 0 or not shutil.which("free") or not shutil.which("unshare"):
        skip("free's output is procps free's", "needs root, unshare and procps on the host")
        return
    with tempfile.NamedTemporaryFile("w", suffix=".meminfo") as f:
        f.write(meminfo)
        f.flush()
        # /proc made private first so the bind never propagates out; "/" left
        # alone (no mount point in make fresh-check's chroot), as check_procps.py
        r = subprocess.run(["unshare", "-m", "--propagation", "unchanged", "sh", "-c",
                            f"mount --make-private /proc && mount --bind {f.name} /proc/meminfo && free && free -h"],
                           capture_output=True, text=True)
    check(r.returncode == 0 and r.stdout == ours, "free and free -h print what procps free prints for the same meminfo",
          f"ours:\n{ours}procps:\n{r.stdout}{r.stderr}")


def steps(con, have_proc):
    # ---- free / vmstat / ps against /proc/meminfo
    free = parse_free(con.cmd("free"))
    vm = con.cmd("vmstat").splitlines()
    mi = parse_meminfo(con.cmd("cat /proc/meminfo")) if have_proc else None
    check("Mem" in free and len(free["Mem"]) == 6 and len(free.get("Swap", [])) == 3, "free prints Mem (6) and Swap (3) columns",
          repr(free))
    if "Mem" not in free:
        return
    total, used, fr, shared, bc, avail = free["Mem"]
    check(used == total - avail, "free: used = total - available (procps 4)", repr(free))
    check(free["Swap"][1] == free["Swap"][0] - free["Swap"][2], "free: swap used = total - free")
    check(len(vm) == 3 and vm[1].split()[:4] == ["r", "b", "swpd", "free"], "vmstat prints its two headers and a line",
          "\n".join(vm))
    vals = [int(x) for x in vm[2].split()] if len(vm) == 3 else []
    check(len(vals) == 17 and near(vals[3], fr, 512), "vmstat's free is free's (within 512 kB)", repr(vals))
    check(len(vals) == 17 and vals[2] == free["Swap"][1], "vmstat's swpd is free's swap used")
    # us sy id wa st: the ticks since boot by kind (kernel/cpustat.c), in percent (the boot's kernel
    # time can round to 0 % when the command comes a second after boot)
    check(len(vals) == 17 and sum(vals[12:17]) == 100 and vals[15] == vals[16] == 0,
          "vmstat's us+sy+id+wa+st = 100 since boot, no wa or st", repr(vals[12:]))
    if mi is None:
        skip("free/vmstat against /proc/meminfo", "no /proc tree in this build (kernel/procfs.c not merged)")
    else:
        check(total == mi["MemTotal"] and free["Swap"][0] == mi["SwapTotal"], "free: totals are meminfo's",
              f"{free} {mi.get('MemTotal')} {mi.get('SwapTotal')}")
        check(near(fr, mi["MemFree"], 512) and near(avail, mi["MemAvailable"], 512),
              "free: free/available are meminfo's (within 512 kB)")
        check(near(bc, mi["Buffers"] + mi["Cached"] + mi["SReclaimable"], 512) and shared == mi["Shmem"],
              "free: buff/cache = Buffers + Cached + SReclaimable, shared = Shmem")
    ps = con.cmd("ps").splitlines()
    pids = [int(l.split()[0]) for l in ps[1:] if l.split()]
    check(ps and ps[0].split()[0] == "PID" and 0 in pids and "[kernel]" in ps[1], "ps lists task 0 and the kernel threads",
          "\n".join(ps))
    if have_proc:
        names = con.cmd("ls /proc").split()
        proc_pids = sorted(int(n) for n in names if n.isdigit())
        check(proc_pids == sorted(pids), "ps's pids are /proc's", f"{pids} vs {proc_pids}")
    else:
        skip("ps against /proc/<pid>", "no /proc tree in this build")

    # ---- knobs
    if have_proc:
        old = con.cmd("cat /proc/sys/vm/swappiness").strip()
        out = con.cmd("echo 77 > /proc/sys/vm/swappiness")
        back = con.cmd("cat /proc/sys/vm/swappiness").strip()
        check(out == "" and back == "77", "echo 77 > swappiness reads back 77", f"{out!r} {back!r}")
        out = con.cmd("echo lots > /proc/sys/vm/swappiness")
        back = con.cmd("cat /proc/sys/vm/swappiness").strip()
        check("write error: Invalid argument" in out and back == "77", "a bad write prints EINVAL's message and changes nothing",
              f"{out!r} {back!r}")
        out = con.cmd("echo 1 > /proc/no/such/file")
        check("No such file or directory" in out, "a write to a missing file prints ENOENT's message", out)
        con.cmd(f"echo {old} > /proc/sys/vm/swappiness")
    else:
        skip("echo to a knob, a bad write's errno message", "no /proc tree in this build")
        out = con.cmd("echo 1 > /proc/sys/vm/swappiness")
        check("Function not implemented" in out, "without /proc, a write says ENOSYS's message", out)
    out = con.cmd("free > /tmp/x")
    check("works with echo only" in out, "redirecting a command other than echo is refused", out)
    out = con.cmd("nosuchcmd")
    check("nosuchcmd: command not found" in out, "an unknown command is reported", out)

    # ---- ^C
    con.send("vmstat 1\r")
    con.expect(rb"\n\s*\d+ +\d+ +\d+ .*\n", 10)  # the since-boot line
    con.expect(rb"\n\s*\d+ +\d+ +\d+ .*\n", 10)  # a 1 s line: it is running
    con.send("\x03")
    try:
        con.prompt(5)
        check(True, "^C stops vmstat 1")
    except Timeout as e:
        check(False, "^C stops vmstat 1", str(e))
    con.send("run churn 16 1000000 1\r")
    con.expect(rb"churn 1: round \d+", 20)  # it runs
    con.send("\x03")
    out = con.prompt(20).decode(errors="replace")
    check(re.search(r"run: churn \(pid \d+\) killed by signal 9", out), "^C kills the foreground app", out)

    # ---- run
    out = con.cmd("run demo")
    check(re.search(r"run: demo \(pid \d+\) exited with status 0", out), "run demo: its exit status is printed", out)
    out = con.cmd("run nosuchapp")
    check("run: nosuchapp: No such file or directory" in out, "run of a missing app: ENOENT's message", out)
    out = con.cmd("run demo --class nonsense")
    check("is not a class" in out, "run --class checks the class", out)
    out = con.cmd("run demo --class cached --adj 500 &")
    m = re.search(r"\[(\d+)\] demo", out)
    check(m, "run ... & starts in the background", out)
    if m:
        pid = m.group(1)
        seen = ""
        for _ in range(50):  # each prompt reaps; the app needs a few ticks
            seen += con.cmd("ps")
            if f"[{pid}] Done (exit 0)" in seen:
                break
        check(f"[{pid}] Done (exit 0)" in seen, "a background app is reaped at a prompt with its status", seen[-400:])

    # ---- ktest, memtest
    out = con.cmd("ktest timer", 120)
    check(re.search(r"^KTAP version 1$", out, re.M) and re.search(r"^ok \d+ timer$", out, re.M) and "ktest: all passed" in out,
          "ktest timer prints KTAP and passes", out[-600:])
    out = con.cmd("ktest nosuch")
    check(out.startswith("ktest: no suite 'nosuch'; the suites:") and " timer" in out, "ktest names the suites for a bad one", out)
    out = con.cmd("top -n 1")
    rows = [l.split() for l in out.splitlines() if re.match(r"^ +\d+ root ", l)]
    ntasks = re.search(r"^Tasks: +(\d+) total", out, re.M)
    check(out.startswith("top - ") and ntasks and any(r[0] == "0" for r in rows) and len(rows) == int(ntasks.group(1)),
          "top -n 1 prints one screen with a row per task", out)
    out = con.cmd("memtest 4M", 120)
    check("memtest: 4096 kB passed" in out and out.count(" ok\n") == 7, "memtest 4M passes its 7 patterns", out)
    out = con.cmd("memtest lots")
    check(out.startswith("usage: memtest"), "memtest with a bad size prints its usage", out)

    # ---- dmesg keeps the boot log after lots of output
    demo = con.cmd("demo", 240)
    compare_with_procps(con, demo)
    out = con.cmd("dmesg")
    check(out.startswith("\nPagoda firmware") or "Pagoda firmware" in out.splitlines()[1] if out else False,
          "dmesg starts with the boot log after the demo's output", out[:300])

    # ---- line editing over the wire
    first = con.cmd("free -h")
    again = con.cmd("\x1b[A")
    check("Mem:" in again and again.splitlines()[0] == first.splitlines()[0], "Up recalls the last line", again)
    con.send("fr\t")
    con.expect(rb"free ", 5)
    out = con.cmd(" -h")
    check("Mem:" in out, "Tab completes a command name", out)
    if have_proc:
        con.send("cat /proc/memi\t")
        con.expect(rb"meminfo ", 5)
        out = con.cmd("")
        check("MemTotal:" in out, "Tab completes a /proc path", out[:200])
    else:
        skip("Tab completes a /proc path", "no /proc tree in this build")
    out = con.cmd("echo hi\x01X\x1b[D\x1b[3~\x05!\x1b[D\x7f")  # Home, insert, Delete, End, Left, Backspace
    check(out == "h!\n", "Home/Delete/End/Left/Backspace edit the line over the wire", repr(out))
    out = con.cmd("garbage\x15echo ok")
    check(out == "ok\n", "^U drops the line typed so far", repr(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elf", required=True)
    ap.add_argument("--image")
    ap.add_argument("--log")
    ap.add_argument("qemu_args", nargs="*")
    a = ap.parse_args()
    log = open(a.log, "wb") if a.log else None
    con = Console(a.elf, a.qemu_args, image=a.image, log=log)
    try:
        con.prompt(60)
        meminfo = con.cmd("cat /proc/meminfo")
        have_proc = "Function not implemented" not in meminfo
        steps(con, have_proc)
        con.send("poweroff\r")
        check(con.wait_exit(30) == 0, "poweroff ends QEMU with status 0")
    except (Timeout, EOFError) as e:
        check(False, "the session ran to its end", str(e))
    finally:
        con.kill()
    print("1..%d" % len(results))
    for i, (status, what, detail) in enumerate(results, 1):
        print(f"{status} {i} - {what}")
        if status != "ok" and detail:
            for line in str(detail).rstrip().splitlines()[-20:]:
                print("# " + line)
    return 0 if all(s == "ok" for s, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
