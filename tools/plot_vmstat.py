#!/usr/bin/python3
"""Plot memory over time from tools/proc_snapshot.py's samples as PNG.

  plot_vmstat.py SAMPLES -o OUT.png [--title TEXT]

SAMPLES is proc_snapshot.py --samples' file: blocks starting with
"=== sample I T" (T: seconds since the first), each holding /proc/meminfo,
/proc/vmstat and /sys/block/zram0/mm_stat as the board printed them.
Two panels against time:
  top     MiB: MemFree, Cached, anon (Active(anon) + Inactive(anon)), swap
          used (SwapTotal - SwapFree), zram's RAM (mm_stat mem_used_total)
          and the data it holds (orig_data_size)
  bottom  pages per second between samples: pswpin, pswpout, pgmajfault,
          pgsteal (kswapd + direct)
Lines that are none of these (an app's console output between samples)
are skipped, and so is a sample without MemFree (the shell's cat can fail
with ENOMEM under the pressure being plotted: counted and said). Uses
matplotlib's Agg backend.
"""
import argparse
import re
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MEMINFO = re.compile(r"^([A-Za-z_()]+):\s+(\d+) kB$")
VMSTAT = re.compile(r"^([a-z0-9_]+) (\d+)$")
MM_STAT = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\d+)(\s+\d+){4,}\s*$")
RATES = ["pswpin", "pswpout", "pgmajfault", "pgsteal"]


def parse(path):
    """[(t, {name: value})]: meminfo in kB, vmstat counters, zram_orig/zram_used in bytes."""
    samples = []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^=== sample (\d+) ([0-9.]+)$", line)
            if m:
                samples.append((float(m.group(2)), {}))
                continue
            if not samples:
                continue
            d = samples[-1][1]
            if (m := MEMINFO.match(line)):
                d[m.group(1)] = int(m.group(2))
            elif (m := VMSTAT.match(line)):
                d[m.group(1)] = int(m.group(2))
            elif (m := MM_STAT.match(line)):
                d["zram_orig"], d["zram_used"] = int(m.group(1)), int(m.group(3))
    bad = [i for i, (_, d) in enumerate(samples) if "MemFree" not in d]
    if bad:
        print(f"plot_vmstat: {path}: samples {bad} have no MemFree line (left out)", file=sys.stderr)
    samples = [s for s in samples if "MemFree" in s[1]]
    if len(samples) < 2:
        sys.exit(f"plot_vmstat: {path}: {len(samples)} samples, 2 or more needed (proc_snapshot.py --samples N)")
    return samples


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("samples")
    ap.add_argument("-o", "--out", required=True, help="PNG file to write")
    ap.add_argument("--title", default="")
    a = ap.parse_args()
    samples = parse(a.samples)
    t = [s for s, _ in samples]
    mib = {
        "MemFree": [d["MemFree"] / 1024 for _, d in samples],
        "Cached": [d.get("Cached", 0) / 1024 for _, d in samples],
        "anon": [(d.get("Active(anon)", 0) + d.get("Inactive(anon)", 0)) / 1024 for _, d in samples],
        "swap used": [(d.get("SwapTotal", 0) - d.get("SwapFree", 0)) / 1024 for _, d in samples],
        "zram RAM (mem_used_total)": [d.get("zram_used", 0) / 2**20 for _, d in samples],
        "zram data (orig_data_size)": [d.get("zram_orig", 0) / 2**20 for _, d in samples],
    }
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), dpi=100, sharex=True,
                                      gridspec_kw={"height_ratios": [3, 2]})
    for name, ys in mib.items():
        top.plot(t, ys, label=name, linestyle="--" if name.startswith("zram data") else "-")
    top.set_ylabel("MiB")
    top.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    top.grid(alpha=0.3)

    def counter(d, name):
        if name == "pgsteal":
            return d.get("pgsteal_kswapd", 0) + d.get("pgsteal_direct", 0)
        return d.get(name, 0)

    for name in RATES:
        rates = [(counter(samples[i][1], name) - counter(samples[i - 1][1], name)) / max(t[i] - t[i - 1], 1e-6)
                 for i in range(1, len(samples))]
        bottom.plot(t[1:], rates, label=name)
    bottom.set_ylabel("pages/s")
    bottom.set_xlabel("seconds (host clock)")
    bottom.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    bottom.grid(alpha=0.3)
    fig.suptitle(a.title or f"Memory over {t[-1]:.1f} s, {len(samples)} samples")
    fig.tight_layout()
    fig.savefig(a.out)
    print(f"plot_vmstat: {a.out}: {len(samples)} samples over {t[-1]:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
