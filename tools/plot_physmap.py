#!/usr/bin/python3
"""Plot the physical memory map (/sys/kernel/debug/pagoda/physmap) as PNG.

  plot_physmap.py PHYSMAP -o OUT.png [--title TEXT]

Two panels on the same grid, one pixel per 4 KiB frame, a row holding
whole 2 MiB pageblocks (512 frames; more per row on large boards so that
the picture stays under ~600 rows), lowest address top left:
  left   each frame coloured by its owner (free, kernel, slab, anon, ...)
  right  each frame coloured by its pageblock's migratetype
Zone boundaries are drawn across both, named at the left. CMA lending
shows as anon/file pixels inside the CMA-coloured rows; fragmentation as
free pixels scattered between used ones. Input: the report's lines
"pfn frames zone migratetype owner" (include/mm/physmap.h); a bad line is
an error naming it. Uses matplotlib's Agg backend (no display needed).
"""
import argparse
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

PAGEBLOCK = 512
OWNERS = [("free", "#f2f2f2"), ("reserved", "#404040"), ("kernel", "#d62728"), ("slab", "#ff7f0e"),
          ("pagetable", "#8c564b"), ("anon", "#1f77b4"), ("file", "#2ca02c"), ("shmem", "#17becf"),
          ("zram", "#9467bd"), ("cma_alloc", "#e377c2")]
MIGRATETYPES = [("-", "#ffffff"), ("Unmovable", "#d62728"), ("Movable", "#2ca02c"), ("Reclaimable", "#ff7f0e"),
                ("CMA", "#e377c2"), ("Isolate", "#000000")]


def parse(path):
    """[(pfn, frames, zone, migratetype, owner)] in pfn order; exits naming a bad line."""
    runs = []
    with open(path) as f:
        lines = f.read().splitlines()
    if not lines or lines[0].split() != ["pfn", "frames", "zone", "migratetype", "owner"]:
        sys.exit(f"plot_physmap: {path}: not a physmap report (first line {lines[:1]})")
    owners = [o for o, _ in OWNERS]
    mts = [m for m, _ in MIGRATETYPES]
    for n, line in enumerate(lines[1:], 2):
        f = line.split()
        try:
            pfn, nr = int(f[0], 16), int(f[1])
            if len(f) != 5 or f[3] not in mts or f[4] not in owners or nr <= 0:
                raise ValueError
        except (ValueError, IndexError):
            sys.exit(f"plot_physmap: {path}:{n}: bad line {line!r}")
        if runs and pfn != runs[-1][0] + runs[-1][1]:
            sys.exit(f"plot_physmap: {path}:{n}: run at {pfn:#x} does not follow the one before")
        runs.append((pfn, nr, f[2], mts.index(f[3]), owners.index(f[4])))
    if not runs:
        sys.exit(f"plot_physmap: {path}: no runs")
    return runs


def grids(runs):
    """(owner grid, migratetype grid, width, [(row, zone name)] where zones start)."""
    base = runs[0][0]
    total = runs[-1][0] + runs[-1][1] - base
    width = PAGEBLOCK
    while total / width > 600:
        width *= 2
    rows = -(-total // width)
    owner = np.full(rows * width, -1, dtype=np.int16)  # -1: past the end
    mt = np.full(rows * width, -1, dtype=np.int16)
    zones, last = [], None
    for pfn, nr, zone, m, o in runs:
        i = pfn - base
        owner[i:i + nr] = o
        mt[i:i + nr] = m
        if zone != last:
            zones.append((i / width, zone))
            last = zone
    return owner.reshape(rows, width), mt.reshape(rows, width), width, zones, base, total


def size(frames):
    """frames as MiB, or KiB below 1 MiB."""
    return f"{frames * 4 // 1024} MiB" if frames >= 256 else f"{frames * 4} KiB"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("physmap")
    ap.add_argument("-o", "--out", required=True, help="PNG file to write")
    ap.add_argument("--title", default="")
    a = ap.parse_args()
    runs = parse(a.physmap)
    owner, mt, width, zones, base, total = grids(runs)
    rows = owner.shape[0]
    counts = np.bincount(owner[owner >= 0].ravel(), minlength=len(OWNERS))

    height = max(4.0, min(12.0, rows / 60 + 2))
    fig, axes = plt.subplots(1, 2, figsize=(12, height), dpi=100)
    panels = [(owner, OWNERS, "owner"), (mt, MIGRATETYPES, "pageblock migratetype")]
    for ax, (grid, table, name) in zip(axes, panels):
        cmap = ListedColormap(["#ffffff"] + [c for _, c in table])
        ax.imshow(grid + 1, cmap=cmap, vmin=0, vmax=len(table), interpolation="nearest", aspect="auto")
        ax.set_title(name)
        ax.set_xticks([])
        ax.set_yticks([])
        for row, zone in zones:
            ax.axhline(row - 0.5, color="black", linewidth=0.8)
        ax.set_xlabel(f"{width} frames ({width * 4 // 1024} MiB) a row")
    for row, zone in zones:
        axes[0].text(-0.01 * width, row, f"{zone} {(base + int(row * width)) << 12:#x}", ha="right", va="top",
                     fontsize=8)
    axes[0].legend(handles=[Patch(color=c, label=f"{o} {size(counts[i])}")
                            for i, (o, c) in enumerate(OWNERS) if counts[i]],
                   loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    axes[1].legend(handles=[Patch(color=c, label=m) for m, c in MIGRATETYPES[1:]],
                   loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    fig.suptitle(a.title or f"Physical memory: {total} frames from pfn {base:#x}, {len(runs)} runs")
    fig.tight_layout()
    fig.savefig(a.out)
    print(f"plot_physmap: {a.out}: {total} frames, {len(runs)} runs, {rows} rows of {width}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
