#!/usr/bin/python3
"""The tables of docs/measurements.md, from the raw output of `make bench`.

  bench_tables.py tables BENCH_DIR      print the markdown blocks (make bench)
  bench_tables.py update BENCH_DIR DOC  replace DOC's blocks with them
  bench_tables.py check DOC MAKEFILE    TAP: every table of DOC is headed by
                                        a `make TARGET` the Makefile has

BENCH_DIR holds what `make bench` wrote: host.log (bench-host:/bench-slab:
lines), target.log (the QEMU boot under -icount: Boot time, bench:,
faultbench: lines), target-swap.log (the bench-swap boot: bench-swap:,
bench-oom:, bench-migrate: and bench-cma: lines), target-linux.log (the
bench-linux boot: mmbench: lines), slab-instr.log (bench-slab-instr:
lines, tools/bench_slab_instr.py), target-arm.log,
target-arm-highmem.log and target-highmem.log (bench-arm: the ARMv7-A
image and kmap costs) and size.log (`size -A`
of the image). Each block is
`<!-- bench:NAME -->` ... `<!-- /bench:NAME -->`, its first line naming the
command that prints it. A line the tables need but the logs lack is an error
naming the log and the line.
"""
import os
import re
import sys


class Missing(Exception):
    pass


def grab(text, pattern, where, what):
    m = re.search(pattern, text, re.M)
    if not m:
        raise Missing(f"{where}: no {what} line (pattern {pattern!r})")
    return m


def n(x, digits=0):
    """A number as the doc writes it: thousands separated, `digits` decimals."""
    return f"{float(x):,.{digits}f}"


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return out


def block(name, caption, lines):
    return "\n".join([f"<!-- bench:{name} -->", caption, ""] + lines + [f"<!-- /bench:{name} -->"])


TGT = "`make bench` (QEMU virt cortex-a72 512M, `-icount shift=0,sleep=off`: 1 ns = 1 instruction)"
HOST = "`make bench` (host, clang -O2 -DNDEBUG -fno-pie -fno-plt, no sanitizers)"


def boot_block(tlog):
    m = grab(tlog, r"^Boot time: entry at (\d+) us, MMU on at (\d+) us \((\d+) us after entry\), ready at (\d+) us",
             "target.log", "Boot time")
    rows = [["entry to MMU on", f"{n(m[3])} us"], ["entry to ready (boot log printed, allocators up)", f"{n(m[4])} us"]]
    return block("boot", f"Printed by {TGT}, the `Boot time:` line `make boottime` prints:",
                 table(["boot phase", "virtual time (1 us = 1,000 instructions)"], rows))


def size_block(slog):
    rows = []
    for sec in (".text", ".rodata", ".data", ".bss", ".stack"):
        m = grab(slog, r"^%s\s+(\d+)" % re.escape(sec), "size.log", sec)
        rows.append([f"`{sec}`", n(m[1])])
    return block("size", "Printed by `make bench` (and `make size`), the image build/board/pagoda.elf:",
                 table(["section", "bytes"], rows))


def host_pa_blocks(hlog):
    head = grab(hlog, r"^bench-host: (.*?); board (\S+), (.*); median of (\d+) runs", "host.log", "bench-host header")
    o0 = grab(hlog, r"^bench-host: order-0 alloc_pages\+free_pages:\s+([\d.]+) ns/op\s+malloc\(4096\)\+free:\s+([\d.]+)"
              r" ns/op\s+ratio ([\d.]+)", "host.log", "order-0")
    orders = re.findall(r"^bench-host: (\d+)\s+([\d.]+)\s+(\d+)\s+([\d.]+)$", hlog, re.M)
    if len(orders) != 11:
        raise Missing(f"host.log: {len(orders)} order lines, want 11 (orders 0..10)")
    cma = grab(hlog, r"^bench-host: cma_alloc\(1 page\) past (\d+) borrowed CMA pages: ([\d.]+) ms", "host.log", "cma")
    cap = f"Printed by {HOST}, {head[1]}, board {head[2]}, {head[3]}, median of {head[4]} runs:"
    rows = [["order-0 `alloc_pages(GFP_KERNEL, 0)` + `free_pages`", f"{o0[1]} ns"],
            ["`malloc(4096)` + `free` (glibc)", f"{o0[2]} ns"],
            ["ratio", o0[3]],
            [f"`cma_alloc(1 page)` past {cma[1]} borrowed CMA pages", f"{cma[2]} ms"]]
    a = block("host-page-alloc", cap, table(["operation", "time"], rows))
    rows = [[o, ns, n(int(p) / 1e6, 1), n(gb, 1)] for o, ns, p, gb in orders]
    b = block("host-orders", cap + " 32 blocks allocated, then freed:",
              table(["order", "ns/block", "M pages/s", "GB/s handed out"], rows))
    return a, b, float(o0[1]), float(o0[2])


def target_pa_blocks(tlog):
    rows = []
    pair = {}
    for gfp in ("GFP_KERNEL", "GFP_HIGHUSER_MOVABLE"):
        m = grab(tlog, r"^bench: order-0 alloc\+free %s: ([\d.]+) instructions \(alloc ([\d.]+), free ([\d.]+);"
                 r" (\d+) iterations\)" % gfp, "target.log", f"order-0 {gfp}")
        pair[gfp] = float(m[1])
        rows.append([f"`{gfp}`", n(m[1]), n(m[2]), n(m[3])])
    a = block("target-order0", f"Printed by {TGT}, order 0, mean of 100,000 iterations:",
              table(["order-0 alloc+free", "instructions", "alloc", "free"], rows))
    orders = re.findall(r"^bench: order (\d+): alloc\+free ([\d.]+) instructions, batch of 32: ([\d.]+) "
                        r"instructions/block$", tlog, re.M)
    if len(orders) != 11:
        raise Missing(f"target.log: {len(orders)} 'bench: order N' lines, want 11 (orders 0..10)")
    cma = grab(tlog, r"^bench: cma_alloc\(1 page\) past (\d+) borrowed CMA pages: ([\d.]+) instructions", "target.log",
               "cma")
    free = grab(tlog, r"^bench: (\d+) free pages at the end, (\d+) at the start", "target.log", "free pages")
    rows = [[o, n(p), n(b, 1)] for o, p, b in orders]
    b = block("target-orders", f"Printed by {TGT}:",
              table(["order", "alloc+free (split and merge)", "batch of 32, per block"], rows)
              + ["", f"`cma_alloc(1 page)` past {cma[1]} borrowed CMA pages: {n(cma[2])} instructions; "
                     f"free pages {n(free[2])} at the start, {n(free[1])} at the end (per-CPU lists drained)."])
    return a, b, pair["GFP_KERNEL"]


PCP_ORDERS = 4  # orders 0..PAGE_ALLOC_COSTLY_ORDER have per-CPU lists
PCP_TARGET = {0: 150, 1: 250, 2: 250, 3: 250}  # issue 16: instructions per alloc+free on QEMU


def pcp_targets(hlog, tlog):
    """Issue 16's per-CPU list targets: one verdict row per order 0..3, the
    QEMU alloc+free pair (order 0: the GFP_KERNEL line) with the host's."""
    host = {int(o): float(ns) for o, ns in
            re.findall(r"^bench-host: per-CPU order (\d+) alloc_pages\+free_pages:\s+([\d.]+) ns/op$", hlog, re.M)}
    if sorted(host) != list(range(PCP_ORDERS)):
        raise Missing(f"host.log: per-CPU order lines for orders {sorted(host)}, want 0..{PCP_ORDERS - 1}")
    qemu = {int(o): float(p) for o, p, _ in
            re.findall(r"^bench: order (\d+): alloc\+free ([\d.]+) instructions, batch of 32: ([\d.]+) "
                       r"instructions/block$", tlog, re.M)}
    qemu[0] = float(grab(tlog, r"^bench: order-0 alloc\+free GFP_KERNEL: ([\d.]+) instructions", "target.log",
                         "order-0 GFP_KERNEL")[1])
    rows = []
    for o in range(PCP_ORDERS):
        if o not in qemu:
            raise Missing(f"target.log: no 'bench: order {o}' line")
        rows.append([f"QEMU, order-{o} `alloc_pages(GFP_KERNEL, {o})` + `free_pages` (per-CPU list, issue 16)",
                     f"<= {PCP_TARGET[o]} instructions", f"{n(qemu[o])} (host {host[o]:.1f} ns)",
                     met(qemu[o] <= PCP_TARGET[o])])
    return rows


def dma_blocks(tlog):
    fixed = grab(tlog, r"^bench: dma24 direct 64 bytes \(fixed cost\): map ([\d.]+), copy ([\d.]+), unmap ([\d.]+)",
                 "target.log", "DMA fixed cost")
    rows, parts, cpu = [], [], []
    for size in ("4", "64", "256"):
        cells = []
        for case in ("dma24 direct", "dma24 bounced", "dma32 direct"):
            m = grab(tlog, r"^bench: %s\s+%s KiB: ([\d.]+) MB/s, ([\d.]+) instructions/KiB \(map ([\d.]+), copy "
                     r"([\d.]+), unmap ([\d.]+)" % (case, size), "target.log", f"{case} {size} KiB")
            cells.append(f"{n(m[1])} MB/s, {n(m[2])} insn/KiB")
            parts.append([f"{case}, {size} KiB", n(m[3]), n(m[4]), n(m[5])])
        r = grab(tlog, r"^bench: dma24 bounced/direct\s+%s KiB: ([\d.]+) x time" % size, "target.log",
                 f"ratio {size} KiB")
        rows.append([f"{size} KiB"] + cells + [r[1]])
        c = grab(tlog, r"^bench: CPU\s+%s KiB: memcpy ([\d.]+), dcache clean ([\d.]+), dcache invalidate ([\d.]+)"
                 % size, "target.log", f"CPU {size} KiB")
        cpu.append([f"{size} KiB", n(c[1], 1), n(c[2], 1), n(c[3], 1)])
    cap = f"Printed by {TGT}, 4 MiB moved per case:"
    a = block("dma", cap, table(["size", "dma24 direct", "dma24 bounced", "dma32 direct", "bounced / direct (time)"],
                                rows))
    parts.insert(0, ["dma24 direct, 64 bytes (fixed cost)", n(fixed[1]), n(fixed[2]), n(fixed[3])])
    b = block("dma-phases", f"Printed by {TGT}, instructions per transfer:",
              table(["case", "map", "copy (engine + IRQ round trip)", "unmap"], parts))
    c = block("dma-cpu", f"Printed by {TGT}, instructions per KiB:",
              table(["size", "`memcpy`", "dcache clean", "dcache invalidate"], cpu))
    return a, b, c


FAULT_TARGET = {"anon-write": 1500, "zero-read": 600}
FAULT_NAME = {"anon-write": "anonymous write (page allocated, zeroed, mapped)",
              "zero-read": "zero-page read (shared zero page mapped read-only)",
              "file-read": "major: 4 KiB read from CFI flash into the page cache, mapped"}


def fault_block(tlog):
    rows, got = [], {}
    for kind, name in FAULT_NAME.items():
        m = grab(tlog, r"^faultbench: %s\s+[\d.]+ ticks\s+(\d+) ns per fault \(minflt \+(\d+) majflt \+(\d+)\)" % kind,
                 "target.log", f"faultbench {kind}")
        got[kind] = int(m[1])
        t = FAULT_TARGET.get(kind)
        rows.append([name, f"**{n(m[1])}**" if t else n(m[1]), f"<= {n(t)}" if t else "—", f"+{m[2]} / +{m[3]}"])
    cnt = grab(tlog, r"^faultbench: (\d+) faults of each kind", "target.log", "faultbench header")
    return block("faults", f"Printed by {TGT}, faultbench at EL0, {cnt[1]} faults of each kind:",
                 table(["fault", "instructions per fault", "target", "minflt / majflt"], rows)), got


KMAP = r"kmap\+kunmap same page ([\d.]+), 64 pages in turn ([\d.]+); kmap_local\+kunmap_local highmem ([\d.]+), lowmem ([\d.]+)"


def arm_block(tlog, alog, hm64, hm32):
    """ARMv7-A (make ARCH=arm, cortex-a15) next to AArch64 in the same kind of boot."""
    def o0(log, f):
        return grab(log, r"^bench: order-0 alloc\+free GFP_KERNEL: ([\d.]+) instructions", f, "order-0")[1]

    def fault(log, f, kind):
        return grab(log, r"^faultbench: %s\s+[\d.]+ ticks\s+(\d+) ns per fault" % kind, f, f"faultbench {kind}")[1]

    k64 = grab(hm64, KMAP, "target-highmem.log", "kmap cost")
    k32 = grab(hm32, KMAP, "target-arm-highmem.log", "kmap cost")
    rows = [["order-0 alloc+free (`GFP_KERNEL`)", n(o0(tlog, "target.log")), n(o0(alog, "target-arm.log"))]]
    rows += [[FAULT_NAME[k], n(fault(tlog, "target.log", k)), n(fault(alog, "target-arm.log", k))]
             for k in ("anon-write", "zero-read", "file-read")]
    rows += [["kmap+kunmap of a HighMem page (slot reused)", n(k64[1]), n(k32[1])],
             ["kmap+kunmap, 64 pages in turn", n(k64[2]), n(k32[2])],
             ["kmap_local+kunmap_local, HighMem page", n(k64[3]), n(k32[3])],
             ["kmap_local+kunmap_local, lowmem page (nothing mapped)", n(k64[4]), n(k32[4])]]
    return block("arm", "Printed by `make bench` (its `bench-arm` part; `-icount shift=0,sleep=off`: 1 ns = 1 "
                 "instruction). AArch64: the bench boot on cortex-a72 512M, kmap on 1G with `highmem=512M`; "
                 "ARMv7-A (built with ARCH=arm, Thumb-2): cortex-a15 256M, kmap on 1G (256 MiB HighMem); "
                 "instructions per operation:",
                 table(["operation", "AArch64", "ARMv7-A"], rows))


def slab_blocks(hlog):
    head = grab(hlog, r"^bench-slab: (.*?); kmalloc \(slab debug off\) vs glibc malloc vs (mimalloc [\d.]+); "
                r"ns per alloc\+free, median of (\d+) interleaved runs", "host.log", "bench-slab header")
    rows = re.findall(r"^bench-slab: (pair|lifo|shuffled)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)(.*)$",
                      hlog, re.M)
    if len(rows) != 21:
        raise Missing(f"host.log: {len(rows)} bench-slab workload lines, want 21")
    allw = grab(hlog, r"^bench-slab: verdict \(every workload line\): (.*)$", "host.log", "slab verdict")
    verdict = grab(hlog, r"^bench-slab: fast path \(pair lines\): (.*)$", "host.log", "slab fast-path verdict")
    cls = re.findall(r"^bench-slab: (kmalloc-\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)$", hlog,
                     re.M)
    if not cls:
        raise Missing("host.log: no bench-slab per-class lines")
    cap = f"Printed by {HOST}, {head[1]}, ns per alloc+free, median of {head[3]} interleaved runs:"
    t = [[w, s, k, g, mi, r + (" (slower)" if "slower" in rest else "")] for w, s, k, g, mi, r, rest in rows]
    a = block("slab", cap, table(["workload", "size", "kmalloc", "glibc", head[2], "kmalloc / mimalloc"], t)
              + ["", f"Verdict (every workload line, issue 16): {allw[1]}; fast path (pair lines, issue 4): "
                     f"{verdict[1]}."])
    t = [[c, o, s, ob, pg, w, n(p), b] for c, o, s, ob, pg, w, p, b in cls]
    b = block("slab-memory", "Printed by `make bench` (host), 10,000 objects of the class size live:",
              table(["class", "object", "slot", "objects/slab", "pages/slab", "waste/slab", "pages",
                     "bytes per object byte"], t))
    return a, b, verdict[1], allw[1]


def slab_instr_block(ilog):
    rows = re.findall(r"^bench-slab-instr: (pair|lifo|shuffled)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", ilog, re.M)
    if len(rows) != 21:
        raise Missing(f"slab-instr.log: {len(rows)} bench-slab-instr workload lines, want 21")
    summary = grab(ilog, r"^bench-slab-instr: (kmalloc/mimalloc <= 1.0 in .*)$", "slab-instr.log", "summary")
    cap = ("Printed by `make bench` (its `tools/bench_slab_instr.py`: each line of the table above run once under "
           "valgrind's callgrind, `bench_slab --one WORKLOAD SIZE`), instructions per alloc+free, the benchmark "
           "loop included:")
    t = [[w, sz, k, mi, r] for w, sz, k, mi, r in rows]
    return block("slab-instr", cap, table(["workload", "size", "kmalloc", "mimalloc", "kmalloc / mimalloc"], t)
                 + ["", f"Summary: {summary[1]}."]), summary[1]


# Linux 6.1.192 arm64 on the same QEMU machine (issue 11), the same workloads and page pattern.
LINUX_SWAP = {"out": 42480, "in": 15850, "thrash_out": 17500, "thrash_in": 15400, "ratio_compr": 2.738,
              "ratio_mem": 2.658, "lz4_c": 31542, "lz4_d": 7904}
SWAP_TGT = "`make bench` (its `make bench-swap` boot: QEMU virt cortex-a53 256M, `-icount shift=0,sleep=off`: " \
           "1 ns = 1 instruction)"


def swap_figures(slog):
    w = "target-swap.log"
    floor = grab(slog, r"^bench-swap: lz4 floor: LZ4_compress_default (\d+) instructions, LZ4_decompress_safe (\d+) "
                 r"instructions per page, (\d+) bytes compressed, (\d+) bad", w, "lz4 floor")
    out = grab(slog, r"^bench-swap: swapout_madv_pageout_zram_lz4: (\d+) instructions per page, pswpout \+(\d+) "
               r"for (\d+) pages", w, "swapout")
    inn = grab(slog, r"^bench-swap: swapin_majfault_zram_lz4: (\d+) instructions per fault, pswpin \+(\d+) "
               r"pgmajfault \+(\d+), (\d+) bad words, status (-?\d+)", w, "swapin")
    ratio = grab(slog, r"^bench-swap: zram after the fill: .*orig/compr ([\d.]+) orig/mem_used ([\d.]+)", w, "zram ratios")
    thr = grab(slog, r"^bench-swap: thrash: (\d+) pages .*: out (\d+) pages/s over the fill .* in (\d+) pages/s over "
               r"the verify .*, (\d+) bad words, status (-?\d+)", w, "thrash")
    if out[2] != out[3]:
        raise Missing(f"{w}: pswpout +{out[2]} for {out[3]} pages: the swap-out figure is not per swapped page")
    if inn[4] != "0" or inn[5] != "0" or thr[4] != "0" or thr[5] != "0" or floor[4] != "0":
        raise Missing(f"{w}: data came back wrong (bad words or a failed app): see the bench-swap lines")
    return {"lz4_c": int(floor[1]), "lz4_d": int(floor[2]), "lz4_bytes": int(floor[3]), "out": int(out[1]),
            "pages": int(out[3]), "in": int(inn[1]), "pswpin": int(inn[2]), "majflt": int(inn[3]),
            "ratio_compr": float(ratio[1]), "ratio_mem": float(ratio[2]), "thrash_pages": int(thr[1]),
            "thrash_out": int(thr[2]), "thrash_in": int(thr[3])}


def oom_figures(slog):
    m = grab(slog, r"^bench-oom: kill_and_reap_64mib: (\d+) instructions .* to its page, (\d+) until the victim's memory "
                   r"is all back, victim rss (\d+) pages, free pages (\d+) -> (\d+) -> (\d+), (\d+) pages taken first, "
                   r"victim status (0x9|9)$", "target-swap.log", "oom kill and reap")
    return {"instr": int(m[1]), "all": int(m[2]), "rss": int(m[3]), "free0": int(m[4]), "free1": int(m[5]),
            "free2": int(m[6])}


def oom_block(o):
    rows = [["the failing `alloc_pages(GFP_KERNEL, 0)`, to its page", n(o["instr"]),
             f"{n(o['free0'])} -> {n(o['free1'])}"],
            ["from the same start until the victim's memory is all back (its exit)", n(o["all"]),
             f"-> {n(o['free2'])}"]]
    return block("oom", f"Printed by {SWAP_TGT.replace('its `make bench-swap` boot', 'the bench-swap boot, test/target/bench_oom.c')}; "
                        f"a victim with {n(o['rss'])} resident pages (apps/memverify.c, 64 MiB, no swap); the call "
                        f"includes direct reclaim, the OOM report on the PL011 console, the kill and the reaper's "
                        f"first step:",
                 table(["OOM kill of a 64 MiB victim", "instructions", "free pages"], rows))


def migrate_figures(slog):
    m = grab(slog, r"^bench-migrate: anon_page: (\d+) instructions per migrated page, 4 KiB copy (\d+), (\d+) pages, "
                   r"0 failed, app status 0$", "target-swap.log", "page migration")
    return {"instr": int(m[1]), "copy": int(m[2]), "pages": int(m[3])}


def migrate_block(g):
    rows = [["`migrate_page()` of an anonymous page (a sleeping app's)", n(g["instr"])],
            ["one 4 KiB `arch_copy_page()`", n(g["copy"])],
            ["issue 13's target: 2 x copy + 1,500", n(2 * g["copy"] + 1500)]]
    return block("migrate", f"Printed by {SWAP_TGT.replace('its `make bench-swap` boot', 'the bench-swap boot, test/target/bench_migrate.c')}; "
                            f"{n(g['pages'])} pages of apps/memverify.c moved to new frames, every byte verified after:",
                 table(["page migration", "instructions per page"], rows))


def cma_figures(slog):
    m = grab(slog, r"^bench-cma: alloc_(\d+)mib_fully_lent: (\d+) instructions, (\d+) per page of the range, (\d+) pages "
                   r"migrated, ok; CMA (\d+) pages before the call: 0 free, (\d+) holding the apps' regions .*; apps "
                   r"(\d+) pages each, status 0 0$", "target-swap.log", "cma_alloc with CMA fully lent")
    return {"mib": int(m[1]), "instr": int(m[2]), "per_page": int(m[3]), "moved": int(m[4]), "cma": int(m[5]),
            "regions": int(m[6]), "each": int(m[7])}


def cma_block(c):
    pages = c["mib"] * 256
    rows = [["total", n(c["instr"])], ["per page of the range", n(c["per_page"])],
            ["per page migrated", n(c["instr"] // c["moved"]) if c["moved"] else "-"]]
    return block("cma", f"Printed by {SWAP_TGT.replace('its `make bench-swap` boot', 'the bench-swap boot, test/target/bench_migrate.c')}; "
                        f"all {n(c['cma'])} CMA pages in use before the call (none free; {n(c['regions'])} of them "
                        f"holding two apps/memverify.c regions of {n(c['each'])} pages, the rest their text, data and "
                        f"stacks), {n(c['moved'])} pages migrated out of the range, every byte verified after:",
                 table([f"`cma_alloc()` of {c['mib']} MiB ({n(pages)} pages, order-9 aligned), CMA fully lent",
                        "instructions"], rows))


def compact_figures(slog):
    m = grab(slog, r"^bench-compact: compact_memory: (\d+) instructions, (\d+) pages moved, (\d+) per page moved, "
                   r"scanned (\d+) migrate \+ (\d+) free, order-9 blocks (\d+) -> (\d+), app status 0$",
             "target-swap.log", "compaction")
    d = grab(slog, r"^bench-compact: direct order-9: (\d+) instructions, (\d+) pages moved, allocated, app status 0$",
             "target-swap.log", "direct compaction")
    return {"instr": int(m[1]), "moved": int(m[2]), "per_page": int(m[3]), "mscan": int(m[4]), "fscan": int(m[5]),
            "b0": int(m[6]), "b1": int(m[7]), "d_instr": int(d[1]), "d_moved": int(d[2])}


def compact_block(c):
    rate = c["moved"] * 1_000_000_000 // c["instr"] if c["instr"] else 0
    rows = [["`compact_memory(1)`, the whole zone", n(c["instr"]), n(c["moved"]), n(c["per_page"]),
             f"{n(rate)} pages/s ({rate * 4096 / 2**20:.0f} MiB/s)"],
            ["an order-9 `GFP_KERNEL` allocation that compacts (direct)", n(c["d_instr"]), n(c["d_moved"]),
             n(c["d_instr"] // c["d_moved"]) if c["d_moved"] else "-", "-"]]
    return block("compact", f"Printed by {SWAP_TGT.replace('its `make bench-swap` boot', 'the bench-swap boot, test/target/bench_compaction.c')}; "
                            f"the highest zone fragmented by apps/memverify.c (every other page given back), every "
                            f"byte verified after each; the whole-zone run scanned {n(c['mscan'])} pages with the "
                            f"migrate scanner and {n(c['fscan'])} with the free scanner and took the zone from "
                            f"{n(c['b0'])} to {n(c['b1'])} free blocks of order 9:",
                 table(["compaction", "instructions", "pages moved", "instructions per page moved",
                        "throughput (virtual time)"], rows))


def swap_targets(f):
    """(name, target text, measured, met) rows of issue 11's targets."""
    return [["swap-out per page (`swapout_madv_pageout_zram_lz4`)", f"<= LZ4 floor + 3,000 = {n(f['lz4_c'] + 3000)}",
             n(f["out"]), met(f["out"] <= f["lz4_c"] + 3000)],
            ["swap-in per major fault (`swapin_majfault_zram_lz4`)", f"<= LZ4 floor + 2,500 = {n(f['lz4_d'] + 2500)}",
             n(f["in"]), met(f["in"] <= f["lz4_d"] + 2500)],
            ["thrash swap-out", ">= 26,000 pages/s", n(f["thrash_out"]), met(f["thrash_out"] >= 26000)],
            ["thrash swap-in", ">= 30,800 pages/s", n(f["thrash_in"]), met(f["thrash_in"] >= 30800)],
            ["zram orig_data_size / mem_used_total", ">= 2.70", f"{f['ratio_mem']:.3f}", met(f["ratio_mem"] >= 2.70)]]


def swap_block(f):
    L = LINUX_SWAP

    def row(name, key, unit, digits=0):
        ours, theirs = f[key], L[key]
        return [name, n(ours, digits), n(theirs, digits), f"{ours / theirs:.2f}x", unit]

    rows = [row("`swapout_madv_pageout_zram_lz4`", "out", "instructions per swapped-out page"),
            row("`swapin_majfault_zram_lz4`", "in", "instructions per major fault"),
            row("thrash, swap-out over the fill", "thrash_out", "pages/s (virtual time)"),
            row("thrash, swap-in over the verify", "thrash_in", "pages/s (virtual time)"),
            row("zram orig_data_size / compr_data_size", "ratio_compr", "after the 32 MiB fill", 3),
            row("zram orig_data_size / mem_used_total", "ratio_mem", "after the 32 MiB fill", 3),
            row("LZ4 floor: `LZ4_compress_default`", "lz4_c", "instructions per page"),
            row("LZ4 floor: `LZ4_decompress_safe`", "lz4_d", "instructions per page")]
    notes = [f"", f"Around the compressor: swap-out {n(f['out'] - f['lz4_c'])} instructions "
             f"(Linux {n(L['out'] - L['lz4_c'])}), swap-in {n(f['in'] - f['lz4_d'])} (Linux {n(L['in'] - L['lz4_d'])}). "
             f"{n(f['pages'])} pages swapped out (pswpout equal), {n(f['pswpin'])} swapped in with "
             f"{n(f['majflt'])} major faults, every word verified; thrash over {n(f['thrash_pages'])} pages "
             f"(150% of MemAvailable), every word verified; LZ4 compresses a page to {n(f['lz4_bytes'])} bytes."]
    return block("swap", f"Printed by {SWAP_TGT}; Linux 6.1's column from issue 11 (same machine, workloads and "
                         f"page pattern):",
                 table(["benchmark", "Pagoda", "Linux 6.1", "Pagoda / Linux", "unit"], rows) + notes)


# Issue 16's Linux workloads (apps/mmbench.c, `make bench-linux`). Linux 6.1's figures are issue 16's
# table ("Linux 6.1 on the same QEMU machine, measured": virt cortex-a53 256M, -icount shift=0,sleep=off),
# kept only here; the targets are the same issue's, in instructions.
LINUX_WORKLOADS = [  # (mmbench name, what it costs per, Linux 6.1, target)
    ("write_fault_4k_nohugepage", "page", 3282, 900),
    ("read_fault_zero_page_4k", "page", 1137, 450),
    ("write_after_read_cow_zero_4k", "page", 3482, 1400),
    ("munmap_populated_4k_nohugepage", "page", 1401, 500),
    ("mmap+munmap_4k_untouched", "iteration", 14353, 3000),
    ("mmap+touch+munmap_4k", "iteration", 21087, 4500),
    ("syscall_getpid_baseline", "call", 336, 150),
    ("file_major_fault_4k", "page", None, 3000),
]
LINUX_TGT = "`make bench` (its `make bench-linux` boot: apps/mmbench.c at EL0 on QEMU virt cortex-a53 256M, " \
            "`-icount shift=0,sleep=off`: 1 ns = 1 instruction)"


def linux_figures(llog):
    """{name: instructions per operation} of the mmbench lines."""
    got = {}
    for name, per, _, _ in LINUX_WORKLOADS:
        m = grab(llog, r"^mmbench: %s\s+([\d.]+) instructions per %s \((\d+) " % (re.escape(name), per),
                 "target-linux.log", f"mmbench {name}")
        got[name] = float(m[1])
    return got


def linux_targets(got):
    """(name, target text, measured, met) rows of issue 16's workload targets."""
    return [[f"`{name}` (issue 16)", f"<= {n(t)} instructions per {per}", n(got[name]), met(got[name] <= t)]
            for name, per, _, t in LINUX_WORKLOADS]


def linux_block(got):
    rows = []
    for name, per, linux, t in LINUX_WORKLOADS:
        ours = got[name]
        rows.append([f"`{name}` (per {per})", n(ours), n(linux) if linux else "—",
                     f"{ours / linux:.2f}x" if linux else "—", f"<= {n(t)}", met(ours <= t)])
    return block("linux", f"Printed by {LINUX_TGT}; Linux 6.1's column is issue 16's table (Linux 6.1 on the same "
                          f"QEMU machine), instructions per operation, only the loop itself subtracted:",
                 table(["workload", "Pagoda", "Linux 6.1", "Pagoda / Linux", "target", "verdict"], rows))


def met(ok):
    return "met" if ok else "**not met**"


def all_blocks(d):
    def read(f):
        p = os.path.join(d, f)
        if not os.path.exists(p):
            raise Missing(f"{p}: missing (run `make bench`)")
        return open(p, errors="replace").read()

    hlog, tlog, slog = read("host.log"), read("target.log"), read("size.log")
    swap = swap_figures(read("target-swap.log"))
    oom = oom_figures(read("target-swap.log"))
    mig = migrate_figures(read("target-swap.log"))
    cma = cma_figures(read("target-swap.log"))
    compact = compact_figures(read("target-swap.log"))
    h_pa, h_orders, h_ns, h_malloc = host_pa_blocks(hlog)
    t_o0, t_orders, t_pair = target_pa_blocks(tlog)
    faults, got = fault_block(tlog)
    arm = arm_block(tlog, read("target-arm.log"), read("target-highmem.log"), read("target-arm-highmem.log"))
    slab, slab_mem, verdict, slab_all = slab_blocks(hlog)
    slab_instr, slab_instr_all = slab_instr_block(read("slab-instr.log"))
    linux = linux_figures(read("target-linux.log"))
    rows = [["host, order-0 `alloc_pages(GFP_KERNEL, 0)` + `free_pages`", "<= 40 ns", f"{h_ns} ns", met(h_ns <= 40)],
            *pcp_targets(hlog, tlog),
            ["kmalloc+kfree fast path (pair lines) against mimalloc", "<= 1.0 in every line",
             verdict.split(": ", 1)[-1], met(verdict.startswith("PASS"))],
            ["kmalloc+kfree, every line (pair, lifo, shuffled x 16..256 bytes) against mimalloc (issue 16)",
             "<= 1.0 in all 21 lines", slab_all.split(": ", 1)[-1], met(slab_all.startswith("PASS"))],
            ["the same 21 lines in instructions (callgrind: the same every run, where the times move)",
             "<= 1.0 in all 21 lines", slab_instr_all, met(" in 21 of 21 " in slab_instr_all)]]
    rows += [[f"{k} fault", f"<= {n(v)} instructions", n(got[k]), met(got[k] <= v)] for k, v in FAULT_TARGET.items()]
    rows += swap_targets(swap)
    rows += linux_targets(linux)
    rows += [["OOM kill of a 64 MiB victim until its memory is all back (issue 12)", "<= 3,000,000 instructions",
              n(oom["all"]), met(oom["all"] <= 3000000)]]
    rows += [["page migration (issue 13)", f"<= 2 x 4 KiB copy + 1,500 = {n(2 * mig['copy'] + 1500)}", n(mig["instr"]),
              met(mig["instr"] <= 2 * mig["copy"] + 1500)]]
    targets = block("targets", "Printed by `make bench` (the issues' targets against this run's figures):",
                    table(["", "target", "measured", ""], rows))
    return [targets, boot_block(tlog), size_block(slog), h_pa, h_orders, t_o0, t_orders, *dma_blocks(tlog), slab,
            slab_instr, slab_mem, faults, linux_block(linux), swap_block(swap), oom_block(oom), migrate_block(mig),
            cma_block(cma), compact_block(compact), arm]


BLOCK = re.compile(r"<!-- bench:([\w-]+) -->\n.*?<!-- /bench:\1 -->", re.S)


def update(d, doc):
    gen = {BLOCK.match(b)[1]: b for b in all_blocks(d)}
    text = open(doc).read()
    names = [m[1] for m in BLOCK.finditer(text)]
    unknown = [x for x in names if x not in gen]
    absent = [x for x in gen if x not in names]
    if unknown or absent:
        raise Missing(f"{doc}: blocks unknown to bench_tables.py: {unknown or 'none'}; generated blocks the doc "
                      f"lacks: {absent or 'none'}")
    open(doc, "w").write(BLOCK.sub(lambda m: gen[m[1]], text))
    print(f"{doc}: {len(names)} blocks replaced from {d}")


def make_targets(makefile):
    """Explicit targets of the Makefile and the files it includes (patterns as regexes)."""
    out, todo, seen = set(), [makefile], set()
    while todo:
        f = todo.pop()
        if f in seen or not os.path.exists(f):
            continue
        seen.add(f)
        for line in open(f):
            m = re.match(r"^-?include\s+(\S+)$", line)
            if m:
                if "$" not in m[1]:
                    todo.append(os.path.join(os.path.dirname(makefile), m[1]))
                continue
            m = re.match(r"^([A-Za-z0-9_.%/$() -]+?)\s*:(?![=:])", line)
            if m and not line.startswith("\t"):
                out.update(m[1].split())
            m = re.match(r"^\.PHONY\s*:(.*)$", line)
            if m:
                out.update(m[1].split())
    return out


def has_target(targets, t):
    return any(t == x or ("%" in x and re.fullmatch(re.escape(x).replace("%", ".+"), t)) for x in targets)


def check(doc, makefile):
    targets = make_targets(makefile)
    lines = open(doc).read().split("\n")
    bad, count, in_code = [], 0, False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            m = re.match(r"^\$ make (\S+)", line)
            if m and not has_target(targets, m[1]):
                bad.append(f"{doc}:{i + 1}: `make {m[1]}`: no such Makefile target")
            continue
        if not line.startswith("|") or (i and lines[i - 1].startswith("|")):
            continue
        count += 1
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        cmds = re.findall(r"`make ([\w.%-]+)", lines[j]) if j >= 0 else []
        if not cmds:
            bad.append(f"{doc}:{i + 1}: table not headed by the `make TARGET` that prints it (line {j + 1})")
        bad += [f"{doc}:{i + 1}: `make {c}`: no such Makefile target" for c in cmds if not has_target(targets, c)]
    print("TAP version 13\n1..1")
    print(("ok" if not bad and count else "not ok") + f" 1 - {doc}: {count} tables, each headed by a Makefile command")
    for b in bad or ([] if count else [f"{doc}: no tables"]):
        print("# " + b)
    return 0 if not bad and count else 1


def main(argv):
    try:
        if len(argv) == 3 and argv[1] == "tables":
            print("\n\n".join(all_blocks(argv[2])))
            return 0
        if len(argv) == 4 and argv[1] == "update":
            update(argv[2], argv[3])
            return 0
        if len(argv) == 4 and argv[1] == "check":
            return check(argv[2], argv[3])
    except Missing as e:
        print(f"bench_tables.py: {e}", file=sys.stderr)
        return 1
    print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
