#!/usr/bin/python3
"""Debian's procps (free, vmstat) reading Pagoda's reports unchanged.

test/procps/dump_reports writes meminfo, vmstat and swaps as Pagoda prints
them from a known state on the host fixture; this script bind-mounts them
over /proc/meminfo and /proc/vmstat in a private mount namespace
(unshare -m: nothing outside the command sees them), runs `free -k`,
`vmstat -s` and `vmstat`, and checks that every memory, swap and paging
figure they print is the one our files say, by procps 4's definitions:

  free:  used = MemTotal - MemAvailable, buff/cache = Buffers + Cached +
         SReclaimable, shared = Shmem; Swap used = SwapTotal - SwapFree
  vmstat -s: "swap cache" is procps's Cached + SReclaimable; paged in/out
         = pgpgin/pgpgout (kB), pages swapped in/out = pswpin/pswpout
  vmstat: swpd free buff cache (the si/so/bi/bo of its first line are
         averages over the host's uptime, not checked)

With --snapshot DIR (a board's tree copied by tools/proc_snapshot.py) the
same checks run on DIR/proc/meminfo and vmstat, and also
  slabtop -o: with DIR/proc/slabinfo over /proc/slabinfo, its summary
         (active/total objects, slabs, caches) and every cache's OBJS
         ACTIVE OBJ/SLAB equal slabinfo's columns
  smem:  Debian's smem --source DIR (it reads DIR/proc/<pid>/cmdline and
         smaps itself, no mounts): one row per app (a pid whose cmdline is
         not empty), its Swap USS PSS RSS the sums of that pid's smaps
         (USS = Private_Clean + Private_Dirty), its command the cmdline
  ps:    with a copy of DIR/proc as /proc (plus /proc/<ps's pid>, a symlink
         to the shell's directory: ps looks itself up), ps -p <every pid>
         -o pid,ppid,stat,vsz,rss,comm,args: each task's figures equal its
         status file's PPid State VmSize VmRSS Name, args its cmdline
         ("[name]" for a kernel thread's empty one)

Needs root (mount namespaces and bind mounts); without it, or without
procps, the check fails saying so. Prints TAP.
Usage: check_procps.py DUMP_REPORTS_BINARY
       check_procps.py --snapshot DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

results = []


def check(ok, what, detail=""):
    results.append((bool(ok), what, detail))


def finish():
    print("1..%d" % len(results))
    for i, (ok, what, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
        if not ok and detail:
            for line in detail.rstrip().splitlines():
                print("# " + line)
    sys.exit(0 if all(ok for ok, _, _ in results) else 1)


def parse_meminfo(text):
    out = {}
    for line in text.splitlines():
        name, rest = line.split(":", 1)
        value, unit = rest.split()
        assert unit == "kB", line
        out[name] = int(value)
    return out


def parse_vmstat(text):
    """Linux's "name value" lines; others are returned as bad (and fail)."""
    out, bad = {}, []
    for line in text.splitlines():
        m = re.fullmatch(r"([a-z0-9_]+) ([0-9]+)", line)
        if m:
            out[m.group(1)] = int(m.group(2))
        else:
            bad.append(line)
    return out, bad


def run_with_reports(d, cmd, files=("meminfo", "vmstat")):
    """cmd with our files (d/meminfo ...) over /proc/meminfo ... (private mounts)."""
    # /proc made private first, so the bind mounts never propagate out;
    # "/" itself is left alone (in make fresh-check's chroot it is no mount
    # point, and unshare's default --propagation private would fail there)
    binds = "".join(' && mount --bind "$1/%s" /proc/%s' % (f, f) for f in files)
    script = "mount --make-private /proc" + binds + ' && shift && exec "$@"'
    return subprocess.run(["unshare", "-m", "--propagation", "unchanged", "sh", "-c", script, "sh", d] + cmd,
                          capture_output=True, text=True, check=False)


def need_tools(tools):
    if os.geteuid() != 0:
        check(False, "procps check: needs root for unshare -m and bind mounts over /proc/meminfo, "
              "/proc/vmstat (run make test as root, as CI and make fresh-check do)")
        finish()
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        check(False, "procps check: missing %s (Debian packages procps, smem, util-linux, mount; "
              "tools/deps.sh installs procps and smem)" % ", ".join(missing))
        finish()


def read_reports(d):
    """meminfo and vmstat of directory d, parsed."""
    with open(os.path.join(d, "meminfo")) as f:
        mi = parse_meminfo(f.read())
    with open(os.path.join(d, "vmstat")) as f:
        vm, bad = parse_vmstat(f.read())
    check(not bad, "our vmstat is Linux's \"name value\" lines", "\n".join(bad[:5]))
    return mi, vm


def check_free_vmstat(d, mi, vm):
    """free -k, vmstat -s and vmstat with d/meminfo and d/vmstat over /proc's."""
    # free -k
    r = run_with_reports(d, ["free", "-k"])
    rows = {}
    for line in r.stdout.splitlines()[1:]:
        name, *vals = line.split()
        rows[name.rstrip(":")] = [int(v) for v in vals]
    want_mem = [mi["MemTotal"], mi["MemTotal"] - mi["MemAvailable"], mi["MemFree"], mi["Shmem"],
                mi["Buffers"] + mi["Cached"] + mi["SReclaimable"], mi["MemAvailable"]]
    check(r.returncode == 0 and rows.get("Mem") == want_mem,
          "free -k Mem: total used free shared buff/cache available = %s" % want_mem,
          "got:\n" + r.stdout + r.stderr)
    want_swap = [mi["SwapTotal"], mi["SwapTotal"] - mi["SwapFree"], mi["SwapFree"]]
    check(r.returncode == 0 and rows.get("Swap") == want_swap,
          "free -k Swap: total used free = %s" % want_swap, "got:\n" + r.stdout + r.stderr)

    # vmstat -s
    r = run_with_reports(d, ["vmstat", "-s"])
    got = {}
    for line in r.stdout.splitlines():
        value, label = line.split(None, 1)
        got[label.removeprefix("K ")] = int(value)
    want = {
        "total memory": mi["MemTotal"], "used memory": mi["MemTotal"] - mi["MemAvailable"],
        "active memory": mi["Active"], "inactive memory": mi["Inactive"], "free memory": mi["MemFree"],
        "buffer memory": mi["Buffers"], "swap cache": mi["Cached"] + mi["SReclaimable"],
        "total swap": mi["SwapTotal"], "used swap": mi["SwapTotal"] - mi["SwapFree"],
        "free swap": mi["SwapFree"],
    }
    bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    check(r.returncode == 0 and not bad, "vmstat -s memory and swap lines equal meminfo",
          "(got, want): %s\n%s%s" % (bad, r.stdout, r.stderr))
    want = {"paged in": vm.get("pgpgin"), "paged out": vm.get("pgpgout"),
            "pages swapped in": vm.get("pswpin"), "pages swapped out": vm.get("pswpout")}
    bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    check(r.returncode == 0 and not bad, "vmstat -s paging and swap lines equal pgpgin pgpgout pswpin pswpout",
          "(got, want): %s\n%s%s" % (bad, r.stdout, r.stderr))

    # vmstat (one line)
    r = run_with_reports(d, ["vmstat"])
    lines = r.stdout.splitlines()
    ok = r.returncode == 0 and len(lines) == 3
    if ok:
        row = dict(zip(lines[1].split(), (int(v) for v in lines[2].split())))
        want = {"swpd": mi["SwapTotal"] - mi["SwapFree"], "free": mi["MemFree"], "buff": mi["Buffers"],
                "cache": mi["Cached"] + mi["SReclaimable"]}
        bad = {k: (row.get(k), v) for k, v in want.items() if row.get(k) != v}
        ok = not bad
    check(ok, "vmstat: swpd free buff cache equal meminfo", r.stdout + r.stderr)


def parse_slabinfo(text):
    """{name: (active_objs, num_objs, objperslab, active_slabs, num_slabs)} of slabinfo 2.1."""
    lines = text.splitlines()
    assert lines[0] == "slabinfo - version: 2.1", lines[0]
    out = {}
    for line in lines[2:]:
        f = line.split()
        out[f[0]] = (int(f[1]), int(f[2]), int(f[4]), int(f[13]), int(f[14]))
    return out


def check_slabtop(d):
    with open(os.path.join(d, "slabinfo")) as f:
        slabs = parse_slabinfo(f.read())
    r = run_with_reports(d, ["slabtop", "-o", "-s", "c"], files=("slabinfo",))
    text = r.stdout
    act = sum(v[0] for v in slabs.values())
    tot = sum(v[1] for v in slabs.values())
    want = {"Objects": (act, tot), "Slabs": (sum(v[3] for v in slabs.values()), sum(v[4] for v in slabs.values())),
            "Caches": (sum(1 for v in slabs.values() if v[0]), len(slabs))}
    got = {}
    for m in re.finditer(r"Active / Total (Objects|Slabs|Caches) \(% used\)\s*: (\d+) / (\d+)", text):
        got[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    check(r.returncode == 0 and got == want, "slabtop -o: active/total objects, slabs, caches = %s" % want,
          "got %s\n%s%s" % (got, text, r.stderr))
    rows, bad = {}, []
    for line in text.splitlines():
        f = line.split()
        if len(f) == 8 and f[0].isdigit():
            rows[f[7]] = (int(f[1]), int(f[0]), int(f[5]))
    for name, v in slabs.items():
        if rows.get(name) != (v[0], v[1], v[2]):
            bad.append("%s: slabtop %s, slabinfo active/objs/perslab %s" % (name, rows.get(name), v[:3]))
    check(r.returncode == 0 and rows and not bad, "slabtop -o: every cache's ACTIVE OBJS OBJ/SLAB as slabinfo (%d caches)"
          % len(slabs), "\n".join(bad[:8]) + "\n" + text)


def smaps_totals(path):
    """{swap, uss, pss, rss} in kB: the sums over an smaps file's VMAs."""
    t = {"swap": 0, "uss": 0, "pss": 0, "rss": 0}
    with open(path) as f:
        for line in f:
            m = re.match(r"(Swap|Private_Clean|Private_Dirty|Pss|Rss):\s+(\d+) kB", line)
            if m:
                key = {"Swap": "swap", "Pss": "pss", "Rss": "rss"}.get(m.group(1), "uss")
                t[key] += int(m.group(2))
    return t


def check_smem(snap):
    proc = os.path.join(snap, "proc")
    want = {}
    pids = sorted((p for p in os.listdir(proc) if p.isdigit()), key=int)
    missing = [p for p in pids if not os.path.isfile(os.path.join(proc, p, "cmdline"))]
    check(not missing, "every /proc/<pid> has a cmdline (smem tells apps from kernel threads by it)",
          "none for pids %s" % missing)
    if missing:
        return
    for pid in pids:
        with open(os.path.join(proc, pid, "cmdline"), "rb") as f:
            cmd = f.read()
        if cmd:
            # smem prints the command cut to 27 characters
            want[int(pid)] = (cmd.rstrip(b"\0").replace(b"\0", b" ").decode()[:27],
                              smaps_totals(os.path.join(proc, pid, "smaps")))
    check(len(want) >= 2 and any(t["swap"] for _, t in want.values()) and any(t["pss"] < t["rss"] for _, t in want.values()),
          "the snapshot has apps, one with swapped-out pages and one sharing pages (PSS < RSS)", str(want))
    r = subprocess.run(["smem", "--source", snap, "-c", "pid swap uss pss rss command"],
                       capture_output=True, text=True, check=False)
    got = {}
    for line in r.stdout.splitlines()[1:]:
        f = line.split(None, 5)
        if len(f) == 6 and f[0].isdigit():
            got[int(f[0])] = (f[5].strip(), dict(zip(("swap", "uss", "pss", "rss"), map(int, f[1:5]))))
    bad = ["pid %d: smem %s, smaps %s" % (p, got.get(p), w) for p, w in want.items() if got.get(p) != w]
    bad += ["pid %d: smem lists it, it is no app" % p for p in got if p not in want]
    check(r.returncode == 0 and not bad, "smem --source: each app's Swap USS PSS RSS = its smaps' sums, command = "
          "its cmdline (cut to smem's 27 columns; %d apps)" % len(want), "\n".join(bad) + "\n" + r.stdout + r.stderr)


def parse_status(path):
    out = {}
    with open(path) as f:
        for line in f:
            name, _, value = line.partition(":")
            out[name] = value.split()
    return out


def check_ps(snap):
    """procps ps with a copy of the snapshot's /proc bind-mounted as /proc."""
    proc = os.path.join(snap, "proc")
    pids = sorted((int(p) for p in os.listdir(proc) if p.isdigit() and p != "0"))
    want = {}
    for pid in pids:
        st = parse_status(os.path.join(proc, str(pid), "status"))
        try:
            with open(os.path.join(proc, str(pid), "cmdline"), "rb") as f:
                args = f.read().rstrip(b"\0").replace(b"\0", b" ").decode()
        except FileNotFoundError:
            args = "(no cmdline)"  # fails below: ps prints something else
        want[pid] = {"ppid": int(st["PPid"][0]), "stat": st["State"][0],
                     "vsz": int(st.get("VmSize", ["0"])[0]), "rss": int(st.get("VmRSS", ["0"])[0]),
                     "comm": st["Name"][0], "args": args or "[%s]" % st["Name"][0]}
    with tempfile.TemporaryDirectory(prefix="pagoda-ps-") as tmp:
        copy = os.path.join(tmp, "proc")
        shutil.copytree(proc, copy, symlinks=True)
        # ps looks itself up as /proc/<its pid>: the shell's directory stands in (the copy only)
        script = ('mount --make-private /proc && mount --bind "$1" /proc && ln -s 0 /proc/$$ && shift && exec "$@"')
        r = subprocess.run(["unshare", "-m", "--propagation", "unchanged", "sh", "-c", script, "sh", copy, "ps",
                            "-p", ",".join(map(str, pids)), "-o", "pid=,ppid=,stat=,vsz=,rss=,comm=,args="],
                           capture_output=True, text=True, check=False)
    got = {}
    for line in r.stdout.splitlines():
        f = line.split(None, 6)
        if len(f) == 7:
            got[int(f[0])] = {"ppid": int(f[1]), "stat": f[2][0], "vsz": int(f[3]), "rss": int(f[4]),
                              "comm": f[5], "args": f[6].strip()}
    bad = ["pid %d: ps %s, status/cmdline %s" % (p, got.get(p), w) for p, w in want.items() if got.get(p) != w]
    check(r.returncode == 0 and want and not bad, "ps -p: PID PPID STAT VSZ RSS COMM ARGS of every task (%d) = its "
          "status (PPid State VmSize VmRSS Name) and cmdline" % len(want), "\n".join(bad) + "\n" + r.stdout + r.stderr)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--snapshot":
        snap = sys.argv[2]
        if not os.path.isfile(os.path.join(snap, "proc", "meminfo")):
            sys.exit("check_procps.py: --snapshot %s: no proc/meminfo there (tools/proc_snapshot.py writes it)" % snap)
        need_tools(("free", "vmstat", "slabtop", "smem", "ps", "unshare", "mount"))
        d = os.path.join(snap, "proc")
        mi, vm = read_reports(d)
        check(mi["SwapTotal"] > mi["SwapFree"] and vm.get("pswpout", 0) > 0,
              "the snapshot holds swap and paging figures to compare", str(mi))
        check_free_vmstat(d, mi, vm)
        check_slabtop(d)
        check_smem(snap)
        check_ps(snap)
        finish()
    if len(sys.argv) != 2:
        sys.exit("usage: check_procps.py DUMP_REPORTS_BINARY | --snapshot DIR")
    need_tools(("free", "vmstat", "unshare", "mount"))
    with tempfile.TemporaryDirectory(prefix="pagoda-procps-") as d:
        dump = subprocess.run([sys.argv[1], d], capture_output=True, text=True, check=False)
        check(dump.returncode == 0, "dump_reports wrote meminfo, vmstat and swaps", dump.stderr)
        if dump.returncode != 0:
            finish()
        mi, vm = read_reports(d)
        check(mi["SwapTotal"] > mi["SwapFree"] > 0 and vm.get("pswpout", 0) > 0 and mi["SReclaimable"] > 0,
              "the reports hold swap, paging and reclaimable-slab figures to compare", str(mi))
        check_free_vmstat(d, mi, vm)
    finish()


if __name__ == "__main__":
    main()
