#!/usr/bin/python3
"""Instructions per kmalloc+kfree next to mimalloc's, from callgrind.

  bench_slab_instr.py BENCH_SLAB

Runs `BENCH_SLAB --one WORKLOAD SIZE` under valgrind's callgrind for each of
bench_slab's 21 lines (pair, lifo, shuffled x 16..256 bytes) and divides
the instructions of each allocator's workload function (inclusive: the
loop, the calls, the allocator) by its operations. One line per workload,
then a summary; `make bench` writes them to $(BENCH_DIR)/slab-instr.log
for docs/measurements.md. The time figures of bench_slab move with the
host's load by 10-20 % between runs; these counts are the same every run
(the instruction count of the same program on the same input). They are
not time: the two allocators do not retire the same instructions per
cycle.
"""
import os
import re
import subprocess
import sys
import tempfile

SIZES = (16, 32, 64, 96, 128, 192, 256)
WORKLOADS = (("pair", "pair"), ("lifo", "lifo"), ("shuffled", "shuf"))


def count(bench, work, fn, size, tmp):
    out = os.path.join(tmp, f"cg.{work}.{size}")
    run = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", bench, "--one", work,
                          str(size)], capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"bench_slab_instr: {bench} --one {work} {size} under callgrind failed:\n{run.stderr}")
    ops = re.search(r"^bench-slab-one: \S+ \d+ ops (\d+)$", run.stdout, re.M)
    if not ops:
        raise SystemExit(f"bench_slab_instr: no operation count from {bench} --one {work} {size}")
    ann = subprocess.run(["callgrind_annotate", "--inclusive=yes", out], capture_output=True, text=True).stdout
    got = {}
    for alloc in ("kmalloc", "mimalloc"):
        m = re.search(rf"^\s*([\d,]+) \([ \d.]+%\)\s+\S*:{fn}_{alloc} \[", ann, re.M)
        if not m:
            raise SystemExit(f"bench_slab_instr: callgrind has no {fn}_{alloc} for {work} {size}")
        got[alloc] = int(m[1].replace(",", "")) / int(ops[1])
    return got


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    bench = argv[1]
    worse, lines, worst, worst_at = 0, 0, 0.0, ""
    print("bench-slab-instr: instructions per alloc+free (callgrind, inclusive of the benchmark loop), "
          "kmalloc vs mimalloc")
    with tempfile.TemporaryDirectory() as tmp:
        for work, fn in WORKLOADS:
            for size in SIZES:
                c = count(bench, work, fn, size, tmp)
                r = c["kmalloc"] / c["mimalloc"]
                print(f"bench-slab-instr: {work:<9} {size:4d} {c['kmalloc']:8.1f} {c['mimalloc']:8.1f} {r:6.2f}")
                lines += 1
                worse += r > 1.0
                if r > worst:
                    worst, worst_at = r, f"{work} {size}"
    print(f"bench-slab-instr: kmalloc/mimalloc <= 1.0 in {lines - worse} of {lines} lines "
          f"(most, {worst:.2f}, at {worst_at})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
