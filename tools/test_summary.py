#!/usr/bin/python3
"""Sum the TAP/KTAP result files of `make test` into one verdict.

Each results/*.tap holds TAP lines ("ok N - name", "not ok N - name",
"... # SKIP") and, from the Makefile, a final "exit S" line with the
producer's exit status. A non-zero exit with no failed test line counts
as one failure (a crash must never look like a pass), and so does a file
with no test lines at all. The last line printed is "N passed, N failed"
(plus ", N skipped"), which CI reads.
"""
import pathlib
import re
import sys

LINE = re.compile(r"^(ok|not ok)\b")
SKIP = re.compile(r"#\s*SKIP\b", re.I)


def main(results):
    total_p = total_f = total_s = 0
    for tap in sorted(pathlib.Path(results).glob("*.tap")):
        p = f = s = 0
        status = None
        failed_names = []
        for line in tap.read_text(errors="replace").splitlines():
            m = LINE.match(line)
            if m:
                if m.group(1) == "not ok":
                    f += 1
                    failed_names.append(line)
                elif SKIP.search(line):
                    s += 1
                else:
                    p += 1
            elif line.startswith("exit "):
                status = int(line.split()[1])
        if status not in (None, 0) and f == 0:
            f += 1
            failed_names.append(f"exit status {status}")
        if p + f + s == 0:
            f += 1
            failed_names.append("no tests ran")
        print(f"{tap.stem:32} {p:4} passed {f:3} failed {s:3} skipped")
        for n in failed_names:
            print(f"    {n}")
        total_p, total_f, total_s = total_p + p, total_f + f, total_s + s
    print(f"{total_p} passed, {total_f} failed" + (f", {total_s} skipped" if total_s else ""))
    return 1 if total_f or not total_p else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/board/results"))
