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

Needs root (mount namespaces and bind mounts); without it, or without
procps, the check fails saying so. Prints TAP.
Usage: check_procps.py DUMP_REPORTS_BINARY
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


def run_with_reports(d, cmd):
    """cmd with our files over /proc/meminfo and /proc/vmstat (private mounts)."""
    # /proc made private first, so the bind mounts never propagate out;
    # "/" itself is left alone (in make fresh-check's chroot it is no mount
    # point, and unshare's default --propagation private would fail there)
    script = ('mount --make-private /proc && mount --bind "$1/meminfo" /proc/meminfo'
              ' && mount --bind "$1/vmstat" /proc/vmstat && shift && exec "$@"')
    return subprocess.run(["unshare", "-m", "--propagation", "unchanged", "sh", "-c", script, "sh", d] + cmd,
                          capture_output=True, text=True, check=False)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_procps.py DUMP_REPORTS_BINARY")
    if os.geteuid() != 0:
        check(False, "procps check: needs root for unshare -m and bind mounts over /proc/meminfo, "
              "/proc/vmstat (run make test as root, as CI and make fresh-check do)")
        finish()
    missing = [t for t in ("free", "vmstat", "unshare", "mount") if not shutil.which(t)]
    if missing:
        check(False, "procps check: missing %s (Debian packages procps, util-linux, mount; "
              "tools/deps.sh installs procps)" % ", ".join(missing))
        finish()
    with tempfile.TemporaryDirectory(prefix="pagoda-procps-") as d:
        dump = subprocess.run([sys.argv[1], d], capture_output=True, text=True, check=False)
        check(dump.returncode == 0, "dump_reports wrote meminfo, vmstat and swaps", dump.stderr)
        if dump.returncode != 0:
            finish()
        with open(os.path.join(d, "meminfo")) as f:
            mi = parse_meminfo(f.read())
        with open(os.path.join(d, "vmstat")) as f:
            vm, bad = parse_vmstat(f.read())
        check(not bad, "our vmstat is Linux's \"name value\" lines", "\n".join(bad[:5]))
        check(mi["SwapTotal"] > mi["SwapFree"] > 0 and vm.get("pswpout", 0) > 0 and mi["SReclaimable"] > 0,
              "the reports hold swap, paging and reclaimable-slab figures to compare", str(mi))

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
    finish()


if __name__ == "__main__":
    main()
