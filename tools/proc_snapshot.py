#!/usr/bin/python3
"""Copy a running board's /proc and /sys tree to a host directory.

  proc_snapshot.py --elf ELF [--image IMG] --out DIR [options] -- QEMU_MACHINE_ARGS
  proc_snapshot.py --socket PATH --out DIR [options]

boots the board (QEMU started through tools/qemu_common.py, its serial port
on our pipes, as tools/pagoda_console.py does) or attaches to one whose
serial port is a Unix socket, waits for the shell's prompt, optionally
starts apps (--run, each waiting for its ready line), then walks the tree
with the shell's `ls -l` and `cat` and writes every readable file to
DIR/<same path> (DIR/proc/meminfo, DIR/proc/4/smaps, ...). /proc/self
becomes a symlink to the shell's pid directory (0), as on Linux.

Also written:
  DIR/commands/<name>.txt   the output of the shell's own tools (free,
                            vmstat -s... see COMMANDS) at the same moment,
                            for test/procps/check_procps.py to compare
  DIR/samples.txt           with --samples N: N copies of /proc/meminfo,
                            /proc/vmstat and zram0's mm_stat, --interval
                            seconds apart, while the --load app runs
                            (tools/plot_vmstat.py plots them); each block
                            starts with "=== sample I T" (T: host seconds)
  DIR/snapshot.log          everything the console printed

Synchronisation is on the console: each command's echoed line, then the
next prompt; an app's ready line. A file that vanished between `ls` and
`cat` (an app that exited) is left out and named on stderr. Exit status 0,
1 when the board did not answer (a timeout names the command), 2 on bad
arguments.
"""
import argparse
import os
import re
import socket
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pagoda_console  # noqa: E402

PROMPT = pagoda_console.PROMPT
# the shell's own tools, saved beside the tree (name: command line)
COMMANDS = {"free": "free", "ps": "ps", "smem": "smem", "slabtop": "slabtop -o", "vmstat": "vmstat"}
# the apps --workload default starts: shared text (sharer), swapped-out
# anon (memverify pageout), shmem (shared), free holes (holes); each with
# the line it prints when it is set up
DEFAULT_WORKLOAD = [
    ("sharer forever", rb"sharer: ready"),
    ("sharer forever", rb"sharer: ready"),
    ("memverify 2048 1 1 pageout", rb"memverify: pageout rc="),
    ("memverify 1024 1 2 shared,wait", rb"memverify: region="),
    ("memverify 2048 1 3 holes,wait", rb"memverify: region="),
]
DEFAULT_MACHINE = ["-M", "virt,gic-version=3", "-cpu", "cortex-a72", "-m", "512M"]  # the Makefile's default board
LS_LINE = re.compile(r"^([d-])([r-])([w-])\S*\s+\d+\s+\S+\s+\S+\s+\d+\s+(\S+)$")


class SocketConsole(pagoda_console.Console):
    """pagoda_console.Console over a QEMU serial port that is a Unix socket."""

    def __init__(self, path, echo=None, log=None):  # pylint: disable=super-init-not-called
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.p = None
        self.buf, self.echo, self.log, self.received = b"", echo, log, 0

    def _read(self, timeout):
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        if not data:
            raise EOFError("the serial socket closed")
        self._received(data)
        return True

    def send(self, data):
        self.sock.sendall(data.encode() if isinstance(data, str) else data)

    def kill(self):
        self.sock.close()


def type_line(con, line, timeout):
    """Type line and Enter; return once its echo and the newline came back."""
    con.send(line.encode() + b"\r")
    con.expect(re.escape(line.encode()) + rb"\r?\n", timeout)


def run_cmd(con, line, timeout):
    """Type line at the prompt; its output (bytes, CR LF made LF) once the next prompt shows."""
    type_line(con, line, timeout)
    return con.prompt(timeout).replace(b"\r\n", b"\n")


def list_dir(con, path, timeout):
    """[(name, is_dir, readable)] of a directory, from `ls -l`."""
    out = run_cmd(con, "ls -l " + path, timeout).decode(errors="replace")
    entries = []
    for line in out.splitlines():
        m = LS_LINE.match(line.strip())
        if m:
            entries.append((m.group(4), m.group(1) == "d", m.group(2) == "r"))
        elif line.strip():
            print(f"proc_snapshot: ls -l {path}: {line.strip()}", file=sys.stderr)
    return entries


def walk(con, out_dir, path, timeout, counts):
    """Copy the directory path (e.g. "/proc") and everything below it."""
    os.makedirs(out_dir + path, exist_ok=True)
    for name, is_dir, readable in list_dir(con, path, timeout):
        sub = path.rstrip("/") + "/" + name
        if name == "self" and path == "/proc":
            os.symlink("0", out_dir + sub)  # the shell's task is pid 0
            continue
        if is_dir:
            walk(con, out_dir, sub, timeout, counts)
        elif readable:
            data = run_cmd(con, "cat " + sub, timeout)
            if data.startswith(b"cat: " + sub.encode() + b": "):
                print(f"proc_snapshot: {data.decode(errors='replace').strip()} (left out)", file=sys.stderr)
                counts["missing"] += 1
                continue
            with open(out_dir + sub, "wb") as f:
                f.write(data)
            counts["files"] += 1


def start_apps(con, apps, timeout):
    """`run APP &` for each (app, ready pattern); waits for each ready line
    (before or after the next prompt: run_cmd finds its own echo either way)."""
    for app, ready in apps:
        type_line(con, f"run {app} &", timeout)
        con.expect(ready, timeout)


def sample(con, out_dir, n, interval, load, timeout):
    """n samples of meminfo, vmstat and mm_stat, interval s apart, while load runs."""
    if load:
        run_cmd(con, f"run {load} &", timeout)
    t0 = time.monotonic()
    with open(os.path.join(out_dir, "samples.txt"), "wb") as f:
        for i in range(n):
            if i:
                time.sleep(interval)  # the sampling period, not a wait for an event
            t = time.monotonic() - t0
            data = run_cmd(con, "cat /proc/meminfo /proc/vmstat /sys/block/zram0/mm_stat", timeout)
            f.write(b"=== sample %d %.3f\n" % (i, t) + data)


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--elf", help="the board's ELF (QEMU is started)")
    ap.add_argument("--image", help="app image (default: apps.img next to the ELF)")
    ap.add_argument("--socket", help="attach to a QEMU serial port on this Unix socket instead")
    ap.add_argument("--out", required=True, help="host directory to write (must not exist, or be empty)")
    ap.add_argument("--append", default="", help="kernel command line (with --elf)")
    ap.add_argument("--run", action="append", default=None, metavar="APP",
                    help="start `run APP &` before the walk (repeatable; default with --elf: a mixed workload, "
                    "with --socket: none; --run none: no apps); waits for its first output line")
    ap.add_argument("--samples", type=int, default=0, help="meminfo+vmstat samples for plot_vmstat.py")
    ap.add_argument("--interval", type=float, default=0.5, help="seconds between samples")
    ap.add_argument("--load", help="app run in the background while sampling (e.g. 'thrash 20000 2')")
    ap.add_argument("--timeout", type=float, default=60, help="seconds to wait for a prompt")
    ap.add_argument("--quiet", action="store_true", help="do not copy the console to stdout")
    ap.add_argument("qemu_args", nargs="*")
    a = ap.parse_args(argv)
    if bool(a.elf) == bool(a.socket):
        ap.error("give exactly one of --elf ELF (boot the board) and --socket PATH (attach to one)")
    if a.elf and not os.path.exists(a.elf):
        ap.error(f"--elf {a.elf}: no such file")
    if a.socket and a.qemu_args:
        ap.error("QEMU arguments only go with --elf")
    if a.samples < 0 or a.interval < 0:
        ap.error("--samples and --interval must be >= 0")
    if os.path.exists(a.out) and (not os.path.isdir(a.out) or os.listdir(a.out)):
        ap.error(f"--out {a.out}: exists and is not an empty directory (nothing is overwritten)")
    if a.elf and not a.qemu_args:
        a.qemu_args = DEFAULT_MACHINE
    if a.elf and not a.image:
        img = os.path.join(os.path.dirname(a.elf), "apps.img")
        a.image = img if os.path.exists(img) else None
    return a


def workload(a):
    if a.run is None:  # a board we booted gets the default; one we attach to is left as it is
        return [] if a.socket else DEFAULT_WORKLOAD
    if a.run == ["none"]:
        return []
    return [(app, rb"\n") for app in a.run]


def main(argv):
    a = parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    log = open(os.path.join(a.out, "snapshot.log"), "wb")
    echo = None if a.quiet else sys.stdout.buffer
    con = None
    try:
        if a.socket:
            con = SocketConsole(a.socket, echo=echo, log=log)
            con.send("\r")
        else:
            con = pagoda_console.Console(a.elf, a.qemu_args, image=a.image, append=a.append, echo=echo, log=log)
        con.prompt(a.timeout)
        start_apps(con, workload(a), a.timeout)
        if a.samples:
            sample(con, a.out, a.samples, a.interval, a.load, a.timeout)
        os.makedirs(os.path.join(a.out, "commands"))
        for name, line in COMMANDS.items():
            with open(os.path.join(a.out, "commands", name + ".txt"), "wb") as f:
                f.write(run_cmd(con, line, a.timeout))
        counts = {"files": 0, "missing": 0}
        for top in ("/proc", "/sys"):
            walk(con, a.out, top, a.timeout, counts)
        if not a.socket:
            con.send("poweroff\r")
            con.wait_exit(a.timeout)
    except (pagoda_console.Timeout, EOFError, OSError) as e:
        print(f"\nproc_snapshot: {e}", file=sys.stderr)
        if con:
            con.kill()
        return 1
    print(f"\nproc_snapshot: {counts['files']} files in {a.out} ({counts['missing']} gone before cat)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
