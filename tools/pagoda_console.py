#!/usr/bin/python3
"""Drive Pagoda's console shell over QEMU's serial port on stdio pipes.

A library (tools/shell_test.py uses Console) and a program: `make run` when
stdin is not a terminal, and `make run SCRIPT=file`, run

  pagoda_console.py --elf ELF --image IMG --script FILE -- QEMU_MACHINE_ARGS

which boots the board, waits for each prompt, types the script's next line
(blank lines and lines starting with '#' skipped), copies everything QEMU
prints to stdout as it comes, and types `poweroff` after the last line
(unless the script did). Its exit status is QEMU's (0 after poweroff), or 1
if a prompt did not come within --timeout seconds of the last output. A
boot that ends without a shell (APPEND=ktest=SUITE) just runs to its end.

Why type the script into the serial port rather than hand it to the
firmware (a -fw_cfg blob): it needs no fw_cfg driver, it exercises the same
input path (UART interrupt, ring, line editor) a person at the terminal
uses, and every command appears in the log after its prompt, as in an
interactive session. Synchronisation is the prompt, never a sleep.

The serial port is `-serial stdio -monitor none`: no QEMU monitor mux on
stdio, so every byte (^A, ^C included) reaches the UART.
"""
import argparse
import os
import re
import select
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_common  # noqa: E402

PROMPT = b"pagoda:/# "
SERIAL_ARGS = ["-serial", "stdio", "-monitor", "none"]


class Timeout(Exception):
    pass


class Console:
    """QEMU running the firmware, its serial port on our pipes."""

    def __init__(self, elf, qemu_args=(), image=None, append="", echo=None, log=None):
        cmd = qemu_common.command(elf, append, list(qemu_args) + SERIAL_ARGS, image=image)
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.buf = b""       # received, not yet consumed by expect
        self.echo = echo     # a binary stream that sees everything received
        self.log = log
        self.received = 0    # bytes ever received

    def _read(self, timeout):
        r, _, _ = select.select([self.p.stdout], [], [], timeout)
        if not r:
            return False
        data = os.read(self.p.stdout.fileno(), 65536)
        if not data:
            raise EOFError("QEMU exited")
        self._received(data)
        return True

    def _received(self, data):
        """Bytes from the board: to the echo and log streams, then the buffer."""
        for out in (self.echo, self.log):
            if out:
                out.write(data)
                out.flush()
        self.buf += data
        self.received += len(data)

    def expect(self, pattern, timeout=30):
        """Read until pattern (bytes regex) matches; return the bytes up to
        and including the match, consumed. Timeout: no match within timeout s."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf)
            if m:
                out = self.buf[:m.end()]
                self.buf = self.buf[m.end():]
                return out
            left = deadline - time.monotonic()
            if left <= 0:
                raise Timeout(f"no {pattern!r} within {timeout} s; last output: {self.buf[-300:]!r}")
            self._read(left)

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def prompt(self, timeout=60):
        """Wait for the shell's prompt; the output before it."""
        return self.expect(re.escape(PROMPT), timeout)[:-len(PROMPT)]

    def cmd(self, line, timeout=60):
        """Type line + Enter at a prompt; the command's output (text, CR LF
        made LF, the echoed line dropped) once the next prompt shows."""
        self.send(line + "\r")
        out = self.prompt(timeout).replace(b"\r\n", b"\n")
        first, _, rest = out.partition(b"\n")
        return rest.decode(errors="replace")

    def wait_exit(self, timeout=30):
        deadline = time.monotonic() + timeout
        while self.p.poll() is None and time.monotonic() < deadline:
            try:
                self._read(0.2)
            except EOFError:
                break
        try:
            return self.p.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.p.kill()
            raise Timeout("QEMU did not exit")

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


def run_script(a):
    lines = [l.rstrip("\n") for l in open(a.script)]
    out = sys.stdout.buffer
    con = Console(a.elf, a.qemu_args, image=a.image, append=a.append, echo=out)
    try:
        try:
            con.prompt(a.timeout)
        except EOFError:  # a mode that powers off by itself (APPEND=ktest, bench, ...): no shell
            return con.p.wait()
        powered_off = False
        for line in lines:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            con.send(line + "\r")
            if line.split()[0] in ("poweroff", "reboot"):
                powered_off = True
                break
            # a long command (demo, ktest) prints as it goes: wait for output, not a total time
            while True:
                before = con.received
                try:
                    con.prompt(a.timeout)
                    break
                except Timeout:
                    if con.received == before:
                        raise
        if not powered_off:
            con.send("poweroff\r")
        return con.wait_exit(a.timeout)
    except (Timeout, EOFError) as e:
        print(f"\npagoda_console: {e}", file=sys.stderr)
        con.kill()
        return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--elf", required=True)
    ap.add_argument("--image")
    ap.add_argument("--script", required=True, help="shell commands, one a line")
    ap.add_argument("--append", default="", help="the kernel command line")
    ap.add_argument("--timeout", type=float, default=120, help="seconds without a prompt or any output")
    ap.add_argument("qemu_args", nargs="*")
    a = ap.parse_args()
    if not os.path.exists(a.script):
        print(f"pagoda_console: --script {a.script}: no such file", file=sys.stderr)
        return 2
    return run_script(a)


if __name__ == "__main__":
    sys.exit(main())
